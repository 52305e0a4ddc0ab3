#pragma once
// Vega-Lite specifications for the report's charts (internal to report). Each returns a complete
// spec with its data inlined: the report fetches nothing.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "recount/mse/capture_table.hpp"
#include "recount/synthesis/fit.hpp"

namespace recount::report::detail {

// One claim as drawn on a time series: `y` where the glyph sits, `low`/`high` its stated span.
struct ClaimMark {
  std::string id;
  std::string date;
  std::string glyph;  // "stated", "at least", "at most", "range"
  double y = 0;
  std::optional<double> low;
  std::optional<double> high;
  std::string status;  // "consistent", "in conflict", "not tested"
  std::string label;   // tooltip: source and what it states
};

// A stock or counter over time: 90% and 50% bands, the median, and its claims.
[[nodiscard]] nlohmann::json series_chart(const std::string& title, const synthesis::Series& series,
                                          const std::vector<ClaimMark>& claims);

// Several populations of one measure overlaid (the parts of the headline population, side by
// side).
[[nodiscard]] nlohmann::json split_chart(
    const std::string& title,
    const std::vector<std::pair<std::string, const synthesis::Series*>>& series);

// Posterior and prior 90% intervals of the headline quantities, on a log scale.
[[nodiscard]] nlohmann::json headline_chart(const nlohmann::json& rows);

// UpSet-style overlaps: people per capture pattern (bars) over the pattern's lists (dots).
[[nodiscard]] nlohmann::json upset_chart(const mse::CaptureTable& table);

// One bar of the MSE chart: a method's estimate (on the best linkage or with its uncertainty).
struct EstimateBar {
  std::string method;
  std::string model;  // the model or the rule that combined the linkage draws
  double observed = 0;
  std::optional<double> estimate, lower, upper;
};

// MSE estimates with their intervals, one row per bar, and the number observed.
[[nodiscard]] nlohmann::json mse_chart(const std::vector<EstimateBar>& bars);

// Rows of {"label", "value"}: horizontal bars (match weights by field).
[[nodiscard]] nlohmann::json bar_chart(const std::string& title, const nlohmann::json& rows,
                                       const std::string& value_title);

// The estimate (band: its interval) and the number observed against the match threshold.
[[nodiscard]] nlohmann::json threshold_chart(const nlohmann::json& sweep);

}  // namespace recount::report::detail
