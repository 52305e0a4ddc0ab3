// The report's excess-mortality section: only when the study declares an estimate; the ratios as
// one small chart per band (points observed, the fitted line solid over the baseline and dashed
// beyond it), the figures, and the claim, or why there is none.

#include <string>

#include <gtest/gtest.h>

#include "recount/report/report.hpp"

using nlohmann::json;
using namespace recount;
using namespace recount::report;

namespace {

// Two bands, baseline 2010-2012, 2013 not used, 2014 estimated: the `recount excess --json`
// shape, with invented figures.
json invented_estimate() {
  json ratios = json::array();
  for (const char* ages : {"15-19", "20-24"}) {
    json points = json::array();
    for (int y = 2010; y <= 2014; ++y)
      points.push_back({{"year", y},
                        {"observed", y == 2013 ? json(nullptr) : json(2.0 + 0.01 * (y - 2010))},
                        {"expected", 2.0 + 0.01 * (y - 2010)},
                        {"baseline", y <= 2012}});
    ratios.push_back({{"ages", ages}, {"points", points}});
  }
  const json band = {{"ages", "15-19"},
                     {"excess", 120.0},
                     {"se", 30.0},
                     {"deaths", 2500.0},
                     {"reference_deaths", 1100.0},
                     {"observed_ratio", 2.27},
                     {"expected_ratio", 2.16}};
  return {{"method", "sex-ratio"},
          {"region", ""},
          {"ages", "15-24"},
          {"baseline_years", {2010, 2012}},
          {"estimated_years", {2014, 2014}},
          {"trend", "linear"},
          {"excess_sex", "m"},
          {"reference_sex", "f"},
          {"subtracted", nullptr},
          {"level", 0.95},
          {"degrees_of_freedom", 1},
          {"trusted", true},
          {"warnings", json::array()},
          {"notes", {"band 15-17 overlaps 15-19 and is left out"}},
          {"years",
           {{{"year", 2014},
             {"excess", 240.0},
             {"se", 42.0},
             {"interval", {100.0, 380.0}},
             {"bands", {band}}}}},
          {"total", {{"excess", 240.0}, {"se", 42.0}, {"interval", {100.0, 380.0}}}},
          {"ratios", ratios}};
}

ExcessSection invented_section() {
  ExcessSection s;
  s.name = "harbour";
  s.estimate = excess::excess_estimate_from_json(invented_estimate(), "estimate.json");
  s.target = EstimateTarget{Measure("killed"), "crew", Date::from_ymd(2014, 12, 31),
                            "invented excess", ClaimKind::at_least};
  s.claim = claim_from_estimate(s.target, 100, 380, "excess-harbour", "estimate.json", "");
  return s;
}

// The Vega-Lite specification of the chart with this id.
json spec_of(const std::string& html, const std::string& id) {
  const auto at = html.find("id=\"recount-specs\">");
  const auto start = html.find('>', at) + 1;
  return json::parse(html.substr(start, html.find("</script>", start) - start)).at(id);
}

}  // namespace

TEST(ExcessReport, NoSectionWithoutAnEstimate) {
  const std::string html = render_html(ReportInput{}, ReportOptions{});
  EXPECT_EQ(html.find("id=\"excess\""), std::string::npos);
  EXPECT_EQ(html.find("href=\"#excess\""), std::string::npos);
}

TEST(ExcessReport, RatiosFiguresAndTheClaim) {
  ReportInput in;
  in.excess.push_back(invented_section());
  const std::string html = render_html(in, ReportOptions{});
  EXPECT_NE(html.find("href=\"#excess\""), std::string::npos);
  EXPECT_NE(html.find("<section id=\"excess\">"), std::string::npos);
  EXPECT_NE(html.find("240 ± 42 excess male deaths, ages 15-24, 2014"), std::string::npos);
  EXPECT_NE(html.find("<th>male deaths</th><th>female deaths</th>"), std::string::npos);
  EXPECT_NE(html.find("2.270"), std::string::npos);  // the observed ratio of the band
  EXPECT_NE(html.find("≥ 100"), std::string::npos);
  EXPECT_NE(html.find("<code>excess-harbour</code>"), std::string::npos);
  EXPECT_NE(html.find("Notes:</strong> band 15-17 overlaps"), std::string::npos);
  // No sensitivity grid was computed, so none is shown.
  EXPECT_EQ(html.find("<h4>Sensitivity</h4>"), std::string::npos);

  const json spec = spec_of(html, "excess-harbour-ratios");
  EXPECT_EQ(spec["facet"]["field"], "ages");
  EXPECT_EQ(spec["facet"]["sort"], json({"15-19", "20-24"}));
  const json& values = spec["data"]["values"];
  ASSERT_EQ(values.size(), 10u);
  EXPECT_EQ(values[0]["phase"], "fitted");
  EXPECT_EQ(values[3]["phase"], "not used");
  EXPECT_TRUE(values[3]["observed"].is_null());
  EXPECT_EQ(values[4]["phase"], "estimated");
  // Solid over the baseline, dashed from its last year on, points where there is an observation.
  const json& layers = spec["spec"]["layer"];
  ASSERT_EQ(layers.size(), 3u);
  EXPECT_EQ(layers[0]["transform"][0]["filter"], "datum.phase === 'fitted'");
  EXPECT_EQ(layers[1]["transform"][0]["filter"], "datum.year >= 2012");
  EXPECT_TRUE(layers[1]["mark"].contains("strokeDash"));
  EXPECT_EQ(layers[2]["mark"]["type"], "point");
}

TEST(ExcessReport, NoClaimSaysWhy) {
  ReportInput in;
  ExcessSection s = invented_section();
  s.claim.reset();
  s.estimate.reset();
  in.excess.push_back(s);
  const std::string html = render_html(in, ReportOptions{});
  EXPECT_NE(html.find("The excess-mortality estimate did not run."), std::string::npos);
  EXPECT_NE(html.find("it became no claim"), std::string::npos);
  EXPECT_EQ(html.find("excess-harbour-ratios"), std::string::npos);
}
