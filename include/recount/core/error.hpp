#pragma once
// One error type for everything a command can fail on. The kind decides the CLI exit code;
// the location names the input (file, line, column or byte offset, key) so users can fix it.

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>

namespace recount {

enum class ErrorKind {
  bad_input = 1,  // the user's files or values are wrong
  usage = 2,      // the command line is wrong
  internal = 3,   // a bug or an environment failure
  untrusted = 4,  // computed, but not to be trusted (reported with the result)
};

// Where in the user's input the problem is. Empty fields are left out of the message.
struct Location {
  std::string file{};
  std::optional<std::size_t> line{};    // 1-based
  std::optional<std::size_t> column{};  // 1-based; a column name goes in `key`
  std::optional<std::size_t> offset{};  // byte offset, when lines do not apply
  std::string key{};                    // a TOML key, a CSV column, a CLI option

  // "file:line:column: key" in the compiler convention, as short as the facts allow.
  [[nodiscard]] std::string str() const;
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, Location where, const std::string& what);
  Error(ErrorKind kind, const std::string& what);

  [[nodiscard]] ErrorKind kind() const noexcept { return kind_; }
  [[nodiscard]] const Location& where() const noexcept { return where_; }
  // The message without the location prefix.
  [[nodiscard]] const std::string& reason() const noexcept { return reason_; }

 private:
  ErrorKind kind_;
  Location where_;
  std::string reason_;
};

// The user's input is wrong: names the place and what is wrong with it.
[[nodiscard]] Error bad_input(Location where, const std::string& what);
[[nodiscard]] Error usage_error(const std::string& what);
[[nodiscard]] Error internal_error(const std::string& what);

[[nodiscard]] int exit_code(ErrorKind kind) noexcept;

}  // namespace recount
