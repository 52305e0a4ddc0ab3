#include "recount/mse/loglinear.hpp"

#include <gtest/gtest.h>

#include "mse/reference.hpp"
#include "recount/core/error.hpp"

namespace recount::mse {
namespace {

using testing::dataset;
using testing::three_decimals;
using testing::two_decimals;

TEST(HierarchicalModels, CountsAsRcapture) {
  EXPECT_EQ(all_hierarchical_models(3, 2).size(), 8U);
  EXPECT_EQ(all_hierarchical_models(4, 3).size(), 113U);
  EXPECT_EQ(all_hierarchical_models(5, 4).size(), 6893U);
}

TEST(HierarchicalModels, NamesAreRcapturesAndRoundTrip) {
  const std::vector<std::string> lists = {"EXH", "ABA", "OSCE", "HRW"};
  EXPECT_EQ(model_name(parse_model("[34,123,14]", lists), lists), "[123,14,34]");
  EXPECT_EQ(model_name(parse_model("[]", lists), lists), "[1,2,3,4]");
  EXPECT_EQ(model_name(parse_model("[12]", lists), lists), "[12,3,4]");
  EXPECT_EQ(model_name(parse_model("[EXH:ABA, OSCE:HRW]", lists), lists), "[12,34]");
  for (const HierarchicalModel& m : all_hierarchical_models(4, 3))
    EXPECT_EQ(model_name(parse_model(model_name(m, lists), lists), lists), model_name(m, lists));
  // Beyond nine lists, names joined by ':'.
  std::vector<std::string> many;
  for (int i = 0; i < 10; ++i) {
    std::string name = "L";
    name += std::to_string(i);
    many.push_back(name);
  }
  EXPECT_EQ(model_name(parse_model("[L0:L9,L3]", many), many), "[L0:L9,L1,L2,L3,L4,L5,L6,L7,L8]");
}

TEST(HierarchicalModels, BadModelsAreUsageErrors) {
  const std::vector<std::string> lists = {"A", "B", "C"};
  for (const char* bad : {"12,3", "[14]", "[123]", "[1,,2]", "[A:Z]", "[11]", "[0]"}) {
    try {
      (void)parse_model(bad, lists);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::usage) << bad;
    }
  }
}

TEST(LogLinear, IndependenceReproducesRcapture) {
  for (const auto& ref : testing::loglinear_references()) {
    const CaptureTable table = dataset(ref.dataset);
    const LogLinearFit fit = fit_loglinear(table, parse_model("[]", table.lists), 0.95, true);
    ASSERT_TRUE(fit.identified) << ref.dataset;
    EXPECT_NEAR(*fit.estimate, ref.independence, two_decimals) << ref.dataset;
    EXPECT_NEAR(*fit.lower, ref.independence_lower, two_decimals) << ref.dataset;
    EXPECT_NEAR(*fit.upper, ref.independence_upper, two_decimals) << ref.dataset;
  }
}

TEST(LogLinear, BicSelectionReproducesRcapture) {
  for (const auto& ref : testing::loglinear_references()) {
    const CaptureTable table = dataset(ref.dataset);
    const std::vector<LogLinearFit> fits = search_models(table, Criterion::bic);
    ASSERT_EQ(fits.size(), 113U);
    for (std::size_t i = 0; i < ref.top.size(); ++i) {
      EXPECT_EQ(fits[i].name, ref.top[i].model) << ref.dataset << " rank " << i + 1;
      EXPECT_NEAR(*fits[i].estimate, ref.top[i].estimate, two_decimals) << fits[i].name;
      EXPECT_NEAR(fits[i].bic, ref.top[i].bic, three_decimals) << fits[i].name;
    }
    LogLinearOptions options;
    const MseResult result = estimate_loglinear(table, options);
    EXPECT_EQ(result.model, ref.best);
    EXPECT_TRUE(result.trusted);
    EXPECT_NEAR(*result.estimate, ref.top[0].estimate, two_decimals);
    EXPECT_NEAR(*result.lower, ref.best_lower, two_decimals);
    EXPECT_NEAR(*result.upper, ref.best_upper, two_decimals);
    ASSERT_EQ(result.models.size(), 5U);
    double weights = 0;
    for (const ModelSummary& m : result.models)
      weights += m.weight;
    EXPECT_GT(weights, 0.5);
    EXPECT_LE(weights, 1.0 + 1e-12);
    EXPECT_GT(result.models[0].weight, result.models[1].weight);
  }
}

TEST(LogLinear, SparseTableDropsUnidentifiedModelsAndChoosesIndependence) {
  const CaptureTable table = dataset("artificial_3");
  const MseResult result = estimate_loglinear(table, LogLinearOptions{});
  EXPECT_EQ(result.model, "[1,2,3]");
  ASSERT_TRUE(result.estimate);
  EXPECT_NEAR(*result.estimate, 539.09, two_decimals);
  EXPECT_NEAR(*result.lower, 285.54, two_decimals);
  EXPECT_NEAR(*result.upper, 1267.52, two_decimals);
  EXPECT_TRUE(result.trusted);
  // [12,3], [12,13], [12,23]: no MLE; [12,13,23]: not identifiable.
  ASSERT_EQ(result.diagnostics["models_dropped"].size(), 4U);
  const std::vector<LogLinearFit> fits = search_models(table, Criterion::bic);
  for (const LogLinearFit& f : fits) {
    const bool has_ab = f.name.find("12") != std::string::npos;
    EXPECT_EQ(f.identified, !has_ab) << f.name << ": " << f.reason;
    if (f.name == "[12,13,23]") {
      EXPECT_NE(f.reason.find("not identifiable"), std::string::npos);
    }
    if (f.name == "[12,3]") {
      EXPECT_NE(f.reason.find("no maximum-likelihood"), std::string::npos);
    }
  }
  // AC and BC without AB: the extended MLE (terms with empty overlaps fitted as absent), as
  // Rcapture's [13,23] 296.00 with BIC 46.661.
  const LogLinearFit ac_bc = fit_loglinear(table, parse_model("[13,23]", table.lists), 0.95, false);
  ASSERT_TRUE(ac_bc.identified);
  EXPECT_NEAR(*ac_bc.estimate, 296.00, two_decimals);
  EXPECT_NEAR(ac_bc.bic, 46.661, three_decimals);
  EXPECT_EQ(ac_bc.dropped_terms.size(), 2U);
}

TEST(LogLinear, RequestedUnidentifiedModelGivesNoEstimate) {
  const CaptureTable table = dataset("artificial_3");
  LogLinearOptions options;
  options.model = "[12,3]";
  const MseResult result = estimate_loglinear(table, options);
  EXPECT_FALSE(result.estimate);
  EXPECT_FALSE(result.lower);
  EXPECT_FALSE(result.trusted);
  ASSERT_FALSE(result.warnings.empty());
  EXPECT_NE(result.warnings.front().find("no maximum-likelihood estimate"), std::string::npos);
  EXPECT_EQ(to_json(result)["estimate"], nullptr);
}

TEST(LogLinear, CriteriaFollowTheirDefinitions) {
  const CaptureTable table = dataset("hiv");
  const LogLinearFit fit = fit_loglinear(table, parse_model("[12,3,4]", table.lists), 0.95, false);
  const double p = 6;
  const double n = 1896;
  EXPECT_EQ(fit.parameters, 6U);
  EXPECT_NEAR(fit.aic, -2 * fit.log_likelihood + 2 * p, 1e-9);
  EXPECT_NEAR(fit.bic, -2 * fit.log_likelihood + std::log(n) * p, 1e-9);
  EXPECT_NEAR(fit.aicc, fit.aic + 2 * p * (p + 1) / (n - p - 1), 1e-9);
  LogLinearOptions options;
  options.criterion = Criterion::aic;
  const MseResult by_aic = estimate_loglinear(table, options);
  EXPECT_EQ(by_aic.diagnostics["criterion"], "aic");
  EXPECT_NEAR(by_aic.models.front().criterion, by_aic.diagnostics["aic"].get<double>(), 1e-9);
}

TEST(LogLinear, StepwiseBeyondFiveLists) {
  // Six lists, independent captures with probability 0.3: stepwise search from independence.
  CaptureTable table;
  table.lists = {"A", "B", "C", "D", "E", "F"};
  table.counts.assign(64, 0.0);
  for (Pattern c = 1; c < 64; ++c) {
    const int k = std::popcount(c);
    table.counts[c] = std::round(5000 * std::pow(0.3, k) * std::pow(0.7, 6 - k));
  }
  const MseResult result = estimate_loglinear(table, LogLinearOptions{});
  EXPECT_EQ(result.diagnostics["search"], "stepwise");
  EXPECT_EQ(result.model, "[1,2,3,4,5,6]");
  ASSERT_TRUE(result.estimate);
  EXPECT_NEAR(*result.estimate, 5000, 60);
}

TEST(LogLinear, TwoListsIsLincolnPetersen) {
  CaptureTable table;
  table.lists = {"A", "B"};
  table.counts = {0, 60, 40, 20};  // A only 60, B only 40, both 20
  const MseResult result = estimate_loglinear(table, LogLinearOptions{});
  ASSERT_TRUE(result.estimate);
  // N = n1 n2 / m = 80 * 60 / 20.
  EXPECT_NEAR(*result.estimate, 240, 1e-6);
  EXPECT_EQ(result.model, "[1,2]");
}

}  // namespace
}  // namespace recount::mse
