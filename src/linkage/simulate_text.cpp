// Transliteration, case, typos and code pages for the list generator.

#include "simulate_text.hpp"

#include <string_view>
#include <utility>
#include <vector>

#include <unicode/locid.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include "recount/core/error.hpp"

namespace recount::linkage::detail {

namespace {

enum Cache { kBgn, kUkrainianBgn, kUkrainianStyle, kIcao, kPassport1997, kUpper, kLower };

std::unique_ptr<icu::Transliterator> transliterator(const char* id) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
      icu::UnicodeString::fromUTF8(id), UTRANS_FORWARD, status));
  if (U_FAILURE(status) || !t)
    throw internal_error(std::string("ICU has no transliterator ") + id + ": " +
                         u_errorName(status));
  return t;
}

std::string utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

// Apostrophes that BGN writes for the soft and hard signs; informal and official Latin drop them.
std::string without_sign_marks(std::string s) {
  std::string out;
  for (const char c : s)
    if (c != '\'' && c != '"') out += c;
  return out;
}

std::vector<UChar32> code_points(std::string_view s) {
  std::vector<UChar32> out;
  std::int32_t i = 0;
  const auto n = static_cast<std::int32_t>(s.size());
  while (i < n) {
    UChar32 c = 0;
    U8_NEXT(s.data(), i, n, c);
    out.push_back(c < 0 ? 0xFFFD : c);
  }
  return out;
}

std::string from_code_points(const std::vector<UChar32>& cps) {
  std::string out;
  for (const UChar32 c : cps) {
    char buf[U8_MAX_LENGTH];
    std::int32_t len = 0;
    U8_APPEND_UNSAFE(buf, len, c);
    out.append(buf, static_cast<std::size_t>(len));
  }
  return out;
}

// The Latin of one lower-case Russian letter in a passport system; nullptr for other characters.
const char* passport_letter(UChar32 c, bool icao) {
  static constexpr const char* kCommon[] = {
      "a", "b", "v", "g", "d", "e",  "zh", "z",  "i",  "i",    "k",  "l", "m", "n", "o",  "p",
      "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "ie", "y", "",  "e", "iu", "ia"};
  if (c == 0x451) return "e";  // ё
  if (c < 0x430 || c > 0x44F) return nullptr;
  const int k = c - 0x430;
  if (!icao) {
    if (c == 0x439) return "y";   // й
    if (c == 0x44A) return "";    // ъ
    if (c == 0x44E) return "yu";  // ю
    if (c == 0x44F) return "ya";  // я
  }
  return kCommon[k];
}

std::string passport(std::string_view cyrillic, bool icao) {
  std::string out;
  for (UChar32 c : code_points(cyrillic)) {
    const bool upper = (c >= 0x410 && c <= 0x42F) || c == 0x401;
    if (upper) c += (c == 0x401 ? 0x50 : 0x20);
    if (const char* latin = passport_letter(c, icao)) {
      std::string part(latin);
      if (upper && !part.empty()) part[0] = static_cast<char>(part[0] - 'a' + 'A');
      out += part;
    } else {
      out += from_code_points({c});
    }
  }
  return out;
}

// Russian spelling → Ukrainian letters, for names as Ukrainian sources write Russian names.
std::string ukrainian_letters(std::string_view russian) {
  std::vector<UChar32> cps = code_points(russian);
  for (std::size_t i = 0; i < cps.size(); ++i) {
    UChar32& c = cps[i];
    if (c == 0x44B)
      c = 0x438;  // ы → и
    else if (c == 0x44D)
      c = 0x435;  // э → е
    else if (c == 0x451)
      c = 0x435;  // ё → е
    else if (c == 0x401)
      c = 0x415;  // Ё → Е
    else if (i == 0 && c == 0x418)
      c = 0x406;  // initial И → І
    else if (i == 0 && c == 0x415)
      c = 0x404;  // initial Е → Є
  }
  return from_code_points(cps);
}

UChar32 random_letter_like(UChar32 c, Random& random) {
  if (c >= 0x430 && c <= 0x44F) return 0x430 + static_cast<UChar32>(random.below(32));
  if (c >= 0x410 && c <= 0x42F) return 0x410 + static_cast<UChar32>(random.below(32));
  if (c >= 'a' && c <= 'z') return 'a' + static_cast<UChar32>(random.below(26));
  if (c >= 'A' && c <= 'Z') return 'A' + static_cast<UChar32>(random.below(26));
  return c;
}

bool is_letter(UChar32 c) {
  return (c >= 0x410 && c <= 0x44F) || c == 0x401 || c == 0x451 || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

bool is_upper(UChar32 c) {
  return (c >= 0x410 && c <= 0x42F) || c == 0x401 || (c >= 'A' && c <= 'Z');
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

}  // namespace

struct NameWriter::Icu {
  std::unique_ptr<icu::Transliterator> russian = transliterator("Russian-Latin/BGN; Latin-ASCII");
  std::unique_ptr<icu::Transliterator> ukrainian =
      transliterator("Ukrainian-Latin/BGN; Latin-ASCII");
};

NameWriter::NameWriter() : icu_(std::make_unique<Icu>()) {}
NameWriter::~NameWriter() = default;

const std::string& NameWriter::bgn(std::string_view cyrillic) {
  auto [it, fresh] = cache_[kBgn].try_emplace(std::string(cyrillic));
  if (fresh) {
    icu::UnicodeString s = icu::UnicodeString::fromUTF8(cyrillic);
    icu_->russian->transliterate(s);
    it->second = without_sign_marks(utf8(s));
  }
  return it->second;
}

const std::string& NameWriter::ukrainian_bgn(std::string_view ukrainian) {
  auto [it, fresh] = cache_[kUkrainianBgn].try_emplace(std::string(ukrainian));
  if (fresh) {
    icu::UnicodeString s = icu::UnicodeString::fromUTF8(ukrainian);
    icu_->ukrainian->transliterate(s);
    it->second = without_sign_marks(utf8(s));
  }
  return it->second;
}

const std::string& NameWriter::ukrainian_style(std::string_view russian) {
  auto [it, fresh] = cache_[kUkrainianStyle].try_emplace(std::string(russian));
  if (fresh) it->second = ukrainian_bgn(ukrainian_letters(russian));
  return it->second;
}

const std::string& NameWriter::icao(std::string_view cyrillic) {
  auto [it, fresh] = cache_[kIcao].try_emplace(std::string(cyrillic));
  if (fresh) it->second = passport(cyrillic, true);
  return it->second;
}

const std::string& NameWriter::passport_1997(std::string_view cyrillic) {
  auto [it, fresh] = cache_[kPassport1997].try_emplace(std::string(cyrillic));
  if (fresh) it->second = passport(cyrillic, false);
  return it->second;
}

const std::string& NameWriter::upper(std::string_view text) {
  auto [it, fresh] = cache_[kUpper].try_emplace(std::string(text));
  if (fresh) it->second = utf8(icu::UnicodeString::fromUTF8(text).toUpper(icu::Locale::getRoot()));
  return it->second;
}

const std::string& NameWriter::lower(std::string_view text) {
  auto [it, fresh] = cache_[kLower].try_emplace(std::string(text));
  if (fresh) it->second = utf8(icu::UnicodeString::fromUTF8(text).toLower(icu::Locale::getRoot()));
  return it->second;
}

std::string informal_latin(std::string_view latin, Random& random) {
  std::string s(latin);
  if (random.chance(0.5)) replace_all(s, "kh", "h");
  if (random.chance(0.5)) {
    if (s.size() > 2 && (s.ends_with("iy") || s.ends_with("yy"))) s.erase(s.size() - 1);
  }
  if (random.chance(0.5)) replace_all(s, "ya", "ia");
  if (random.chance(0.5)) replace_all(s, "yu", "iu");
  return s;
}

std::string with_typo(std::string_view text, Random& random) {
  std::vector<UChar32> cps = code_points(text);
  std::vector<std::size_t> letters;
  for (std::size_t i = 0; i < cps.size(); ++i)
    if (is_letter(cps[i])) letters.push_back(i);
  if (letters.size() < 2) return std::string(text);
  const std::size_t at = letters[random.below(letters.size())];
  switch (random.below(3)) {
    case 0: {
      const UChar32 old = cps[at];
      for (int tries = 0; tries < 4 && cps[at] == old; ++tries)
        cps[at] = random_letter_like(old, random);
      break;
    }
    case 1:  // with a neighbour of the same case, so "Ваня" never becomes "аВня"
      if (at + 1 < cps.size() && is_letter(cps[at + 1]) &&
          is_upper(cps[at]) == is_upper(cps[at + 1]))
        std::swap(cps[at], cps[at + 1]);
      else if (at > 0 && is_letter(cps[at - 1]) && is_upper(cps[at - 1]) == is_upper(cps[at]))
        std::swap(cps[at - 1], cps[at]);
      break;
    default:
      cps.erase(cps.begin() + static_cast<std::ptrdiff_t>(at));
      break;
  }
  return from_code_points(cps);
}

std::string without_yo(std::string_view text) {
  std::string s(text);
  replace_all(s, "ё", "е");
  replace_all(s, "Ё", "Е");
  return s;
}

std::string to_cp1251(std::string_view utf8_text) {
  const icu::UnicodeString s = icu::UnicodeString::fromUTF8(utf8_text);
  const std::int32_t length = s.extract(0, s.length(), nullptr, 0, "windows-1251");
  std::string out(static_cast<std::size_t>(length), '\0');
  s.extract(0, s.length(), out.data(), length, "windows-1251");
  return out;
}

}  // namespace recount::linkage::detail
