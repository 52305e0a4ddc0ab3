#pragma once
// The generator's random numbers. std::mt19937_64 is specified bit for bit by the standard, but
// the std:: distributions are not (libstdc++, libc++ and MSVC draw differently), so the
// distributions are written here with arithmetic only: the same seed gives the same lists on
// every platform.

#include <cstdint>
#include <limits>
#include <random>

namespace recount::linkage::detail {

class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}

  // Uniform on [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

  // Uniform integer in [0, n), n > 0, by rejection (no modulo bias).
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    const std::uint64_t limit = max - max % n;
    std::uint64_t x = engine_();
    while (x >= limit)
      x = engine_();
    return x % n;
  }

  bool chance(double p) { return uniform() < p; }

  // Standard normal, approximately: the Irwin-Hall sum of twelve uniforms minus six (mean 0,
  // variance 1, tails cut at ±6). Arithmetic only, so bit-identical everywhere; the probit
  // capture model needs no better tails.
  double normal() {
    double sum = 0;
    for (int k = 0; k < 12; ++k)
      sum += uniform();
    return sum - 6.0;
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace recount::linkage::detail
