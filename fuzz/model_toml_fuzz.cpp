// Fuzzes the model-file reader: any bytes give a model or a recount::Error, never a crash; a
// small model that parses is also simulated once.

#include <cstddef>
#include <cstdint>
#include <string>

#include "recount/core/error.hpp"
#include "recount/synthesis/fit.hpp"
#include "recount/synthesis/model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const recount::synthesis::Model model = recount::synthesis::parse_model(
        std::string(reinterpret_cast<const char*>(data), size), "fuzz.toml");
    if (model.weeks <= 260 && model.flows.size() <= 20)
      (void)recount::synthesis::simulate(model, 1, {.claims_per_quantity = 1});
  } catch (const recount::Error&) {
  }
  return 0;
}
