#pragma once
// Internals of the study runner shared by its source files.

#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "recount/evidence/claim.hpp"
#include "recount/mse/capture_table.hpp"
#include "recount/mse/linkage_uncertainty.hpp"
#include "recount/report/report.hpp"
#include "recount/study/pipeline.hpp"
#include "recount/study/run.hpp"
#include "recount/study/study.hpp"
#include "recount/synthesis/model.hpp"

namespace recount::study::detail {

// Throws bad input naming the file when a file the study names (`what`: "claims file", "model
// file", ...) is not there, so every stage says it the same way.
void require_study_file(const std::filesystem::path& path, std::string_view what);
// Claims of a CSV file in the claims format, read with the study's vocabulary; empty when the
// file is not there.
[[nodiscard]] std::vector<Claim> read_claims_file(const std::filesystem::path& path,
                                                  const Vocabulary& vocabulary);
// Writes `claims` to out/RECORD (RECORD: "STAGE/FILE.csv") and hands them on in `results`.
void hand_on_claims(const Study& study, StageResults& results, const std::string& record,
                    std::vector<Claim> claims, bool with_review);
// The claims a stage handed on under `record` in this run, else those its record holds (read
// with the study's vocabulary); none when there is neither.
[[nodiscard]] std::vector<Claim> stage_claims(const Study& study, const StageResults& results,
                                              const std::string& record);
// Reads the model file the study names (null when it names none), keeping the error.
[[nodiscard]] std::shared_ptr<const StudyModel> read_study_model(const Study& study);
// What of the vocabulary changes a stage's checks (ids, within, kinds), for its key.
[[nodiscard]] nlohmann::json vocabulary_json(const Vocabulary& vocabulary);
// A JSON file's content; null when the file is not there.
[[nodiscard]] nlohmann::json read_json_file(const std::filesystem::path& path);
// The captures table of a list set: given by the study, or written by its linkage stage.
[[nodiscard]] std::filesystem::path captures_path(const Study& study, const ListSet& set);
// Its tables (one per stratum, or one); nullopt when the file is not there.
[[nodiscard]] std::optional<std::vector<mse::CaptureTable>> list_captures(const Study& study,
                                                                          const ListSet& set);
// Its linkage draws, lists in the order of `tables`; none when it has none.
[[nodiscard]] mse::LinkageDrawTables list_linkage_draws(
    const Study& study, const ListSet& set, const std::vector<mse::CaptureTable>& tables);
// The stage of a list set's estimates: mse/NAME.
[[nodiscard]] std::string mse_stage_name(const ListSet& set);
// What an estimate measures, for a stage's key (the options that change its claim).
[[nodiscard]] nlohmann::json estimate_target_json(const EstimateTarget& target);
// Its linkage draws (draws.csv of the linkage stage); empty when it has none by design (a
// captures table given, or linkage_draws = 0).
[[nodiscard]] std::filesystem::path linkage_draws_path(const Study& study, const ListSet& set);

// Adds the ledger stage (claims extracted from the study's reports) when it names reports; it
// hands on its claims and the reports' texts.
void add_ledger_stage(const Study& study, const std::shared_ptr<StageResults>& results,
                      std::vector<Stage>& stages);

// Adds the linkage stage of a list set that names a link config.
void add_linkage_stage(const Study& study, const ListSet& set, std::vector<Stage>& stages);

// The stage of an [[excess]] estimate: excess/NAME.
[[nodiscard]] std::string excess_stage_name(const ExcessSet& set);
// Adds the stage of an [[excess]] estimate (out/excess/NAME/: estimate.json, sensitivity.json
// when asked, evidence.csv when the estimate can be trusted).
void add_excess_stage(const Study& study, const ExcessSet& set,
                      const std::shared_ptr<StageResults>& results, std::vector<Stage>& stages);

// The report's section of an [[excess]] estimate, from what its stage wrote.
[[nodiscard]] report::ExcessSection excess_report_section(const Study& study, const ExcessSet& set,
                                                          const StageResults& results);

// The stages whose computed estimate enters the synthesis as a claim, each in
// out/STAGE/evidence.csv: the list sets with [lists.evidence], then every [[excess]].
[[nodiscard]] std::vector<std::string> evidence_stages(const Study& study);

// Adds the synthesis stage when the study names a model; when it runs, it hands its summaries
// on in `results`.
void add_synthesis_stage(const Study& study, const std::shared_ptr<const StudyModel>& model,
                         const std::shared_ptr<StageResults>& results, std::vector<Stage>& stages);
// The synthesis's summary (`prior`: on its prior alone): the one handed on in this run, else
// out/synthesis/'s record of the last; nullopt when there is neither.
[[nodiscard]] std::optional<synthesis::FitSummary> synthesis_summary(const Study& study,
                                                                     const StageResults& results,
                                                                     bool prior);

// People found on more than one list, with the names each list gives them (for --show-names):
// from the linkage stage's entities.csv and the lists its config names.
[[nodiscard]] std::vector<report::LinkedEntity> linked_entities(const Study& study,
                                                                const ListSet& set);

}  // namespace recount::study::detail
