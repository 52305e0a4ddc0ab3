#pragma once
// One way from a method's name to its estimate, shared by `recount mse` and the study's MSE
// stage, so that both give the same results and the same JSON.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "recount/mse/capture_table.hpp"
#include "recount/mse/dga.hpp"
#include "recount/mse/estimate.hpp"
#include "recount/mse/heterogeneity.hpp"
#include "recount/mse/lcmcr.hpp"
#include "recount/mse/linkage_uncertainty.hpp"
#include "recount/mse/loglinear.hpp"
#include "recount/mse/strata.hpp"

namespace recount::mse {

// The methods by name: loglinear, dga, lcmcr.
[[nodiscard]] const std::vector<std::string>& method_names();

// Every method's options; `level` is copied into each.
struct MethodOptions {
  double level = 0.95;
  LogLinearOptions loglinear;
  std::optional<Heterogeneity> heterogeneity;  // loglinear: an Mth model instead of selection
  DgaOptions dga;
  LcmcrOptions lcmcr;
};

// One method over every stratum of a captures file: each stratum's result, and their total
// (combine_strata) when there are several, else the one result; given linkage draws, also the
// method on every draw, combined (linkage_uncertainty.hpp).
struct MethodEstimate {
  std::string method;
  std::vector<MseResult> strata;
  MseResult total;
  std::optional<LinkageUncertainty> with_linkage_uncertainty;
  // strata_to_json, plus "with_linkage_uncertainty" (to_json of linkage_uncertainty.hpp) when
  // there is one: the object `recount mse --json` prints and the study's estimates.json holds.
  [[nodiscard]] nlohmann::json json() const;
};

// json()'s object read back (a cached stage's estimates.json, `recount mse --json`): bad input
// naming `file` and the field when it is not one.
[[nodiscard]] MethodEstimate method_estimate_from_json(const JsonFields& fields);

// A method's estimate of one table; an unknown method is a usage error.
[[nodiscard]] MseResult estimate_method(const CaptureTable& table, std::string_view method,
                                        const MethodOptions& options);
[[nodiscard]] MethodEstimate estimate_method(const std::vector<CaptureTable>& tables,
                                             std::string_view method, const MethodOptions& options);

// The options of the estimates on linkage draws that match `options`: the same model choice,
// LCMCR classes, seed and level, and its burn-in, samples and thinning when given (each draw's
// LCMCR chains otherwise as linkage_uncertainty.hpp sets them).
[[nodiscard]] LinkageUncertaintyOptions linkage_uncertainty_options(const MethodOptions& options);

// As above and, when `linkage_draws` holds any, the method on every draw combined
// (estimate_with_linkage_uncertainty). Linkage draws with options.heterogeneity are a usage
// error: the Mth models do not take them.
[[nodiscard]] MethodEstimate estimate_method(const std::vector<CaptureTable>& tables,
                                             std::string_view method, const MethodOptions& options,
                                             const LinkageDrawTables& linkage_draws);

}  // namespace recount::mse
