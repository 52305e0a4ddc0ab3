// Names of people on several lists, for a report made with --show-names only.

#include <map>

#include "recount/core/csv.hpp"
#include "recount/core/text.hpp"
#include "recount/core/toml.hpp"
#include "stages.hpp"

namespace fs = std::filesystem;

namespace recount::study::detail {

namespace {

constexpr std::size_t kMaxEntities = 50;

// list name -> (record id -> name as the list writes it), for the lists a link config names.
std::map<std::string, std::map<std::string, std::string>> list_names(const fs::path& config) {
  std::map<std::string, std::map<std::string, std::string>> out;
  const toml::table root = parse_toml(read_file(config), config.generic_string());
  const auto* lists = root["list"].as_array();
  if (!lists) return out;
  for (const auto& node : *lists) {
    const auto* t = node.as_table();
    if (!t) continue;
    const auto name = (*t)["name"].value<std::string>();
    const auto file = (*t)["file"].value<std::string>();
    const auto id = (*t)["id"].value<std::string>();
    if (!name || !file || !id) continue;
    const fs::path path = config.parent_path() / *file;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) continue;
    std::vector<std::string> columns;
    if (const auto* fields = (*t)["fields"].as_table())
      for (const char* field : {"full_name", "surname", "given", "patronymic"})
        if (auto c = (*fields)[field].value<std::string>()) columns.push_back(*c);
    std::string text = read_file(path);
    if (first_invalid_utf8(text))
      continue;  // Windows-1251 lists: the linkage stage transcodes them
    CsvReader reader(std::move(text), path.generic_string());
    const auto id_column = reader.column(*id);
    if (!id_column) continue;
    std::vector<std::size_t> name_columns;
    for (const auto& c : columns)
      if (auto i = reader.column(c)) name_columns.push_back(*i);
    CsvRecord record;
    auto& names = out[*name];
    while (reader.next(record)) {
      std::string full;
      for (auto i : name_columns) {
        const auto part = trim(record.fields[i]);
        if (part.empty()) continue;
        if (!full.empty()) full += ' ';
        full += part;
      }
      names[std::string(record.fields[*id_column])] = full;
    }
  }
  return out;
}

}  // namespace

std::vector<report::LinkedEntity> linked_entities(const Study& study, const ListSet& set) {
  std::vector<report::LinkedEntity> out;
  const fs::path entities = study.out() / "linkage" / set.name / "entities.csv";
  std::error_code ec;
  if (set.config.empty() || !fs::is_regular_file(entities, ec)) return out;
  const auto names = list_names(study.path(set.config));
  CsvReader reader = CsvReader::open(entities);
  const auto list_col = reader.require_column("list");
  const auto id_col = reader.require_column("id");
  const auto entity_col = reader.require_column("entity");
  std::map<std::string, report::LinkedEntity> by_entity;
  CsvRecord record;
  while (reader.next(record)) {
    report::LinkedRecord r{
        std::string(record.fields[list_col]), std::string(record.fields[id_col]), {}};
    if (const auto l = names.find(r.list); l != names.end())
      if (const auto n = l->second.find(r.id); n != l->second.end()) r.name = n->second;
    auto& e = by_entity[std::string(record.fields[entity_col])];
    e.entity = record.fields[entity_col];
    e.records.push_back(std::move(r));
  }
  for (auto& [id, e] : by_entity) {
    if (e.records.size() < 2) continue;
    out.push_back(std::move(e));
    if (out.size() == kMaxEntities) break;
  }
  return out;
}

}  // namespace recount::study::detail
