#include "recount/linkage/explain.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "recount/core/error.hpp"
#include "recount/core/svg.hpp"
#include "recount/linkage/blocking.hpp"
#include "recount/linkage/labels.hpp"
#include "recount/linkage/saved_run.hpp"

namespace recount::linkage {

nlohmann::json PairExplanation::to_json() const {
  nlohmann::json fs = nlohmann::json::array();
  for (const FieldExplanation& f : fields) {
    nlohmann::json j = {{"field", f.field},   {"level", f.level},
                        {"m", f.m},           {"u", f.u},
                        {"weight", f.weight}, {"tf_adjustment", f.tf_adjustment}};
    if (show_names) {
      j["a"] = f.value_a;
      j["b"] = f.value_b;
    }
    fs.push_back(std::move(j));
  }
  return {
      {"a", record_a},
      {"b", record_b},
      {"fields", fs},
      {"prior_log2_odds", prior_log2_odds},
      {"log2_odds", log2_odds},
      {"probability", probability},
      {"threshold", threshold},
      {"override", override_reason.empty() ? nlohmann::json() : nlohmann::json(override_reason)},
      {"entity_a", entity_a},
      {"entity_b", entity_b},
      {"same_entity", same_entity()}};
}

PairExplanation explain_pair(const LinkConfig& config, const std::filesystem::path& out_dir,
                             const std::string& a, const std::string& b, bool show_names) {
  const SavedRun run = load_saved_run(config, out_dir, show_names);
  const RecordSet& records = run.records;
  const LinkModel& model = run.model;
  const std::uint32_t ia = find_record(records, a);
  const std::uint32_t ib = find_record(records, b);

  PairExplanation out;
  out.record_a = a;
  out.record_b = b;
  out.show_names = show_names;
  out.threshold = run.threshold;
  const Scorer scorer(records, model, &run.external);
  out.prior_log2_odds = model.prior_log2_odds(records.list[ia] == records.list[ib]);
  double total = out.prior_log2_odds;
  for (std::size_t f = 0; f < model.fields.size(); ++f) {
    const FieldModel& fm = model.fields[f];
    const int l = scorer.comparer().level(f, ia, ib);
    const auto level = static_cast<std::size_t>(l);
    FieldExplanation fe;
    fe.field = fm.name;
    if (show_names) {
      fe.value_a = records.text[ia][f];
      fe.value_b = records.text[ib][f];
    }
    fe.level = fm.levels[level];
    fe.weight = fm.weight[level];
    fe.m = fm.m[level];
    fe.u = fm.u[level];
    if (fm.term_frequency && is_agreement(fm.comparator, l))
      fe.tf_adjustment = scorer.tf_adjustment(f, ia);
    total += fe.weight + fe.tf_adjustment;
    out.fields.push_back(std::move(fe));
  }
  out.log2_odds = total;
  out.probability = probability_of(total);

  // The run's overrides, in its order: a reviewer's label wins over a deterministic rule.
  const std::uint64_t pair = pack_pair(ia, ib);
  for (const BlockingRule& rule : config.model.deterministic) {
    const std::vector<std::uint64_t> keys = rule_keys(records, rule);
    if (keys[ia] != 0 && keys[ia] == keys[ib])
      out.override_reason =
          fmt::format("linked outright by the deterministic rule {}", rule.label());
  }
  if (!config.model.labels.empty()) {
    const RecordLabels labels =
        resolve_labels(records, read_labelled_pairs(config.model.labels), config.model.labels);
    if (std::binary_search(labels.matches.begin(), labels.matches.end(), pair))
      out.override_reason = "labelled a match by a reviewer ([model] labels)";
    if (std::binary_search(labels.non_matches.begin(), labels.non_matches.end(), pair))
      out.override_reason = "labelled a non-match by a reviewer ([model] labels)";
  }
  out.entity_a = run.entity[ia];
  out.entity_b = run.entity[ib];
  return out;
}

std::string waterfall_svg(const PairExplanation& e) {
  struct Step {
    std::string label;
    double delta;
  };
  std::vector<Step> steps{{"prior", e.prior_log2_odds}};
  for (const FieldExplanation& f : e.fields) {
    std::string label = fmt::format("{}: {}", f.field, f.level);
    if (e.show_names && (!f.value_a.empty() || !f.value_b.empty()))
      label += fmt::format(" ({} / {})", f.value_a.empty() ? "-" : f.value_a,
                           f.value_b.empty() ? "-" : f.value_b);
    steps.push_back({label, f.weight});
    if (f.tf_adjustment != 0) steps.push_back({f.field + ": term frequency", f.tf_adjustment});
  }
  double running = 0, lo = 0, hi = 0;
  for (const Step& s : steps) {
    running += s.delta;
    lo = std::min(lo, running);
    hi = std::max(hi, running);
  }
  lo = std::min(lo, std::floor(log2_odds_of(e.threshold)));
  hi = std::max(hi, std::ceil(log2_odds_of(e.threshold)));
  const double label_w = 300, plot_w = 420, row_h = 22, top = 40;
  const double height = top + row_h * static_cast<double>(steps.size() + 1) + 40;
  const auto x = [&](double v) { return label_w + (v - lo) / (hi - lo) * plot_w; };
  std::string svg = svg_open(label_w + plot_w + 20, height);
  svg += svg_text(10, 20,
                  fmt::format("{} and {}: match weight (log2 odds), probability {:.4g}", e.record_a,
                              e.record_b, e.probability),
                  "start", true);
  running = 0;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const double y = top + row_h * static_cast<double>(i);
    const double from = running, to = running + steps[i].delta;
    running = to;
    const char* colour = i == 0 ? "#888888" : steps[i].delta >= 0 ? "#2b8cbe" : "#d95f0e";
    svg += svg_rect(x(std::min(from, to)), y + 3, std::max(1.0, std::abs(x(to) - x(from))),
                    row_h - 6, colour);
    svg += svg_text(label_w - 8, y + row_h * 0.7, steps[i].label, "end", false);
    svg += svg_text(x(std::max(from, to)) + 4, y + row_h * 0.7,
                    fmt::format("{:+.2f}", steps[i].delta), "start", false);
  }
  const double y_total = top + row_h * static_cast<double>(steps.size());
  svg += svg_rect(x(std::min(0.0, running)), y_total + 3,
                  std::max(1.0, std::abs(x(running) - x(0))), row_h - 6, "#444444");
  svg += svg_text(label_w - 8, y_total + row_h * 0.7, "total", "end", true);
  svg += svg_text(x(std::max(0.0, running)) + 4, y_total + row_h * 0.7,
                  fmt::format("{:.2f}", running), "start", true);
  const double t = log2_odds_of(e.threshold);
  svg += svg_line(x(t), top, x(t), y_total + row_h, "#cc0000", true);
  svg += svg_text(x(t), y_total + row_h + 16, fmt::format("threshold {}", e.threshold), "middle",
                  false);
  svg += svg_line(x(0), top, x(0), y_total + row_h, "#000000", false);
  svg += "</svg>\n";
  return svg;
}

}  // namespace recount::linkage
