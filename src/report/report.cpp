#include "recount/report/report.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "charts.hpp"
#include "html.hpp"
#include "recount/core/text.hpp"
#include "recount/report/embedded.hpp"
#include "style.hpp"

using nlohmann::json;

namespace recount::report {

using detail::escape;

std::string_view to_string(StageState state) noexcept {
  switch (state) {
    case StageState::ok:
      return "ok";
    case StageState::untrusted:
      return "not to be trusted";
    case StageState::failed:
      return "failed";
    case StageState::not_run:
      return "did not run";
  }
  return "?";
}

const std::vector<std::string>& headline_quantities() {
  static const std::vector<std::string> names{"convicts.recruited", "convicts.killed",
                                              "convicts.wounded", "convicts.captured",
                                              "convicts.returned"};
  return names;
}

namespace {

std::optional<double> num(const json& row, const char* key) {
  if (!row.is_object() || !row.contains(key) || !row[key].is_number()) return std::nullopt;
  return row[key].get<double>();
}

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

// Measures in the order a reader follows the pipeline.
const std::vector<std::string> kMeasureOrder{"recruited", "in_service",       "killed",
                                             "wounded",   "casualties",       "captured",
                                             "returned",  "prison_population"};

std::string readable_population(const std::string& population) {
  if (population == "wagner_convicts") return "Wagner";
  if (population == "mod_convicts") return "Defence Ministry";
  if (population == "convicts") return "all convicts";
  return population;
}

std::string readable_quantity(const std::string& name) {
  const auto dot = name.find('.');
  std::string population = dot == std::string::npos ? std::string() : name.substr(0, dot);
  std::string measure = dot == std::string::npos ? name : name.substr(dot + 1);
  std::replace(measure.begin(), measure.end(), '_', ' ');
  population = readable_population(population);
  std::string out = measure;
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  if (!population.empty()) out += " (" + population + ")";
  return out;
}

// Which claims the synthesis found in conflict with the rest of the evidence, and under which
// quantity it placed each claim.
struct ConflictIndex {
  std::map<std::string, bool> in_conflict;      // claim id -> flagged
  std::map<std::string, std::string> quantity;  // claim id -> quantity name
};

bool flagged(const json& row) {
  if (row.contains("conflict") && row["conflict"].is_boolean()) return row["conflict"].get<bool>();
  for (const char* key : {"p_adjusted", "q_value", "p_bh"})
    if (auto v = num(row, key)) return *v < 0.05;
  if (auto v = num(row, "p")) return *v < 0.05;
  return false;
}

ConflictIndex index_conflicts(const json& fit) {
  ConflictIndex index;
  if (!fit.is_object() || !fit.contains("conflicts") || !fit["conflicts"].is_array()) return index;
  for (const auto& row : fit["conflicts"]) {
    if (!row.is_object()) continue;
    std::string id;
    for (const char* key : {"claim", "id", "claim_id"})
      if (row.contains(key) && row[key].is_string()) {
        id = row[key].get<std::string>();
        break;
      }
    if (id.empty()) continue;
    index.in_conflict[id] = flagged(row);
    if (row.contains("quantity") && row["quantity"].is_string())
      index.quantity[id] = row["quantity"];
  }
  return index;
}

std::string claim_status(const ConflictIndex& conflicts, const std::string& id) {
  const auto it = conflicts.in_conflict.find(id);
  if (it == conflicts.in_conflict.end()) return "not tested";
  return it->second ? "in conflict" : "consistent";
}

// The claims drawn on a quantity's chart: those the synthesis placed there, or (when it does not
// say) stocks and counters named POPULATION.MEASURE. Rates are not levels: they stay in the table.
std::vector<detail::ClaimMark> claim_marks(const std::vector<Claim>& claims,
                                           const ConflictIndex& conflicts,
                                           const std::string& quantity) {
  std::vector<detail::ClaimMark> marks;
  for (const auto& c : claims) {
    if (c.status == ReviewStatus::rejected || !c.as_of) continue;
    const auto placed = conflicts.quantity.find(c.id);
    const std::string q = placed != conflicts.quantity.end()
                              ? placed->second
                              : c.population + "." + std::string(to_string(c.measure));
    if (q != quantity || c.rate != Rate::none) continue;
    detail::ClaimMark m;
    m.id = c.id;
    m.date = c.as_of->iso();
    m.low = c.low;
    m.high = c.high;
    m.status = claim_status(conflicts, c.id);
    m.label = c.source.empty() ? c.source_org : c.source;
    if (!c.source_org.empty() && !c.source.empty()) m.label += " (" + c.source_org + ")";
    m.label += ": " + detail::stated(c);
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

// The sentence around a claim's span in its document, with the quantity marked.
std::string excerpt(const Claim& claim, const std::map<std::string, std::string>& documents) {
  const auto doc = documents.find(claim.document);
  if (doc != documents.end() && claim.start && claim.end && *claim.start < *claim.end &&
      *claim.end <= doc->second.size()) {
    const std::string& text = doc->second;
    std::size_t from = *claim.start;
    std::size_t to = *claim.end;
    std::size_t begin = from;
    while (begin > 0 && from - begin < 400 && text[begin - 1] != '\n' &&
           !(begin >= 2 &&
             (text[begin - 2] == '.' || text[begin - 2] == '!' || text[begin - 2] == '?') &&
             text[begin - 1] == ' '))
      --begin;
    std::size_t end = to;
    while (end < text.size() && end - to < 400 && text[end] != '\n' &&
           !((text[end] == '.' || text[end] == '!' || text[end] == '?') &&
             (end + 1 == text.size() || text[end + 1] == ' ' || text[end + 1] == '\n')))
      ++end;
    if (end < text.size() && text[end] != '\n') ++end;
    // Keep whole UTF-8 characters at the edges.
    while (begin < from && (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80)
      ++begin;
    while (end > to && end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
      --end;
    return escape(trim(std::string_view(text).substr(begin, from - begin))) +
           (begin < from ? " " : "") + "<mark>" +
           escape(std::string_view(text).substr(from, to - from)) + "</mark>" +
           escape(std::string_view(text).substr(to, end - to));
  }
  return escape(claim.text);
}

class Page {
 public:
  std::string html;
  json specs = json::object();

  // A placeholder for a chart, rendered by vega-embed from the inlined spec.
  void chart(const std::string& id, json spec, const std::string& caption = {}) {
    html += fmt::format("<figure class=\"chart\"><div id=\"{}\" class=\"vega\"></div>", escape(id));
    if (!caption.empty()) html += "<figcaption>" + caption + "</figcaption>";
    html += "</figure>\n";
    specs[id] = std::move(spec);
  }
};

void stage_banner(Page& page, const std::vector<StageStatus>& stages) {
  std::vector<const StageStatus*> problems;
  for (const auto& s : stages)
    if (s.state != StageState::ok) problems.push_back(&s);
  if (problems.empty()) return;
  const bool failed = std::any_of(problems.begin(), problems.end(), [](const StageStatus* s) {
    return s->state == StageState::failed || s->state == StageState::untrusted;
  });
  page.html += fmt::format(
      "<aside class=\"banner {}\" id=\"stage-problems\"><strong>{}</strong><ul>",
      failed ? "alarm" : "notice",
      failed ? "Some results are not to be trusted, or missing:" : "Not every stage ran:");
  for (const auto* s : problems)
    page.html += fmt::format("<li><b>{}</b> {}{}{}</li>", escape(s->stage),
                             escape(std::string(to_string(s->state))),
                             s->detail.empty() ? "" : ": ", escape(s->detail));
  page.html += "</ul></aside>\n";
}

void headline_section(Page& page, const ReportInput& in) {
  page.html += "<section id=\"headline\"><h2>Headline</h2>\n";
  const auto figures = headline(in.fit, in.prior, in.as_of);
  if (figures.empty()) {
    page.html +=
        "<p class=\"missing\">The synthesis did not run, so there are no headline figures. The "
        "claims, lists and estimates below are what the study has.</p></section>\n";
    return;
  }
  page.html += fmt::format(
      "<p>All convicts sent to the front, as of the week ending <b>{}</b>: the posterior median "
      "and its 90% "
      "interval, and beside it the 90% interval of the model's prior alone. Where the two are "
      "alike, the "
      "evidence has said little and the figure is mostly assumption.</p>\n",
      escape(figures.front().date));
  page.html += "<div class=\"headline\">";
  json rows = json::array();
  for (const auto& f : figures) {
    page.html += fmt::format(
        "<div class=\"figure\"><div class=\"what\">{}</div><div class=\"big\">{}</div>"
        "<div class=\"ci\">90%: {}</div><div class=\"prior\">prior alone: {}</div></div>",
        escape(readable_quantity(f.quantity)), detail::number(f.median),
        detail::interval(f.q05, f.q95),
        f.prior_q05 ? detail::interval(f.prior_q05, f.prior_q95) : std::string("not computed"));
    const std::string label = readable_quantity(f.quantity);
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
        "chart-headline", detail::headline_chart(rows),
        "90% intervals: grey, the prior alone; blue, with every claim; white tick, the median.");
  page.html += "</section>\n";
}

void series_section(Page& page, const ReportInput& in, const ConflictIndex& conflicts) {
  page.html += "<section id=\"series\"><h2>Over time</h2>\n";
  if (!in.fit.is_object() || !in.fit.contains("quantities") || !in.fit["quantities"].is_object()) {
    page.html += "<p class=\"missing\">The synthesis did not run: no time series.</p></section>\n";
    return;
  }
  page.html +=
      "<p>Each stock and cumulative count by week: the line is the posterior median, the dark band "
      "the 50% "
      "interval, the light band the 90% interval. Past the last claim the model projects forward "
      "and the bands "
      "widen. Each claim sits where it belongs: a dot for a figure, a bar for a range, a triangle "
      "pointing up for "
      "&ldquo;at least&rdquo; and down for &ldquo;at most&rdquo;; red when the rest of the "
      "evidence contradicts "
      "it. Claims of rates (per day, per week) are in the claims table.</p>\n";
  const json& quantities = in.fit["quantities"];
  std::vector<std::string> names;
  for (const auto& measure : kMeasureOrder)
    if (quantities.contains("convicts." + measure)) names.push_back("convicts." + measure);
  for (const auto& [name, series] : quantities.items())
    if (name.rfind("convicts.", 0) == 0 &&
        std::find(names.begin(), names.end(), name) == names.end())
      names.push_back(name);
  page.html += "<div class=\"grid\">";
  for (const auto& name : names)
    page.chart(detail::html_id("chart-series", name),
               detail::series_chart(readable_quantity(name), quantities[name],
                                    claim_marks(in.claims, conflicts, name)));
  page.html += "</div>\n";

  // The two recruitment streams, measure by measure.
  // measure -> (population, series) for the narrower populations (Wagner, Defence Ministry).
  std::map<std::string, std::vector<std::pair<std::string, json>>> by_measure;
  for (const auto& [name, series] : quantities.items()) {
    const auto dot = name.find('.');
    if (dot == std::string::npos || name.rfind("convicts.", 0) == 0) continue;
    by_measure[name.substr(dot + 1)].emplace_back(name.substr(0, dot), series);
  }
  std::vector<std::string> measures;
  for (const auto& m : kMeasureOrder)
    if (by_measure.contains(m)) measures.push_back(m);
  for (const auto& [m, series] : by_measure)
    if (std::find(measures.begin(), measures.end(), m) == measures.end()) measures.push_back(m);
  if (!measures.empty()) {
    page.html += "<h3>By recruiter</h3><div class=\"grid\">";
    for (const auto& measure : measures) {
      std::vector<std::pair<std::string, json>> readable;
      for (const auto& [population, rows] : by_measure[measure])
        readable.emplace_back(readable_population(population), rows);
      page.chart(detail::html_id("chart-split", measure),
                 detail::split_chart(readable_quantity(measure), readable));
    }
    page.html += "</div>\n<h3>Claims about one population</h3><div class=\"grid\">";
    for (const auto& measure : measures)
      for (const auto& [population, rows] : by_measure[measure]) {
        const auto marks = claim_marks(in.claims, conflicts, population + "." + measure);
        if (marks.empty()) continue;
        page.chart(
            detail::html_id("chart-series", population + "." + measure),
            detail::series_chart(readable_quantity(population + "." + measure), rows, marks));
      }
    page.html += "</div>\n";
  }
  page.html += "</section>\n";
}

// A table with the union of the rows' keys as columns, in order of first appearance.
void generic_table(Page& page, const json& rows, const std::set<std::string>& skip = {}) {
  std::vector<std::string> columns;
  for (const auto& row : rows)
    if (row.is_object())
      for (const auto& [key, value] : row.items())
        if (!skip.contains(key) && std::find(columns.begin(), columns.end(), key) == columns.end())
          columns.push_back(key);
  page.html += "<div class=\"scroll\"><table><thead><tr>";
  for (const auto& c : columns)
    page.html += "<th>" + escape(c) + "</th>";
  page.html += "</tr></thead><tbody>";
  for (const auto& row : rows) {
    if (!row.is_object()) continue;
    page.html += flagged(row) ? "<tr class=\"conflict\">" : "<tr>";
    for (const auto& c : columns) {
      const json& v = row.contains(c) ? row[c] : json(nullptr);
      page.html += (v.is_number() ? "<td class=\"num\">" : "<td>") + detail::cell(v) + "</td>";
    }
    page.html += "</tr>";
  }
  page.html += "</tbody></table></div>\n";
}

std::string p_value(const json& row, const char* key) {
  const auto v = num(row, key);
  if (!v) return "—";
  if (*v < 0.001) return "&lt;0.001";
  return fmt::format("{:.3f}", *v);
}

// The synthesis's conflict table (ClaimConflict in JSON), most surprising first.
void claim_conflicts_table(Page& page, const json& rows) {
  page.html +=
      "<div "
      "class=\"scroll\"><table><thead><tr><th>claim</th><th>source</th><th>quantity</"
      "th><th>states</th>"
      "<th>as of</th><th>the rest implies (90%)</th><th>p</th><th>p "
      "adjusted</th><th>credibility</th>"
      "</tr></thead><tbody>";
  for (const auto& row : rows) {
    if (!row.is_object()) continue;
    const std::string id = row.value("id", row.value("claim", std::string()));
    std::string implied = "—";
    if (row.contains("implied") && row["implied"].is_object()) {
      const json& im = row["implied"];
      implied = detail::number(num(im, "median")) + " <span class=\"small\">(" +
                detail::interval(num(im, "q05"), num(im, "q95")) + ")</span>";
    }
    page.html += fmt::format(
        "<tr{}><td><a href=\"#{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td "
        "class=\"date\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
        flagged(row) ? " class=\"conflict\"" : "", detail::html_id("claim", id), escape(id),
        escape(row.value("source", std::string())), escape(row.value("quantity", std::string())),
        escape(row.value("stated", std::string())), escape(row.value("date", std::string())),
        implied, p_value(row, "p_value"), p_value(row, "p_adjusted"),
        num(row, "credibility") ? fmt::format("{:.2f}", *num(row, "credibility"))
                                : std::string("—"));
  }
  page.html += "</tbody></table></div>\n";
}

// Sources left out whole (node-splitting), with their estimated bias as a factor on their figures.
void source_conflicts_table(Page& page, const json& rows) {
  page.html +=
      "<div "
      "class=\"scroll\"><table><thead><tr><th>source</th><th>type</th><th>claims</th><th>p</th>"
      "<th>p adjusted</th><th>bias (90%)</th></tr></thead><tbody>";
  for (const auto& row : rows) {
    if (!row.is_object()) continue;
    std::string bias = "—";
    if (row.contains("bias") && row["bias"].is_object()) {
      const json& b = row["bias"];
      if (num(b, "median") && num(b, "q05") && num(b, "q95"))
        bias = fmt::format("×{:.2f} <span class=\"small\">({:.2f}–{:.2f})</span>",
                           std::exp(*num(b, "median")), std::exp(*num(b, "q05")),
                           std::exp(*num(b, "q95")));
    }
    page.html += fmt::format(
        "<tr{}><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td></tr>",
        flagged(row) ? " class=\"conflict\"" : "", escape(row.value("source", std::string())),
        escape(row.value("type", std::string())), detail::cell(row.value("claims", json::array())),
        p_value(row, "p_value"), p_value(row, "p_adjusted"), bias);
  }
  page.html += "</tbody></table></div>\n";
}

void conflicts_section(Page& page, const ReportInput& in) {
  page.html += "<section id=\"conflicts\"><h2>Conflicts</h2>\n";
  if (!in.fit.is_object() || !in.fit.contains("conflicts") || !in.fit["conflicts"].is_array()) {
    page.html +=
        "<p class=\"missing\">The synthesis did not run: no conflicts were tested.</p></section>\n";
    return;
  }
  if (in.fit.contains("flags") && in.fit["flags"].is_array() && !in.fit["flags"].empty()) {
    page.html +=
        "<h3>What cannot all be true</h3><p>Found before any sampling: whatever the model's "
        "parameters, these "
        "claims contradict each other.</p><ul class=\"flags\">";
    for (const auto& f : in.fit["flags"])
      page.html += "<li>" + escape(f.value("problem", std::string())) + "</li>";
    page.html += "</ul>\n";
  }
  page.html +=
      "<h3>Claims against the rest of the evidence</h3>"
      "<p>For every claim, how surprising it is given all the other evidence (a leave-one-out "
      "posterior "
      "predictive p-value), beside what the rest implies for the same quantity; p-values adjusted "
      "for the "
      "number of claims tested (Benjamini&ndash;Hochberg). Rows in red are in conflict (adjusted p "
      "below "
      "0.05). Credibility is the posterior probability that the claim is not an outlier.</p>\n";
  if (in.fit["conflicts"].empty())
    page.html += "<p>No claim was tested.</p>";
  else
    claim_conflicts_table(page, in.fit["conflicts"]);
  if (in.fit.contains("source_conflicts") && in.fit["source_conflicts"].is_array() &&
      !in.fit["source_conflicts"].empty()) {
    page.html +=
        "<h3>Sources against the rest</h3><p>All of a source's claims left out at once "
        "(node-splitting): a "
        "small p-value says the source as a whole disagrees with everyone else. Bias is the factor "
        "the model puts "
        "on the source's figures (×1.00: none).</p>";
    source_conflicts_table(page, in.fit["source_conflicts"]);
  }
  if (in.fit.contains("unused") && in.fit["unused"].is_array() && !in.fit["unused"].empty()) {
    page.html += "<h3>Claims the model could not use</h3>";
    generic_table(page, in.fit["unused"]);
  }
  page.html += "</section>\n";
}

void claims_section(Page& page, const ReportInput& in, const ConflictIndex& conflicts) {
  page.html += "<section id=\"claims\"><h2>Claims</h2>\n";
  if (in.claims.empty()) {
    page.html += "<p class=\"missing\">The study has no claims.</p></section>\n";
    return;
  }
  page.html += fmt::format(
      "<p>{} claims: every figure the study holds, who stated it, how hedged, as of when, and "
      "whether an analyst has reviewed it. Only accepted (or edited) claims and claims from "
      "curated files enter the synthesis.</p>\n",
      in.claims.size());
  page.html +=
      "<div class=\"scroll\"><table "
      "class=\"claims\"><thead><tr><th>id</th><th>source</th><th>type</th>"
      "<th>measure</th><th>population</th><th>states</th><th>as "
      "of</th><th>hedges</th><th>review</th>"
      "<th>evidence</th><th>from</th></tr></thead><tbody>";
  for (const auto& c : in.claims) {
    const std::string status = claim_status(conflicts, c.id);
    std::string source = escape(c.source.empty() ? c.source_org : c.source);
    if (!c.source.empty() && !c.source_org.empty())
      source += " <span class=\"small\">(" + escape(c.source_org) + ")</span>";
    if (!c.via.empty()) source += " <span class=\"small\">via " + escape(c.via) + "</span>";
    std::string hedges;
    for (auto h : c.hedges) {
      if (!hedges.empty()) hedges += ", ";
      hedges += to_string(h);
    }
    std::string from;
    if (!c.text.empty() || in.documents.contains(c.document))
      from = fmt::format("<a href=\"#{}\">sentence</a>", detail::html_id("src", c.id));
    else if (!c.url.empty())
      from = fmt::format("<a href=\"{}\" rel=\"noreferrer\">article</a>", escape(c.url));
    page.html += fmt::format(
        "<tr class=\"{}\" id=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td "
        "class=\"num\">{}</td>"
        "<td class=\"date\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        status == "in conflict" ? "conflict" : "", detail::html_id("claim", c.id), escape(c.id),
        source, c.source_type ? escape(to_string(*c.source_type)) : "—",
        escape(to_string(c.measure)), escape(c.population.empty() ? "—" : c.population),
        escape(detail::stated(c)), c.as_of ? c.as_of->iso() : "—",
        hedges.empty() ? "—" : escape(hedges), escape(to_string(c.status)), escape(status), from);
  }
  page.html += "</tbody></table></div>\n";
  bool any_excerpt = false;
  for (const auto& c : in.claims)
    if (!c.text.empty() || in.documents.contains(c.document)) any_excerpt = true;
  if (any_excerpt) {
    page.html += "<h3>Where each claim comes from</h3><div class=\"excerpts\">";
    for (const auto& c : in.claims) {
      if (c.text.empty() && !in.documents.contains(c.document)) continue;
      page.html += fmt::format(
          "<blockquote id=\"{}\"><p>{}</p><footer><a href=\"#{}\">{}</a> &middot; {}{}</footer>"
          "</blockquote>",
          detail::html_id("src", c.id), excerpt(c, in.documents), detail::html_id("claim", c.id),
          escape(c.id), escape(c.document.empty() ? c.source_org : c.document),
          c.published ? " &middot; " + c.published->iso() : std::string());
    }
    page.html += "</div>\n";
  }
  page.html += "</section>\n";
}

// The linkage summary as `recount link` writes it (summary.json): aggregate counts only.
void linkage_part(Page& page, const ListSetSection& set, const std::string& id) {
  if (!set.linkage.is_object()) {
    page.html += "<p class=\"missing\">Linkage did not run for these lists.</p>";
    return;
  }
  const json& s = set.linkage;
  page.html += "<h4>Linkage</h4><dl class=\"facts\">";
  const std::pair<const char*, const char*> facts[] = {
      {"records", "records on the lists"},
      {"entities", "distinct people found"},
      {"linked_entities", "people on two or more records"},
      {"largest_entity", "records of the largest"},
      {"candidate_pairs", "candidate pairs compared"},
      {"pairs_above_threshold", "pairs above the threshold"},
      {"threshold", "match threshold (posterior probability)"},
      {"prior_method", "how the match prior was set"}};
  for (const auto& [key, label] : facts)
    if (s.contains(key) && s[key].is_primitive())
      page.html += "<dt>" + escape(label) + "</dt><dd>" + detail::cell(s[key]) + "</dd>";
  page.html += "</dl>";
  for (const char* key : {"warnings", "chosen_automatically"}) {
    const json list = s.value(key, json::array());
    if (!list.is_array() || list.empty()) continue;
    page.html +=
        std::string("<p>") +
        (std::string(key) == "warnings" ? "<strong>Warnings.</strong> " : "Chosen automatically: ");
    for (std::size_t i = 0; i < list.size(); ++i)
      page.html += (i ? "; " : "") +
                   escape(list[i].is_string() ? list[i].get<std::string>() : list[i].dump());
    page.html += "</p>";
  }
  json weights = json::array();
  const json by_field = s.value("field_weights", json::object());
  for (const auto& [field, levels] : by_field.items())
    if (levels.is_object())
      for (const auto& [level, w] : levels.items())
        if (w.is_number())
          weights.push_back({{"label", field + " · " + level}, {"value", w.get<double>()}});
  if (!weights.empty())
    page.chart(id + "-weights", detail::bar_chart("Match weights by field", weights, "log2 weight"),
               "Fellegi&ndash;Sunter weights: how much each field agreeing (or not) at each level "
               "says that two records are one man (log<sub>2</sub> m/u; negative: evidence "
               "against).");
  if (!set.threshold_sweep.empty())
    page.chart(id + "-threshold", detail::threshold_chart(set.threshold_sweep),
               "How the log-linear estimate (line, with its interval) and the number of distinct "
               "people observed (dashed) move with the match threshold: stricter thresholds split "
               "people, the lists seem to overlap less, and the estimate grows.");
}

void names_part(Page& page, const ListSetSection& set, const ReportOptions& options) {
  if (!set.entities.empty()) {
    if (options.show_names) {
      page.html +=
          "<h4>People found on several lists</h4><div "
          "class=\"scroll\"><table><thead><tr><th>entity</th>"
          "<th>records</th></tr></thead><tbody>";
      for (const auto& e : set.entities) {
        std::string records;
        for (const auto& r : e.records) {
          if (!records.empty()) records += "<br>";
          records += escape(r.list + ":" + r.id + " " + r.name);
        }
        page.html += "<tr><td>" + escape(e.entity) + "</td><td>" + records + "</td></tr>";
      }
      page.html += "</tbody></table></div>";
    } else {
      page.html += fmt::format(
          "<p class=\"small\">{} people were found on more than one list. Their names are not "
          "shown; <code>recount run --show-names</code> shows them.</p>",
          set.entities.size());
    }
  }
}

void lists_section(Page& page, const ReportInput& in, const ReportOptions& options) {
  page.html += "<section id=\"lists\"><h2>Lists of names</h2>\n";
  if (in.list_sets.empty()) {
    page.html += "<p class=\"missing\">The study names no lists.</p></section>\n";
    return;
  }
  for (const auto& set : in.list_sets) {
    const std::string id = detail::html_id("lists", set.name);
    page.html +=
        fmt::format("<div class=\"listset{}\" id=\"{}\">", set.demonstration ? " demo" : "", id);
    if (set.demonstration)
      page.html += "<p class=\"demo-label\">Demonstration &middot; synthetic data</p>";
    page.html += "<h3>" + escape(set.name) + "</h3>";
    if (set.demonstration)
      page.html +=
          "<p><b>These lists are invented.</b> recount's own generator made them, with Russian "
          "names, "
          "typos, transliterations and duplicates, to show how linkage and multiple systems "
          "estimation "
          "work. Nothing from them enters the synthesis: no figure above rests on them.</p>";
    if (!set.evidence.empty()) page.html += "<p>" + escape(set.evidence) + "</p>";
    if (set.captures) {
      page.html += "<h4>Overlaps</h4>";
      std::string sizes;
      for (std::size_t l = 0; l < set.captures->lists.size(); ++l) {
        double n = 0;
        for (std::size_t p = 0; p < set.captures->counts.size(); ++p)
          if (p & (1u << l)) n += set.captures->counts[p];
        if (!sizes.empty()) sizes += "; ";
        sizes += escape(set.captures->lists[l]) + " " + detail::number(n);
      }
      page.html +=
          fmt::format("<p>{} distinct people on {} lists ({}).</p>",
                      detail::number(set.captures->observed()), set.captures->lists.size(), sizes);
      page.chart(id + "-upset", detail::upset_chart(*set.captures),
                 "How many people are on exactly each combination of lists (the largest 30 "
                 "combinations).");
    }
    linkage_part(page, set, id);
    names_part(page, set, options);
    page.html += "<h4>Population estimates</h4>";
    if (set.estimates.empty()) {
      page.html +=
          "<p class=\"missing\">Multiple systems estimation did not run for these lists.</p>";
    } else {
      page.chart(id + "-mse", detail::mse_chart(set.estimates),
                 "Each method's estimate of everyone, listed or not, with its interval; dashed: "
                 "the number listed.");
      page.html +=
          "<div class=\"scroll\"><table><thead><tr><th>method</th><th>model</th><th>observed</th>"
          "<th>estimate</th><th>interval</th><th>warnings</th></tr></thead><tbody>";
      for (const auto& e : set.estimates) {
        const json iv = e.value("interval", json::array());
        const std::optional<double> lo =
            iv.is_array() && iv.size() == 2 ? num(json{{"v", iv[0]}}, "v") : std::nullopt;
        const std::optional<double> hi =
            iv.is_array() && iv.size() == 2 ? num(json{{"v", iv[1]}}, "v") : std::nullopt;
        page.html += fmt::format(
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
            "<td class=\"num\">{}</td><td>{}</td></tr>",
            escape(e.value("method", std::string())), escape(e.value("model", std::string())),
            detail::number_json(e.value("observed", json())),
            detail::number_json(e.value("estimate", json())), detail::interval(lo, hi),
            detail::cell(e.value("warnings", json::array())));
      }
      page.html += "</tbody></table></div>";
    }
    page.html += "</div>\n";
  }
  page.html += "</section>\n";
}

void definition_list(Page& page, const json& object) {
  page.html += "<dl class=\"facts\">";
  for (const auto& [key, value] : object.items())
    if (value.is_primitive() ||
        (value.is_array() &&
         std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_primitive(); })))
      page.html += "<dt>" + escape(key) + "</dt><dd>" + detail::cell(value) + "</dd>";
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
  if (in.fit.is_object() && in.fit.contains("diagnostics") && in.fit["diagnostics"].is_object()) {
    any = true;
    page.html +=
        "<h3>Synthesis</h3><p class=\"small\">NUTS, as Stan reports it: split R-hat should be "
        "below 1.01, "
        "bulk and tail effective sample sizes in the hundreds, and no divergent transitions.</p>";
    definition_list(page, in.fit["diagnostics"]);
  }
  for (const auto& set : in.list_sets)
    for (const auto& e : set.estimates)
      if (e.is_object() && e.contains("diagnostics") && e["diagnostics"].is_object() &&
          !e["diagnostics"].empty()) {
        any = true;
        page.html += "<h3>" + escape(set.name + " · " + e.value("method", std::string())) + "</h3>";
        definition_list(page, e["diagnostics"]);
      }
  if (!any) page.html += "<p class=\"missing\">No sampler ran.</p>";
  page.html += "</section>\n";
}

std::string toml_value(const toml::node& node) {
  if (const auto* v = node.as_string()) return std::string(v->get());
  if (const auto* v = node.as_integer()) return std::to_string(v->get());
  if (const auto* v = node.as_floating_point()) return fmt::format("{}", v->get());
  if (const auto* v = node.as_boolean()) return v->get() ? "true" : "false";
  if (const auto* v = node.as_date())
    return fmt::format("{:04}-{:02}-{:02}", v->get().year, v->get().month, v->get().day);
  if (const auto* arr = node.as_array()) {
    std::string out = "[";
    for (const auto& item : *arr) {
      if (out.size() > 1) out += ", ";
      out += toml_value(item);
    }
    return out + "]";
  }
  if (const auto* t = node.as_table()) {
    std::string out = "{";
    for (const auto& [k, v] : *t) {
      if (out.size() > 1) out += ", ";
      out += std::string(k.str()) + " = " + toml_value(v);
    }
    return out + "}";
  }
  std::ostringstream text;  // times and date-times, as TOML writes them
  node.visit([&](const auto& n) { text << n; });
  return text.str();
}

// The comment lines right under each [table] header: the model file's reasons and citations.
std::map<std::string, std::string> header_comments(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  std::string current;
  bool open = false;
  while (std::getline(in, line)) {
    const std::string_view t = trim(line);
    if (t.size() > 2 && t.front() == '[' && t.back() == ']' && t[1] != '[') {
      current = std::string(t.substr(1, t.size() - 2));
      open = true;
    } else if (open && !t.empty() && t.front() == '#') {
      auto& note = out[current];
      if (!note.empty()) note += ' ';
      note += trim(t.substr(1));
    } else if (!t.empty()) {
      open = false;
    }
  }
  return out;
}

// Flattens a table into "key" / "sub.key" -> value text.
void flatten(const toml::table& table, const std::string& prefix,
             std::vector<std::pair<std::string, std::string>>& out) {
  for (const auto& [k, node] : table) {
    const std::string key =
        prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const auto* sub = node.as_table())
      flatten(*sub, key, out);
    else
      out.emplace_back(key, toml_value(node));
  }
}

// The model file as tables: scalars as a list; a table of named tables ([flows.x], [flows.y]) as
// one table with a row each and the comment under its header as its note.
void model_tables(Page& page, const toml::table& table, const std::string& prefix,
                  const std::map<std::string, std::string>& notes) {
  std::string scalars;
  for (const auto& [key, node] : table) {
    if (node.is_table() || node.is_array_of_tables()) continue;
    scalars += "<dt>" + escape(std::string(key.str())) + "</dt><dd><code>" +
               escape(toml_value(node)) + "</code></dd>";
  }
  if (!scalars.empty()) page.html += "<dl class=\"facts\">" + scalars + "</dl>";
  for (const auto& [key, node] : table) {
    const std::string name =
        prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    std::vector<std::pair<std::string, const toml::table*>> rows;
    if (const auto* sub = node.as_table()) {
      const bool collection =
          !sub->empty() && std::all_of(sub->begin(), sub->end(),
                                       [](const auto& kv) { return kv.second.is_table(); });
      if (!collection) {
        page.html += "<h4>" + escape(name) + "</h4>";
        if (const auto n = notes.find(name); n != notes.end())
          page.html += "<p class=\"small\">" + escape(n->second) + "</p>";
        model_tables(page, *sub, name, notes);
        continue;
      }
      for (const auto& [k, v] : *sub)
        rows.emplace_back(std::string(k.str()), v.as_table());
    } else if (const auto* arr = node.as_array(); arr && arr->is_array_of_tables()) {
      for (const auto& item : *arr)
        rows.emplace_back(std::string(), item.as_table());
    } else {
      continue;
    }
    std::vector<std::string> columns;
    std::vector<std::vector<std::pair<std::string, std::string>>> cells;
    bool any_note = false;
    for (const auto& [row_name, t] : rows) {
      cells.emplace_back();
      flatten(*t, "", cells.back());
      for (const auto& [c, v] : cells.back())
        if (std::find(columns.begin(), columns.end(), c) == columns.end()) columns.push_back(c);
      if (notes.contains(name + "." + row_name)) any_note = true;
    }
    page.html +=
        "<h4>" + escape(name) + "</h4><div class=\"scroll\"><table class=\"model\"><thead><tr>";
    if (!rows.front().first.empty()) page.html += "<th>name</th>";
    for (const auto& c : columns)
      page.html += "<th>" + escape(c) + "</th>";
    if (any_note) page.html += "<th>why</th>";
    page.html += "</tr></thead><tbody>";
    for (std::size_t r = 0; r < rows.size(); ++r) {
      page.html += "<tr>";
      if (!rows[r].first.empty())
        page.html += "<td><code>" + escape(rows[r].first) + "</code></td>";
      for (const auto& c : columns) {
        const auto it = std::find_if(cells[r].begin(), cells[r].end(),
                                     [&](const auto& kv) { return kv.first == c; });
        page.html +=
            "<td>" +
            (it != cells[r].end() ? "<code>" + escape(it->second) + "</code>" : std::string("—")) +
            "</td>";
      }
      if (any_note) {
        const auto n = notes.find(name + "." + rows[r].first);
        page.html += "<td class=\"note\">" +
                     (n != notes.end() ? escape(n->second) : std::string()) + "</td>";
      }
      page.html += "</tr>";
    }
    page.html += "</tbody></table></div>";
  }
}

void methods_section(Page& page, const ReportInput& in) {
  page.html += "<section id=\"methods\"><h2>Methods</h2>\n";
  page.html +=
      "<p>The synthesis is a stock-and-flow model of the pipeline on a weekly grid: convicts "
      "recruited from "
      "prisons into the front, and out of it killed, wounded, captured, deserted, or discharged "
      "and returned home. "
      "Every published claim is one observation of a model quantity, with a likelihood on the log "
      "scale that "
      "follows how it was stated (a figure, a range, a bound, an order of magnitude), widened by "
      "its hedges and "
      "by how round its number is. Each source has its own bias and noise, drawn from a prior "
      "shared by its type "
      "(partial pooling), and a small probability of being an outlier. The posterior is sampled by "
      "the No-U-Turn "
      "sampler with reverse-mode automatic differentiation, several chains in parallel. Conflicts "
      "are "
      "leave-one-out posterior predictive checks (PSIS-LOO, with exact refits where the Pareto k "
      "is high).</p>\n"
      "<p>Lists of names are linked into people with Fellegi&ndash;Sunter match weights estimated "
      "by EM, and the "
      "overlaps feed multiple systems estimation: log-linear models chosen by an information "
      "criterion, Bayesian "
      "model averaging over decomposable graphs (Madigan &amp; York 1997) and the latent-class "
      "model of "
      "Manrique-Vallier (2016).</p>\n";
  if (in.model_toml.empty()) {
    page.html += "<p class=\"missing\">The study names no model file.</p></section>\n";
    return;
  }
  page.html += "<h3>The model file <code>" + escape(in.model_file) + "</code></h3>";
  try {
    const toml::table model = toml::parse(in.model_toml, in.model_file);
    model_tables(page, model, "", header_comments(in.model_toml));
  } catch (const toml::parse_error& e) {
    page.html += "<p class=\"missing\">The model file could not be read: " +
                 escape(std::string(e.description())) + "</p>";
  }
  page.html += "<details><summary>The model file as written</summary><pre>" +
               escape(in.model_toml) + "</pre></details></section>\n";
}

void footer(Page& page, const ReportInput& in) {
  page.html += "<footer id=\"reproduce\"><h2>Reproducing this report</h2>";
  page.html += fmt::format(
      "<p>Made by recount {} (plots: {}). Running the same version on the same inputs with the "
      "same seeds gives the same numbers.</p>",
      escape(in.version), escape(web_library_versions()));
  if (!in.seeds.empty()) {
    page.html += "<dl class=\"facts\">";
    for (const auto& [what, seed] : in.seeds)
      page.html += "<dt>seed: " + escape(what) + "</dt><dd><code>" + escape(seed) + "</code></dd>";
    page.html += "</dl>";
  }
  if (!in.input_hashes.empty()) {
    page.html +=
        "<div class=\"scroll\"><table "
        "class=\"hashes\"><thead><tr><th>input</th><th>SHA-256</th></tr></thead><tbody>";
    for (const auto& [path, hash] : in.input_hashes)
      page.html += "<tr><td><code>" + escape(path) + "</code></td><td><code>" + escape(hash) +
                   "</code></td></tr>";
    page.html += "</tbody></table></div>";
  }
  page.html += "</footer>\n";
}

// Embeds every chart, then marks the document so tests (and readers' scripts) know it is done:
// data-charts (how many), data-rendered (how many drew), data-errors (script errors seen).
constexpr const char* kRenderScript = R"js(
(function () {
  var root = document.documentElement;
  var errors = 0;
  function fail(e) { errors += 1; root.setAttribute('data-errors', String(errors)); }
  window.addEventListener('error', fail);
  window.addEventListener('unhandledrejection', fail);
  var specs = JSON.parse(document.getElementById('recount-specs').textContent);
  var ids = Object.keys(specs);
  root.setAttribute('data-charts', String(ids.length));
  root.setAttribute('data-errors', '0');
  var done = 0;
  Promise.all(ids.map(function (id) {
    return vegaEmbed('#' + id, specs[id], { actions: false, renderer: 'svg' }).then(function () {
      done += 1;
      root.setAttribute('data-rendered', String(done));
    }, function (e) {
      fail(e);
      var el = document.getElementById(id);
      el.textContent = 'This chart could not be drawn: ' + e;
      el.className += ' missing';
      console.error(e);
    });
  })).then(function () { root.setAttribute('data-render-done', 'true'); });
})();
)js";

}  // namespace

std::vector<HeadlineFigure> headline(const json& fit, const json& prior,
                                     std::optional<Date> as_of) {
  std::vector<HeadlineFigure> out;
  for (const auto& name : headline_quantities()) {
    const json* series = quantity_series(fit, name);
    if (!series) continue;
    std::string date = as_of ? as_of->iso() : std::string();
    const json& row = date.empty() ? series->back() : *row_at(*series, date);
    HeadlineFigure f;
    f.quantity = name;
    f.date = row.value("date", std::string());
    f.median = num(row, "median").value_or(std::nan(""));
    f.q05 = num(row, "q05").value_or(std::nan(""));
    f.q95 = num(row, "q95").value_or(std::nan(""));
    if (const json* p = quantity_series(prior, name)) {
      const json& prow = *row_at(*p, f.date);
      f.prior_q05 = num(prow, "q05");
      f.prior_q95 = num(prow, "q95");
    }
    out.push_back(f);
  }
  return out;
}

std::string render_html(const ReportInput& in, const ReportOptions& options) {
  const ConflictIndex conflicts = index_conflicts(in.fit);
  Page page;
  stage_banner(page, in.stages);
  headline_section(page, in);
  series_section(page, in, conflicts);
  conflicts_section(page, in);
  claims_section(page, in, conflicts);
  lists_section(page, in, options);
  diagnostics_section(page, in);
  methods_section(page, in);
  footer(page, in);

  std::string out;
  out.reserve(page.html.size() + 900'000);
  out +=
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src "
      "'unsafe-inline' "
      "'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; font-src data:\">\n";
  out += "<title>" + escape(in.title) + "</title>\n<style>\n";
  out += detail::stylesheet();
  out +=
      "</style>\n</head>\n<body>\n<header class=\"title\"><p class=\"kicker\">recount "
      "study</p><h1>" +
      escape(in.title) + "</h1>";
  if (!in.summary.empty()) out += "<p class=\"lede\">" + escape(in.summary) + "</p>";
  out +=
      "<nav><a href=\"#headline\">Headline</a> <a href=\"#series\">Over time</a> <a "
      "href=\"#conflicts\">Conflicts</a> "
      "<a href=\"#claims\">Claims</a> <a href=\"#lists\">Lists</a> <a "
      "href=\"#diagnostics\">Diagnostics</a> "
      "<a href=\"#methods\">Methods</a> <a "
      "href=\"#reproduce\">Reproduce</a></nav></header>\n<main>\n";
  out += page.html;
  out += "</main>\n<script type=\"application/json\" id=\"recount-specs\">";
  out += detail::script_json(page.specs);
  out += "</script>\n<script>";
  out += vega_js();
  out += "</script>\n<script>";
  out += vega_lite_js();
  out += "</script>\n<script>";
  out += vega_embed_js();
  out += "</script>\n<script>";
  out += kRenderScript;
  out += "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace recount::report
