#pragma once
// Claim extraction: attributed, hedged, dated quantitative statements about people, found in the
// plain text of an English or Russian news report. docs/claims.md describes what is recognised.

#include <vector>

#include "recount/evidence/claim.hpp"
#include "recount/evidence/document.hpp"
#include "recount/evidence/vocabulary.hpp"

namespace recount {

// Claims of one document, in order of first appearance. Each claim has document = doc.origin,
// start/end byte offsets of the quantity expression in doc.text, text = the sentence,
// published = doc.date, as_of = the date the sentence gives or doc.date, status proposed, and
// id "<first 8 hex of doc.id>-<n>" (n from 1). A figure repeated without a separate source
// (headline, caption, body) is one claim. Never throws on any input (fuzzed).
[[nodiscard]] std::vector<Claim> extract_claims(const Document& doc);

// The same claims read with a study's vocabulary (docs/claims.md, "A study's own words"): the
// population whose `terms` are nearest a figure in its sentence (else in the text just before
// it) is its population, a population the vocabulary does not declare is dropped, and a
// measure's `terms` within six words of a figure decide its measure. An empty vocabulary
// changes nothing.
[[nodiscard]] std::vector<Claim> extract_claims(const Document& doc, const Vocabulary& vocabulary);

}  // namespace recount
