#include "recount/core/error.hpp"

#include <fmt/format.h>

namespace recount {

std::string Location::str() const {
  std::string out = file;
  if (line) {
    out += fmt::format(":{}", *line);
    if (column) out += fmt::format(":{}", *column);
  } else if (offset) {
    out += fmt::format(": byte {}", *offset);
  }
  if (!key.empty()) out += out.empty() ? key : fmt::format(": {}", key);
  return out;
}

namespace {
std::string with_location(const Location& where, const std::string& what) {
  const std::string prefix = where.str();
  return prefix.empty() ? what : fmt::format("{}: {}", prefix, what);
}
}  // namespace

Error::Error(ErrorKind kind, Location where, const std::string& what)
    : std::runtime_error(with_location(where, what)),
      kind_(kind),
      where_(std::move(where)),
      reason_(what) {}

Error::Error(ErrorKind kind, const std::string& what)
    : std::runtime_error(what), kind_(kind), reason_(what) {}

Error bad_input(Location where, const std::string& what) {
  return {ErrorKind::bad_input, std::move(where), what};
}

Error usage_error(const std::string& what) {
  return {ErrorKind::usage, what};
}

Error internal_error(const std::string& what) {
  return {ErrorKind::internal, what};
}

int exit_code(ErrorKind kind) noexcept {
  return static_cast<int>(kind);
}

}  // namespace recount
