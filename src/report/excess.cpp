// Excess mortality: the sex-ratio estimates the study declares ([[excess]]), each with the
// observed and expected ratios (the figure of Kobak et al. 2025), its figures band by band and
// year by year, its sensitivity grid, and the claim it became in the synthesis.

#include <string>
#include <vector>

#include "sections.hpp"

using nlohmann::json;

namespace recount::report::detail {

namespace {

const char* const kFittedLine = "#1d3b5c";
const char* const kEstimatedPoint = "#c0392b";
const char* const kOtherPoint = "#8a8a8a";

std::string excess_sex_word(const json& code) {
  const std::string c = code.is_string() ? code.get<std::string>() : std::string();
  return c == "m" ? "male" : c == "f" ? "female" : c;
}

// "23,594 ± 1,568", or the figure alone when it has no SE.
std::string excess_with_se(const json& row) {
  const auto se = num(row, "se");
  return se ? number(num(row, "excess")) + " ± " + number(se) : number(num(row, "excess"));
}

std::string excess_interval_of(const json& row) {
  const json iv = row.value("interval", json());
  if (!iv.is_array() || iv.size() != 2) return "—";
  return interval(num(json{{"v", iv[0]}}, "v"), num(json{{"v", iv[1]}}, "v"));
}

// The first and last of a pair of years in the estimate ("baseline_years", "estimated_years").
std::pair<int, int> excess_year_pair(const json& e, const char* key) {
  const json y = e.value(key, json::array());
  if (!y.is_array() || y.size() != 2 || !y[0].is_number_integer() || !y[1].is_number_integer())
    return {0, 0};
  return {y[0].get<int>(), y[1].get<int>()};
}

std::string excess_years_label(const json& e, const char* key) {
  const auto [first, last] = excess_year_pair(e, key);
  return first == last ? std::to_string(first) : fmt::format("{}–{}", first, last);
}

std::string excess_ratio_text(const std::optional<double>& r) {
  return r ? fmt::format("{:.3f}", *r) : std::string("—");
}

// The years a chart point belongs to: fitted, estimated, or neither (the years in between).
std::string excess_phase(int year, int first_estimated, bool baseline) {
  if (baseline) return "fitted";
  return year >= first_estimated ? "estimated" : "not used";
}

// Small multiples, one per band: the observed ratio of each year (points) and the fitted trend
// over the baseline (solid), carried forward into the years estimated (dashed).
json excess_ratio_chart(const json& estimate) {
  const int baseline_last = excess_year_pair(estimate, "baseline_years").second;
  const int first_estimated = excess_year_pair(estimate, "estimated_years").first;
  json values = json::array();
  json bands = json::array();
  for (const auto& band : estimate.value("ratios", json::array())) {
    const std::string ages = band.value("ages", std::string());
    bands.push_back(ages);
    for (const auto& p : band.value("points", json::array())) {
      const int year = p.value("year", 0);
      values.push_back(
          {{"ages", ages},
           {"year", year},
           {"observed", p.value("observed", json())},
           {"expected", p.value("expected", json())},
           {"phase", excess_phase(year, first_estimated, p.value("baseline", false))}});
    }
  }
  const std::string ratio_title =
      fmt::format("{} / {} deaths", excess_sex_word(estimate.value("excess_sex", json())),
                  excess_sex_word(estimate.value("reference_sex", json())));
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

void excess_facts_part(Page& page, const json& e) {
  page.html += "<dl class=\"facts\">";
  const auto fact = [&](const std::string& term, const std::string& value) {
    page.html += "<dt>" + escape(term) + "</dt><dd>" + value + "</dd>";
  };
  if (e.contains("region") && e["region"].is_string() && !e["region"].get<std::string>().empty())
    fact("region", escape(e["region"].get<std::string>()));
  fact("ages", escape(e.value("ages", std::string())));
  fact("baseline years", excess_years_label(e, "baseline_years"));
  fact("years estimated", excess_years_label(e, "estimated_years"));
  fact("trend of the ratio", escape(e.value("trend", std::string())));
  fact("excess sex (reference sex)",
       escape(excess_sex_word(e.value("excess_sex", json())) + " (" +
              excess_sex_word(e.value("reference_sex", json())) + ")"));
  if (e.value("subtracted", json()).is_string())
    fact("subtracted first", "<code>" + escape(e["subtracted"].get<std::string>()) + "</code>");
  fact("interval", fmt::format("{:g}%, Student's t with {} degrees of freedom",
                               e.value("level", 0.0) * 100, e.value("degrees_of_freedom", 0)));
  page.html += "</dl>";
}

// Every band in every year estimated, then the totals, as excess ± SE with the ratios behind it.
void excess_figures_part(Page& page, const json& e) {
  page.html += fmt::format(
      "<h4>Band by band</h4><div class=\"scroll\"><table><thead><tr><th>ages</th>"
      "<th>year</th><th>{} deaths</th><th>{} deaths</th><th>observed ratio</th>"
      "<th>expected ratio</th><th>excess ± SE</th><th>interval</th></tr></thead>"
      "<tbody>",
      escape(excess_sex_word(e.value("excess_sex", json()))),
      escape(excess_sex_word(e.value("reference_sex", json()))));
  for (const auto& year : e.value("years", json::array())) {
    for (const auto& band : year.value("bands", json::array()))
      page.html += fmt::format(
          "<tr><td class=\"nowrap\">{}</td><td>{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
          "class=\"num\">{}</td>"
          "<td></td></tr>",
          escape(band.value("ages", std::string())), year.value("year", 0),
          number(num(band, "deaths")), number(num(band, "reference_deaths")),
          excess_ratio_text(num(band, "observed_ratio")),
          excess_ratio_text(num(band, "expected_ratio")), excess_with_se(band));
    page.html += fmt::format(
        "<tr class=\"total\"><td><b>{}</b></td><td>{}</td><td></td><td></td><td></td><td></td>"
        "<td class=\"num\"><b>{}</b></td><td class=\"num\">{}</td></tr>",
        escape(e.value("ages", std::string())), year.value("year", 0), excess_with_se(year),
        excess_interval_of(year));
  }
  const json total = e.value("total", json::object());
  page.html += fmt::format(
      "<tr class=\"total\"><td><b>{}</b></td><td>{}</td><td></td><td></td><td></td><td></td>"
      "<td class=\"num\"><b>{}</b></td><td class=\"num\">{}</td></tr>",
      escape(e.value("ages", std::string())), excess_years_label(e, "estimated_years"),
      excess_with_se(total), excess_interval_of(total));
  page.html += "</tbody></table></div>";
}

// The paper's grid: one column per baseline length, trend and subtraction; rows band by year,
// then the totals.
void excess_sensitivity_part(Page& page, const json& grid) {
  if (!grid.is_array() || grid.empty()) return;
  page.html +=
      "<h4>Sensitivity</h4><p class=\"small\">The same estimate with baselines of 1, 5 and 10 "
      "years ending in the last baseline year, under each trend, with and without the subtracted "
      "cause (excess ± SE; a one-year baseline has no SE; lin: linear, exp: exponential; sub.: "
      "with the subtracted cause removed).</p><div class=\"scroll\"><table>"
      "<thead><tr><th>ages</th><th>year</th>";
  for (const auto& cell : grid)
    page.html +=
        fmt::format("<th class=\"nowrap\">{}{} y {}</th>",
                    cell.value("subtracted", false) ? "sub. " : "", cell.value("baseline_years", 0),
                    cell.value("trend", std::string()) == "linear" ? "lin" : "exp");
  page.html += "</tr></thead><tbody>";
  const json& first = grid.front();
  const json years = first.value("years", json::array());
  const json bands = first.value("bands", json::array());
  for (std::size_t b = 0; b <= bands.size(); ++b)
    for (std::size_t t = 0; t < years.size(); ++t) {
      const bool total = b == bands.size();
      page.html += fmt::format(
          "<tr{}><td class=\"nowrap\">{}</td><td>{}</td>", total ? " class=\"total\"" : "",
          total ? std::string("<b>total</b>") : escape(bands[b].value("ages", std::string())),
          years[t].value("year", 0));
      for (const auto& cell : grid) {
        const json cell_bands = cell.value("bands", json::array());
        const json rows = total                   ? cell.value("years", json::array())
                          : b < cell_bands.size() ? cell_bands[b].value("years", json::array())
                                                  : json::array();
        page.html +=
            "<td class=\"num\">" + (t < rows.size() ? excess_with_se(rows[t]) : "—") + "</td>";
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

void excess_messages_part(Page& page, const json& e) {
  for (const char* key : {"warnings", "notes"}) {
    const json list = e.value(key, json::array());
    if (!list.is_array() || list.empty()) continue;
    page.html += std::string("<p class=\"small\"><strong>") +
                 (std::string(key) == "warnings" ? "Not to be trusted:" : "Notes:") + "</strong> ";
    for (std::size_t i = 0; i < list.size(); ++i)
      page.html += (i ? "; " : "") +
                   escape(list[i].is_string() ? list[i].get<std::string>() : list[i].dump());
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
    const json& e = set.estimate;
    if (!e.is_object()) {
      page.html += "<p class=\"missing\">The excess-mortality estimate did not run.</p>";
      excess_claim_part(page, set, in, conflicts);
      page.html += "</div>\n";
      continue;
    }
    const json total = e.value("total", json::object());
    page.html += fmt::format(
        "<p>{} excess {} deaths, ages {}, {} ({:g}% interval {}).</p>", excess_with_se(total),
        escape(excess_sex_word(e.value("excess_sex", json()))),
        escape(e.value("ages", std::string())), excess_years_label(e, "estimated_years"),
        e.value("level", 0.0) * 100, excess_interval_of(total));
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
