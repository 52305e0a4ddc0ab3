// Excess mortality: the sex-ratio estimates the study declares ([[excess]]), each with the
// observed and expected ratios (the figure of Kobak et al. 2025), its figures band by band and
// year by year, its sensitivity grid, and the claim it became in the synthesis.

#include <cmath>
#include <string>
#include <vector>

#include "recount/core/json_fields.hpp"
#include "sections.hpp"

using nlohmann::json;

namespace recount::report::detail {

namespace {

const char* const kFittedLine = "#1d3b5c";
const char* const kEstimatedPoint = "#c0392b";
const char* const kOtherPoint = "#8a8a8a";

std::string excess_sex_word(excess::Sex sex) {
  return sex == excess::Sex::male ? "male" : "female";
}

excess::Sex reference_sex(const excess::ExcessEstimate& e) {
  return e.options.excess_sex == excess::Sex::male ? excess::Sex::female : excess::Sex::male;
}

// "23,594 ± 1,568", or the figure alone when it has no SE.
std::string excess_with_se(double excess, const std::optional<double>& se) {
  return se ? number(excess) + " ± " + number(se) : number(excess);
}

std::string excess_interval_of(const std::optional<excess::Interval>& iv) {
  return iv ? interval(iv->lower, iv->upper) : std::string("—");
}

std::string excess_years_label(const excess::YearRange& years) {
  return years.first == years.last ? std::to_string(years.first)
                                   : fmt::format("{}–{}", years.first, years.last);
}

std::string excess_ratio_text(double r) {
  return std::isfinite(r) ? fmt::format("{:.3f}", r) : std::string("—");
}

// The years a chart point belongs to: fitted, estimated, or neither (the years in between).
std::string excess_phase(int year, int first_estimated, bool baseline) {
  if (baseline) return "fitted";
  return year >= first_estimated ? "estimated" : "not used";
}

// Small multiples, one per band: the observed ratio of each year (points) and the fitted trend
// over the baseline (solid), carried forward into the years estimated (dashed).
json excess_ratio_chart(const excess::ExcessEstimate& estimate) {
  const int baseline_last = estimate.options.baseline.last;
  const int first_estimated = estimate.options.years.first;
  json values = json::array();
  json bands = json::array();
  for (const auto& band : estimate.bands) {
    bands.push_back(band.band.label);
    for (const auto& p : band.ratios)
      values.push_back({{"ages", band.band.label},
                        {"year", p.year},
                        {"observed", optional_number(p.observed)},
                        {"expected", p.expected},
                        {"phase", excess_phase(p.year, first_estimated, p.baseline)}});
  }
  const std::string ratio_title =
      fmt::format("{} / {} deaths", excess_sex_word(estimate.options.excess_sex),
                  excess_sex_word(reference_sex(estimate)));
  const json x = {{"field", "year"},
                  {"type", "quantitative"},
                  {"title", nullptr},
                  {"scale", {{"zero", false}}},
                  {"axis", {{"format", "d"}, {"tickMinStep", 1}, {"labelOverlap", true}}}};
  const json y_expected = {{"field", "expected"},
                           {"type", "quantitative"},
                           {"title", ratio_title},
                           {"scale", {{"zero", false}}}};
  json y_observed = y_expected;
  y_observed["field"] = "observed";
  json layers = json::array();
  layers.push_back({{"transform", {{{"filter", "datum.phase === 'fitted'"}}}},
                    {"mark", {{"type", "line"}, {"color", kFittedLine}, {"strokeWidth", 1.6}}},
                    {"encoding", {{"x", x}, {"y", y_expected}}}});
  layers.push_back(
      {{"transform", {{{"filter", fmt::format("datum.year >= {}", baseline_last)}}}},
       {"mark",
        {{"type", "line"}, {"color", kFittedLine}, {"strokeWidth", 1.4}, {"strokeDash", {4, 3}}}},
       {"encoding", {{"x", x}, {"y", y_expected}}}});
  layers.push_back(
      {{"transform", {{{"filter", "datum.observed !== null"}}}},
       {"mark", {{"type", "point"}, {"filled", true}, {"size", 36}, {"opacity", 0.95}}},
       {"encoding",
        {{"x", x},
         {"y", y_observed},
         {"color",
          {{"field", "phase"},
           {"type", "nominal"},
           {"title", "observed"},
           {"scale",
            {{"domain", {"fitted", "estimated", "not used"}},
             {"range", {kFittedLine, kEstimatedPoint, kOtherPoint}}}}}},
         {"tooltip",
          {{{"field", "ages"}, {"title", "ages"}},
           {{"field", "year"}, {"type", "quantitative"}, {"format", "d"}},
           {{"field", "observed"}, {"type", "quantitative"}, {"format", ".3f"}},
           {{"field", "expected"}, {"type", "quantitative"}, {"format", ".3f"}}}}}}});
  return {{"data", {{"values", values}}},
          {"background", "transparent"},
          {"columns", 4},
          {"facet",
           {{"field", "ages"},
            {"type", "ordinal"},
            {"sort", bands},
            {"title", nullptr},
            {"header", {{"labelFontSize", 11}, {"labelFontWeight", 600}}}}},
          {"spec", {{"width", 150}, {"height", 110}, {"layer", layers}}},
          {"resolve", {{"scale", {{"y", "independent"}}}}},
          {"config",
           {{"font", "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"},
            {"axis",
             {{"labelFontSize", 10}, {"titleFontSize", 10}, {"grid", true}, {"gridColor", "#eee"}}},
            {"legend", {{"orient", "bottom"}, {"labelFontSize", 11}, {"titleFontSize", 11}}}}}};
}

void excess_facts_part(Page& page, const excess::ExcessEstimate& e) {
  page.html += "<dl class=\"facts\">";
  const auto fact = [&](const std::string& term, const std::string& value) {
    page.html += "<dt>" + escape(term) + "</dt><dd>" + value + "</dd>";
  };
  if (!e.region.empty()) fact("region", escape(e.region));
  fact("ages", escape(e.options.ages.label()));
  fact("baseline years", excess_years_label(e.options.baseline));
  fact("years estimated", excess_years_label(e.options.years));
  fact("trend of the ratio", escape(excess::trend_name(e.options.trend)));
  fact("excess sex (reference sex)", escape(excess_sex_word(e.options.excess_sex) + " (" +
                                            excess_sex_word(reference_sex(e)) + ")"));
  if (!e.subtracted.empty()) fact("subtracted first", "<code>" + escape(e.subtracted) + "</code>");
  fact("interval", fmt::format("{:g}%, Student's t with {} degrees of freedom",
                               e.options.level * 100, e.degrees_of_freedom));
  page.html += "</dl>";
}

// Every band in every year estimated, then the totals, as excess ± SE with the ratios behind it.
void excess_figures_part(Page& page, const excess::ExcessEstimate& e) {
  page.html += fmt::format(
      "<h4>Band by band</h4><div class=\"scroll\"><table><thead><tr><th>ages</th>"
      "<th>year</th><th>{} deaths</th><th>{} deaths</th><th>observed ratio</th>"
      "<th>expected ratio</th><th>excess ± SE</th><th>interval</th></tr></thead>"
      "<tbody>",
      escape(excess_sex_word(e.options.excess_sex)), escape(excess_sex_word(reference_sex(e))));
  const std::string ages = escape(e.options.ages.label());
  for (std::size_t i = 0; i < e.years.size(); ++i) {
    const excess::YearEstimate& year = e.years[i];
    for (const auto& band : e.bands) {
      if (i >= band.years.size() || !std::isfinite(band.years[i].excess)) continue;
      const excess::BandYear& by = band.years[i];
      page.html += fmt::format(
          "<tr><td class=\"nowrap\">{}</td><td>{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
          "class=\"num\">{}</td>"
          "<td></td></tr>",
          escape(band.band.label), year.year, number(finite(by.deaths)),
          number(finite(by.reference_deaths)), excess_ratio_text(by.observed_ratio),
          excess_ratio_text(by.expected_ratio), excess_with_se(by.excess, by.se));
    }
    page.html += fmt::format(
        "<tr class=\"total\"><td><b>{}</b></td><td>{}</td><td></td><td></td><td></td><td></td>"
        "<td class=\"num\"><b>{}</b></td><td class=\"num\">{}</td></tr>",
        ages, year.year, excess_with_se(year.excess, year.se), excess_interval_of(year.interval));
  }
  page.html += fmt::format(
      "<tr class=\"total\"><td><b>{}</b></td><td>{}</td><td></td><td></td><td></td><td></td>"
      "<td class=\"num\"><b>{}</b></td><td class=\"num\">{}</td></tr>",
      ages, excess_years_label(e.options.years), excess_with_se(e.total.excess, e.total.se),
      excess_interval_of(e.total.interval));
  page.html += "</tbody></table></div>";
}

// The paper's grid: one column per baseline length, trend and subtraction; rows band by year,
// then the totals.
void excess_sensitivity_part(Page& page, const std::vector<excess::SensitivityCell>& grid) {
  if (grid.empty()) return;
  page.html +=
      "<h4>Sensitivity</h4><p class=\"small\">The same estimate with baselines of 1, 5 and 10 "
      "years ending in the last baseline year, under each trend, with and without the subtracted "
      "cause (excess ± SE; a one-year baseline has no SE; lin: linear, exp: exponential; sub.: "
      "with the subtracted cause removed).</p><div class=\"scroll\"><table>"
      "<thead><tr><th>ages</th><th>year</th>";
  for (const auto& cell : grid)
    page.html +=
        fmt::format("<th class=\"nowrap\">{}{} y {}</th>", cell.subtracted ? "sub. " : "",
                    cell.baseline_years, cell.trend == excess::Trend::linear ? "lin" : "exp");
  page.html += "</tr></thead><tbody>";
  const excess::ExcessEstimate& first = grid.front().estimate;
  for (std::size_t b = 0; b <= first.bands.size(); ++b)
    for (std::size_t t = 0; t < first.years.size(); ++t) {
      const bool total = b == first.bands.size();
      page.html += fmt::format(
          "<tr{}><td class=\"nowrap\">{}</td><td>{}</td>", total ? " class=\"total\"" : "",
          total ? std::string("<b>total</b>") : escape(first.bands[b].band.label),
          first.years[t].year);
      for (const auto& cell : grid) {
        const excess::ExcessEstimate& c = cell.estimate;
        std::string figure = "—";
        if (total && t < c.years.size())
          figure = excess_with_se(c.years[t].excess, c.years[t].se);
        else if (!total && b < c.bands.size() && t < c.bands[b].years.size())
          figure = excess_with_se(c.bands[b].years[t].excess, c.bands[b].years[t].se);
        page.html += "<td class=\"num\">" + figure + "</td>";
      }
      page.html += "</tr>";
    }
  page.html += "</tbody></table></div>";
}

void excess_claim_part(Page& page, const ExcessSection& set, const ReportInput& in,
                       const ConflictIndex& conflicts) {
  const EstimateTarget& t = set.target;
  const std::string quantity = t.population + "." + std::string(to_string(t.measure));
  page.html += "<h4>As evidence</h4>";
  if (!set.claim) {
    page.html += fmt::format(
        "<p class=\"missing\">The study says this estimate measures {} as of {}, but it became "
        "no claim: it did not run, or it is not to be trusted (see the top of the report). The "
        "synthesis does not use it.</p>",
        escape(quantity_label(quantity, in.vocabulary)), escape(t.as_of.iso()));
    return;
  }
  const Claim& c = *set.claim;
  page.html += fmt::format(
      "<p>It enters the synthesis as one more claim, {}: excess mortality misses the missing, the "
      "dead counted elsewhere and those outside the ages and years estimated.</p>",
      c.kind == ClaimKind::range ? "its interval as a range (the study says it covers the whole "
                                   "quantity)"
                                 : "at least the lower end of its interval");
  page.html += "<dl class=\"facts\">";
  const std::pair<std::string, std::string> facts[] = {
      {"claim", "<code>" + escape(c.id) + "</code>"},
      {"kind", escape(std::string(to_string(c.kind)))},
      {"states", escape(stated(c))},
      {"quantity",
       escape(quantity_label(quantity, in.vocabulary)) + " <code>" + escape(quantity) + "</code>"},
      {"as of", c.as_of ? escape(c.as_of->iso()) : std::string("—")},
      {"source", escape(c.source)},
      {"in the synthesis", escape(claim_status(conflicts, c.id))}};
  for (const auto& [term, value] : facts)
    page.html += "<dt>" + escape(term) + "</dt><dd>" + value + "</dd>";
  page.html += "</dl>";
}

void excess_messages_part(Page& page, const excess::ExcessEstimate& e) {
  const std::pair<const char*, const std::vector<std::string>*> parts[] = {
      {"Not to be trusted:", &e.warnings}, {"Notes:", &e.notes}};
  for (const auto& [title, list] : parts) {
    if (list->empty()) continue;
    page.html += std::string("<p class=\"small\"><strong>") + title + "</strong> ";
    for (std::size_t i = 0; i < list->size(); ++i)
      page.html += (i ? "; " : "") + escape((*list)[i]);
    page.html += "</p>";
  }
}

}  // namespace

void excess_section(Page& page, const ReportInput& in, const ConflictIndex& conflicts) {
  if (in.excess.empty()) return;
  page.html +=
      "<section id=\"excess\"><h2>Excess mortality</h2>\n<p>Excess deaths estimated from "
      "demographic statistics by the sex-ratio method (Kobak, Bessudnov, Ershov, Mikhailova and "
      "Raksha 2025, <i>Demography</i> 62(2):335&ndash;347): in each age band, the ratio of one "
      "sex's deaths to the other's follows a straight line over the baseline years; carried "
      "forward, it predicts what the first sex's deaths would have been; the excess is what was "
      "registered above that. The reference sex's deaths carry everything else that moved "
      "mortality in those years.</p>\n";
  for (const auto& set : in.excess) {
    const std::string id = html_id("excess", set.name);
    page.html += fmt::format("<div class=\"excess\" id=\"{}\"><h3>{}</h3>", id, escape(set.name));
    if (!set.estimate) {
      page.html += "<p class=\"missing\">The excess-mortality estimate did not run.</p>";
      excess_claim_part(page, set, in, conflicts);
      page.html += "</div>\n";
      continue;
    }
    const excess::ExcessEstimate& e = *set.estimate;
    page.html += fmt::format("<p>{} excess {} deaths, ages {}, {} ({:g}% interval {}).</p>",
                             excess_with_se(e.total.excess, e.total.se),
                             escape(excess_sex_word(e.options.excess_sex)),
                             escape(e.options.ages.label()), excess_years_label(e.options.years),
                             e.options.level * 100, excess_interval_of(e.total.interval));
    excess_facts_part(page, e);
    excess_messages_part(page, e);
    page.chart(id + "-ratios", excess_ratio_chart(e),
               "The ratio of the deaths in each age band, year by year (points), and its trend "
               "fitted over the baseline years (solid line), carried forward into the years "
               "estimated (dashed): the excess is the gap between the red points and the dashed "
               "line, times the reference sex's deaths.");
    excess_figures_part(page, e);
    excess_sensitivity_part(page, set.sensitivity);
    excess_claim_part(page, set, in, conflicts);
    page.html += "</div>\n";
  }
  page.html += "</section>\n";
}

}  // namespace recount::report::detail
