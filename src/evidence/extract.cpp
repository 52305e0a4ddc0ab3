#include "recount/evidence/extract.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <initializer_list>
#include <string>
#include <unordered_map>

#include "extract_russian.hpp"
#include "extract_text.hpp"

namespace recount {
namespace {

using detail::Span;
using detail::Token;
using detail::TokenType;

constexpr std::size_t none = static_cast<std::size_t>(-1);

// Whether two words are the same, checking the first letter before the rest: the readers
// compare each token with hundreds of cue words, and nearly all differ at once. Inlined where
// `b` is a literal, the compiler compares its few bytes in place of a call to memcmp.
[[gnu::always_inline]] inline bool same(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() &&
         (a.empty() || (a[0] == b[0] && std::memcmp(a.data(), b.data(), b.size()) == 0));
}

struct Source {
  std::string name;
  std::string org;
  std::string hint;  // the words around the name ("the independent outlet"), for its type
};

// Whether a word of the name is one the lexicon marks as an organisation's (ministry, news).
bool has_org_marker(std::string_view name) {
  std::string lower(name);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  std::size_t i = 0;
  while (i < lower.size()) {
    std::size_t j = i;
    while (j < lower.size() && lower[j] != ' ' && lower[j] != '-' && lower[j] != '\'')
      ++j;
    if ((detail::lookup(std::string_view(lower).substr(i, j - i)).classes & detail::w_org_marker) !=
        0)
      return true;
    i = j + 1;
  }
  return false;
}

bool org_like(std::string_view name) {
  if (has_org_marker(name)) return true;
  // A person is written as two to four capitalised words; anything else is a body.
  std::size_t words = 1;
  for (const char c : name)
    words += c == ' ' ? 1 : 0;
  return words < 2 || words > 4 || (!name.empty() && (name[0] < 'A' || name[0] > 'Z'));
}

// A quantity expression: tokens [first, last) including its bound words; low/high as stated.
struct Quantity {
  std::size_t first = 0;
  std::size_t last = 0;
  std::size_t core = 0;  // the first token of the number itself
  ClaimKind kind = ClaimKind::point;
  std::optional<double> low;
  std::optional<double> high;
  bool people = false;      // the noun after it names people
  std::size_t head = none;  // the index of that noun
};

// A word or phrase in the sentence that says what the number counts.
struct MeasureCue {
  std::size_t first = 0;
  std::size_t last = 0;
  std::uint8_t measure = 0;  // a detail::measure_at() index; 0 is none
  bool strong = true;
  bool decisive = false;  // a lexicon phrase that decides the clause ("were buried")
};

struct PopulationCue {
  std::size_t at = 0;
  std::string population;
};

// The result of reading a number at a token: its value(s) and where it ends.
struct Value {
  bool ok = false;
  bool skip = false;  // a number, but not of people (money, a year, a date): skip past it
  double value = 0;
  double high = 0;  // for magnitudes
  bool magnitude = false;
  double multiplier = 1;  // the multiplier word applied ("thousand"), 1 when none
  double base = 0;        // the value before the multiplier
  std::size_t next = 0;
};

double pow10(int e) {
  return std::pow(10.0, e);
}

bool is_rate_unit(std::string_view w, Rate& rate) {
  if (same(w, "day")) return rate = Rate::day, true;
  if (same(w, "week")) return rate = Rate::week, true;
  if (same(w, "month")) return rate = Rate::month, true;
  if (same(w, "year")) return rate = Rate::year, true;
  return false;
}

class Extractor {
 public:
  explicit Extractor(const Document& doc) : doc_(doc) {}

  std::vector<Claim> run() {
    const std::string_view text = doc_.text;
    // The language is judged on the start of the report (64 KB is plenty of words).
    checked_end_ = next_block(0, std::size_t{64} << 10);
    // A short first line is the headline (a longer one is prose).
    if (const std::size_t eol = text.find('\n'); eol != std::string_view::npos && eol <= 160)
      headline_end_ = eol;
    tokenize_block(0, checked_end_);
    if (!english()) return {};
    // Blocks of whole paragraphs keep the tokens in cache: sentences never cross a blank line.
    for (std::size_t at = 0; at < text.size();) {
      const std::size_t end = next_block(at, std::size_t{32} << 10);
      // A report of a few KB is one block: the language check's tokens are its tokens.
      if (at != 0 || end != checked_end_) tokenize_block(at, end);
      at = end;
      std::vector<Span> sentences = detail::split_sentences(block_, tk_);
      // A cell is a sentence of a few tokens alone in its paragraph (an HTML table's cells).
      std::vector<bool> cells(sentences.size());
      for (std::size_t k = 0; k < sentences.size(); ++k) {
        const Span& s = sentences[k];
        cells[k] = (s.first == 0 || tk_[s.first - 1].type == TokenType::paragraph) &&
                   (s.last >= tk_.size() || tk_[s.last].type == TokenType::paragraph) &&
                   s.last - s.first <= 6;
      }
      // A sentence opening a paragraph takes no source from the one before it.
      std::vector<bool> opens(sentences.size());
      for (std::size_t k = 0; k < sentences.size(); ++k)
        opens[k] =
            sentences[k].first == 0 || tk_[sentences[k].first - 1].type == TokenType::paragraph;
      // Line ends inside a sentence (hard-wrapped prose) are only spaces from here on.
      index_.assign(tk_.size() + 1, 0);
      std::size_t kept = 0;
      for (std::size_t i = 0; i < tk_.size(); ++i) {
        index_[i] = kept;
        if (tk_[i].type != TokenType::newline && tk_[i].type != TokenType::paragraph)
          tk_[kept++] = tk_[i];
      }
      index_[tk_.size()] = kept;
      tk_.resize(kept);
      for (Span& s : sentences) {
        s.first = index_[s.first];
        s.last = index_[s.last];
      }
      for (std::size_t k = 0; k < sentences.size();) {
        const auto [columns, count] = table_at(sentences, cells, k);
        if (count > 0) {
          table(sentences, k, columns, count);
          k += count;
          continue;
        }
        opens_paragraph_ = opens[k];
        const Span& s = sentences[k++];
        // No real sentence is this long; windows keep the work per sentence bounded.
        constexpr std::size_t longest = 256;
        for (std::size_t first = s.first; first < s.last; first += longest) {
          sentence(Span{first, std::min(s.last, first + longest)});
          opens_paragraph_ = false;
        }
      }
    }
    std::vector<Claim> out;
    out.reserve(claims_.size());
    const std::string prefix = doc_.id.substr(0, std::min<std::size_t>(8, doc_.id.size()));
    // A report that speaks for its publisher ("Our count is based on …", even after the
    // figures), or whose title names its issuer, gives it the figures it attributes to no one.
    if (!publisher_) publisher_ = issuer();
    if (publisher_)
      for (Claim& c : claims_)
        if (c.source.empty()) {
          c.source = publisher_->name;
          c.source_type = source_type(*publisher_);
        }
    for (Claim& c : claims_) {
      c.id = prefix + "-" + std::to_string(out.size() + 1);
      out.push_back(std::move(c));
    }
    return out;
  }

 private:
  static std::string to_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
  }

  // The end of the block that starts at `at`: the first blank line after `size` bytes, else a
  // line end after four times that, else the end of the text.
  std::size_t next_block(std::size_t at, std::size_t size) const {
    const std::string_view text = doc_.text;
    if (text.size() - at <= size) return text.size();
    const std::size_t blank = text.find("\n\n", at + size);
    if (blank != std::string_view::npos && blank - at <= 4 * size) return blank + 2;
    const std::size_t line = text.find('\n', at + 4 * size);
    if (line != std::string_view::npos && line - at <= 16 * size) return line + 1;
    // No line ends: cut at a space (never inside a word or a UTF-8 sequence).
    const std::size_t space = text.find(' ', at + 4 * size);
    return space == std::string_view::npos ? text.size() : space + 1;
  }

  // Tokens of doc.text[first, last), with offsets into doc.text.
  void tokenize_block(std::size_t first, std::size_t last) {
    block_ = std::string_view(doc_.text).substr(first, last - first);
    lower_.assign(block_);
    for (char& c : lower_)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    tk_ = detail::tokenize(block_, lower_);
    block_start_ = first;
  }

  // English when common English function words are a fair share of the words, and words in
  // Latin letters are most of them: other languages give no claims rather than nonsense.
  bool english() const {
    std::size_t words = 0;
    std::size_t function_words = 0;
    std::size_t latin = 0;
    for (const Token& t : tk_) {
      if (t.type != TokenType::word) continue;
      ++words;
      if ((t.classes & detail::w_english) != 0) ++function_words;
      if (static_cast<unsigned char>(block_[t.start]) < 0x80) ++latin;
    }
    if (words == 0) return false;
    if (latin * 2 < words) return false;
    if (words < 12) return function_words > 0 || words <= 6;
    return function_words * 100 >= words * 8;
  }

  // --- token helpers ------------------------------------------------------------------------

  [[gnu::always_inline]] bool word_at(std::size_t i, std::string_view w) const {
    return i >= lo_ && i < hi_ && tk_[i].type == TokenType::word && same(tk_[i].word, w);
  }
  [[gnu::always_inline]] bool words_at(std::size_t i,
                                       std::initializer_list<std::string_view> ws) const {
    for (const auto w : ws) {
      if (!word_at(i, w)) return false;
      ++i;
    }
    return true;
  }
  // The phrase ws ending at token i (inclusive): its first index, or none.
  std::size_t phrase_ending(std::size_t i, std::initializer_list<std::string_view> ws) const {
    const std::size_t n = ws.size();
    if (i + 1 < n || i + 1 - n < lo_) return none;
    // The last word first: the word at i ends few of the phrases asked about.
    if (!word_at(i, *(ws.end() - 1))) return none;
    return words_at(i + 1 - n, ws) ? i + 1 - n : none;
  }
  bool punct_at(std::size_t i, char p) const {
    return i >= lo_ && i < hi_ && tk_[i].type == TokenType::punct && tk_[i].punct == p;
  }
  bool has(std::size_t i, std::uint32_t cls) const {
    return i >= lo_ && i < hi_ && tk_[i].type == TokenType::word && (tk_[i].classes & cls) != 0;
  }
  std::string_view raw(std::size_t first, std::size_t last) const {
    return block_.substr(tk_[first].start, tk_[last - 1].end - tk_[first].start);
  }

  // --- sentences ----------------------------------------------------------------------------

  void sentence(const Span& s) {
    lo_ = s.first;
    hi_ = s.last;
    // "Correction: An earlier version said 32": a figure withdrawn is no claim.
    if (has(lo_, detail::w_retraction) && punct_at(lo_ + 1, ':')) return;
    bool numeric = false;
    for (std::size_t i = lo_; i < hi_; ++i) {
      const Token& t = tk_[i];
      if (t.type == TokenType::number ||
          (t.classes & (detail::w_number | detail::w_multiplier | detail::w_magnitude)) != 0 ||
          t.word == "dozen" || t.word == "dozens") {
        numeric = true;
        break;
      }
    }
    const std::optional<Source> said = attribution();
    std::optional<Source> source = said;
    if (!source && lead_in_) source = lead_in_;
    if (said || !numeric) lead_in_.reset();
    // One source carries through its paragraph: a sentence that names none is still its.
    if (!source && (continues_previous() || !opens_paragraph_) && previous_source_)
      source = previous_source_;
    previous_source_ = source;
    if (said) remember(*said);
    if (!said && !numeric) note_unsourced_names();
    // "A: Since January my office has received …": an interview's answers speak for the
    // person it introduced, not for its publisher.
    if (opens_paragraph_) answer_ = word_at(lo_, "a") && punct_at(lo_ + 1, ':');
    if (!source && answer_ && last_person_) source = last_person_;
    if (!source) {
      // "We are now looking for …": the report speaks for its publisher.
      for (std::size_t k = lo_; k < hi_ && !source; ++k)
        if (word_at(k, "we") || word_at(k, "our")) source = report_subject();
    }
    if (!source && subject_) source = subject_;
    if (!publisher_ && !answer_)
      for (std::size_t k = lo_; k < hi_ && !publisher_; ++k)
        if (word_at(k, "we") || word_at(k, "our")) publisher_ = report_subject();
    // The body a report is about is named, not described ("what the figures said").
    if (!numeric && said && claims_.empty() && !subject_ && org_like(said->name) &&
        !said->name.empty() && said->name[0] >= 'A' && said->name[0] <= 'Z')
      subject_ = said;
    if (!numeric) {
      // A population named without figures is what a table after it counts.
      population_cues_.clear();
      for (std::size_t i = lo_; i < hi_; ++i)
        if (has(i, detail::w_population | detail::w_forces_population)) population_cue(i);
      if (!population_cues_.empty()) table_population_ = population_cues_.front().population;
      follow_up();
      return;
    }

    quantities_.clear();
    for (std::size_t i = lo_; i < hi_;) {
      Quantity q;
      const std::size_t next = quantity(i, q);
      if (next == none) {
        ++i;
        continue;
      }
      if (q.kind != ClaimKind::point || q.low || q.high) quantities_.push_back(q);
      i = std::max(next, i + 1);
    }
    if (quantities_.empty()) {
      if (!said) note_unsourced_names();  // "from four regions": no figure of people
      follow_up();
      return;
    }
    sentence_claims_.clear();
    cues();
    const std::vector<Hedge> sentence_hedges = hedges();
    const std::optional<Date> as_of = sentence_date();
    const auto clauses = contrasted();
    if (clauses) remember(clauses->after);
    for (const Quantity& q : quantities_)
      claim(q, !clauses ? source : (q.first > clauses->at ? clauses->after : clauses->before),
            sentence_hedges, as_of);
  }

  // "At least 46 were killed, the administration said, while the UN mission … put the figure
  // at 31": clauses joined by ", while", ", whereas" or ", but" that each hold a figure and
  // name their own source speak for their own figures.
  struct Contrast {
    std::size_t at;  // the conjunction
    Source before, after;
  };
  std::optional<Contrast> contrasted() {
    const std::size_t lo = lo_, hi = hi_;
    for (std::size_t k = lo + 1; k + 1 < hi; ++k) {
      if (!punct_at(k - 1, ',') ||
          !(word_at(k, "while") || word_at(k, "whereas") || word_at(k, "but")))
        continue;
      if (quantities_.front().first > k || quantities_.back().first < k) return std::nullopt;
      hi_ = k;
      const std::optional<Source> before = attribution();
      lo_ = k + 1;
      hi_ = hi;
      const std::optional<Source> after = before ? attribution() : std::nullopt;
      lo_ = lo;
      if (!after || after->name == before->name) return std::nullopt;
      return Contrast{k, *before, *after};
    }
    return std::nullopt;
  }

  // A sentence that names a body or a person but no source of figures: "Researchers at the
  // Northern Legal Group interviewed …" is what "their count" in the next sentence refers to,
  // "Lawyer Dmitry Kovalev represents …" whom "by his reckoning" means, and after "Its
  // figures, region by region:" the lines that follow are that source's.
  void note_unsourced_names() {
    if (const auto m = last_mention(lo_, hi_); m && is_org_name(*m)) {
      Source org;
      org.name = text_of(m->first, m->last);
      last_org_ = org;
    } else if (const auto p = first_person(); p) {
      last_person_ = p;
    }
    if (hi_ > lo_ && punct_at(hi_ - 1, ':'))
      for (std::size_t k = lo_; k < hi_ && !lead_in_; ++k)
        if (backref_word(k)) lead_in_ = resolve(k);
  }

  // Whether a cell holds a figure; an ordinal ("14th" brigade) is a label, not a figure.
  bool has_number(const Span& s) const {
    for (std::size_t k = s.first; k < s.last; ++k)
      if (tk_[k].type == TokenType::number && !same(tk_[k].word, "th") &&
          !same(tk_[k].word, "st") && !same(tk_[k].word, "nd") && !same(tk_[k].word, "rd"))
        return true;
    return false;
  }

  // A table at sentence k: header cells without numbers, then rows of as many cells, each a
  // label and figures. Its columns and its number of cells; {0, 0} when there is none.
  std::pair<std::size_t, std::size_t> table_at(const std::vector<Span>& spans,
                                               const std::vector<bool>& cells,
                                               std::size_t k) const {
    std::size_t plain = 0;
    while (k + plain < spans.size() && cells[k + plain] && !has_number(spans[k + plain]))
      ++plain;
    if (plain < 3) return {0, 0};
    // The first row's label has no number either: the header is all but it.
    const std::size_t columns = plain - 1;
    std::size_t rows = 0;
    for (std::size_t r = k + columns; r + columns <= spans.size(); r += columns) {
      bool row = true;
      for (std::size_t c = 0; c < columns && row; ++c)
        row = cells[r + c] && (c == 0) != has_number(spans[r + c]);
      if (!row) break;
      ++rows;
    }
    if (rows == 0) return {0, 0};
    return {columns, columns * (rows + 1)};
  }

  // A table's figures: the measure from the column's header, the population from the text
  // before the table, the source that text named.
  void table(const std::vector<Span>& spans, std::size_t k, std::size_t columns,
             std::size_t count) {
    const std::optional<Source> source = previous_source_ ? previous_source_ : last_source_;
    for (std::size_t r = k + columns; r < k + count; r += columns)
      for (std::size_t c = 1; c < columns; ++c) {
        const Span& head = spans[k + c];
        const Span& at = spans[r + c];
        std::uint8_t measure = 0;
        lo_ = head.first;
        hi_ = head.last;
        for (std::size_t i = head.first; i < head.last && measure == 0; ++i) {
          if (const detail::MeasurePhrase* p = cue_phrase_at(i, head.last))
            measure = p->measure;  // "Taken prisoner", "Behind bars"
          else if ((tk_[i].classes & detail::w_measure) != 0)
            measure = tk_[i].measure;
        }
        lo_ = at.first;
        hi_ = at.last;
        std::size_t first = at.first;
        while (first < at.last && tk_[first].type != TokenType::number)
          ++first;
        const Value v = value_at(first);
        if (measure == 0 || !v.ok || v.skip || v.magnitude) continue;
        Claim claim;
        claim.document = doc_.origin;
        claim.start = block_start_ + tk_[first].start;
        claim.end = block_start_ + tk_[v.next - 1].end;
        claim.text = std::string(raw(spans[r].first, spans[r].last)) + ": " +
                     std::string(raw(head.first, head.last)) + " " +
                     std::string(raw(at.first, at.last));
        claim.measure = detail::measure_at(measure);
        claim.population = table_population_;
        claim.low = claim.high = v.value;
        if (source) {
          claim.source = source->name;
          claim.source_org = source->org;
          claim.source_type = source_type(*source);
        }
        claim.published = claim.as_of = doc_.date;
        claims_.push_back(std::move(claim));
      }
  }

  void remember(const Source& s) {
    last_source_ = s;
    // A description ("a regional official") is no name to refer back to as "the group".
    if (s.name.empty() || s.name[0] < 'A' || s.name[0] > 'Z') return;
    if (!s.org.empty()) {
      Source org;
      org.name = s.org;
      last_org_ = org;
    } else if (org_like(s.name)) {
      last_org_ = s;
    }
    if (!org_like(s.name)) last_person_ = s;
  }

  // "That figure could not be independently verified.": the previous sentence's claims are
  // unverified.
  void follow_up() {
    if (sentence_claims_.empty()) return;
    const bool about_it = word_at(lo_, "that") || word_at(lo_, "this") || word_at(lo_, "these") ||
                          word_at(lo_, "those") || word_at(lo_, "it") || word_at(lo_, "the") ||
                          word_at(lo_, "neither") || word_at(lo_, "none");
    bool unverified = false;
    if (about_it)
      for (const Hedge h : hedges())
        unverified = unverified || h == Hedge::unverified;
    if (unverified)
      for (const std::size_t k : sentence_claims_)
        add_hedge(claims_[k], Hedge::unverified);
    sentence_claims_.clear();
  }

  bool continues_previous() const {
    return word_at(lo_, "additionally") || word_at(lo_, "moreover") ||
           word_at(lo_, "furthermore") || words_at(lo_, {"in", "addition"}) ||
           word_at(lo_, "also") || words_at(lo_, {"of", "those"}) ||
           words_at(lo_, {"of", "these"}) || words_at(lo_, {"of", "them"}) ||
           words_at(lo_, {"of", "whom"});
  }

  // --- numbers ------------------------------------------------------------------------------

  // The number at token i (no bounds, no range), or !ok.
  Value value_at(std::size_t i) const {
    Value v;
    if (i >= hi_) return v;
    const Token& t = tk_[i];
    if (t.type == TokenType::number) {
      double factor = 1;
      if (t.word == "k") {
        factor = 1e3;
      } else if (t.word == "m" || t.word == "mn" || t.word == "mln") {
        factor = 1e6;
      } else if (t.word == "bn") {
        factor = 1e9;
      } else if (!t.word.empty()) {
        v.skip = true;  // 8th, 1990s, 10km, 5pm
        v.next = i + 1;
        return v;
      }
      v.ok = true;
      v.base = t.value;
      v.value = t.value * factor;
      v.multiplier = factor;
      v.next = i + 1;
      multiply(v);
      return v;
    }
    if (t.type != TokenType::word) return v;
    const std::string_view w = t.word;
    // magnitudes: hundreds, thousands, tens of thousands, hundreds of thousands, dozens
    if ((t.classes & detail::w_magnitude) != 0 || same(w, "tens") || same(w, "dozens")) {
      int e = same(w, "tens") ? 1 : t.arg;
      std::size_t k = i + 1;
      if (word_at(k, "of") && has(k + 1, detail::w_magnitude)) {
        e += tk_[k + 1].arg;
        k += 2;
      } else if (same(w, "tens")) {
        return v;
      }
      v.ok = true;
      v.magnitude = true;
      v.next = k;
      if (same(w, "dozens") && k == i + 1) {
        v.value = 24;
        v.high = 99;
      } else {
        v.value = pow10(e);
        v.high = pow10(e + 1) - 1;
      }
      return v;
    }
    // several / a few / many + hundred(s), thousand(s), dozen
    if (same(w, "several") || same(w, "many") || (same(w, "a") && word_at(i + 1, "few")) ||
        same(w, "few")) {
      const std::size_t k = (same(w, "a")) ? i + 2 : i + 1;
      const double lead = (same(w, "several")) ? 3 : 2;
      if (k < hi_ && tk_[k].type == TokenType::word &&
          (tk_[k].classes & (detail::w_multiplier | detail::w_magnitude)) != 0 && tk_[k].arg <= 6) {
        const int e = tk_[k].arg;
        v.ok = true;
        v.magnitude = true;
        v.value = lead * pow10(e);
        v.high = pow10(e + 1) - 1;
        v.next = k + 1;
        return v;
      }
      if (word_at(k, "dozen")) {
        v.ok = true;
        v.magnitude = true;
        v.value = lead * 12;
        v.high = 99;
        v.next = k + 1;
        return v;
      }
      return v;
    }
    if (same(w, "half") && word_at(i + 1, "a") && has(i + 2, detail::w_multiplier)) {
      v.ok = true;
      v.base = 0.5;
      v.multiplier = pow10(tk_[i + 2].arg);
      v.value = 0.5 * v.multiplier;
      v.next = i + 3;
      return v;
    }
    if ((same(w, "a") || same(w, "an")) && words_at(i + 1, {"quarter", "of", "a"}) &&
        has(i + 4, detail::w_multiplier)) {
      v.ok = true;
      v.base = 0.25;
      v.multiplier = pow10(tk_[i + 4].arg);
      v.value = 0.25 * v.multiplier;
      v.next = i + 5;
      return v;
    }
    if ((same(w, "a") || same(w, "an") || same(w, "one")) &&
        (has(i + 1, detail::w_multiplier) || word_at(i + 1, "dozen"))) {
      v.ok = true;
      v.base = 1;
      v.value = 1;
      v.next = i + 1;
      if (word_at(i + 1, "dozen")) {
        v.value = 12;
        v.next = i + 2;
        return v;
      }
      multiply(v);
      return v;
    }
    if ((t.classes & detail::w_number) != 0) {
      double n = t.arg;
      std::size_t k = i + 1;
      if (n >= 20 && punct_at(k, '-') && !tk_[k].space_before && has(k + 1, detail::w_number) &&
          tk_[k + 1].arg < 10 && !tk_[k + 1].space_before) {
        n += tk_[k + 1].arg;
        k += 2;
      }
      if (word_at(k, "dozen")) {
        v.ok = true;
        v.value = n * 12;
        v.base = v.value;
        v.next = k + 1;
        return v;
      }
      v.ok = true;
      v.base = n;
      v.value = n;
      v.next = k;
      multiply(v);
      if (v.multiplier == 1 && n == 1) v.ok = false;  // "one of them"
      return v;
    }
    return v;
  }

  // Applies "hundred", "thousand", "million" after a number (also "hundred thousand").
  void multiply(Value& v) const {
    std::size_t k = v.next;
    double factor = 1;
    while (has(k, detail::w_multiplier) && !has(k, detail::w_magnitude)) {
      const double f = pow10(tk_[k].arg);
      if (factor != 1 && f <= factor) break;
      factor *= f;
      ++k;
    }
    if (factor != 1) {
      v.value = std::round(v.value * factor);  // people are whole: 1.15 million is 1,150,000
      v.multiplier *= factor;
      v.next = k;
    }
  }

  // Bound and approximation words ending right before token `core`: the kind and the first
  // token of the phrase (core itself when none).
  std::pair<ClaimKind, std::size_t> bound_before(std::size_t core) const {
    struct Phrase {
      std::initializer_list<std::string_view> words;
      ClaimKind kind;
    };
    // Longer phrases first: "no fewer than" is not "fewer than".
    static const Phrase phrases[] = {
        {{"no", "fewer", "than"}, ClaimKind::at_least},
        {{"no", "less", "than"}, ClaimKind::at_least},
        {{"not", "less", "than"}, ClaimKind::at_least},
        {{"not", "fewer", "than"}, ClaimKind::at_least},
        {{"no", "more", "than"}, ClaimKind::at_most},
        {{"not", "more", "than"}, ClaimKind::at_most},
        {{"no", "greater", "than"}, ClaimKind::at_most},
        {{"a", "maximum", "of"}, ClaimKind::at_most},
        {{"up", "to"}, ClaimKind::at_most},
        {{"as", "many", "as"}, ClaimKind::at_most},
        {{"as", "much", "as"}, ClaimKind::at_most},
        {{"at", "most"}, ClaimKind::at_most},
        {{"fewer", "than"}, ClaimKind::at_most},
        {{"less", "than"}, ClaimKind::at_most},
        {{"not", "exceeding"}, ClaimKind::at_most},
        {{"under"}, ClaimKind::at_most},
        {{"below"}, ClaimKind::at_most},
        {{"a", "minimum", "of"}, ClaimKind::at_least},
        {{"in", "excess", "of"}, ClaimKind::at_least},
        {{"upwards", "of"}, ClaimKind::at_least},
        {{"more", "than"}, ClaimKind::at_least},
        {{"greater", "than"}, ClaimKind::at_least},
        {{"at", "least"}, ClaimKind::at_least},
        {{"over"}, ClaimKind::at_least},
        {{"passed"}, ClaimKind::at_least},
        {{"exceeded"}, ClaimKind::at_least},
        {{"surpassed"}, ClaimKind::at_least},
        {{"topped"}, ClaimKind::at_least},
        {{"above"}, ClaimKind::at_least},
        {{"exceeding"}, ClaimKind::at_least},
        {{"beyond"}, ClaimKind::at_least},
        {{"in", "the", "region", "of"}, ClaimKind::approximate},
        {{"of", "the", "order", "of"}, ClaimKind::approximate},
        {{"on", "the", "order", "of"}, ClaimKind::approximate},
        {{"an", "estimated"}, ClaimKind::approximate},
        {{"an", "approximate"}, ClaimKind::approximate},
        {{"close", "to"}, ClaimKind::approximate},
        {{"just", "under"}, ClaimKind::approximate},
        {{"more", "or", "less"}, ClaimKind::approximate},
        {{"estimated"}, ClaimKind::approximate},
        {{"around"}, ClaimKind::approximate},
        {{"about"}, ClaimKind::approximate},
        {{"roughly"}, ClaimKind::approximate},
        {{"nearly"}, ClaimKind::approximate},
        {{"almost"}, ClaimKind::approximate},
        {{"approximately"}, ClaimKind::approximate},
        {{"approx"}, ClaimKind::approximate},
        {{"circa"}, ClaimKind::approximate},
        {{"some"}, ClaimKind::approximate},
        {{"approaching"}, ClaimKind::approximate},
        {{"near"}, ClaimKind::approximate},
    };
    ClaimKind kind = ClaimKind::point;
    std::size_t first = core;
    // Up to two phrases: "up to an estimated 20,000" is at most.
    for (int round = 0; round < 2 && first > lo_; ++round) {
      std::size_t end = first - 1;
      if (punct_at(end, '.') && end > lo_ && word_at(end - 1, "approx")) --end;  // "approx."
      bool found = false;
      for (const Phrase& p : phrases) {
        const std::size_t at = phrase_ending(end, p.words);
        if (at == none) continue;
        if (kind == ClaimKind::point || kind == ClaimKind::approximate) kind = p.kind;
        first = at;
        found = true;
        break;
      }
      if (!found) break;
    }
    return {kind, first};
  }

  // Reads the quantity starting at token i. Returns the index after it (and fills q, which has
  // no bounds when the number is not a count of people), or none when no number starts here.
  std::size_t quantity(std::size_t i, Quantity& q) const {
    const Token& t = tk_[i];
    if (t.type == TokenType::word && (t.classes & detail::w_english) == 0 &&
        (t.classes & (detail::w_number | detail::w_magnitude)) == 0 && t.word != "several" &&
        t.word != "between" && t.word != "many" && t.word != "few" && t.word != "half" &&
        t.word != "tens" && t.word != "dozens")
      return none;
    if (t.type != TokenType::word && t.type != TokenType::number) return none;
    if (word_at(i, "between") || word_at(i, "from")) {
      // between X and Y, from X to Y
      const Value a = value_at(i + 1);
      if (!a.ok || a.magnitude) return none;
      const std::size_t joiner = a.next;
      if (!(word_at(joiner, word_at(i, "between") ? "and" : "to"))) return none;
      const Value b = value_at(joiner + 1);
      if (!b.ok || b.magnitude) return none;
      return finish(i, i + 1, a, &b, q);
    }
    const Value a = value_at(i);
    if (a.skip) return a.next;
    if (!a.ok) return none;
    const Value* b = nullptr;
    Value second;
    if (!a.magnitude && (punct_at(a.next, '-') || word_at(a.next, "to"))) {
      second = value_at(a.next + 1);
      if (second.ok && !second.magnitude) b = &second;
    }
    return finish(i, i, a, b, q);
  }

  std::size_t finish(std::size_t first, std::size_t core, Value a, const Value* b,
                     Quantity& q) const {
    std::size_t end = b ? b->next : a.next;
    if (b && a.multiplier == 1 && b->multiplier > 1 && a.value * b->multiplier <= b->value) {
      a.value *= b->multiplier;  // "42-43 thousand", "100 to 120 thousand"
      a.multiplier = b->multiplier;
    }
    if (b && !(a.value < b->value)) {
      b = nullptr;  // "10-1" is not a range
      end = a.next;
    }
    if (!people_number(first, core, a, b, end)) return end;
    std::size_t head = none;
    const int noun = noun_after(end, head);
    if (noun == -1) return end;
    auto [kind, start] = bound_before(first);
    if (first != core) kind = ClaimKind::range;
    q.first = start;
    q.core = core;
    // Bound words after the number: "1,000 or more", "500-plus", "20,000 or so".
    if (words_at(end, {"or", "more"}) || words_at(end, {"and", "more"})) {
      kind = ClaimKind::at_least;
      end += 2;
    } else if (words_at(end, {"or", "fewer"}) || words_at(end, {"or", "less"})) {
      kind = ClaimKind::at_most;
      end += 2;
    } else if (words_at(end, {"or", "so"})) {
      kind = ClaimKind::approximate;
      end += 2;
    } else if (punct_at(end, '+') && !tk_[end].space_before) {
      kind = ClaimKind::at_least;
      end += 1;
    }
    q.last = end;
    if (b) {
      q.kind = ClaimKind::range;
      q.low = a.value;
      q.high = b->value;
    } else if (a.magnitude) {
      q.kind = ClaimKind::magnitude;
      q.low = a.value;
      q.high = a.high;
    } else {
      q.kind = kind == ClaimKind::range ? ClaimKind::point : kind;
      if (q.kind != ClaimKind::at_most) q.low = a.value;
      if (q.kind != ClaimKind::at_least) q.high = a.value;
    }
    q.people = noun == 1;
    q.head = noun == 1 ? head : none;
    return end;
  }

  // Is the number at `core` (value a, optional range end b, ending at `end`) possibly a count of
  // people? Years, dates, times, money, percentages, ages, durations and identifiers are not.
  bool people_number(std::size_t first, std::size_t core, const Value& a, const Value* b,
                     std::size_t end) const {
    const Token& t = tk_[core];
    const std::size_t before = core > lo_ ? core - 1 : none;
    if (first > lo_ &&
        (word_at(first - 1, "aged") || word_at(first - 1, "ages") || word_at(first - 1, "age")))
      return false;  // "aged between 25 and 40"
    // "one in five", "1 in 3": a proportion
    if (word_at(end, "in") && end + 1 < hi_ &&
        (tk_[end + 1].type == TokenType::number || has(end + 1, detail::w_number)))
      return false;
    if (before != none && word_at(before, "in") && before > lo_ &&
        (tk_[before - 1].type == TokenType::number || has(before - 1, detail::w_number)))
      return false;
    if (a.multiplier == 1 && t.type == TokenType::number && t.decimal) return false;
    if (before != none) {
      const Token& p = tk_[before];
      if (p.type == TokenType::punct && (p.punct == '$' || p.punct == '#')) return false;
      if (p.type == TokenType::punct && p.punct == ':' && !t.space_before) return false;
      if (p.type == TokenType::punct && p.punct == '.' && before > lo_ &&
          has(before - 1, detail::w_abbreviation))
        return false;  // "No. 6", "Dec. 4"
      if (p.type == TokenType::punct && (p.punct == '-' || p.punct == '/') && !t.space_before &&
          !p.space_before && before > lo_ && tk_[before - 1].type == TokenType::word)
        return false;  // "mid-2022", "Unit-B 2"
      if (p.type == TokenType::word) {
        if (has(before, detail::w_identifier)) return false;  // "article 105", "page 3"
        if (p.word == "mid" || (detail::lookup(p.word).classes & detail::w_month) != 0) {
          if (t.type == TokenType::number && !t.grouped) return false;
        }
        if (p.word == "may" && p.capitalized) return false;
      }
    }
    if (t.type == TokenType::number && !t.grouped && !t.decimal && t.word.empty() &&
        a.multiplier == 1) {
      // Years: 1900..2100 written plainly, unless counted people follow or a bound precedes.
      const bool year_like = t.value >= 1900 && t.value <= 2100 && t.end - t.start == 4;
      if (year_like && noun_after(end) != 1 && bound_before(core).second == core) return false;
      // Dates: 8 December, December 8
      if (has(core + 1, detail::w_month) ||
          (word_at(core + 1, "of") && has(core + 2, detail::w_month)) ||
          (word_at(core + 1, "may") && tk_[core + 1].capitalized))
        return false;
    }
    if (b) {
      const Token& bt = tk_[b->next - 1];
      if (bt.type == TokenType::number && !bt.grouped && bt.value >= 1900 && bt.value <= 2100 &&
          t.type == TokenType::number && t.value >= 1900 && t.value <= 2100 && !t.grouped)
        return false;  // 2022-2023
    }
    // What follows: money, percent, a time of day, a unit, an age.
    if (punct_at(end, '%')) return false;
    if (punct_at(end, ':') && end + 1 < hi_ && tk_[end + 1].type == TokenType::number &&
        !tk_[end + 1].space_before)
      return false;
    if (end < hi_ && tk_[end].type == TokenType::word) {
      const std::string_view w = tk_[end].word;
      static constexpr std::string_view after[] = {"percent", "pc",  "am",  "pm",      "a.m", "p.m",
                                                   "gmt",     "utc", "est", "cet",     "msk", "hrs",
                                                   "bst",     "edt", "pst", "o'clock", "per"};
      for (const auto x : after)
        if (w == x && !(same(w, "per") && !word_at(end + 1, "cent"))) return false;
      if ((tk_[end].classes & detail::w_money) != 0) return false;
    }
    // "35-year-old", "10-strong": a number hyphened to a word is an adjective, not a count.
    if (punct_at(end, '-') && !tk_[end].space_before && end + 1 < hi_ &&
        tk_[end + 1].type == TokenType::word && !tk_[end + 1].space_before &&
        (tk_[end + 1].classes & (detail::w_people | detail::w_measure)) == 0)
      return false;
    return true;
  }

  // The head noun after a quantity: 1 people, -1 things or units, 0 unknown (a verb follows).
  // `head` receives the index of the people noun.
  int noun_after(std::size_t end) const {
    std::size_t head = 0;
    return noun_after(end, head);
  }
  int noun_after(std::size_t end, std::size_t& head) const {
    std::size_t k = end;
    int words = 0;
    while (k < hi_ && words < 4) {
      const Token& t = tk_[k];
      if (t.type == TokenType::punct) {
        if (t.punct == '-' && !t.space_before) {
          ++k;
          continue;
        }
        if (t.punct == '%' || t.punct == '$') return -1;
        return 0;
      }
      if (t.type != TokenType::word) return 0;
      const std::uint32_t c = t.classes;
      if ((c & (detail::w_people | detail::w_counted)) != 0) {
        // "prison recruits", "soldier-prisoners": the last noun is the head.
        head = k;
        std::size_t n = k + 1;
        while (n < hi_) {
          if (punct_at(n, '-') && !tk_[n].space_before) {
            ++n;
            continue;
          }
          if (!has(n, detail::w_people)) break;
          head = n++;
        }
        return 1;
      }
      if ((c & (detail::w_thing | detail::w_time_unit | detail::w_money)) != 0) return -1;
      if (t.word == "of" || (c & detail::w_determiner) != 0) {
        ++k;
        ++words;
        continue;
      }
      if ((c & (detail::w_stop | detail::w_english | detail::w_attribution | detail::w_hedge)) != 0)
        return 0;
      // "later", "committed": an adverb or a verb ends the noun phrase, unless it is an
      // adjective before a thing ("armoured vehicles").
      const std::string_view w = t.word;
      const bool verbish = w.size() > 3 && (w.substr(w.size() - 2) == "ed" ||
                                            w.substr(w.size() - 2) == "ly" || same(w, "later"));
      if (verbish) {
        const std::uint32_t next = has(k + 1, ~0u) ? tk_[k + 1].classes : 0;
        // "the returned fighters": an adjective before the people counted.
        if ((next & detail::w_people) == 0)
          return (next & (detail::w_thing | detail::w_time_unit | detail::w_money)) != 0 ? -1 : 0;
      }
      ++k;
      ++words;
    }
    return 0;
  }

  // --- what is counted -------------------------------------------------------------------------

  void cues() {
    measure_cues_.clear();
    population_cues_.clear();
    for (std::size_t i = lo_; i < hi_; ++i) {
      const Token& t = tk_[i];
      if (t.type != TokenType::word) continue;
      if ((t.classes & detail::w_measure_phrase) != 0)
        for (const detail::MeasurePhrase& p : detail::measure_phrases_of(t)) {
          if (const std::size_t e = phrase_at(i, p.parts, hi_); e != none)
            measure_cues_.push_back({i, e, p.measure, true, true});
        }
      // Phrases first: they override the words they contain ("prisoners of war").
      std::size_t end = i;
      if (const detail::MeasurePhrase* p = cue_phrase_at(i, hi_, &end)) {
        measure_cues_.push_back({i, end, p->measure, true});
        i = end - 1;
        continue;
      }
      if ((t.classes & detail::w_measure) != 0) {
        measure_cues_.push_back({i, i + 1, t.measure, true});
      } else if ((t.classes & detail::w_weak_measure) != 0 &&
                 !((t.classes & detail::w_source_noun) != 0 &&
                   (t.possessive || has(i + 1, detail::w_attribution)))) {
        // "the regional prison service said": a body that speaks, not men in service
        measure_cues_.push_back({i, i + 1, t.measure, false});
      }
      if ((t.classes & (detail::w_population | detail::w_forces_population)) != 0)
        population_cue(i);
      if ((t.classes & detail::w_population_phrase) != 0) population_phrase(i);
    }
  }

  // An adverb of time or degree inside a phrase ("the colony now holds", "were later buried"):
  // hand-listed with the -ly words, as the lexicon's word classes are all taken.
  bool adverb_at(std::size_t k) const {
    if (k >= hi_ || tk_[k].type != TokenType::word) return false;
    const std::string_view w = tk_[k].word;
    return w == "now" || w == "currently" || w == "still" || w == "already" || w == "also" ||
           w == "later" || w == "since" || (w.size() > 4 && w.ends_with("ly"));
  }

  // Where a lexicon phrase (its words, and "-" or "/" for those marks) that stands at token i
  // and ends by `last` ends, one adverb between its words allowed; none when it does not.
  std::size_t phrase_at(std::size_t i, const std::vector<std::string>& parts,
                        std::size_t last) const {
    bool skipped = false;
    std::size_t at = i;
    for (std::size_t k = 0; k < parts.size(); ++k, ++at) {
      const std::string& part = parts[k];
      const bool mark = part == "-" || part == "/";
      if (at >= last) return none;
      if (mark ? punct_at(at, part[0]) : word_at(at, part)) continue;
      if (mark || k == 0 || skipped || !adverb_at(at) || at + 1 >= last || !word_at(at + 1, part))
        return none;
      skipped = true;
      ++at;
    }
    return at;
  }

  // The first measure phrase of the lexicon at token i that ends by `last`, if any, and where
  // it ends.
  const detail::MeasurePhrase* cue_phrase_at(std::size_t i, std::size_t last,
                                             std::size_t* end = nullptr) const {
    if (!has(i, detail::w_cue_phrase)) return nullptr;
    for (const detail::MeasurePhrase& p : detail::cue_phrases_of(tk_[i]))
      if (const std::size_t e = phrase_at(i, p.parts, last); e != none) {
        if (end) *end = e;
        return &p;
      }
    return nullptr;
  }

  // A population the lexicon names in several tokens ("unit", "-", "b").
  void population_phrase(std::size_t i) {
    for (const detail::PopulationPhrase& p : detail::population_phrases()) {
      if (phrase_at(i, p.parts, hi_) != none)
        population_cues_.push_back({i, std::string(detail::population_id(p.population))});
    }
  }

  bool population_near(std::size_t i, std::uint8_t population, std::size_t before,
                       std::size_t after) const {
    for (std::size_t k = (i > lo_ + before ? i - before : lo_); k < std::min(hi_, i + after); ++k)
      if (has(k, detail::w_population) && tk_[k].population == population) return true;
    return false;
  }

  void population_cue(std::size_t i) {
    const Token& t = tk_[i];
    if ((t.classes & detail::w_population) != 0) {
      if (words_at(i + 1, {"of", "war"})) return;
      for (const detail::JointPopulation& j : detail::joint_populations()) {
        // The head word near its modifier is the joint population ("the group's prisoners").
        if (t.population == j.head && population_near(i, j.modifier, 4, 4)) {
          population_cues_.push_back({i, std::string(detail::population_id(j.joint))});
          return;
        }
        if (t.population == j.modifier && population_near(i, j.head, 4, 5))
          return;  // the head word makes the cue
      }
      population_cues_.push_back({i, std::string(detail::population_id(t.population))});
      return;
    }
    // A nation's adjective names its forces only before a forces word ("Russian troops").
    for (std::size_t k = i + 1; k < std::min(hi_, i + 3); ++k) {
      if (tk_[k].type != TokenType::word) break;
      if (has(k, detail::w_forces)) {
        population_cues_.push_back({i, std::string(detail::population_id(t.population))});
        return;
      }
      if (has(k, detail::w_population | detail::w_forces_population)) return;
    }
  }

  // Tokens between a and b (exclusive both) that separate clauses or other quantities.
  int separation(std::size_t a, std::size_t b, const Quantity& self) const {
    int cost = 0;
    for (std::size_t k = a; k < b; ++k) {
      if (tk_[k].type == TokenType::punct &&
          (tk_[k].punct == ',' || tk_[k].punct == ';' || tk_[k].punct == ':' ||
           tk_[k].punct == '(' || tk_[k].punct == ')'))
        cost += 3;
    }
    for (const Quantity& q : quantities_)
      if (q.first != self.first && q.first >= a && q.first < b) cost += 6;
    return cost;
  }

  // The cue nearest the number wins; clause breaks and other numbers between count as distance,
  // and a weak cue ("front", "deployed") counts as farther than a strong one.
  std::uint8_t measure_of(const Quantity& q) const {
    // A phrase that decides (what happened to the men, not what they were) goes to the
    // quantity nearest it, and wins there.
    const auto gap = [](const MeasureCue& c, const Quantity& x) -> std::size_t {
      if (c.last <= x.first) return x.first - c.last;
      if (c.first >= x.last) return c.first - x.last + 1;  // ties go to the quantity before
      return 0;
    };
    // Of phrases on both sides, the one after the figure is its predicate; the one before
    // describes who is counted ("Of those who came back, 61 were charged with new crimes").
    std::pair<bool, std::size_t> nearest{true, none};  // (before the figure, distance)
    std::uint8_t decided = 0;
    std::size_t decided_length = 0;
    for (const MeasureCue& c : measure_cues_) {
      if (!c.decisive) continue;
      const std::size_t d = gap(c, q);
      bool other_nearer = false;
      for (const Quantity& o : quantities_)
        other_nearer = other_nearer || (o.first != q.first && gap(c, o) < d);
      const std::pair<bool, std::size_t> rank{c.last <= q.first, d};
      // Of phrases at the same place, the longer holds the shorter ("come home wounded").
      if (!other_nearer &&
          (rank < nearest || (rank == nearest && c.last - c.first > decided_length))) {
        nearest = rank;
        decided = c.measure;
        decided_length = c.last - c.first;
      }
    }
    if (decided != 0) return decided;
    int best = 25;
    std::uint8_t best_measure = 0;
    for (const MeasureCue& c : measure_cues_) {
      int cost;
      if (c.last <= q.first) {
        cost = static_cast<int>(q.first - c.last) + 1 + separation(c.last, q.first, q);
      } else if (c.first >= q.last) {
        cost = static_cast<int>(c.first - q.last) + separation(q.last, c.first, q);
        // A word describing the people counted ("returned fighters", "these recruits") says
        // less about what happened to them than a verb after it.
        if (q.head != none && c.first <= q.head &&
            (c.first < q.head || tk_[q.head].word == "recruits" || tk_[q.head].word == "recruit" ||
             tk_[q.head].word == "deserters"))
          cost += 10;
      } else {
        cost = 0;
      }
      if (!c.strong) cost += 8;
      if (cost < best) {
        best = cost;
        best_measure = c.measure;
      }
    }
    return best_measure;
  }

  std::string population_of(const Quantity& q) const {
    int best = 1 << 20;
    std::string out;
    for (const PopulationCue& c : population_cues_) {
      int cost;
      if (c.at < q.first) {
        cost = static_cast<int>(q.first - c.at) + 1 + separation(c.at, q.first, q);
      } else if (c.at >= q.last) {
        cost = static_cast<int>(c.at - q.last) + separation(q.last, c.at, q);
      } else {
        cost = 0;
      }
      if (cost < best && cost <= 9) {
        best = cost;
        out = c.population;
      }
    }
    return out;
  }

  Rate rate_of(const Quantity& q) const {
    Rate rate = Rate::none;
    const auto rate_at = [&](std::size_t k, std::size_t& after) {
      if (k >= hi_ || tk_[k].type != TokenType::word) return false;
      const std::string_view w = tk_[k].word;
      if (same(w, "daily")) return rate = Rate::day, after = k + 1, true;
      if (same(w, "weekly")) return rate = Rate::week, after = k + 1, true;
      if (same(w, "monthly")) return rate = Rate::month, after = k + 1, true;
      if (same(w, "annually") || same(w, "yearly")) return rate = Rate::year, after = k + 1, true;
      if ((same(w, "per") || same(w, "every") || same(w, "each") || same(w, "a")) && k + 1 < hi_ &&
          is_rate_unit(tk_[k + 1].word, rate)) {
        if (same(w, "a") && k > lo_) {
          static constexpr std::string_view not_rate[] = {
              "for",    "over",   "than", "in",   "about", "around", "of",   "within", "after",
              "nearly", "almost", "half", "once", "just",  "least",  "last", "past",   "only"};
          for (const auto x : not_rate)
            if (word_at(k - 1, x)) return rate = Rate::none, false;
        }
        after = k + 2;
        return true;
      }
      return false;
    };
    // After the number, in the same clause.
    for (std::size_t k = q.last; k < hi_ && k < q.last + 14; ++k) {
      const Token& t = tk_[k];
      if (t.type == TokenType::punct && (t.punct == ',' || t.punct == ';' || t.punct == '(')) break;
      if (t.type == TokenType::number) break;
      std::size_t after = 0;
      if (rate_at(k, after)) return rate;
    }
    // Before it, opening the sentence or the clause: "Every week, more than 1,000 die".
    for (std::size_t k = (q.first > lo_ + 5 ? q.first - 5 : lo_); k < q.first; ++k) {
      std::size_t after = 0;
      if (!rate_at(k, after)) continue;
      while (after < q.first && tk_[after].type == TokenType::punct)
        ++after;
      if (after == q.first) return rate;
    }
    return Rate::none;
  }

  bool rhetorical(const Quantity& q) const {
    if (q.kind != ClaimKind::magnitude) return false;
    if (!word_at(q.first - 1, "of") || q.first < lo_ + 2) return false;
    static constexpr std::string_view nouns[] = {"bodies", "corpses", "graves", "blood",
                                                 "bones",  "backs",   "lives",  "memory"};
    for (const auto n : nouns)
      if (word_at(q.first - 2, n)) return true;
    return false;
  }

  // --- hedges and dates ------------------------------------------------------------------------

  std::vector<Hedge> hedges() const {
    std::vector<Hedge> out;
    const auto add = [&](Hedge h) {
      if (std::find(out.begin(), out.end(), h) == out.end()) out.push_back(h);
    };
    for (std::size_t i = lo_; i < hi_; ++i) {
      const Token& t = tk_[i];
      if (t.type != TokenType::word) continue;
      const std::string_view w = t.word;
      if ((same(w, "could") || same(w, "can") || same(w, "cannot") || same(w, "impossible")) &&
          verified_near(i)) {
        add(Hedge::unverified);
        continue;
      }
      if (same(w, "not") && verified_near(i)) {
        add(Hedge::unverified);
        continue;
      }
      if (same(w, "said") && word_at(i + 1, "to") && i > lo_ &&
          (word_at(i - 1, "is") || word_at(i - 1, "are") || word_at(i - 1, "was") ||
           word_at(i - 1, "were") || word_at(i - 1, "been"))) {
        add(Hedge::reportedly);
        continue;
      }
      if ((same(w, "reports") || same(w, "rumours") || same(w, "rumors")) &&
          word_at(i + 1, "that") && i > lo_ && !capital_word(i - 1) &&
          tk_[i - 1].type == TokenType::word &&
          (has(i - 1, detail::w_stop) || has(i - 1, detail::w_determiner))) {
        add(Hedge::reportedly);
        continue;
      }
      if ((same(w, "believed") || same(w, "thought")) && word_at(i + 1, "to")) {
        add(Hedge::likely);
        continue;
      }
      if (same(w, "may") && t.capitalized && i > lo_) continue;  // the month
      if ((t.classes & detail::w_hedge) != 0) add(static_cast<Hedge>(t.arg));
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  bool verified_near(std::size_t i) const {
    for (std::size_t k = i + 1; k < std::min(hi_, i + 5); ++k)
      if (word_at(k, "verified") || word_at(k, "verify") || word_at(k, "confirmed") ||
          word_at(k, "confirm") || word_at(k, "corroborated"))
        return true;
    return false;
  }

  // The date the sentence's figures describe, if it gives one: "as of June 2023", "by the end
  // of 2023", "on 5 June 2023". Start dates ("since 2022") do not count.
  std::optional<Date> sentence_date() const {
    for (std::size_t i = lo_; i < hi_; ++i) {
      const Token& t = tk_[i];
      if (t.type != TokenType::number &&
          (t.type != TokenType::word || (t.classes & detail::w_month) == 0) &&
          !(t.word == "may" && t.capitalized))
        continue;
      if (starts_period(i)) continue;
      std::size_t end = 0;
      if (auto d = detail::date_at(tk_, i, hi_, end)) return d;
      // Month and year: "as of June 2023" -> the end of that month.
      const unsigned mo = (t.classes & detail::w_month) != 0   ? t.arg
                          : (t.word == "may" && t.capitalized) ? 5u
                                                               : 0u;
      if (mo != 0 && i + 1 < hi_ && tk_[i + 1].type == TokenType::number && !tk_[i + 1].grouped &&
          tk_[i + 1].value >= 1900 && tk_[i + 1].value <= 2100 && tk_[i + 1].word.empty()) {
        if (!anchor_before(i)) continue;
        const int y = static_cast<int>(tk_[i + 1].value);
        try {
          const Date first = Date::from_ymd(mo == 12 ? y + 1 : y, mo == 12 ? 1 : mo + 1, 1);
          return first.plus_days(-1);
        } catch (...) {
          continue;
        }
      }
      // A year: "by the end of 2023", "as of 2023".
      if (t.type == TokenType::number && !t.grouped && t.word.empty() && t.value >= 1900 &&
          t.value <= 2100 && t.end - t.start == 4 && anchor_before(i)) {
        try {
          return Date::from_ymd(static_cast<int>(t.value), 12, 31);
        } catch (...) {
          continue;
        }
      }
    }
    return std::nullopt;
  }

  bool starts_period(std::size_t i) const {
    for (std::size_t k = (i > lo_ + 2 ? i - 2 : lo_); k < i; ++k)
      if (word_at(k, "since") || word_at(k, "from") || word_at(k, "after") ||
          word_at(k, "between") || word_at(k, "beginning") || word_at(k, "start"))
        return true;
    return false;
  }

  bool anchor_before(std::size_t i) const {
    return phrase_ending(i - 1, {"end", "of"}) != none ||
           phrase_ending(i - 1, {"as", "of"}) != none ||
           phrase_ending(i - 1, {"as", "at"}) != none || word_at(i - 1, "by") ||
           word_at(i - 1, "until") || word_at(i - 1, "through") || word_at(i - 1, "till");
  }

  // --- attribution ---------------------------------------------------------------------------

  // A name as written: a run of capitalised words (with "of", "for", "the", "and", "-" between
  // them), extended by a body noun after it ("British intelligence", "Ukrainian officials").
  struct Mention {
    std::size_t first = 0;
    std::size_t last = 0;
  };

  bool capital_word(std::size_t k) const {
    if (k < lo_ || k >= hi_ || tk_[k].type != TokenType::word || !tk_[k].capitalized) return false;
    const std::string_view w = tk_[k].word;
    if (same(w, "we") || same(w, "i") || same(w, "our") || same(w, "us") || same(w, "my"))
      return false;
    if ((tk_[k].classes & detail::w_month) != 0) return false;  // "In September it said"
    if (k == lo_ || punct_at(k - 1, '"')) {
      // A sentence-initial capital is a name only if the word is not a common word.
      const std::uint32_t c = tk_[k].classes;
      if ((c & (detail::w_english | detail::w_determiner | detail::w_stop | detail::w_hedge |
                detail::w_attribution | detail::w_number | detail::w_magnitude)) != 0)
        return false;
      static constexpr std::string_view common[] = {
          "according", "additionally", "estimates", "supplementary", "however", "meanwhile",
          "even",      "only",         "images",    "some",          "many",    "most",
          "both",      "another",      "other",     "previously",    "earlier", "later",
          "yesterday", "today",        "last",      "figures",       "data",    "separately",
          "still",     "official",     "officials", "sources",       "photo"};
      for (const auto w : common)
        if (tk_[k].word == w) return false;
    }
    return (tk_[k].classes & (detail::w_english | detail::w_determiner)) == 0 ||
           tk_[k].word.size() > 3;
  }

  // The first run of two to four capitalised words in the sentence that reads as a person.
  std::optional<Source> first_person() const {
    for (std::size_t k = lo_; k < hi_; ++k) {
      if (!capital_word(k)) continue;
      std::size_t e = k;
      while (e < hi_ && capital_word(e))
        ++e;
      if (e - k < 2 || e - k > 4) {  // a person is two to four words (org_like)
        k = e;
        continue;
      }
      const std::string name = text_of(k, e);
      if (!org_like(name)) {
        Source p;
        p.name = name;
        return p;
      }
      k = e;
    }
    return std::nullopt;
  }

  // The last mention in tokens [a, b).
  std::optional<Mention> last_mention(std::size_t a, std::size_t b) const {
    for (std::size_t k = b; k-- > a;) {
      const bool body = has(k, detail::w_source_noun) && !tk_[k].capitalized;
      if (!capital_word(k) && !(body && k > a && capital_word(k - 1))) continue;
      Mention m{k, k + 1};
      while (m.first > a) {
        const std::size_t p = m.first - 1;
        if (capital_word(p)) {
          m.first = p;
          continue;
        }
        const bool joiner = word_at(p, "of") || word_at(p, "for") || word_at(p, "and") ||
                            word_at(p, "the") || word_at(p, "de") ||
                            (punct_at(p, '-') && !tk_[p].space_before);
        if (joiner && p > a && capital_word(p - 1) && !tk_[p - 1].possessive) {
          m.first = p - 1;
          continue;
        }
        if (word_at(p, "the") && p > a + 1 && word_at(p - 1, "of") && capital_word(p - 2) &&
            !tk_[p - 2].possessive) {
          m.first = p - 2;  // "Institute for the Study of War", "Smith of the U.S. Army"
          continue;
        }
        // "U.S. Department", "J. Smith", "Mr. Smith"
        if (punct_at(p, '.') && !tk_[p].space_before && p > a && capital_word(p - 1) &&
            (has(p - 1, detail::w_abbreviation) || tk_[p - 1].end - tk_[p - 1].start == 1)) {
          m.first = p - 1;
          continue;
        }
        break;
      }
      if (!capital_word(m.first) && m.first + 1 < m.last) ++m.first;
      if (!capital_word(m.first)) return std::nullopt;
      return m;
    }
    return std::nullopt;
  }

  std::string text_of(std::size_t first, std::size_t last) const {
    std::string out;
    for (std::size_t k = first; k < last; ++k) {
      if (!out.empty() && tk_[k].space_before) out += ' ';
      std::string_view piece = raw(k, k + 1);
      if (k + 1 == last && tk_[k].possessive)
        piece.remove_suffix(piece.size() >= 4 && piece.substr(piece.size() - 4, 1) == "\xE2" ? 4
                                                                                             : 2);
      out += piece;
    }
    return out;
  }

  bool is_org_name(const Mention& m) const { return has_org_marker(text_of(m.first, m.last)); }

  // The org in "X, the head of ORG," or "ORG's X" around a person mention.
  std::string org_near(const Mention& person) const {
    if (person.first > lo_ && tk_[person.first - 1].possessive) {
      if (auto org = last_mention(lo_, person.first)) {
        if (org->last == person.first) return text_of(org->first, org->last);
      }
    }
    if (punct_at(person.last, ',') || punct_at(person.last, '(')) {
      const std::size_t from = person.last + 1;
      // Only a title phrase ("the head of X", "a researcher at X") names an employer.
      std::size_t stop = from;
      while (stop < hi_ && stop < from + 8 && !punct_at(stop, ',') && !punct_at(stop, ')'))
        ++stop;
      if (punct_at(person.last, '(') && capital_word(from) && punct_at(stop, ')'))
        return text_of(from, stop);  // "Anna Petrova (Rights Watch)"
      const bool titled = title_chunk(from, stop);
      for (std::size_t k = from; titled && k < std::min(hi_, from + 8); ++k) {
        if (punct_at(k, ',') || punct_at(k, ')')) break;
        if ((word_at(k, "of") || word_at(k, "at") || word_at(k, "from")) && word_at(k + 1, "the") &&
            capital_word(k + 2))
          ++k;
        if ((word_at(k, "of") || word_at(k, "at") || word_at(k, "from") || word_at(k, "the")) &&
            capital_word(k + 1)) {
          std::size_t e = k + 1;
          while (e < hi_ && (capital_word(e) || ((word_at(e, "of") || word_at(e, "for") ||
                                                  word_at(e, "the") || word_at(e, "and")) &&
                                                 capital_word(e + 1))))
            ++e;
          return text_of(k + 1, e);
        }
      }
    }
    return {};
  }

  Source source_from(Mention m) const {
    Source s;
    // Honorifics are not part of the name: "Mr. Smith" is Smith.
    if (m.last - m.first > 2 && has(m.first, detail::w_honorific) && punct_at(m.first + 1, '.'))
      m.first += 2;
    // "Ivan Petrov of Memorial": the person, and the organisation.
    for (std::size_t k = m.first + 1; k + 1 < m.last; ++k) {
      if (word_at(k, "of") && !is_org_name(Mention{m.first, k}) && k - m.first >= 2) {
        s.name = text_of(m.first, k);
        s.org = text_of(word_at(k + 1, "the") ? k + 2 : k + 1, m.last);
        return s;
      }
    }
    s.name = text_of(m.first, m.last);
    if (!is_org_name(m)) s.org = org_near(m);
    return s;
  }

  bool backref_word(std::size_t k) const { return has(k, detail::w_backref); }

  // "count", "estimate", "figures": what a source's own figures are called.
  bool count_word(std::size_t k) const {
    return word_at(k, "count") || word_at(k, "estimate") || word_at(k, "tally") ||
           word_at(k, "figures") || word_at(k, "data") || word_at(k, "calculations") ||
           word_at(k, "estimates") || word_at(k, "reckoning") || word_at(k, "records");
  }

  // Who "we" are in a report that speaks for its publisher ("by our count"): the body its
  // title names (a channel's or a bulletin's masthead), when the title is a short name or
  // holds the name of a body named so far.
  std::optional<Source> report_subject() const {
    if (auto by = issuer()) return by;
    if (subject_) return subject_;
    const std::string title = to_lower(doc_.title);
    if (last_org_ && !last_org_->name.empty() &&
        title.find(to_lower(last_org_->name)) != std::string::npos)
      return last_org_;
    // A masthead: the title, or its part before " - " ("GROUP NAME - WEEKLY NOTE No. 4").
    std::string_view name = doc_.title;
    if (const std::size_t dash = name.find(" - "); dash != std::string_view::npos)
      name = name.substr(0, dash);
    std::size_t words = 0;
    bool letters = true;
    for (std::size_t k = 0; k < name.size(); ++k) {
      const unsigned char c = static_cast<unsigned char>(name[k]);
      if (c >= '0' && c <= '9') letters = false;
      if (c != ' ' && (k == 0 || name[k - 1] == ' ')) ++words;
    }
    if (!letters || words == 0 || words > 4) return std::nullopt;
    // An emoji or symbol before or after the name is no part of it.
    while (!name.empty() && (static_cast<unsigned char>(name.back()) >= 0x80 || name.back() == ' '))
      name.remove_suffix(1);
    while (!name.empty() &&
           (static_cast<unsigned char>(name.front()) >= 0x80 || name.front() == ' '))
      name.remove_prefix(1);
    if (name.empty()) return std::nullopt;
    Source s;
    s.name = std::string(name);
    return s;
  }

  // Who issued a report whose title says so: "Statement of X", "Monthly bulletin of X" (a
  // document noun among the title's first three words, then "of" or "from").
  std::optional<Source> issuer() const {
    std::string_view title = doc_.title;
    for (const std::string_view end : {" - ", ": ", ", "})
      if (const std::size_t at = title.find(end); at != std::string_view::npos)
        title = title.substr(0, at);
    std::size_t at = 0;
    for (std::size_t word = 0; word < 3 && at < title.size(); ++word) {
      const std::size_t space = title.find(' ', at);
      if (space == std::string_view::npos) return std::nullopt;
      const std::string noun = to_lower(title.substr(at, space - at));
      at = space + 1;
      if ((detail::lookup(noun).classes & detail::w_backref) == 0) continue;
      for (const std::string_view of : {"of ", "from "})
        if (title.substr(at, of.size()) == of && title.size() > at + of.size()) {
          Source s;
          s.name = std::string(title.substr(at + of.size()));
          return s;
        }
      return std::nullopt;
    }
    return std::nullopt;
  }

  // Who a back-reference means: "he"/"she" the last person, "the group" the last
  // organisation, "the report" the last source of any kind.
  std::optional<Source> resolve(std::size_t k) const {
    if (k < hi_ && (tk_[k].classes & detail::w_backref_person) != 0 && last_person_)
      return last_person_;
    if (k < hi_ && (tk_[k].classes & detail::w_backref_body) != 0 && last_org_) return last_org_;
    return last_source_;
  }

  // "bn press officer Andriy Kovalenko": lower-case words of a role, then a name, from k.
  bool titled_name(std::size_t k) const {
    for (std::size_t j = k; j < hi_ && j < k + 4; ++j) {
      if (tk_[j].type != TokenType::word || has(j, detail::w_time_unit)) return false;
      if (tk_[j].capitalized) return j > k && has(j - 1, detail::w_title);
    }
    return false;
  }

  // A phrase naming a source, read forward from k: "British intelligence", "the Northern
  // Rights Watch", "independent media in Moscow", "the independent outlet Penal Ledger", "him".
  std::optional<Source> phrase_source(std::size_t k) const {
    // "figures published by X", "data compiled by X": the figures are X's.
    std::size_t head = k;
    while (head < hi_ && head < k + 3 && !count_word(head) &&
           (has(head, detail::w_determiner) || tk_[head].type == TokenType::word))
      ++head;
    if (count_word(head) && word_at(head + 2, "by") &&
        (word_at(head + 1, "published") || word_at(head + 1, "compiled") ||
         word_at(head + 1, "kept") || word_at(head + 1, "released") ||
         word_at(head + 1, "obtained") || word_at(head + 1, "gathered")))
      return phrase_source(head + 3);
    std::size_t e = k;
    while (e < hi_ && e < k + 9) {
      const Token& t = tk_[e];
      if (t.type != TokenType::word) {
        if (t.punct == '-' && !t.space_before) {
          ++e;
          continue;
        }
        break;
      }
      if (t.word == "that" || (t.classes & detail::w_attribution) != 0 ||
          (t.classes & detail::w_number) != 0 || t.word == "who" || t.word == "which" ||
          t.word == "put" || t.word == "on" || t.word == "last" || t.word == "this" ||
          t.word == "we")
        break;
      if (t.possessive) {
        ++e;
        break;
      }
      ++e;
    }
    if (e == k) return std::nullopt;
    std::size_t b = k;
    while (b < e && (has(b, detail::w_determiner) || word_at(b, "a") || word_at(b, "an")))
      ++b;
    if (b == e) return std::nullopt;
    std::size_t first_cap = b;
    while (first_cap < e && !capital_word(first_cap))
      ++first_cap;
    if (first_cap < e) {
      std::size_t m_end = first_cap;
      while (m_end < e &&
             (capital_word(m_end) ||
              ((word_at(m_end, "of") || word_at(m_end, "for") || word_at(m_end, "the") ||
                word_at(m_end, "and") || (punct_at(m_end, '-') && !tk_[m_end].space_before)) &&
               capital_word(m_end + 1)) ||
              (has(m_end, detail::w_source_noun) && m_end > first_cap))) {
        ++m_end;
        if (tk_[m_end - 1].possessive) break;
      }
      // A name after "in", "at", "from" is a place or an employer: keep the whole phrase.
      const bool place =
          first_cap > b && (word_at(first_cap - 1, "in") || word_at(first_cap - 1, "at") ||
                            word_at(first_cap - 1, "from") || word_at(first_cap - 1, "near"));
      if (!place) {
        Source s = source_from(Mention{first_cap, m_end});
        s.hint = text_of(b, e);
        return s;
      }
    }
    // "the group", "its office" refer back; "the regional health ministry" describes a body.
    if (backref_word(b) || (backref_word(e - 1) && e - b <= 2)) {
      if (auto r = resolve(backref_word(b) ? b : e - 1)) return r;
      if (b + 1 == e) return std::nullopt;
    }
    Source s;
    s.name = text_of(b, e);
    return s;
  }

  // The organisation a title phrase names: "the head of Justice Russia", "its director",
  // "the group's coordinator", "Memorial's director". Empty when it names none.
  std::string title_org(std::size_t b, std::size_t e) const {
    for (std::size_t k = b; k + 1 < e; ++k)
      if ((word_at(k, "of") || word_at(k, "at")) && capital_word(k + 1)) {
        std::size_t x = k + 1;
        while (x < e && (capital_word(x) || ((word_at(x, "of") || word_at(x, "for") ||
                                              word_at(x, "the") || word_at(x, "and")) &&
                                             capital_word(x + 1))))
          ++x;
        return text_of(k + 1, x);
      }
    for (std::size_t k = b; k < e; ++k) {
      if (word_at(k, "its") || word_at(k, "their") ||
          (tk_[k].possessive && backref_word(k) && !capital_word(k))) {
        if (last_org_) return last_org_->name;
        return {};
      }
      if (tk_[k].possessive && capital_word(k)) {
        std::size_t x = k;
        while (x > b && capital_word(x - 1))
          --x;
        return text_of(x, k + 1);
      }
    }
    return {};
  }

  bool title_chunk(std::size_t b, std::size_t e) const {
    for (std::size_t k = b; k < e; ++k)
      if (has(k, detail::w_title)) return true;
    return false;
  }

  std::optional<Source> attribution() const {
    // "according to X", "estimates from X", "as indicated in the report", "citing X"
    for (std::size_t i = lo_; i < hi_; ++i) {
      if (tk_[i].type != TokenType::word) continue;
      const std::string_view w = tk_[i].word;
      if (same(w, "according") && word_at(i + 1, "to")) return phrase_source(i + 2);
      if ((same(w, "by") && word_at(i + 1, "our") && count_word(i + 2)) ||
          (same(w, "our") && count_word(i + 1) && (i == lo_ || !word_at(i - 1, "by")))) {
        if (auto s = report_subject()) return s;
      }
      if (same(w, "by") &&
          (word_at(i + 1, "his") || word_at(i + 1, "her") || word_at(i + 1, "their") ||
           word_at(i + 1, "its")) &&
          (word_at(i + 2, "count") || word_at(i + 2, "estimate") || word_at(i + 2, "tally") ||
           word_at(i + 2, "calculations") || word_at(i + 2, "estimates") ||
           word_at(i + 2, "reckoning")))
        return resolve(i + 1);
      if ((same(w, "estimates") || same(w, "figures") || same(w, "data") ||
           same(w, "calculations") || same(w, "statistics") || same(w, "reports") ||
           same(w, "estimate") || same(w, "count") || same(w, "tally")) &&
          (word_at(i + 1, "from") || word_at(i + 1, "by")))
        return phrase_source(i + 2);
      if (same(w, "as") && i + 2 < hi_ &&
          (word_at(i + 1, "indicated") || word_at(i + 1, "reported") || word_at(i + 1, "stated") ||
           word_at(i + 1, "noted") || word_at(i + 1, "shown") || word_at(i + 1, "cited") ||
           word_at(i + 1, "estimated") || word_at(i + 1, "revealed") ||
           word_at(i + 1, "documented") || word_at(i + 1, "recorded") ||
           word_at(i + 1, "compiled") || word_at(i + 1, "counted")) &&
          (word_at(i + 2, "in") || word_at(i + 2, "by")))
        return phrase_source(i + 3);
      // "records obtained by X list" ("a report published by X" names its publisher, not
      // the source of its figures)
      if ((same(w, "compiled") || same(w, "collected") || same(w, "gathered") ||
           same(w, "provided") || same(w, "supplied") || same(w, "obtained") ||
           same(w, "documented") || same(w, "recorded") || same(w, "verified") ||
           same(w, "reviewed") || same(w, "analysed") || same(w, "analyzed")) &&
          word_at(i + 1, "by"))
        return phrase_source(i + 2);
      // "~1.2k KIA per General Staff": "per" before a name, not a unit ("per day").
      if (same(w, "per") && i + 1 < hi_ && tk_[i + 1].type == TokenType::word &&
          (tk_[i + 1].capitalized || has(i + 1, detail::w_determiner) || titled_name(i + 1)))
        if (auto s = phrase_source(i + 1)) return s;
      if (same(w, "citing") || (same(w, "cited") && word_at(i + 1, "by"))) {
        if (auto s = phrase_source(same(w, "citing") ? i + 1 : i + 2)) return s;
      }
    }
    // "X said", "X, head of Y, who ..., estimates", "..., the newspaper X reported"
    for (std::size_t v = lo_; v < hi_; ++v) {
      if (!has(v, detail::w_attribution)) continue;
      if (v > lo_ &&
          (has(v - 1, detail::w_determiner) || word_at(v - 1, "a") || word_at(v - 1, "an") ||
           word_at(v - 1, "is") || word_at(v - 1, "are") || word_at(v - 1, "was") ||
           word_at(v - 1, "were") || word_at(v - 1, "be") || word_at(v - 1, "been") ||
           word_at(v - 1, "being") || word_at(v - 1, "on") || word_at(v - 1, "of") ||
           word_at(v - 1, "in") || word_at(v - 1, "for") || word_at(v - 1, "with") ||
           word_at(v - 1, "about") || word_at(v - 1, "despite") || word_at(v - 1, "amid")))
        continue;                          // a noun ("the claims") or a passive ("was reported")
      if (word_at(v + 1, "to")) continue;  // "said to", "reported to"
      if (auto s = subject(v)) return s;
    }
    return std::nullopt;
  }

  std::optional<Source> subject(std::size_t v) const {
    // "we confirmed", "we estimate": the report speaks for its publisher.
    if (v > lo_ && (word_at(v - 1, "we") || (v > lo_ + 1 && word_at(v - 2, "we"))))
      return report_subject();
    std::size_t end = v;  // exclusive end of the current chunk
    std::string org;
    for (int chunk = 0; chunk < 5 && end > lo_; ++chunk) {
      std::size_t b = end;
      while (b > lo_) {
        const Token& t = tk_[b - 1];
        if (t.type == TokenType::punct &&
            (t.punct == ',' || t.punct == ';' || t.punct == ':' || t.punct == '"' ||
             t.punct == '(' || t.punct == ')' || t.punct == '-'))
          break;
        if (t.type == TokenType::word && (t.word == "that" || t.word == "and" || t.word == "but"))
          break;
        --b;
      }
      // Drop adverbs and auxiliaries next to the verb, and relative pronouns.
      std::size_t e = end;
      while (e > b &&
             (word_at(e - 1, "also") || word_at(e - 1, "has") || word_at(e - 1, "have") ||
              word_at(e - 1, "had") || word_at(e - 1, "previously") || word_at(e - 1, "recently") ||
              word_at(e - 1, "now") || word_at(e - 1, "who") || word_at(e - 1, "which") ||
              word_at(e - 1, "further") || word_at(e - 1, "later") || word_at(e - 1, "publicly") ||
              word_at(e - 1, "separately") || word_at(e - 1, "once") || word_at(e - 1, "then") ||
              word_at(e - 1, "has")))
        --e;
      const std::size_t next_end = b > lo_ ? b - 1 : lo_;
      if (e == b) {
        if (chunk == 0 && b == v && (punct_at(v - 1, ',') || punct_at(v - 1, '"'))) {
          // "..., said Anna Petrova": the name comes after the verb.
          std::size_t k = v + 1;
          std::size_t stop = k;
          while (stop < hi_ && stop < k + 6 && !punct_at(stop, ',') && !punct_at(stop, '.'))
            ++stop;
          if (auto m = last_mention(k, stop); m && m->first == k) return source_from(*m);
        }
        end = next_end;
        if (b == lo_) break;
        continue;
      }
      if (word_at(b, "who") || word_at(b, "which") || word_at(b, "whose")) {
        end = next_end;  // a relative clause: the subject is before it
        continue;
      }
      if (chunk > 0 && b > lo_ && punct_at(b - 1, ',') && (word_at(b, "a") || word_at(b, "an"))) {
        end = next_end;  // ", a state agency in the capital,": an appositive; the name is before it
        continue;
      }
      const std::string_view first = tk_[b].word;
      static constexpr std::string_view preps[] = {
          "from",      "in",    "on",     "at",       "with",    "citing", "based",
          "according", "after", "during", "speaking", "for",     "in",     "when",
          "while",     "as",    "last",   "this",     "earlier", "however"};
      bool prep = false;
      for (const auto p : preps)
        prep = prep || first == p;
      if (prep && b != lo_) {
        end = next_end;
        continue;
      }
      // "run by X", "founded by X", "led by X", "headed by X"
      for (std::size_t k = b; k + 1 < e; ++k) {
        if (word_at(k + 1, "by") &&
            (word_at(k, "run") || word_at(k, "founded") || word_at(k, "led") ||
             word_at(k, "headed") || word_at(k, "owned") || word_at(k, "created") ||
             word_at(k, "directed") || word_at(k, "edited"))) {
          if (auto m = last_mention(k + 2, e)) return source_from(*m);
        }
      }
      // "the executive director of Justice Russia": an appositive title; the name is before.
      if (chunk > 0 && title_chunk(b, e) &&
          (!last_mention(b, e).has_value() || has(b, detail::w_determiner) || word_at(b, "a") ||
           word_at(b, "an") || !capital_word(b))) {
        if (org.empty()) org = title_org(b, e);
        end = next_end;
        continue;
      }
      if (chunk > 0 && title_chunk(b, e) && (word_at(b, "its") || word_at(b, "their"))) {
        if (org.empty()) org = title_org(b, e);
        end = next_end;
        continue;
      }
      if (auto m = last_mention(b, e)) {
        bool data_noun = false;  // "the founder's own figures" are the founder's
        for (std::size_t k = m->last; k < e; ++k)
          for (const auto w :
               {"figures", "data", "estimates", "estimate", "count", "tally", "calculations",
                "report", "website", "research", "analysis", "numbers", "statement", "sources"})
            data_noun = data_noun || tk_[k].word == w;
        // "the UN monitoring mission": a name and the words of a body's noun after it.
        bool body = m->last < e && e - m->first <= 4 && has(e - 1, detail::w_source_noun) &&
                    !tk_[m->last - 1].possessive;
        for (std::size_t k = m->last; k < e && body; ++k)
          body = tk_[k].type == TokenType::word && !tk_[k].capitalized &&
                 !has(k, detail::w_stop | detail::w_english | detail::w_determiner);
        if (body) {
          Source s;
          s.name = text_of(m->first, e);
          return s;
        }
        if (tk_[m->last - 1].possessive && m->last < e && e - m->first <= 9 && !data_noun) {
          // "Ukraine's coordination headquarters": the body, named by what follows.
          Source s;
          s.name = text_of(m->first, e);
          return s;
        }
        Source s = source_from(*m);
        if (s.org.empty()) s.org = org;
        if (s.org.empty() && b > lo_ + 1 && punct_at(b - 1, ',')) {
          // "Its director, Anna Petrova, said": the title before the name names the body.
          std::size_t pb = b - 1;
          while (pb > lo_ && !punct_at(pb - 1, ',') && !word_at(pb - 1, "that"))
            --pb;
          if (title_chunk(pb, b - 1)) s.org = title_org(pb, b - 1);
        }
        if (s.org == s.name) s.org.clear();
        s.hint = text_of(b, e);
        return s;
      }
      const bool indefinite = word_at(b, "a") || word_at(b, "an") || word_at(b, "one");
      // "the governor's office", "the regional enlistment office" and "its governor" describe
      // a body or a person; "the office", "the independent outlet", "its office" refer back.
      bool described = has(e - 1, detail::w_source_noun) && !backref_word(e - 1);
      for (std::size_t k = b; k + 1 < e; ++k)
        described = described || (tk_[k].possessive && !backref_word(k));
      // Two adjectives or nouns right before the noun make a description.
      std::size_t modifiers = 0;
      for (std::size_t k = e - 1; k > b && modifiers < 2; --k) {
        const Token& t = tk_[k - 1];
        if (t.type != TokenType::word || t.capitalized || backref_word(k - 1) ||
            (t.classes & (detail::w_determiner | detail::w_stop | detail::w_english |
                          detail::w_month | detail::w_number)) != 0)
          break;
        ++modifiers;
      }
      described = described || modifiers >= 2;
      if (!indefinite && !described &&
          (backref_word(e - 1) || (e - b <= 3 && (backref_word(b) || backref_word(b + 1))))) {
        const std::size_t at = backref_word(e - 1) ? e - 1 : (backref_word(b) ? b : b + 1);
        // Nothing named before to refer to: "city officials said" names its speakers.
        if (auto r = resolve(at)) return r;
      }
      for (std::size_t k = b; k < e; ++k)
        if (has(k, detail::w_source_noun)) {
          std::size_t s0 = b;
          while (s0 < e && (has(s0, detail::w_determiner) || word_at(s0, "a")))
            ++s0;
          if (e - s0 > 6) s0 = e - 6;
          Source s;
          s.name = text_of(s0, e);
          s.org = org;
          return s;
        }
      return std::nullopt;
    }
    return std::nullopt;
  }

  // A report names its few sources again and again: each is typed once.
  std::optional<SourceType> source_type(const Source& s) {
    std::string key = s.name + " | " + s.org + " | " + s.hint;
    const auto seen = source_types_.find(key);
    if (seen != source_types_.end()) return seen->second;
    const std::optional<SourceType> type = detail::source_type_of(to_lower(key));
    source_types_.emplace(std::move(key), type);
    return type;
  }

  // --- claims --------------------------------------------------------------------------------

  void claim(const Quantity& q, const std::optional<Source>& source,
             const std::vector<Hedge>& hedges, const std::optional<Date>& as_of) {
    std::uint8_t measure = measure_of(q);
    // "of whom", "among them", "of those": the figure after counts a part of people counted.
    bool part = false;
    for (std::size_t k = q.first; k > lo_ + 1 && !part; --k)
      part = (word_at(k - 1, "whom") || word_at(k - 1, "them") || word_at(k - 1, "those") ||
              word_at(k - 1, "these")) &&
             (word_at(k - 2, "of") || word_at(k - 2, "among"));
    // "At least 700 of them were mobilised men": the part named before its whole.
    const bool part_of_them =
        word_at(q.last, "of") && (word_at(q.last + 1, "them") || word_at(q.last + 1, "whom") ||
                                  word_at(q.last + 1, "those") || word_at(q.last + 1, "these"));
    const bool opens_with_part =
        part_of_them || (part && (word_at(lo_, "of") || word_at(lo_, "among")));
    const Claim* head = nullptr;  // the whole: the sentence's first figure, or the last one
    if (!sentence_claims_.empty())
      head = &claims_[sentence_claims_.front()];
    else if (opens_with_part && !claims_.empty())
      head = &claims_.back();
    if (!q.people && measure == 0 && population_of(q).empty() && !(part && head)) return;
    if (rhetorical(q)) measure = 0;
    // "1,140 men killed, of whom 310 were mobilised": the first measure (how people come in),
    // or none ("Among them are 12 civilians"), names where a part came from; they share the
    // fate of the whole.
    // "Of the missing, about 1,900 are mobilised men": a sentence opening with the people its
    // figures are drawn from gives them its measure.
    if ((measure == 1 || measure == 0) && (word_at(lo_, "of") || word_at(lo_, "among")) &&
        word_at(lo_ + 1, "the"))
      for (const MeasureCue& cue : measure_cues_)
        if (cue.strong && cue.measure > 1 && cue.first > lo_ + 1 && cue.last <= lo_ + 5 &&
            punct_at(cue.last, ',') && cue.last < q.first) {
          measure = cue.measure;
          break;
        }
    if ((measure == 1 || measure == 0) && (part || part_of_them) && head &&
        head->measure != detail::measure_at(1) && head->measure != detail::measure_at(0) &&
        head->start && *head->start < block_start_ + tk_[q.first].start)
      if (const std::uint8_t m = detail::measure_index(head->measure.id()); m != 0) measure = m;
    Claim c;
    c.document = doc_.origin;
    c.start = block_start_ + tk_[q.first].start;
    c.end = block_start_ + tk_[q.last - 1].end;
    c.text = sentence_text();
    c.measure = detail::measure_at(measure);
    c.population = population_of(q);
    c.kind = q.kind;
    c.low = q.low;
    c.high = q.high;
    c.rate = rate_of(q);
    if (source) {
      c.source = source->name;
      c.source_org = source->org;
      c.source_type = source_type(*source);
    }
    for (const Hedge h : hedges)
      add_hedge(c, h);
    c.published = doc_.date;
    c.as_of = doc_.date;
    if (as_of && (!doc_.date || *as_of <= *doc_.date)) c.as_of = as_of;
    c.status = ReviewStatus::proposed;
    // The same figure for the same measure, said again without another source: one claim.
    // Claims are indexed by figure so that a huge document stays linear.
    std::vector<std::size_t>& same = by_figure_[figure_key(c)];
    for (const std::size_t index : same) {
      Claim& seen = claims_[index];
      if (seen.measure != c.measure || seen.kind != c.kind || seen.low != c.low ||
          seen.high != c.high || seen.rate != c.rate)
        continue;
      // A description ("rights group says" in a headline) is the body the report names.
      const auto described = [](const std::string& name) {
        return name.empty() || name[0] < 'A' || name[0] > 'Z';
      };
      // A headline's figure is the body's: the first body mention says who said it.
      const bool headline =
          seen.start && *seen.start < headline_end_ &&
          std::find(body_sourced_.begin(), body_sourced_.end(), index) == body_sourced_.end();
      if (!headline && !seen.source.empty() && !c.source.empty() && seen.source != c.source &&
          !described(seen.source) && !described(c.source))
        continue;
      if (!compatible_populations(seen.population, c.population)) continue;
      if (headline) body_sourced_.push_back(index);
      if ((described(seen.source) && !described(c.source)) ||
          ((headline || seen.source.empty()) && !c.source.empty())) {
        seen.source = c.source;
        seen.source_org = c.source_org;
        seen.source_type = c.source_type;
      }
      if (seen.population.empty()) seen.population = c.population;
      for (const Hedge h : c.hedges)
        add_hedge(seen, h);
      sentence_claims_.push_back(static_cast<std::size_t>(&seen - claims_.data()));
      return;
    }
    same.push_back(claims_.size());
    sentence_claims_.push_back(claims_.size());
    claims_.push_back(std::move(c));
  }

  static std::string figure_key(const Claim& c) {
    std::string key;
    key += c.measure.id();
    key += '\0';
    key += static_cast<char>(c.kind);
    key += static_cast<char>(c.rate);
    // The bounds' bytes, not their decimal text: formatting a double costs more than a claim.
    for (const std::optional<double>& bound : {c.low, c.high}) {
      key += bound ? '+' : '-';
      if (bound) key.append(reinterpret_cast<const char*>(&*bound), sizeof(double));
    }
    return key;
  }

  // Equal, unknown on one side, or one a part of the other (a_b ends in b: one part of b).
  static bool compatible_populations(const std::string& a, const std::string& b) {
    if (a.empty() || b.empty() || a == b) return true;
    const auto part = [](const std::string& whole, const std::string& p) {
      return whole.size() > p.size() && whole.compare(whole.size() - p.size(), p.size(), p) == 0;
    };
    return part(a, b) || part(b, a);
  }

  // The sentence with runs of white space as one space; made once per sentence, however many
  // claims it holds.
  const std::string& sentence_text() {
    const std::string_view s = raw(lo_, hi_);
    if (s.data() == text_of_.data() && s.size() == text_of_.size()) return sentence_text_;
    text_of_ = s;
    sentence_text_.clear();
    sentence_text_.reserve(s.size());
    for (std::size_t k = 0; k < s.size();) {
      std::size_t run = k;
      while (run < s.size() && s[run] != ' ' && s[run] != '\n' && s[run] != '\t' && s[run] != '\r')
        ++run;
      sentence_text_.append(s.substr(k, run - k));
      if (run == s.size()) break;
      if (!sentence_text_.empty() && sentence_text_.back() != ' ') sentence_text_ += ' ';
      k = run + 1;
    }
    return sentence_text_;
  }

  const Document& doc_;
  std::string_view block_;       // the block of text being read
  std::size_t block_start_ = 0;  // its offset in doc.text
  std::string lower_;            // its lower-case copy
  std::vector<Token> tk_;        // its tokens (offsets into block_)
  std::vector<std::size_t> index_;
  std::size_t lo_ = 0;
  std::size_t hi_ = 0;
  std::optional<Source> last_source_;
  std::optional<Source> last_person_;
  std::optional<Source> last_org_;
  std::optional<Source> lead_in_;  // the source of a list after "Its figures:"
  std::optional<Source> previous_source_;
  bool opens_paragraph_ = true;
  bool answer_ = false;       // in a paragraph that opens "A:", an interview's answer
  std::string_view text_of_;  // the sentence whose text sentence_text_ holds
  std::string sentence_text_;
  std::size_t checked_end_ = 0;  // the end of the block the language check tokenized
  std::unordered_map<std::string, std::optional<SourceType>> source_types_;
  // The body a statement or bulletin speaks for: named in a sentence without figures before
  // any claim ("The General Staff reports on the results of the week."); the source of the
  // report's claims that name none.
  std::optional<Source> subject_;
  std::vector<Quantity> quantities_;
  std::vector<MeasureCue> measure_cues_;
  std::size_t headline_end_ = 0;  // the end of the report's first line when it is a headline
  std::vector<std::size_t> body_sourced_;  // headline claims the body has since restated
  std::optional<Source> publisher_;        // whom "we" and "our" mean, once the report says it
  std::vector<PopulationCue> population_cues_;
  std::string table_population_;  // named in the last sentence without figures
  std::vector<Claim> claims_;
  std::vector<std::size_t> sentence_claims_;  // claims of the last sentence with numbers
  std::unordered_map<std::string, std::vector<std::size_t>> by_figure_;
};

}  // namespace

namespace {

enum class Language { none, english, russian };

// The paragraphs of the text (blank-line separated) and their languages: Russian where most
// letters are Cyrillic, English (or another Latin-script language, which the English reader
// checks) where most are Latin; a paragraph without either (a table's figures) goes with the
// one before it.
struct Paragraph {
  std::size_t first = 0;
  std::size_t last = 0;
  Language language = Language::none;
};

std::vector<Paragraph> paragraphs(std::string_view text) {
  std::vector<Paragraph> out;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find("\n\n", at);
    end = end == std::string_view::npos ? text.size() : end + 2;
    const std::string_view p = text.substr(at, end - at);
    const detail::Script script = detail::dominant_script(p);
    Language lang = script == detail::Script::cyrillic ? Language::russian
                    : script == detail::Script::latin  ? Language::english
                                                       : Language::none;
    if (lang == Language::none && !out.empty()) lang = out.back().language;
    if (!out.empty() && out.back().language == lang) {
      out.back().last = end;
    } else {
      out.push_back({at, end, lang});
    }
    at = end;
  }
  return out;
}

std::vector<Claim> read_claims(const Document& doc, const Vocabulary& study) {
  const std::vector<Paragraph> parts = paragraphs(doc.text);
  const bool russian = std::any_of(parts.begin(), parts.end(), [](const Paragraph& p) {
    return p.language == Language::russian;
  });
  if (!russian) return Extractor(doc).run();
  std::vector<Claim> out;
  const bool english = std::any_of(parts.begin(), parts.end(), [](const Paragraph& p) {
    return p.language == Language::english;
  });
  if (english) {
    // The English reader sees the Russian paragraphs blanked out, so offsets stay the same.
    Document latin = doc;
    for (const Paragraph& p : parts)
      if (p.language == Language::russian)
        for (std::size_t i = p.first; i < p.last; ++i)
          if (latin.text[i] != '\n') latin.text[i] = ' ';
    out = Extractor(latin).run();
  }
  std::vector<detail::RussianParagraph> russian_paragraphs;
  for (const Paragraph& p : parts)
    if (p.language == Language::russian) russian_paragraphs.push_back({p.first, p.last});
  std::vector<Claim> ru = detail::extract_russian(doc, russian_paragraphs, study);
  out.insert(out.end(), std::make_move_iterator(ru.begin()), std::make_move_iterator(ru.end()));
  std::stable_sort(out.begin(), out.end(),
                   [](const Claim& a, const Claim& b) { return a.start < b.start; });
  const std::string prefix = doc.id.substr(0, std::min<std::size_t>(8, doc.id.size()));
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i].id = prefix + "-" + std::to_string(i + 1);
  return out;
}

}  // namespace

std::vector<Claim> detail::read_document_claims(const Document& doc, const Vocabulary& study) {
  try {
    return read_claims(doc, study);
  } catch (...) {
    // Extraction never fails a command: an input that breaks an assumption gives no claims.
    return {};
  }
}

std::vector<Claim> extract_claims(const Document& doc) {
  return detail::read_document_claims(doc, Vocabulary{});
}

}  // namespace recount
