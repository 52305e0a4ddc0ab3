#pragma once
// The plotting libraries inlined into every report (minified vega, vega-lite and vega-embed, as
// pinned by web/package-lock.json), compiled into the binary by cmake/embed.cmake.

#include <string_view>

namespace recount::report {

[[nodiscard]] std::string_view vega_js() noexcept;
[[nodiscard]] std::string_view vega_lite_js() noexcept;
[[nodiscard]] std::string_view vega_embed_js() noexcept;
// "vega 6.4.0, vega-lite 6.5.0, vega-embed 7.3.0": for the report's footer.
[[nodiscard]] std::string_view web_library_versions() noexcept;

}  // namespace recount::report
