#pragma once
// Small HTML and formatting helpers shared by the report's sections (internal to report).

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "recount/evidence/claim.hpp"

namespace recount::report::detail {

// Text safe inside HTML elements and attribute values.
[[nodiscard]] std::string escape(std::string_view text);

// An id usable in HTML (letters, digits, '-', '_'), derived from any text.
[[nodiscard]] std::string html_id(std::string_view prefix, std::string_view text);

// 12345.6 -> "12,346"; null -> "—".
[[nodiscard]] std::string number(std::optional<double> value);
// "8,000–17,000"; an open end shows as "…".
[[nodiscard]] std::string interval(std::optional<double> low, std::optional<double> high);

// What a claim states, as a reader would say it: "≥ 1,000 per week", "100,000–120,000".
[[nodiscard]] std::string stated(const Claim& claim);

// A JSON value for a table cell: numbers formatted, strings escaped, arrays joined.
[[nodiscard]] std::string cell(const nlohmann::json& value);

// JSON for a <script type="application/json"> block: "</" cannot close the element.
[[nodiscard]] std::string script_json(const nlohmann::json& value);

}  // namespace recount::report::detail
