#include "recount/linkage/explain.hpp"

#include <charconv>

#include <fmt/format.h>

#include "recount/core/csv.hpp"
#include "recount/core/error.hpp"
#include "recount/core/hash.hpp"
#include "recount/core/text.hpp"
#include "recount/linkage/fellegi_sunter.hpp"
#include "recount/linkage/records.hpp"

namespace recount::linkage {

namespace {

std::pair<std::string, std::string> split_record(const std::string& text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    throw usage_error(fmt::format("'{}' is not LIST:ID", text));
  return {text.substr(0, colon), text.substr(colon + 1)};
}

std::size_t find_record(const RecordSet& records, const std::string& text) {
  const auto [list, id] = split_record(text);
  std::optional<std::size_t> li;
  for (std::size_t l = 0; l < records.list_names.size(); ++l)
    if (records.list_names[l] == list) li = l;
  if (!li)
    throw usage_error(fmt::format("no list named '{}' in the config (lists: {})", list,
                                  fmt::join(records.list_names, ", ")));
  for (std::size_t r = 0; r < records.size(); ++r)
    if (records.list[r] == *li && records.id[r] == id) return r;
  throw usage_error(fmt::format("list {} has no record with id '{}'", list, id));
}

}  // namespace

nlohmann::json PairExplanation::to_json() const {
  nlohmann::json fs = nlohmann::json::array();
  for (const FieldExplanation& f : fields)
    fs.push_back({{"field", f.field},
                  {"a", f.value_a},
                  {"b", f.value_b},
                  {"level", f.level},
                  {"m", f.m},
                  {"u", f.u},
                  {"weight", f.weight},
                  {"tf_adjustment", f.tf_adjustment}});
  return {{"a", record_a},          {"b", record_b},
          {"fields", fs},           {"prior_log2_odds", prior_log2_odds},
          {"log2_odds", log2_odds}, {"probability", probability},
          {"threshold", threshold}, {"entity_a", entity_a},
          {"entity_b", entity_b},   {"same_entity", same_entity()}};
}

PairExplanation explain_pair(const LinkConfig& config, const std::filesystem::path& out_dir,
                             const std::string& a, const std::string& b) {
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
  LinkModel model;
  double threshold = 0;
  try {
    model = LinkModel::from_json(model_json);
    threshold = model_json.at("threshold").get<double>();
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
  const RecordSet records = read_records(config, ReadOptions{.keep_text = true, .progress = false});
  if (records.fields.size() != model.fields.size())
    throw bad_input(Location{.file = model_path.string()},
                    "the config's fields differ from the run's: run `recount link` again");
  for (std::size_t f = 0; f < records.fields.size(); ++f)
    if (records.fields[f].name != model.fields[f].name)
      throw bad_input(Location{.file = model_path.string()},
                      "the config's fields differ from the run's: run `recount link` again");
  const std::size_t ra = find_record(records, a);
  const std::size_t rb = find_record(records, b);

  PairExplanation out;
  out.record_a = a;
  out.record_b = b;
  out.threshold = threshold;
  const Scorer scorer(records, model);
  out.prior_log2_odds = model.prior_log2_odds(records.list[ra] == records.list[rb]);
  double total = out.prior_log2_odds;
  const auto ia = static_cast<std::uint32_t>(ra), ib = static_cast<std::uint32_t>(rb);
  for (std::size_t f = 0; f < model.fields.size(); ++f) {
    const FieldModel& fm = model.fields[f];
    const int l = scorer.comparer().level(f, ia, ib);
    const auto level = static_cast<std::size_t>(l);
    FieldExplanation fe;
    fe.field = fm.name;
    fe.value_a = records.text[ra][f];
    fe.value_b = records.text[rb][f];
    fe.level = fm.levels[level];
    fe.weight = fm.weight[level];
    fe.m = fm.m[level];
    fe.u = fm.u[level];
    if (fm.term_frequency && is_agreement(fm.comparator, l))
      fe.tf_adjustment = scorer.tf_adjustment(f, ia);
    total += fe.weight + fe.tf_adjustment;
    out.fields.push_back(std::move(fe));
  }
  out.log2_odds = total;
  out.probability = probability_of(total);

  CsvReader entities = CsvReader::open(out_dir / "entities.csv");
  const std::size_t lc = entities.require_column("list");
  const std::size_t ic = entities.require_column("id");
  const std::size_t ec_col = entities.require_column("entity");
  const auto [la, ida] = split_record(a);
  const auto [lb, idb] = split_record(b);
  CsvRecord row;
  while (entities.next(row)) {
    const std::string list(row.fields[lc]), id(row.fields[ic]);
    std::size_t* target = nullptr;
    if (list == la && id == ida) target = &out.entity_a;
    if (list == lb && id == idb) target = &out.entity_b;
    if (!target) continue;
    const std::string_view text = trim(row.fields[ec_col]);
    const auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), *target);
    if (err != std::errc() || end != text.data() + text.size())
      throw bad_input(entities.at(row, ec_col), "not an entity number");
  }
  if (out.entity_a == 0 || out.entity_b == 0)
    throw bad_input(Location{.file = (out_dir / "entities.csv").string()},
                    "a record asked about is not in the run's entities.csv");
  return out;
}

}  // namespace recount::linkage
