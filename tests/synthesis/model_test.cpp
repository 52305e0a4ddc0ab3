#include "recount/synthesis/model.hpp"

#include <string>

#include <gtest/gtest.h>

#include "recount/core/error.hpp"

namespace recount::synthesis {
namespace {

const std::string kBase = R"toml(
[grid]
start = 2022-01-01
end = 2022-12-31

[parameters.rate]
prior = "lognormal(5, 1)"

[parameters.hazard]
prior = "beta(2, 30)"

[stocks.prison]
initial = 1000

[stocks.front]
initial = 0

[flows.recruited]
from = "prison"
to = "front"
rate = "rate"

[flows.killed]
from = "front"
hazard = "hazard"

[quantities]
"convicts.recruited" = "recruited"
"convicts.in_service" = "front"
)toml";

// The error message for `text`, or "" when it parses.
std::string error_of(const std::string& text) {
  try {
    (void)parse_model(text, "m.toml");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Model, ParsesTheBasicModel) {
  const Model m = parse_model(kBase, "m.toml");
  EXPECT_EQ(m.weeks, 53);
  EXPECT_EQ(m.stocks.size(), 2u);
  ASSERT_EQ(m.flows.size(), 2u);
  EXPECT_EQ(m.flows[m.find_flow("killed")].kind, FlowKind::hazard);
  ASSERT_GE(m.find_quantity("convicts", Measure("recruited")), 0);
  EXPECT_EQ(
      m.quantities[static_cast<std::size_t>(m.find_quantity("convicts", Measure("recruited")))]
          .name,
      "convicts.recruited");
  EXPECT_TRUE(
      m.quantities[static_cast<std::size_t>(m.find_quantity("convicts", Measure("in_service")))]
          .is_stock);
  EXPECT_EQ(m.week_of(Date::from_ymd(2022, 1, 8)), 1);
  EXPECT_EQ(m.week_end(0).iso(), "2022-01-07");
}

TEST(Model, PriorsParseAndRejectImpossibleParameters) {
  const Location where{.file = "m.toml", .line = 3, .key = "k"};
  EXPECT_EQ(parse_prior("lognormal(7, 1.5)", where).family, PriorFamily::lognormal);
  EXPECT_EQ(parse_prior(" halfnormal( 0.3 ) ", where).a, 0.3);
  EXPECT_EQ(parse_prior("beta(2, 30)", where).b, 30);
  EXPECT_THROW((void)parse_prior("beta(-1, 30)", where), Error);
  EXPECT_THROW((void)parse_prior("normal(0, 0)", where), Error);
  EXPECT_THROW((void)parse_prior("gamma(2)", where), Error);
  EXPECT_THROW((void)parse_prior("cauchy(0, 1)", where), Error);
  EXPECT_THROW((void)parse_prior("lognormal(7, x)", where), Error);
  try {
    (void)parse_prior("halfnormal(-0.3)", where);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("m.toml:3"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("scale must be positive"), std::string::npos) << e.what();
  }
}

TEST(Model, BadInputNamesFileLineAndKey) {
  std::string text = kBase;
  text.replace(text.find("prior = \"beta(2, 30)\""), 21, "prior = \"beta(0, 30)\"");
  std::string e = error_of(text);
  EXPECT_NE(e.find("m.toml:10"), std::string::npos) << e;
  EXPECT_NE(e.find("parameters.hazard.prior"), std::string::npos) << e;

  text = kBase;
  text.replace(text.find("to = \"front\""), 12, "to = \"frnt\"");
  e = error_of(text);
  EXPECT_NE(e.find("unknown stock 'frnt'"), std::string::npos) << e;
  EXPECT_NE(e.find("flows.recruited.to"), std::string::npos) << e;
  EXPECT_NE(e.find("m.toml:20"), std::string::npos) << e;

  e = error_of(kBase + "\n[flows.x]\nfrom = \"front\"\nrate = \"nope\"\n");
  EXPECT_NE(e.find("unknown parameter 'nope'"), std::string::npos) << e;
  e = error_of(kBase + "\n[flows.x]\nfrom = \"front\"\n");
  EXPECT_NE(e.find("exactly one of"), std::string::npos) << e;
  e = error_of(kBase + "\n[flows.x]\nfrom = \"front\"\nrate = \"rate\"\nspeed = 3\n");
  EXPECT_NE(e.find("unknown key 'speed'"), std::string::npos) << e;
  e = error_of("[grid]\nstart = 2022-01-01\nend = 2021-01-01\n[stocks.a]\n");
  EXPECT_NE(e.find("end must come after"), std::string::npos) << e;
  e = error_of("[grid]\nstart = 2022-01-01\nend = \n");
  EXPECT_NE(e.find("m.toml:3"), std::string::npos) << e;
  e = error_of(kBase +
               "\n[parameters.w]\nshape = \"random_walk\"\nfirst = \"normal(0, 1)\"\nstep = "
               "\"halfnormal(0.1)\"\n");
  EXPECT_NE(e.find("positive prior"), std::string::npos) << e;
  e = error_of(kBase +
               "\n[parameters.neg]\nprior = \"normal(0, 1)\"\n[flows.x]\nfrom = \"front\"\nhazard "
               "= \"neg\"\n");
  EXPECT_NE(e.find("a hazard must be positive"), std::string::npos) << e;
  std::string q = kBase;
  q += "\"convicts.nonsense\" = \"front\"\n";
  e = error_of(q);
  EXPECT_NE(e.find("POPULATION.MEASURE"), std::string::npos) << e;
  q = kBase;
  q += "\"convicts.killed\" = [\"killed\", \"front\"]\n";
  e = error_of(q);
  EXPECT_NE(e.find("either stocks"), std::string::npos) << e;
  e = error_of(kBase +
               "\n[parameters.p]\nshape = \"piecewise\"\npriors = [\"beta(1, 2)\"]\n"
               "change_points = [{ name = \"barred\", date = 2022-06-01 }]\n");
  EXPECT_NE(e.find("1 change points make 2 segments, but 1 priors"), std::string::npos) << e;
}

// The evidence model's widths and outlier share are priors; the fixed settings of earlier
// versions are errors naming the key.
TEST(Model, EvidenceSettingsArePriors) {
  const Model m = parse_model(kBase +
                                  "\n[evidence]\noutlier_share = \"beta(2, 38)\"\nhedge_sd = "
                                  "\"lognormal(-2, 0.3)\"\n",
                              "m.toml");
  EXPECT_EQ(m.evidence.outlier_share.family, PriorFamily::beta);
  EXPECT_EQ(m.evidence.outlier_share.b, 38);
  EXPECT_EQ(m.evidence.hedge_sd.a, -2);
  EXPECT_EQ(m.evidence.magnitude_sd.family, PriorFamily::lognormal);  // the default stays
  std::string e = error_of(kBase + "\n[evidence]\noutlier_probability = 0.05\n");
  EXPECT_NE(e.find("outlier_probability"), std::string::npos) << e;
  e = error_of(kBase + "\n[evidence]\noutlier_share = \"normal(0, 1)\"\n");
  EXPECT_NE(e.find("needs a beta prior"), std::string::npos) << e;
  e = error_of(kBase + "\n[evidence]\nhedge_sd = \"normal(0, 1)\"\n");
  EXPECT_NE(e.find("hedge_sd needs a positive prior"), std::string::npos) << e;
}

TEST(Model, DelaysNeedTheirCohortAndMustNotCycle) {
  std::string e = error_of(kBase +
                           "\n[flows.back]\nfrom = \"front\"\nto = \"prison\"\n"
                           "delay = { after = \"killed\", weeks = 4 }\n");
  EXPECT_NE(e.find("does not enter stock 'front'"), std::string::npos) << e;
  const std::string cyclic = kBase + R"toml(
[flows.home]
from = "front"
to = "prison"
delay = { after = "recruited", weeks = 26 }

[flows.back]
from = "prison"
to = "front"
rate = "rate"

[flows.again]
from = "prison"
to = "front"
delay = { after = "home", weeks = 4 }
)toml";
  e = error_of(cyclic);
  EXPECT_NE(e.find("a cycle of delays"), std::string::npos) << e;
  EXPECT_NE(e.find("m.toml:"), std::string::npos) << e;
}

TEST(Model, PiecewiseAndRandomWalkParse) {
  const Model m = parse_model(kBase + R"toml(
[parameters.p]
shape = "piecewise"
priors = ["beta(1, 20)", "beta(1, 40)"]
change_points = [{ name = "barred", date = 2022-06-01 }]

[parameters.w]
shape = "random_walk"
first = "lognormal(7, 1)"
step = "halfnormal(0.1)"
knot_weeks = 4
from = 2022-03-01
until = 2022-09-01
)toml",
                              "m.toml");
  const Parameter& p = m.parameters[static_cast<std::size_t>(m.find_parameter("p"))];
  EXPECT_EQ(p.shape, ParameterShape::piecewise);
  EXPECT_EQ(p.change_names.front(), "barred");
  const Parameter& w = m.parameters[static_cast<std::size_t>(m.find_parameter("w"))];
  EXPECT_EQ(w.shape, ParameterShape::random_walk);
  EXPECT_EQ(w.active_until->iso(), "2022-09-01");
}

TEST(Model, TheFlagshipModelParses) {
  const Model m = read_model(RECOUNT_SOURCE_DIR "/examples/convicts/model.toml");
  EXPECT_GE(m.find_quantity("convicts", Measure("casualties")), 0);
  EXPECT_GE(m.find_quantity("wagner_convicts", Measure("returned")), 0);
  EXPECT_EQ(m.nesting.size(), 2u);
}

// The model reads the study's vocabulary: a measure declared a level must be a stock, a counter
// flows; what the vocabulary leaves undeclared keeps the model's own choice.
TEST(Model, QuantitiesFollowTheVocabularysKinds) {
  const Model m = read_model(RECOUNT_SOURCE_DIR "/tests/synthesis/data/small.toml");
  const Quantity& front =
      m.quantities[static_cast<std::size_t>(m.find_quantity("convicts", Measure("in_service")))];
  const Quantity& killed =
      m.quantities[static_cast<std::size_t>(m.find_quantity("convicts", Measure("killed")))];
  EXPECT_EQ(vocabulary_problem(front, Vocabulary{}), "");
  Vocabulary v;
  v.measures.push_back({Measure("in_service"), "still serving", MeasureKind::counter, {}});
  v.measures.push_back({Measure("killed"), "killed", MeasureKind::counter, {}});
  EXPECT_NE(vocabulary_problem(front, v).find("declares `in_service` a counter"),
            std::string::npos);
  EXPECT_EQ(vocabulary_problem(killed, v), "");
  v.measures.front().kind = MeasureKind::level;
  EXPECT_EQ(vocabulary_problem(front, v), "");
  v.measures.back().kind = MeasureKind::level;
  EXPECT_NE(vocabulary_problem(killed, v).find("maps it to flows"), std::string::npos);
}

}  // namespace
}  // namespace recount::synthesis
