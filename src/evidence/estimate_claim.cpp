#include "recount/evidence/estimate_claim.hpp"

#include <fmt/format.h>

#include "recount/core/error.hpp"

namespace recount {

Claim claim_from_estimate(const EstimateTarget& target, double low, double high, std::string id,
                          std::string document, std::string note) {
  if (target.kind != ClaimKind::range && target.kind != ClaimKind::at_least)
    throw bad_input(Location{.key = "kind"},
                    fmt::format("an estimate becomes a claim of kind range or at_least, not {}",
                                to_string(target.kind)));
  Claim c;
  c.id = std::move(id);
  c.document = std::move(document);
  c.measure = target.measure;
  c.population = target.population;
  c.kind = target.kind;
  c.low = low;
  if (target.kind == ClaimKind::range) c.high = high;
  // Each estimate is its own source (its name as the study gives it), so that two estimates by
  // different methods do not share one source bias in the synthesis.
  c.source = target.source;
  c.source_type = SourceType::data_journalism;
  add_hedge(c, Hedge::estimate);
  c.as_of = target.as_of;
  c.published = target.as_of;
  c.note = std::move(note);
  c.status = ReviewStatus::accepted;
  return c;
}

}  // namespace recount
