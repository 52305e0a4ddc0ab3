#pragma once
// The report's sections (internal to report): each writes its part of the page from the typed
// view of the study's results (ReportInput) and the layout derived from the study.

#include <map>
#include <optional>
#include <set>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "html.hpp"
#include "recount/report/report.hpp"

namespace recount::report::detail {

// The page being written: its HTML and the Vega-Lite specification of each chart.
class Page {
 public:
  std::string html;
  nlohmann::json specs = nlohmann::json::object();

  // A placeholder for a chart, rendered by vega-embed from the inlined spec.
  void chart(const std::string& id, nlohmann::json spec, const std::string& caption = {}) {
    html += fmt::format("<figure class=\"chart\"><div id=\"{}\" class=\"vega\"></div>", escape(id));
    if (!caption.empty()) html += "<figcaption>" + caption + "</figcaption>";
    html += "</figure>\n";
    specs[id] = std::move(spec);
  }
};

// A number in a JSON row, or nullopt.
[[nodiscard]] std::optional<double> num(const nlohmann::json& row, const char* key);
// The value, or nullopt when it is NaN or infinite (a figure that could not be computed).
[[nodiscard]] std::optional<double> finite(double value);

// Which claims the synthesis found in conflict with the rest of the evidence (adjusted p below
// 0.05, `p_adjusted` of `recount fit --json`), and under which quantity it placed each claim.
struct ConflictIndex {
  std::map<std::string, bool> in_conflict;      // claim id -> flagged
  std::map<std::string, std::string> quantity;  // claim id -> quantity name
};
[[nodiscard]] bool flagged(double p_adjusted);
[[nodiscard]] ConflictIndex index_conflicts(const synthesis::FitSummary* fit);
// "in conflict", "consistent" or "not tested".
[[nodiscard]] std::string claim_status(const ConflictIndex& conflicts, const std::string& id);

// A table with the union of the rows' keys as columns, in order of first appearance.
void generic_table(Page& page, const nlohmann::json& rows, const std::set<std::string>& skip = {});
// An object as a definition list; nested objects and tables of objects under their own headings.
void definition_list(Page& page, const nlohmann::json& object);

void headline_section(Page& page, const ReportInput& in, const Layout& layout);
void series_section(Page& page, const ReportInput& in, const Layout& layout,
                    const ConflictIndex& conflicts);
void conflicts_section(Page& page, const ReportInput& in);
void claims_section(Page& page, const ReportInput& in, const ConflictIndex& conflicts);
void lists_section(Page& page, const ReportInput& in, const ReportOptions& options);
// Only when the study declares [[excess]] estimates.
void excess_section(Page& page, const ReportInput& in, const ConflictIndex& conflicts);
void diagnostics_section(Page& page, const ReportInput& in);
void methods_section(Page& page, const ReportInput& in);

}  // namespace recount::report::detail
