// The study file: its keys, its path rules, and the claim an MSE estimate becomes.

#include <gtest/gtest.h>

#include "recount/study/run.hpp"
#include "recount/study/study.hpp"

using namespace recount;
using namespace recount::study;

namespace {

std::string message_of(const std::string& text) {
  try {
    (void)parse_study(text, "s");
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(StudyPaths, StayInsideTheStudy) {
  const Location where{.file = "s/recount.toml", .key = "file"};
  EXPECT_EQ(study_relative("data/./claims.csv", where), "data/claims.csv");
  EXPECT_THROW((void)study_relative("a/b/../c.csv", where),
               Error);  // no ".." at all: simpler to check
  EXPECT_THROW((void)study_relative("/etc/passwd", where), Error);
  EXPECT_THROW((void)study_relative("../other/claims.csv", where), Error);
  EXPECT_THROW((void)study_relative("data/../../x.csv", where), Error);
  EXPECT_THROW((void)study_relative("out/claims/all.csv", where), Error);
  EXPECT_THROW((void)study_relative("", where), Error);
  try {
    (void)study_relative("/data/claims.csv", where);
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("absolute path"), std::string::npos);
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
  }
}

TEST(StudyFile, ReadsEveryPart) {
  const Study s = parse_study(R"(
title = "Convicts"
seed = 42
claims = ["claims.csv"]
[[reports]]
file = "reports/a.txt"
auto_accept = true
[model]
file = "model.toml"
until = 2023-12-08
chains = 2
[[lists]]
name = "obits"
config = "lists/link.toml"
methods = ["loglinear", "lcmcr"]
thresholds = [4, 8.5]
[lists.evidence]
measure = "killed"
population = "convicts"
as_of = 2023-12-01
method = "lcmcr"
[[lists]]
name = "demo"
captures = "demo.csv"
demonstration = true
)",
                              "s");
  EXPECT_EQ(s.title, "Convicts");
  EXPECT_EQ(s.seed, 42u);
  ASSERT_EQ(s.reports.size(), 1u);
  EXPECT_TRUE(s.reports[0].auto_accept);
  ASSERT_TRUE(s.model.has_value());
  EXPECT_EQ(s.model->until, Date::from_ymd(2023, 12, 8));
  EXPECT_EQ(s.model->chains, 2);
  ASSERT_EQ(s.lists.size(), 2u);
  EXPECT_EQ(s.lists[0].methods, (std::vector<std::string>{"loglinear", "lcmcr"}));
  EXPECT_EQ(s.lists[0].thresholds, (std::vector<double>{4, 8.5}));
  ASSERT_TRUE(s.lists[0].evidence.has_value());
  EXPECT_EQ(s.lists[0].evidence->target.measure, Measure("killed"));
  EXPECT_EQ(s.lists[0].evidence->interval, EvidenceInterval::with_linkage_uncertainty);
  EXPECT_EQ(s.lists[0].linkage_draws, default_linkage_draws);
  EXPECT_TRUE(s.lists[1].demonstration);
  EXPECT_EQ(s.lists[1].methods, std::vector<std::string>{"loglinear"});
  EXPECT_EQ(s.ledger(), std::filesystem::path("s") / "recount.db");
}

TEST(StudyFile, ErrorsNameTheLineAndKey) {
  EXPECT_NE(message_of("title = \"x\"\nclaims = [\"/abs/claims.csv\"]\n").find("recount.toml:2"),
            std::string::npos);
  EXPECT_NE(message_of("titel = \"x\"\n").find("unknown key `titel`"), std::string::npos);
  EXPECT_NE(message_of("[model]\nuntil = 2023-12-08\n").find("missing key 'file'"),
            std::string::npos);
  EXPECT_NE(message_of("[[lists]]\nname = \"a\"\ncaptures = \"c.csv\"\nmethods = [\"magic\"]\n")
                .find("magic"),
            std::string::npos);
  EXPECT_NE(message_of("[[lists]]\nname = \"a\"\n").find("either `config`"), std::string::npos);
  EXPECT_NE(
      message_of(
          "[[lists]]\nname = \"a\"\ncaptures = \"c.csv\"\ndemonstration = true\n[lists.evidence]\n"
          "measure = \"killed\"\npopulation = \"convicts\"\nas_of = 2023-01-01\n")
          .find("demonstration"),
      std::string::npos);
  EXPECT_NE(message_of("title = \n").find("recount.toml:1"), std::string::npos);
}

TEST(StudyFile, LinkageDrawsAndTheEvidenceInterval) {
  const std::string head = "[[lists]]\nname = \"a\"\nconfig = \"l.toml\"\n";
  const std::string evidence =
      "[lists.evidence]\nmeasure = \"killed\"\npopulation = \"p\"\nas_of = 2023-01-01\n";
  const Study s =
      parse_study(head + "linkage_draws = 0\n" + evidence + "interval = \"best_linkage\"\n", "s");
  EXPECT_EQ(s.lists[0].linkage_draws, 0u);
  EXPECT_EQ(s.lists[0].evidence->interval, EvidenceInterval::best_linkage);
  EXPECT_EQ(parse_study(head + "linkage_draws = 5\n", "s").lists[0].linkage_draws, 5u);
  // Bad values name the file, the line and the key.
  const std::string one = message_of(head + "linkage_draws = 1\n");
  EXPECT_NE(one.find("recount.toml:4"), std::string::npos) << one;
  EXPECT_NE(one.find("linkage_draws"), std::string::npos) << one;
  EXPECT_NE(message_of(head + "linkage_draws = -3\n").find("at least 0"), std::string::npos);
  EXPECT_NE(message_of(head + "linkage_draws = \"many\"\n").find("linkage_draws"),
            std::string::npos);
  const std::string bad = message_of(head + evidence + "interval = \"widest\"\n");
  EXPECT_NE(bad.find("recount.toml:8"), std::string::npos) << bad;
  EXPECT_NE(bad.find("`widest`"), std::string::npos) << bad;
}

TEST(StudyFile, TheCapOnExactRefits) {
  const std::string head = "[model]\nfile = \"m.toml\"\n";
  EXPECT_EQ(parse_study(head, "s").model->max_refits, 5);
  EXPECT_EQ(parse_study(head + "max_refits = 0\n", "s").model->max_refits, 0);
  const std::string negative = message_of(head + "max_refits = -1\n");
  EXPECT_NE(negative.find("recount.toml:3"), std::string::npos) << negative;
  EXPECT_NE(negative.find("`max_refits` must be at least 0"), std::string::npos) << negative;
}

TEST(StudyFile, LcmcrSettingsOfAListSet) {
  const std::string head = "[[lists]]\nname = \"a\"\ncaptures = \"c.csv\"\n";
  const Study defaults = parse_study(head, "s");
  EXPECT_EQ(defaults.lists[0].lcmcr.chains, 4);
  EXPECT_LT(defaults.lists[0].lcmcr.burnin, 0);  // the defaults of docs/mse.md
  const Study s = parse_study(
      head + "[lists.lcmcr]\nchains = 2\nclasses = 6\nburnin = 500\nsamples = 200\nthin = 5\n",
      "s");
  const mse::LcmcrOptions& l = s.lists[0].lcmcr;
  EXPECT_EQ(l.chains, 2);
  EXPECT_EQ(l.classes, 6);
  EXPECT_EQ(l.burnin, 500);
  EXPECT_EQ(l.samples, 200);
  EXPECT_EQ(l.thin, 5);
  const std::string zero = message_of(head + "[lists.lcmcr]\nthin = 0\n");
  EXPECT_NE(zero.find("recount.toml:5"), std::string::npos) << zero;
  EXPECT_NE(zero.find("`thin` must be at least 1"), std::string::npos) << zero;
  EXPECT_NE(message_of(head + "[lists.lcmcr]\nsweeps = 10\n").find("unknown key `sweeps`"),
            std::string::npos);
  EXPECT_NE(message_of(head + "lcmcr = 3\n").find("`lcmcr` must be a table"), std::string::npos);
}

TEST(StudyFile, StarterStudyIsValid) {
  const Study s = parse_study(starter_study("My study"), "s");
  EXPECT_EQ(s.title, "My study");
  EXPECT_TRUE(s.lists.empty());
  ASSERT_TRUE(s.model.has_value());
  EXPECT_EQ(s.model->file, "model.toml");
  EXPECT_EQ(s.vocabulary.population_label("everyone"), "everyone counted (invented)");
  EXPECT_EQ(s.report.headline,
            (std::vector<std::string>{"everyone.in_service", "everyone.killed"}));
  // Its other files are the ones it names.
  std::vector<std::string> names;
  for (const auto& [name, text] : starter_files("My study"))
    names.push_back(name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"recount.toml", "model.toml", "claims.csv", "sources.toml"}));
}

namespace {

mse::MethodEstimate method_estimate(const std::string& method, std::optional<double> lower,
                                    std::optional<double> upper) {
  mse::MethodEstimate e;
  e.method = method;
  e.total.method = method;
  e.total.level = 0.95;
  e.total.lower = lower;
  e.total.upper = upper;
  return e;
}

mse::LinkageUncertainty with_linkage(std::optional<double> lower, std::optional<double> upper) {
  mse::LinkageUncertainty u;
  u.method = "lcmcr";
  u.lower = lower;
  u.upper = upper;
  u.draws = 20;
  return u;
}

ListSet evidence_set() {
  ListSet set;
  set.name = "obits";
  set.methods = {"loglinear", "lcmcr"};
  set.evidence =
      ListEvidence{EstimateTarget{Measure("killed"), "convicts", Date::from_ymd(2023, 12, 1),
                                  "recount MSE", ClaimKind::range},
                   "lcmcr"};
  return set;
}

}  // namespace

TEST(StudyEvidence, EstimateBecomesARangeClaim) {
  ListSet set = evidence_set();
  const std::vector<mse::MethodEstimate> estimates{method_estimate("loglinear", 800.0, 1000.0),
                                                   method_estimate("lcmcr", 1000.0, 1500.0)};
  const auto claim = estimate_claim(set, estimates);
  ASSERT_TRUE(claim.has_value());
  EXPECT_EQ(claim->kind, ClaimKind::range);
  EXPECT_EQ(claim->low, 1000.0);
  EXPECT_EQ(claim->high, 1500.0);
  EXPECT_EQ(claim->measure, Measure("killed"));
  EXPECT_EQ(claim->source, "recount MSE");
  EXPECT_EQ(claim_problem(*claim), "");
  // No linkage draws: the best linkage's interval, and the note says why.
  EXPECT_NE(claim->note.find("interval of the best linkage (the list set has no linkage draws)"),
            std::string::npos)
      << claim->note;
  // No interval, no claim; a demonstration set never gives one.
  EXPECT_FALSE(estimate_claim(set, {method_estimate("lcmcr", std::nullopt, std::nullopt)}));
  set.demonstration = true;
  EXPECT_FALSE(estimate_claim(set, estimates));
}

TEST(StudyEvidence, TakesTheIntervalWithLinkageUncertaintyUnlessTheStudyChoosesTheOther) {
  ListSet set = evidence_set();
  std::vector<mse::MethodEstimate> estimates{method_estimate("loglinear", 800.0, 1000.0),
                                             method_estimate("lcmcr", 1000.0, 1500.0)};
  estimates[1].with_linkage_uncertainty = with_linkage(900.0, 1700.0);
  // By default the interval with linkage uncertainty, and the note says so.
  auto claim = estimate_claim(set, estimates);
  ASSERT_TRUE(claim.has_value());
  EXPECT_EQ(claim->low, 900.0);
  EXPECT_EQ(claim->high, 1700.0);
  EXPECT_NE(claim->note.find("lcmcr, 0.95 interval with linkage uncertainty, 20 linkage draws"),
            std::string::npos)
      << claim->note;
  // The study chooses the best linkage's.
  set.evidence->interval = EvidenceInterval::best_linkage;
  claim = estimate_claim(set, estimates);
  ASSERT_TRUE(claim.has_value());
  EXPECT_EQ(claim->low, 1000.0);
  EXPECT_EQ(claim->high, 1500.0);
  EXPECT_NE(claim->note.find("0.95 interval of the best linkage)"), std::string::npos)
      << claim->note;
  // Linkage draws that gave no interval: the best linkage's, saying why.
  set.evidence->interval = EvidenceInterval::with_linkage_uncertainty;
  estimates[1].with_linkage_uncertainty = with_linkage(std::nullopt, std::nullopt);
  claim = estimate_claim(set, estimates);
  ASSERT_TRUE(claim.has_value());
  EXPECT_EQ(claim->low, 1000.0);
  EXPECT_NE(claim->note.find("the estimate with linkage uncertainty has no interval"),
            std::string::npos)
      << claim->note;
  // The first method when the study names none.
  set.evidence->method.clear();
  estimates[0].with_linkage_uncertainty = with_linkage(700.0, 1100.0);
  claim = estimate_claim(set, estimates);
  ASSERT_TRUE(claim.has_value());
  EXPECT_EQ(claim->low, 700.0);
  EXPECT_EQ(claim->high, 1100.0);
  EXPECT_NE(claim->note.find("(loglinear, "), std::string::npos) << claim->note;
}

TEST(StudyStages, InOrderWithTheirInputs) {
  const std::filesystem::path root =
      std::filesystem::path(RECOUNT_SOURCE_DIR) / "examples" / "convicts";
  Study s = parse_study(R"(
claims = ["claims.csv"]
[model]
file = "model.toml"
[[lists]]
name = "real"
captures = "real.csv"
[lists.evidence]
measure = "killed"
population = "convicts"
as_of = 2023-12-01
[[lists]]
name = "demo"
captures = "demo.csv"
demonstration = true
[[lists]]
name = "named"
config = "link.toml"
)",
                        root);
  const auto stages = plan_study(s).stages;
  std::vector<std::string> names;
  for (const auto& st : stages)
    names.push_back(st.name);
  EXPECT_EQ(names, (std::vector<std::string>{"claims", "mse/real", "mse/demo", "linkage/named",
                                             "mse/named", "synthesis"}));
  const Stage& synthesis = stages.back();
  // The estimate of the real lists is evidence; the demonstration's never is.
  EXPECT_EQ(synthesis.after, (std::vector<std::string>{"claims", "mse/real"}));
  // The model and the sources table it names are both inputs: editing either re-runs the fit.
  ASSERT_EQ(synthesis.inputs.size(), 2u);
  EXPECT_EQ(synthesis.inputs[0].filename(), "model.toml");
  EXPECT_EQ(synthesis.inputs[1].filename(), "sources.toml");
}
