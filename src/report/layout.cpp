// The report's layout: which quantities it headlines and charts, derived from the study's
// settings, vocabulary and model.

#include <algorithm>
#include <map>
#include <set>

#include "recount/report/report.hpp"

namespace recount::report {

namespace {

// A quantity as the layout sees it: its population, measure and the model terms it sums.
struct QuantityInfo {
  std::string name;
  std::string population;
  std::string measure;
  std::set<std::string> terms;  // "stock:NAME" or "flow:NAME"; empty without the model
};

std::vector<QuantityInfo> known_quantities(const synthesis::Model* model,
                                           const synthesis::FitSummary* fit) {
  std::vector<QuantityInfo> out;
  if (model) {
    for (const auto& q : model->quantities) {
      QuantityInfo info{q.name, q.population, std::string(to_string(q.measure)), {}};
      for (const int t : q.terms)
        info.terms.insert(q.is_stock ? "stock:" + model->stocks[static_cast<std::size_t>(t)].name
                                     : "flow:" + model->flows[static_cast<std::size_t>(t)].name);
      out.push_back(std::move(info));
    }
    return out;
  }
  if (fit)
    for (const auto& series : fit->quantities) {
      const auto dot = series.name.find('.');
      if (dot == std::string::npos) continue;
      out.push_back({series.name, series.name.substr(0, dot), series.name.substr(dot + 1), {}});
    }
  return out;
}

// Where a measure falls in the order a reader follows people through (the order of the built-in
// measures: in, held, out; a study's own measures after them).
std::size_t measure_rank(const std::string& measure) {
  const auto& names = measure_names();
  const auto it = std::find(names.begin(), names.end(), measure);
  return static_cast<std::size_t>(it - names.begin());
}

std::vector<std::string> quantities_of(const std::vector<QuantityInfo>& all,
                                       const std::string& population) {
  std::vector<const QuantityInfo*> picked;
  for (const auto& q : all)
    if (q.population == population) picked.push_back(&q);
  std::stable_sort(picked.begin(), picked.end(), [](const auto* a, const auto* b) {
    return measure_rank(a->measure) < measure_rank(b->measure);
  });
  std::vector<std::string> out;
  for (const auto* q : picked)
    out.push_back(q->name);
  return out;
}

const QuantityInfo* find(const std::vector<QuantityInfo>& all, const std::string& population,
                         const std::string& measure) {
  for (const auto& q : all)
    if (q.population == population && q.measure == measure) return &q;
  return nullptr;
}

// Whether every quantity of `part` sums some of the terms of `whole`'s quantity of its measure.
bool sums_part_of(const std::vector<QuantityInfo>& all, const std::string& part,
                  const std::string& whole) {
  bool any = false;
  for (const auto& q : all) {
    if (q.population != part) continue;
    const QuantityInfo* w = find(all, whole, q.measure);
    if (!w || q.terms.empty() || q.terms.size() >= w->terms.size() ||
        !std::includes(w->terms.begin(), w->terms.end(), q.terms.begin(), q.terms.end()))
      return false;
    any = true;
  }
  return any;
}

std::string capitalised(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

}  // namespace

std::string quantity_label(const std::string& quantity, const Vocabulary& vocabulary) {
  const auto dot = quantity.find('.');
  const std::string population = dot == std::string::npos ? std::string() : quantity.substr(0, dot);
  const std::string measure = dot == std::string::npos ? quantity : quantity.substr(dot + 1);
  std::string out = capitalised(vocabulary.measure_label(Measure(measure)));
  if (!population.empty()) out += " (" + vocabulary.population_label(population) + ")";
  return out;
}

Layout derive_layout(const ReportSettings& settings, const Vocabulary& vocabulary,
                     const synthesis::Model* model, const synthesis::FitSummary* fit) {
  const std::vector<QuantityInfo> all = known_quantities(model, fit);
  std::vector<std::string> populations;
  for (const auto& q : all)
    if (std::find(populations.begin(), populations.end(), q.population) == populations.end())
      populations.push_back(q.population);

  Layout layout;
  if (!settings.headline.empty()) {
    const auto dot = settings.headline.front().find('.');
    layout.population = settings.headline.front().substr(0, dot);
  } else {
    // The widest population: its quantities sum the most terms (or, without the model, it has the
    // most quantities); the first in the model on a tie.
    std::size_t best = 0;
    for (const auto& p : populations) {
      std::size_t size = 0;
      for (const auto& q : all)
        if (q.population == p) size += q.terms.empty() ? 1 : q.terms.size();
      if (size > best) {
        best = size;
        layout.population = p;
      }
    }
  }
  layout.series = quantities_of(all, layout.population);
  layout.headline = settings.headline.empty() ? layout.series : settings.headline;
  layout.headline_subject = settings.headline_subject.empty()
                                ? capitalised(vocabulary.population_label(layout.population))
                                : settings.headline_subject;
  layout.breakdown_title =
      settings.breakdown_title.empty() ? std::string("By population") : settings.breakdown_title;
  if (!settings.breakdown.empty()) {
    layout.breakdown = settings.breakdown;
  } else {
    for (const auto& p : populations) {
      if (p == layout.population) continue;
      const bool declared_within =
          vocabulary.population(p) && vocabulary.contains(layout.population, p);
      if (declared_within || sums_part_of(all, p, layout.population)) layout.breakdown.push_back(p);
    }
  }
  for (const auto& q : all)
    if (q.population != layout.population &&
        std::find(layout.breakdown.begin(), layout.breakdown.end(), q.population) ==
            layout.breakdown.end())
      layout.others.push_back(q.name);
  return layout;
}

}  // namespace recount::report
