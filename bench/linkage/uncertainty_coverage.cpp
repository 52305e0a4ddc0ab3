// The fuller check of the estimate with linkage uncertainty (the statistical test does the
// log-linear one): LCMCR on simulated lists with the true linkage known (simulated_linkage.hpp,
// 2,000 people, three independent unique lists), 20 linkage draws per replication, pooled
// posteriors. Prints, over the replications (argument 1, default 100; argument 2 the number of
// people), how often the 95% interval with linkage uncertainty covers the true N and contains
// the LCMCR estimate on the true captures, against the best-linkage interval's coverage, with
// the binomial standard error of each. Each replication runs 4 x 21 LCMCR chains: about a minute
// of CPU per replication at the default chain length, so a full run takes hours.

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
  if (replications < 1 || people < 100) {
    std::fprintf(stderr, "usage: uncertainty_coverage [replications >= 1] [people >= 100]\n");
    return 2;
  }
  namespace mse = recount::mse;
  mse::LinkageUncertaintyOptions options;
  options.lcmcr.progress = false;
  int covers = 0, contains = 0, best_covers = 0, truth_covers = 0;
  for (int r = 0; r < replications; ++r) {
    const auto s = recount::testing::simulate_linkage(people, 5000 + static_cast<std::uint64_t>(r));
    recount::linkage::PartitionSamplerOptions sampler;
    sampler.seed = static_cast<std::uint64_t>(r) + 1;
    const auto draws = recount::linkage::sample_partitions(s.problem, sampler, false);
    mse::LinkageDrawTables tables;
    for (const auto& entity : draws.entity)
      tables.push_back({recount::testing::captures_of(entity, s.problem.list)});
    options.lcmcr.seed = static_cast<std::uint64_t>(r) + 1;
    const mse::LinkageUncertainty with =
        mse::estimate_with_linkage_uncertainty(tables, "lcmcr", options);
    mse::LcmcrOptions single = options.lcmcr;
    const mse::MseResult truth = mse::estimate_lcmcr(s.truth, single);
    const mse::MseResult best = mse::estimate_lcmcr(s.best, single);
    const double n = static_cast<double>(people);
    covers += inside(with.lower, with.upper, n) ? 1 : 0;
    contains += truth.estimate && inside(with.lower, with.upper, *truth.estimate) ? 1 : 0;
    best_covers += inside(best.lower, best.upper, n) ? 1 : 0;
    truth_covers += inside(truth.lower, truth.upper, n) ? 1 : 0;
    std::fprintf(stderr, "replication %d/%d: with linkage uncertainty %s\n", r + 1, replications,
                 with.estimate ? std::to_string(*with.estimate).c_str() : "none");
  }
  const double k = replications;
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
  return 0;
}
