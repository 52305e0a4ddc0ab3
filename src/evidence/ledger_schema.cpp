#include "ledger_schema.hpp"

namespace recount::detail {

const std::vector<std::string_view>& ledger_migrations() {
  // Enumerated values (measure, kind, ...) are checked when read, not by CHECK constraints, so
  // a new value in claim.hpp needs no table rebuild. Review status is the ledger's own.
  static const std::vector<std::string_view> migrations{
      R"sql(
CREATE TABLE documents (
  id TEXT PRIMARY KEY,            -- SHA-256 hex of the raw bytes (content hash)
  origin TEXT NOT NULL,           -- the path as given when added, "-" for stdin
  format TEXT NOT NULL,           -- text or html
  title TEXT NOT NULL,
  date TEXT,                      -- the report's dateline, YYYY-MM-DD
  text TEXT NOT NULL,             -- plain text; claim offsets refer to it
  added_at TEXT NOT NULL
);
CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,  -- canonical: the claim's source, else source_org
  type TEXT                                  -- source type, when known
);
CREATE TABLE claims (
  id TEXT PRIMARY KEY,
  document TEXT NOT NULL,
  start INTEGER,
  "end" INTEGER,
  text TEXT NOT NULL,
  measure TEXT NOT NULL,
  population TEXT NOT NULL,
  kind TEXT NOT NULL,
  low REAL,
  high REAL,
  rate TEXT NOT NULL,
  source TEXT NOT NULL,
  source_org TEXT NOT NULL,
  source_type TEXT,
  source_id INTEGER REFERENCES sources(id),
  via TEXT NOT NULL,
  hedges TEXT NOT NULL,           -- ;-separated
  as_of TEXT,
  published TEXT,
  note TEXT NOT NULL,
  url TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('proposed', 'accepted', 'rejected', 'edited')),
  review_note TEXT NOT NULL DEFAULT '',
  reviewed_at TEXT,
  added_at TEXT NOT NULL
);
CREATE INDEX claims_by_status ON claims(status);
CREATE TABLE provenance (
  id INTEGER PRIMARY KEY,
  claim_id TEXT NOT NULL REFERENCES claims(id),
  document_id TEXT REFERENCES documents(id),
  start INTEGER,
  "end" INTEGER,
  origin TEXT NOT NULL,           -- report path, or the CSV file a claim was imported from
  previous TEXT,                  -- JSON of the version an edit replaced; NULL when first added
  changed_by TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX provenance_by_claim ON provenance(claim_id);
)sql",
      // Version 2: source names compare with Unicode case folding (ICU, through the
      // connection's recount_fold), not SQLite's ASCII-only NOCASE. Names that fold alike
      // become one source: the first row keeps its name, takes the first known type, and its
      // claims and the others' point to it.
      R"sql(
ALTER TABLE sources ADD COLUMN folded TEXT;
UPDATE sources SET folded = recount_fold(name);
UPDATE sources SET type = (SELECT t.type FROM sources t
                           WHERE t.folded = sources.folded AND t.type IS NOT NULL
                           ORDER BY t.id LIMIT 1)
  WHERE type IS NULL;
UPDATE claims SET source_id = (SELECT MIN(t.id) FROM sources s JOIN sources t ON t.folded = s.folded
                               WHERE s.id = claims.source_id)
  WHERE source_id IS NOT NULL;
DELETE FROM sources WHERE id > (SELECT MIN(t.id) FROM sources t WHERE t.folded = sources.folded);
CREATE UNIQUE INDEX sources_by_folded_name ON sources(folded);
)sql",
  };
  return migrations;
}

}  // namespace recount::detail
