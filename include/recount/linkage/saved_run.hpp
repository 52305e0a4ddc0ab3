#pragma once
// A finished `recount link` run read back from its --out folder (model.json, entities.csv) with
// the lists of its config, for questions asked after the run: `link explain`, `link eval
// --labels`. Refuses a folder that is not a run's, and lists that changed since (by SHA-256).

#include <cstdint>
#include <filesystem>
#include <vector>

#include "recount/linkage/config.hpp"
#include "recount/linkage/fellegi_sunter.hpp"
#include "recount/linkage/frequency_table.hpp"
#include "recount/linkage/records.hpp"

namespace recount::linkage {

struct SavedRun {
  RecordSet records;
  LinkModel model;
  ExternalFrequencies external;
  double threshold = 0;
  std::vector<std::size_t> entity;  // per record, 1-based as in entities.csv
};

[[nodiscard]] SavedRun load_saved_run(const LinkConfig& config,
                                      const std::filesystem::path& out_dir, bool keep_text);

// The record "LIST:ID" (bad input when there is none, naming the lists).
[[nodiscard]] std::uint32_t find_record(const RecordSet& records, const std::string& text);

}  // namespace recount::linkage
