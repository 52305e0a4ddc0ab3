#pragma once
// Private to the extractor: the one-pass tokenizer, the word lexicon, sentence splitting and
// date recognition. Hand-written rather than std::regex: one pass over the bytes with offsets,
// and fast enough for 20 MB/s of news text.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "recount/core/date.hpp"
#include "recount/evidence/claim.hpp"

namespace recount::detail {

enum class TokenType : std::uint8_t { word, number, punct, newline, paragraph };

// Word classes, a bit each; a word may have several ("killed" is a measure cue, "prisoners" a
// people noun and a population cue).
enum WordClass : std::uint32_t {
  w_month = 1u << 0,          // arg: 1..12
  w_number = 1u << 1,         // arg: the value (one..ninety)
  w_multiplier = 1u << 2,     // arg: power of ten (hundred 2, thousand 3, million 6, billion 9)
  w_magnitude = 1u << 3,      // plural multiplier: hundreds, thousands; arg: power of ten
  w_people = 1u << 4,         // a noun for people: soldiers, inmates, men
  w_thing = 1u << 5,          // a noun for things or units: colonies, regions, tanks, km
  w_time_unit = 1u << 6,      // days, weeks, months, years
  w_money = 1u << 7,          // dollars, roubles
  w_measure = 1u << 8,        // a measure cue (field measure)
  w_weak_measure = 1u << 9,   // a weak measure cue (front, fighting): used when no other
  w_population = 1u << 10,    // field population
  w_attribution = 1u << 11,   // said, states, estimates
  w_hedge = 1u << 12,         // arg: Hedge
  w_backref = 1u << 13,       // report, website, organisation, he, she
  w_english = 1u << 14,       // a common English function word (language check)
  w_abbreviation = 1u << 15,  // followed by '.', not a sentence end: Mr, Dec, U.S
  w_determiner = 1u << 16,    // these, those, the, them, whom, their
  w_source_noun = 1u << 17,   // intelligence, officials, ministry: a body that speaks
  w_stop = 1u << 18,          // a verb, auxiliary or preposition: ends a noun phrase
  w_forces = 1u << 19,        // troops, losses: makes a forces_population word a cue
  w_forces_population = 1u << 20,  // names a population only before a w_forces word
  w_population_phrase = 1u << 21,  // the first word of a population phrase ("unit-b")
  w_org_marker = 1u << 22,         // ministry, group, news: a name with it is an organisation
  w_measure_phrase = 1u << 23,     // the first word of a sentence_measure phrase
  w_cue_phrase = 1u << 24,         // the first word of a measure phrase ("behind bars")
  w_counted = 1u << 25,            // killed, missing, deaths: after a number, the people counted
  w_backref_person = 1u << 26,     // he, she, his: a back-reference to the last person
  w_backref_body = 1u << 27,       // group, ministry, its: a back-reference to the last body
  w_honorific = 1u << 28,          // mr, dr, gen: before '.', no part of the name
  w_retraction = 1u << 29,         // correction: before ':', the figures a report withdraws
  w_identifier = 1u << 30,         // article, page, no: a number after it names, not counts
  w_title = 1u << 31,              // director, spokesman: a person's role, before or after a name
};

// Where the phrases a word starts sit in the lexicon's list of them (kept sorted by first
// word): found once per word when the lexicon is read, not searched for at every token.
struct PhraseRange {
  std::uint16_t from = 0;
  std::uint16_t count = 0;
};

struct Token {
  std::size_t start = 0;
  std::size_t end = 0;
  TokenType type = TokenType::word;
  bool capitalized = false;     // starts with an ASCII capital letter
  bool space_before = false;    // whitespace (or the start) precedes it
  bool possessive = false;      // ends in 's ("Russia's"); the lexicon sees the stem
  bool grouped = false;         // a number written with thousands separators
  bool decimal = false;         // a number with a decimal part
  char punct = 0;               // for punct: the character ('-' for any dash, '"' any quote)
  std::uint32_t classes = 0;    // WordClass bits
  std::uint8_t arg = 0;         // the class argument (see WordClass)
  std::uint8_t measure = 0;     // for w_measure and w_weak_measure: a measure_at() index
  std::uint8_t population = 0;  // for w_population: an index for population_id()
  PhraseRange cue_phrases;      // as Lexeme's
  PhraseRange measure_phrases;
  double value = 0;       // for numbers
  std::string_view word;  // lower-case text (for numbers: the letters right after, "k")
};

// The tokens of `text`, in order, with byte offsets into it. `lower` must be the ASCII
// lower-case copy of `text` (token words point into it).
[[nodiscard]] std::vector<Token> tokenize(std::string_view text, std::string_view lower);

// Looks up the word classes of a lower-case word.
struct Lexeme {
  std::uint32_t classes = 0;
  std::uint8_t arg = 0;
  std::uint8_t measure = 0;
  std::uint8_t population = 0;
  PhraseRange cue_phrases;      // the measure phrases (w_cue_phrase) it starts
  PhraseRange measure_phrases;  // the sentence_measure phrases (w_measure_phrase) it starts
};
[[nodiscard]] Lexeme lookup(std::string_view lower_word) noexcept;

// The population id of a Lexeme's population index (data/lexicons/en.tsv); 0 is none ("").
[[nodiscard]] std::string_view population_id(std::uint8_t population) noexcept;

// The measure of a Lexeme's (or a phrase's) measure index: 1 + its place among the built-in
// measures (data/vocabulary/measures.tsv); 0 is none.
[[nodiscard]] const Measure& measure_at(std::uint8_t measure) noexcept;
// Its inverse: the index of a built-in measure's id, 0 when it is none of them.
[[nodiscard]] std::uint8_t measure_index(std::string_view id) noexcept;

// A population named by several tokens: words, "-" for a hyphen, "/" for a slash ("unit", "-",
// "b").
struct PopulationPhrase {
  std::vector<std::string> parts;
  std::uint8_t population = 0;
};
[[nodiscard]] const std::vector<PopulationPhrase>& population_phrases() noexcept;

// A phrase of the lexicon that states a measure: a sentence_measure phrase decides the measure
// of its clause ("were buried" is killed, whoever the men); a measure phrase is a cue of several
// words that overrides the words it holds ("behind bars", "prisoners of war").
struct MeasurePhrase {
  std::vector<std::string> parts;  // words, "-" for a hyphen
  std::uint8_t measure = 0;        // a measure_at() index
};
// The sentence_measure phrases and the measure phrases (w_cue_phrase) that `token` starts, in
// lexicon order.
[[nodiscard]] std::span<const MeasurePhrase> measure_phrases_of(const Token& token) noexcept;
[[nodiscard]] std::span<const MeasurePhrase> cue_phrases_of(const Token& token) noexcept;

// A head population named near a modifier population is the joint one.
struct JointPopulation {
  std::uint8_t modifier = 0;
  std::uint8_t head = 0;
  std::uint8_t joint = 0;
};
[[nodiscard]] const std::vector<JointPopulation>& joint_populations() noexcept;

// The type the first `source_type` phrase of the lexicon (in its order) found in `who` gives:
// each phrase as whole words ("cia" is not in "official"), though one of more than five letters
// may end inside a word; none when no phrase is there. `who` is lower-case.
[[nodiscard]] std::optional<SourceType> source_type_of(std::string_view who) noexcept;

// Sentences as half-open token ranges [first, last). Breaks at . ! ? (not after abbreviations,
// initials or inside numbers), at paragraph breaks, and at line ends after short lines
// (headlines, captions, datelines).
struct Span {
  std::size_t first = 0;
  std::size_t last = 0;
};
[[nodiscard]] std::vector<Span> split_sentences(std::string_view text,
                                                const std::vector<Token>& tokens);

// A calendar date written in tokens [i, ...): "8 December 2023", "December 8, 2023",
// "Dec. 8, 2023", "2023-12-08". `end` receives the index after it.
[[nodiscard]] std::optional<Date> date_at(const std::vector<Token>& tokens, std::size_t i,
                                          std::size_t limit, std::size_t& end);

// The report's dateline: the first full date among the first lines of `text`.
[[nodiscard]] std::optional<Date> find_dateline(std::string_view text);

// A date in ISO form at the start of `s` ("2023-12-08T14:26:00Z" -> 2023-12-08).
[[nodiscard]] std::optional<Date> iso_date_prefix(std::string_view s) noexcept;

}  // namespace recount::detail
