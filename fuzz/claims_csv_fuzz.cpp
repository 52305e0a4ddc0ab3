// Fuzzes the claims CSV importer (`recount claims import`): any bytes give claims or a
// recount::Error, never a crash or a hang; and claims it accepts survive a write and a re-read
// unchanged, so an export always imports back.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "recount/core/error.hpp"
#include "recount/evidence/claims_csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<recount::Claim> claims;
  try {
    claims = recount::read_claims_csv(std::string(reinterpret_cast<const char*>(data), size),
                                      "fuzz.csv");
  } catch (const recount::Error&) {
    return 0;
  }
  const std::string written = recount::write_claims_csv(claims, true);
  if (recount::read_claims_csv(written, "written.csv") != claims) std::abort();
  return 0;
}
