#include "extract_lexicon.hpp"

#include <map>
#include <mutex>

#include "recount/core/error.hpp"

namespace recount::detail {

Lexicon parse_lexicon(std::string_view text, std::string_view origin) {
  Lexicon out;
  std::size_t line = 0;
  std::size_t at = 0;
  while (at < text.size()) {
    ++line;
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view row = text.substr(at, end - at);
    at = end + 1;
    if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
    if (row.empty() || row.front() == '#') continue;
    const std::size_t a = row.find('\t');
    const std::size_t b = a == std::string_view::npos ? a : row.find('\t', a + 1);
    const Location where{std::string(origin), line};
    if (b == std::string_view::npos || row.find('\t', b + 1) != std::string_view::npos)
      throw bad_input(where, "a lexicon line is `cue <TAB> value <TAB> words`");
    LexiconEntry e{std::string(row.substr(0, a)), std::string(row.substr(a + 1, b - a - 1)),
                   std::string(row.substr(b + 1)), line};
    if (e.cue.empty() || e.value.empty() || e.words.empty())
      throw bad_input(where, "a lexicon line has an empty field");
    out.entries.push_back(std::move(e));
  }
  return out;
}

const Lexicon& builtin_lexicon(std::string_view language) {
  static std::mutex mutex;
  static std::map<std::string, Lexicon, std::less<>> parsed;
  const std::lock_guard lock(mutex);
  auto it = parsed.find(language);
  if (it == parsed.end()) {
    const std::string origin = "data/lexicons/" + std::string(language) + ".tsv";
    it =
        parsed.emplace(std::string(language), parse_lexicon(builtin_lexicon_text(language), origin))
            .first;
  }
  return it->second;
}

}  // namespace recount::detail
