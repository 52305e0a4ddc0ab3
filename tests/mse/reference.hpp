#pragma once
// The project's copies of the four published tables (tests/mse/data/, with citations in its
// README) and the reference results of Rcapture 1.4-4 on them.

#include <string>
#include <vector>

#include "recount/mse/captures_io.hpp"

namespace recount::mse::testing {

inline CaptureTable dataset(const std::string& name) {
  return read_captures(std::string(RECOUNT_SOURCE_DIR) + "/tests/mse/data/" + name + ".csv")
      .front();
}

struct RankedModel {
  const char* model;
  double estimate;
  double bic;
};

struct LogLinearReference {
  const char* dataset;
  double independence, independence_lower, independence_upper;
  const char* best;
  double best_lower, best_upper;
  std::vector<RankedModel> top;  // by BIC, the first is the best
};

inline const std::vector<LogLinearReference>& loglinear_references() {
  static const std::vector<LogLinearReference> refs = {
      {"kosovo",
       7394.59,
       7147.75,
       7656.20,
       "[123,14,34]",
       8994.26,
       12110.41,
       {{"[123,14,34]", 10356.52, 203.030},
        {"[123,134]", 12740.97, 203.113},
        {"[134,12,23]", 18393.31, 203.957},
        {"[123,14,24,34]", 9824.17, 209.143},
        {"[134,12,23,24]", 19233.48, 210.192}}},
      {"hiv",
       11124.58,
       9531.74,
       13114.12,
       "[1,2,3,4]",
       9531.74,
       13114.12,
       {{"[1,2,3,4]", 11124.58, 117.800},
        {"[12,3,4]", 12318.47, 119.935},
        {"[13,2,4]", 10532.26, 123.485},
        {"[14,2,3]", 10886.92, 124.286},
        {"[23,1,4]", 11335.25, 125.222}}},
      {"lesbian",
       3738.47,
       3559.36,
       3933.21,
       "[12,14,23,24,34]",
       5421.71,
       7536.28,
       {{"[12,14,23,24,34]", 6349.02, 181.221},
        {"[14,23,24,34]", 5350.51, 183.482},
        {"[12,13,14,23,24,34]", 7126.02, 183.653},
        {"[234,14]", 5143.46, 184.756},
        {"[234,12,14]", 5963.62, 185.985}}},
  };
  return refs;
}

struct HeterogeneityReference {
  const char* dataset;
  double chao, chao_se, poisson2, poisson2_se, darroch, darroch_se, gamma, gamma_se;
};

inline const std::vector<HeterogeneityReference>& heterogeneity_references() {
  static const std::vector<HeterogeneityReference> refs = {
      {"kosovo", 8591.18, 213.55, 9327.76, 306.27, 12797.34, 814.83, 18387.15, 1892.88},
      {"hiv", 11700.99, 1030.92, 14849.76, 2915.11, 21327.46, 8428.43, 30623.15, 18463.15},
      {"lesbian", 4321.38, 155.07, 4942.22, 240.32, 6963.74, 650.08, 10259.63, 1535.47},
      {"artificial_3", 539.09, 201.45, 96.13, 367.22, 96.00, 0.22, 96.00, 0.00},
  };
  return refs;
}

// Printed to two decimals: equal when they round alike (half a unit in the last place, with a
// hair of slack for the reference's own rounding).
inline constexpr double two_decimals = 0.005 + 1e-6;
inline constexpr double three_decimals = 0.0005 + 1e-7;

}  // namespace recount::mse::testing
