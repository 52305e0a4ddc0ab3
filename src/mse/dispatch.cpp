#include "recount/mse/dispatch.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "recount/core/error.hpp"

namespace recount::mse {

const std::vector<std::string>& method_names() {
  static const std::vector<std::string> names{"loglinear", "dga", "lcmcr"};
  return names;
}

MseResult estimate_method(const CaptureTable& table, std::string_view method,
                          const MethodOptions& options) {
  if (method == "loglinear") {
    if (options.heterogeneity)
      return estimate_heterogeneity(table, *options.heterogeneity, options.level);
    LogLinearOptions o = options.loglinear;
    o.level = options.level;
    return estimate_loglinear(table, o);
  }
  if (method == "dga") {
    DgaOptions o = options.dga;
    o.level = options.level;
    return estimate_dga(table, o);
  }
  if (method == "lcmcr") {
    LcmcrOptions o = options.lcmcr;
    o.level = options.level;
    return estimate_lcmcr(table, o);
  }
  throw usage_error(
      fmt::format("unknown MSE method `{}` (use {})", method, fmt::join(method_names(), ", ")));
}

nlohmann::json MethodEstimate::json() const {
  nlohmann::json out = strata_to_json(strata);
  if (with_linkage_uncertainty)
    out["with_linkage_uncertainty"] = to_json(*with_linkage_uncertainty);
  return out;
}

MethodEstimate method_estimate_from_json(const JsonFields& f) {
  MethodEstimate e;
  e.total = mse_result_from_json(f);
  e.method = e.total.method;
  // strata_to_json: one stratum is the total itself; several are listed under "strata".
  for (const JsonFields& s : f.objects("strata"))
    e.strata.push_back(mse_result_from_json(s));
  if (e.strata.empty()) e.strata.push_back(e.total);
  if (f.has("with_linkage_uncertainty"))
    e.with_linkage_uncertainty =
        linkage_uncertainty_from_json(f.object("with_linkage_uncertainty"));
  return e;
}

MethodEstimate estimate_method(const std::vector<CaptureTable>& tables, std::string_view method,
                               const MethodOptions& options) {
  MethodEstimate out;
  out.method = std::string(method);
  for (const auto& table : tables)
    out.strata.push_back(estimate_method(table, method, options));
  out.total = out.strata.size() == 1 ? out.strata.front() : combine_strata(out.strata);
  return out;
}

LinkageUncertaintyOptions linkage_uncertainty_options(const MethodOptions& options) {
  LinkageUncertaintyOptions out;
  out.loglinear = options.loglinear;
  out.dga = options.dga;
  out.lcmcr = options.lcmcr;
  out.level = options.level;
  return out;
}

MethodEstimate estimate_method(const std::vector<CaptureTable>& tables, std::string_view method,
                               const MethodOptions& options,
                               const LinkageDrawTables& linkage_draws) {
  if (!linkage_draws.empty() && options.heterogeneity)
    throw usage_error(
        "linkage draws apply to model selection or a given model, not to heterogeneity models");
  MethodEstimate out = estimate_method(tables, method, options);
  if (!linkage_draws.empty())
    out.with_linkage_uncertainty = estimate_with_linkage_uncertainty(
        linkage_draws, std::string(method), linkage_uncertainty_options(options));
  return out;
}

}  // namespace recount::mse
