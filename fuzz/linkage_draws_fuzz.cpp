// Fuzzes the reader of linkage draws (draws.csv of `recount link --draws`) and the log-linear
// combination behind it: any bytes give draws or a recount::Error, never a crash or a hang.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "recount/core/error.hpp"
#include "recount/mse/linkage_uncertainty.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const recount::mse::LinkageDrawTables draws = recount::mse::parse_linkage_draws(
        std::string(reinterpret_cast<const char*>(data), size), "fuzz.csv", {"A", "B", "C"});
    if (draws.size() <= 8) {  // keep each input fast
      recount::mse::LinkageUncertaintyOptions options;
      options.loglinear.model = "[1,2,3]";
      (void)recount::mse::estimate_with_linkage_uncertainty(draws, "loglinear", options);
    }
  } catch (const recount::Error&) {
  }
  return 0;
}
