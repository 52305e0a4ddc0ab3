// The headline: the figures the study leads with, at its "to date", beside the prior alone.

#include <cmath>

#include "charts.hpp"
#include "sections.hpp"

using nlohmann::json;

namespace recount::report {

namespace {

// The point of a weekly series for the week containing `date` (the first whose end is on or
// after it), or the last point when the date is past the grid.
const synthesis::SeriesPoint& point_at(const synthesis::Series& series, Date date) {
  for (const auto& p : series.points)
    if (p.date >= date) return p;
  return series.points.back();
}

}  // namespace

std::vector<HeadlineFigure> headline(const synthesis::FitSummary* fit,
                                     const synthesis::FitSummary* prior, std::optional<Date> as_of,
                                     const std::vector<std::string>& quantities) {
  std::vector<HeadlineFigure> out;
  if (!fit) return out;
  for (const auto& name : quantities) {
    const synthesis::Series* series = fit->quantity(name);
    if (!series || series->points.empty()) continue;
    const synthesis::SeriesPoint& p = as_of ? point_at(*series, *as_of) : series->points.back();
    HeadlineFigure f;
    f.quantity = name;
    f.date = p.date.iso();
    f.median = p.median;
    f.q05 = p.q05;
    f.q95 = p.q95;
    if (const synthesis::Series* s = prior ? prior->quantity(name) : nullptr;
        s && !s->points.empty()) {
      const synthesis::SeriesPoint& q = point_at(*s, p.date);
      f.prior_q05 = detail::finite(q.q05);
      f.prior_q95 = detail::finite(q.q95);
    }
    out.push_back(f);
  }
  return out;
}

namespace detail {

void headline_section(Page& page, const ReportInput& in, const Layout& layout) {
  page.html += "<section id=\"headline\"><h2>Headline</h2>\n";
  const auto figures = headline(in.fit ? &*in.fit : nullptr, in.prior ? &*in.prior : nullptr,
                                in.as_of, layout.headline);
  if (figures.empty()) {
    std::string names;
    for (const auto& q : layout.headline)
      names += (names.empty() ? "" : ", ") + q;
    page.html +=
        in.fit
            ? "<p class=\"missing\">The synthesis ran, but its results hold none of the headline "
              "quantities (" +
                  escape(names.empty() ? std::string("the model declares none") : names) +
                  "): see the study file's <code>[report] headline</code>.</p></section>\n"
            : std::string(
                  "<p class=\"missing\">The synthesis did not run, so there are no "
                  "headline figures. The claims, lists and estimates below are what the "
                  "study has.</p></section>\n");
    return;
  }
  page.html += fmt::format(
      "<p>{}, as of the week ending <b>{}</b>: the posterior median and its 90% interval, and "
      "beside it the 90% interval of the model's prior alone. Where the two are alike, the "
      "evidence has said little and the figure is mostly assumption.</p>\n",
      escape(layout.headline_subject), escape(figures.front().date));
  page.html += "<div class=\"headline\">";
  json rows = json::array();
  for (const auto& f : figures) {
    const std::string label = quantity_label(f.quantity, in.vocabulary);
    page.html += fmt::format(
        "<div class=\"figure\"><div class=\"what\">{}</div><div class=\"big\">{}</div>"
        "<div class=\"ci\">90%: {}</div><div class=\"prior\">prior alone: {}</div></div>",
        escape(label), number(f.median), interval(f.q05, f.q95),
        f.prior_q05 ? interval(f.prior_q05, f.prior_q95) : std::string("not computed"));
    if (f.q05 > 0)
      rows.push_back({{"quantity", label},
                      {"what", "with the evidence"},
                      {"low", f.q05},
                      {"high", f.q95},
                      {"median", f.median}});
    if (f.prior_q05 && f.prior_q95 && *f.prior_q05 > 0)
      rows.push_back({{"quantity", label},
                      {"what", "prior alone"},
                      {"low", *f.prior_q05},
                      {"high", *f.prior_q95},
                      {"median", nullptr}});
  }
  page.html += "</div>\n";
  if (!rows.empty())
    page.chart(
        "chart-headline", headline_chart(rows),
        "90% intervals: grey, the prior alone; blue, with every claim; white tick, the median.");
  page.html += "</section>\n";
}

}  // namespace detail

}  // namespace recount::report
