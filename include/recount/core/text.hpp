#pragma once
// Files and text: reading with clear errors, UTF-8 validity, trimming, number formatting.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace recount {

// Reads a whole file. A missing file, a directory or an unreadable file is a bad-input error
// naming the path. "-" reads standard input.
[[nodiscard]] std::string read_file(const std::filesystem::path& path);

// Writes a file atomically: to a temporary beside it, then renamed over it, so a crash never
// leaves a half-written file. `owner_only` makes it readable by its owner only (files with names).
void write_file(const std::filesystem::path& path, std::string_view content,
                bool owner_only = false);

// The byte offset of the first byte that is not valid UTF-8, if any. Hand-written: a dozen
// lines, and ICU's converters report the offset only after a full conversion.
[[nodiscard]] std::optional<std::size_t> first_invalid_utf8(std::string_view text) noexcept;

// True when the text looks binary (NUL bytes or many control characters near the start).
[[nodiscard]] bool looks_binary(std::string_view text) noexcept;

// Text made safe inside HTML or SVG markup and attribute values (& < > " ').
[[nodiscard]] std::string markup_escape(std::string_view text);

[[nodiscard]] std::string_view trim(std::string_view s) noexcept;
[[nodiscard]] std::string to_lower_ascii(std::string_view s);

// 10356.52 -> "10,357"; with decimals: format_number(10356.52, 2) -> "10,356.52".
[[nodiscard]] std::string format_number(double value, int decimals = 0);

}  // namespace recount
