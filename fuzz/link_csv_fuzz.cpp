// Fuzzes the list reader of `recount link`: any bytes (any encoding, broken CSV, odd dates and
// names) give records or a recount::Error, never a crash or a hang.

#include <cstddef>
#include <cstdint>
#include <string>

#include "recount/core/error.hpp"
#include "recount/linkage/config.hpp"
#include "recount/linkage/records.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const recount::linkage::ListSpec spec = [] {
    recount::linkage::ListSpec s;
    s.name = "fuzz";
    s.file = "fuzz.csv";
    s.id_column = "id";
    s.fields = {{"full_name", "name"}, {"birth_date", "dob"}, {"region", "region"}};
    s.compare = {{"unit", recount::linkage::Comparator::levenshtein},
                 {"age", recount::linkage::Comparator::numeric}};
    return s;
  }();
  try {
    const recount::linkage::RecordSet records =
        recount::linkage::parse_list(std::string(reinterpret_cast<const char*>(data), size), spec);
    (void)records.size();
  } catch (const recount::Error&) {
  }
  return 0;
}
