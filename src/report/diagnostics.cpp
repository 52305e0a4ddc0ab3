// Sampler diagnostics of the synthesis and of every MSE method that samples.

#include "sections.hpp"

#include <algorithm>

using nlohmann::json;

namespace recount::report::detail {

void definition_list(Page& page, const json& object) {
  page.html += "<dl class=\"facts\">";
  for (const auto& [key, value] : object.items())
    if (value.is_primitive() ||
        (value.is_array() &&
         std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_primitive(); })))
      page.html += "<dt>" + escape(key) + "</dt><dd>" + cell(value) + "</dd>";
  page.html += "</dl>";
  for (const auto& [key, value] : object.items()) {
    if (value.is_object()) {
      page.html += "<h4>" + escape(key) + "</h4>";
      definition_list(page, value);
    } else if (value.is_array() && !value.empty() && value.front().is_object()) {
      page.html += "<h4>" + escape(key) + "</h4>";
      generic_table(page, value);
    }
  }
}

void diagnostics_section(Page& page, const ReportInput& in) {
  page.html += "<section id=\"diagnostics\"><h2>Sampler diagnostics</h2>\n";
  bool any = false;
  if (in.fit) {
    any = true;
    page.html +=
        "<h3>Synthesis</h3><p class=\"small\">NUTS, as Stan reports it: split R-hat should be "
        "below 1.01, "
        "bulk and tail effective sample sizes in the hundreds, and no divergent transitions.</p>";
    definition_list(page, synthesis::to_json(in.fit->diagnostics));
  }
  for (const auto& set : in.list_sets)
    for (const auto& e : set.estimates)
      if (const nlohmann::json& d = e.estimate.total.diagnostics; d.is_object() && !d.empty()) {
        any = true;
        page.html += "<h3>" + escape(set.name + " · " + e.estimate.method) + "</h3>";
        definition_list(page, d);
      }
  if (!any) page.html += "<p class=\"missing\">No sampler ran.</p>";
  page.html += "</section>\n";
}

}  // namespace recount::report::detail
