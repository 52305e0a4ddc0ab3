#include "recount/mse/estimate.hpp"

#include <tuple>

namespace recount::mse {

namespace {

// An [lower, upper] pair, either end null when open; absent: both open.
std::pair<std::optional<double>, std::optional<double>> interval_of(const JsonFields& fields) {
  const auto ends = fields.numbers("interval");
  if (ends.empty()) return {};
  if (ends.size() != 2) throw fields.error("interval", "must be [lower, upper]");
  return {ends[0], ends[1]};
}

}  // namespace

nlohmann::json to_json(const MseResult& result) {
  nlohmann::json out = nlohmann::json::object();
  out["method"] = result.method;
  if (!result.stratum.empty()) out["stratum"] = result.stratum;
  out["lists"] = result.lists;
  out["observed"] = result.observed;
  out["estimate"] = optional_number(result.estimate);
  out["se"] = optional_number(result.se);
  out["interval"] =
      nlohmann::json::array({optional_number(result.lower), optional_number(result.upper)});
  out["level"] = result.level;
  out["model"] = result.model;
  nlohmann::json models = nlohmann::json::array();
  for (const ModelSummary& m : result.models) {
    models.push_back(
        {{"model", m.model},
         {"estimate", optional_number(m.estimate)},
         {"interval", nlohmann::json::array({optional_number(m.lower), optional_number(m.upper)})},
         {"criterion", m.criterion},
         {"weight", m.weight}});
  }
  out["models"] = std::move(models);
  out["diagnostics"] = result.diagnostics;
  out["warnings"] = result.warnings;
  out["trusted"] = result.trusted;
  return out;
}

MseResult mse_result_from_json(const JsonFields& f) {
  MseResult r;
  r.method = f.string("method");
  r.stratum = f.string("stratum");
  r.lists = f.strings("lists");
  r.observed = f.number("observed").value_or(0);
  r.estimate = f.number("estimate");
  r.se = f.number("se");
  std::tie(r.lower, r.upper) = interval_of(f);
  r.level = f.number("level").value_or(r.level);
  r.model = f.string("model");
  for (const JsonFields& m : f.objects("models")) {
    ModelSummary summary;
    summary.model = m.string("model");
    summary.estimate = m.number("estimate");
    std::tie(summary.lower, summary.upper) = interval_of(m);
    summary.criterion = m.real("criterion");
    summary.weight = m.real("weight");
    r.models.push_back(std::move(summary));
  }
  if (const nlohmann::json& d = f.raw("diagnostics"); !d.is_null()) r.diagnostics = d;
  r.warnings = f.strings("warnings");
  r.trusted = f.boolean("trusted", true);
  return r;
}

}  // namespace recount::mse
