// Fuzzes the labelled-pairs reader of `recount link` ([model] labels, `link review import`):
// any bytes give labels or a recount::Error, never a crash or a hang.

#include <cstddef>
#include <cstdint>
#include <string>

#include "recount/core/error.hpp"
#include "recount/linkage/labels.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const recount::linkage::LabelFile labels = recount::linkage::parse_labelled_pairs(
        std::string(reinterpret_cast<const char*>(data), size), "fuzz.csv");
    (void)labels.pairs.size();
  } catch (const recount::Error&) {
  }
  return 0;
}
