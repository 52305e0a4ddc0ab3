#include "recount/linkage/labels.hpp"

#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "recount/core/csv.hpp"
#include "recount/core/error.hpp"
#include "recount/core/text.hpp"
#include "recount/linkage/blocking.hpp"

namespace recount::linkage {

namespace {

using PairKey = std::tuple<std::string, std::string, std::string, std::string>;

// The same pair whichever record is written first.
PairKey key_of(const LabelledPair& p) {
  if (std::tie(p.list_a, p.id_a) <= std::tie(p.list_b, p.id_b))
    return {p.list_a, p.id_a, p.list_b, p.id_b};
  return {p.list_b, p.id_b, p.list_a, p.id_a};
}

}  // namespace

std::optional<Decision> parse_decision(std::string_view text) {
  const std::string d = to_lower_ascii(trim(text));
  if (d == "match" || d == "yes" || d == "1" || d == "true" || d == "same" || d == "m")
    return Decision::match;
  if (d == "non-match" || d == "non_match" || d == "nonmatch" || d == "no" || d == "0" ||
      d == "false" || d == "different" || d == "n")
    return Decision::non_match;
  if (d.empty() || d == "?" || d == "unsure" || d == "skip" || d == "undecided")
    return Decision::undecided;
  return std::nullopt;
}

LabelFile read_labelled_pairs(const std::filesystem::path& path) {
  return parse_labelled_pairs(read_file(path), path.string());
}

LabelFile parse_labelled_pairs(std::string text, const std::string& name) {
  CsvReader csv(std::move(text), name);
  const std::size_t la = csv.require_column("list_a"), ia = csv.require_column("id_a");
  const std::size_t lb = csv.require_column("list_b"), ib = csv.require_column("id_b");
  const std::optional<std::size_t> decision_column = csv.column("decision");
  const std::size_t dc = decision_column ? *decision_column : csv.require_column("match");
  LabelFile out;
  std::map<PairKey, std::size_t> seen;
  CsvRecord row;
  while (csv.next(row)) {
    LabelledPair p{std::string(trim(row.fields[la])),
                   std::string(trim(row.fields[ia])),
                   std::string(trim(row.fields[lb])),
                   std::string(trim(row.fields[ib])),
                   false,
                   row.line};
    for (std::size_t c : {la, ia, lb, ib})
      if (trim(row.fields[c]).empty()) throw bad_input(csv.at(row, c), "empty");
    const std::optional<Decision> d = parse_decision(row.fields[dc]);
    if (!d)
      throw bad_input(csv.at(row, dc),
                      fmt::format("'{}' is not a decision (match or non-match; yes/no; 1/0; "
                                  "empty when undecided)",
                                  row.fields[dc]));
    if (*d == Decision::undecided) {
      ++out.undecided;
      continue;
    }
    p.match = *d == Decision::match;
    if (p.list_a == p.list_b && p.id_a == p.id_b)
      throw bad_input(csv.at(row, ib), "a record paired with itself");
    const auto [it, inserted] = seen.emplace(key_of(p), out.pairs.size());
    if (!inserted) {
      if (out.pairs[it->second].match != p.match)
        throw bad_input(csv.at(row, dc), fmt::format("this pair is labelled differently on line {}",
                                                     out.pairs[it->second].line));
      continue;
    }
    out.pairs.push_back(std::move(p));
  }
  return out;
}

RecordLabels resolve_labels(const RecordSet& records, const LabelFile& labels,
                            const std::filesystem::path& file) {
  std::unordered_map<std::string, std::uint32_t> index;
  index.reserve(records.size());
  for (std::size_t r = 0; r < records.size(); ++r)
    index.emplace(records.list_names[records.list[r]] + '\x1f' + records.id[r],
                  static_cast<std::uint32_t>(r));
  auto find = [&](const std::string& list, const std::string& id, std::size_t line) {
    const auto it = index.find(list + '\x1f' + id);
    if (it == index.end())
      throw bad_input(Location{.file = file.string(), .line = line},
                      fmt::format("no record {}:{} in the lists of this config", list, id));
    return it->second;
  };
  RecordLabels out;
  for (const LabelledPair& p : labels.pairs) {
    const std::uint64_t pair =
        pack_pair(find(p.list_a, p.id_a, p.line), find(p.list_b, p.id_b, p.line));
    (p.match ? out.matches : out.non_matches).push_back(pair);
  }
  std::sort(out.matches.begin(), out.matches.end());
  std::sort(out.non_matches.begin(), out.non_matches.end());
  return out;
}

LabelMerge merge_labelled_pairs(const std::filesystem::path& reviewed,
                                const std::filesystem::path& labels) {
  LabelMerge merge;
  std::map<PairKey, bool> decisions;
  std::error_code ec;
  if (std::filesystem::exists(labels, ec))
    for (const LabelledPair& p : read_labelled_pairs(labels).pairs)
      decisions[key_of(p)] = p.match;
  const LabelFile incoming = read_labelled_pairs(reviewed);
  merge.undecided = incoming.undecided;
  for (const LabelledPair& p : incoming.pairs) {
    const auto [it, inserted] = decisions.emplace(key_of(p), p.match);
    if (inserted)
      ++merge.added;
    else if (it->second != p.match)
      ++merge.replaced;
    else
      ++merge.unchanged;
    it->second = p.match;
  }
  std::string out = "list_a,id_a,list_b,id_b,decision\n";
  for (const auto& [k, match] : decisions) {
    const auto& [list_a, id_a, list_b, id_b] = k;
    out += csv_line({list_a, id_a, list_b, id_b, match ? "match" : "non-match"}) + '\n';
  }
  write_file(labels, out, true);
  merge.total = decisions.size();
  return merge;
}

}  // namespace recount::linkage
