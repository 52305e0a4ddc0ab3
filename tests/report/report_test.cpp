// The HTML writer: self-contained, names hidden unless asked, problems shown at the top.

#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "recount/report/embedded.hpp"
#include "recount/report/report.hpp"

using nlohmann::json;
using namespace recount;
using namespace recount::report;

namespace {

json series(double scale) {
  json rows = json::array();
  const char* dates[] = {"2023-11-26", "2023-12-03", "2023-12-10", "2023-12-17"};
  for (int i = 0; i < 4; ++i)
    rows.push_back({{"date", dates[i]},
                    {"median", scale * (i + 1)},
                    {"q05", scale * (i + 0.5)},
                    {"q25", scale * (i + 0.8)},
                    {"q75", scale * (i + 1.2)},
                    {"q95", scale * (i + 1.5)}});
  return rows;
}

Claim claim(std::string id, Measure m, ClaimKind kind, double low, double high) {
  Claim c;
  c.id = std::move(id);
  c.measure = m;
  c.population = "convicts";
  c.kind = kind;
  c.low = low;
  c.high = high;
  c.source = "Olga Romanova";
  c.source_org = "Russia Behind Bars";
  c.source_type = SourceType::ngo;
  c.as_of = Date::from_ymd(2023, 12, 8);
  c.published = c.as_of;
  c.document = "doc1";
  c.text = "She said <b>up to 120,000</b> were recruited.";
  c.status = ReviewStatus::accepted;
  return c;
}

ReportInput sample() {
  ReportInput in;
  in.title = "Convicts & the front";
  in.as_of = Date::from_ymd(2023, 12, 8);
  in.version = "9.9.9";
  in.fit = synthesis::fit_summary_from_json(
      json{{"quantities",
            {{"convicts.recruited", series(1000)},
             {"convicts.killed", series(100)},
             {"wagner_convicts.recruited", series(500)},
             {"mod_convicts.recruited", series(500)}}},
           {"conflicts",
            {{{"id", "c1"},
              {"quantity", "convicts.recruited"},
              {"date", "2023-12-08"},
              {"p_adjusted", 0.001}},
             {{"id", "c2"},
              {"quantity", "convicts.killed"},
              {"date", "2023-12-08"},
              {"p_adjusted", 0.6}}}},
           {"unused", json::array()},
           {"diagnostics", {{"max_rhat", 1.003}, {"divergences", 0}}}},
      "fit.json");
  in.prior = synthesis::fit_summary_from_json(
      json{{"quantities", {{"convicts.recruited", series(3000)}}}}, "prior.json");
  in.claims = {claim("c1", Measure("recruited"), ClaimKind::at_most, 0, 120000),
               claim("c2", Measure("killed"), ClaimKind::range, 100, 300)};
  in.claims[0].low.reset();
  ListSetSection lists;
  lists.name = "demo";
  lists.demonstration = true;
  mse::CaptureTable table;
  table.lists = {"A", "B", "C"};
  table.counts = {0, 50, 40, 10, 30, 5, 6, 2};
  lists.captures = table;
  lists.estimates = {{mse::method_estimate_from_json(JsonFields(json{{"method", "loglinear"},
                                                                     {"observed", 143},
                                                                     {"estimate", 210.5},
                                                                     {"interval", {180.0, 260.0}},
                                                                     {"model", "[1,2,3]"},
                                                                     {"warnings", json::array()}},
                                                                "estimates.json")),
                      ""}};
  // As `recount link` writes summary.json, and the study's sweep.json.
  lists.linkage = {{"records", 180},
                   {"entities", 143},
                   {"config", "/home/analyst/secret/link.toml"},
                   {"field_weights",
                    {{"surname", {{"exact", 8.5}, {"different", -6.0}}},
                     {"birth_date", {{"exact", 10.1}, {"swapped day/month", 7.0}}}}},
                   {"warnings", {"EM did not converge in session 2"}}};
  lists.threshold_sweep = {
      {{"threshold", 0.5}, {"observed", 143}, {"estimate", 210.5}, {"lower", 180}, {"upper", 260}},
      {{"threshold", 0.99},
       {"observed", 160},
       {"estimate", nullptr},
       {"lower", nullptr},
       {"upper", nullptr}}};
  lists.entities = {LinkedEntity{
      "e1", {{"obituaries", "17", "Фёдоров Сергей Павлович"}, {"court", "a9", "FEDOROV Sergey"}}}};
  in.list_sets.push_back(lists);
  in.model_file = "model.toml";
  in.model_toml = "name = \"pipeline\"\nstart = 2022-01-03\n[[stock]]\nname = \"front\"\n";
  in.input_hashes = {{"claims.csv", "abc123"}};
  in.seeds = {{"study", "7"}};
  return in;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1))
    ++n;
  return n;
}

}  // namespace

TEST(Report, IsSelfContained) {
  const std::string html = render_html(sample(), {});
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  // The plotting libraries are inlined...
  EXPECT_NE(html.find(vega_js().substr(0, 200)), std::string::npos);
  EXPECT_NE(html.find(vega_lite_js().substr(0, 200)), std::string::npos);
  EXPECT_NE(html.find(vega_embed_js().substr(0, 200)), std::string::npos);
  // ...and nothing is loaded from anywhere: no external scripts, stylesheets, images or fonts,
  // and a content security policy that forbids fetching.
  EXPECT_EQ(html.find("<script src"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  EXPECT_EQ(html.find("url(http"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_NE(html.find("default-src 'none'"), std::string::npos);
}

TEST(Report, EveryChartHasItsSpec) {
  const std::string html = render_html(sample(), {});
  const auto start = html.find("<script type=\"application/json\" id=\"recount-specs\">");
  ASSERT_NE(start, std::string::npos);
  const auto body =
      start + std::string("<script type=\"application/json\" id=\"recount-specs\">").size();
  const json specs = json::parse(html.substr(body, html.find("</script>", body) - body));
  EXPECT_EQ(specs.size(), count(html, "class=\"vega\""));
  EXPECT_TRUE(
      specs.contains("chart-series-convicts_2erecruited"));  // "." would break the CSS selector
  EXPECT_TRUE(specs.contains("lists-demo-upset"));
  EXPECT_TRUE(specs.contains("lists-demo-mse"));
  EXPECT_TRUE(specs.contains("chart-headline"));
  EXPECT_TRUE(specs.contains("lists-demo-weights"));
  EXPECT_TRUE(specs.contains("lists-demo-threshold"));
  EXPECT_EQ(specs["lists-demo-weights"]["data"]["values"].size(), 4u);
}

TEST(Report, LinkageSummaryInWordsWithoutPaths) {
  const std::string html = render_html(sample(), {});
  EXPECT_NE(html.find("distinct people found"), std::string::npos);
  EXPECT_NE(html.find("EM did not converge in session 2"), std::string::npos);
  EXPECT_EQ(html.find("/home/analyst"), std::string::npos);
}

TEST(Report, LinkageControlsAreShownAsCounts) {
  ReportInput in = sample();
  json& s = in.list_sets[0].linkage;
  s["automatic_blocking"] = {{"estimated_pair_recall", 0.993}, {"target_pair_recall", 0.99}};
  s["linked_outright"] = {{"deterministic_rules", 1},
                          {"deterministic_pairs", 12},
                          {"labelled_matches", 0},
                          {"labelled_non_matches", 0}};
  s["ambiguous"] = {{"records", 7}, {"by_list", {{"press", 5}, {"court", 2}}}};
  s["field_sources"] = {{"surname", {{"m", "em (2 sessions)"}, {"u", "random pairs"}}},
                        {"born", {{"m", "fixed in the config"}, {"u", "random pairs"}}}};
  const std::string html = render_html(in, {});
  EXPECT_NE(html.find("estimated pair recall 0.993 against a target of 0.99"), std::string::npos);
  EXPECT_NE(html.find("12 pairs linked outright by 1 deterministic rules"), std::string::npos);
  EXPECT_NE(html.find("7 records left unlinked as ambiguous"), std::string::npos);
  EXPECT_NE(html.find("born m: fixed in the config"), std::string::npos);
  EXPECT_EQ(html.find("surname m:"), std::string::npos);
  EXPECT_EQ(html.find("labelled pairs:"), std::string::npos);
}

TEST(Report, EstimatesWithLinkageUncertaintyBesideTheBestLinkage) {
  ReportInput in = sample();
  ListSetSection& set = in.list_sets.front();
  mse::LinkageUncertainty with;
  with.estimate = 230.0;
  with.lower = 170.0;
  with.upper = 300.0;
  with.draws = 20;
  with.rule = "Rubin (1987): total variance";
  with.diagnostics = {{"share_of_variance_from_linkage", 0.375}};
  with.warnings = {"2 of 20 linkage draws gave no estimate"};
  with.trusted = false;
  set.estimates.front().estimate.with_linkage_uncertainty = with;
  set.estimates.front().entered_synthesis = "with_linkage_uncertainty";
  set.linkage["linkage_draws"] = {{"draws", 20}, {"rhat_entities", 1.0123}, {"warnings", {}}};
  const std::string html = render_html(in, {});
  // Both rows of the method, the draws' rule, diagnostics and warnings, and the one that entered.
  EXPECT_NE(html.find("<td>best linkage</td>"), std::string::npos);
  EXPECT_NE(html.find("with linkage uncertainty (20 draws)"), std::string::npos);
  EXPECT_NE(html.find("Rubin (1987): total variance"), std::string::npos);
  EXPECT_NE(html.find("share of the variance from the linkage 0.38"), std::string::npos);
  EXPECT_NE(html.find("R-hat of the number of people 1.012"), std::string::npos);
  EXPECT_NE(html.find("2 of 20 linkage draws gave no estimate"), std::string::npos);
  EXPECT_NE(html.find("170–300"), std::string::npos);
  EXPECT_EQ(count(html, "<strong>this interval</strong>"), 1u);
  EXPECT_NE(html.find("Linkage draws</h4>"), std::string::npos);
  // The chart draws the method twice: on the best linkage and with the draws.
  const auto start =
      html.find("id=\"recount-specs\">") + std::string("id=\"recount-specs\">").size();
  const json specs = json::parse(html.substr(start, html.find("</script>", start) - start));
  const json& values = specs["lists-demo-mse"]["layer"][0]["data"]["values"];
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values[1]["method"], "loglinear · with linkage uncertainty");
  // Without draws, the reason is said.
  in.list_sets.front().estimates.front().estimate.with_linkage_uncertainty.reset();
  in.list_sets.front().no_linkage_draws = "No linkage draws: given already linked.";
  EXPECT_NE(render_html(in, {}).find("No linkage draws: given already linked."), std::string::npos);
}

TEST(Report, NamesOnlyWhenAsked) {
  const std::string hidden = render_html(sample(), {});
  EXPECT_EQ(hidden.find("Фёдоров"), std::string::npos);
  EXPECT_EQ(hidden.find("FEDOROV"), std::string::npos);
  EXPECT_NE(hidden.find("--show-names"), std::string::npos);
  const std::string shown = render_html(sample(), ReportOptions{true});
  EXPECT_NE(shown.find("Фёдоров Сергей Павлович"), std::string::npos);
  EXPECT_NE(shown.find("FEDOROV Sergey"), std::string::npos);
}

TEST(Report, EscapesTextAndKeepsScriptsClosed) {
  ReportInput in = sample();
  in.claims[0].source = "</script><script>alert(1)</script>";
  const std::string html = render_html(in, {});
  EXPECT_EQ(html.find("<script>alert(1)"), std::string::npos);
  EXPECT_NE(html.find("She said &lt;b&gt;up to 120,000&lt;/b&gt;"), std::string::npos);
  EXPECT_EQ(count(html, "</script>"), 5u);  // the specs, three libraries, the render script
}

TEST(Report, ProblemsAtTheTop) {
  ReportInput in = sample();
  in.stages = {{"claims", StageState::ok, ""},
               {"synthesis", StageState::untrusted, "R-hat 1.2 above 1.01"},
               {"linkage/demo", StageState::failed, "lists/a.csv:3: bad date"}};
  const std::string html = render_html(in, {});
  const auto banner = html.find("id=\"stage-problems\"");
  ASSERT_NE(banner, std::string::npos);
  EXPECT_LT(banner, html.find("id=\"headline\""));
  EXPECT_NE(html.find("R-hat 1.2 above 1.01"), std::string::npos);
  EXPECT_NE(html.find("lists/a.csv:3: bad date"), std::string::npos);
  EXPECT_EQ(render_html(sample(), {}).find("id=\"stage-problems\""), std::string::npos);
}

TEST(Report, MissingStagesSaySo) {
  ReportInput in = sample();
  in.fit.reset();
  in.list_sets.front().estimates.clear();
  const std::string html = render_html(in, {});
  EXPECT_NE(html.find("The synthesis did not run"), std::string::npos);
  EXPECT_NE(html.find("Multiple systems estimation did not run"), std::string::npos);
}

TEST(Report, HeadlineAtTheWeekOfAsOf) {
  const ReportInput in = sample();
  const auto figures = headline(&*in.fit, &*in.prior, in.as_of,
                                {"convicts.recruited", "convicts.killed", "convicts.wounded"});
  ASSERT_EQ(figures.size(), 2u);  // recruited and killed are in the fit
  EXPECT_EQ(figures[0].quantity, "convicts.recruited");
  EXPECT_EQ(figures[0].date, "2023-12-10");  // the week containing 2023-12-08
  EXPECT_DOUBLE_EQ(figures[0].median, 3000);
  ASSERT_TRUE(figures[0].prior_q05.has_value());
  EXPECT_DOUBLE_EQ(*figures[0].prior_q05, 3000 * 2.5);
  EXPECT_FALSE(figures[1].prior_q05.has_value());
}

TEST(Report, ClaimsTableAndConflicts) {
  const std::string html = render_html(sample(), {});
  EXPECT_NE(html.find("≤ 120,000"), std::string::npos);
  EXPECT_NE(html.find("100–300"), std::string::npos);
  EXPECT_NE(html.find("href=\"#src-c1\""), std::string::npos);
  EXPECT_NE(html.find("id=\"src-c1\""), std::string::npos);
  EXPECT_NE(html.find("<tr class=\"conflict\" id=\"claim-c1\">"), std::string::npos);
  EXPECT_NE(html.find("Demonstration"), std::string::npos);
  EXPECT_NE(html.find("abc123"), std::string::npos);
}

TEST(Report, SourceConflictsAreLeaveOneSourceOutAndFailedRefitsSaySo) {
  ReportInput in = sample();
  synthesis::SourceConflict failed;
  failed.source = "Outlet A";
  failed.claims = {"c1"};
  failed.p_value = failed.p_adjusted = std::nan("");
  failed.method = "refit failed";
  failed.refit_problems = "R-hat of x 1.08";
  in.fit->source_conflicts = {failed};
  const std::string html = render_html(in, {});
  EXPECT_NE(html.find("leave-one-source-out"), std::string::npos);
  EXPECT_EQ(html.find("node-splitting"), std::string::npos);
  EXPECT_NE(html.find("refit failed <span class=\"small\">(R-hat of x 1.08)</span>"),
            std::string::npos);
}

TEST(Report, ExcerptMarksTheQuantityInItsDocument) {
  ReportInput in = sample();
  const std::string doc = "First sentence. Osechkin said 120,000 men went. Last one.";
  in.documents["doc1"] = doc;
  in.claims[0].start = doc.find("120,000");
  in.claims[0].end = *in.claims[0].start + 7;
  const std::string html = render_html(in, {});
  EXPECT_NE(html.find("Osechkin said <mark>120,000</mark> men went."), std::string::npos);
  EXPECT_EQ(html.find("First sentence. Osechkin"), std::string::npos);
}
