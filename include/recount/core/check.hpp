#pragma once
// Argument checks with one signature everywhere (after Stan Math's check_positive):
// check_*(where, what, value) throws a bad-input Error that names the input and the value.

#include <cmath>
#include <string_view>

#include <fmt/format.h>

#include "recount/core/error.hpp"

namespace recount {

inline void check_finite(const Location& where, std::string_view what, double value) {
  if (!std::isfinite(value))
    throw bad_input(where, fmt::format("{} must be finite, got {}", what, value));
}

inline void check_positive(const Location& where, std::string_view what, double value) {
  if (!(value > 0) || !std::isfinite(value))
    throw bad_input(where, fmt::format("{} must be positive, got {}", what, value));
}

inline void check_nonnegative(const Location& where, std::string_view what, double value) {
  if (!(value >= 0) || !std::isfinite(value))
    throw bad_input(where, fmt::format("{} must be zero or more, got {}", what, value));
}

inline void check_probability(const Location& where, std::string_view what, double value) {
  if (!(value >= 0 && value <= 1))
    throw bad_input(where, fmt::format("{} must be between 0 and 1, got {}", what, value));
}

inline void check_open_unit(const Location& where, std::string_view what, double value) {
  if (!(value > 0 && value < 1))
    throw bad_input(where, fmt::format("{} must be strictly between 0 and 1, got {}", what, value));
}

}  // namespace recount
