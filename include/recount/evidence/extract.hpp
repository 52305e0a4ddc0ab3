#pragma once
// Claim extraction: attributed, hedged, dated quantitative statements about people, found in the
// plain text of an English news report. docs/claims.md describes what is recognised.

#include <vector>

#include "recount/evidence/claim.hpp"
#include "recount/evidence/document.hpp"

namespace recount {

// Claims of one document, in order of first appearance. Each claim has document = doc.origin,
// start/end byte offsets of the quantity expression in doc.text, text = the sentence,
// published = doc.date, as_of = the date the sentence gives or doc.date, status proposed, and
// id "<first 8 hex of doc.id>-<n>" (n from 1). A figure repeated without a separate source
// (headline, caption, body) is one claim. Never throws on any input (fuzzed).
[[nodiscard]] std::vector<Claim> extract_claims(const Document& doc);

}  // namespace recount
