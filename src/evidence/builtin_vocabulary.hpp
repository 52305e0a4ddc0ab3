#pragma once
// Private to the evidence capability: the built-in vocabulary's files (data/vocabulary/*.tsv),
// embedded in the binary by cmake/lexicons.cmake.

#include <string_view>

namespace recount::detail {

// The embedded text of data/vocabulary/<name>.tsv ("measures"); empty when there is none.
[[nodiscard]] std::string_view builtin_vocabulary_text(std::string_view name) noexcept;

}  // namespace recount::detail
