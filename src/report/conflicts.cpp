// Conflicts: the claims and sources the rest of the evidence contradicts.

#include "sections.hpp"

#include <cmath>

using nlohmann::json;

namespace recount::report::detail {

namespace {

std::string p_value(const json& row, const char* key) {
  const auto v = num(row, key);
  if (!v) return "—";
  if (*v < 0.001) return "&lt;0.001";
  return fmt::format("{:.3f}", *v);
}

// How a row's leave-out was computed (PSIS, moment matching, refit) and, for a refit that
// failed its diagnostics, why: its p-value is then not used.
std::string leave_out_method(const json& row) {
  std::string how = escape(row.value("method", std::string("—")));
  const std::string why = row.value("refit_problems", std::string());
  if (!why.empty()) how += " <span class=\"small\">(" + escape(why) + ")</span>";
  return how;
}

// The synthesis's conflict table (ClaimConflict in JSON), most surprising first.
void claim_conflicts_table(Page& page, const json& rows) {
  page.html +=
      "<div "
      "class=\"scroll\"><table><thead><tr><th>claim</th><th>source</th><th>quantity</"
      "th><th>states</th>"
      "<th>as of</th><th>the rest implies (90%)</th><th>p</th><th>p "
      "adjusted</th><th>credibility</th><th>left out by</th>"
      "</tr></thead><tbody>";
  for (const auto& row : rows) {
    if (!row.is_object()) continue;
    const std::string id = row.value("id", std::string());
    std::string implied = "—";
    if (row.contains("implied") && row["implied"].is_object()) {
      const json& im = row["implied"];
      implied = number(num(im, "median")) + " <span class=\"small\">(" +
                interval(num(im, "q05"), num(im, "q95")) + ")</span>";
    }
    page.html += fmt::format(
        "<tr{}><td><a href=\"#{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td "
        "class=\"date\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td "
        "class=\"num\">{}</td><td>{}</td></tr>",
        flagged(row) ? " class=\"conflict\"" : "", html_id("claim", id), escape(id),
        escape(row.value("source", std::string())), escape(row.value("quantity", std::string())),
        escape(row.value("stated", std::string())), escape(row.value("date", std::string())),
        implied, p_value(row, "p_value"), p_value(row, "p_adjusted"),
        num(row, "credibility") ? fmt::format("{:.2f}", *num(row, "credibility"))
                                : std::string("—"),
        leave_out_method(row));
  }
  page.html += "</tbody></table></div>\n";
}

// Sources left out whole (leave-one-source-out), with their estimated bias as a factor on their
// figures.
void source_conflicts_table(Page& page, const json& rows) {
  page.html +=
      "<div "
      "class=\"scroll\"><table><thead><tr><th>source</th><th>type</th><th>claims</th><th>p</th>"
      "<th>p adjusted</th><th>bias (90%)</th><th>left out by</th></tr></thead><tbody>";
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
        "<td class=\"num\">{}</td><td>{}</td></tr>",
        flagged(row) ? " class=\"conflict\"" : "", escape(row.value("source", std::string())),
        escape(row.value("type", std::string())), cell(row.value("claims", json::array())),
        p_value(row, "p_value"), p_value(row, "p_adjusted"), bias, leave_out_method(row));
  }
  page.html += "</tbody></table></div>\n";
}

}  // namespace

std::optional<double> num(const json& row, const char* key) {
  if (!row.is_object() || !row.contains(key) || !row[key].is_number()) return std::nullopt;
  return row[key].get<double>();
}

bool flagged(const json& row) {
  const auto p = num(row, "p_adjusted");
  return p && *p < 0.05;
}

ConflictIndex index_conflicts(const json& fit) {
  ConflictIndex index;
  if (!fit.is_object() || !fit.contains("conflicts") || !fit["conflicts"].is_array()) return index;
  for (const auto& row : fit["conflicts"]) {
    if (!row.is_object() || !row.contains("id") || !row["id"].is_string()) continue;
    const std::string id = row["id"].get<std::string>();
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

void generic_table(Page& page, const json& rows, const std::set<std::string>& skip) {
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
      page.html += (v.is_number() ? "<td class=\"num\">" : "<td>") + cell(v) + "</td>";
    }
    page.html += "</tr>";
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
        "(leave-one-source-out, by Pareto-smoothed importance sampling, with moment matching or "
        "an exact refit where the Pareto k is too high): a small p-value (Simes over the "
        "source's claims) says the source as a whole disagrees with everyone else. A refit that "
        "fails its diagnostics is shown as such and its p-value is not used. Bias is the factor "
        "the model puts on the source's figures (×1.00: none).</p>";
    source_conflicts_table(page, in.fit["source_conflicts"]);
  }
  if (in.fit.contains("unused") && in.fit["unused"].is_array() && !in.fit["unused"].empty()) {
    page.html += "<h3>Claims the model could not use</h3>";
    generic_table(page, in.fit["unused"]);
  }
  page.html += "</section>\n";
}

}  // namespace recount::report::detail
