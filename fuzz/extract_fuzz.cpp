// Fuzzes document loading and claim extraction: any bytes give a Document and claims, or a
// recount::Error for bytes that are not a report; never a crash, a hang or another exception.

#include <cstddef>
#include <cstdint>
#include <string>

#include "recount/core/error.hpp"
#include "recount/evidence/document.hpp"
#include "recount/evidence/extract.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  // The extractor alone, on any bytes (it must not rely on load-time validation).
  recount::Document raw;
  raw.id = "fuzz";
  raw.origin = "fuzz.txt";
  raw.text = bytes;
  for (const recount::Claim& c : recount::extract_claims(raw)) {
    if (!c.start || !c.end || *c.start > *c.end || *c.end > raw.text.size()) __builtin_trap();
  }
  try {
    const recount::Document doc = recount::make_document(bytes, size % 2 ? "f.html" : "f.txt");
    for (const recount::Claim& c : recount::extract_claims(doc)) {
      if (!c.start || !c.end || *c.end > doc.text.size()) __builtin_trap();
    }
  } catch (const recount::Error&) {
  }
  return 0;
}
