#include "../../src/synthesis/density.hpp"

#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "ad/expect_gradient.hpp"

namespace recount::synthesis::detail {
namespace {

Claim claim(const std::string& id, Measure m, const std::string& population, ClaimKind kind,
            double low, double high, const std::string& as_of, SourceType type) {
  Claim c;
  c.id = id;
  c.measure = m;
  c.population = population;
  c.kind = kind;
  if (kind != ClaimKind::at_most) c.low = low;
  if (kind != ClaimKind::at_least) c.high = high;
  c.as_of = c.published = Date::parse_iso(as_of);
  c.source_org = id + " source";
  c.source_type = type;
  return c;
}

PreparedEvidence evidence_for(const Model& m) {
  Claim rate = claim("e", Measure("killed"), "convicts", ClaimKind::at_least, 5, 0, "2023-03-01",
                     SourceType::ngo);
  rate.rate = Rate::day;
  return prepare_evidence(m,
                          {claim("a", Measure("recruited"), "convicts", ClaimKind::approximate,
                                 20000, 20000, "2023-01-01", SourceType::ngo),
                           claim("b", Measure("recruited"), "convicts", ClaimKind::range, 30000,
                                 40000, "2023-06-01", SourceType::media),
                           claim("c", Measure("in_service"), "convicts", ClaimKind::at_most, 0,
                                 5000, "2023-06-01", SourceType::media),
                           claim("d", Measure("killed"), "convicts", ClaimKind::magnitude, 1000,
                                 9999, "2023-06-01", SourceType::third_party_government),
                           rate,
                           claim("f", Measure("killed"), "russian_forces", ClaimKind::approximate,
                                 40000, 40000, "2023-06-01", SourceType::third_party_government),
                           claim("g", Measure("prison_population"), "colonies", ClaimKind::point,
                                 50000, 50000, "2022-06-01", SourceType::belligerent_official)},
                          SourceTable{}, std::nullopt);
}

TEST(Density, GradientMatchesFiniteDifferences) {
  const Model m = small_model();
  const PreparedEvidence e = evidence_for(m);
  ASSERT_EQ(e.claims.size(), 7u);
  const PosteriorDensity density(m, e, true);
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(-1.5, 1.5);
  for (int rep = 0; rep < 3; ++rep) {
    Eigen::VectorXd x(static_cast<Eigen::Index>(density.dimension()));
    for (Eigen::Index k = 0; k < x.size(); ++k)
      x[k] = u(rng);
    const Layout& layout = density.layout();
    ad::testing::expect_gradient(
        [&](std::span<const ad::Var> v) {
          Trajectory<ad::Var> tr;
          return evaluate<ad::Var>(m, layout, e, true, v, tr);
        },
        x, 1e-4);
    // The sampler's entry point agrees with the plain evaluation.
    Eigen::VectorXd g;
    Trajectory<double> tr;
    EXPECT_NEAR(density.log_density(x, g), density.evaluate_double(x, tr, nullptr), 1e-8);
  }
}

TEST(Density, PeopleAreConserved) {
  const Model m = small_model();
  const PreparedEvidence e;
  const PosteriorDensity density(m, e, false);
  Eigen::VectorXd x =
      Eigen::VectorXd::Constant(static_cast<Eigen::Index>(density.dimension()), 0.3);
  Trajectory<double> tr;
  density.evaluate_double(x, tr, nullptr);
  const auto W = static_cast<std::size_t>(m.weeks);
  const auto prison = static_cast<std::size_t>(m.find_stock("prison"));
  const auto front = static_cast<std::size_t>(m.find_stock("front"));
  double killed = 0, returned = 0, recruited = 0;
  for (std::size_t t = 0; t < W; ++t) {
    killed += tr.flow[static_cast<std::size_t>(m.find_flow("killed"))][t];
    returned += tr.flow[static_cast<std::size_t>(m.find_flow("returned"))][t];
    recruited += tr.flow[static_cast<std::size_t>(m.find_flow("recruited"))][t];
  }
  EXPECT_GT(recruited, 1000);
  EXPECT_GT(returned, 0);
  EXPECT_NEAR(tr.stock[prison][W] + tr.stock[front][W] + killed + returned, tr.stock[prison][0],
              1e-6 * tr.stock[prison][0]);
  EXPECT_NEAR(tr.stock[prison][0] - tr.stock[prison][W], recruited, 1e-6 * recruited);
  // Nobody is recruited before the stream starts (March 2022).
  EXPECT_EQ(tr.flow[static_cast<std::size_t>(m.find_flow("recruited"))][5], 0);
}

// Two streams that each ask for more than the pool holds: together they take no more than it
// holds, in proportion to their rates, and the pool never goes below zero.
TEST(Density, RatesOutOfAStockShareItsCap) {
  const Model m = parse_model(R"toml(
name = "pool"
[grid]
start = 2022-01-03
end = 2022-03-28
[parameters.fast]
prior = "lognormal(4.4, 0.01)"
[parameters.slow]
prior = "lognormal(3.7, 0.01)"
[stocks.pool]
initial = 100
[stocks.out]
initial = 0
[flows.a]
from = "pool"
to = "out"
rate = "fast"
[flows.b]
from = "pool"
to = "out"
rate = "slow"
[quantities]
"x.in_service" = "out"
)toml",
                              "pool.toml");
  const PreparedEvidence e;
  const PosteriorDensity density(m, e, false);
  const Eigen::VectorXd x = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(density.dimension()));
  Trajectory<double> tr;
  density.evaluate_double(x, tr, nullptr);
  const auto pool = static_cast<std::size_t>(m.find_stock("pool"));
  const auto a = static_cast<std::size_t>(m.find_flow("a"));
  const auto b = static_cast<std::size_t>(m.find_flow("b"));
  // At the prior medians: R = e^4.4 + e^3.7 asked for, R (1 - exp(-100 / R)) taken.
  const double asked = std::exp(4.4) + std::exp(3.7);
  EXPECT_NEAR(tr.flow[a][0] + tr.flow[b][0], -asked * std::expm1(-100 / asked), 1e-6);
  EXPECT_NEAR(tr.flow[a][0] / tr.flow[b][0], std::exp(4.4 - 3.7), 0.05);
  for (std::size_t t = 0; t <= static_cast<std::size_t>(m.weeks); ++t)
    EXPECT_GE(tr.stock[pool][t], -1e-9) << "week " << t;
}

PreparedEvidence hedged_evidence(const Model& m) {
  Claim hedged = claim("h", Measure("recruited"), "convicts", ClaimKind::point, 31234, 31234,
                       "2023-03-01", SourceType::media);
  hedged.hedges = {Hedge::reportedly, Hedge::estimate};
  Claim once = claim("i", Measure("killed"), "convicts", ClaimKind::at_least, 900, 0, "2023-03-01",
                     SourceType::ngo);
  once.hedges = {Hedge::unverified};
  return prepare_evidence(m,
                          {hedged, once,
                           claim("a", Measure("recruited"), "convicts", ClaimKind::approximate,
                                 20000, 20000, "2023-01-01", SourceType::ngo),
                           claim("d", Measure("killed"), "convicts", ClaimKind::magnitude, 1000,
                                 9999, "2023-06-01", SourceType::third_party_government),
                           claim("g", Measure("prison_population"), "colonies", ClaimKind::point,
                                 50000, 50000, "2022-06-01", SourceType::belligerent_official)},
                          SourceTable{}, std::nullopt);
}

// The widths the wording adds are parameters: each claim's sd is its source's noise, its
// roundness, one hedge width per hedge, and the widths of "about" and of an order of magnitude,
// in quadrature; moving the hedge width moves hedged claims only.
TEST(Density, WordingWidthsAreEstimatedParameters) {
  const Model m = small_model();
  const PreparedEvidence e = hedged_evidence(m);
  ASSERT_EQ(e.claims.size(), 5u);
  const PosteriorDensity density(m, e, true);
  const Layout& layout = density.layout();
  ASSERT_GE(layout.hedge_sd, 0);
  ASSERT_GE(layout.approximate_sd, 0);
  ASSERT_GE(layout.magnitude_sd, 0);
  ASSERT_GE(layout.outlier_share, 0);
  // Evidence without hedges has no hedge width to estimate.
  EXPECT_EQ(make_layout(m, evidence_for(m)).hedge_sd, -1);
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(-1, 1);
  Eigen::VectorXd x(static_cast<Eigen::Index>(density.dimension()));
  for (Eigen::Index k = 0; k < x.size(); ++k)
    x[k] = u(rng);
  Trajectory<double> tr;
  std::vector<ClaimValue> before;
  density.evaluate_double(x, tr, &before);
  EXPECT_NEAR(tr.hedge_sd, std::exp(-2.302585092994046 + 0.5 * x[layout.hedge_sd]), 1e-12);
  for (std::size_t i = 0; i < e.claims.size(); ++i) {
    const EvidenceClaim& c = e.claims[i];
    const double noise = tr.source_noise[static_cast<std::size_t>(c.source)];
    const double var = noise * noise + c.roundness_sd * c.roundness_sd +
                       c.hedges * tr.hedge_sd * tr.hedge_sd +
                       (c.approximate ? tr.approximate_sd * tr.approximate_sd : 0.0) +
                       (c.magnitude ? tr.magnitude_sd * tr.magnitude_sd : 0.0);
    EXPECT_NEAR(before[i].sd, std::sqrt(var), 1e-12) << c.claim.id;
  }
  x[layout.hedge_sd] += 1;
  std::vector<ClaimValue> after;
  density.evaluate_double(x, tr, &after);
  for (std::size_t i = 0; i < e.claims.size(); ++i) {
    if (e.claims[i].hedges > 0)
      EXPECT_GT(after[i].sd, before[i].sd * 1.01) << e.claims[i].claim.id;
    else
      EXPECT_EQ(after[i].sd, before[i].sd) << e.claims[i].claim.id;
  }
}

// The outlier component does not depend on the truth: the mixture minus its regular component is
// the outlier share times the claim's outlier mass, whatever the model's quantities.
TEST(Density, OutlierComponentIsUnrelatedToTheTruth) {
  const Model m = small_model();
  const PreparedEvidence e = hedged_evidence(m);
  const PosteriorDensity density(m, e, true);
  const Layout& layout = density.layout();
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(-1.5, 1.5);
  Eigen::VectorXd x(static_cast<Eigen::Index>(density.dimension()));
  for (Eigen::Index k = 0; k < x.size(); ++k)
    x[k] = u(rng);
  int checked = 0;
  std::vector<double> first_quantities;
  for (int rep = 0; rep < 4; ++rep) {
    // New model parameters; the sources' and the evidence model's stay.
    for (Eigen::Index k = 0; k < layout.type_offset; ++k)
      x[k] = u(rng);
    Trajectory<double> tr;
    std::vector<ClaimValue> v;
    density.evaluate_double(x, tr, &v);
    for (std::size_t i = 0; i < e.claims.size(); ++i) {
      if (rep == 0) first_quantities.push_back(v[i].quantity);
      const double outlier_part =
          v[i].log_lik + std::log1p(-std::exp(v[i].log_regular - v[i].log_lik));
      if (!(v[i].log_lik - v[i].log_regular > 1e-6)) continue;  // too close to tell apart
      ++checked;
      EXPECT_NEAR(outlier_part, tr.log_outlier_share + e.claims[i].outlier_log_mass, 1e-5)
          << e.claims[i].claim.id;
    }
    if (rep > 0) {
      double change = 0;
      for (std::size_t i = 0; i < e.claims.size(); ++i)
        change =
            std::max(change, std::abs(std::log1p(v[i].quantity) - std::log1p(first_quantities[i])));
      EXPECT_GT(change, 0.1);  // the truth did move
    }
  }
  EXPECT_GE(checked, 8);
  // The outlier share's prior: beta(1, 19) at the centre of its coordinate is its mean, 5%.
  x[layout.outlier_share] = 0;
  Trajectory<double> tr;
  density.evaluate_double(x, tr, nullptr);
  EXPECT_NEAR(std::exp(tr.log_outlier_share), 0.05, 1e-12);
  EXPECT_NEAR(std::exp(tr.log_regular_share), 0.95, 1e-12);
}

TEST(Density, ClaimLikelihoodPieces) {
  // A value: the normal density of its log; bounds: the normal probability beyond a soft edge.
  EXPECT_NEAR(claim_log_lik<double>(Bound::value, 1.0, 1.0, 0.0, 1.0), -0.5 - 0.91893853320467274,
              1e-12);
  EXPECT_NEAR(claim_log_lik<double>(Bound::at_least, 0.0, INFINITY, 0.0, 2.0), std::log(0.5),
              1e-12);
  EXPECT_NEAR(claim_log_lik<double>(Bound::at_most, -INFINITY, 1.0, 1.0, 0.5), std::log(0.5),
              1e-12);
  EXPECT_NEAR(
      claim_log_lik<double>(Bound::interval, -1.959963984540054, 1.959963984540054, 0.0, 1.0),
      std::log(0.95), 1e-9);
  // Wider error makes a distant value less surprising.
  EXPECT_GT(claim_log_lik<double>(Bound::value, 3.0, 3.0, 0.0, 2.0),
            claim_log_lik<double>(Bound::value, 3.0, 3.0, 0.0, 1.0));
}

TEST(Density, PriorStandardisedTransformsCarryTheirJacobian) {
  // lp(x) must equal log prior(v(x)) + log |dv/dx| up to a constant: the difference is the same
  // at every x.
  for (const Prior& p :
       {Prior{PriorFamily::halfnormal, 0.3, 0}, Prior{PriorFamily::beta, 2, 30},
        Prior{PriorFamily::gamma, 2, 0.5}, Prior{PriorFamily::exponential, 3, 0},
        Prior{PriorFamily::lognormal, 7, 1.5}, Prior{PriorFamily::normal, 300, 200}}) {
    auto log_prior = [&](double v) {
      ad::tape().clear();
      const ad::Var y = ad::constant(v);
      switch (p.family) {
        case PriorFamily::halfnormal:
          return ad::normal_lpdf(y, 0, p.a).v + std::log(2.0);
        case PriorFamily::beta:
          return ad::beta_lpdf(y, p.a, p.b).v;
        case PriorFamily::gamma:
          return ad::gamma_lpdf(y, p.a, p.b).v;
        case PriorFamily::exponential:
          return ad::exponential_lpdf(y, p.a).v;
        case PriorFamily::lognormal:
          return ad::lognormal_lpdf(y, p.a, p.b).v;
        case PriorFamily::normal:
          return ad::normal_lpdf(y, p.a, p.b).v;
      }
      return 0.0;
    };
    auto difference = [&](double x) {
      double lp = 0;
      double unused = 0;
      const double v = constrain<double>(p, x, lp);
      const double h = 1e-6;
      const double dv =
          (constrain<double>(p, x + h, unused) - constrain<double>(p, x - h, unused)) / (2 * h);
      return lp - log_prior(v) - std::log(std::abs(dv));
    };
    const double d0 = difference(0.0);
    for (double x : {-1.5, -0.5, 0.7, 1.9})
      EXPECT_NEAR(difference(x), d0, 1e-5) << p.str() << " at " << x;
  }
}

}  // namespace
}  // namespace recount::synthesis::detail
#include "small_model.hpp"
