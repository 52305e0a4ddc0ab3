#include "recount/mcmc/draws_io.hpp"

#include <charconv>
#include <string_view>

#include <fmt/format.h>

#include "recount/core/csv.hpp"
#include "recount/core/error.hpp"
#include "recount/core/text.hpp"

namespace recount::mcmc {

namespace {

constexpr const char* kSamplerColumns[] = {"lp__",        "accept_stat__", "stepsize__",
                                           "treedepth__", "n_leapfrog__",  "divergent__",
                                           "energy__"};

}  // namespace

std::string draws_csv(const SampleResult& result, const std::vector<std::string>& names,
                      const DrawTransform& transform) {
  std::string out;
  std::vector<std::string> header{"chain__"};
  for (const char* column : kSamplerColumns)
    header.emplace_back(column);
  header.insert(header.end(), names.begin(), names.end());
  out += csv_line(header);
  out += '\n';
  std::vector<double> values;
  Eigen::VectorXd draw;
  for (std::size_t c = 0; c < result.chains.size(); ++c) {
    const ChainDraws& chain = result.chains[c];
    out +=
        fmt::format("# chain {}: step size = {}\n# diagonal elements of inverse mass matrix:\n# ",
                    c + 1, chain.step_size);
    for (Eigen::Index i = 0; i < chain.inverse_metric.size(); ++i) {
      if (i > 0) out += ", ";
      out += fmt::format("{}", chain.inverse_metric[i]);
    }
    out += '\n';
    for (Eigen::Index row = 0; row < chain.draws.rows(); ++row) {
      const auto r = static_cast<std::size_t>(row);
      draw = chain.draws.row(row).transpose();
      if (transform) {
        values.clear();
        transform(draw, values);
      } else {
        values.assign(draw.data(), draw.data() + draw.size());
      }
      if (values.size() != names.size()) {
        throw Error(ErrorKind::internal, "draws and parameter names of different lengths");
      }
      out += fmt::format("{},{},{},{},{},{},{},{}", c + 1, chain.lp[r], chain.accept_stat[r],
                         chain.stepsize[r], chain.treedepth[r], chain.n_leapfrog[r],
                         chain.divergent[r] ? 1 : 0, chain.energy[r]);
      for (double v : values) {
        out += ',';
        out += fmt::format("{}", v);
      }
      out += '\n';
    }
  }
  return out;
}

void write_draws_csv(const std::filesystem::path& path, const SampleResult& result,
                     const std::vector<std::string>& names, const DrawTransform& transform) {
  write_file(path, draws_csv(result, names, transform));
}

DrawsTable read_draws_csv(const std::filesystem::path& path) {
  // CmdStan's comment lines are dropped before parsing; line numbers stay those of the file
  // because each comment line is replaced by an empty line (skipped as blank).
  std::string text = read_file(path);
  std::string cleaned;
  cleaned.reserve(text.size());
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (text[start] != '#') cleaned.append(text, start, end - start);
    cleaned += '\n';
    start = end + 1;
  }
  CsvReader reader(std::move(cleaned), path.string());
  const std::size_t chain_column = reader.require_column("chain__");
  const std::size_t first = reader.require_column("energy__") + 1;
  DrawsTable table;
  table.names.assign(reader.header().begin() + static_cast<std::ptrdiff_t>(first),
                     reader.header().end());
  std::vector<std::vector<std::vector<double>>> rows;
  CsvRecord record;
  auto number = [&](std::size_t column) {
    const std::string_view field = record.fields[column];
    double value = 0;
    const auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (ec != std::errc() || ptr != field.data() + field.size()) {
      throw bad_input(reader.at(record, column), fmt::format("'{}' is not a number", field));
    }
    return value;
  };
  while (reader.next(record)) {
    const double chain = number(chain_column);
    if (chain < 1 || chain != static_cast<double>(static_cast<std::size_t>(chain))) {
      throw bad_input(reader.at(record, chain_column), "chain__ must be 1, 2, ...");
    }
    const auto c = static_cast<std::size_t>(chain) - 1;
    if (c >= rows.size()) rows.resize(c + 1);
    std::vector<double> values;
    for (std::size_t j = first; j < record.fields.size(); ++j)
      values.push_back(number(j));
    rows[c].push_back(std::move(values));
  }
  for (const auto& chain_rows : rows) {
    Eigen::MatrixXd m(static_cast<Eigen::Index>(chain_rows.size()),
                      static_cast<Eigen::Index>(table.names.size()));
    for (std::size_t i = 0; i < chain_rows.size(); ++i) {
      for (std::size_t j = 0; j < table.names.size(); ++j) {
        m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = chain_rows[i][j];
      }
    }
    table.chains.push_back(std::move(m));
  }
  return table;
}

}  // namespace recount::mcmc
