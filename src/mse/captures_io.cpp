#include "recount/mse/captures_io.hpp"

#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "recount/core/csv.hpp"
#include "recount/core/error.hpp"
#include "recount/core/text.hpp"

namespace recount::mse {

namespace {

enum class Layout { people, count_columns, pattern_count };

// One stratum being filled: its table and, per pattern, the line that first gave it.
struct StratumBuilder {
  CaptureTable table;
  std::map<Pattern, std::size_t> first_line;
};

int parse_bit(std::string_view text) {
  const std::string_view v = trim(text);
  if (v == "0") return 0;
  if (v == "1") return 1;
  return -1;
}

// A count: a non-negative whole number (written as 12, 12.0 or 1e3).
std::optional<double> parse_count(std::string_view text, std::string& problem) {
  const std::string_view v = trim(text);
  double value = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size() || !std::isfinite(value)) {
    problem = fmt::format("count '{}' is not a number", v);
    return std::nullopt;
  }
  if (value < 0) {
    problem = fmt::format("count {} is negative", v);
    return std::nullopt;
  }
  if (value > 1e10) {
    problem = fmt::format("count {} is more people than there are", v);
    return std::nullopt;
  }
  if (value != std::floor(value)) {
    problem = fmt::format("count {} is not a whole number of people", v);
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::vector<CaptureTable> parse_captures(std::string text, const std::string& name) {
  CsvReader reader(std::move(text), name);
  const std::vector<std::string>& header = reader.header();
  const std::optional<std::size_t> count_col = reader.column("count");
  const std::optional<std::size_t> pattern_col = reader.column("pattern");
  const std::optional<std::size_t> stratum_col = reader.column("stratum");
  const std::optional<std::size_t> entity_col = reader.column("entity");

  Layout layout = Layout::people;
  if (pattern_col && count_col) {
    layout = Layout::pattern_count;
  } else if (count_col) {
    layout = Layout::count_columns;
  } else if (pattern_col) {
    throw bad_input(reader.at_line(1), "a `pattern` column needs a `count` column beside it");
  }

  std::vector<std::size_t> list_cols;
  std::vector<std::string> list_names;
  if (layout != Layout::pattern_count) {
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (c == count_col || c == stratum_col || c == entity_col) continue;
      const std::string col_name(trim(header[c]));
      if (col_name.empty())
        throw bad_input(
            reader.at_line(1),
            fmt::format("column {} has no name: list columns are named by their list", c + 1));
      list_cols.push_back(c);
      list_names.push_back(col_name);
    }
    if (list_names.size() < min_lists || list_names.size() > max_lists)
      throw bad_input(
          reader.at_line(1),
          fmt::format("{} list column{} ({}); multiple systems estimation needs 2 to 15 "
                      "lists, one 0/1 column each",
                      list_names.size(), list_names.size() == 1 ? "" : "s",
                      fmt::join(list_names, ", ")));
  } else {
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (c == count_col || c == stratum_col || c == pattern_col || c == entity_col) continue;
      throw bad_input(reader.at_line(1),
                      fmt::format("unexpected column '{}' in a pattern,count table", header[c]));
    }
  }

  std::vector<StratumBuilder> strata;
  std::map<std::string, std::size_t, std::less<>> stratum_index;
  CsvRecord record;
  while (reader.next(record)) {
    Pattern pattern = 0;
    if (layout == Layout::pattern_count) {
      const std::string_view p = trim(record.fields[*pattern_col]);
      if (list_names.empty()) {
        if (p.size() < min_lists || p.size() > max_lists)
          throw bad_input(
              reader.at(record, *pattern_col),
              fmt::format("pattern '{}' has {} digits; 2 to 15 lists are needed", p, p.size()));
        for (std::size_t i = 0; i < p.size(); ++i)
          list_names.push_back(std::string(1, static_cast<char>('A' + i)));
      }
      if (p.size() != list_names.size())
        throw bad_input(reader.at(record, *pattern_col),
                        fmt::format("pattern '{}' has {} digits, but earlier patterns have {}", p,
                                    p.size(), list_names.size()));
      for (std::size_t i = 0; i < p.size(); ++i) {
        if (p[i] != '0' && p[i] != '1')
          throw bad_input(
              reader.at(record, *pattern_col),
              fmt::format("pattern '{}' has '{}' at position {}: only 0 and 1", p, p[i], i + 1));
        if (p[i] == '1') pattern |= Pattern{1} << i;
      }
    } else {
      for (std::size_t i = 0; i < list_cols.size(); ++i) {
        const int bit = parse_bit(record.fields[list_cols[i]]);
        if (bit < 0)
          throw bad_input(reader.at(record, list_cols[i]),
                          fmt::format("'{}' is not 0 or 1 (list {})",
                                      trim(record.fields[list_cols[i]]), list_names[i]));
        if (bit == 1) pattern |= Pattern{1} << i;
      }
    }
    if (pattern == 0)
      throw bad_input(reader.at_line(record.line),
                      layout == Layout::people
                          ? "a person on no list: every row must have at least one 1"
                          : "the pattern of people on no list cannot be given: it is what is "
                            "estimated");

    double count = 1;
    if (layout != Layout::people) {
      std::string problem;
      const std::optional<double> c = parse_count(record.fields[*count_col], problem);
      if (!c) throw bad_input(reader.at(record, *count_col), problem);
      count = *c;
    }

    const std::string stratum = stratum_col ? std::string(trim(record.fields[*stratum_col])) : "";
    auto found = stratum_index.find(stratum);
    if (found == stratum_index.end()) {
      found = stratum_index.emplace(stratum, strata.size()).first;
      StratumBuilder builder;
      builder.table.lists = list_names;
      builder.table.counts.assign(std::size_t{1} << list_names.size(), 0.0);
      builder.table.stratum = stratum;
      strata.push_back(std::move(builder));
    }
    StratumBuilder& builder = strata[found->second];
    if (layout != Layout::people) {
      const auto [it, inserted] = builder.first_line.emplace(pattern, record.line);
      if (!inserted)
        throw bad_input(reader.at_line(record.line),
                        fmt::format("pattern repeated (first given on line {}){}", it->second,
                                    stratum.empty() ? "" : " in stratum '" + stratum + "'"));
    }
    builder.table.counts[pattern] += count;
  }
  if (strata.empty()) throw bad_input(Location{.file = name}, "no rows: the table lists no one");

  std::vector<CaptureTable> tables;
  tables.reserve(strata.size());
  for (StratumBuilder& s : strata) {
    if (s.table.observed() <= 0)
      throw bad_input(Location{.file = name},
                      s.table.stratum.empty()
                          ? std::string("all counts are zero: the table lists no one")
                          : "all counts are zero in stratum '" + s.table.stratum + "'");
    if (strata.size() == 1 && !stratum_col) s.table.stratum.clear();
    tables.push_back(std::move(s.table));
  }
  return tables;
}

std::vector<CaptureTable> read_captures(const std::filesystem::path& path) {
  return parse_captures(read_file(path), path.string());
}

}  // namespace recount::mse
