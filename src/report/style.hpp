#pragma once
// The report's stylesheet (internal to report): print-friendly, readable by an editor.

#include <string_view>

namespace recount::report::detail {

[[nodiscard]] std::string_view stylesheet() noexcept;

}  // namespace recount::report::detail
