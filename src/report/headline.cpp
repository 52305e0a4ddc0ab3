// The headline: the figures the study leads with, at its "to date", beside the prior alone.

#include <cmath>

#include "charts.hpp"
#include "sections.hpp"

using nlohmann::json;

namespace recount::report {

namespace {

const json* quantity_series(const json& results, const std::string& name) {
  if (!results.is_object() || !results.contains("quantities")) return nullptr;
  const json& q = results["quantities"];
  if (!q.is_object() || !q.contains(name) || !q[name].is_array() || q[name].empty()) return nullptr;
  return &q[name];
}

// The row of a weekly series for the week containing `date` (the first whose end is on or after
// it), or the last row when the date is past the grid.
const json* row_at(const json& series, const std::string& date) {
  for (const auto& row : series)
    if (row.value("date", std::string()) >= date) return &row;
  return &series.back();
}

}  // namespace

std::vector<HeadlineFigure> headline(const json& fit, const json& prior, std::optional<Date> as_of,
                                     const std::vector<std::string>& quantities) {
  std::vector<HeadlineFigure> out;
  for (const auto& name : quantities) {
    const json* series = quantity_series(fit, name);
    if (!series) continue;
    std::string date = as_of ? as_of->iso() : std::string();
    const json& row = date.empty() ? series->back() : *row_at(*series, date);
    HeadlineFigure f;
    f.quantity = name;
    f.date = row.value("date", std::string());
    f.median = detail::num(row, "median").value_or(std::nan(""));
    f.q05 = detail::num(row, "q05").value_or(std::nan(""));
    f.q95 = detail::num(row, "q95").value_or(std::nan(""));
    if (const json* p = quantity_series(prior, name)) {
      const json& prow = *row_at(*p, f.date);
      f.prior_q05 = detail::num(prow, "q05");
      f.prior_q95 = detail::num(prow, "q95");
    }
    out.push_back(f);
  }
  return out;
}

namespace detail {

void headline_section(Page& page, const ReportInput& in, const Layout& layout) {
  page.html += "<section id=\"headline\"><h2>Headline</h2>\n";
  const auto figures = headline(in.fit, in.prior, in.as_of, layout.headline);
  if (figures.empty()) {
    std::string names;
    for (const auto& q : layout.headline)
      names += (names.empty() ? "" : ", ") + q;
    page.html +=
        in.fit.is_object()
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
