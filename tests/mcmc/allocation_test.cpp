// The sampler allocates nothing per iteration (every vector of the trajectory is allocated once
// per chain): the number of heap allocations does not grow with the number of draws.

#include <atomic>
#include <cstdlib>

#include <gtest/gtest.h>

#include "mcmc/test_models.hpp"
#include "recount/mcmc/nuts.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define RECOUNT_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RECOUNT_UNDER_ASAN 1
#endif
#endif

namespace {
std::atomic<long> g_allocations{0};
}

#ifndef RECOUNT_UNDER_ASAN
// Counts calls of malloc (Eigen's and operator new's allocator) through glibc's entry point.
// AddressSanitizer owns malloc, so there the test is skipped.
extern "C" void* __libc_malloc(std::size_t size);
extern "C" void* malloc(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(size);
}
#endif

namespace recount::mcmc {
namespace {

long allocations_for(int draws) {
  NutsOptions options;
  options.chains = 1;
  options.warmup = 300;
  options.draws = draws;
  options.parallel = false;
  options.progress = false;
  const testing::StandardNormal model(20);
  const long before = g_allocations.load();
  const SampleResult result = sample_nuts(model, options);
  EXPECT_EQ(result.chains[0].draws.rows(), draws);
  return g_allocations.load() - before;
}

TEST(Nuts, NoAllocationsPerIteration) {
#ifdef RECOUNT_UNDER_ASAN
  GTEST_SKIP() << "malloc cannot be counted under AddressSanitizer";
#endif
  const long short_run = allocations_for(100);
  EXPECT_GT(short_run, 0);  // the counter works: the chain's vectors are allocated once
  EXPECT_EQ(short_run, allocations_for(2000));
}

}  // namespace
}  // namespace recount::mcmc
