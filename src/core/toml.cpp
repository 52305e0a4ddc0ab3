#include "recount/core/toml.hpp"

#include <fmt/format.h>

namespace recount {

toml::table parse_toml(const std::string& text, const std::string& file) {
  try {
    return toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    Location where{.file = file};
    if (e.source().begin.line > 0) {
      where.line = e.source().begin.line;
      where.column = e.source().begin.column;
    }
    throw bad_input(where, std::string(e.description()));
  }
}

Location TomlReader::at(const toml::node& node, const std::string& key) const {
  Location where{.file = file_, .key = key};
  if (node.source().begin.line > 0) {
    where.line = node.source().begin.line;
    where.column = node.source().begin.column;
  }
  return where;
}

Location TomlReader::at(const toml::table& table, const std::string& key) const {
  if (const toml::node* node = table.get(key)) return at(*node, key);
  return at(static_cast<const toml::node&>(table), key);
}

void TomlReader::only_keys(const toml::table& table, const std::string& path,
                           const std::set<std::string>& known) const {
  for (const auto& [k, v] : table) {
    const std::string name(k.str());
    if (known.contains(name)) continue;
    std::string list;
    for (const std::string& n : known) {
      if (!list.empty()) list += ", ";
      list += n;
    }
    throw bad_input(at(v, path.empty() ? name : path + "." + name),
                    fmt::format("unknown key '{}' (known here: {})", name, list));
  }
}

const toml::table& TomlReader::table(const toml::node& node, const std::string& key) const {
  if (const toml::table* t = node.as_table()) return *t;
  throw bad_input(at(node, key), "expected a table");
}

const toml::array& TomlReader::array(const toml::node& node, const std::string& key) const {
  if (const toml::array* a = node.as_array()) return *a;
  throw bad_input(at(node, key), "expected an array");
}

std::string TomlReader::string(const toml::node& node, const std::string& key) const {
  if (const auto* s = node.as_string()) return s->get();
  throw bad_input(at(node, key), "expected a string");
}

double TomlReader::number(const toml::node& node, const std::string& key) const {
  if (const auto v = node.value<double>()) return *v;
  throw bad_input(at(node, key), "expected a number");
}

std::int64_t TomlReader::integer(const toml::node& node, const std::string& key) const {
  if (const auto* i = node.as_integer()) return i->get();
  throw bad_input(at(node, key), "expected a whole number");
}

bool TomlReader::boolean(const toml::node& node, const std::string& key) const {
  if (const auto* b = node.as_boolean()) return b->get();
  throw bad_input(at(node, key), "expected true or false");
}

Date TomlReader::date(const toml::node& node, const std::string& key) const {
  if (const auto* d = node.as_date()) {
    const toml::date v = d->get();
    return Date::from_ymd(v.year, v.month, v.day);
  }
  if (const auto* s = node.as_string()) return Date::parse_iso(s->get(), at(node, key));
  throw bad_input(at(node, key), "expected a date (YYYY-MM-DD)");
}

const toml::node& TomlReader::required(const toml::table& table, const std::string& key) const {
  if (const toml::node* node = table.get(key)) return *node;
  throw bad_input(at(table, key), fmt::format("missing key '{}'", key));
}

}  // namespace recount
