// recount simulate model's generative story: claims of every kind, hedges, rates, sources of
// several types, copies and planted outliers.

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "recount/synthesis/fit.hpp"
#include "small_model.hpp"

namespace recount::synthesis {
namespace {

TEST(Simulate, ClaimsOfEveryKindFromSourcesOfEveryType) {
  const Model m = small_model();
  std::set<ClaimKind> kinds;
  std::set<SourceType> types;
  int hedged = 0, rates = 0, copies = 0;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const Simulation sim = simulate(m, seed, {.claims_per_quantity = 8});
    for (const Claim& c : sim.claims) {
      kinds.insert(c.kind);
      types.insert(*c.source_type);
      hedged += c.hedges.empty() ? 0 : 1;
      rates += c.rate == Rate::none ? 0 : 1;
      copies += c.note.rfind("simulated copy of", 0) == 0 ? 1 : 0;
    }
  }
  EXPECT_EQ(kinds.size(), 6u);
  EXPECT_EQ(types.size(), 4u);
  EXPECT_GE(hedged, 10);
  EXPECT_GE(rates, 3);
  EXPECT_GE(copies, 5);
}

TEST(Simulate, TheTruthNamesEveryParameterAsTheFitDoes) {
  const Simulation sim = simulate(small_model(), 4);
  std::map<std::string, double> p(sim.parameters.begin(), sim.parameters.end());
  for (const char* name :
       {"death", "recruitment.first", "bias[ngo]", "noise[media]", "bias[simulated ngo 1]",
        "outlier_share", "hedge_sd", "approximate_sd", "magnitude_sd"})
    EXPECT_TRUE(p.contains(name)) << name;
  EXPECT_GT(p["outlier_share"], 0);
  EXPECT_LT(p["outlier_share"], 1);
  // The same seed, the same story.
  const Simulation again = simulate(small_model(), 4);
  ASSERT_EQ(again.claims.size(), sim.claims.size());
  for (std::size_t k = 0; k < sim.claims.size(); ++k)
    EXPECT_EQ(again.claims[k].low, sim.claims[k].low);
}

// Copies collapse onto the claim they copy; what is left is one claim per planned figure.
TEST(Simulate, CopiesCollapseOntoTheirOriginal) {
  const Model m = small_model();
  const Simulation sim = simulate(m, 6, {.claims_per_quantity = 8, .repeat_share = 0.5});
  std::size_t copies = 0;
  for (const Claim& c : sim.claims)
    copies += c.note.rfind("simulated copy of", 0) == 0 ? 1 : 0;
  ASSERT_GE(copies, 5u);
  const PreparedEvidence e = prepare_evidence(m, sim.claims, SourceTable{}, std::nullopt);
  std::size_t repeats = 0;
  for (const EvidenceClaim& c : e.claims) {
    repeats += c.repeats.size();
    EXPECT_EQ(c.claim.note.rfind("simulated copy of", 0), std::string::npos) << c.claim.id;
  }
  // Two independent figures can coincide only by chance; every copy is among the repeats.
  EXPECT_GE(repeats, copies);
  EXPECT_EQ(e.claims.size() + repeats + e.unused.size(), sim.claims.size());
}

// Planted outliers are marked, and their figures do not follow the truth: at share 1 every claim
// is one, and their log figures spread over the whole range rather than near the quantities.
TEST(Simulate, PlantedOutliersIgnoreTheTruth) {
  const Model m = small_model();
  const Simulation none = simulate(m, 8, {.claims_per_quantity = 6, .outlier_share = 0.0});
  EXPECT_TRUE(none.outliers.empty());
  const Simulation all =
      simulate(m, 8, {.claims_per_quantity = 6, .repeat_share = 0, .outlier_share = 1.0});
  ASSERT_FALSE(all.claims.empty());
  EXPECT_EQ(all.outliers.size(), all.claims.size());
  // Regular point claims sit within a factor e of the truth far more often than outliers do.
  const auto near_truth = [&](const Simulation& sim) {
    int near = 0, total = 0;
    for (const Claim& c : sim.claims) {
      if (c.kind != ClaimKind::point || c.rate != Rate::none) continue;
      const auto q = std::find_if(m.quantities.begin(), m.quantities.end(), [&](const Quantity& x) {
        return x.population == c.population && x.measure == c.measure;
      });
      const auto& truth = std::find_if(sim.truth.begin(), sim.truth.end(),
                                       [&](const Series& s) { return s.name == q->name; })
                              ->points[static_cast<std::size_t>(m.week_of(*c.as_of))]
                              .median;
      ++total;
      near += std::abs(std::log1p(*c.low) - std::log1p(truth)) < 1 ? 1 : 0;
    }
    return std::pair{near, total};
  };
  int regular_near = 0, regular_total = 0, outlier_near = 0, outlier_total = 0;
  for (std::uint64_t seed = 20; seed < 30; ++seed) {
    const auto [a, b] = near_truth(
        simulate(m, seed, {.claims_per_quantity = 6, .every_kind = false, .outlier_share = 0.0}));
    regular_near += a;
    regular_total += b;
    const auto [c, d] = near_truth(
        simulate(m, seed, {.claims_per_quantity = 6, .every_kind = false, .outlier_share = 1.0}));
    outlier_near += c;
    outlier_total += d;
  }
  ASSERT_GE(regular_total, 50);
  ASSERT_GE(outlier_total, 50);
  EXPECT_GT(regular_near, regular_total * 9 / 10);
  EXPECT_LT(outlier_near, outlier_total / 2);
}

}  // namespace
}  // namespace recount::synthesis
