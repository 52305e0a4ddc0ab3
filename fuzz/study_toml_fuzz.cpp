// Fuzzes the study-file reader (recount.toml: claims, model, lists, [[excess]], vocabulary,
// report): any bytes give a study or a recount::Error, never a crash.

#include <cstddef>
#include <cstdint>
#include <string>

#include "recount/core/error.hpp"
#include "recount/study/study.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    (void)recount::study::parse_study(std::string(reinterpret_cast<const char*>(data), size),
                                      "fuzz");
  } catch (const recount::Error&) {
  }
  return 0;
}
