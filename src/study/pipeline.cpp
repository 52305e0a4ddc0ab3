#include "recount/study/pipeline.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>

#include <fmt/format.h>

#include "recount/core/hash.hpp"
#include "recount/core/progress.hpp"
#include "recount/core/text.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace recount::study {

namespace {

constexpr int kStateVersion = 1;

fs::path state_path(const fs::path& out_root) {
  return out_root / "state.json";
}

void write_state(const fs::path& out_root, const json& stages) {
  fs::create_directories(out_root);
  json doc = {{"version", kStateVersion}, {"stages", stages}};
  write_file(state_path(out_root), doc.dump(2) + "\n");
}

std::string file_hash(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return "missing";
  return sha256_file(path);
}

std::string state_name(StageState s) {
  switch (s) {
    case StageState::ok:
      return "ok";
    case StageState::untrusted:
      return "untrusted";
    case StageState::failed:
      return "failed";
    case StageState::not_run:
      return "not_run";
  }
  return "failed";
}

StageState parse_state(const std::string& s) {
  if (s == "ok") return StageState::ok;
  if (s == "untrusted") return StageState::untrusted;
  if (s == "not_run") return StageState::not_run;
  return StageState::failed;
}

}  // namespace

std::string folder_hash(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return "missing";
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().extension() != ".tmp")
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::string manifest;
  for (const auto& f : files) {
    manifest += fs::relative(f, dir).generic_string();
    manifest += '\t';
    manifest += sha256_file(f);
    manifest += '\n';
  }
  return sha256_hex(manifest);
}

json read_state(const fs::path& out_root) {
  std::error_code ec;
  if (!fs::is_regular_file(state_path(out_root), ec)) return json::object();
  try {
    json doc = json::parse(read_file(state_path(out_root)));
    if (doc.value("version", 0) != kStateVersion || !doc.contains("stages") ||
        !doc["stages"].is_object())
      return json::object();
    return doc["stages"];
  } catch (const json::exception&) {
    return json::object();  // a damaged state file only costs a full re-run
  }
}

int RunSummary::exit_code() const {
  for (const auto& s : stages)
    if (s.state == StageState::failed)
      return s.error ? recount::exit_code(s.error->kind())
                     : recount::exit_code(ErrorKind::internal);
  for (const auto& s : stages)
    if (s.state == StageState::untrusted) return recount::exit_code(ErrorKind::untrusted);
  return 0;
}

const StageRecord* RunSummary::find(std::string_view name) const {
  for (const auto& s : stages)
    if (s.name == name) return &s;
  return nullptr;
}

RunSummary run_stages(const std::vector<Stage>& stages, const fs::path& out_root, bool force) {
  json state = read_state(out_root);
  RunSummary summary;
  std::map<std::string, std::string> outputs;  // stage -> hash of its outputs in this run
  for (const auto& stage : stages) {
    StageRecord record;
    record.name = stage.name;
    const fs::path dir = out_root / stage.name;

    // Stages it reads that did not finish: it cannot run (unless it reports on them).
    std::vector<std::string> blocked;
    for (const auto& dep : stage.after) {
      const StageRecord* r = summary.find(dep);
      if (!r || r->state == StageState::failed || r->state == StageState::not_run)
        blocked.push_back(dep);
    }
    if (!blocked.empty() && !stage.despite_failures) {
      record.state = StageState::not_run;
      std::string names;
      for (const auto& b : blocked) {
        if (!names.empty()) names += ", ";
        names += b;
      }
      record.detail = fmt::format("needs the results of {}", names);
      state.erase(stage.name);
      write_state(out_root, state);
      summary.stages.push_back(std::move(record));
      continue;
    }

    // The key: options, input contents, upstream outputs and how upstream stages ended.
    std::string material = stage.options.dump() + "\n";
    for (const auto& input : stage.inputs)
      material += input.generic_string() + "\t" + file_hash(input) + "\n";
    for (const auto& dep : stage.after) {
      const StageRecord* r = summary.find(dep);
      material += dep + "\t" + (outputs.contains(dep) ? outputs[dep] : "none") + "\t" +
                  state_name(r ? r->state : StageState::not_run) + "\n";
    }
    const std::string key = sha256_hex(material);

    const json* previous = state.contains(stage.name) ? &state[stage.name] : nullptr;
    if (!force && previous && previous->value("key", "") == key &&
        previous->value("state", "failed") != "failed" &&
        previous->value("outputs", "") == folder_hash(dir)) {
      record.state = parse_state(previous->value("state", "failed"));
      record.detail = previous->value("detail", "");
      record.reused = true;
      outputs[stage.name] = previous->value("outputs", "");
      summary.stages.push_back(std::move(record));
      continue;
    }

    note(fmt::format("stage {}: running", stage.name));
    const auto started = std::chrono::steady_clock::now();
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::create_directories(dir);
    try {
      const StageOutcome outcome = stage.run(dir, summary);
      record.state = outcome.state;
      record.detail = outcome.detail;
    } catch (const Error& e) {
      record.state = StageState::failed;
      record.detail = e.what();
      record.error = e;
    } catch (const std::exception& e) {
      record.state = StageState::failed;
      record.detail = e.what();
      record.error = internal_error(e.what());
    }
    record.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    note(fmt::format("stage {}: {} in {:.1f} s", stage.name, state_name(record.state),
                     record.seconds));
    const std::string out_hash = folder_hash(dir);
    outputs[stage.name] = out_hash;
    state[stage.name] = {{"key", key},
                         {"outputs", out_hash},
                         {"state", state_name(record.state)},
                         {"detail", record.detail},
                         {"seconds", record.seconds}};
    write_state(out_root, state);
    summary.stages.push_back(std::move(record));
  }
  return summary;
}

}  // namespace recount::study
