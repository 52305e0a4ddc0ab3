#pragma once
// The given-name lexicon: common Russian (and Ukrainian, Belarusian, Tatar, Caucasian) given
// names with their diminutives and national forms, written for this project. given_key maps
// every form to the key of the full name. See docs/names.md for its scope.

#include <span>
#include <string_view>

namespace recount::linkage {

struct GivenName {
  std::string_view name;   // the full Russian form, Cyrillic ("Александр")
  std::string_view forms;  // other forms separated by spaces: diminutives, Ukrainian, Latin
  bool female = false;
};

// Male names first: when one form belongs to two names (Саша: Александр and Александра;
// Слава: Вячеслав and Станислав) the first entry wins, so the male full name (the lists this
// project links are of men).
[[nodiscard]] std::span<const GivenName> given_name_lexicon() noexcept;

}  // namespace recount::linkage
