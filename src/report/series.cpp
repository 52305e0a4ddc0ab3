// Over time: each quantity by week, with the claims about it where they belong.

#include "sections.hpp"

#include <algorithm>
#include <cmath>

#include "charts.hpp"

namespace recount::report::detail {

namespace {

// The claims drawn on a quantity's chart: those the synthesis placed there, or (when it does not
// say) stocks and counters named POPULATION.MEASURE. Rates are not levels: they stay in the table.
std::vector<ClaimMark> claim_marks(const std::vector<Claim>& claims, const ConflictIndex& conflicts,
                                   const std::string& quantity) {
  std::vector<ClaimMark> marks;
  for (const auto& c : claims) {
    if (c.status == ReviewStatus::rejected || !c.as_of) continue;
    const auto placed = conflicts.quantity.find(c.id);
    const std::string q = placed != conflicts.quantity.end()
                              ? placed->second
                              : c.population + "." + std::string(to_string(c.measure));
    if (q != quantity || c.rate != Rate::none) continue;
    ClaimMark m;
    m.id = c.id;
    m.date = c.as_of->iso();
    m.low = c.low;
    m.high = c.high;
    m.status = claim_status(conflicts, c.id);
    m.label = c.source.empty() ? c.source_org : c.source;
    if (!c.source_org.empty() && !c.source.empty()) m.label += " (" + c.source_org + ")";
    m.label += ": " + stated(c);
    switch (c.kind) {
      case ClaimKind::at_least:
        if (!c.low) continue;
        m.glyph = "at least";
        m.y = *c.low;
        break;
      case ClaimKind::at_most:
        if (!c.high) continue;
        m.glyph = "at most";
        m.y = *c.high;
        break;
      case ClaimKind::range:
      case ClaimKind::magnitude:
        if (!c.low || !c.high) continue;
        m.glyph = "range";
        m.y = std::sqrt(*c.low * *c.high);
        break;
      default:
        if (!c.low && !c.high) continue;
        m.glyph = "stated";
        m.y = c.low ? *c.low : *c.high;
    }
    marks.push_back(m);
  }
  return marks;
}

// The charts of several populations, measure by measure: their series overlaid when more than
// one has the measure, then each series with the claims about it.
void populations_by_measure(Page& page, const ReportInput& in, const ConflictIndex& conflicts,
                            const std::vector<std::string>& quantities, const std::string& title,
                            const std::string& id) {
  // measure -> (population, series), measures in the order a reader follows people through.
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, const synthesis::Series*>>>>
      by_measure;
  for (const auto& name : quantities) {
    const auto dot = name.find('.');
    const synthesis::Series* series = in.fit->quantity(name);
    if (dot == std::string::npos || !series) continue;
    const std::string measure = name.substr(dot + 1);
    auto it = std::find_if(by_measure.begin(), by_measure.end(),
                           [&](const auto& m) { return m.first == measure; });
    if (it == by_measure.end()) it = by_measure.insert(by_measure.end(), {measure, {}});
    it->second.emplace_back(name.substr(0, dot), series);
  }
  if (by_measure.empty()) return;
  std::string split;
  std::string single;
  Page charts;
  for (const auto& [measure, series] : by_measure) {
    if (series.size() < 2) continue;
    std::vector<std::pair<std::string, const synthesis::Series*>> readable;
    for (const auto& [population, rows] : series)
      readable.emplace_back(in.vocabulary.population_label(population), rows);
    charts.chart(html_id("chart-split-" + id, measure),
                 split_chart(quantity_label(measure, in.vocabulary), readable));
  }
  split = charts.html;
  charts.html.clear();
  for (const auto& [measure, series] : by_measure)
    for (const auto& [population, rows] : series) {
      const auto marks = claim_marks(in.claims, conflicts, population + "." + measure);
      if (marks.empty()) continue;
      charts.chart(
          html_id("chart-series", population + "." + measure),
          series_chart(quantity_label(population + "." + measure, in.vocabulary), *rows, marks));
    }
  single = charts.html;
  for (auto& [chart, spec] : charts.specs.items())
    page.specs[chart] = spec;
  if (split.empty() && single.empty()) return;
  page.html += "<h3>" + escape(title) + "</h3>";
  if (!split.empty()) page.html += "<div class=\"grid\">" + split + "</div>\n";
  if (!single.empty())
    page.html += "<h4>Claims about one population</h4><div class=\"grid\">" + single + "</div>\n";
}

}  // namespace

void series_section(Page& page, const ReportInput& in, const Layout& layout,
                    const ConflictIndex& conflicts) {
  page.html += "<section id=\"series\"><h2>Over time</h2>\n";
  if (!in.fit) {
    page.html += "<p class=\"missing\">The synthesis did not run: no time series.</p></section>\n";
    return;
  }
  page.html +=
      "<p>Each stock and cumulative count by week: the line is the posterior median, the dark band "
      "the 50% interval, the light band the 90% interval. Past the last claim the model projects "
      "forward and the bands widen. Each claim sits where it belongs: a dot for a figure, a bar "
      "for "
      "a range, a triangle pointing up for &ldquo;at least&rdquo; and down for &ldquo;at "
      "most&rdquo;; red when the rest of the evidence contradicts it. Claims of rates (per day, "
      "per week) are in the claims table.</p>\n";
  page.html += "<div class=\"grid\">";
  for (const auto& name : layout.series)
    if (const synthesis::Series* series = in.fit->quantity(name))
      page.chart(html_id("chart-series", name),
                 series_chart(quantity_label(name, in.vocabulary), *series,
                              claim_marks(in.claims, conflicts, name)));
  page.html += "</div>\n";

  std::vector<std::string> parts;
  for (const auto& population : layout.breakdown)
    for (const auto& series : in.fit->quantities)
      if (series.name.rfind(population + ".", 0) == 0) parts.push_back(series.name);
  populations_by_measure(page, in, conflicts, parts, layout.breakdown_title, "parts");
  populations_by_measure(page, in, conflicts, layout.others, "Other quantities", "others");
  page.html += "</section>\n";
}

}  // namespace recount::report::detail
