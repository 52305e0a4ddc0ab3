#include "extract_russian.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <unordered_map>

#include <libstemmer.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "extract_lexicon.hpp"
#include "recount/core/error.hpp"

namespace recount::detail {

struct RuWord {
  std::string stem;
  // The entries of the built-in lexicon that start with this stem and with this form, found on
  // the form's first match: a report repeats its words, and each lookup is a hash and a miss.
  mutable bool looked_up = false;
  mutable const std::vector<std::uint32_t>* by_first = nullptr;
  mutable const std::vector<std::uint32_t>* by_form = nullptr;
};

namespace {

constexpr std::size_t none = static_cast<std::size_t>(-1);

// --- tokens ---------------------------------------------------------------------------------

struct TransparentHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};

// Word forms seen on this thread and their stems. The Snowball stemmer is not thread-safe and
// costs more than a hash lookup, so each thread keeps its own, with the forms it has stemmed.
class StemCache {
 public:
  StemCache() : stemmer_(sb_stemmer_new("russian", "UTF_8")) {}
  ~StemCache() { sb_stemmer_delete(stemmer_); }
  StemCache(const StemCache&) = delete;
  StemCache& operator=(const StemCache&) = delete;

  // Forgets the forms when there are many; keys handed out before stay valid until then.
  void trim() {
    if (stems_.size() > 200000) stems_.clear();
  }

  // The cached form and entry of a lower-case word form.
  const std::pair<const std::string, RuWord>& stem(const std::string& lower) {
    const auto it = stems_.find(lower);
    if (it != stems_.end()) return *it;
    RuWord word{lower};
    if (stemmer_ != nullptr) {
      const sb_symbol* s =
          sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(lower.data()),
                          static_cast<int>(lower.size()));
      if (s != nullptr)
        word.stem.assign(reinterpret_cast<const char*>(s),
                         static_cast<std::size_t>(sb_stemmer_length(stemmer_)));
    }
    return *stems_.emplace(lower, std::move(word)).first;
  }

 private:
  sb_stemmer* stemmer_;
  std::unordered_map<std::string, RuWord, TransparentHash, std::equal_to<>> stems_;
};

StemCache& stem_cache() {
  thread_local StemCache cache;
  return cache;
}

bool is_space(UChar32 c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == 0xA0 ||
         (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}
bool is_group_space(UChar32 c) {
  return c == ' ' || c == 0xA0 || c == 0x202F || c == 0x2009;
}
bool is_dash(UChar32 c) {
  return c == '-' || (c >= 0x2010 && c <= 0x2015) || c == 0x2212;
}
bool is_quote(UChar32 c) {
  return c == '"' || c == 0xAB || c == 0xBB || (c >= 0x201C && c <= 0x201F);
}
// ASCII and the Cyrillic block answered here, the rest by ICU: nearly every letter of a report
// is one of those, and ICU's lookup costs more than the test.
bool is_letter(UChar32 c) {
  if (c < 0x80) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  if (c >= 0x410 && c <= 0x44F) return true;
  return u_isalpha(c) != 0;
}
UChar32 lower_letter(UChar32 c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 0x20 : c;
  if (c >= 0x410 && c <= 0x42F) return c + 0x20;  // А..Я
  if (c >= 0x430 && c <= 0x44F) return c;         // а..я
  return u_tolower(c);
}
bool is_digit(UChar32 c) {
  return c >= '0' && c <= '9';
}

struct Reader {
  std::string_view text;
  int32_t length;
  UChar32 at(int32_t i) const {
    if (i >= length) return -1;
    UChar32 c;
    U8_NEXT(text.data(), i, length, c);
    return c;
  }
  int32_t next(int32_t i) const {
    UChar32 c;
    U8_NEXT(text.data(), i, length, c);
    (void)c;
    return i;
  }
  // The character at i, and i moved past it: one decoding where at() and next() take two.
  UChar32 take(int32_t& i) const {
    UChar32 c;
    U8_NEXT(text.data(), i, length, c);
    return c;
  }
};

}  // namespace

std::vector<RuToken> tokenize_russian(std::string_view text) {
  static constexpr std::string_view dash = "-";
  static constexpr std::string_view quote = "\"";
  StemCache& cache = stem_cache();
  cache.trim();
  std::vector<RuToken> out;
  out.reserve(text.size() / 8 + 1);
  const Reader r{text, static_cast<int32_t>(std::min<std::size_t>(text.size(), INT32_MAX))};
  std::string lower;
  int32_t i = 0;
  while (i < r.length) {
    const UChar32 c = r.at(i);
    if (c == '\n') {
      int32_t j = i;
      int lines = 0;
      while (j < r.length) {
        const UChar32 d = r.at(j);
        if (d == '\n') {
          ++lines;
        } else if (!is_space(d)) {
          break;
        }
        j = r.next(j);
      }
      RuToken t;
      t.start = static_cast<std::size_t>(i);
      t.end = t.start + 1;
      t.type = lines >= 2 ? RuType::paragraph : RuType::newline;
      out.push_back(t);
      i = j;
      continue;
    }
    if (is_space(c)) {
      i = r.next(i);
      continue;
    }
    // Built in place: a token built aside and copied in stalls on the copy of its fresh bytes.
    RuToken& t = out.emplace_back();
    t.start = static_cast<std::size_t>(i);
    if (is_digit(c)) {
      t.type = RuType::number;
      double v = 0;
      int32_t j = i;
      int lead = 0;
      while (j < r.length && is_digit(r.at(j))) {
        v = v * 10 + (r.at(j) - '0');
        ++j;
        ++lead;
      }
      // Thousands groups after one to three digits: a space (or a no-break or thin space)
      // and exactly three digits.
      while (lead <= 3 && j < r.length && is_group_space(r.at(j))) {
        const int32_t d = r.next(j);
        if (d + 3 > r.length || !is_digit(r.at(d)) || !is_digit(r.at(d + 1)) ||
            !is_digit(r.at(d + 2)) || (d + 3 < r.length && is_digit(r.at(d + 3))))
          break;
        v = v * 1000 + (r.at(d) - '0') * 100 + (r.at(d + 1) - '0') * 10 + (r.at(d + 2) - '0');
        t.grouped = true;
        j = d + 3;
      }
      // The decimal comma (or point): "6,5 тыс.".
      if (j + 1 < r.length && (r.at(j) == ',' || r.at(j) == '.') && is_digit(r.at(j + 1))) {
        t.decimal = true;
        ++j;
        double scale = 0.1;
        while (j < r.length && is_digit(r.at(j))) {
          v += scale * (r.at(j) - '0');
          scale /= 10;
          ++j;
        }
      }
      t.value = v;
      t.end = static_cast<std::size_t>(j);
      i = j;
      continue;
    }
    if (is_letter(c)) {
      lower.clear();
      int32_t j = i;
      t.upper = u_isupper(c) != 0;
      while (j < r.length) {
        int32_t after = j;
        UChar32 d = r.take(after);
        if (is_letter(d) || (is_digit(d) && !lower.empty())) {
          d = lower_letter(d);
          if (d == 0x451) d = 0x435;  // ё is written е as often as not
          char buf[4];
          int32_t n = 0;
          U8_APPEND_UNSAFE(buf, n, d);
          // Byte by byte: append() calls memcpy for one or two bytes.
          for (int32_t k = 0; k < n; ++k)
            lower.push_back(buf[k]);
          j = after;
          continue;
        }
        if (d == 0x301) {  // a stress mark is not part of the word's spelling
          j = after;
          continue;
        }
        if ((d == '-' || d == '.' || d == '\'') && after < r.length && is_letter(r.at(after))) {
          lower.push_back(static_cast<char>(d));
          j = after;
          continue;
        }
        break;
      }
      t.type = RuType::word;
      t.end = static_cast<std::size_t>(j);
      const auto& cached = cache.stem(lower);
      t.form = cached.first;
      t.key = cached.second.stem;
      t.word = &cached.second;
      i = j;
      continue;
    }
    const int32_t j = r.next(i);
    t.type = RuType::punct;
    t.end = static_cast<std::size_t>(j);
    t.key = is_dash(c) ? dash : is_quote(c) ? quote : text.substr(t.start, t.end - t.start);
    t.form = t.key;
    i = j;
  }
  return out;
}

Script dominant_script(std::string_view text) noexcept {
  // Byte by byte: in (valid) UTF-8 the letters U+0400..U+04FF are the code points whose lead
  // byte is 0xD0..0xD3, so no decoding is needed to count them.
  std::size_t cyrillic = 0;
  std::size_t latin = 0;
  // Without a branch per byte (the loop runs in vector registers): no byte of 0x80 or more is a
  // letter a..z once 0x20 is set.
  for (const char ch : text) {
    const auto b = static_cast<unsigned char>(ch);
    latin += static_cast<unsigned>((b | 0x20) - 'a') < 26 ? 1 : 0;
    cyrillic += b >= 0xD0 && b <= 0xD3 ? 1 : 0;
  }
  if (cyrillic == 0 && latin == 0) return Script::none;
  return cyrillic > latin ? Script::cyrillic : Script::latin;
}

namespace {

// --- the lexicon ----------------------------------------------------------------------------

enum class Cue : std::uint8_t {
  measure,
  population,
  people,
  thing,
  not_after,
  not_before,
  bound,
  multiplier,
  number,
  magnitude,
  hedge,
  rate,
  according,
  speech,
  source,
  carry,
  retraction,
  part,
  not_source,
  reader,
  document,
};

constexpr std::pair<std::string_view, Cue> cue_names[] = {
    {"measure", Cue::measure},       {"population", Cue::population},
    {"people", Cue::people},         {"thing", Cue::thing},
    {"not_after", Cue::not_after},   {"not_before", Cue::not_before},
    {"bound", Cue::bound},           {"multiplier", Cue::multiplier},
    {"number", Cue::number},         {"magnitude", Cue::magnitude},
    {"hedge", Cue::hedge},           {"rate", Cue::rate},
    {"according", Cue::according},   {"speech", Cue::speech},
    {"source", Cue::source},         {"carry", Cue::carry},
    {"retraction", Cue::retraction}, {"part", Cue::part},
    {"not_source", Cue::not_source}, {"reader", Cue::reader},
    {"document", Cue::document},
};

enum class Bound : std::uint8_t { at_least, at_most, approximate, from };

struct RuEntry {
  Cue cue = Cue::people;
  std::vector<std::string> keys;   // the stems of its words (for numbers: their exact forms)
  std::vector<std::string> forms;  // its words as written: a form listed beats its stem's entries
  std::string value;               // a population id
  Measure measure;
  int weight = 5;
  std::optional<Hedge> hedge;
  Rate rate = Rate::none;
  std::optional<SourceType> source_type;
  Bound bound = Bound::at_least;
  double low = 0;
  double high = 0;
};

struct RuLexicon {
  std::vector<RuEntry> entries;
  std::unordered_map<std::string, std::vector<std::uint32_t>, TransparentHash, std::equal_to<>>
      by_first;
  std::unordered_map<std::string, std::vector<std::uint32_t>, TransparentHash, std::equal_to<>>
      by_form;
};

RuLexicon build_lexicon() {
  RuLexicon lex;
  const auto fail = [](const LexiconEntry& e, const std::string& what) {
    return internal_error("data/lexicons/ru.tsv:" + std::to_string(e.line) + ": " + what);
  };
  for (const LexiconEntry& le : builtin_lexicon("ru").entries) {
    RuEntry e;
    const auto* name = std::find_if(std::begin(cue_names), std::end(cue_names),
                                    [&](const auto& p) { return p.first == le.cue; });
    if (name == std::end(cue_names)) throw fail(le, "unknown cue " + le.cue);
    e.cue = name->second;
    // Numbers in words are told apart by their endings (тысяча is 1,000, тысячи is thousands).
    const bool exact = e.cue == Cue::number || e.cue == Cue::magnitude;
    for (const RuToken& t : tokenize_russian(le.words))
      if (!t.key.empty()) {
        e.keys.emplace_back(exact ? t.form : t.key);
        e.forms.emplace_back(t.form);
      }
    if (e.keys.empty()) throw fail(le, "no words");
    const std::string& v = le.value;
    switch (e.cue) {
      case Cue::measure: {
        const std::size_t colon = v.find(':');
        const auto m = parse_measure(v.substr(0, colon));
        if (!m) throw fail(le, "unknown measure " + v);
        e.measure = *m;
        if (colon != std::string::npos) e.weight = std::atoi(v.c_str() + colon + 1);
        break;
      }
      case Cue::population:
        e.value = v;
        break;
      case Cue::bound:
        if (v == "at_least")
          e.bound = Bound::at_least;
        else if (v == "at_most")
          e.bound = Bound::at_most;
        else if (v == "approximate")
          e.bound = Bound::approximate;
        else if (v == "from")
          e.bound = Bound::from;
        else
          throw fail(le, "unknown bound " + v);
        break;
      case Cue::multiplier:
        e.low = std::pow(10.0, std::atoi(v.c_str()));
        break;
      case Cue::number:
        e.low = std::atof(v.c_str());
        break;
      case Cue::magnitude: {
        const std::size_t dash = v.find('-');
        if (dash == std::string::npos) throw fail(le, "a magnitude is low-high");
        e.low = std::atof(v.c_str());
        e.high = std::atof(v.c_str() + dash + 1);
        break;
      }
      case Cue::hedge:
      case Cue::according:
        if (v != "-") {
          e.hedge = parse_hedge(v);
          if (!e.hedge) throw fail(le, "unknown hedge " + v);
        }
        break;
      case Cue::rate: {
        const auto rate = parse_rate(v);
        if (!rate) throw fail(le, "unknown rate " + v);
        e.rate = *rate;
        break;
      }
      case Cue::source:
        e.source_type = parse_source_type(v);
        if (!e.source_type) throw fail(le, "unknown source type " + v);
        break;
      default:
        break;
    }
    (exact ? lex.by_form : lex.by_first)[e.keys.front()].push_back(
        static_cast<std::uint32_t>(lex.entries.size()));
    lex.entries.push_back(std::move(e));
  }
  return lex;
}

const RuLexicon& ru_lexicon() {
  static const RuLexicon lex = build_lexicon();
  return lex;
}

// The lexicon with the `terms` of the study's measures as measure cues, weighed above every
// entry of data/lexicons/ru.tsv (at most 7); none when the study gives no terms.
std::optional<RuLexicon> lexicon_with_study_measures(const Vocabulary& study) {
  constexpr int study_measure_weight = 8;
  std::optional<RuLexicon> lex;
  for (const MeasureTerm& m : study.measures)
    for (const std::string& term : m.terms) {
      RuEntry e;
      e.cue = Cue::measure;
      e.measure = m.measure;
      e.weight = study_measure_weight;
      for (const RuToken& t : tokenize_russian(term))
        if (!t.key.empty()) {
          e.keys.emplace_back(t.key);
          e.forms.emplace_back(t.form);
        }
      if (e.keys.empty()) continue;
      if (!lex) lex = ru_lexicon();
      lex->by_first[e.keys.front()].push_back(static_cast<std::uint32_t>(lex->entries.size()));
      lex->entries.push_back(std::move(e));
    }
  return lex;
}

// A lexicon entry found at tokens [first, last).
struct Match {
  std::uint32_t entry = 0;
  std::size_t first = 0;
  std::size_t last = 0;
  bool exact = false;  // the words as the entry spells them, not only their stems
};

// Every lexicon entry in tokens[first, last), by the token it starts at.
class Matches {
 public:
  Matches(const RuLexicon& lex, const std::vector<RuToken>& tk) : lex_(lex), tk_(tk) {
    // Only the built-in lexicon's lookups are kept with the word: a study's lexicon is another.
    const bool builtin = &lex == &ru_lexicon();
    begin_.assign(tk.size() + 1, 0);
    for (std::size_t k = 0; k < tk.size(); ++k) {
      begin_[k] = all_.size();
      if (tk[k].key.empty()) continue;
      const RuWord* word = builtin ? tk[k].word : nullptr;
      if (word != nullptr && !word->looked_up) {
        word->by_first = entries_of(lex.by_first, tk[k].key);
        word->by_form = entries_of(lex.by_form, tk[k].form);
        word->looked_up = true;
      }
      add(word != nullptr ? word->by_first : entries_of(lex.by_first, tk[k].key), k, &RuToken::key);
      add(word != nullptr ? word->by_form : entries_of(lex.by_form, tk[k].form), k, &RuToken::form);
    }
    begin_[tk.size()] = all_.size();
  }

  const RuEntry& entry(const Match& m) const { return lex_.entries[m.entry]; }

  template <class Index>
  static const std::vector<std::uint32_t>* entries_of(const Index& index, std::string_view key) {
    const auto it = index.find(key);
    return it == index.end() ? nullptr : &it->second;
  }

  // The entries `ids` that match at token k, comparing `field` of the tokens after it.
  void add(const std::vector<std::uint32_t>* ids, std::size_t k, std::string_view RuToken::*field) {
    if (ids == nullptr) return;
    for (const std::uint32_t id : *ids) {
      const RuEntry& e = lex_.entries[id];
      std::size_t n = 1;
      while (n < e.keys.size() && k + n < tk_.size() && tk_[k + n].*field == e.keys[n])
        ++n;
      if (n != e.keys.size()) continue;
      bool exact = true;
      for (std::size_t j = 0; j < n && exact; ++j)
        exact = tk_[k + j].form == e.forms[j];
      all_.push_back({id, k, k + n, exact});
    }
  }

  // The longest entry of `cue` that starts at token k.
  std::optional<Match> at(std::size_t k, Cue cue) const {
    std::optional<Match> best;
    if (k >= tk_.size()) return best;
    for (std::size_t i = begin_[k]; i < begin_[k + 1]; ++i)
      if (entry(all_[i]).cue == cue && (!best || all_[i].last > best->last)) best = all_[i];
    return best;
  }

  // The longest entry of `cue` that ends right before token k.
  std::optional<Match> before(std::size_t k, Cue cue) const {
    std::optional<Match> best;
    for (std::size_t f = k > 6 ? k - 6 : 0; f < k; ++f)
      for (std::size_t i = begin_[f]; i < begin_[f + 1]; ++i)
        if (all_[i].last == k && entry(all_[i]).cue == cue &&
            (!best || all_[i].first < best->first))
          best = all_[i];
    return best;
  }

  // Entries of `cue` starting in [first, last). Of the entries of the same words, those that
  // list the form as written win over those that only share its stem ("раненых" is a word
  // describing the people, "ранены" what happened to them: one stem).
  std::vector<Match> in(std::size_t first, std::size_t last, Cue cue) const {
    std::vector<Match> out;
    const std::size_t end = begin_[std::min(last, tk_.size())];
    for (std::size_t i = begin_[first]; i < end; ++i) {
      const Match& a = all_[i];
      if (entry(a).cue != cue || a.last > last) continue;
      bool beaten = false;
      for (std::size_t j = begin_[a.first]; j < begin_[a.first + 1] && !beaten && !a.exact; ++j)
        beaten = all_[j].exact && all_[j].last == a.last && entry(all_[j]).cue == cue;
      if (!beaten) out.push_back(a);
    }
    return out;
  }

 private:
  const RuLexicon& lex_;
  const std::vector<RuToken>& tk_;
  std::vector<std::size_t> begin_;
  std::vector<Match> all_;
};

// Whether the figure at tokens [start, end) counts a part of the people just counted: after
// "из них", "в том числе" (a `part` cue), or before "из них"/"из которых" ("900 из них").
bool counts_a_part(const Matches& m, const std::vector<RuToken>& tk, std::size_t start,
                   std::size_t end, std::size_t last) {
  return m.before(start, Cue::part).has_value() ||
         (end + 1 < last && tk[end].form == "из" &&
          (tk[end + 1].form == "них" || tk[end + 1].form == "которых"));
}

// "его", "их", "её": the possessive that refers back to a source named before.
bool possessive_pronoun(const RuToken& t) {
  return t.form == "их" || t.form == "его" || t.form == "ее" || t.form == "её";
}

// --- quantities -----------------------------------------------------------------------------

class QuantityReader {
 public:
  QuantityReader(const Matches& m, const std::vector<RuToken>& tk, std::size_t first,
                 std::size_t last, bool bare)
      : m_(m), tk_(tk), first_(first), last_(last), bare_(bare) {}

  std::vector<RuQuantity> read() {
    std::vector<RuQuantity> out;
    for (std::size_t k = first_; k < last_;) {
      RuQuantity q;
      const std::size_t next = quantity(k, q);
      if (next > k) {
        if (q.last > q.first) out.push_back(q);
        k = next;
      } else {
        ++k;
      }
    }
    return out;
  }

 private:
  bool punct(std::size_t k, std::string_view p) const {
    return k < last_ && tk_[k].type == RuType::punct && tk_[k].key == p;
  }
  bool word(std::size_t k, std::string_view stem) const {
    return k < last_ && tk_[k].type == RuType::word && tk_[k].key == stem;
  }

  // A number in digits (with its multiplier) at k: its value, base and the token after it.
  struct Value {
    double value = 0;
    double base = 0;
    double multiplier = 1;
    std::size_t next = 0;
  };
  std::optional<Value> digits(std::size_t k) const {
    if (k >= last_ || tk_[k].type != RuType::number) return std::nullopt;
    Value v{tk_[k].value, tk_[k].value, 1, k + 1};
    if (const auto mul = m_.at(v.next, Cue::multiplier)) {
      v.multiplier = m_.entry(*mul).low;
      // People are whole: 1,7 тыс. is 1,700, not 1,700.0000000000002.
      v.value = std::round(v.value * v.multiplier);
      v.next = mul->last;
      if (punct(v.next, ".") && !(v.next + 1 < last_ && tk_[v.next + 1].upper)) ++v.next;
    }
    return v;
  }

  // Whether the number ending at `end` counts people: a noun for people after it (perhaps
  // after a word describing them), or, with nothing after it, people or a measure named just
  // before. `start` is the quantity's first token.
  bool counts_people(std::size_t start, std::size_t end) const {
    if (m_.at(end, Cue::thing) || m_.at(end, Cue::not_after)) return false;
    if (counts_a_part(m_, tk_, start, end, last_)) return true;
    for (std::size_t k = end; k < std::min(last_, end + 4); ++k) {
      if (tk_[k].type != RuType::word) break;
      // A people noun, or what happened to them ("214 погибших", "15 200 пропавших без вести").
      if (m_.at(k, Cue::people) || m_.at(k, Cue::measure)) return true;
      if (m_.at(k, Cue::thing)) return false;
    }
    if (bare_) return true;
    const bool ends = end >= last_ || tk_[end].type != RuType::word;
    if (!ends) return false;
    for (std::size_t k = start > first_ + 4 ? start - 4 : first_; k < start; ++k)
      if (m_.at(k, Cue::people) || m_.at(k, Cue::measure)) return true;
    return false;
  }

  // Reads a quantity at k into q; returns the token after what it consumed (k when nothing).
  std::size_t quantity(std::size_t k, RuQuantity& q) const {
    const RuToken& t = tk_[k];
    if (t.type == RuType::word) {
      const auto num = m_.at(k, Cue::number);
      const auto mag = m_.at(k, Cue::magnitude);
      if (!num && !mag) return k;
      if (num && (!mag || num->last >= mag->last)) {
        q = {k, num->last, ClaimKind::point, m_.entry(*num).low, m_.entry(*num).low};
      } else {
        q = {k, mag->last, ClaimKind::magnitude, m_.entry(*mag).low, m_.entry(*mag).high};
      }
      if (!counts_people(k, q.last)) q.last = q.first;
      return std::max(q.last, k + 1);
    }
    const auto v = digits(k);
    if (!v) return k;
    std::size_t next = v->next;
    q.first = k;
    // Identifiers, dates, years, money, percentages, ages: not people.
    const bool after_month = k > first_ && m_.before(k, Cue::not_after).has_value();
    const bool year = !tk_[k].grouped && !tk_[k].decimal && v->multiplier == 1 &&
                      v->value >= 1900 && v->value <= 2100;
    if (m_.before(k, Cue::not_before) || (year && after_month) ||
        (tk_[k].decimal && v->multiplier == 1) ||
        (punct(next, "-") && next < last_ && tk_[next].start == tk_[next - 1].end &&
         next + 1 < last_ && tk_[next + 1].type == RuType::word)) {
      q.last = q.first;
      return next;
    }
    q.kind = ClaimKind::point;
    q.low = q.high = v->value;
    // Ranges: "42–43 тыс.", "от 42 до 43 тысяч".
    const auto from = m_.before(k, Cue::bound);
    const bool from_word = from && m_.entry(*from).bound == Bound::from;
    std::size_t second = none;
    if (punct(next, "-") && next + 1 < last_ && tk_[next + 1].type == RuType::number)
      second = next + 1;
    else if (from_word && word(next, "до") && next + 1 < last_ &&
             tk_[next + 1].type == RuType::number)
      second = next + 1;
    if (second != none) {
      const auto hi = digits(second);
      double low = v->value;
      if (v->multiplier == 1 && hi->multiplier > 1 && v->base < hi->base) low *= hi->multiplier;
      q.kind = ClaimKind::range;
      q.low = low;
      q.high = hi->value;
      next = hi->next;
      if (from_word) q.first = from->first;
    } else if (from && !from_word) {
      q.first = from->first;
      switch (m_.entry(*from).bound) {
        case Bound::at_least:
          q.kind = ClaimKind::at_least;
          q.high.reset();
          break;
        case Bound::at_most:
          q.kind = ClaimKind::at_most;
          q.low.reset();
          break;
        default:
          q.kind = ClaimKind::approximate;
          break;
      }
    }
    if (year && !counts_people(q.first, next)) {
      q.last = q.first;
      return next;
    }
    q.last = counts_people(q.first, next) ? next : q.first;
    return next;
  }

  const Matches& m_;
  const std::vector<RuToken>& tk_;
  std::size_t first_;
  std::size_t last_;
  bool bare_;
};

// --- sentences and dates --------------------------------------------------------------------

struct RuSpan {
  std::size_t first = 0;
  std::size_t last = 0;
  std::size_t paragraph = 0;
};

std::vector<RuSpan> sentences(const std::vector<RuToken>& tk) {
  std::vector<RuSpan> out;
  std::size_t start = 0;
  std::size_t paragraph = 0;
  const auto close = [&](std::size_t end) {
    if (end > start) out.push_back({start, end, paragraph});
    start = end;
  };
  for (std::size_t k = 0; k < tk.size(); ++k) {
    const RuToken& t = tk[k];
    const RuToken* next = k + 1 < tk.size() ? &tk[k + 1] : nullptr;
    // A new sentence starts with a capital, a digit, a quote, a dash or a symbol.
    const bool opens = next == nullptr || next->type != RuType::word || next->upper;
    if (t.type == RuType::paragraph) {
      close(k);
      start = k + 1;
      ++paragraph;
    } else if (t.type == RuType::newline) {
      if (opens) {
        close(k);
        start = k + 1;
      }
    } else if (t.type == RuType::punct &&
               (t.key == "." || t.key == "!" || t.key == "?" || t.key == "\xE2\x80\xA6")) {
      // Not after an initial ("О. Петрова").
      const bool initial = k > 0 && tk[k - 1].type == RuType::word && tk[k - 1].upper &&
                           tk[k - 1].end - tk[k - 1].start <= 2;
      if (opens && !initial) close(k + 1);
    }
  }
  close(tk.size());
  return out;
}

constexpr std::array<std::string_view, 12> months_genitive = {
    "январ", "феврал", "март",    "апрел",  "ма",    "июн",
    "июл",   "август", "сентябр", "октябр", "ноябр", "декабр"};

// "12 мая 2024 года": a date at tokens [k, ...).
std::optional<Date> date_at(const std::vector<RuToken>& tk, std::size_t k, std::size_t last) {
  if (k + 2 >= last || tk[k].type != RuType::number || tk[k].grouped || tk[k].decimal ||
      tk[k + 1].type != RuType::word || tk[k + 2].type != RuType::number)
    return std::nullopt;
  const auto* m = std::find(months_genitive.begin(), months_genitive.end(), tk[k + 1].key);
  if (m == months_genitive.end()) return std::nullopt;
  const double day = tk[k].value;
  const double year = tk[k + 2].value;
  if (day < 1 || day > 31 || year < 1900 || year > 2200 || tk[k + 2].grouped) return std::nullopt;
  try {
    return Date::from_ymd(static_cast<int>(year),
                          static_cast<unsigned>(m - months_genitive.begin() + 1),
                          static_cast<unsigned>(day));
  } catch (const Error&) {
    return std::nullopt;
  }
}

// --- attribution and claims -----------------------------------------------------------------

struct Source {
  std::size_t first = 0;  // tokens
  std::size_t last = 0;
  std::string name;
  std::string via;
  std::optional<SourceType> type;
};

class RussianExtractor {
 public:
  RussianExtractor(const Document& doc, std::size_t first, std::size_t last, const RuLexicon& lex)
      : doc_(doc),
        base_(first),
        text_(std::string_view(doc.text).substr(first, last - first)),
        lex_(lex),
        tk_(tokenize_russian(text_)),
        m_(lex_, tk_) {}

  std::vector<Claim> run() {
    const std::vector<RuSpan> spans = sentences(tk_);
    published_ = doc_.date;
    for (std::size_t s = 0; s < spans.size() && s < 6 && !published_; ++s)
      for (std::size_t k = spans[s].first; k < spans[s].last && !published_; ++k)
        published_ = date_at(tk_, k, spans[s].last);
    for (std::size_t i = 0; i < spans.size();) {
      const auto [columns, cells] = table_at(spans, i);
      if (cells > 0) {
        table(spans, i, columns, cells);
        i += cells;
      } else {
        sentence(spans[i++]);
      }
    }
    // A report that speaks for its publisher ("по нашим подсчетам", even after the figures)
    // gives it the figures it attributes to no one.
    if (publisher_ && !publisher_->name.empty())
      for (Claim& c : claims_)
        if (c.source.empty()) {
          c.source = publisher_->name;
          c.source_type = publisher_->type;
        }
    return std::move(claims_);
  }

 private:
  std::string text_of(std::size_t first, std::size_t last) const {
    if (first >= last) return {};
    return std::string(text_.substr(tk_[first].start, tk_[last - 1].end - tk_[first].start));
  }

  // The name at tokens [first, ...): up to a clause break, a number or a speech verb.
  std::optional<Source> name_at(std::size_t first, std::size_t last) const {
    // "сообщил в понедельник X", "сообщил мне X": when and to whom are no part of the name.
    while (first < last)
      if (const auto skip = m_.at(first, Cue::not_source))
        first = skip->last;
      else
        break;
    std::size_t e = first;
    bool quoted = false;  // inside «…»
    while (e < last && e < first + 8) {
      const RuToken& t = tk_[e];
      if (t.type == RuType::punct && t.key == "\"") {
        // A quoted name ends at its closing quote («Волжский край» по некрологам).
        if (quoted && !(e + 1 < last && tk_[e + 1].type == RuType::word && tk_[e + 1].upper)) {
          ++e;
          break;
        }
        quoted = !quoted;
      }
      if (t.type == RuType::number || t.type == RuType::newline) break;
      if (t.type == RuType::punct && t.key != "\"" && t.key != "-" && t.key != "." &&
          t.key != "(" && t.key != ")")
        break;
      if (t.type == RuType::punct && t.key == "-" && e > first && tk_[e - 1].end < t.start)
        break;  // a spaced dash ends the name
      if (t.type == RuType::punct && t.key == "." &&
          !(e + 1 < last && tk_[e + 1].type == RuType::word && tk_[e + 1].upper))
        break;
      if (e > first &&
          (m_.at(e, Cue::speech) || m_.at(e, Cue::according) || m_.at(e, Cue::not_source)))
        break;
      ++e;
    }
    while (e > first && tk_[e - 1].type == RuType::punct && tk_[e - 1].key != "\"")
      --e;
    if (e == first) return std::nullopt;
    return make_source(first, e);
  }

  // "следует из данных суда, которые изучило издание X": the records are the court's, the
  // figures drawn from them the reader's, named after the relative pronoun and its verb.
  std::optional<Source> relative_reader(std::size_t k, std::size_t last) const {
    if (k + 3 >= last || tk_[k].key != "," || tk_[k + 1].type != RuType::word ||
        tk_[k + 1].form.rfind("котор", 0) != 0)
      return std::nullopt;
    const auto verb = m_.at(k + 2, Cue::reader);
    if (!verb) return std::nullopt;
    return name_at(verb->last, last);
  }

  // A quoted name in [first, last): the first one, or the last.
  std::optional<Source> quoted_name(std::size_t first, std::size_t last,
                                    bool first_one = false) const {
    std::optional<Source> out;
    for (std::size_t k = first; k < last; ++k) {
      if (tk_[k].key != "\"" || k + 1 >= last || tk_[k + 1].type != RuType::word) continue;
      std::size_t close = k + 1;
      while (close < last && tk_[close].key != "\"")
        ++close;
      if (close >= last || close - k > 6) break;
      out = make_source(k, close + 1);
      if (first_one) break;
      k = close;
    }
    return out;
  }

  Source make_source(std::size_t first, std::size_t last) const {
    // "Министерство обороны в понедельник", "Управление в письменном ответе": a lower-case phrase
    // after "в"/"на" says when or how, not who ("Штаб в Москве" keeps its capital).
    for (std::size_t k = first + 1; k + 1 < last; ++k)
      if (tk_[k].type == RuType::word &&
          (tk_[k].form == "в" || tk_[k].form == "во" || tk_[k].form == "на") &&
          tk_[k + 1].type == RuType::word && !tk_[k + 1].upper) {
        last = k;
        break;
      }
    Source s{first, last, text_of(first, last), {}, {}};
    for (std::size_t k = first; k < last && !s.type; ++k)
      if (const auto src = m_.at(k, Cue::source)) s.type = m_.entry(*src).source_type;
    return s;
  }

  // The source the sentence names, if any; `hedges` gets what the attribution implies.
  std::optional<Source> attribution(const RuSpan& s, const std::vector<RuQuantity>& qs,
                                    std::vector<Hedge>& hedges) const {
    const auto inside = [&](std::size_t k) {
      for (const RuQuantity& q : qs)
        if (k >= q.first && k < q.last) return true;
      return false;
    };
    for (const Match& a : m_.in(s.first, s.last, Cue::according)) {
      if (inside(a.first)) continue;
      // "по их подсчетам", "по его словам": the source named before, in this sentence
      // («Подсчет ведет фонд «Х»: по его данным») or an earlier one.
      for (std::size_t k = a.first; k < a.last && named_; ++k)
        if (possessive_pronoun(tk_[k])) {
          if (const auto h = m_.entry(a).hedge) hedges.push_back(*h);
          if (const auto here = quoted_name(s.first, a.first)) return here;
          return named_;
        }
      if (auto src = name_at(a.last, s.last)) {
        if (const auto h = m_.entry(a).hedge) hedges.push_back(*h);
        if (auto reader = relative_reader(src->last, s.last)) return reader;
        return src;
      }
    }
    for (const Match& v : m_.in(s.first, s.last, Cue::speech)) {
      std::optional<Source> src;
      const bool after_comma = v.first > s.first && tk_[v.first - 1].type == RuType::punct &&
                               (tk_[v.first - 1].key == "," || tk_[v.first - 1].key == "-");
      if (after_comma || v.first == s.first) {
        src = name_at(v.last, s.last);
        // "X, госорган в столице, сообщает, что …": the subject opens the sentence.
        if (!src && after_comma && v.first > s.first &&
            (tk_[s.first].upper || tk_[s.first].key == "\""))
          src = name_at(s.first, v.first);
      } else if (v.first == s.first + 1 && tk_[s.first].form == "как") {
        src = name_at(v.last, s.last);  // "Как сообщила X, …"
      } else {
        std::size_t b = v.first;
        while (b > s.first && !(tk_[b - 1].type == RuType::punct && tk_[b - 1].key == ",") &&
               tk_[b - 1].type != RuType::number && v.first - b < 6)
          --b;
        // "Как сообщает X" is caught by the lexicon; a subject starts at a capital or quote,
        // after when it spoke ("В июне мы подтвердили").
        while (b < v.first)
          if (const auto skip = m_.at(b, Cue::not_source))
            b = skip->last;
          else if (!(tk_[b].upper || tk_[b].key == "\""))
            ++b;
          else
            break;
        // "X в понедельник сообщило": the name ends before when and how it spoke.
        std::size_t end = b + 1;
        while (end < v.first && !m_.at(end, Cue::not_source))
          ++end;
        if (b < v.first) {
          src = make_source(b, end);
        } else if (named_ && (tk_[v.first - 1].form == "он" || tk_[v.first - 1].form == "она")) {
          src = named_;  // "… он подтвердил": the person named before
        } else if (tk_[v.first - 1].type == RuType::word) {
          // "миссия подтвердила": a lower-case noun of a body named before is that body.
          const Source noun = make_source(v.first - 1, v.first);
          if (Source body = resolve_reference(noun); body.name != noun.name) src = body;
        }
      }
      if (!src) continue;
      // "…, пишет X со ссылкой на Y": Y is the source, X the outlet.
      for (const Match& ref : m_.in(src->last, s.last, Cue::according))
        if (ref.first == src->last)
          if (auto y = name_at(ref.last, s.last)) {
            y->via = src->name;
            return y;
          }
      return src;
    }
    // "В документах, которые получил X, …": who read the records, named by a capital or quote.
    for (const Match& r : m_.in(s.first, s.last, Cue::reader))
      if (r.first >= s.first + 2 && tk_[r.first - 2].key == ",")
        if (auto reader = relative_reader(r.first - 2, s.last))
          for (std::size_t k = reader->first; k < reader->last; ++k)
            if (tk_[k].upper || tk_[k].key == "\"") return reader;
    return std::nullopt;
  }

  // The first letters of a word form, enough to tell a noun's case forms from other words
  // ("группы" / «Группы поиска»); bytes, as Cyrillic letters are two.
  static std::string_view word_head(std::string_view form) {
    return form.substr(0, std::min<std::size_t>(form.size(), 8));
  }

  // "по данным группы", "сообщили в управлении": a body named again by a lower-case noun of its
  // name is that body, as first named. A leading "в"/"как" is no part of a name.
  Source resolve_reference(Source src) const {
    while (
        src.last - src.first > 1 && tk_[src.first].type == RuType::word &&
        (tk_[src.first].form == "в" || tk_[src.first].form == "во" || tk_[src.first].form == "как"))
      src = make_source(src.first + 1, src.last);
    const RuToken& head = tk_[src.first];
    if (head.upper || head.key == "\"" || head.type != RuType::word || !named_) return src;
    // "говорится в подсчете", "следует из книг": a document alone is that of the body named.
    if (src.last - src.first == 1 && m_.at(src.first, Cue::document)) return *named_;
    // The noun before a quoted name is its too: проект «Северный некролог» is "проекта".
    const std::size_t from =
        named_->first > 0 && tk_[named_->first].key == "\"" ? named_->first - 1 : named_->first;
    for (std::size_t k = from; k < named_->last; ++k)
      if (tk_[k].type == RuType::word && word_head(tk_[k].form) == word_head(head.form))
        return *named_;
    return src;
  }

  // "по нашей оценке", "мы подтвердили": the report speaks for its publisher.
  bool speaks_for_publisher(const RuSpan& s) const {
    for (std::size_t k = s.first; k < s.last; ++k)
      if (tk_[k].type == RuType::word &&
          (tk_[k].form == "мы" ||
           tk_[k].form.substr(0, std::min<std::size_t>(6, tk_[k].form.size())) == "наш"))
        return true;
    return false;
  }

  // The publisher a bulletin or a channel speaks for: the quoted name in its title
  // («НАЗВАНИЕ» — БЮЛЛЕТЕНЬ № 14), else a title of a few words without figures (a
  // channel's name), else the body the report is about.
  std::optional<Source> publisher() const {
    const std::string& title = doc_.title;
    const std::size_t open = title.find("«");
    const std::size_t close = open == std::string::npos ? open : title.find("»", open);
    Source s;
    if (close != std::string::npos) {
      s.name = title.substr(open, close + std::string_view("»").size() - open);
      return s;
    }
    std::size_t words = 0;
    for (std::size_t k = 0; k < title.size(); ++k) {
      if (title[k] >= '0' && title[k] <= '9') return subject_;
      if (title[k] != ' ' && (k == 0 || title[k - 1] == ' ')) ++words;
    }
    if (words == 0 || words > 4) return subject_;
    // An emoji after the name is no part of it: keep what ends in a letter.
    int32_t end = static_cast<int32_t>(title.size());
    while (end > 0) {
      int32_t at = end;
      UChar32 c = 0;
      U8_PREV(reinterpret_cast<const uint8_t*>(title.data()), 0, at, c);
      if (u_isalpha(c)) break;
      end = at;
    }
    if (end == 0) return subject_;
    s.name = title.substr(0, static_cast<std::size_t>(end));
    return s;
  }

  // A cell is a paragraph of a few tokens (an HTML table's cells come as paragraphs).
  bool cell(const std::vector<RuSpan>& spans, std::size_t i) const {
    const RuSpan& s = spans[i];
    const bool alone = (i == 0 || spans[i - 1].paragraph != s.paragraph) &&
                       (i + 1 == spans.size() || spans[i + 1].paragraph != s.paragraph);
    return alone && s.last - s.first <= 6;
  }
  bool has_number(const RuSpan& s) const {
    for (std::size_t k = s.first; k < s.last; ++k)
      if (tk_[k].type == RuType::number) return true;
    return false;
  }

  // A table at sentence i: header cells without numbers, then rows of as many cells, each a
  // label and figures. Its columns and its number of cells; {0, 0} when there is none.
  std::pair<std::size_t, std::size_t> table_at(const std::vector<RuSpan>& spans,
                                               std::size_t i) const {
    std::size_t plain = 0;
    while (i + plain < spans.size() && cell(spans, i + plain) && !has_number(spans[i + plain]))
      ++plain;
    // The first row's label has no number either: the header is all but it.
    const std::size_t columns = plain - 1;
    if (plain < 3) return {0, 0};
    std::size_t rows = 0;
    for (std::size_t r = i + columns; r + columns <= spans.size(); r += columns) {
      bool row = true;
      for (std::size_t c = 0; c < columns && row; ++c)
        row = cell(spans, r + c) && (c == 0) != has_number(spans[r + c]);
      if (!row) break;
      ++rows;
    }
    return rows == 0 ? std::pair<std::size_t, std::size_t>{0, 0}
                     : std::pair<std::size_t, std::size_t>{columns, columns * (rows + 1)};
  }

  // A table's figures: the measure from the column's header, the population and source from
  // the text before the table.
  void table(const std::vector<RuSpan>& spans, std::size_t i, std::size_t columns,
             std::size_t cells) {
    for (std::size_t r = i + columns; r < i + cells; r += columns)
      for (std::size_t c = 1; c < columns; ++c) {
        const RuSpan& head = spans[i + c];
        const RuSpan& at = spans[r + c];
        const auto measures = m_.in(head.first, head.last, Cue::measure);
        const auto qs = QuantityReader(m_, tk_, at.first, at.last, true).read();
        if (measures.empty() || qs.size() != 1) continue;
        Claim claim;
        claim.document = doc_.origin;
        claim.start = base_ + tk_[qs[0].first].start;
        claim.end = base_ + tk_[qs[0].last - 1].end;
        claim.text = text_of(spans[r].first, spans[r].last) + ": " +
                     text_of(head.first, head.last) + " " + text_of(at.first, at.last);
        claim.measure = m_.entry(measures.front()).measure;
        claim.population = population_;
        claim.kind = qs[0].kind;
        claim.low = qs[0].low;
        claim.high = qs[0].high;
        const std::optional<Source>& src = previous_ ? previous_ : subject_;
        if (src) {
          claim.source = src->name;
          claim.source_type = src->type;
          claim.via = src->via;
        }
        claim.published = published_;
        claim.as_of = published_;
        claims_.push_back(std::move(claim));
      }
  }

  // The cue of `cue` nearest each quantity: cue i goes to the quantity nearest it.
  std::vector<std::vector<Match>> assign(const std::vector<RuQuantity>& qs, const RuSpan& s,
                                         Cue cue) const {
    std::vector<std::vector<Match>> out(qs.size());
    for (const Match& c : m_.in(s.first, s.last, cue)) {
      std::size_t best = none;
      std::size_t best_d = none;
      for (std::size_t i = 0; i < qs.size(); ++i) {
        if (c.first >= qs[i].first && c.first < qs[i].last) {
          best = i;
          best_d = 0;
          break;
        }
        const std::size_t d = c.first >= qs[i].last ? c.first - qs[i].last : qs[i].first - c.last;
        if (best_d == none || d < best_d) {
          best = i;
          best_d = d;
        }
      }
      if (best != none) out[best].push_back(c);
    }
    return out;
  }

  std::size_t distance(const Match& c, const RuQuantity& q) const {
    if (c.first >= q.last) return c.first - q.last;
    if (c.last <= q.first) return q.first - c.last;
    return 0;
  }

  // The name a sentence opens with, as the subject of its verb: a quoted name, perhaps after
  // the noun of its kind (Проект «X» изучил), or two or more capitalised words (Адвокат Дмитрий
  // Ковалёв представляет); a word of one or two letters opens a phrase (В России), not a name.
  std::optional<Source> opening_name(const RuSpan& s) const {
    std::size_t k = s.first;
    if (k + 1 < s.last && tk_[k].type == RuType::word && tk_[k + 1].key == "\"") ++k;
    if (tk_[k].key == "\"") {
      const auto q = quoted_name(k, std::min(s.last, k + 7), true);
      if (q && q->last < s.last && tk_[q->last].type == RuType::word && !tk_[q->last].upper)
        return make_source(s.first, q->last);
      return std::nullopt;
    }
    // "Информация Управления …", "Заявление Министерства …": a document issued by the name.
    std::size_t first = s.first;
    if (const auto doc = m_.at(first, Cue::document); doc && doc->last < s.last) first = doc->last;
    std::size_t e = first;
    while (e < s.last && e < first + 4 && tk_[e].type == RuType::word && tk_[e].upper)
      ++e;
    constexpr std::size_t short_word = 4;  // bytes: two Cyrillic letters
    if (e - first < 2 || tk_[first].form.size() <= short_word || e >= s.last ||
        tk_[e].type != RuType::word)
      return std::nullopt;
    // "Управление по Свердловской области": an agency's name holds the region it serves
    // (an adjective's case ending -ой/-ому, then the region's noun).
    if (e + 2 < s.last && tk_[e].form == "по" && tk_[e + 1].upper &&
        tk_[e + 2].type == RuType::word &&
        (tk_[e + 1].form.ends_with("ой") || tk_[e + 1].form.ends_with("ому")))
      e += 3;
    return make_source(first, e);
  }

  void sentence(const RuSpan& s) {
    if (s.paragraph != paragraph_) {
      paragraph_ = s.paragraph;
      previous_.reset();
      // An interview's answers open with a dash: there "мы" is the one interviewed.
      dialogue_ = tk_[s.first].type == RuType::punct && tk_[s.first].key == "-";
    }
    // «Исправление: в первой версии говорилось о 61»: a figure withdrawn is no claim.
    if (m_.at(s.first, Cue::retraction) && s.first + 1 < s.last && tk_[s.first + 1].key == ":")
      return;
    std::vector<RuQuantity> qs = russian_quantities_in(s);
    std::vector<Hedge> hedges;
    std::optional<Source> src = attribution(s, qs, hedges);
    const bool we = speaks_for_publisher(s);
    bool ours = false;  // the publisher speaks ("Мы поговорили с ней"): no new subject
    if (!publisher_ && we && !dialogue_) publisher_ = publisher();
    if (src) {
      src = resolve_reference(*src);
      // A body named by its name: a capital, or a quoted name (фонда «Свободная Бурятия»).
      if (tk_[src->first].upper || src->name.find("«") != std::string::npos) named_ = src;
    } else if (we && dialogue_) {
      src = subject_;
    } else if (we) {
      src = publisher();
      ours = true;
    }
    if (qs.empty() && !src) {
      // A name opening a sentence without figures is the subject of what follows.
      // «Группа» named without a figure or a speech verb is whom "по их подсчетам" means.
      if (const auto name = opening_name(s)) {
        named_ = name;
        subject_ = name;
      } else if (const auto quoted = quoted_name(s.first, s.last, true)) {
        named_ = quoted;
      }
      // «Адвокат Дмитрий Ковалёв представляет …»: a person named without a figure is whom
      // "по его подсчетам" and "он подтвердил" mean.
      if (!named_ || named_->last <= s.first)
        for (std::size_t k = s.first; k + 1 < s.last; ++k)
          if (tk_[k].type == RuType::word && tk_[k].upper && tk_[k + 1].type == RuType::word &&
              tk_[k + 1].upper) {
            std::size_t e = k + 2;
            while (e < s.last && e < k + 4 && tk_[e].type == RuType::word && tk_[e].upper)
              ++e;
            named_ = make_source(k, e);
            break;
          }
    }
    if (qs.empty()) {
      // A source named without a figure is the subject of what follows ("X опубликовала
      // подсчет"), and so is a population (a table's caption).
      const auto pops = m_.in(s.first, s.last, Cue::population);
      if (!pops.empty()) population_ = m_.entry(pops.front()).value;
      // «Его данные по регионам:»: the lines that follow are the source named before.
      if (!src && named_ && s.last > s.first && tk_[s.last - 1].key == ":")
        for (std::size_t k = s.first; k < s.last && !src; ++k)
          if (possessive_pronoun(tk_[k])) src = named_;
      if (src && !ours) {
        previous_ = src;
        subject_ = src;
      }
      return;
    }
    if (!src)
      src = previous_ ? previous_ : subject_;
    else
      previous_ = src;
    for (const Match& h : m_.in(s.first, s.last, Cue::hedge))
      if (const auto x = m_.entry(h).hedge) hedges.push_back(*x);
    std::sort(hedges.begin(), hedges.end());
    hedges.erase(std::unique(hedges.begin(), hedges.end()), hedges.end());
    std::optional<Date> as_of;
    for (std::size_t k = s.first; k < s.last && !as_of; ++k)
      as_of = date_at(tk_, k, s.last);
    auto measures = assign(qs, s, Cue::measure);
    // "не вернулись": a denied verb says what did not happen to them.
    for (auto& cues : measures)
      std::erase_if(cues, [&](const Match& c) {
        return c.first > s.first && tk_[c.first - 1].type == RuType::word &&
               tk_[c.first - 1].form == "не";
      });
    const auto populations = assign(qs, s, Cue::population);
    const auto rates = assign(qs, s, Cue::rate);
    const std::string sentence_text = text_of(s.first, s.last);
    const auto clauses = contrasted(s, qs);
    // A part of the people just counted ("погибли 1 210 человек, из них 330 мобилизованных и
    // 270 завербованных", "Из похороненных 410 … завербованы, еще 150 были мобилизованы")
    // described only by who they are, or by how they came in (the vocabulary's first measure),
    // takes the measure of the whole: what happened to them all.
    std::vector<std::optional<Match>> chosen(qs.size());
    std::vector<bool> part(qs.size(), false);
    std::size_t whole = none;
    std::optional<Match> last_whole;
    for (std::size_t i = 0; i < qs.size(); ++i) {
      const RuQuantity& q = qs[i];
      // Joined to a part before it, or "еще", "также" after another figure of the sentence.
      const bool joined =
          i > 0 && ((part[i - 1] && q.first > 0 &&
                     (tk_[q.first - 1].form == "и" || tk_[q.first - 1].form == "а" ||
                      tk_[q.first - 1].key == ",")) ||
                    m_.before(q.first, Cue::carry).has_value());
      // "Среди подтвержденных погибших 380 …", "Из них 58": a sentence opening with the
      // people the figure is drawn from.
      bool drawn_from = i == 0 && q.first > s.first + 1 && q.first <= s.first + 4 &&
                        (tk_[s.first].form == "среди" || tk_[s.first].form == "из");
      for (std::size_t k = s.first + 1; k < q.first && drawn_from; ++k)
        drawn_from = tk_[k].type == RuType::word;
      part[i] = joined || drawn_from || counts_a_part(m_, tk_, q.first, q.last, s.last);
      if (!part[i]) whole = i;
      // The strongest cue decides; of equals, the nearest.
      const auto pick = [&](const std::vector<Match>& cues) -> std::optional<Match> {
        std::optional<Match> best;
        for (const Match& c : cues) {
          if (src && c.first >= src->first && c.first < src->last) continue;
          if (!best || m_.entry(c).weight > m_.entry(*best).weight ||
              (m_.entry(c).weight == m_.entry(*best).weight && distance(c, q) < distance(*best, q)))
            best = c;
        }
        return best;
      };
      constexpr int describing = 2;  // lexicon weights 1-2: words saying who the people are
      auto measure = pick(measures[i]);
      // "о 5 937 погибших": what the figure counts, right after it, outweighs a cue further off.
      for (const Match& c : measures[i])
        if (c.first == q.last && m_.entry(c).weight > describing) measure = c;
      const bool came_in =
          measure && m_.entry(*measure).measure == builtin_measures().front().measure;
      if (part[i] && (!measure || m_.entry(*measure).weight <= describing || came_in)) {
        // The whole is the figure before in this sentence, else the last one before it
        // ("Тринадцать из них" opening a sentence).
        if (whole != none && whole < i && chosen[whole])
          measure = chosen[whole];
        else if (whole == none && last_measure_) {
          measure = last_measure_;
          if (!src) src = last_source_;  // and its source, even in another paragraph
        }
      }
      if (!measure) {
        std::vector<Match> all;
        for (const auto& v : measures)
          all.insert(all.end(), v.begin(), v.end());
        measure = pick(all);
      }
      chosen[i] = measure;
      if (!measure) continue;
      if (!part[i]) last_whole = measure;
      Claim c;
      c.document = doc_.origin;
      c.start = base_ + tk_[q.first].start;
      c.end = base_ + tk_[q.last - 1].end;
      c.text = normalise_space(sentence_text);
      c.measure = m_.entry(*measure).measure;
      std::optional<Match> pop;
      for (const Match& p : populations[i])
        if (distance(p, q) <= 6 && (!pop || distance(p, q) < distance(*pop, q))) pop = p;
      if (pop) c.population = m_.entry(*pop).value;
      c.kind = q.kind;
      c.low = q.low;
      c.high = q.high;
      for (const Match& r : rates[i])
        if (distance(r, q) <= 8) c.rate = m_.entry(r).rate;
      const std::optional<Source>& who =
          clauses && q.first > clauses->at ? clauses->after : (clauses ? clauses->before : src);
      if (who) {
        c.source = who->name;
        c.source_type = who->type;
        c.via = who->via;
      }
      c.hedges = hedges;
      c.published = published_;
      c.as_of = as_of ? as_of : published_;
      add(std::move(c));
    }
    if (last_whole) {
      last_measure_ = last_whole;
      last_source_ = src;
    }
  }

  // "погибли 38, заявил губернатор, а по данным миссии … погибших было 24": clauses joined by
  // ", а" or ", но" that each name a source, and each hold a figure, speak for their own.
  struct Contrast {
    std::size_t at;  // the conjunction
    std::optional<Source> before, after;
  };
  std::optional<Contrast> contrasted(const RuSpan& s, const std::vector<RuQuantity>& qs) const {
    for (std::size_t k = s.first + 1; k + 1 < s.last; ++k) {
      if (tk_[k - 1].key != "," || (tk_[k].form != "а" && tk_[k].form != "но")) continue;
      const bool both = !qs.empty() && qs.front().first < k && qs.back().first > k;
      std::vector<Hedge> unused;
      auto before = both ? attribution(RuSpan{s.first, k, s.paragraph}, qs, unused) : std::nullopt;
      auto after =
          before ? attribution(RuSpan{k + 1, s.last, s.paragraph}, qs, unused) : std::nullopt;
      if (!after || after->name == before->name) return std::nullopt;
      return Contrast{k, resolve_reference(*before), resolve_reference(*after)};
    }
    return std::nullopt;
  }

  std::vector<RuQuantity> russian_quantities_in(const RuSpan& s) const {
    return QuantityReader(m_, tk_, s.first, s.last, false).read();
  }

  static std::string normalise_space(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (const char ch : s) {
      if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r') {
        if (!out.empty() && out.back() != ' ') out += ' ';
      } else {
        out += ch;
      }
    }
    return out;
  }

  // A figure repeated (headline, lede, body) is one claim; a later mention can name its source.
  void add(Claim c) {
    for (Claim& seen : claims_) {
      if (seen.measure != c.measure || seen.kind != c.kind || seen.low != c.low ||
          seen.high != c.high || seen.rate != c.rate)
        continue;
      if (!seen.population.empty() && !c.population.empty() && seen.population != c.population)
        continue;
      if (!seen.source.empty() && !c.source.empty() && seen.source != c.source) continue;
      if (seen.source.empty() && !c.source.empty()) {
        seen.source = c.source;
        seen.source_type = c.source_type;
        seen.via = c.via;
      }
      if (seen.population.empty()) seen.population = c.population;
      return;
    }
    claims_.push_back(std::move(c));
  }

  const Document& doc_;
  std::size_t base_;
  std::string_view text_;
  const RuLexicon& lex_;
  std::vector<RuToken> tk_;
  Matches m_;
  std::optional<Date> published_;
  std::size_t paragraph_ = 0;
  std::optional<Source> previous_;
  std::optional<Source> subject_;
  bool dialogue_ = false;              // the paragraph is an answer in an interview
  std::optional<Match> last_measure_;  // of the last whole counted, for a part that follows
  std::optional<Source> last_source_;
  std::optional<Source> publisher_;  // whom "мы" and "наш" mean, once the report says it
  std::optional<Source> named_;      // the last source named by its name (a capital or a quote)
  std::string population_;           // named in the last sentence without figures
  std::vector<Claim> claims_;
};

}  // namespace

std::vector<RuQuantity> russian_quantities(const std::vector<RuToken>& tokens, std::size_t first,
                                           std::size_t last, bool bare) {
  const Matches m(ru_lexicon(), tokens);
  return QuantityReader(m, tokens, first, std::min(last, tokens.size()), bare).read();
}

std::vector<Claim> extract_russian(const Document& doc,
                                   const std::vector<RussianParagraph>& paragraphs,
                                   const Vocabulary& study) {
  (void)
      ru_lexicon();  // built before the terms' and the text's tokens take keys from the stem cache
  const std::optional<RuLexicon> study_lex = lexicon_with_study_measures(study);
  const RuLexicon& lex = study_lex ? *study_lex : ru_lexicon();
  std::vector<Claim> out;
  for (const RussianParagraph& p : paragraphs) {
    std::vector<Claim> claims = RussianExtractor(doc, p.first, p.last, lex).run();
    out.insert(out.end(), std::make_move_iterator(claims.begin()),
               std::make_move_iterator(claims.end()));
  }
  return out;
}

}  // namespace recount::detail
