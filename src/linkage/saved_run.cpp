#include "recount/linkage/saved_run.hpp"

#include <charconv>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>

#include "recount/core/csv.hpp"
#include "recount/core/error.hpp"
#include "recount/core/hash.hpp"
#include "recount/core/text.hpp"

namespace recount::linkage {

std::uint32_t find_record(const RecordSet& records, const std::string& text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    throw usage_error(fmt::format("'{}' is not LIST:ID", text));
  const std::string list = text.substr(0, colon), id = text.substr(colon + 1);
  std::optional<std::size_t> li;
  for (std::size_t l = 0; l < records.list_names.size(); ++l)
    if (records.list_names[l] == list) li = l;
  if (!li)
    throw usage_error(fmt::format("no list named '{}' in the config (lists: {})", list,
                                  fmt::join(records.list_names, ", ")));
  for (std::size_t r = 0; r < records.size(); ++r)
    if (records.list[r] == *li && records.id[r] == id) return static_cast<std::uint32_t>(r);
  throw usage_error(fmt::format("list {} has no record with id '{}'", list, id));
}

SavedRun load_saved_run(const LinkConfig& config, const std::filesystem::path& out_dir,
                        bool keep_text) {
  const std::filesystem::path model_path = out_dir / "model.json";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(model_path, ec))
    throw bad_input(Location{.file = model_path.string()},
                    "no model.json: is this the --out folder of a `recount link` run?");
  nlohmann::json model_json;
  try {
    model_json = nlohmann::json::parse(read_file(model_path));
  } catch (const nlohmann::json::exception& e) {
    throw bad_input(Location{.file = model_path.string()}, fmt::format("not JSON: {}", e.what()));
  }
  SavedRun run;
  try {
    run.model = LinkModel::from_json(model_json);
    run.threshold = model_json.at("threshold").get<double>();
    // The run's inputs must be these files, byte for byte.
    for (const ListSpec& spec : config.lists) {
      bool found = false;
      for (const nlohmann::json& in : model_json.at("inputs")) {
        if (in.at("list").get<std::string>() != spec.name) continue;
        found = true;
        if (sha256_file(spec.file) != in.at("sha256").get<std::string>())
          throw bad_input(Location{.file = spec.file.string()},
                          "this file changed since the run (its SHA-256 differs from "
                          "model.json's): run `recount link` again");
      }
      if (!found)
        throw bad_input(Location{.file = model_path.string()},
                        fmt::format("the run had no list {}: the config changed since", spec.name));
    }
  } catch (const nlohmann::json::exception& e) {
    throw bad_input(Location{.file = model_path.string()},
                    fmt::format("not a model.json of recount link: {}", e.what()));
  }
  run.records = read_records(config, ReadOptions{.keep_text = keep_text, .progress = false});
  const RecordSet& records = run.records;
  bool same_fields = records.fields.size() == run.model.fields.size();
  for (std::size_t f = 0; same_fields && f < records.fields.size(); ++f)
    same_fields = records.fields[f].name == run.model.fields[f].name;
  if (!same_fields)
    throw bad_input(Location{.file = model_path.string()},
                    "the config's fields differ from the run's: run `recount link` again");
  run.external = read_frequency_tables(records, config.model);

  std::unordered_map<std::string, std::uint32_t> index;
  index.reserve(records.size());
  for (std::size_t r = 0; r < records.size(); ++r)
    index.emplace(records.list_names[records.list[r]] + '\x1f' + records.id[r],
                  static_cast<std::uint32_t>(r));
  run.entity.assign(records.size(), 0);
  const std::filesystem::path entities_path = out_dir / "entities.csv";
  CsvReader entities = CsvReader::open(entities_path);
  const std::size_t lc = entities.require_column("list");
  const std::size_t ic = entities.require_column("id");
  const std::size_t ec_col = entities.require_column("entity");
  CsvRecord row;
  while (entities.next(row)) {
    const auto it = index.find(std::string(row.fields[lc]) + '\x1f' + std::string(row.fields[ic]));
    if (it == index.end())
      throw bad_input(entities.at(row, ic),
                      "a record that is not in the config's lists: the lists changed since");
    const std::string_view text = trim(row.fields[ec_col]);
    std::size_t e = 0;
    const auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), e);
    if (err != std::errc() || end != text.data() + text.size() || e == 0)
      throw bad_input(entities.at(row, ec_col), "not an entity number");
    run.entity[it->second] = e;
  }
  for (std::size_t r = 0; r < records.size(); ++r)
    if (run.entity[r] == 0)
      throw bad_input(Location{.file = entities_path.string()},
                      fmt::format("record {}:{} is not in the run's entities.csv",
                                  records.list_names[records.list[r]], records.id[r]));
  return run;
}

}  // namespace recount::linkage
