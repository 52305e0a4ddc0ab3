// Lists of names: linkage, overlaps and multiple systems estimates, aggregates only by default.

#include "sections.hpp"

#include "charts.hpp"

using nlohmann::json;

namespace recount::report::detail {

namespace {

// The controls a reader checks before trusting a linkage (summary.json): the blocking's estimated
// pair recall against its target, what was linked outright (rules, labels), what the one-person-
// per-list constraint changed, the records left unlinked as ambiguous, and where each field's
// probabilities came from. Counts only.
void linkage_controls(Page& page, const json& s) {
  std::vector<std::string> items;
  auto count = [](const json& o, const char* key) {
    return o.is_object() && o.contains(key) && o[key].is_number() ? o[key].get<double>() : 0.0;
  };
  if (const json b = s.value("automatic_blocking", json()); b.is_object())
    items.push_back(fmt::format(
        "blocking chosen automatically: estimated pair recall {} against a target of {}{}",
        cell(b.value("estimated_pair_recall", json())), cell(b.value("target_pair_recall", json())),
        b.contains("recall_source") ? " (" + escape(cell(b["recall_source"])) + ")" : ""));
  if (const json o = s.value("linked_outright", json()); o.is_object()) {
    if (count(o, "deterministic_rules") > 0)
      items.push_back(fmt::format("{} pairs linked outright by {} deterministic rules",
                                  cell(o["deterministic_pairs"]), cell(o["deterministic_rules"])));
    if (count(o, "labelled_matches") + count(o, "labelled_non_matches") > 0)
      items.push_back(fmt::format(
          "labelled pairs: {} matches, {} non-matches ({} of these joined all the same)",
          cell(o["labelled_matches"]), cell(o["labelled_non_matches"]),
          cell(o.value("labelled_non_matches_joined", json(0)))));
  }
  if (const json u = s.value("unique_lists", json()); count(u, "components_with_a_conflict") > 0)
    items.push_back(fmt::format(
        "one person per record on a list: {} groups held two records of one list and were split "
        "({} by exact matching, {} by exact partition, {} approximately)",
        cell(u["components_with_a_conflict"]), cell(u.value("exact_bipartite_matching", json(0))),
        cell(u.value("exact_partition", json(0))),
        cell(u.value("approximate_constrained_average_linkage", json(0)))));
  if (const json a = s.value("ambiguous", json()); count(a, "records") > 0) {
    std::string lists;
    const json by_list = a.value("by_list", json::object());
    for (const auto& [list, n] : by_list.items())
      if (n.is_number() && n.get<double>() > 0)
        lists += (lists.empty() ? "" : ", ") + escape(list) + " " + cell(n);
    items.push_back(fmt::format(
        "{} records left unlinked as ambiguous (another person fits them about as well){}",
        cell(a["records"]), lists.empty() ? "" : ": " + lists));
  }
  std::vector<std::string> set_by_hand;
  const json field_sources = s.value("field_sources", json::object());
  for (const auto& [field, source] : field_sources.items())
    if (source.is_object())
      for (const char* key : {"m", "u"})
        if (const std::string from = source.value(key, std::string());
            !from.empty() && from.rfind("em", 0) != 0 && from != "random pairs")
          set_by_hand.push_back(escape(field) + " " + key + ": " + escape(from));
  if (!set_by_hand.empty()) {
    std::string joined;
    for (const auto& x : set_by_hand)
      joined += (joined.empty() ? "" : "; ") + x;
    items.push_back("probabilities not estimated from these lists by EM: " + joined);
  }
  if (items.empty()) return;
  page.html += "<h5>Controls</h5><ul class=\"small\">";
  for (const auto& item : items)
    page.html += "<li>" + item + "</li>";
  page.html += "</ul>";
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
  linkage_controls(page, s);
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

// The linkage draws' facts (summary.json's "linkage_draws", linkage_draws.hpp): aggregates only.
void linkage_draws_part(Page& page, const ListSetSection& set) {
  const json d = set.linkage.is_object() ? set.linkage.value("linkage_draws", json()) : json();
  if (!d.is_object()) return;
  page.html += "<h4>Linkage draws</h4><dl class=\"facts\">";
  const std::pair<const char*, const char*> facts[] = {
      {"draws", "linkages drawn from their posterior"},
      {"chains", "chains"},
      {"rhat_entities", "R-hat of the number of people across chains"},
      {"entities_min", "fewest people in a draw"},
      {"entities_max", "most people in a draw"},
      {"records_sampled", "records whose linkage was sampled"},
      {"components", "groups of candidate pairs sampled"},
      {"components_held", "groups too large, held at the best linkage"},
      {"swap_acceptance", "share of swap proposals accepted"},
      {"seconds", "seconds"}};
  for (const auto& [key, label] : facts)
    if (d.contains(key) && d[key].is_number())
      page.html += "<dt>" + escape(label) + "</dt><dd>" +
                   (std::string(key) == "rhat_entities" || std::string(key) == "swap_acceptance"
                        ? fmt::format("{:.3f}", d[key].get<double>())
                        : cell(d[key])) +
                   "</dd>";
  page.html += "</dl>";
  if (d.contains("method") && d["method"].is_string())
    page.html += "<p class=\"small\">" + escape(d["method"].get<std::string>()) + ".</p>";
  const json warnings = d.value("warnings", json::array());
  if (warnings.is_array() && !warnings.empty())
    page.html += "<p><strong>Warnings.</strong> " + cell(warnings) + "</p>";
}

// What a method's estimate with linkage uncertainty says about itself: its diagnostics for
// people, with the R-hat of the number of people of the linkage draws.
std::string linkage_uncertainty_diagnostics(const mse::LinkageUncertainty& w,
                                            const ListSetSection& set) {
  std::vector<std::string> parts;
  const json& d = w.diagnostics;
  auto fixed = [&](const char* key, const char* label, int decimals) {
    if (d.contains(key) && d[key].is_number())
      parts.push_back(fmt::format("{} {:.{}f}", label, d[key].get<double>(), decimals));
  };
  fixed("share_of_variance_from_linkage", "share of the variance from the linkage", 2);
  fixed("degrees_of_freedom", "degrees of freedom", 1);
  fixed("rhat_max_per_draw", "largest R-hat of N on a draw", 3);
  if (d.contains("estimate_min") && d.contains("estimate_max"))
    parts.push_back("draws' estimates " + interval(num(d, "estimate_min"), num(d, "estimate_max")));
  if (d.contains("median_min") && d.contains("median_max"))
    parts.push_back("draws' medians " + interval(num(d, "median_min"), num(d, "median_max")));
  const json draws = set.linkage.is_object() ? set.linkage.value("linkage_draws", json()) : json();
  if (draws.is_object() && draws.contains("rhat_entities") && draws["rhat_entities"].is_number())
    parts.push_back(
        fmt::format("R-hat of the number of people {:.3f}", draws["rhat_entities"].get<double>()));
  std::string out;
  for (const std::string& p : parts)
    out += (out.empty() ? "" : "; ") + escape(p);
  return out.empty() ? "—" : out;
}

// Each method's estimate on the best linkage beside the one with linkage uncertainty, and which
// of them entered the synthesis (`entered_synthesis` of estimates.json).
void estimates_table(Page& page, const ListSetSection& set) {
  page.html +=
      "<div class=\"scroll\"><table><thead><tr><th>method</th><th>linkage</th><th>model or "
      "rule</th><th>observed</th><th>estimate</th><th>interval</th><th>diagnostics</th>"
      "<th>warnings</th><th>in the synthesis</th></tr></thead><tbody>";
  for (const auto& e : set.estimates) {
    const mse::MseResult& best = e.estimate.total;
    const auto& with = e.estimate.with_linkage_uncertainty;
    page.html += fmt::format(
        "<tr><td{}>{}</td><td>best linkage</td><td>{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td>—</td><td>{}</td><td>{}</td></tr>",
        with ? " rowspan=\"2\"" : "", escape(e.estimate.method), escape(best.model),
        number(best.observed), number(best.estimate), interval(best.lower, best.upper),
        cell(best.warnings),
        e.entered_synthesis == "best_linkage" ? "<strong>this interval</strong>" : "");
    if (!with) continue;
    page.html += fmt::format(
        "<tr class=\"linkage-uncertainty\"><td>with linkage uncertainty ({} draws)</td><td>{}</td>"
        "<td></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td></tr>",
        with->draws, escape(with->rule), number(with->estimate), interval(with->lower, with->upper),
        linkage_uncertainty_diagnostics(*with, set), cell(with->warnings),
        e.entered_synthesis == "with_linkage_uncertainty" ? "<strong>this interval</strong>" : "");
  }
  page.html += "</tbody></table></div>";
}

// The chart's bars: with linkage draws, each method twice (best linkage, with the draws).
std::vector<EstimateBar> chart_bars(const ListSetSection& set) {
  std::vector<EstimateBar> bars;
  for (const auto& e : set.estimates) {
    const mse::MseResult& best = e.estimate.total;
    const auto& with = e.estimate.with_linkage_uncertainty;
    bars.push_back({with ? e.estimate.method + " · best linkage" : e.estimate.method, best.model,
                    best.observed, best.estimate, best.lower, best.upper});
    if (with)
      bars.push_back({e.estimate.method + " · with linkage uncertainty", with->rule, best.observed,
                      with->estimate, with->lower, with->upper});
  }
  return bars;
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
    linkage_draws_part(page, set);
    names_part(page, set, options);
    page.html += "<h4>Population estimates</h4>";
    if (set.estimates.empty()) {
      page.html +=
          "<p class=\"missing\">Multiple systems estimation did not run for these lists.</p>";
    } else {
      page.chart(id + "-mse", mse_chart(chart_bars(set)),
                 "Each method's estimate of everyone, listed or not, with its interval, on the "
                 "best linkage and, where there are linkage draws, with the linkage's uncertainty "
                 "carried in; dashed: the number listed.");
      estimates_table(page, set);
      if (!set.no_linkage_draws.empty())
        page.html += "<p class=\"small\">" + escape(set.no_linkage_draws) + "</p>";
    }
    page.html += "</div>\n";
  }
  page.html += "</section>\n";
}

}  // namespace recount::report::detail
