// Fuzzes the CSV reader: any bytes give records or a recount::Error, never a crash or a hang.

#include <cstddef>
#include <cstdint>
#include <string>

#include "recount/core/csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    recount::CsvReader reader(std::string(reinterpret_cast<const char*>(data), size), "fuzz.csv");
    recount::CsvRecord record;
    while (reader.next(record)) {
      for (std::size_t i = 0; i < record.fields.size(); ++i)
        (void)reader.at(record, i).str();
    }
  } catch (const recount::Error&) {
  }
  return 0;
}
