// Name keys and full-name parsing. What is folded and why: docs/names.md.

#include "recount/linkage/names.hpp"

#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <unordered_map>
#include <utility>
#include <vector>

#include "names_transliteration.hpp"
#include "recount/core/text.hpp"
#include "recount/linkage/lexicon.hpp"

namespace recount::linkage {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Splits the ASCII transliteration into words (space or hyphen) and calls fold(word) on each.
template <class Fold>
std::string per_word(std::string_view ascii, Fold fold) {
  std::string key;
  std::size_t start = 0;
  while (start < ascii.size()) {
    std::size_t end = ascii.find_first_of(" -", start);
    if (end == std::string_view::npos) end = ascii.size();
    if (end > start) key += fold(ascii.substr(start, end - start));
    start = end + 1;
  }
  std::string collapsed;
  collapsed.reserve(key.size());
  for (char c : key)
    if (collapsed.empty() || collapsed.back() != c) collapsed += c;
  return collapsed;
}

// Feminine and masculine forms of one surname to one key, on a folded word: -ова/-ов,
// -ева/-ев, -ина/-ин, -ская/-ский, -цкая/-цкий, -ая/-ой/-ый (Толстая, Толстой).
std::string fold_gender(std::string w) {
  const std::size_t n = w.size();
  if (n >= 6 && ends_with(w, "yaya")) return w.substr(0, n - 4) + "i";
  if (n >= 6 && ends_with(w, "aya")) return w.substr(0, n - 3) + "i";
  if (n >= 5 && ends_with(w, "oi")) return w.substr(0, n - 2) + "i";
  if (n >= 5 && (ends_with(w, "ska") || ends_with(w, "cka"))) return w.substr(0, n - 1) + "i";
  if (n >= 5 && (ends_with(w, "ova") || ends_with(w, "eva") || ends_with(w, "ina")))
    return w.substr(0, n - 1);
  return w;
}

std::string folded(std::string_view word) {
  return detail::fold_word(word);
}

// Every form in the lexicon, by key, to the key of its full name. Full names first, so that a
// form never hides a full name; then forms, the first entry winning (see lexicon.hpp).
const std::unordered_map<std::string, std::string>& given_names() {
  static const auto table = [] {
    std::unordered_map<std::string, std::string> map;
    for (const auto& entry : given_name_lexicon()) {
      const std::string key = name_key(entry.name);
      map.emplace(key, key);
    }
    for (const auto& entry : given_name_lexicon()) {
      const std::string key = name_key(entry.name);
      std::string_view forms = entry.forms;
      while (!forms.empty()) {
        const std::size_t end = std::min(forms.find(' '), forms.size());
        if (end > 0) map.emplace(name_key(forms.substr(0, end)), key);
        forms.remove_prefix(std::min(end + 1, forms.size()));
      }
    }
    return map;
  }();
  return table;
}

std::string canonical_given(std::string_view folded_word) {
  const auto& names = given_names();
  const std::string word(folded_word);
  const auto it = names.find(word);
  return it == names.end() ? word : it->second;
}

// One step of a foreign reading: the text it replaces and one or two respellings.
struct Respelling {
  std::string_view from;
  std::string_view to, or_to;  // or_to: a second reading ("" when there is one)
  bool word_end = false;       // only at the end of a word
  std::string_view before{};   // only before one of these letters
};

// French conventions, longest first at each position.
constexpr std::array kFrenchRespellings{
    Respelling{"chtch", "shch", ""},
    Respelling{"tch", "ch", ""},
    Respelling{"ch", "sh", ""},
    Respelling{"iou", "yu", ""},
    Respelling{"ou", "u", ""},
    Respelling{"j", "zh", ""},
    Respelling{"gu", "g", "", false, "eiy"},
    Respelling{"ss", "s", ""},
    Respelling{"ine", "in", "", true},
};
// German conventions (Duden): sch is ш or ж, a single s is с or з.
constexpr std::array kGermanRespellings{
    Respelling{"schtsch", "shch", ""}, Respelling{"tsch", "ch", ""}, Respelling{"sch", "sh", "zh"},
    Respelling{"ch", "kh", ""},        Respelling{"ck", "k", ""},    Respelling{"ss", "s", ""},
    Respelling{"s", "s", "z"},         Respelling{"z", "ts", ""},    Respelling{"w", "v", ""},
    Respelling{"j", "y", ""},
};

constexpr std::size_t kMaxReadings = 32;

bool word_char(char c) {
  return c >= 'a' && c <= 'z';
}

// The readings of `ascii` under one convention: every choice of the rules' alternatives, up to
// kMaxReadings (choices past the fifth keep their first reading).
template <std::size_t N>
void respell(std::string_view ascii, const std::array<Respelling, N>& rules,
             std::vector<std::string>& out) {
  // Pieces of the respelt text; a piece with two readings is a choice.
  std::vector<std::pair<std::string_view, std::string_view>> pieces;
  std::size_t i = 0;
  bool changed = false;
  while (i < ascii.size()) {
    const Respelling* hit = nullptr;
    for (const Respelling& r : rules) {
      if (ascii.substr(i, r.from.size()) != r.from) continue;
      const std::size_t end = i + r.from.size();
      if (r.word_end && end < ascii.size() && word_char(ascii[end])) continue;
      if (!r.before.empty() &&
          (end >= ascii.size() || r.before.find(ascii[end]) == std::string_view::npos))
        continue;
      hit = &r;
      break;
    }
    if (hit) {
      pieces.emplace_back(hit->to, hit->or_to);
      changed = changed || hit->to != hit->from || !hit->or_to.empty();
      i += hit->from.size();
    } else {
      pieces.emplace_back(ascii.substr(i, 1), std::string_view{});
      ++i;
    }
  }
  if (!changed) return;
  std::vector<std::size_t> choices;
  for (std::size_t p = 0; p < pieces.size(); ++p)
    if (!pieces[p].second.empty() && choices.size() < 5) choices.push_back(p);
  const std::size_t combinations = std::size_t{1} << choices.size();
  for (std::size_t c = 0; c < combinations && out.size() < kMaxReadings; ++c) {
    std::string text;
    std::size_t next_choice = 0;
    for (std::size_t p = 0; p < pieces.size(); ++p) {
      bool second = false;
      if (next_choice < choices.size() && choices[next_choice] == p) {
        second = ((c >> next_choice) & 1u) != 0;
        ++next_choice;
      }
      text += second ? pieces[p].second : pieces[p].first;
    }
    if (std::find(out.begin(), out.end(), text) == out.end()) out.push_back(std::move(text));
  }
}

}  // namespace

bool written_in_cyrillic(std::string_view text) noexcept {
  // U+0400 to U+04FF: lead bytes 0xD0 to 0xD3 in UTF-8.
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const auto next = static_cast<unsigned char>(text[i + 1]);
    if (c >= 0xD0 && c <= 0xD3 && (next & 0xC0u) == 0x80u) return true;
  }
  return false;
}

std::vector<std::string> foreign_readings(std::string_view name) {
  std::vector<std::string> out;
  if (written_in_cyrillic(name)) return out;
  const std::string ascii = latin(name);
  if (ascii.empty()) return out;
  respell(ascii, kFrenchRespellings, out);
  respell(ascii, kGermanRespellings, out);
  return out;
}

bool known_given_key(std::string_view key) {
  return given_names().contains(std::string(key));
}

std::string latin(std::string_view text) {
  return detail::transliterate_to_ascii(text);
}

std::string text_key(std::string_view text) {
  std::string out = detail::transliterate_to_ascii(text, true);
  std::replace(out.begin(), out.end(), '-', ' ');
  return out;
}

std::string name_key(std::string_view name) {
  return per_word(latin(name), folded);
}

std::string surname_key(std::string_view surname) {
  return per_word(latin(surname),
                  [](std::string_view w) { return fold_gender(detail::fold_word(w)); });
}

std::string given_key(std::string_view given) {
  return per_word(latin(given),
                  [](std::string_view w) { return canonical_given(detail::fold_word(w)); });
}

std::string patronymic_key(std::string_view patronymic) {
  return per_word(latin(patronymic), [](std::string_view raw) {
    // Daughters' forms to sons' (-овна/-ович, -евна/-евич, -ична/-ич, Ukrainian -івна/-ович)
    // before folding, where the endings are still distinct.
    std::string w(raw);
    if (ends_with(w, "inichna"))
      w = w.substr(0, w.size() - 7) + "ich";
    else if (ends_with(w, "ichna"))
      w = w.substr(0, w.size() - 5) + "ich";
    else if (ends_with(w, "ovna"))
      w = w.substr(0, w.size() - 4) + "ovich";
    else if (ends_with(w, "evna"))
      w = w.substr(0, w.size() - 4) + "evich";
    else if (ends_with(w, "ivna"))
      w = w.substr(0, w.size() - 4) + "ovych";
    // Ukrainian spellings (-ovych, -йович) whose father's name the lexicon can put in its
    // Russian form: Миколайович -> Nikolaevich, Дмитрович -> Dmitrievich. Not for Russian ones:
    // the lexicon's diminutives would turn Алексеевич (stem "aleks") into Александрович.
    const bool ukrainian = ends_with(w, "ovych") || ends_with(w, "evych") ||
                           ends_with(w, "yovich") || ends_with(w, "iovich");
    std::string key = detail::fold_word(w);
    for (const auto& [from, to] : {std::pair<std::string_view, std::string_view>{"oleks", "aleks"},
                                   {"volodimir", "vladimir"}}) {
      if (key.rfind(from, 0) == 0) key.replace(0, from.size(), to);
    }
    if (!ukrainian) return key;
    // Fathers' names in -ий/-ей/-ай/-о take -евич in Russian: Андрійович -> Andreevich,
    // Миколайович -> Nikolaevich, Дмитрович -> Dmitrievich.
    for (std::string_view suffix : {"ovich", "evich"}) {
      if (!ends_with(key, suffix) || key.size() <= suffix.size()) continue;
      const std::string stem = key.substr(0, key.size() - suffix.size());
      for (const std::string& candidate : {stem + "i", stem, stem + "o"}) {
        const auto it = given_names().find(candidate);
        if (it != given_names().end() && !it->second.empty() && it->second.back() == 'i')
          return it->second.substr(0, it->second.size() - 1) + "evich";
      }
    }
    return key;
  });
}

namespace {

// --- Full-name parsing -------------------------------------------------------------------

struct Token {
  std::string text;
  bool initial = false;
  std::string ascii{};  // latin(text), computed once
};

// Code points of a UTF-8 token that are letters, and whether all of them are capitals.
struct Letters {
  int count = 0;
  bool all_upper = true;
};

Letters letters(std::string_view s) {
  Letters l;
  int32_t i = 0;
  const auto n = static_cast<int32_t>(s.size());
  while (i < n) {
    UChar32 c = 0;
    U8_NEXT(s.data(), i, n, c);
    if (c < 0 || !u_isalpha(c)) continue;
    ++l.count;
    if (!u_isupper(c)) l.all_upper = false;
  }
  return l;
}

bool punctuation(char c) {
  return c == ',' || c == ';' || c == '.' || c == '"' || c == '\'' || c == ':' || c == '(' ||
         c == ')' || c == '*';
}

std::string_view strip_punctuation(std::string_view s) {
  while (!s.empty() && punctuation(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && punctuation(s.back()))
    s.remove_suffix(1);
  return s;
}

// Words of a name; "С.П." and "С. П." become two initials (without their dots).
void tokenize(std::string_view text, std::vector<Token>& out) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find_first_of(" \t\r\n", start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view word = text.substr(start, end - start);
    start = end + 1;
    if (word.find('.') != std::string_view::npos) {
      // Initials: every dot-separated piece is one letter.
      std::vector<std::string_view> pieces;
      std::string_view rest = word;
      bool all_single = true;
      while (!rest.empty()) {
        const std::size_t dot = std::min(rest.find('.'), rest.size());
        const std::string_view piece = strip_punctuation(rest.substr(0, dot));
        if (!piece.empty()) {
          pieces.push_back(piece);
          if (letters(piece).count != 1) all_single = false;
        }
        rest.remove_prefix(std::min(dot + 1, rest.size()));
      }
      if (all_single && !pieces.empty()) {
        for (auto p : pieces)
          out.push_back({std::string(p), true, latin(p)});
        continue;
      }
    }
    word = strip_punctuation(word);
    if (word.empty() || letters(word).count == 0) continue;
    out.push_back({std::string(word), letters(word).count == 1, latin(word)});
  }
}

bool is_patronymic(const Token& t) {
  if (t.initial) return false;
  const std::string& l = t.ascii;
  for (std::string_view e : {"ovich", "evich", "ovna", "evna", "ichna", "ovych", "evych", "ivna",
                             "ovitch", "evitch", "ovic", "evic"})
    if (ends_with(l, e) && l.size() > e.size() + 1) return true;
  // Patronymics of Илья, Кузьма, Фома, Лука, Никита, Савва.
  for (std::string_view p :
       {"ilich", "ilyich", "kuzmich", "fomich", "lukich", "nikitich", "savvich", "savich"})
    if (l == p) return true;
  return false;
}

bool is_given(const Token& t) {
  if (t.initial) return false;
  const std::string key = per_word(t.ascii, folded);
  if (key.empty()) return false;
  if (given_names().contains(key)) return true;
  // A given name in a French or German spelling (Iouri, Sergueï, Michail).
  for (const std::string& reading : foreign_readings(t.ascii))
    if (given_names().contains(per_word(reading, folded))) return true;
  return false;
}

bool is_caps(const Token& t) {
  const Letters l = letters(t.text);
  return !t.initial && l.count >= 2 && l.all_upper;
}

bool surname_like(const Token& t) {
  if (t.initial) return false;
  const std::string& l = t.ascii;
  for (std::string_view e :
       {"ov",    "ev",   "in", "ova", "eva",  "ina", "sky",    "skiy", "skii", "skij",
        "skaya", "enko", "uk", "yuk", "chuk", "dze", "shvili", "yan",  "ian",  "ykh",
        "ikh",   "yy",   "oy", "ko",  "off",  "eff", "ow",     "ew",   "ine",  "ski"})
    if (ends_with(l, e) && l.size() > e.size() + 2) return true;
  return false;
}

// Turkic patronymic particles written after the father's name: "Ахмед оглы".
bool turkic_particle(const Token& t) {
  const std::string& l = t.ascii;
  return l == "ogly" || l == "ogli" || l == "oglu" || l == "kyzy" || l == "kizi" || l == "uly" ||
         l == "uuly";
}

std::string join(const std::vector<Token>& t, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to && i < t.size(); ++i) {
    if (!out.empty()) out += ' ';
    out += t[i].text;
  }
  return out;
}

// How much more a token looks like a surname than a given name (positive: surname).
int surname_evidence(const Token& t) {
  int score = 0;
  if (is_caps(t)) score += 4;
  if (t.initial) score -= 4;
  if (is_given(t)) score -= 2;
  if (surname_like(t)) score += 1;
  return score;
}

// A daughter's patronymic (-овна, -евна, -ична): no surname ends so, unlike -ович (Богданович).
bool female_patronymic(const Token& t) {
  const std::string& l = t.ascii;
  return !t.initial && (ends_with(l, "ovna") || ends_with(l, "evna") || ends_with(l, "ichna") ||
                        ends_with(l, "ivna"));
}

PersonName two_tokens(const std::vector<Token>& t) {
  // Lists write "Given Surname" far more often than "Given Patronymic", and surnames in -ович
  // and -евич are common (Богданович, Лукашевич), so only a daughter's patronymic is read as one.
  if (female_patronymic(t[1]) && !t[0].initial) return {"", t[0].text, t[1].text};
  if (surname_evidence(t[1]) > surname_evidence(t[0])) return {t[1].text, t[0].text, ""};
  return {t[0].text, t[1].text, ""};
}

PersonName three_tokens(const std::vector<Token>& t) {
  const bool p1 = is_patronymic(t[1]), p2 = is_patronymic(t[2]);
  if (p2 && !p1) return {t[0].text, t[1].text, t[2].text};
  if (p1 && !p2) return {t[2].text, t[0].text, t[1].text};
  if (t[0].initial && t[1].initial && !t[2].initial) return {t[2].text, t[0].text, t[1].text};
  if (surname_evidence(t[2]) > surname_evidence(t[0])) return {t[2].text, t[0].text, t[1].text};
  return {t[0].text, t[1].text, t[2].text};
}

PersonName many_tokens(std::vector<Token> t) {
  // "Мамедов Рашид Ахмед оглы": the particle belongs to the patronymic.
  if (t.size() >= 4 && turkic_particle(t.back())) {
    t[t.size() - 2].text += " " + t.back().text;
    t[t.size() - 2].ascii += " " + t.back().ascii;
    t.pop_back();
    if (t.size() == 3) return {t[0].text, t[1].text, t[2].text};
  }
  const std::size_t n = t.size();
  for (std::size_t p = n; p-- > 1;) {
    if (!is_patronymic(t[p])) continue;
    if (p == 1) return {join(t, 2, n), t[0].text, t[1].text};  // Given Patronymic Surname
    return {join(t, 0, p - 1), t[p - 1].text, join(t, p, n)};  // Surname... Given Patronymic
  }
  // No patronymic: capitals mark the surname; otherwise surname first.
  std::size_t caps = n;
  for (std::size_t i = 0; i < n; ++i)
    if (is_caps(t[i])) caps = i;
  if (caps == n - 1 && !is_caps(t[0])) return {t[n - 1].text, t[0].text, join(t, 1, n - 1)};
  return {t[0].text, t[1].text, join(t, 2, n)};
}

// Replaces invalid UTF-8 by U+FFFD (ICU), so every later step sees valid text.
std::string valid_utf8(std::string_view s) {
  if (!first_invalid_utf8(s)) return std::string(s);
  std::string out;
  icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())))
      .toUTF8String(out);
  return out;
}

// Drops parenthesised parts ("Иванова (Петрова) Анна": a former surname) and brackets.
std::string without_parentheses(std::string_view s) {
  std::string out;
  int depth = 0;
  for (char c : s) {
    if (c == '(' || c == '[') {
      ++depth;
      out += ' ';
    } else if ((c == ')' || c == ']') && depth > 0) {
      --depth;
    } else if (depth == 0) {
      out += c;
    }
  }
  return out;
}

}  // namespace

PersonName parse_full_name(std::string_view full) {
  const std::string text = without_parentheses(valid_utf8(full));
  std::vector<Token> tokens;
  const std::size_t comma = text.find(',');
  if (comma != std::string::npos) {  // "SURNAME, Given Patronymic"
    std::vector<Token> surname;
    tokenize(std::string_view(text).substr(0, comma), surname);
    tokenize(std::string_view(text).substr(comma + 1), tokens);
    if (!surname.empty()) {
      PersonName name{join(surname, 0, surname.size()), "", ""};
      if (!tokens.empty()) name.given = tokens[0].text;
      name.patronymic = join(tokens, 1, tokens.size());
      return name;
    }
  } else {
    tokenize(text, tokens);
  }
  switch (tokens.size()) {
    case 0:
      return {};
    case 1:
      if (is_given(tokens[0]) && !is_caps(tokens[0])) return {"", tokens[0].text, ""};
      return {tokens[0].text, "", ""};
    case 2:
      return two_tokens(tokens);
    case 3:
      return three_tokens(tokens);
    default:
      return many_tokens(std::move(tokens));
  }
}

}  // namespace recount::linkage
