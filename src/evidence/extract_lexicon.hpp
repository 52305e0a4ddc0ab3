#pragma once
// Private to the extractor: its lexicons, one per language (data/lexicons/<language>.tsv,
// embedded in the binary by cmake/lexicons.cmake). Each line is `cue <TAB> value <TAB> words`;
// the header of each file lists its cues. The word lists, measures, populations, hedges and
// source types of the extractor all come from here, none from C++.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace recount::detail {

struct LexiconEntry {
  std::string cue;    // measure, population, people, hedge, ...
  std::string value;  // the measure or population id, the hedge, "-" when none
  std::string words;  // the word or phrase, as the file writes it
  std::size_t line = 0;
};

struct Lexicon {
  std::vector<LexiconEntry> entries;
};

// Reads a lexicon. A line without its three tab-separated fields is bad input naming `origin`
// and the line; blank lines and lines starting with '#' are skipped.
[[nodiscard]] Lexicon parse_lexicon(std::string_view text, std::string_view origin);

// The embedded text of a language's lexicon ("en", "ru"); empty when there is none.
[[nodiscard]] std::string_view builtin_lexicon_text(std::string_view language) noexcept;

// The embedded lexicon of a language, parsed on first use.
[[nodiscard]] const Lexicon& builtin_lexicon(std::string_view language);

}  // namespace recount::detail
