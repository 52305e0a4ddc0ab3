#include "recount/evidence/claims_csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "recount/core/csv.hpp"
#include "recount/core/text.hpp"

namespace recount {

const std::vector<std::string>& claims_csv_columns() {
  static const std::vector<std::string> columns{
      "id",   "as_of",  "published",  "measure",     "population", "kind",   "low",  "high",
      "rate", "source", "source_org", "source_type", "via",        "hedges", "note", "url"};
  return columns;
}

const std::vector<std::string>& claims_csv_optional_columns() {
  static const std::vector<std::string> columns{"status", "document", "start", "end", "text"};
  return columns;
}

namespace {

std::string join(const std::vector<std::string_view>& names) {
  std::string out;
  for (auto n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

std::optional<double> parse_count(std::string_view cell, const Location& where) {
  cell = trim(cell);
  if (cell.empty()) return std::nullopt;
  double value = 0;
  const auto [p, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (ec != std::errc{} || p != cell.data() + cell.size() || !std::isfinite(value))
    throw bad_input(where, fmt::format("'{}' is not a number", cell));
  return value;
}

std::optional<std::size_t> parse_offset(std::string_view cell, const Location& where) {
  cell = trim(cell);
  if (cell.empty()) return std::nullopt;
  std::size_t value = 0;
  const auto [p, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (ec != std::errc{} || p != cell.data() + cell.size())
    throw bad_input(where, fmt::format("'{}' is not a byte offset", cell));
  return value;
}

}  // namespace

std::vector<Claim> read_claims_csv(const std::string& text, const std::string& name,
                                   const Vocabulary* vocabulary) {
  CsvReader reader(text, name);
  const auto& required = claims_csv_columns();
  const auto& optional = claims_csv_optional_columns();
  for (const auto& col : required)
    (void)reader.require_column(col);
  for (std::size_t i = 0; i < reader.header().size(); ++i) {
    const auto& h = reader.header()[i];
    if (std::find(required.begin(), required.end(), h) == required.end() &&
        std::find(optional.begin(), optional.end(), h) == optional.end())
      throw bad_input({.file = name, .line = 1},
                      fmt::format("unknown column '{}' (see docs/claims.md for the format)", h));
  }
  const auto col = [&](const char* c) { return reader.column(c); };
  const std::size_t c_id = *col("id"), c_as_of = *col("as_of"), c_pub = *col("published"),
                    c_measure = *col("measure"), c_pop = *col("population"), c_kind = *col("kind"),
                    c_low = *col("low"), c_high = *col("high"), c_rate = *col("rate"),
                    c_source = *col("source"), c_org = *col("source_org"),
                    c_type = *col("source_type"), c_via = *col("via"), c_hedges = *col("hedges"),
                    c_note = *col("note"), c_url = *col("url");
  const auto c_status = col("status"), c_doc = col("document"), c_start = col("start"),
             c_end = col("end"), c_text = col("text");

  std::vector<Claim> claims;
  std::set<std::string> ids;
  CsvRecord rec;
  while (reader.next(rec)) {
    const auto at = [&](std::size_t c) { return reader.at(rec, c); };
    const auto cell = [&](std::size_t c) { return std::string(trim(rec.fields[c])); };
    Claim claim;
    claim.id = cell(c_id);
    if (claim.id.empty()) throw bad_input(at(c_id), "every claim needs an id");
    if (!ids.insert(claim.id).second)
      throw bad_input(at(c_id), fmt::format("id '{}' appears twice", claim.id));
    if (const auto s = cell(c_pub); !s.empty()) claim.published = Date::parse_iso(s, at(c_pub));
    if (const auto s = cell(c_as_of); !s.empty()) claim.as_of = Date::parse_iso(s, at(c_as_of));
    if (!claim.as_of) claim.as_of = claim.published;
    if (!claim.as_of) throw bad_input(at(c_as_of), "a claim needs as_of or published");
    const auto measure =
        vocabulary ? vocabulary->parse_measure(cell(c_measure)) : parse_measure(cell(c_measure));
    if (!measure)
      throw bad_input(at(c_measure),
                      fmt::format("unknown measure '{}' (one of: {})", cell(c_measure),
                                  vocabulary ? vocabulary->measure_list() : join(measure_names())));
    claim.measure = *measure;
    claim.population = cell(c_pop);
    if (vocabulary) {
      if (auto problem = vocabulary->measure_problem(claim.measure); !problem.empty())
        throw bad_input(at(c_measure), std::move(problem));
      if (auto problem = vocabulary->population_problem(claim.population); !problem.empty())
        throw bad_input(at(c_pop), std::move(problem));
    }
    const auto kind = parse_claim_kind(cell(c_kind));
    if (!kind)
      throw bad_input(at(c_kind), fmt::format("unknown kind '{}' (one of: {})", cell(c_kind),
                                              join(claim_kind_names())));
    claim.kind = *kind;
    claim.low = parse_count(rec.fields[c_low], at(c_low));
    claim.high = parse_count(rec.fields[c_high], at(c_high));
    if ((claim.kind == ClaimKind::point || claim.kind == ClaimKind::approximate)) {
      if (!claim.high) claim.high = claim.low;
      if (!claim.low) claim.low = claim.high;
    }
    const auto rate = parse_rate(cell(c_rate));
    if (!rate)
      throw bad_input(at(c_rate), fmt::format("unknown rate '{}' (empty, day, week, month or year)",
                                              cell(c_rate)));
    claim.rate = *rate;
    claim.source = cell(c_source);
    claim.source_org = cell(c_org);
    if (const auto t = cell(c_type); !t.empty()) {
      claim.source_type = parse_source_type(t);
      if (!claim.source_type)
        throw bad_input(at(c_type), fmt::format("unknown source type '{}' (one of: {})", t,
                                                join(source_type_names())));
    }
    claim.via = cell(c_via);
    std::string_view hedges = rec.fields[c_hedges];
    while (!hedges.empty()) {
      const auto semi = hedges.find(';');
      const auto word = trim(hedges.substr(0, semi));
      hedges = semi == std::string_view::npos ? std::string_view{} : hedges.substr(semi + 1);
      if (word.empty()) continue;
      const auto hedge = parse_hedge(word);
      if (!hedge)
        throw bad_input(at(c_hedges),
                        fmt::format("unknown hedge '{}' (one of: {})", word, join(hedge_names())));
      add_hedge(claim, *hedge);
    }
    claim.note = cell(c_note);
    claim.url = cell(c_url);
    if (c_status) {
      if (const auto s = cell(*c_status); !s.empty()) {
        const auto st = parse_review_status(s);
        if (!st)
          throw bad_input(
              at(*c_status),
              fmt::format("unknown status '{}' (proposed, accepted, rejected, edited)", s));
        claim.status = *st;
      }
    }
    if (c_doc) claim.document = cell(*c_doc);
    if (c_start) claim.start = parse_offset(rec.fields[*c_start], at(*c_start));
    if (c_end) claim.end = parse_offset(rec.fields[*c_end], at(*c_end));
    if (c_text) claim.text = std::string(rec.fields[*c_text]);
    if (const auto problem = claim_problem(claim); !problem.empty())
      throw bad_input(reader.at_line(rec.line), problem);
    claims.push_back(std::move(claim));
  }
  return claims;
}

std::vector<Claim> read_claims_csv(const std::filesystem::path& path,
                                   const Vocabulary* vocabulary) {
  return read_claims_csv(read_file(path), path.string(), vocabulary);
}

std::string write_claims_csv(const std::vector<Claim>& claims, bool with_review) {
  std::vector<std::string> header = claims_csv_columns();
  if (with_review)
    header.insert(header.end(), claims_csv_optional_columns().begin(),
                  claims_csv_optional_columns().end());
  std::string out = csv_line(header) + "\n";
  const auto number = [](const std::optional<double>& v) {
    return v ? fmt::format("{}", *v) : std::string();
  };
  for (const auto& c : claims) {
    std::string hedges;
    for (Hedge h : c.hedges) {
      if (!hedges.empty()) hedges += ';';
      hedges += to_string(h);
    }
    std::vector<std::string> row{c.id,
                                 c.as_of ? c.as_of->iso() : "",
                                 c.published ? c.published->iso() : "",
                                 std::string(to_string(c.measure)),
                                 c.population,
                                 std::string(to_string(c.kind)),
                                 number(c.low),
                                 number(c.high),
                                 std::string(to_string(c.rate)),
                                 c.source,
                                 c.source_org,
                                 c.source_type ? std::string(to_string(*c.source_type)) : "",
                                 c.via,
                                 hedges,
                                 c.note,
                                 c.url};
    if (with_review) {
      row.emplace_back(to_string(c.status));
      row.push_back(c.document);
      row.push_back(c.start ? std::to_string(*c.start) : "");
      row.push_back(c.end ? std::to_string(*c.end) : "");
      row.push_back(c.text);
    }
    out += csv_line(row) + "\n";
  }
  return out;
}

}  // namespace recount
