#pragma once
// How the generator writes names: transliteration systems (ICU where ICU has them, small tables
// where it has not), case, typos, and Windows-1251 output.

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "simulate_random.hpp"

namespace recount::linkage::detail {

// Renders names in several scripts and systems; each distinct input is converted once and
// cached, because ICU transliterators are slow and the name pools small. Not thread-safe.
class NameWriter {
 public:
  NameWriter();
  ~NameWriter();
  NameWriter(const NameWriter&) = delete;
  NameWriter& operator=(const NameWriter&) = delete;

  // BGN/PCGN (ICU "Russian-Latin/BGN", then ASCII without the soft and hard sign marks).
  const std::string& bgn(std::string_view cyrillic);
  // Ukrainian BGN/PCGN of Ukrainian Cyrillic (ICU "Ukrainian-Latin/BGN"): Serhiy, Oleksandr.
  const std::string& ukrainian_bgn(std::string_view ukrainian);
  // A Russian name as Ukrainian sources write it: Ukrainian letters, then Ukrainian BGN
  // (Смирнов → Smyrnov, Егоров → Yehorov).
  const std::string& ukrainian_style(std::string_view russian);
  // ICAO Doc 9303 as in Russian passports since 2013 (Сергей → Sergei, Юлия → Iuliia).
  const std::string& icao(std::string_view cyrillic);
  // Russian passports 1997-2010 (Сергей → Sergey, Юрий → Yuriy).
  const std::string& passport_1997(std::string_view cyrillic);
  const std::string& upper(std::string_view text);
  const std::string& lower(std::string_view text);

 private:
  struct Icu;
  std::unique_ptr<Icu> icu_;
  std::unordered_map<std::string, std::string> cache_[7];
};

// Informal Latin spellings (kh → h, -iy/-yy → -y, ya → ia, yu → iu), each with probability 1/2.
// By hand: ICU has no transform for the spellings people improvise.
[[nodiscard]] std::string informal_latin(std::string_view latin, Random& random);

// One typo: a substituted letter (same script and case), two letters transposed or a letter
// deleted. Text without letters is returned unchanged.
[[nodiscard]] std::string with_typo(std::string_view text, Random& random);

// ё → е and Ё → Е (most Russian writing drops the dots).
[[nodiscard]] std::string without_yo(std::string_view text);

// UTF-8 text in Windows-1251 (ICU's converters). The generator writes only characters the code
// page has (Russian Cyrillic and ASCII).
[[nodiscard]] std::string to_cp1251(std::string_view utf8);

}  // namespace recount::linkage::detail
