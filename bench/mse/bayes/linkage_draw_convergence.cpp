// Is LCMCR on linkage draws failing to converge, or is its check wrong? For replications of the
// coverage bench's simulation (tests/linkage/simulated_linkage.hpp: 2,000 people, three unique
// lists, 20 linkage draws from the partition sampler), the chains of each linkage draw as
// estimate_with_linkage_uncertainty runs them (2 chains a draw, 10,000 burn-in sweeps, 500 draws
// thinned by 10), and:
//  - per draw, the split R-hat and bulk ESS of N of its two chains: their worst and median over
//    the draws, and how many draws exceed R-hat 1.1; and the within-draw R-hat pooled over the
//    draws (mcmc::within_group_rhat), the check estimate_with_linkage_uncertainty applies;
//  - the R-hat of all 40 chains pooled across draws, which also measures how far apart the
//    linkages' posteriors are (a real spread, not non-convergence);
//  - the same short chains on ONE table 20 times over (the best linkage's captures, 20 pairs of
//    independent chains): how often a pair exceeds 1.1 when there is no between-linkage spread
//    at all, against
//  - two long chains on that table (10,000 burn-in sweeps, 5,000 draws thinned by 100), whose
//    R-hat, ESS and quantiles of N say whether the short chains sample the same posterior.
//
//   linkage_draw_convergence [replications] [people] [thin] [first]
//
// `thin` changes the linkage draws' thinning (default linkage_uncertainty.hpp's) to see how long
// their chains must be; replications first .. first + replications - 1 (seeds 5000 + r, as the
// coverage bench). Prints one block per replication; about 10 processor-seconds each.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

#include "../../../tests/linkage/simulated_linkage.hpp"
#include "recount/linkage/partition_sampler.hpp"
#include "recount/mcmc/diagnostics.hpp"
#include "recount/mse/lcmcr.hpp"
#include "recount/mse/linkage_uncertainty.hpp"

namespace {

namespace mse = recount::mse;
namespace mcmc = recount::mcmc;

// The check this bench was written to examine: each draw's two-chain R-hat at most 1.1.
constexpr double former_bound = 1.1;

double processor_seconds() {
  return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

double median(std::vector<double> x) {
  return mcmc::quantile(std::move(x), 0.5);
}

// Two chains as a linkage draw's are run: streams 2 s and 2 s + 1 of the seed.
mcmc::ChainValues chain_pair(const mse::CaptureTable& table, const mse::LcmcrOptions& run,
                             std::uint64_t s) {
  mcmc::ChainValues chains;
  for (std::uint64_t c = 0; c < 2; ++c)
    chains.push_back(mse::detail::lcmcr_chain(table, run, {}, 2 * s + c).population);
  return chains;
}

struct PairStatistics {
  std::vector<double> rhat, ess;
  int above = 0;
  std::vector<mcmc::ChainValues> groups;
};

void print_pairs(const char* what, const PairStatistics& p) {
  std::printf(
      "  %-34s R-hat worst %.3f median %.3f, above 1.1: %d of %zu; ESS (2 chains) "
      "median %.0f, least %.0f; within-draw R-hat pooled over the draws %.4f\n",
      what, *std::max_element(p.rhat.begin(), p.rhat.end()), median(p.rhat), p.above, p.rhat.size(),
      median(p.ess), *std::min_element(p.ess.begin(), p.ess.end()),
      mcmc::within_group_rhat(p.groups));
}

}  // namespace

int main(int argc, char** argv) {
  const int replications = argc > 1 ? std::atoi(argv[1]) : 2;
  const std::size_t people = argc > 2 ? static_cast<std::size_t>(std::atol(argv[2])) : 2000;
  const int thin = argc > 3 ? std::atoi(argv[3]) : mse::lcmcr_thin_per_draw;
  const int first = argc > 4 ? std::atoi(argv[4]) : 0;
  if (replications < 1 || people < 100 || thin < 1 || first < 0) {
    std::fprintf(stderr,
                 "usage: linkage_draw_convergence [replications >= 1] [people >= 100] [thin >= 1] "
                 "[first >= 0]\n");
    return 2;
  }
  mse::LcmcrOptions run;
  run.progress = false;
  run.burnin = mse::lcmcr_burnin_per_draw;
  run.thin = thin;
  run.samples = mse::lcmcr_samples_per_draw;
  mse::LcmcrOptions long_run = run;
  long_run.samples = 5000;
  long_run.thin = 100;
  for (int r = first; r < first + replications; ++r) {
    const double start = processor_seconds();
    const auto s = recount::testing::simulate_linkage(people, 5000 + static_cast<std::uint64_t>(r));
    recount::linkage::PartitionSamplerOptions sampler;
    sampler.seed = static_cast<std::uint64_t>(r) + 1;
    const auto draws = recount::linkage::sample_partitions(s.problem, sampler, false);
    run.seed = long_run.seed = static_cast<std::uint64_t>(r) + 1;
    std::printf(
        "replication %d: %zu people, %zu linkage draws, observed %.0f on the best linkage\n", r,
        people, draws.entity.size(), s.best.observed());
    PairStatistics per_draw;
    mcmc::ChainValues pooled;
    std::vector<double> medians;
    for (std::size_t d = 0; d < draws.entity.size(); ++d) {
      const auto table = recount::testing::captures_of(draws.entity[d], s.problem.list);
      const auto chains = chain_pair(table, run, d);
      per_draw.rhat.push_back(mcmc::split_rhat(chains));
      per_draw.ess.push_back(mcmc::ess_bulk(chains));
      per_draw.above += per_draw.rhat.back() > former_bound ? 1 : 0;
      per_draw.groups.push_back(chains);
      per_draw.groups.push_back(chains);
      std::vector<double> both = chains[0];
      both.insert(both.end(), chains[1].begin(), chains[1].end());
      medians.push_back(median(both));
      pooled.insert(pooled.end(), chains.begin(), chains.end());
    }
    print_pairs("per linkage draw (2 chains each):", per_draw);
    std::printf(
        "  pooled across the %zu draws (%zu chains): R-hat %.3f; the draws' medians of N "
        "%.0f-%.0f\n",
        draws.entity.size(), pooled.size(), mcmc::split_rhat(pooled),
        *std::min_element(medians.begin(), medians.end()),
        *std::max_element(medians.begin(), medians.end()));
    PairStatistics same;
    std::vector<double> short_pool;
    for (std::size_t d = 0; d < draws.entity.size(); ++d) {
      const auto chains = chain_pair(s.best, run, 100 + d);
      same.rhat.push_back(mcmc::split_rhat(chains));
      same.ess.push_back(mcmc::ess_bulk(chains));
      same.above += same.rhat.back() > former_bound ? 1 : 0;
      same.groups.push_back(chains);
      same.groups.push_back(chains);
      for (const auto& c : chains)
        short_pool.insert(short_pool.end(), c.begin(), c.end());
    }
    print_pairs("one table, 20 pairs (no spread):", same);
    const auto long_chains = chain_pair(s.best, long_run, 1000);
    std::vector<double> long_pool = long_chains[0];
    long_pool.insert(long_pool.end(), long_chains[1].begin(), long_chains[1].end());
    std::printf(
        "  one table, 2 long chains: R-hat %.4f, ESS %.0f; N 2.5/50/97.5%% %.0f %.0f %.0f; "
        "the 40 short chains pooled %.0f %.0f %.0f\n",
        mcmc::split_rhat(long_chains), mcmc::ess_bulk(long_chains),
        mcmc::quantile(long_pool, 0.025), mcmc::quantile(long_pool, 0.5),
        mcmc::quantile(long_pool, 0.975), mcmc::quantile(short_pool, 0.025),
        mcmc::quantile(short_pool, 0.5), mcmc::quantile(short_pool, 0.975));
    std::printf("  %.0f processor-s\n", processor_seconds() - start);
    std::fflush(stdout);
  }
  return 0;
}
