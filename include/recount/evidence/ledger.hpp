#pragma once
// The evidence ledger: one SQLite file holding the reports read, the claims found in them or
// imported by hand, their review status and where each came from. Every writing call is one
// transaction (several calls can share one through in_one_transaction), so a failure or a kill
// half-way leaves the file exactly as before. docs/ledger.md describes the schema.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "recount/evidence/claim.hpp"
#include "recount/evidence/document.hpp"

namespace recount {

// A claim as the ledger keeps it: the claim and its review.
struct LedgerClaim {
  Claim claim;
  std::string document_id;  // content hash of the stored report it came from; empty if none
  std::string review_note;  // the reviewer's note from accept/reject/edit
  std::string reviewed_at;  // UTC, ISO 8601; empty until reviewed
};

// The claim's JSON (to_json(Claim)) plus document_id, review_note and reviewed_at.
[[nodiscard]] nlohmann::json to_json(const LedgerClaim& claim);

// One step of a claim's history: how it entered the ledger, or a version an edit replaced.
struct ProvenanceRecord {
  std::string claim_id;
  std::string document_id;  // empty for claims imported from a CSV file
  std::optional<std::size_t> start;
  std::optional<std::size_t> end;
  std::string origin;    // the report's path, or the CSV file and line it was imported from
  std::string previous;  // JSON of the version an edit replaced; empty for the first record
  std::string changed_by;
  std::string changed_at;  // UTC, ISO 8601
  std::string note;
};

// `--set field=value` of `recount claims edit`: values are written as in the claims CSV
// (empty = absent, hedges `;`-separated, dates YYYY-MM-DD).
struct ClaimChange {
  std::string field;
  std::string value;
};
// The fields an edit may change (not id, status, document, start or end).
[[nodiscard]] const std::vector<std::string>& editable_claim_fields();
// The claim with the changes applied; a bad-input error naming the field (key) when a field is
// unknown or a value is wrong, or when the result is inconsistent (claim_problem).
[[nodiscard]] Claim apply_changes(Claim claim, const std::vector<ClaimChange>& changes);

struct ImportOutcome {
  std::size_t added = 0;
  std::size_t replaced = 0;
};

class Ledger {
 public:
  enum class Mode {
    existing,  // the file must exist (read and review commands)
    create,    // created when missing (add, import)
  };

  // Opens a ledger, applying pending schema migrations in one transaction. Bad-input errors
  // naming the file: missing (in `existing` mode), not an SQLite file, corrupt, another
  // program's database, or a schema newer than this build understands.
  [[nodiscard]] static Ledger open(const std::filesystem::path& path, Mode mode);
  // The schema version this build writes (PRAGMA user_version).
  [[nodiscard]] static int schema_version() noexcept;

  Ledger(Ledger&&) noexcept;
  Ledger& operator=(Ledger&&) noexcept;
  ~Ledger();

  [[nodiscard]] const std::filesystem::path& path() const noexcept;

  // Runs `body` as one transaction: every writing call inside it joins it, and an exception
  // rolls all of them back before it propagates.
  void in_one_transaction(const std::function<void()>& body);

  // The origin under which a report with this content hash was stored, if it was.
  [[nodiscard]] std::optional<std::string> document_origin(const std::string& id) const;

  // Stores a report and its claims as proposed; returns how many claims were stored. A report
  // already stored (same content hash) is left alone and 0 returned. Claim ids taken by another
  // report's claims are lengthened (more hex digits of the content hash).
  std::size_t add_document(const Document& document, std::vector<Claim> claims);

  // Claims in the order they entered the ledger: all, or those with one of the statuses.
  [[nodiscard]] std::vector<LedgerClaim> claims(
      const std::vector<ReviewStatus>& statuses = {}) const;
  [[nodiscard]] std::optional<LedgerClaim> claim(const std::string& id) const;
  [[nodiscard]] std::vector<ProvenanceRecord> history(const std::string& id) const;

  // Review. An unknown id is a bad-input error naming the ledger and the id; nothing changes.
  void accept(const std::vector<std::string>& ids, const std::string& note);
  void reject(const std::vector<std::string>& ids, const std::string& note);
  // Applies the changes, keeps the previous version in the provenance, status becomes edited.
  void edit(const std::string& id, const std::vector<ClaimChange>& changes,
            const std::string& note);

  // Stores hand-curated claims with the status they carry. An id already in the ledger is a
  // bad-input error naming `file` unless `replace`, which overwrites it (keeping the previous
  // version in the provenance).
  ImportOutcome import_claims(const std::vector<Claim>& claims, const std::string& file,
                              bool replace);

  // The claims CSV with the review columns (docs/claims.md).
  [[nodiscard]] std::string export_csv(const std::vector<ReviewStatus>& statuses = {}) const;

 private:
  struct Impl;
  explicit Ledger(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace recount
