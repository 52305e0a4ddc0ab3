#pragma once
// TOML input (model files, studies, link configs): parsing and reading values so that every
// problem becomes an error naming the file, line, column and key.

#include <cstdint>
#include <set>
#include <string>

#include <toml++/toml.h>

#include "recount/core/date.hpp"
#include "recount/core/error.hpp"

namespace recount {

// Parses TOML text; a syntax error is bad input naming file:line:column.
[[nodiscard]] toml::table parse_toml(const std::string& text, const std::string& file);

// Reads typed values out of a parsed document; a wrong type or an unknown key is bad input
// naming the file, the line and column of the value, and its key.
class TomlReader {
 public:
  explicit TomlReader(std::string file) : file_(std::move(file)) {}

  [[nodiscard]] const std::string& file() const noexcept { return file_; }
  [[nodiscard]] Location at(const toml::node& node, const std::string& key) const;
  // The place of `key` in `table`, or of the table itself when the key is absent.
  [[nodiscard]] Location at(const toml::table& table, const std::string& key) const;

  // Refuses keys of `table` not in `known`; `path` prefixes the key in the message ("a.b").
  void only_keys(const toml::table& table, const std::string& path,
                 const std::set<std::string>& known) const;

  [[nodiscard]] const toml::table& table(const toml::node& node, const std::string& key) const;
  [[nodiscard]] const toml::array& array(const toml::node& node, const std::string& key) const;
  [[nodiscard]] std::string string(const toml::node& node, const std::string& key) const;
  [[nodiscard]] double number(const toml::node& node, const std::string& key) const;
  [[nodiscard]] std::int64_t integer(const toml::node& node, const std::string& key) const;
  [[nodiscard]] bool boolean(const toml::node& node, const std::string& key) const;
  // A TOML date or an ISO date string.
  [[nodiscard]] Date date(const toml::node& node, const std::string& key) const;

  // The node of a key that must be there.
  [[nodiscard]] const toml::node& required(const toml::table& table, const std::string& key) const;

 private:
  std::string file_;
};

}  // namespace recount
