#include "recount/mcmc/run_check.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace recount::mcmc {

RunCheck check_run(const SampleResult& result, const std::vector<std::string>& names, int max_depth,
                   const RunThresholds& thresholds) {
  RunCheck check;
  const double inf = std::numeric_limits<double>::infinity();
  check.min_ess_bulk = inf;
  check.min_ess_tail = inf;
  check.min_ebfmi = inf;
  if (result.chains.empty()) return check;
  const auto chains = static_cast<double>(result.chains.size());
  const Eigen::Index columns = result.chains.front().draws.cols();
  const bool enough = result.chains.front().draws.rows() >= 4;
  std::string& worst_rhat = check.worst_rhat;
  std::string worst_bulk;
  std::string worst_tail;
  for (Eigen::Index j = 0; j < columns && enough; ++j) {
    ChainValues values;
    for (const ChainDraws& chain : result.chains) {
      values.emplace_back(chain.draws.col(j).data(),
                          chain.draws.col(j).data() + chain.draws.rows());
    }
    const std::string name = static_cast<std::size_t>(j) < names.size()
                                 ? names[static_cast<std::size_t>(j)]
                                 : fmt::format("parameter {}", j + 1);
    const double rhat = split_rhat(values);
    const double bulk = ess_bulk(values);
    const double tail = ess_tail(values);
    if (rhat > check.max_rhat) {
      check.max_rhat = rhat;
      worst_rhat = name;
    }
    if (bulk < check.min_ess_bulk) {
      check.min_ess_bulk = bulk;
      worst_bulk = name;
    }
    if (tail < check.min_ess_tail) {
      check.min_ess_tail = tail;
      worst_tail = name;
    }
  }
  for (const ChainDraws& chain : result.chains) {
    const double e = ebfmi(chain.energy);
    if (!std::isnan(e)) check.min_ebfmi = std::min(check.min_ebfmi, e);
  }
  check.divergences = result.divergences();
  check.max_depth_hits = result.max_depth_hits(max_depth);

  const double min_ess = thresholds.min_ess_per_chain * chains;
  if (check.max_rhat > thresholds.max_rhat) {
    check.failures.push_back(
        fmt::format("R-hat {:.3f} for {} (above {}): the chains disagree, they have not converged",
                    check.max_rhat, worst_rhat, thresholds.max_rhat));
  }
  if (check.min_ess_bulk < min_ess) {
    check.failures.push_back(fmt::format("bulk ESS {:.0f} for {} (below {:.0f}): draw more",
                                         check.min_ess_bulk, worst_bulk, min_ess));
  }
  if (check.min_ess_tail < min_ess) {
    check.failures.push_back(fmt::format(
        "tail ESS {:.0f} for {} (below {:.0f}): the 5% and 95% quantiles are unreliable",
        check.min_ess_tail, worst_tail, min_ess));
  }
  if (check.divergences > 0) {
    check.failures.push_back(fmt::format(
        "{} divergent transitions after warm-up: the posterior may be biased; raise the target "
        "acceptance or reparameterise",
        check.divergences));
  }
  if (check.min_ebfmi < thresholds.min_ebfmi) {
    check.failures.push_back(
        fmt::format("E-BFMI {:.2f} (below {}): the sampler explores the energy poorly",
                    check.min_ebfmi, thresholds.min_ebfmi));
  }
  if (check.max_depth_hits > 0) {
    check.notes.push_back(
        fmt::format("{} transitions hit the maximum tree depth {}: sampling is slow, not wrong",
                    check.max_depth_hits, max_depth));
  }
  return check;
}

}  // namespace recount::mcmc
