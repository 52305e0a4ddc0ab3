#include "recount/linkage/evaluate.hpp"

#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "recount/core/csv.hpp"
#include "recount/core/error.hpp"
#include "recount/core/svg.hpp"
#include "recount/core/text.hpp"
#include "recount/linkage/blocking.hpp"
#include "recount/linkage/labels.hpp"
#include "recount/linkage/saved_run.hpp"

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

namespace recount::linkage {

namespace {

void finish(std::uint64_t tp, std::uint64_t fp, std::uint64_t fn, double& precision, double& recall,
            double& f1) {
  precision = tp + fp > 0 ? static_cast<double>(tp) / static_cast<double>(tp + fp) : 1;
  recall = tp + fn > 0 ? static_cast<double>(tp) / static_cast<double>(tp + fn) : 1;
  f1 = harmonic(precision, recall);
}

}  // namespace

nlohmann::json LabelEvaluation::to_json() const {
  nlohmann::json curve_json = nlohmann::json::array();
  for (const ThresholdPoint& p : curve)
    curve_json.push_back({{"threshold", p.threshold},
                          {"true_positives", p.true_positives},
                          {"false_positives", p.false_positives},
                          {"false_negatives", p.false_negatives},
                          {"precision", p.precision},
                          {"recall", p.recall},
                          {"f1", p.f1}});
  return {{"labelled_matches", matches},
          {"labelled_non_matches", non_matches},
          {"labels_seen_by_run", labels_seen_by_run},
          {"entities",
           {{"precision", precision},
            {"recall", recall},
            {"f1", f1},
            {"true_positives", true_positives},
            {"false_positives", false_positives},
            {"false_negatives", false_negatives}}},
          {"threshold_curve", curve_json}};
}

LabelEvaluation evaluate_labels(const LinkConfig& config, const std::filesystem::path& out_dir,
                                const std::filesystem::path& labels_path) {
  const SavedRun run = load_saved_run(config, out_dir, false);
  const LabelFile file = read_labelled_pairs(labels_path);
  const RecordLabels labels = resolve_labels(run.records, file, labels_path);
  LabelEvaluation e;
  e.matches = labels.matches.size();
  e.non_matches = labels.non_matches.size();
  std::error_code ec;
  e.labels_seen_by_run = !config.model.labels.empty() &&
                         std::filesystem::equivalent(config.model.labels, labels_path, ec);
  const Scorer scorer(run.records, run.model, &run.external);
  std::vector<std::pair<float, bool>> scored;
  for (const auto* set : {&labels.matches, &labels.non_matches})
    for (std::uint64_t pair : *set) {
      const std::uint32_t a = pair_first(pair), b = pair_second(pair);
      const bool match = set == &labels.matches;
      scored.emplace_back(scorer.log2_odds(a, b), match);
      const bool joined = run.entity[a] == run.entity[b];
      if (joined && match) ++e.true_positives;
      if (joined && !match) ++e.false_positives;
      if (!joined && match) ++e.false_negatives;
    }
  finish(e.true_positives, e.false_positives, e.false_negatives, e.precision, e.recall, e.f1);
  // Thresholds from 0.001 to 0.999, evenly spaced in log-odds (where the decisions lie).
  for (int i = 0; i <= 40; ++i) {
    ThresholdPoint p;
    p.threshold = probability_of(-10 + 0.5 * i);
    const float t = static_cast<float>(-10 + 0.5 * i);
    for (const auto& [score, match] : scored) {
      if (score >= t && match) ++p.true_positives;
      if (score >= t && !match) ++p.false_positives;
      if (score < t && match) ++p.false_negatives;
    }
    finish(p.true_positives, p.false_positives, p.false_negatives, p.precision, p.recall, p.f1);
    e.curve.push_back(p);
  }
  return e;
}

std::string threshold_chart_svg(const LabelEvaluation& e) {
  const double left = 60, width = 520, top = 40, height = 260;
  const auto x = [&](double threshold) {
    return left + (log2_odds_of(threshold) + 10) / 20 * width;
  };
  const auto y = [&](double share) { return top + (1 - share) * height; };
  std::string svg = svg_open(left + width + 140, top + height + 60);
  svg += svg_text(left, 22,
                  fmt::format("Precision and recall against the threshold ({} labelled matches, "
                              "{} non-matches)",
                              e.matches, e.non_matches),
                  "start", true);
  svg += svg_line(left, top + height, left + width, top + height, "#000000", false);
  svg += svg_line(left, top, left, top + height, "#000000", false);
  for (double share : {0.0, 0.5, 1.0})
    svg += svg_text(left - 6, y(share) + 4, fmt::format("{}", share), "end", false);
  for (double t : {0.001, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999})
    svg += svg_text(x(t), top + height + 16, fmt::format("{}", t), "middle", false);
  svg += svg_text(left + width / 2, top + height + 36, "threshold (posterior match probability)",
                  "middle", false);
  std::vector<std::pair<double, double>> precision, recall;
  for (const ThresholdPoint& p : e.curve) {
    precision.emplace_back(x(p.threshold), y(p.precision));
    recall.emplace_back(x(p.threshold), y(p.recall));
  }
  svg += svg_polyline(precision, "#2b8cbe");
  svg += svg_polyline(recall, "#d95f0e");
  svg += svg_text(left + width + 10, y(0.9), "precision", "start", false);
  svg += svg_rect(left + width + 80, y(0.9) - 8, 20, 4, "#2b8cbe");
  svg += svg_text(left + width + 10, y(0.8), "recall", "start", false);
  svg += svg_rect(left + width + 80, y(0.8) - 8, 20, 4, "#d95f0e");
  svg += "</svg>\n";
  return svg;
}

}  // namespace recount::linkage
