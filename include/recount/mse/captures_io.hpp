#pragma once
// Reading capture data: a captures table (one row per person, one 0/1 column per list, optional
// `entity` and `stratum` columns, as the linkage step writes captures.csv) or a pattern-count
// table (0/1 columns plus `count`, or `pattern,count` with patterns like "1010").

#include <filesystem>
#include <string>
#include <vector>

#include "recount/mse/capture_table.hpp"

namespace recount::mse {

inline constexpr std::size_t min_lists = 2;
inline constexpr std::size_t max_lists = 15;

// One table per stratum, in order of first appearance (one table, with an empty stratum, when
// there is no `stratum` column). Bad input (a row with no capture, a value other than 0/1, a
// pattern of the wrong length, a negative or fractional count, a repeated pattern, fewer than
// two or more than fifteen lists, no rows) throws recount::Error naming the file and line.
[[nodiscard]] std::vector<CaptureTable> read_captures(const std::filesystem::path& path);

// The same from text in memory; `name` is used in error messages.
[[nodiscard]] std::vector<CaptureTable> parse_captures(std::string text, const std::string& name);

}  // namespace recount::mse
