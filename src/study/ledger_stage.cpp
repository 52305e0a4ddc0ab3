// The ledger stage: claims extracted from the study's reports into its ledger, STUDY/recount.db,
// which keeps the analyst's review decisions. It exports every claim with its review status
// for the claims stage, and the reports' texts for the report's excerpts.

#include <map>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "recount/core/text.hpp"
#include "recount/evidence/document.hpp"
#include "recount/evidence/extract.hpp"
#include "recount/evidence/ledger.hpp"
#include "stages.hpp"

namespace fs = std::filesystem;

namespace recount::study::detail {

void add_ledger_stage(const Study& study, const std::shared_ptr<StageResults>& results,
                      std::vector<Stage>& stages) {
  if (study.reports.empty()) return;
  Stage stage;
  stage.name = "ledger";
  for (const ReportFile& r : study.reports)
    stage.inputs.push_back(study.path(r.file));
  // Review decisions are made in the ledger: a changed ledger changes the evidence.
  stage.inputs.push_back(study.ledger());
  nlohmann::json accept = nlohmann::json::array();
  for (const ReportFile& r : study.reports)
    if (r.auto_accept) accept.push_back(r.file);
  // The vocabulary's words decide the claims' populations and measures: new words, new claims.
  nlohmann::json words = nlohmann::json::object();
  for (const PopulationTerm& p : study.vocabulary.populations)
    words["populations"][p.id] = p.terms;
  for (const MeasureTerm& m : study.vocabulary.measures)
    words["measures"][std::string(to_string(m.measure))] = m.terms;
  stage.options = {{"auto_accept", accept}, {"vocabulary", words}};
  stage.run = [&study, results](const fs::path& out, const RunSummary&) {
    Ledger ledger = Ledger::open(study.ledger(), Ledger::Mode::create);
    std::map<std::string, std::string> texts;  // report file -> its text
    std::size_t added = 0;
    std::size_t accepted = 0;
    ledger.in_one_transaction([&] {
      for (const ReportFile& r : study.reports) {
        Document document = load_document(study.path(r.file));
        // Stored under its path in the study, so that a copy of the study reads the same.
        document.origin = r.file;
        std::vector<Claim> claims = extract_claims(document, study.vocabulary);
        const std::size_t stored = ledger.add_document(document, claims);
        added += stored;
        // Only a report's new claims are accepted: decisions already made stay as they are.
        if (r.auto_accept && stored > 0) {
          std::vector<std::string> ids;
          for (const LedgerClaim& c : ledger.claims({ReviewStatus::proposed}))
            if (c.document_id == document.id) ids.push_back(c.claim.id);
          ledger.accept(ids, "accepted automatically (auto_accept in recount.toml)");
          accepted += ids.size();
        }
        texts[r.file] = document.text;
      }
    });
    std::vector<Claim> claims;
    for (LedgerClaim& c : ledger.claims())
      claims.push_back(std::move(c.claim));
    const std::string summary =
        fmt::format("{} reports, {} new claims ({} accepted automatically), {} in the ledger",
                    study.reports.size(), added, accepted, claims.size());
    hand_on_claims(study, *results, "ledger/claims.csv", std::move(claims), true);
    write_file(out / "documents.json", nlohmann::json(texts).dump() + "\n");
    results->documents = std::move(texts);
    return StageOutcome{StageState::ok, summary};
  };
  stages.push_back(std::move(stage));
}

}  // namespace recount::study::detail
