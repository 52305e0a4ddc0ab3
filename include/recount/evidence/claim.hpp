#pragma once
// A claim: one quantitative statement about people, with who said it, how hedged, and when.
// The field names are the JSON contract of `recount extract --json` and the claims CSV format.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "recount/core/date.hpp"
#include "recount/evidence/measure.hpp"

namespace recount {

// How the number was stated: "around 20,000" is approximate, "up to" at_most, "hundreds" magnitude.
enum class ClaimKind { point, approximate, range, at_least, at_most, magnitude };

enum class Rate { none, day, week, month, year };

// Days in a rate's period (a month and a year on average over the Gregorian cycle); 0 for none.
[[nodiscard]] constexpr double rate_days(Rate r) noexcept {
  switch (r) {
    case Rate::none:
      return 0;
    case Rate::day:
      return 1;
    case Rate::week:
      return 7;
    case Rate::month:
      return 30.4375;
    case Rate::year:
      return 365.25;
  }
  return 0;
}

enum class SourceType {
  ngo,
  data_journalism,
  media,
  belligerent_official,
  third_party_government,
  interested_actor,
};

// Closed vocabulary of hedges; bound and approximation words are in ClaimKind, not here.
enum class Hedge { reportedly, estimate, might, likely, unverified, claimed };

enum class ReviewStatus { proposed, accepted, rejected, edited };

struct Claim {
  std::string id;
  std::string document;              // path or id of the document it came from
  std::optional<std::size_t> start;  // byte offsets of the quantity in the document's text
  std::optional<std::size_t> end;
  std::string text;        // the sentence
  Measure measure;         // none stated when empty (written `other`)
  std::string population;  // a population id of the study; empty when not stated
  ClaimKind kind = ClaimKind::point;
  std::optional<double> low;
  std::optional<double> high;
  Rate rate = Rate::none;
  std::string source;  // the person or body it is attributed to, as named
  std::string source_org;
  std::optional<SourceType> source_type;
  std::string via;                // the outlet it reached the public through
  std::vector<Hedge> hedges;      // sorted, no repeats
  std::optional<Date> as_of;      // the date the figure describes
  std::optional<Date> published;  // when it was published
  std::string note;
  std::string url;
  ReviewStatus status = ReviewStatus::proposed;

  friend bool operator==(const Claim&, const Claim&) = default;
};

// Names as written in files and JSON, and back; parse_* return nullopt for unknown words.
// parse_measure knows the built-in measures (data/vocabulary/measures.tsv) and `other`; a
// study's own are parsed by its Vocabulary.
[[nodiscard]] std::string_view to_string(const Measure& m) noexcept;
[[nodiscard]] std::string_view to_string(ClaimKind k) noexcept;
[[nodiscard]] std::string_view to_string(Rate r) noexcept;
[[nodiscard]] std::string_view to_string(SourceType t) noexcept;
[[nodiscard]] std::string_view to_string(Hedge h) noexcept;
[[nodiscard]] std::string_view to_string(ReviewStatus s) noexcept;
[[nodiscard]] std::optional<Measure> parse_measure(std::string_view s);
[[nodiscard]] std::optional<ClaimKind> parse_claim_kind(std::string_view s) noexcept;
[[nodiscard]] std::optional<Rate> parse_rate(std::string_view s) noexcept;  // "" -> none
[[nodiscard]] std::optional<SourceType> parse_source_type(std::string_view s) noexcept;
[[nodiscard]] std::optional<Hedge> parse_hedge(std::string_view s) noexcept;
[[nodiscard]] std::optional<ReviewStatus> parse_review_status(std::string_view s) noexcept;

// Every value each enum takes, in declaration order (for messages and documentation); for
// measures, the built-in ones in the order of their file, then `other`.
[[nodiscard]] const std::vector<std::string_view>& measure_names();
[[nodiscard]] const std::vector<std::string_view>& claim_kind_names();
[[nodiscard]] const std::vector<std::string_view>& source_type_names();
[[nodiscard]] const std::vector<std::string_view>& hedge_names();

// The problem with a claim's values, if any: low > high, a negative count, bounds missing for
// its kind, as_of after published. Empty when the claim is consistent.
[[nodiscard]] std::string claim_problem(const Claim& claim);

// Adds a hedge keeping the list sorted and free of repeats.
void add_hedge(Claim& claim, Hedge hedge);

// The JSON object of `recount extract --json` (nulls for absent values).
[[nodiscard]] nlohmann::json to_json(const Claim& claim);
// The inverse of to_json; a bad-input error naming `where` and the field on a wrong value.
[[nodiscard]] Claim claim_from_json(const nlohmann::json& j, const std::string& where);

}  // namespace recount
