#pragma once
// Private to the extractor: claims in Russian text (docs/claims.md, "Russian"). Stages with one
// job each, each testable alone: tokens (words with their Snowball stems, numbers as Russian
// writes them), lexicon matches (data/lexicons/ru.tsv), quantities, cues, attribution, claims.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "recount/evidence/claim.hpp"
#include "recount/evidence/document.hpp"
#include "recount/evidence/vocabulary.hpp"

namespace recount::detail {

enum class RuType : std::uint8_t { word, number, punct, newline, paragraph };

// A word form's entry in the per-thread stem cache: its stem, and what the lexicon holds for it.
struct RuWord;

struct RuToken {
  std::size_t start = 0;  // byte offsets in the text given to tokenize_russian
  std::size_t end = 0;
  RuType type = RuType::word;
  bool upper = false;    // a word starting with a capital letter
  bool grouped = false;  // a number written with thousands groups ("15 000")
  bool decimal = false;  // a number with a decimal comma or point ("6,5")
  double value = 0;      // for numbers
  // For words the Snowball stem of the lower-case form (ё read as е); for punctuation the
  // character, with every dash "-" and every quote "\""; empty for numbers and line breaks.
  std::string_view key;
  std::string_view form;         // words: the lower-case form (ё read as е); punctuation: as key
  const RuWord* word = nullptr;  // words: the form's entry in the stem cache
};

// The tokens of `text`. Keys and words point into a per-thread cache of word forms that lives
// until the next call on the same thread, or into static storage.
[[nodiscard]] std::vector<RuToken> tokenize_russian(std::string_view text);

// A number at tokens [first, last): its value(s) as the claims CSV writes them.
struct RuQuantity {
  std::size_t first = 0;
  std::size_t last = 0;
  ClaimKind kind = ClaimKind::point;
  std::optional<double> low;
  std::optional<double> high;
};

// The quantities of people in tokens [first, last) of `tokens`: numbers in digits or words,
// with their bounds and multipliers; dates, money, percentages, ages, years, article numbers
// and counts of things are left out. A number with no noun after it is kept only when
// `bare` is set (table cells).
[[nodiscard]] std::vector<RuQuantity> russian_quantities(const std::vector<RuToken>& tokens,
                                                         std::size_t first, std::size_t last,
                                                         bool bare);

// Whether most of the letters of `text` are Cyrillic or Latin; none without letters of either.
enum class Script { none, latin, cyrillic };
[[nodiscard]] Script dominant_script(std::string_view text) noexcept;

// A Russian paragraph of a document: doc.text[first, last).
struct RussianParagraph {
  std::size_t first = 0;
  std::size_t last = 0;
};

// The claims of the Russian paragraphs of doc, in their order; ids are left empty. The `terms` of
// the study's measures are measure cues beside the lexicon's, stronger than any of its own (a
// study that names its measure says what its figures state); that lexicon is built once for all
// the paragraphs.
[[nodiscard]] std::vector<Claim> extract_russian(const Document& doc,
                                                 const std::vector<RussianParagraph>& paragraphs,
                                                 const Vocabulary& study);

// The claims both readers find in `doc`, with ids (extract.cpp); the Russian reader takes the
// study's measure terms as cues. Never throws: an input that breaks an assumption gives none.
[[nodiscard]] std::vector<Claim> read_document_claims(const Document& doc, const Vocabulary& study);

}  // namespace recount::detail
