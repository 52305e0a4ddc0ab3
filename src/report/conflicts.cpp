// Conflicts: the claims and sources the rest of the evidence contradicts.

#include "sections.hpp"

#include <cmath>

using nlohmann::json;

namespace recount::report::detail {

namespace {

std::string p_value(double p) {
  if (!std::isfinite(p)) return "—";  // a failed refit's p-value is not used
  if (p < 0.001) return "&lt;0.001";
  return fmt::format("{:.3f}", p);
}

// How a row's leave-out was computed (PSIS, moment matching, refit) and, for a refit that
// failed its diagnostics, why: its p-value is then not used.
std::string leave_out_method(const std::string& method, const std::string& why) {
  std::string how = escape(method.empty() ? std::string("—") : method);
  if (!why.empty()) how += " <span class=\"small\">(" + escape(why) + ")</span>";
  return how;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items)
    out += (out.empty() ? "" : ", ") + escape(item);
  return out;
}

// The synthesis's conflict table, most surprising first.
void claim_conflicts_table(Page& page, const std::vector<synthesis::ClaimConflict>& rows) {
  page.html +=
      "<div "
      "class=\"scroll\"><table><thead><tr><th>claim</th><th>source</th><th>quantity</"
      "th><th>states</th>"
      "<th>as of</th><th>the rest implies (90%)</th><th>p</th><th>p "
      "adjusted</th><th>credibility</th><th>left out by</th>"
      "</tr></thead><tbody>";
  for (const auto& row : rows) {
    const std::string implied = number(finite(row.implied_median)) + " <span class=\"small\">(" +
                                interval(finite(row.implied_q05), finite(row.implied_q95)) +
                                ")</span>";
    page.html += fmt::format(
        "<tr{}><td><a href=\"#{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td "
        "class=\"date\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td "
        "class=\"num\">{}</td><td>{}</td></tr>",
        flagged(row.p_adjusted) ? " class=\"conflict\"" : "", html_id("claim", row.id),
        escape(row.id), escape(row.source), escape(row.quantity), escape(row.stated),
        row.date.iso(), implied, p_value(row.p_value), p_value(row.p_adjusted),
        std::isfinite(row.credibility) ? fmt::format("{:.2f}", row.credibility) : std::string("—"),
        leave_out_method(row.method, row.refit_problems));
  }
  page.html += "</tbody></table></div>\n";
}

// Sources left out whole (leave-one-source-out), with their estimated bias as a factor on their
// figures.
void source_conflicts_table(Page& page, const std::vector<synthesis::SourceConflict>& rows) {
  page.html +=
      "<div "
      "class=\"scroll\"><table><thead><tr><th>source</th><th>type</th><th>claims</th><th>p</th>"
      "<th>p adjusted</th><th>bias (90%)</th><th>left out by</th></tr></thead><tbody>";
  for (const auto& row : rows) {
    std::string bias = "—";
    if (std::isfinite(row.bias_median) && std::isfinite(row.bias_q05) &&
        std::isfinite(row.bias_q95))
      bias = fmt::format("×{:.2f} <span class=\"small\">({:.2f}–{:.2f})</span>",
                         std::exp(row.bias_median), std::exp(row.bias_q05), std::exp(row.bias_q95));
    page.html += fmt::format(
        "<tr{}><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td>{}</td></tr>",
        flagged(row.p_adjusted) ? " class=\"conflict\"" : "", escape(row.source),
        escape(to_string(row.type)), joined(row.claims), p_value(row.p_value),
        p_value(row.p_adjusted), bias, leave_out_method(row.method, row.refit_problems));
  }
  page.html += "</tbody></table></div>\n";
}

}  // namespace

std::optional<double> num(const json& row, const char* key) {
  if (!row.is_object() || !row.contains(key) || !row[key].is_number()) return std::nullopt;
  return row[key].get<double>();
}

std::optional<double> finite(double value) {
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

bool flagged(double p_adjusted) {
  return p_adjusted < 0.05;  // false for NaN: a failed refit flags nothing
}

ConflictIndex index_conflicts(const synthesis::FitSummary* fit) {
  ConflictIndex index;
  if (!fit) return index;
  for (const auto& row : fit->conflicts) {
    index.in_conflict[row.id] = flagged(row.p_adjusted);
    index.quantity[row.id] = row.quantity;
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
    page.html += "<tr>";
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
  if (!in.fit) {
    page.html +=
        "<p class=\"missing\">The synthesis did not run: no conflicts were tested.</p></section>\n";
    return;
  }
  const synthesis::FitSummary& fit = *in.fit;
  if (!fit.flags.empty()) {
    page.html +=
        "<h3>What cannot all be true</h3><p>Found before any sampling: whatever the model's "
        "parameters, these "
        "claims contradict each other.</p><ul class=\"flags\">";
    for (const auto& f : fit.flags)
      page.html += "<li>" + escape(f.problem) + "</li>";
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
  if (fit.conflicts.empty())
    page.html += "<p>No claim was tested.</p>";
  else
    claim_conflicts_table(page, fit.conflicts);
  if (!fit.source_conflicts.empty()) {
    page.html +=
        "<h3>Sources against the rest</h3><p>All of a source's claims left out at once "
        "(leave-one-source-out, by Pareto-smoothed importance sampling, with moment matching or "
        "an exact refit where the Pareto k is too high): a small p-value (Simes over the "
        "source's claims) says the source as a whole disagrees with everyone else. A refit that "
        "fails its diagnostics is shown as such and its p-value is not used. Bias is the factor "
        "the model puts on the source's figures (×1.00: none).</p>";
    source_conflicts_table(page, fit.source_conflicts);
  }
  if (!fit.unused.empty()) {
    page.html += "<h3>Claims the model could not use</h3>";
    page.html +=
        "<div class=\"scroll\"><table><thead><tr><th>id</th><th>reason</th></tr></thead><tbody>";
    for (const auto& u : fit.unused)
      page.html += "<tr><td>" + escape(u.id) + "</td><td>" + escape(u.reason) + "</td></tr>";
    page.html += "</tbody></table></div>\n";
  }
  page.html += "</section>\n";
}

}  // namespace recount::report::detail
