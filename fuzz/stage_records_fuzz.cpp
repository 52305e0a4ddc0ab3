// Fuzzes the readers of the records a study's stages leave in out/ (synthesis/fit.json,
// mse/SET/estimates.json, excess/NAME/estimate.json and sensitivity.json): any JSON gives
// results or a recount::Error, never a crash.

#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "recount/core/error.hpp"
#include "recount/excess/sex_ratio.hpp"
#include "recount/mse/dispatch.hpp"
#include "recount/synthesis/fit.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const nlohmann::json j =
      nlohmann::json::parse(std::string(reinterpret_cast<const char*>(data), size), nullptr, false);
  if (j.is_discarded()) return 0;
  // Each reader on its own: one that throws must not keep the others from running.
  const auto read = [](const auto& reader) {
    try {
      reader();
    } catch (const recount::Error&) {
    }
  };
  read([&] { (void)recount::synthesis::fit_summary_from_json(j, "fit.json"); });
  read([&] {
    (void)recount::mse::method_estimate_from_json(recount::JsonFields(j, "estimates.json"));
  });
  read([&] { (void)recount::excess::excess_estimate_from_json(j, "estimate.json"); });
  read([&] { (void)recount::excess::sensitivity_grid_from_json(j, "sensitivity.json"); });
  return 0;
}
