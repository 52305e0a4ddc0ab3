#pragma once
// The result every multiple systems estimator returns; its JSON is `recount mse --json`.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "recount/core/json_fields.hpp"

namespace recount::mse {

// One candidate model in a selection or an average.
struct ModelSummary {
  std::string model;               // Rcapture notation, e.g. "[123,14,34]"
  std::optional<double> estimate;  // null when not identified
  std::optional<double> lower;     // null when unbounded or not identified
  std::optional<double> upper;
  double criterion = 0;  // AIC/AICc/BIC value, or log posterior weight for dga
  double weight = 0;     // criterion (Akaike/BIC) weight or posterior probability
};

struct MseResult {
  std::string method;   // loglinear, dga, lcmcr
  std::string stratum;  // empty unless one stratum of several
  std::vector<std::string> lists;
  double observed = 0;
  std::optional<double> estimate;  // MLE, or posterior median for dga and lcmcr
  std::optional<double> se;
  std::optional<double> lower;  // profile-likelihood or equal-tailed credible interval
  std::optional<double> upper;
  double level = 0.95;
  std::string model;
  std::vector<ModelSummary> models;
  nlohmann::json diagnostics = nlohmann::json::object();
  std::vector<std::string> warnings;
  bool trusted = true;  // false: not identified, failed diagnostics, did not converge (exit 4)
};

// {"method", "lists", "observed", "estimate", "se", "interval": [lo, hi], "level", "model",
//  "models": [...], "diagnostics", "warnings"} with nulls for absent values.
[[nodiscard]] nlohmann::json to_json(const MseResult& result);
// to_json's object read back (a cached stage's estimates.json); bad input naming the field.
[[nodiscard]] MseResult mse_result_from_json(const JsonFields& fields);

}  // namespace recount::mse
