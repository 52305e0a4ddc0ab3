// The fuller check of the estimate with linkage uncertainty (the statistical test does the
// log-linear one): LCMCR on simulated lists with the true linkage known (simulated_linkage.hpp,
// 2,000 people, three independent unique lists), 20 linkage draws per replication, pooled
// posteriors.
//
//   uncertainty_coverage [replications] [people] [first] [burnin]
//
// runs replications first .. first + replications - 1 (seeds 5000 + r), so that a long check can
// run in pieces, and prints one line per replication:
//   replication R: covers C contains T best B truth U rhat H within W trusted X
// (1 or 0: the interval with linkage uncertainty covers N, contains the LCMCR estimate on the true
// captures; the best-linkage and the true-captures intervals cover N; the worst R-hat of N of a
// linkage draw's chains; the within-draw R-hat pooled over the draws, which decides, with the
// summed ESS, whether the pooled estimate is trusted (X)), then the coverages of the replications
// it ran, each checked against 0.95 less three binomial standard errors of a coverage from that
// many replications. uncertainty_coverage.sh runs the pieces and checks their sum the same way. The
// LCMCR runs on the linkage draws are the study's (2 chains a draw, linkage_uncertainty.hpp's
// per-draw burn-in and thinning); `burnin` shortens the two single runs (best linkage, true
// captures; default lcmcr.hpp's 50,000 sweeps, 3,000 samples thinned by 100): burnin sweeps, then
// burnin / 10 samples thinned by 10.

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "../../tests/linkage/simulated_linkage.hpp"
#include "recount/linkage/partition_sampler.hpp"
#include "recount/mse/lcmcr.hpp"
#include "recount/mse/linkage_uncertainty.hpp"

namespace {

bool inside(const std::optional<double>& lo, const std::optional<double>& hi, double x) {
  return lo && hi && *lo <= x && x <= *hi;
}

}  // namespace

int main(int argc, char** argv) {
  const int replications = argc > 1 ? std::atoi(argv[1]) : 100;
  const std::size_t people = argc > 2 ? static_cast<std::size_t>(std::atol(argv[2])) : 2000;
  const int first = argc > 3 ? std::atoi(argv[3]) : 0;
  const int burnin = argc > 4 ? std::atoi(argv[4]) : -1;
  if (replications < 1 || people < 100 || first < 0 || (argc > 4 && burnin < 100)) {
    std::fprintf(stderr,
                 "usage: uncertainty_coverage [replications >= 1] [people >= 100] [first >= 0] "
                 "[burnin >= 100]\n");
    return 2;
  }
  namespace mse = recount::mse;
  // The linkage draws' LCMCR runs as the study's do (linkage_uncertainty.hpp's per-draw
  // defaults); `burnin` shortens only the single runs on the best linkage and the true captures.
  mse::LinkageUncertaintyOptions options;
  options.lcmcr.progress = false;
  mse::LcmcrOptions single = options.lcmcr;
  if (burnin > 0) {
    single.burnin = burnin;
    single.thin = 10;
    single.samples = burnin / 10;
  }
  int covers = 0, contains = 0, best_covers = 0, truth_covers = 0, trusted = 0;
  for (int r = first; r < first + replications; ++r) {
    const auto s = recount::testing::simulate_linkage(people, 5000 + static_cast<std::uint64_t>(r));
    recount::linkage::PartitionSamplerOptions sampler;
    sampler.seed = static_cast<std::uint64_t>(r) + 1;
    const auto draws = recount::linkage::sample_partitions(s.problem, sampler, false);
    mse::LinkageDrawTables tables;
    for (const auto& entity : draws.entity)
      tables.push_back({recount::testing::captures_of(entity, s.problem.list)});
    options.lcmcr.seed = static_cast<std::uint64_t>(r) + 1;
    single.seed = options.lcmcr.seed;
    const mse::LinkageUncertainty with =
        mse::estimate_with_linkage_uncertainty(tables, "lcmcr", options);
    const mse::MseResult truth = mse::estimate_lcmcr(s.truth, single);
    const mse::MseResult best = mse::estimate_lcmcr(s.best, single);
    const double n = static_cast<double>(people);
    const bool c = inside(with.lower, with.upper, n);
    const bool t = truth.estimate && inside(with.lower, with.upper, *truth.estimate);
    const bool b = inside(best.lower, best.upper, n);
    const bool u = inside(truth.lower, truth.upper, n);
    covers += c;
    contains += t;
    best_covers += b;
    truth_covers += u;
    trusted += with.trusted;
    std::printf(
        "replication %d: covers %d contains %d best %d truth %d rhat %.3f within %.4f trusted %d\n",
        r, c, t, b, u, with.diagnostics.value("rhat_max_per_draw", 1.0),
        with.diagnostics.value("rhat_within_draws", 1.0), with.trusted ? 1 : 0);
    std::fflush(stdout);
  }
  // A coverage estimated from k replications has binomial standard error sqrt(c (1 - c) / k);
  // the check asks for the nominal 0.95 less three of them at c = 0.95 (0.065 at k = 100).
  const double k = replications;
  const double floor = 0.95 - 3 * std::sqrt(0.95 * 0.05 / k);
  auto line = [k](const char* what, int hits) {
    const double c = hits / k;
    std::printf("%-58s %.3f (binomial s.e. %.3f)\n", what, c, std::sqrt(c * (1 - c) / k));
  };
  std::printf("LCMCR, %d replications of %zu people, 20 linkage draws, 95%% intervals\n",
              replications, people);
  line("interval with linkage uncertainty covers N", covers);
  line("... contains the estimate on the true captures", contains);
  line("best-linkage interval covers N", best_covers);
  line("true-captures interval covers N", truth_covers);
  line("pooled estimate trusted (within-draw R-hat, summed ESS)", trusted);
  const bool pass = covers / k >= floor && contains / k >= floor;
  std::printf("%s: both coverages with linkage uncertainty at least %.3f (0.95 less 3 s.e.)\n",
              pass ? "PASS" : "FAIL", floor);
  return pass ? 0 : 1;
}
