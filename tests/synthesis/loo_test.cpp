// Conflicts against exact leave-one-out: PSIS, moment matching and refits give what a fit without
// the claim (or the source) gives, and a source planted to disagree is named (statistical; fixed
// seeds).

#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include "recount/synthesis/fit.hpp"

namespace recount::synthesis {
namespace {

const char* const kPlanted = "planted source";

// The tiny model's history and its honest claims (no outliers, no copies), plus three claims of
// one source at 4 times the truth.
struct Case {
  Model model = read_model(RECOUNT_SOURCE_DIR "/tests/synthesis/data/tiny.toml");
  std::vector<Claim> claims;
  Case() {
    const Simulation sim =
        simulate(model, 7, {.claims_per_quantity = 5, .repeat_share = 0, .outlier_share = 0.0});
    claims = sim.claims;
    const std::pair<const char*, int> planted[] = {
        {"convicts.recruited", 20}, {"convicts.killed", 35}, {"convicts.in_service", 45}};
    int n = 0;
    for (const auto& [planted_name, week] : planted) {
      const std::string name = planted_name;  // a binding lambdas can capture
      const auto q = std::find_if(model.quantities.begin(), model.quantities.end(),
                                  [&](const Quantity& x) { return x.name == name; });
      const auto truth = std::find_if(sim.truth.begin(), sim.truth.end(),
                                      [&](const Series& s) { return s.name == name; });
      Claim c;
      c.id = "p" + std::to_string(++n);
      c.measure = q->measure;
      c.population = q->population;
      c.kind = ClaimKind::point;
      c.low = c.high = std::round(4 * truth->points[static_cast<std::size_t>(week)].median);
      c.source_org = kPlanted;
      c.source_type = SourceType::media;
      c.as_of = c.published = model.week_end(week);
      claims.push_back(c);
    }
  }
};

FitOptions options(std::uint64_t seed) {
  FitOptions o;
  o.chains = 4;
  o.warmup = 500;
  o.draws = 500;
  o.seed = seed;
  o.progress = false;
  return o;
}

const ClaimConflict& conflict(const FitResult& r, const std::string& id) {
  return *std::find_if(r.conflicts.begin(), r.conflicts.end(),
                       [&](const ClaimConflict& c) { return c.id == id; });
}

const SourceConflict& source(const FitResult& r, const std::string& name) {
  return *std::find_if(r.source_conflicts.begin(), r.source_conflicts.end(),
                       [&](const SourceConflict& s) { return s.source == name; });
}

// Monte Carlo error. A p-value is a (weighted) mean of Phi(...) values in [0, 1], whose sd is at
// most 0.5: its MC sd is at most 0.5 / sqrt(ESS). With 2,000 draws an exact fit's ESS for it is
// taken as >= 400 (sd <= 0.025) and importance sampling's as >= 100 at k <= 0.7 (sd <= 0.05):
// the difference has sd <= 0.056, and 0.18 is 3.2 of those. The implied median on the log scale
// has MC sd 1.25 sd / sqrt(ESS): <= 0.14 posterior sd for the difference; 0.56 sd is 4 of them.
void expect_agrees(const ClaimConflict& estimate, const ClaimConflict& exact) {
  EXPECT_NEAR(estimate.p_value, exact.p_value, 0.18) << estimate.id << " by " << estimate.method;
  const double sd = (std::log1p(exact.implied_q95) - std::log1p(exact.implied_q05)) / 3.29;
  EXPECT_NEAR(std::log1p(estimate.implied_median), std::log1p(exact.implied_median), 0.56 * sd)
      << estimate.id << " by " << estimate.method;
}

class SynthesisLoo : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    c_ = new Case;
    full_ = new FitResult(fit(c_->model, c_->claims, SourceTable{}, options(1)));
  }
  static void TearDownTestSuite() {
    delete full_;
    delete c_;
  }
  static Case* c_;
  static FitResult* full_;
};
Case* SynthesisLoo::c_ = nullptr;
FitResult* SynthesisLoo::full_ = nullptr;

TEST_F(SynthesisLoo, APlantedSourceIsNamedAndHonestOnesAreNot) {
  const FitResult& r = *full_;
  ASSERT_TRUE(r.diagnostics.max_rhat < 1.02) << r.diagnostics.worst_parameter;
  const SourceConflict& planted = source(r, kPlanted);
  EXPECT_LT(planted.p_adjusted, 0.05);
  EXPECT_EQ(r.source_conflicts.front().source, kPlanted);  // the most surprising source
  for (const SourceConflict& s : r.source_conflicts) {
    if (s.source == kPlanted) continue;
    // Honest sources: under the null, Benjamini-Hochberg keeps false names to 1% at this level.
    EXPECT_GT(s.p_adjusted, 0.01) << s.source;
    EXPECT_FALSE(s.method.empty());
  }
}

// PSIS and moment matching (the full fit as it runs), then claims and a source forced through
// refits (every Pareto k counts as too high, two refits each), each against a fit that holds the
// claim or the source out from the start (exact leave-one-out).
TEST_F(SynthesisLoo, ImportanceSamplingAndRefitsAgreeWithExactLeaveOneOut) {
  const FitResult& r = *full_;
  std::vector<const ClaimConflict*> checked;
  for (const char* method : {"psis", "moment matching"}) {
    const ClaimConflict* worst = nullptr;
    for (const ClaimConflict& c : r.conflicts)
      if (c.method == method && (worst == nullptr || c.pareto_k > worst->pareto_k)) worst = &c;
    ASSERT_NE(worst, nullptr) << "no claim by " << method;
    checked.push_back(worst);
  }
  FitOptions forced = options(1);
  forced.pareto_k_max = 0.0;
  forced.max_refits = 2;
  const FitResult refitted = fit(c_->model, c_->claims, SourceTable{}, forced);
  int refits = 0;
  for (const ClaimConflict& c : refitted.conflicts)
    if (c.method == "refit") {
      ++refits;
      checked.push_back(&c);
    }
  EXPECT_EQ(refits, 2);
  for (const ClaimConflict* c : checked) {
    FitOptions held = options(2);
    held.held_out = {c->id};
    const FitResult exact = fit(c_->model, c_->claims, SourceTable{}, held);
    const ClaimConflict& e = conflict(exact, c->id);
    ASSERT_EQ(e.method, "held out");
    expect_agrees(*c, e);
  }
  // A source through its refit: each of its claims' p-values, and so their Simes combination.
  const auto s = std::find_if(refitted.source_conflicts.begin(), refitted.source_conflicts.end(),
                              [](const SourceConflict& x) { return x.method == "refit"; });
  ASSERT_NE(s, refitted.source_conflicts.end());
  FitOptions held = options(3);
  held.held_out = s->claims;
  const FitResult exact = fit(c_->model, c_->claims, SourceTable{}, held);
  // Both exact: each claim's p-value differs by sd <= 0.035; Simes scales by at most the number of
  // the source's claims.
  EXPECT_NEAR(s->p_value, source(exact, s->source).p_value,
              4 * 0.035 * static_cast<double>(s->claims.size()))
      << s->source;
}

}  // namespace
}  // namespace recount::synthesis
