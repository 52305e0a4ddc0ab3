// Transliteration through ICU and the skeleton folding of romanisation variants.
//
// ICU does the Unicode work: NFKC with case folding (Normalizer2), then Cyrillic to Latin with
// the BGN/PCGN transforms ("Russian-Latin/BGN", or "Ukrainian-Latin/BGN" when the word has і ї є
// ґ), Any-Latin for other scripts and Latin-ASCII. The folding after it is hand-written because
// no library folds the ICAO, BGN/PCGN, GOST and informal spellings of one name into one key.

#include "names_transliteration.hpp"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <functional>
#include <memory>
#include <unordered_map>

#include "recount/core/error.hpp"

namespace recount::linkage::detail {
namespace {

// ISO 9 / scholarly diacritics in Latin input (Žukov, Čajka, Ŝukin, Ûrij, Ânina) spelt out
// before Latin-ASCII would strip them to z, c, s.
constexpr char16_t kScholarly[] = u"ž > zh; č > ch; š > sh; ŝ > shch; û > yu; â > ya; ë > e;";

std::unique_ptr<icu::Transliterator> make_transliterator(const char16_t* first) {
  icu::UnicodeString rules(first);
  rules += u" ";
  rules += kScholarly;
  rules += u" :: Any-Latin; :: Latin-ASCII;";
  UParseError parse_error{};
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createFromRules(
      "recount-names", rules, UTRANS_FORWARD, parse_error, status));
  if (U_FAILURE(status) || !t)
    throw internal_error(std::string("ICU transliterator for names: ") + u_errorName(status));
  return t;
}

bool cyrillic(char16_t c) {
  return c >= 0x0400 && c <= 0x04FF;
}

// Latin letters that look like Cyrillic ones, as typed by mistake inside Cyrillic words
// ("Ивaнов" with a Latin a; after case folding).
char16_t cyrillic_lookalike(char16_t c) {
  switch (c) {
    case u'a':
      return u'а';
    case u'b':
      return u'в';
    case u'c':
      return u'с';
    case u'e':
      return u'е';
    case u'h':
      return u'н';
    case u'i':
      return u'і';
    case u'k':
      return u'к';
    case u'm':
      return u'м';
    case u'o':
      return u'о';
    case u'p':
      return u'р';
    case u't':
      return u'т';
    case u'x':
      return u'х';
    case u'y':
      return u'у';
    default:
      return 0;
  }
}

// In each word with both Cyrillic and Latin letters, the Latin look-alikes become Cyrillic.
void repair_mixed_script(icu::UnicodeString& u) {
  int32_t start = 0;
  const int32_t n = u.length();
  while (start < n) {
    int32_t end = start;
    bool has_cyrillic = false, has_latin = false;
    while (end < n && u[end] != u' ' && u[end] != u'-') {
      has_cyrillic = has_cyrillic || cyrillic(u[end]);
      has_latin = has_latin || (u[end] >= u'a' && u[end] <= u'z');
      ++end;
    }
    if (has_cyrillic && has_latin) {
      for (int32_t i = start; i < end; ++i)
        if (const char16_t c = cyrillic_lookalike(u[i])) u.setCharAt(i, c);
    }
    start = end + 1;
  }
}

bool ukrainian_letter(char16_t c) {
  return c == u'і' || c == u'ї' || c == u'є' || c == u'ґ';
}

// Keeps lowercase ASCII letters (and digits when asked); any run of other characters becomes
// one space, or a hyphen when it contains one (double-barrelled names), and apostrophes (soft
// signs) vanish.
std::string ascii_words(std::string_view text, bool digits = false) {
  std::string out;
  out.reserve(text.size());
  char pending = 0;
  for (char raw : text) {
    char c = raw;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (digits && c >= '0' && c <= '9')) {
      if (pending && !out.empty()) out += pending;
      pending = 0;
      out += c;
    } else if (c == '\'' || c == '`') {
      continue;
    } else if (c == '-') {
      pending = '-';
    } else if (pending == 0) {
      pending = ' ';
    }
  }
  return out;
}

bool is_ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

// ICU transliterators are not safe to share between threads, and building one takes about a
// millisecond: one set per thread, with a cache of the tokens it has seen (names repeat a lot).
class ThreadTransliteration {
 public:
  // The ICU result (ASCII, digits and punctuation still in it) is what is cached.
  std::string ascii(std::string_view text, bool digits) {
    if (auto it = cache_.find(text); it != cache_.end()) return ascii_words(it->second, digits);
    std::string result = convert(text);
    if (cache_.size() >= kCacheLimit) cache_.clear();
    cache_.emplace(std::string(text), result);
    return ascii_words(result, digits);
  }

 private:
  static constexpr std::size_t kCacheLimit = 1 << 16;

  std::string convert(std::string_view text) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc_casefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status)) throw internal_error("ICU NFKC_Casefold is not available");
    // fromUTF8 replaces invalid UTF-8 by U+FFFD, which the ASCII filter drops.
    icu::UnicodeString u =
        nfkc_casefold->normalize(icu::UnicodeString::fromUTF8(icu::StringPiece(
                                     text.data(), static_cast<int32_t>(text.size()))),
                                 status);
    if (U_FAILURE(status)) return {};
    u.findAndReplace(icu::UnicodeString(u'ё'), icu::UnicodeString(u'е'));
    repair_mixed_script(u);
    bool ukrainian = false;
    for (int32_t i = 0; i < u.length() && !ukrainian; ++i)
      ukrainian = ukrainian_letter(u[i]);
    auto& t = ukrainian ? ukrainian_ : russian_;
    if (!t)
      t = make_transliterator(ukrainian ? u":: Ukrainian-Latin/BGN;" : u":: Russian-Latin/BGN;");
    t->transliterate(u);
    std::string utf8;
    u.toUTF8String(utf8);
    return utf8;
  }

  std::unique_ptr<icu::Transliterator> russian_, ukrainian_;
  // Looked up by string_view without building a string (C++20 heterogeneous lookup).
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> cache_;
};

bool glide(char c) {
  return c == 'y' || c == 'i' || c == 'j';
}

}  // namespace

std::string transliterate_to_ascii(std::string_view text, bool digits) {
  if (is_ascii(text)) return ascii_words(text, digits);
  thread_local ThreadTransliteration transliteration;
  return transliteration.ascii(text, digits);
}

std::string fold_word(std::string_view w) {
  // Old French spelling of -ов/-ев: Smirnoff, Ivanoff.
  std::string off;
  if (w.size() > 4 && (w.ends_with("off") || w.ends_with("eff"))) {
    off = std::string(w.substr(0, w.size() - 2)) + "v";
    w = off;
  }
  std::string s;
  s.reserve(w.size() + 2);
  const std::size_t n = w.size();
  const auto at = [&](std::size_t k) { return k < n ? w[k] : '\0'; };
  std::size_t i = 0;
  while (i < n) {
    const char c = w[i], c1 = at(i + 1), c2 = at(i + 2), c3 = at(i + 3);
    // Digraphs, longest first (a switch: this runs for every name of every record). Щ folds
    // with Ш and Х with Г/Һ: each pair is written both ways in lists. Polish spellings (sz, cz,
    // szcz) too; x is кс (Alexander, Maxim), not GOST 7.79's х.
    switch (c) {
      case 's':
        if ((c1 == 'h' && c2 == 'c' && c3 == 'h') || (c1 == 'z' && c2 == 'c' && c3 == 'z')) {
          s += "sh";  // shch, szcz
          i += 4;
        } else if ((c1 == 'c' && c2 == 'h') || (c1 == 'h' && c2 == 'h')) {
          s += "sh";  // sch, shh
          i += 3;
        } else if (c1 == 'h' || c1 == 'z') {
          s += "sh";  // sh, sz
          i += 2;
        } else {
          s += 's';
          ++i;
        }
        continue;
      case 't':
        if (c1 == 's' && c2 == 'c' && c3 == 'h') {
          s += "ch";  // tsch
          i += 4;
        } else if (c1 == 'c' && c2 == 'h') {
          s += "ch";  // tch
          i += 3;
        } else if (c1 == 's' || c1 == 'z') {
          s += 'c';  // ts, tz
          i += 2;
        } else {
          s += 't';
          ++i;
        }
        continue;
      case 'c':
        if (c1 == 'h' || c1 == 'z') {
          s += "ch";  // ch, cz
          i += 2;
        } else if (c1 == 'k') {
          s += 'k';
          i += 2;
        } else {
          s += 'c';
          ++i;
        }
        continue;
      case 'z':
        s += c1 == 'h' ? "zh" : "z";
        i += c1 == 'h' ? 2 : 1;
        continue;
      case 'k':
        s += c1 == 'h' ? 'g' : 'k';  // kh -> g
        i += c1 == 'h' ? 2 : 1;
        continue;
      case 'g':
        s += 'g';  // gh -> g
        i += c1 == 'h' ? 2 : 1;
        continue;
      case 'p':
        s += c1 == 'h' ? 'f' : 'p';
        i += c1 == 'h' ? 2 : 1;
        continue;
      case 'h':
        s += 'g';
        ++i;
        continue;
      case 'x':
        s += "ks";
        ++i;
        continue;
      case 'w':
        s += 'v';
        ++i;
        continue;
      case 'q':
        s += 'k';
        ++i;
        continue;
      case 'y':
      case 'i':
      case 'j': {
        // A run of i/y/j: a glide before a/u (ya, ia, ja, iya -> ya), part of е/ё before e/o
        // (ye, ie, je, yo, io, jo -> e), otherwise the vowel и/ы/й (iy, ii, ij, yi, y -> i).
        std::size_t k = i;
        while (k < n && glide(w[k]))
          ++k;
        const char next = at(k);
        if (next == 'a' || next == 'u') {
          s += 'y';
          i = k;
        } else if (next == 'e' || next == 'o') {
          s += 'e';
          i = k + 1;
        } else {
          s += 'i';
          i = k;
        }
        continue;
      }
      default:
        s += c;
        ++i;
    }
  }
  std::string folded;
  folded.reserve(s.size());
  for (char c : s)
    if (folded.empty() || folded.back() != c) folded += c;
  return folded;
}

}  // namespace recount::linkage::detail
