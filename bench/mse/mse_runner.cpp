// recount's side of the side-by-side benches (bench/mse/*.R), which run R's packages and this in
// the same script on the same machine. Each command times only the estimator, in processor
// seconds of this process (one thread), as the R scripts time theirs:
//
//   mse_runner lcmcr TABLE.csv SEED BURNIN SAMPLES THIN [REALLOCATION_INTERVAL]
//     one chain of the latent-class sampler (K* = 10, Gamma(0.25, 0.25), stream 0 of SEED, as
//     chain 1 of estimate_lcmcr); prints "seconds S", then the kept draws of N, one a line. The
//     optional interval of the collapsed reallocation (0: never) is for choosing it (docs/mse.md)
//   mse_runner loglinear TABLE.csv
//     the exhaustive search over every hierarchical model (BIC, with the identifiability checks
//     and the intervals of the reported models) on one thread; prints "seconds S", "models M",
//     "model NAME", "estimate E"

#include <cstdio>
#include <ctime>
#include <exception>
#include <string>

#include <tbb/global_control.h>

#include "recount/mse/captures_io.hpp"
#include "recount/mse/lcmcr.hpp"
#include "recount/mse/loglinear.hpp"

namespace {

double processor_seconds() {
  return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

int usage() {
  std::fprintf(
      stderr,
      "usage: mse_runner lcmcr TABLE.csv SEED BURNIN SAMPLES THIN [REALLOCATION_INTERVAL]\n"
      "       mse_runner loglinear TABLE.csv\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc < 3) return usage();
  const std::string command = argv[1];
  const auto table = recount::mse::read_captures(argv[2]).front();
  if (command == "lcmcr" && (argc == 7 || argc == 8)) {
    recount::mse::LcmcrOptions options;
    options.seed = std::stoull(argv[3]);
    options.burnin = std::stoi(argv[4]);
    options.samples = std::stoi(argv[5]);
    options.thin = std::stoi(argv[6]);
    options.chains = 1;
    options.progress = false;
    const double start = processor_seconds();
    recount::mse::detail::ReallocationSettings reallocation;
    if (argc == 8) reallocation.interval = std::stoll(argv[7]);
    const auto chain = recount::mse::detail::lcmcr_chain(table, options, {}, 0, {}, reallocation);
    std::printf("seconds %.6f\n", processor_seconds() - start);
    for (double n : chain.population)
      std::printf("%.0f\n", n);
    return 0;
  }
  if (command == "loglinear" && argc == 3) {
    tbb::global_control one_thread(tbb::global_control::max_allowed_parallelism, 1);
    const double start = processor_seconds();
    const auto result = recount::mse::estimate_loglinear(table, recount::mse::LogLinearOptions{});
    std::printf("seconds %.6f\n", processor_seconds() - start);
    std::printf("models %zu\n", result.diagnostics.at("models_fitted").get<std::size_t>());
    std::printf("model %s\n", result.model.c_str());
    std::printf("estimate %.2f\n", result.estimate.value_or(-1));
    return 0;
  }
  return usage();
} catch (const std::exception& e) {
  std::fprintf(stderr, "mse_runner: %s\n", e.what());
  return 1;
}
