#include "recount/mse/estimate.hpp"

namespace recount::mse {

namespace {

nlohmann::json optional_number(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
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

}  // namespace recount::mse
