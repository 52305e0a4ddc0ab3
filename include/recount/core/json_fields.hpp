#pragma once
// Reading the fields of a JSON object that a user or an earlier run wrote (a claim, a stage's
// cached results): each field checked for its type, and a wrong one a bad-input error naming
// the file and the field's path ("conflicts[3].p_value"). Absent and null read alike.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "recount/core/date.hpp"
#include "recount/core/error.hpp"

namespace recount {

class JsonFields {
 public:
  // Throws bad input when `value` is not an object. `path` is where it sits in the file.
  JsonFields(const nlohmann::json& value, std::string file, std::string path = {});
  // A document that is a list of objects ("[0]", "[1]", ...); `what` names its items in the
  // error when it is not one.
  [[nodiscard]] static std::vector<JsonFields> list(const nlohmann::json& value,
                                                    const std::string& file, std::string_view what);

  [[nodiscard]] bool has(std::string_view key) const;
  [[nodiscard]] std::string string(std::string_view key) const;            // "" when absent
  [[nodiscard]] std::optional<double> number(std::string_view key) const;  // nullopt when absent
  // A number the writer may have left null for NaN (JSON has no NaN): NaN when absent.
  [[nodiscard]] double real(std::string_view key) const;
  [[nodiscard]] std::optional<std::size_t> count(std::string_view key) const;  // 0 or more
  [[nodiscard]] int integer(std::string_view key, int absent = 0) const;
  [[nodiscard]] bool boolean(std::string_view key, bool absent = false) const;
  [[nodiscard]] std::optional<Date> date(std::string_view key) const;  // YYYY-MM-DD
  [[nodiscard]] std::vector<std::string> strings(std::string_view key) const;
  // A list of numbers, each of which may be null (an open end of an interval).
  [[nodiscard]] std::vector<std::optional<double>> numbers(std::string_view key) const;
  [[nodiscard]] JsonFields object(std::string_view key) const;  // an empty object when absent
  [[nodiscard]] std::vector<JsonFields> objects(std::string_view key) const;  // a list of them
  // The value as it is (null when absent), for what the reader keeps as JSON.
  [[nodiscard]] const nlohmann::json& raw(std::string_view key) const;

  // A bad-input error at `key` of this object.
  [[nodiscard]] Error error(std::string_view key, const std::string& what) const;
  [[nodiscard]] const std::string& file() const noexcept { return file_; }

 private:
  [[nodiscard]] const nlohmann::json* find(std::string_view key) const;
  [[nodiscard]] std::string where(std::string_view key) const;
  // "key[i]": the key of an item of the list at `key`.
  [[nodiscard]] static std::string item(std::string_view key, std::size_t i);

  const nlohmann::json* value_;
  std::string file_;
  std::string path_;
};

// The writer's side of JsonFields::number: the value, or null when there is none.
[[nodiscard]] nlohmann::json optional_number(const std::optional<double>& value);

}  // namespace recount
