#include "recount/linkage/evaluate.hpp"

#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "recount/core/csv.hpp"
#include "recount/core/error.hpp"
#include "recount/core/text.hpp"

namespace recount::linkage {

namespace {

std::uint64_t pairs_of(std::uint64_t n) {
  return n * (n - 1) / 2;
}

double harmonic(double p, double r) {
  return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

}  // namespace

nlohmann::json LinkEvaluation::to_json() const {
  return {
      {"records", records},
      {"entities", entities},
      {"people", people},
      {"pairwise",
       {{"precision", precision},
        {"recall", recall},
        {"f1", f1},
        {"predicted_pairs", predicted_pairs},
        {"true_pairs", true_pairs},
        {"correct_pairs", correct_pairs}}},
      {"bcubed", {{"precision", bcubed_precision}, {"recall", bcubed_recall}, {"f1", bcubed_f1}}}};
}

LinkEvaluation evaluate_clusters(const std::vector<std::string>& predicted,
                                 const std::vector<std::string>& truth) {
  LinkEvaluation e;
  e.records = predicted.size();
  std::unordered_map<std::string, std::uint32_t> pred_ids, truth_ids;
  std::vector<std::uint32_t> p(predicted.size()), t(truth.size());
  for (std::size_t i = 0; i < predicted.size(); ++i) {
    p[i] =
        pred_ids.emplace(predicted[i], static_cast<std::uint32_t>(pred_ids.size())).first->second;
    t[i] = truth_ids.emplace(truth[i], static_cast<std::uint32_t>(truth_ids.size())).first->second;
  }
  e.entities = pred_ids.size();
  e.people = truth_ids.size();
  std::vector<std::uint64_t> pred_size(pred_ids.size(), 0), truth_size(truth_ids.size(), 0);
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint64_t> both;
  for (std::size_t i = 0; i < p.size(); ++i) {
    ++pred_size[p[i]];
    ++truth_size[t[i]];
    ++both[{p[i], t[i]}];
  }
  for (std::uint64_t s : pred_size)
    e.predicted_pairs += pairs_of(s);
  for (std::uint64_t s : truth_size)
    e.true_pairs += pairs_of(s);
  for (const auto& [k, n] : both)
    e.correct_pairs += pairs_of(n);
  e.precision = e.predicted_pairs ? static_cast<double>(e.correct_pairs) / e.predicted_pairs : 1.0;
  e.recall = e.true_pairs ? static_cast<double>(e.correct_pairs) / e.true_pairs : 1.0;
  e.f1 = harmonic(e.precision, e.recall);
  // B-cubed: per record, the share of its entity that is its person, and vice versa.
  double bp = 0, br = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double n = static_cast<double>(both[{p[i], t[i]}]);
    bp += n / static_cast<double>(pred_size[p[i]]);
    br += n / static_cast<double>(truth_size[t[i]]);
  }
  if (!p.empty()) {
    e.bcubed_precision = bp / static_cast<double>(p.size());
    e.bcubed_recall = br / static_cast<double>(p.size());
  }
  e.bcubed_f1 = harmonic(e.bcubed_precision, e.bcubed_recall);
  return e;
}

LinkEvaluation evaluate_link(const std::filesystem::path& entities_csv,
                             const std::filesystem::path& truth_csv) {
  CsvReader truth = CsvReader::open(truth_csv);
  const std::size_t tl = truth.require_column("list");
  const std::size_t ti = truth.require_column("id");
  const std::size_t tp = truth.require_column("person");
  std::unordered_map<std::string, std::pair<std::string, std::size_t>>
      person;  // key -> (person, line)
  CsvRecord row;
  while (truth.next(row)) {
    std::string key = fmt::format("{}\x1f{}", trim(row.fields[tl]), trim(row.fields[ti]));
    const auto [it, inserted] =
        person.emplace(std::move(key), std::make_pair(std::string(trim(row.fields[tp])), row.line));
    if (!inserted)
      throw bad_input(truth.at(row, ti),
                      fmt::format("record {}:{} repeated (first on line {})", trim(row.fields[tl]),
                                  trim(row.fields[ti]), it->second.second));
  }
  CsvReader entities = CsvReader::open(entities_csv);
  const std::size_t el = entities.require_column("list");
  const std::size_t ei = entities.require_column("id");
  const std::size_t ee = entities.require_column("entity");
  std::vector<std::string> predicted, actual;
  std::unordered_map<std::string, bool> used;
  while (entities.next(row)) {
    const std::string key = fmt::format("{}\x1f{}", trim(row.fields[el]), trim(row.fields[ei]));
    const auto it = person.find(key);
    if (it == person.end())
      throw bad_input(entities.at(row, ei),
                      fmt::format("record {}:{} is not in the truth file {}", trim(row.fields[el]),
                                  trim(row.fields[ei]), truth_csv.string()));
    if (!used.emplace(key, true).second) throw bad_input(entities.at(row, ei), "record repeated");
    predicted.emplace_back(trim(row.fields[ee]));
    actual.push_back(it->second.first);
  }
  if (used.size() != person.size()) {
    for (const auto& [key, value] : person)
      if (!used.contains(key))
        throw bad_input(Location{.file = truth_csv.string(), .line = value.second},
                        fmt::format("this record is not in {}", entities_csv.string()));
  }
  return evaluate_clusters(predicted, actual);
}

}  // namespace recount::linkage
