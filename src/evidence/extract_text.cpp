#include "extract_text.hpp"

#include <algorithm>
#include <array>

#include "extract_lexicon.hpp"
#include "recount/core/error.hpp"
#include "recount/evidence/claim.hpp"
#include "recount/evidence/vocabulary.hpp"

namespace recount::detail {
namespace {

struct Entry {
  std::string_view word;
  std::uint32_t classes;
  std::uint8_t arg;
};

constexpr std::array<std::string_view, 12> month_names = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};
constexpr std::array<std::pair<std::string_view, std::uint8_t>, 12> month_short = {{
    {"jan", 1},
    {"feb", 2},
    {"mar", 3},
    {"apr", 4},
    {"jun", 6},
    {"jul", 7},
    {"aug", 8},
    {"sep", 9},
    {"sept", 9},
    {"oct", 10},
    {"nov", 11},
    {"dec", 12},
}};

constexpr std::array<std::string_view, 19> small_numbers = {
    "one",     "two",     "three",     "four",     "five",    "six",      "seven",
    "eight",   "nine",    "ten",       "eleven",   "twelve",  "thirteen", "fourteen",
    "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
constexpr std::array<std::string_view, 8> tens = {"twenty", "thirty",  "forty",  "fifty",
                                                  "sixty",  "seventy", "eighty", "ninety"};

// The word classes the lexicon's cues name (data/lexicons/en.tsv).
constexpr std::pair<std::string_view, std::uint32_t> class_cues[] = {
    {"people", w_people},
    {"thing", w_thing},
    {"time_unit", w_time_unit},
    {"money", w_money},
    {"attribution", w_attribution},
    {"backref", w_backref},
    {"function_word", w_english},
    {"abbreviation", w_abbreviation},
    {"determiner", w_determiner},
    {"source_noun", w_source_noun},
    {"stop", w_stop},
    {"forces", w_forces},
    {"org_marker", w_org_marker},
    {"counted", w_counted},
    {"backref_person", w_backref_person},
    {"backref_body", w_backref_body},
    {"honorific", w_honorific},
    {"retraction", w_retraction},
    {"identifier", w_identifier},
    {"title", w_title},
};

// The lexicon's words and their Lexemes: open addressing over a power of two slots, at most half
// full, probed linearly. By hand: the tokenizer looks up every word of a report, and the chains
// and prime modulo of std::unordered_map cost it more than the rest of its work on the word.
class Table {
 public:
  // The word's Lexeme, a new empty one when it has none. `w` must outlive the table.
  Lexeme& operator[](std::string_view w) {
    if (2 * (count_ + 1) > slots_.size()) grow();
    const std::size_t h = hash(w);
    Slot& s = slots_[place(slots_, w, h)];
    if (s.word.data() == nullptr) {
      s.word = w;
      s.hash = h;
      ++count_;
    }
    return s.lexeme;
  }

  [[nodiscard]] const Lexeme* find(std::string_view w) const noexcept {
    if (slots_.empty()) return nullptr;
    const Slot& s = slots_[place(slots_, w, hash(w))];
    return s.word.data() == nullptr ? nullptr : &s.lexeme;
  }

 private:
  struct Slot {
    std::string_view word;  // data() null: empty
    std::size_t hash = 0;   // compared before the words
    Lexeme lexeme;
  };

  // FNV-1a (Fowler, Noll and Vo): words are short, and it needs no more than a byte loop.
  static std::size_t hash(std::string_view w) noexcept {
    std::uint64_t h = 14695981039346656037u;
    for (const char c : w)
      h = (h ^ static_cast<unsigned char>(c)) * 1099511628211u;
    return static_cast<std::size_t>(h ^ (h >> 32));
  }

  // The place of the slot holding `w`, else of the empty slot where it goes.
  static std::size_t place(const std::vector<Slot>& slots, std::string_view w,
                           std::size_t h) noexcept {
    const std::size_t mask = slots.size() - 1;
    std::size_t i = h & mask;
    while (slots[i].word.data() != nullptr && (slots[i].hash != h || slots[i].word != w))
      i = (i + 1) & mask;
    return i;
  }

  void grow() {
    std::vector<Slot> bigger(std::max<std::size_t>(64, 2 * slots_.size()));
    for (const Slot& s : slots_)
      if (s.word.data() != nullptr) bigger[place(bigger, s.word, s.hash)] = s;
    slots_ = std::move(bigger);
  }

  std::vector<Slot> slots_;
  std::size_t count_ = 0;
};

void put(Table& t, std::string_view w, std::uint32_t cls, std::uint8_t arg = 0) {
  Lexeme& e = t[w];
  e.classes |= cls;
  if (arg != 0) e.arg = arg;
}

// Everything the extractor knows of English words, read once from the embedded lexicon.
struct English {
  Table table;
  std::vector<std::string> populations{""};  // index 0: none
  std::vector<PopulationPhrase> phrases;
  std::vector<MeasurePhrase> measure_phrases;
  std::vector<MeasurePhrase> cue_phrases;
  std::vector<JointPopulation> joints;
  // The source_type phrases in lexicon order, and for each first byte the places of the
  // phrases starting with it (a name is tried at its word starts, not against every phrase).
  std::vector<std::pair<std::string, SourceType>> source_types;
  std::array<std::vector<std::uint16_t>, 256> source_types_by_first;

  std::uint8_t population(const std::string& id) {
    for (std::size_t i = 0; i < populations.size(); ++i)
      if (populations[i] == id) return static_cast<std::uint8_t>(i);
    populations.push_back(id);
    return static_cast<std::uint8_t>(populations.size() - 1);
  }
};

// The tokens of a phrase: its words, and "-" for each hyphen and "/" for each slash ("unit-b" is
// unit, -, b; "kia/wia" is kia, /, wia).
std::vector<std::string> split_phrase(std::string_view w) {
  std::vector<std::string> parts;
  for (std::size_t at = 0; at < w.size();) {
    const std::size_t end = std::min(w.find_first_of(" -/", at), w.size());
    if (end > at) parts.emplace_back(w.substr(at, end - at));
    if (end < w.size() && w[end] != ' ') parts.emplace_back(1, w[end]);
    at = end + 1;
  }
  return parts;
}

// Every phrase a `measure` or `sentence_measure` line's words stand for: a word may list its
// alternatives with '|' ("held|serving in prisons|colonies" is four phrases).
std::vector<std::vector<std::string>> phrase_alternatives(std::string_view w) {
  std::vector<std::vector<std::string>> out{{}};
  for (const std::string& part : split_phrase(w)) {
    std::vector<std::vector<std::string>> next;
    for (const auto& prefix : out)
      for (std::size_t at = 0; at <= part.size();) {
        const std::size_t bar = std::min(part.find('|', at), part.size());
        next.push_back(prefix);
        next.back().push_back(part.substr(at, bar - at));
        at = bar + 1;
      }
    out = std::move(next);
  }
  return out;
}

English build_english() {
  English en;
  Table& t = en.table;
  for (std::size_t i = 0; i < month_names.size(); ++i)
    if (month_names[i] != "may") put(t, month_names[i], w_month, static_cast<std::uint8_t>(i + 1));
  for (const auto& [w, mo] : month_short)
    put(t, w, w_month, mo);
  for (std::size_t i = 0; i < small_numbers.size(); ++i)
    put(t, small_numbers[i], w_number, static_cast<std::uint8_t>(i + 1));
  for (std::size_t i = 0; i < tens.size(); ++i)
    put(t, tens[i], w_number, static_cast<std::uint8_t>(20 + 10 * i));
  put(t, "hundred", w_multiplier, 2);
  put(t, "thousand", w_multiplier, 3);
  put(t, "million", w_multiplier, 6);
  put(t, "mln", w_multiplier, 6);
  put(t, "billion", w_multiplier, 9);
  put(t, "bn", w_multiplier, 9);
  put(t, "hundreds", w_magnitude, 2);
  put(t, "thousands", w_magnitude, 3);
  put(t, "millions", w_magnitude, 6);
  const Lexicon& lexicon = builtin_lexicon("en");
  const auto fail = [](const LexiconEntry& e, const std::string& what) {
    return internal_error("data/lexicons/en.tsv:" + std::to_string(e.line) + ": " + what);
  };
  std::vector<std::pair<std::string_view, Hedge>> hedge_words;
  for (const LexiconEntry& e : lexicon.entries) {
    const std::string_view w = e.words;
    bool done = false;
    for (const auto& [cue, cls] : class_cues)
      if (e.cue == cue) {
        put(t, w, cls);
        done = true;
      }
    if (done) continue;
    if ((e.cue == "measure" || e.cue == "weak_measure") &&
        w.find_first_of(" -/|") != std::string_view::npos) {
      if (e.cue == "weak_measure") throw fail(e, "a weak_measure is one word");
      const std::uint8_t measure = measure_index(e.value);
      if (measure == 0) throw fail(e, "unknown measure " + e.value);
      for (auto& parts : phrase_alternatives(w)) {
        put(t, parts.front(), w_cue_phrase);
        en.cue_phrases.push_back({std::move(parts), measure});
      }
    } else if (e.cue == "measure" || e.cue == "weak_measure") {
      const std::uint8_t measure = measure_index(e.value);
      if (measure == 0) throw fail(e, "unknown measure " + e.value);
      Lexeme& x = t[w];
      x.classes |= e.cue == "measure" ? w_measure : w_weak_measure;
      x.measure = measure;
    } else if (e.cue == "population" || e.cue == "forces_population") {
      const std::uint8_t p = en.population(e.value);
      const std::size_t cut = w.find_first_of(" -/");
      if (cut == std::string_view::npos) {
        Lexeme& x = t[w];
        x.classes |= e.cue == "population" ? w_population : w_forces_population;
        x.population = p;
        continue;
      }
      PopulationPhrase phrase{split_phrase(w), p};
      put(t, phrase.parts.front(), w_population_phrase);
      en.phrases.push_back(std::move(phrase));
    } else if (e.cue == "sentence_measure") {
      const std::uint8_t measure = measure_index(e.value);
      if (measure == 0) throw fail(e, "unknown measure " + e.value);
      for (auto& parts : phrase_alternatives(w)) {
        put(t, parts.front(), w_measure_phrase);
        en.measure_phrases.push_back({std::move(parts), measure});
      }
    } else if (e.cue == "joint") {
      const std::size_t space = w.find(' ');
      if (space == std::string_view::npos) throw fail(e, "a joint names two populations");
      en.joints.push_back({en.population(std::string(w.substr(0, space))),
                           en.population(std::string(w.substr(space + 1))),
                           en.population(e.value)});
    } else if (e.cue == "hedge") {
      const auto hedge = parse_hedge(e.value);
      if (!hedge) throw fail(e, "unknown hedge " + e.value);
      hedge_words.emplace_back(w, *hedge);
    } else if (e.cue == "source_type") {
      const auto type = parse_source_type(e.value);
      if (!type) throw fail(e, "unknown source type " + e.value);
      en.source_types_by_first[static_cast<unsigned char>(e.words.front())].push_back(
          static_cast<std::uint16_t>(en.source_types.size()));
      en.source_types.emplace_back(e.words, *type);
    } else {
      throw fail(e, "unknown cue " + e.cue);
    }
  }
  for (const auto& [w, hedge] : hedge_words) {
    Lexeme& e = t[w];
    e.classes |= w_hedge;
    // Hedge and month never share a word; keep the hedge in arg only when free.
    if ((e.classes & (w_month | w_number | w_multiplier | w_magnitude)) == 0)
      e.arg = static_cast<std::uint8_t>(hedge);
  }
  const auto by_first_word = [](const MeasurePhrase& a, const MeasurePhrase& b) {
    return a.parts.front() < b.parts.front();
  };
  std::stable_sort(en.measure_phrases.begin(), en.measure_phrases.end(), by_first_word);
  std::stable_sort(en.cue_phrases.begin(), en.cue_phrases.end(), by_first_word);
  // Each first word's run of phrases, kept in its lexeme.
  const auto ranges = [&](const std::vector<MeasurePhrase>& phrases, PhraseRange Lexeme::*range) {
    for (std::size_t from = 0; from < phrases.size();) {
      std::size_t to = from;
      while (to < phrases.size() && phrases[to].parts.front() == phrases[from].parts.front())
        ++to;
      t[phrases[from].parts.front()].*
          range = {static_cast<std::uint16_t>(from), static_cast<std::uint16_t>(to - from)};
      from = to;
    }
  };
  ranges(en.measure_phrases, &Lexeme::measure_phrases);
  ranges(en.cue_phrases, &Lexeme::cue_phrases);
  return en;
}

const English& english_lexicon() {
  static const English en = build_english();
  return en;
}

bool is_ascii_letter(unsigned char c) {
  return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}
bool is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}

// Multi-byte characters the tokenizer treats specially: the length of the sequence at i, or 0.
std::size_t special_width(std::string_view s, std::size_t i, char& as) {
  const auto b = [&](std::size_t k) {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u;
  };
  if (b(0) == 0xC2 && b(1) == 0xA0) return as = ' ', 2;  // no-break space
  if (b(0) == 0xC2 && b(1) == 0xA3) return as = '$', 2;  // pound sign
  if (b(0) == 0xC2 && b(1) == 0xAB) return as = '"', 2;  // guillemets
  if (b(0) == 0xC2 && b(1) == 0xBB) return as = '"', 2;
  if (b(0) == 0xE2 && b(1) == 0x80) {
    const unsigned c = b(2);
    if (c >= 0x80 && c <= 0x8B) return as = ' ', 3;                       // en/em/thin/hair spaces
    if (c == 0xAF) return as = ' ', 3;                                    // narrow no-break space
    if (c >= 0x90 && c <= 0x95) return as = '-', 3;                       // hyphens and dashes
    if (c >= 0x98 && c <= 0x9F) return as = (c <= 0x9B ? '\'' : '"'), 3;  // quotes
    if (c == 0xA6) return as = '.', 3;                                    // ellipsis
    if (c == 0xA2) return as = '*', 3;                                    // bullet
  }
  if (b(0) == 0xE2 && b(1) == 0x82 && (b(2) == 0xAC || b(2) == 0xBD || b(2) == 0xB4))
    return as = '$', 3;  // euro, rouble, hryvnia signs
  if (b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF) return as = ' ', 3;  // byte-order mark
  return 0;
}

}  // namespace

Lexeme lookup(std::string_view lower_word) noexcept {
  const Lexeme* found = english_lexicon().table.find(lower_word);
  return found == nullptr ? Lexeme{} : *found;
}

std::string_view population_id(std::uint8_t population) noexcept {
  const auto& ids = english_lexicon().populations;
  return population < ids.size() ? std::string_view(ids[population]) : std::string_view();
}

const std::vector<PopulationPhrase>& population_phrases() noexcept {
  return english_lexicon().phrases;
}

std::uint8_t measure_index(std::string_view id) noexcept {
  const auto& measures = builtin_measures();
  for (std::size_t i = 0; i < measures.size(); ++i)
    if (measures[i].measure.id() == id) return static_cast<std::uint8_t>(i + 1);
  return 0;
}

const Measure& measure_at(std::uint8_t measure) noexcept {
  static const Measure none;
  const auto& measures = builtin_measures();
  return measure == 0 || measure > measures.size() ? none : measures[measure - 1u].measure;
}

std::span<const MeasurePhrase> measure_phrases_of(const Token& token) noexcept {
  return std::span(english_lexicon().measure_phrases)
      .subspan(token.measure_phrases.from, token.measure_phrases.count);
}

std::span<const MeasurePhrase> cue_phrases_of(const Token& token) noexcept {
  return std::span(english_lexicon().cue_phrases)
      .subspan(token.cue_phrases.from, token.cue_phrases.count);
}

const std::vector<JointPopulation>& joint_populations() noexcept {
  return english_lexicon().joints;
}

std::optional<SourceType> source_type_of(std::string_view who) noexcept {
  const English& en = english_lexicon();
  const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || c == '\''; };
  // The first phrase in lexicon order is the one with the least place among all found.
  std::size_t best = en.source_types.size();
  for (std::size_t at = 0; at < who.size(); ++at) {
    if (at > 0 && letter(who[at - 1])) continue;
    for (const std::uint16_t k : en.source_types_by_first[static_cast<unsigned char>(who[at])]) {
      if (k >= best) break;
      const std::string& w = en.source_types[k].first;
      const std::size_t after = at + w.size();
      if (who.compare(at, w.size(), w) != 0) continue;
      if (w.size() > 5 || after >= who.size() || !letter(who[after])) best = k;
    }
  }
  if (best == en.source_types.size()) return std::nullopt;
  return en.source_types[best].second;
}

std::vector<Token> tokenize(std::string_view text, std::string_view lower) {
  std::vector<Token> out;
  out.reserve(text.size() / 6 + 1);
  const std::size_t n = text.size();
  std::size_t i = 0;
  bool space = true;
  const auto u = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  while (i < n) {
    const unsigned char c = u(i);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
      space = true;
      continue;
    }
    if (c == '\n') {
      // A run of line ends with only spaces between them: one newline, or a paragraph break.
      std::size_t j = i;
      int lines = 0;
      while (j < n) {
        const unsigned char d = u(j);
        if (d == '\n') {
          ++lines;
        } else if (d != ' ' && d != '\t' && d != '\r') {
          break;
        }
        ++j;
      }
      Token t;
      t.start = i;
      t.end = i + 1;
      t.type = lines >= 2 ? TokenType::paragraph : TokenType::newline;
      t.space_before = true;
      out.push_back(t);
      i = j;
      space = true;
      continue;
    }
    char as = 0;
    if (c >= 0x80) {
      if (const std::size_t w = special_width(text, i, as); w > 0) {
        if (as == ' ') {
          i += w;
          space = true;
          continue;
        }
        Token t;
        t.start = i;
        t.end = i + w;
        t.type = TokenType::punct;
        t.punct = as;
        t.space_before = space;
        out.push_back(t);
        i += w;
        space = false;
        continue;
      }
    }
    // Built in place: a token built aside and copied in stalls on the copy of its fresh bytes.
    Token& t = out.emplace_back();
    t.start = i;
    t.space_before = space;
    space = false;
    if (is_digit(c)) {
      t.type = TokenType::number;
      double v = 0;
      std::size_t j = i;
      std::size_t lead = 0;
      while (j < n && is_digit(u(j))) {
        v = v * 10 + (u(j) - '0');
        ++j;
        ++lead;
      }
      // Thousands groups: ",ddd" or " ddd" (also no-break and thin spaces), not followed by a
      // further digit. Spaces group only after a first group of one to three digits.
      const auto group_at = [&](std::size_t k, std::size_t& after) {
        char sep = 0;
        std::size_t w = 1;
        if (k >= n) return false;
        if (text[k] == ',') {
          sep = ',';
        } else if (text[k] == ' ') {
          sep = ' ';
        } else if (u(k) >= 0x80) {
          w = special_width(text, k, sep);
          if (sep != ' ') return false;
        } else {
          return false;
        }
        if (sep == ' ' && lead > 3) return false;
        const std::size_t d = k + w;
        if (d + 3 > n) return false;
        if (!is_digit(u(d)) || !is_digit(u(d + 1)) || !is_digit(u(d + 2))) return false;
        if (d + 3 < n && is_digit(u(d + 3))) return false;
        after = d;
        return true;
      };
      std::size_t after = 0;
      while (group_at(j, after)) {
        t.grouped = true;
        v = v * 1000 + (u(after) - '0') * 100 + (u(after + 1) - '0') * 10 + (u(after + 2) - '0');
        j = after + 3;
      }
      if (j + 1 < n && text[j] == '.' && is_digit(u(j + 1))) {
        t.decimal = true;
        ++j;
        double scale = 0.1;
        while (j < n && is_digit(u(j))) {
          v += scale * (u(j) - '0');
          scale /= 10;
          ++j;
        }
      }
      t.value = v;
      const std::size_t letters = j;
      while (j < n && is_ascii_letter(u(j)))
        ++j;
      t.word = lower.substr(letters, j - letters);
      t.end = j;
      i = j;
      continue;
    }
    if (is_ascii_letter(c) || c >= 0x80) {
      std::size_t j = i;
      while (j < n) {
        const unsigned char d = u(j);
        if (is_ascii_letter(d) || is_digit(d)) {
          ++j;
          continue;
        }
        if (d >= 0x80) {
          char sp = 0;
          if (special_width(text, j, sp) > 0) {
            // An apostrophe inside a word (Russia's) stays in it.
            if (sp == '\'' && j + 3 < n && is_ascii_letter(u(j + 3))) {
              j += 3;
              continue;
            }
            break;
          }
          ++j;
          continue;
        }
        if ((d == '\'' || d == '.') && j + 1 < n && is_ascii_letter(u(j + 1))) {
          ++j;
          continue;
        }
        break;
      }
      std::string_view w = lower.substr(i, j - i);
      // A plural possessive inside a name keeps its apostrophe: "the Soldiers' Mothers
      // Committee" is one name.
      if (!w.empty() && w.back() == 's') {
        const std::size_t mark = j < n && u(j) == '\'' ? 1
                                 : j + 2 < n && u(j) == 0xE2 && u(j + 1) == 0x80 && u(j + 2) == 0x99
                                     ? 3
                                     : 0;
        if (mark != 0 && j + mark + 1 < n && u(j + mark) == ' ' && u(j + mark + 1) >= 'A' &&
            u(j + mark + 1) <= 'Z')
          j += mark;
      }
      t.end = j;
      t.capitalized = c >= 'A' && c <= 'Z';
      if (w.size() > 2 && w.substr(w.size() - 2) == "'s") {
        t.possessive = true;
        w.remove_suffix(2);
      } else if (w.size() > 4 && w.substr(w.size() - 4) == "\xE2\x80\x99s") {
        t.possessive = true;
        w.remove_suffix(4);
      }
      t.word = w;
      const Lexeme lex = lookup(w);
      t.classes = lex.classes;
      t.arg = lex.arg;
      t.measure = lex.measure;
      t.population = lex.population;
      t.cue_phrases = lex.cue_phrases;
      t.measure_phrases = lex.measure_phrases;
      i = j;
      continue;
    }
    t.type = TokenType::punct;
    t.punct = (c == '`') ? '\'' : static_cast<char>(c);
    if (c == '$') t.punct = '$';
    t.end = i + 1;
    ++i;
  }
  return out;
}

std::vector<Span> split_sentences(std::string_view text, const std::vector<Token>& tokens) {
  std::vector<Span> out;
  const std::size_t n = tokens.size();
  std::size_t first = 0;
  std::size_t line_start = 0;  // byte offset where the current line starts
  const auto close = [&](std::size_t last) {
    if (last > first) out.push_back({first, last});
    first = last;
  };
  for (std::size_t i = 0; i < n; ++i) {
    const Token& t = tokens[i];
    if (t.type == TokenType::paragraph) {
      close(i);
      first = i + 1;
      line_start = t.end;
      continue;
    }
    if (t.type == TokenType::newline) {
      // Short lines (headlines, captions, datelines) end where they end; long lines are
      // hard-wrapped prose and continue on the next line.
      const bool short_line = t.start - line_start < 60;
      // A line opening with a dash or a bullet is an item of its own (a post's list).
      const bool item = i + 1 < n && tokens[i + 1].type == TokenType::punct &&
                        (tokens[i + 1].punct == '-' || tokens[i + 1].punct == '*');
      line_start = t.end;
      if (short_line || item) {
        close(i);
        first = i + 1;
      }
      continue;
    }
    if (t.type != TokenType::punct || (t.punct != '.' && t.punct != '!' && t.punct != '?'))
      continue;
    // Closing quotes and brackets after the stop belong to the sentence.
    std::size_t j = i + 1;
    while (j < n && tokens[j].type == TokenType::punct && !tokens[j].space_before &&
           (tokens[j].punct == '"' || tokens[j].punct == '\'' || tokens[j].punct == ')' ||
            tokens[j].punct == '.' || tokens[j].punct == '!' || tokens[j].punct == '?'))
      ++j;
    const std::size_t run_end = j;
    if (j < n && !tokens[j].space_before && tokens[j].type != TokenType::newline &&
        tokens[j].type != TokenType::paragraph) {
      i = run_end - 1;  // "x.y" punctuation, not an end; skip the run (linear time)
      continue;
    }
    if (t.punct == '.' && !t.space_before && i > 0 && tokens[i - 1].type == TokenType::word) {
      const Token& prev = tokens[i - 1];
      const bool initial = prev.end - prev.start == 1 && prev.capitalized;
      if (initial || (prev.classes & w_abbreviation) != 0) {
        // "Mr. Smith", "J. Smith", "U.S. officials": not an end, unless a new sentence
        // obviously starts (a paragraph or line break follows).
        if (j < n && tokens[j].type != TokenType::paragraph) {
          i = run_end - 1;
          continue;
        }
      }
    }
    if (j < n && tokens[j].type == TokenType::word && !tokens[j].capitalized &&
        tokens[j].word.size() > 0 && static_cast<unsigned char>(text[tokens[j].start]) < 0x80) {
      i = run_end - 1;  // a lower-case word follows: an abbreviation we do not know
      continue;
    }
    close(j);
    i = j - 1;
  }
  close(n);
  return out;
}

std::optional<Date> iso_date_prefix(std::string_view s) noexcept {
  if (s.size() < 10) return std::nullopt;
  for (std::size_t k : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[k] < '0' || s[k] > '9') return std::nullopt;
  if (s[4] != '-' || s[7] != '-') return std::nullopt;
  if (s.size() > 10 && s[10] >= '0' && s[10] <= '9') return std::nullopt;
  try {
    return Date::parse_iso(s.substr(0, 10));
  } catch (...) {
    return std::nullopt;
  }
}

namespace {

std::optional<Date> make_date(double y, unsigned mo, double d) {
  if (y < 1900 || y > 2100 || d < 1 || d > 31 || mo < 1 || mo > 12) return std::nullopt;
  try {
    return Date::from_ymd(static_cast<int>(y), mo, static_cast<unsigned>(d));
  } catch (...) {
    return std::nullopt;
  }
}

unsigned month_of(const Token& t) {
  if (t.type != TokenType::word) return 0;
  if ((t.classes & w_month) != 0) return t.arg;
  if (t.word == "may" && t.capitalized) return 5;
  return 0;
}

bool plain_int(const Token& t) {
  return t.type == TokenType::number && !t.grouped && !t.decimal;
}

bool day_number(const Token& t) {
  return plain_int(t) && t.value >= 1 && t.value <= 31 &&
         (t.word.empty() || t.word == "st" || t.word == "nd" || t.word == "rd" || t.word == "th");
}

bool year_number(const Token& t) {
  return plain_int(t) && t.word.empty() && t.value >= 1900 && t.value <= 2100;
}

}  // namespace

std::optional<Date> date_at(const std::vector<Token>& tk, std::size_t i, std::size_t limit,
                            std::size_t& end) {
  const auto at = [&](std::size_t k) -> const Token* { return k < limit ? &tk[k] : nullptr; };
  const Token* a = at(i);
  if (a == nullptr) return std::nullopt;
  // 2023-12-08
  if (plain_int(*a) && a->value >= 1900 && a->value <= 2100 && a->end - a->start == 4) {
    const Token* d1 = at(i + 1);
    const Token* mo = at(i + 2);
    const Token* d2 = at(i + 3);
    const Token* dd = at(i + 4);
    if (d1 && mo && d2 && dd && d1->punct == '-' && d2->punct == '-' && !d1->space_before &&
        !mo->space_before && plain_int(*mo) && mo->value >= 1 && mo->value <= 12 &&
        day_number(*dd)) {
      if (auto d = make_date(a->value, static_cast<unsigned>(mo->value), dd->value)) {
        end = i + 5;
        return d;
      }
    }
    return std::nullopt;
  }
  // 8 December 2023, 8th of December 2023
  if (day_number(*a)) {
    std::size_t k = i + 1;
    if (const Token* of = at(k); of && of->word == "of") ++k;
    const Token* mo = at(k);
    if (mo == nullptr || month_of(*mo) == 0) return std::nullopt;
    ++k;
    if (const Token* dot = at(k); dot && dot->punct == '.') ++k;
    if (const Token* comma = at(k); comma && comma->punct == ',') ++k;
    const Token* y = at(k);
    if (y && year_number(*y)) {
      if (auto d = make_date(y->value, month_of(*mo), a->value)) {
        end = k + 1;
        return d;
      }
    }
    return std::nullopt;
  }
  // December 8, 2023; Dec. 8 2023
  if (const unsigned mo = month_of(*a); mo != 0) {
    std::size_t k = i + 1;
    if (const Token* dot = at(k); dot && dot->punct == '.') ++k;
    const Token* d = at(k);
    if (d == nullptr || !day_number(*d)) return std::nullopt;
    ++k;
    if (const Token* comma = at(k); comma && comma->punct == ',') ++k;
    const Token* y = at(k);
    if (y && year_number(*y)) {
      if (auto date = make_date(y->value, mo, d->value)) {
        end = k + 1;
        return date;
      }
    }
  }
  return std::nullopt;
}

std::optional<Date> find_dateline(std::string_view text) {
  // The dateline sits near the top: look at the first 40 lines or 4 KB.
  const std::size_t limit = std::min<std::size_t>(text.size(), 4096);
  std::size_t cut = 0;
  for (int lines = 0; lines < 40; ++lines) {
    const std::size_t eol = text.substr(0, limit).find('\n', cut);
    if (eol == std::string_view::npos) {
      cut = limit;
      break;
    }
    cut = eol + 1;
  }
  const std::string_view head = text.substr(0, cut);
  // A dateline is a month's name (Latin letters) or YYYY-MM-DD. A head without Latin letters,
  // or mostly Cyrillic (a Russian report, which the Russian reader dates), has no dateline to
  // find here unless it gives an ISO date; one pass over its bytes tells.
  std::size_t latin = 0;
  std::size_t cyrillic = 0;  // lead bytes of U+0400..U+04FF
  // Counted without a branch per byte (the loop runs in vector registers); no byte of 0x80 or
  // more is a letter a..z once 0x20 is set.
  for (const char ch : head) {
    const auto b = static_cast<unsigned char>(ch);
    latin += static_cast<unsigned>((b | 0x20) - 'a') < 26 ? 1 : 0;
    cyrillic += b >= 0xD0 && b <= 0xD3 ? 1 : 0;
  }
  bool iso = false;
  for (std::size_t k = head.find('-'); k != std::string_view::npos && !iso;
       k = head.find('-', k + 1))
    iso = k >= 4 && k + 3 < head.size() && is_digit(static_cast<unsigned char>(head[k - 1])) &&
          is_digit(static_cast<unsigned char>(head[k + 1])) && head[k + 3] == '-';
  if ((latin == 0 || cyrillic > latin) && !iso) return std::nullopt;
  // Line by line, and only the lines with a digit: no date crosses a line end or lacks a number,
  // and most of a report's lines have none.
  std::string lower;
  for (std::size_t at = 0; at < head.size();) {
    const std::size_t eol = std::min(head.find('\n', at), head.size());
    const std::string_view line = head.substr(at, eol - at);
    at = eol + 1;
    if (line.find_first_of("0123456789") == std::string_view::npos) continue;
    lower.assign(line);
    for (char& c : lower)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const std::vector<Token> tokens = tokenize(line, lower);
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      std::size_t end_of_date = 0;
      if (auto d = date_at(tokens, i, tokens.size(), end_of_date)) return d;
    }
  }
  return std::nullopt;
}

}  // namespace recount::detail
