// Encoding of list files: UTF-8 kept, Windows-1251 transcoded through ICU, anything else refused.
// Detection is a UTF-8 validity check, then a hand-written plausibility test for Windows-1251
// (letter ratio, words, case order), with ICU's CharsetDetector consulted only against KOI8-R:
// on a short list of names the detector alone does not even list windows-1251 (measured).

#include "recount/linkage/encoding.hpp"

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <string_view>

#include "recount/core/error.hpp"
#include "recount/core/text.hpp"

namespace recount::linkage {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// A Windows-1251 byte at or above 0x80 that is a Cyrillic letter (Russian, Ukrainian,
// Belarusian) rather than punctuation or an unassigned code.
bool cp1251_letter(unsigned char c) {
  if (c >= 0xC0) return true;
  switch (c) {
    case 0xA8:
    case 0xB8:  // Ё ё
    case 0xAA:
    case 0xBA:  // Є є
    case 0xAF:
    case 0xBF:  // Ї ї
    case 0xB2:
    case 0xB3:  // І і
    case 0xA5:
    case 0xB4:  // Ґ ґ
    case 0xA1:
    case 0xA2:  // Ў ў
      return true;
    default:
      return false;
  }
}

// Windows-1251 punctuation that appears in real lists (quotes, dashes, №, non-breaking space).
bool cp1251_punctuation(unsigned char c) {
  switch (c) {
    case 0x82:
    case 0x84:
    case 0x85:
    case 0x8B:
    case 0x91:
    case 0x92:
    case 0x93:
    case 0x94:
    case 0x96:
    case 0x97:
    case 0x9B:
    case 0xA0:
    case 0xAB:
    case 0xBB:
    case 0xB9:
    case 0xB7:
      return true;
    default:
      return false;
  }
}

bool ascii_letter(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Cyrillic text in Windows-1251: almost every byte above 0x80 is a letter; those letters come
// in words of their own (an accented Latin-1 letter sits between ASCII letters: "Müller"); and
// capitals (0xC0-0xDF) precede small letters (0xE0-0xFF) within words, not the reverse (which
// is what KOI8-R, with the cases swapped, looks like).
bool plausible_cp1251(std::string_view bytes) {
  std::size_t high = 0, letters = 0, other = 0, beside_ascii = 0, upper_lower = 0, lower_upper = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c < 0x80) continue;
    ++high;
    if (!cp1251_letter(c)) {
      if (!cp1251_punctuation(c)) ++other;
      continue;
    }
    ++letters;
    const auto before = i > 0 ? static_cast<unsigned char>(bytes[i - 1]) : 0;
    const auto after = i + 1 < bytes.size() ? static_cast<unsigned char>(bytes[i + 1]) : 0;
    if (ascii_letter(before) || ascii_letter(after)) ++beside_ascii;
    if (before >= 0xC0 && before < 0xE0 && c >= 0xE0) ++upper_lower;
    if (before >= 0xE0 && c >= 0xC0 && c < 0xE0) ++lower_upper;
  }
  return letters >= 2 && other * 20 <= high && beside_ascii * 5 <= letters &&
         lower_upper <= upper_lower;
}

// How confident ICU's detector is that `bytes` are in `charset` (0-100).
int icu_confidence(std::string_view bytes, const char* charset) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UCharsetDetector, decltype(&ucsdet_close)> detector(ucsdet_open(&status),
                                                                      &ucsdet_close);
  if (U_FAILURE(status)) return 0;
  // The first megabyte is plenty for the detector (and keeps ICU's 32-bit lengths safe).
  const std::string_view sample = bytes.substr(0, std::size_t{1} << 20);
  ucsdet_setText(detector.get(), sample.data(), static_cast<int32_t>(sample.size()), &status);
  int32_t found = 0;
  const UCharsetMatch** matches = ucsdet_detectAll(detector.get(), &found, &status);
  if (U_FAILURE(status)) return 0;
  for (int32_t i = 0; i < found; ++i) {
    UErrorCode s = U_ZERO_ERROR;
    const char* name = ucsdet_getName(matches[i], &s);
    if (U_SUCCESS(s) && std::string_view(name) == charset)
      return static_cast<int>(ucsdet_getConfidence(matches[i], &s));
  }
  return 0;
}

// Windows-1251 is one byte per character, so the file converts in independent chunks (ICU's
// lengths are 32-bit).
std::string transcode_cp1251(std::string_view bytes, const std::string& file) {
  constexpr std::size_t kChunk = std::size_t{1} << 24;
  std::string out;
  out.reserve(bytes.size() * 2);
  std::string buffer(std::min(bytes.size(), kChunk) * 3 + 1, '\0');
  for (std::size_t at = 0; at < bytes.size(); at += kChunk) {
    const std::string_view chunk = bytes.substr(at, kChunk);
    UErrorCode status = U_ZERO_ERROR;
    const int32_t n =
        ucnv_convert("UTF-8", "windows-1251", buffer.data(), static_cast<int32_t>(buffer.size()),
                     chunk.data(), static_cast<int32_t>(chunk.size()), &status);
    if (U_FAILURE(status))
      throw bad_input(Location{.file = file, .offset = at},
                      std::string("cannot transcode from Windows-1251: ") + u_errorName(status));
    out.append(buffer.data(), static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace

std::string to_utf8(std::string bytes, const std::string& file, std::string* detected) {
  const std::string_view view(bytes);
  if (starts_with(view, "\xFF\xFE") || starts_with(view, "\xFE\xFF"))
    throw bad_input(Location{.file = file},
                    "the file is UTF-16 (or UTF-32); save it as UTF-8 or Windows-1251");
  const std::size_t bom = starts_with(view, "\xEF\xBB\xBF") ? 3 : 0;
  bytes.erase(0, bom);
  if (looks_binary(bytes))
    throw bad_input(Location{.file = file},
                    "the file is binary or UTF-16 without a byte-order mark, not a text list in "
                    "UTF-8 or Windows-1251");
  const auto invalid = first_invalid_utf8(bytes);
  if (!invalid) {
    if (detected) *detected = "utf-8";
    return bytes;
  }
  if (!plausible_cp1251(bytes) ||
      icu_confidence(bytes, "KOI8-R") > icu_confidence(bytes, "windows-1251"))
    throw bad_input(Location{.file = file, .offset = *invalid + bom},
                    "the file is neither UTF-8 nor Windows-1251 (first byte that is not UTF-8 "
                    "here); save it as UTF-8");
  if (detected) *detected = "windows-1251";
  return transcode_cp1251(bytes, file);
}

}  // namespace recount::linkage
