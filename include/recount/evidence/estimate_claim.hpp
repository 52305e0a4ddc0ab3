#pragma once
// One code path from a computed estimate with an interval (a multiple systems estimate, an
// excess-mortality estimate) to a claim the synthesis can weigh like any published figure.

#include <string>

#include "recount/core/date.hpp"
#include "recount/evidence/claim.hpp"

namespace recount {

// What an estimate measures, as a study declares it.
struct EstimateTarget {
  Measure measure;
  std::string population;
  Date as_of;
  std::string source;  // the source name the claim goes under
  // `range`: the interval covers the whole quantity. `at_least`: the estimate misses part of it
  // (an excess of deaths misses the missing and the deaths counted elsewhere), so only the
  // interval's lower end is claimed.
  ClaimKind kind = ClaimKind::range;
};

// The claim an interval [low, high] becomes: a range, or at_least low; hedged `estimate`, of
// source type data_journalism under the source name `target.source` (its own source in the
// synthesis), accepted, as of and published on `target.as_of`.
// A bad-input error when the target's kind is neither range nor at_least.
[[nodiscard]] Claim claim_from_estimate(const EstimateTarget& target, double low, double high,
                                        std::string id, std::string document, std::string note);

}  // namespace recount
