#include "recount/mse/strata.hpp"

#include <cmath>

#include <fmt/format.h>
#include <boost/math/distributions/normal.hpp>

namespace recount::mse {

MseResult combine_strata(const std::vector<MseResult>& strata) {
  MseResult total;
  if (strata.empty()) return total;
  total.method = strata.front().method;
  total.lists = strata.front().lists;
  total.level = strata.front().level;
  total.stratum = "total";
  total.model = "sum over strata";
  const double z = boost::math::quantile(boost::math::normal(), 0.5 + total.level / 2);
  double estimate = 0;
  double variance = 0;
  bool complete = true;
  for (const MseResult& s : strata) {
    total.observed += s.observed;
    if (!s.trusted) total.trusted = false;
    if (!s.estimate) {
      complete = false;
      total.warnings.push_back(
          fmt::format("stratum '{}' has no estimate, so the total has none", s.stratum));
      continue;
    }
    estimate += *s.estimate;
    double se = 0;
    if (s.se) {
      se = *s.se;
    } else if (s.lower && s.upper) {
      se = (*s.upper - *s.lower) / (2 * z);
    } else {
      complete = false;
      total.warnings.push_back(
          fmt::format("stratum '{}' has an unbounded interval, so the total's is too", s.stratum));
    }
    variance += se * se;
  }
  total.diagnostics["strata"] = strata.size();
  if (!complete && estimate == 0) return total;
  bool all_estimated = true;
  for (const MseResult& s : strata)
    if (!s.estimate) all_estimated = false;
  if (!all_estimated) return total;
  total.estimate = estimate;
  const double se = std::sqrt(variance);
  total.se = se;
  const double unseen = estimate - total.observed;
  if (complete && unseen > 0) {
    const double c = std::exp(z * std::sqrt(std::log(1 + se * se / (unseen * unseen))));
    total.lower = total.observed + unseen / c;
    total.upper = total.observed + unseen * c;
  } else if (complete) {
    total.lower = total.observed;
    total.upper = total.observed;
  }
  return total;
}

nlohmann::json strata_to_json(const std::vector<MseResult>& strata) {
  if (strata.size() == 1) return to_json(strata.front());
  nlohmann::json out = to_json(combine_strata(strata));
  nlohmann::json each = nlohmann::json::array();
  for (const MseResult& s : strata)
    each.push_back(to_json(s));
  out["strata"] = std::move(each);
  return out;
}

}  // namespace recount::mse
