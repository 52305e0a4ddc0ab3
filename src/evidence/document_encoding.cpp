#include "document_encoding.hpp"

#include <memory>

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/utf8.h>

namespace recount::detail {
namespace {

// Whether the text has Cyrillic words, not Cyrillic letters inside Latin ones (a Latin-1 "é" read
// as Windows-1251 is "й" in the middle of a French word).
bool cyrillic_words(std::string_view text) {
  std::size_t cyrillic = 0;
  std::size_t mixed = 0;
  bool latin_before = false;
  const auto length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(text.data(), i, length, c);
    const bool latin = c < 0x80 && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
    const bool cyr = c >= 0x400 && c <= 0x4FF;
    if (cyr) {
      ++cyrillic;
      if (latin_before || (i < length && ((text[static_cast<std::size_t>(i)] | 0x20) >= 'a' &&
                                          (text[static_cast<std::size_t>(i)] | 0x20) <= 'z')))
        ++mixed;
    }
    latin_before = latin;
  }
  return cyrillic >= 4 && mixed * 10 <= cyrillic;
}

}  // namespace

std::optional<Transcoded> transcode_cyrillic(std::string_view bytes) {
  // A UTF-8 file with a stray bad byte is not a code-page file: most of its non-ASCII must be
  // invalid as UTF-8.
  std::size_t valid = 0;
  std::size_t invalid = 0;
  const auto length = static_cast<int32_t>(bytes.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(bytes.data(), i, length, c);
    if (c < 0)
      ++invalid;
    else if (c >= 0x80)
      ++valid;
  }
  if (invalid == 0 || valid * 10 > invalid) return std::nullopt;
  UErrorCode status = U_ZERO_ERROR;
  const std::unique_ptr<UCharsetDetector, decltype(&ucsdet_close)> detector(ucsdet_open(&status),
                                                                            &ucsdet_close);
  if (U_FAILURE(status)) return std::nullopt;
  ucsdet_setText(detector.get(), bytes.data(), static_cast<int32_t>(bytes.size()), &status);
  int32_t found = 0;
  const UCharsetMatch** matches = ucsdet_detectAll(detector.get(), &found, &status);
  if (U_FAILURE(status)) return std::nullopt;
  for (int32_t i = 0; i < found; ++i) {
    const char* name = ucsdet_getName(matches[i], &status);
    if (U_FAILURE(status) || name == nullptr) return std::nullopt;
    const std::string charset(name);
    if (charset != "windows-1251" && charset != "KOI8-R") continue;
    Transcoded out{std::string(bytes.size() * 2 + 1, '\0'), charset};
    const int32_t n = ucnv_convert("UTF-8", charset.c_str(), out.text.data(),
                                   static_cast<int32_t>(out.text.size()), bytes.data(),
                                   static_cast<int32_t>(bytes.size()), &status);
    if (U_FAILURE(status)) return std::nullopt;
    out.text.resize(static_cast<std::size_t>(n));
    if (!cyrillic_words(out.text)) return std::nullopt;
    return out;
  }
  return std::nullopt;
}

}  // namespace recount::detail
