// The study stage of the claim extractor: the study's vocabulary decides the populations (and,
// where it gives cue words, the measures) of the claims the readers found; the Russian reader
// has already taken the study's measure terms as cues, so a figure only they describe is found.
// docs/claims.md, "A study's own words".

#include <algorithm>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <libstemmer.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "extract_russian.hpp"
#include "recount/evidence/extract.hpp"
#include "recount/evidence/vocabulary.hpp"

namespace recount {
namespace {

// The Snowball stemmers for the two languages the readers know; not thread-safe, so one pair
// per thread.
class VocabularyStemmers {
 public:
  VocabularyStemmers()
      : russian_(sb_stemmer_new("russian", "UTF_8")),
        english_(sb_stemmer_new("english", "UTF_8")) {}
  ~VocabularyStemmers() {
    sb_stemmer_delete(russian_);
    sb_stemmer_delete(english_);
  }
  VocabularyStemmers(const VocabularyStemmers&) = delete;
  VocabularyStemmers& operator=(const VocabularyStemmers&) = delete;

  std::string stem(const std::string& folded, bool cyrillic) const {
    sb_stemmer* s = cyrillic ? russian_ : english_;
    if (s == nullptr) return folded;
    const sb_symbol* out = sb_stemmer_stem(s, reinterpret_cast<const sb_symbol*>(folded.data()),
                                           static_cast<int>(folded.size()));
    if (out == nullptr) return folded;
    return {reinterpret_cast<const char*>(out), static_cast<std::size_t>(sb_stemmer_length(s))};
  }

 private:
  sb_stemmer* russian_;
  sb_stemmer* english_;
};

const VocabularyStemmers& vocabulary_stemmers() {
  thread_local const VocabularyStemmers stemmers;
  return stemmers;
}

struct StudyWord {
  std::size_t start = 0;  // byte offsets in the text read
  std::size_t end = 0;
  std::string stem;  // of the case-folded form, ё read as е
};

// The words of a text (letters, digits and inner hyphens), case folded and stemmed. A loop over
// code points rather than ICU's word break iterator: the stems need only letter runs, and the
// iterator costs more than the whole stage.
std::vector<StudyWord> study_words(std::string_view text, std::size_t base) {
  std::vector<StudyWord> out;
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < length) {
    int32_t at = i;
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c < 0 || !u_isalnum(c)) continue;
    std::string folded;
    bool cyrillic = false;
    int32_t end = i;
    for (int32_t k = at; k < length;) {
      const int32_t here = k;
      UChar32 d = 0;
      U8_NEXT(bytes, k, length, d);
      const bool inner_hyphen = d == '-' && k < length && u_isalnum(static_cast<UChar32>(bytes[k]));
      if (d < 0 || (!u_isalnum(d) && !inner_hyphen)) {
        k = here;
        end = here;
        break;
      }
      d = u_foldCase(d, U_FOLD_CASE_DEFAULT);
      if (d == 0x451) d = 0x435;  // ё is read as е
      cyrillic = cyrillic || (d >= 0x400 && d < 0x530);
      char buf[4];
      int32_t n = 0;
      U8_APPEND_UNSAFE(buf, n, d);
      folded.append(buf, static_cast<std::size_t>(n));
      end = k;
    }
    out.push_back({base + static_cast<std::size_t>(at), base + static_cast<std::size_t>(end),
                   vocabulary_stemmers().stem(folded, cyrillic)});
    i = end;
  }
  return out;
}

struct StudyTerm {
  std::vector<std::string> stems;
  std::string population;  // the population it names, or
  Measure measure{};       // the measure it states
  bool is_measure = false;
};

std::vector<StudyTerm> study_terms(const Vocabulary& vocabulary) {
  std::vector<StudyTerm> out;
  const auto add = [&](const std::string& term, StudyTerm t) {
    for (StudyWord& w : study_words(term, 0))
      t.stems.push_back(std::move(w.stem));
    if (!t.stems.empty()) out.push_back(std::move(t));
  };
  for (const PopulationTerm& p : vocabulary.populations)
    for (const std::string& term : p.terms)
      add(term, StudyTerm{{}, p.id, Measure(), false});
  for (const MeasureTerm& m : vocabulary.measures)
    for (const std::string& term : m.terms)
      add(term, StudyTerm{{}, {}, m.measure, true});
  return out;
}

struct TermHit {
  const StudyTerm* term = nullptr;
  std::size_t distance = std::numeric_limits<std::size_t>::max();  // words between
  bool after = false;                                              // the term follows the figure
};

// The sentence around [start, end) of the text: back to the previous sentence end or blank line,
// forward to the next, at most `reach` bytes each way.
std::pair<std::size_t, std::size_t> sentence_around(std::string_view text, std::size_t start,
                                                    std::size_t end, std::size_t reach) {
  const auto ends_sentence = [&](std::size_t k) {
    const char c = text[k];
    if (c == '\n') return k + 1 < text.size() && text[k + 1] == '\n';
    return (c == '.' || c == '!' || c == '?') &&
           (k + 1 >= text.size() || text[k + 1] == ' ' || text[k + 1] == '\n');
  };
  std::size_t first = start;
  while (first > 0 && start - first < reach && !ends_sentence(first - 1))
    --first;
  std::size_t last = end;
  while (last < text.size() && last - end < reach && !ends_sentence(last))
    ++last;
  return {first, last};
}

// The nearest term of the kind wanted to the figure at [start, end) among `words`.
TermHit nearest_term(const std::vector<StudyWord>& words, const std::vector<StudyTerm>& terms,
                     bool measures, std::size_t start, std::size_t end) {
  TermHit best;
  std::size_t figure_first = words.size();  // the first word at or after the figure
  std::size_t figure_last = 0;              // one past the last word inside it
  for (std::size_t k = 0; k < words.size(); ++k) {
    if (words[k].start >= start && figure_first == words.size()) figure_first = k;
    if (words[k].end <= end) figure_last = k + 1;
  }
  figure_last = std::max(figure_last, figure_first);
  for (const StudyTerm& t : terms) {
    if (t.is_measure != measures) continue;
    for (std::size_t k = 0; k + t.stems.size() <= words.size(); ++k) {
      bool match = true;
      for (std::size_t j = 0; j < t.stems.size() && match; ++j)
        match = words[k + j].stem == t.stems[j];
      if (!match) continue;
      const std::size_t term_last = k + t.stems.size();
      const bool after = k >= figure_last;
      const std::size_t distance = after                       ? k - figure_last
                                   : term_last <= figure_first ? figure_first - term_last
                                                               : 0;
      if (distance < best.distance || (distance == best.distance && after && !best.after))
        best = TermHit{&t, distance, after};
    }
  }
  return best;
}

}  // namespace

std::vector<Claim> extract_claims(const Document& doc, const Vocabulary& vocabulary) {
  std::vector<Claim> claims = detail::read_document_claims(doc, vocabulary);
  if (vocabulary.empty()) return claims;
  const std::vector<StudyTerm> terms = study_terms(vocabulary);
  const std::string_view text = doc.text;
  // A measure cue word counts for the figure it is near; a population word anywhere in the
  // sentence, or, when the sentence names none, in the text just before it (a table's
  // caption, "Of those, …").
  constexpr std::size_t measure_reach = 6;
  constexpr std::size_t sentence_reach = 400;
  constexpr std::size_t caption_reach = 600;
  for (Claim& c : claims) {
    if (!c.start || !c.end || *c.end > text.size() || *c.start > *c.end) continue;
    const std::size_t start = *c.start;
    const std::size_t end = *c.end;
    const auto [first, last] = sentence_around(text, start, end, sentence_reach);
    const std::vector<StudyWord> words = study_words(text.substr(first, last - first), first);
    if (const TermHit m = nearest_term(words, terms, true, start, end);
        m.term && m.distance <= measure_reach)
      c.measure = m.term->measure;
    TermHit p = nearest_term(words, terms, false, start, end);
    // A sentence that names another population (the built-in lexicon's) is about that one.
    if (!p.term && c.population.empty()) {
      const std::size_t from = first > caption_reach ? first - caption_reach : 0;
      p = nearest_term(study_words(text.substr(from, first - from), from), terms, false, start,
                       end);
    }
    if (p.term)
      c.population = p.term->population;
    else if (!vocabulary.populations.empty() && vocabulary.population(c.population) == nullptr)
      c.population.clear();  // a built-in population the study does not study
  }
  return claims;
}

}  // namespace recount
