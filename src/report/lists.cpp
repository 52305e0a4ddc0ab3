// Lists of names: linkage, overlaps and multiple systems estimates, aggregates only by default.

#include "sections.hpp"

#include "charts.hpp"

using nlohmann::json;

namespace recount::report::detail {

namespace {

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
      page.html += "<dt>" + escape(label) + "</dt><dd>" + cell(s[key]) + "</dd>";
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
    page.chart(id + "-weights", bar_chart("Match weights by field", weights, "log2 weight"),
               "Fellegi&ndash;Sunter weights: how much each field agreeing (or not) at each level "
               "says that two records are one man (log<sub>2</sub> m/u; negative: evidence "
               "against).");
  if (!set.threshold_sweep.empty())
    page.chart(id + "-threshold", threshold_chart(set.threshold_sweep),
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

}  // namespace

void lists_section(Page& page, const ReportInput& in, const ReportOptions& options) {
  page.html += "<section id=\"lists\"><h2>Lists of names</h2>\n";
  if (in.list_sets.empty()) {
    page.html += "<p class=\"missing\">The study names no lists.</p></section>\n";
    return;
  }
  for (const auto& set : in.list_sets) {
    const std::string id = html_id("lists", set.name);
    page.html +=
        fmt::format("<div class=\"listset{}\" id=\"{}\">", set.demonstration ? " demo" : "", id);
    if (set.demonstration)
      page.html += "<p class=\"demo-label\">Demonstration &middot; synthetic data</p>";
    page.html += "<h3>" + escape(set.name) + "</h3>";
    if (set.demonstration)
      page.html +=
          "<p><b>These lists are invented.</b> recount's own generator made them (invented people, "
          "with typos, transliterations and duplicates) to show how linkage and multiple systems "
          "estimation work. Nothing from them enters the synthesis: no figure above rests on "
          "them.</p>";
    if (!set.evidence.empty()) page.html += "<p>" + escape(set.evidence) + "</p>";
    if (set.captures) {
      page.html += "<h4>Overlaps</h4>";
      std::string sizes;
      for (std::size_t l = 0; l < set.captures->lists.size(); ++l) {
        double n = 0;
        for (std::size_t p = 0; p < set.captures->counts.size(); ++p)
          if (p & (1u << l)) n += set.captures->counts[p];
        if (!sizes.empty()) sizes += "; ";
        sizes += escape(set.captures->lists[l]) + " " + number(n);
      }
      page.html += fmt::format("<p>{} distinct people on {} lists ({}).</p>",
                               number(set.captures->observed()), set.captures->lists.size(), sizes);
      page.chart(id + "-upset", upset_chart(*set.captures),
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
      page.chart(id + "-mse", mse_chart(set.estimates),
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
            number_json(e.value("observed", json())), number_json(e.value("estimate", json())),
            interval(lo, hi), cell(e.value("warnings", json::array())));
      }
      page.html += "</tbody></table></div>";
    }
    page.html += "</div>\n";
  }
  page.html += "</section>\n";
}

}  // namespace recount::report::detail
