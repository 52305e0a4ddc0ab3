// Fuzzes the captures reader and the log-linear estimator behind it: any bytes give tables or a
// recount::Error, never a crash or a hang; every table read can be estimated (independence).

#include <cstddef>
#include <cstdint>
#include <string>

#include "recount/core/error.hpp"
#include "recount/mse/captures_io.hpp"
#include "recount/mse/loglinear.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto tables = recount::mse::parse_captures(
        std::string(reinterpret_cast<const char*>(data), size), "fuzz.csv");
    for (const auto& table : tables) {
      if (table.list_count() > 6) continue;  // keep each input fast
      recount::mse::LogLinearOptions options;
      options.model = "[]";
      (void)recount::mse::estimate_loglinear(table, options);
    }
  } catch (const recount::Error&) {
  }
  return 0;
}
