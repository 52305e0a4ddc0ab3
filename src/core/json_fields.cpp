#include "recount/core/json_fields.hpp"

#include <cmath>
#include <cstdint>
#include <limits>

#include <fmt/format.h>

namespace recount {

namespace {

const nlohmann::json& empty_object() {
  static const nlohmann::json empty = nlohmann::json::object();
  return empty;
}

const nlohmann::json& null_value() {
  static const nlohmann::json null;
  return null;
}

}  // namespace

JsonFields::JsonFields(const nlohmann::json& value, std::string file, std::string path)
    : value_(&value), file_(std::move(file)), path_(std::move(path)) {
  if (!value.is_object())
    throw bad_input({.file = file_, .key = path_},
                    path_.empty() ? "must be a JSON object" : "must be an object");
}

std::vector<JsonFields> JsonFields::list(const nlohmann::json& value, const std::string& file,
                                         std::string_view what) {
  if (!value.is_array()) throw bad_input({.file = file}, fmt::format("must be a list of {}", what));
  std::vector<JsonFields> out;
  for (std::size_t i = 0; i < value.size(); ++i)
    out.emplace_back(value[i], file, item("", i));
  return out;
}

std::string JsonFields::item(std::string_view key, std::size_t i) {
  return fmt::format("{}[{}]", key, i);
}

const nlohmann::json* JsonFields::find(std::string_view key) const {
  const auto it = value_->find(key);
  if (it == value_->end() || it->is_null()) return nullptr;
  return &*it;
}

std::string JsonFields::where(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

Error JsonFields::error(std::string_view key, const std::string& what) const {
  return bad_input({.file = file_, .key = where(key)}, what);
}

bool JsonFields::has(std::string_view key) const {
  return find(key) != nullptr;
}

std::string JsonFields::string(std::string_view key) const {
  const nlohmann::json* v = find(key);
  if (!v) return {};
  if (!v->is_string()) throw error(key, "must be a string");
  return v->get<std::string>();
}

std::optional<double> JsonFields::number(std::string_view key) const {
  const nlohmann::json* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_number()) throw error(key, "must be a number");
  return v->get<double>();
}

double JsonFields::real(std::string_view key) const {
  return number(key).value_or(std::numeric_limits<double>::quiet_NaN());
}

std::optional<std::size_t> JsonFields::count(std::string_view key) const {
  const nlohmann::json* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_number_integer() || (!v->is_number_unsigned() && v->get<std::int64_t>() < 0))
    throw error(key, "must be a whole number (0 or more)");
  return v->get<std::size_t>();
}

int JsonFields::integer(std::string_view key, int absent) const {
  const nlohmann::json* v = find(key);
  if (!v) return absent;
  if (!v->is_number_integer()) throw error(key, "must be a whole number");
  return v->get<int>();
}

bool JsonFields::boolean(std::string_view key, bool absent) const {
  const nlohmann::json* v = find(key);
  if (!v) return absent;
  if (!v->is_boolean()) throw error(key, "must be true or false");
  return v->get<bool>();
}

std::optional<Date> JsonFields::date(std::string_view key) const {
  const std::string s = string(key);
  if (s.empty()) return std::nullopt;
  return Date::parse_iso(s, {.file = file_, .key = where(key)});
}

std::vector<std::string> JsonFields::strings(std::string_view key) const {
  std::vector<std::string> out;
  const nlohmann::json* v = find(key);
  if (!v) return out;
  if (!v->is_array()) throw error(key, "must be a list of strings");
  for (std::size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) throw error(item(key, i), "must be a string");
    out.push_back((*v)[i].get<std::string>());
  }
  return out;
}

std::vector<std::optional<double>> JsonFields::numbers(std::string_view key) const {
  std::vector<std::optional<double>> out;
  const nlohmann::json* v = find(key);
  if (!v) return out;
  if (!v->is_array()) throw error(key, "must be a list of numbers");
  for (std::size_t i = 0; i < v->size(); ++i) {
    const nlohmann::json& x = (*v)[i];
    if (x.is_null()) {
      out.emplace_back();
    } else if (x.is_number()) {
      out.emplace_back(x.get<double>());
    } else {
      throw error(item(key, i), "must be a number or null");
    }
  }
  return out;
}

JsonFields JsonFields::object(std::string_view key) const {
  const nlohmann::json* v = find(key);
  return JsonFields(v ? *v : empty_object(), file_, where(key));
}

std::vector<JsonFields> JsonFields::objects(std::string_view key) const {
  std::vector<JsonFields> out;
  const nlohmann::json* v = find(key);
  if (!v) return out;
  if (!v->is_array()) throw error(key, "must be a list");
  for (std::size_t i = 0; i < v->size(); ++i)
    out.emplace_back((*v)[i], file_, where(item(key, i)));
  return out;
}

nlohmann::json optional_number(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

const nlohmann::json& JsonFields::raw(std::string_view key) const {
  const nlohmann::json* v = find(key);
  return v ? *v : null_value();
}

}  // namespace recount
