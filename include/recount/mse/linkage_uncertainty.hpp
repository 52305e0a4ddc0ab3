#pragma once
// The population estimate with the linkage's uncertainty carried into it (Sadinle 2018, AoAS
// 12(2):1013): each estimator runs on every linkage draw (draws.csv, linkage_draws.hpp), and the
// results are combined.
// - Log-linear: Rubin's (1987, Multiple Imputation for Nonresponse in Surveys, eqs. 3.1.2-3.1.8)
//   rules, the linkage draws taken as imputations of the true captures: the mean estimate,
//   total variance T = W + (1 + 1/K) B (W the mean within-linkage variance, the squared
//   standard errors; B the variance between linkages), and a Student t interval with Rubin's
//   degrees of freedom (K - 1)(1 + W / ((1 + 1/K) B))^2. The same rules on the log scale of the
//   unseen, back-transformed (asymmetric), are in diagnostics.log_scale for comparison.
// - LCMCR and dga: the posterior draws of N of every linkage draw pooled (each linkage weighted
//   equally, a Monte Carlo integration over the posterior of the linkage); the pooled median and
//   equal-tailed interval.
// With strata, each draw's total is formed as `recount mse` forms it (combine_strata for
// log-linear; per-draw sums of the strata's posterior draws for the Bayesian methods).

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "recount/mse/capture_table.hpp"
#include "recount/mse/dga.hpp"
#include "recount/mse/estimate.hpp"
#include "recount/mse/lcmcr.hpp"
#include "recount/mse/loglinear.hpp"

namespace recount::mse {

// Per linkage draw, the captures tables (one per stratum, or one), lists in the given order.
using LinkageDrawTables = std::vector<std::vector<CaptureTable>>;

// Reads draws.csv (`draw,list,id,entity`, optional `stratum`): every list named must be one of
// `lists`; every draw must hold the same records. Bad input names the file and line.
[[nodiscard]] LinkageDrawTables read_linkage_draws(const std::filesystem::path& path,
                                                   const std::vector<std::string>& lists);
[[nodiscard]] LinkageDrawTables parse_linkage_draws(std::string text, const std::string& name,
                                                    const std::vector<std::string>& lists);

struct LinkageUncertainty {
  std::string method;
  std::optional<double> estimate;
  std::optional<double> lower, upper;
  double level = 0.95;
  std::size_t draws = 0;
  std::string rule;  // how the draws were combined
  nlohmann::json diagnostics = nlohmann::json::object();
  std::vector<std::string> warnings;
  bool trusted = true;
};

// {"method", "estimate", "interval": [lo, hi], "draws", "level", "rule", "diagnostics", "warnings",
//  "trusted"}, nulls for absent values: the `with_linkage_uncertainty` entry of estimates.json.
[[nodiscard]] nlohmann::json to_json(const LinkageUncertainty& result);
// to_json's object read back; bad input naming the field.
[[nodiscard]] LinkageUncertainty linkage_uncertainty_from_json(const JsonFields& fields);

// The result for people: "With linkage uncertainty (K draws): estimate, interval", the rule and
// the warnings.
[[nodiscard]] std::string linkage_uncertainty_text(const LinkageUncertainty& result);

// Rubin's rules over the draws' log-linear results (each with an estimate and a standard error);
// the log-scale combination in diagnostics.log_scale.
[[nodiscard]] LinkageUncertainty combine_by_rubin(const std::vector<MseResult>& per_draw,
                                                  double level);

// The pooled posterior of N: per linkage draw, its posterior draws of N.
[[nodiscard]] LinkageUncertainty pool_posteriors(const std::string& method,
                                                 const std::vector<std::vector<double>>& per_draw,
                                                 double level);

struct LinkageUncertaintyOptions {
  LogLinearOptions loglinear;
  DgaOptions dga;
  // Per linkage draw (and stratum): lcmcr_chains_per_draw chains of lcmcr.burnin sweeps each,
  // then lcmcr.samples / draws kept per chain (at least lcmcr_min_samples_per_draw), thinned by
  // lcmcr.thin. lcmcr.burnin, samples and thin < 0 take the per-draw defaults below; classes,
  // priors and seed are lcmcr's.
  LcmcrOptions lcmcr;
  int lcmcr_chains_per_draw = 2;
  std::size_t dga_samples = 4000;  // draws from each linkage's exact dga posterior
  double level = 0.95;
};

// Each linkage draw's LCMCR chains run, by default, 5,000 burn-in sweeps, then keep 300 samples
// thinned by 50 (15,000 sweeps), not the longer run of a single estimate (lcmcr.hpp): there are K
// of them and their draws are pooled over 2K chains. Thinned by 10, as the LCMCR package's lcmCR
// (Manrique-Vallier 2016, Biometrics 72:1246), the chains were too short on three-list tables of
// 2,000 people (their autocorrelation times of N reach 200-900 sweeps): the within-draw R-hat
// pooled over 20 draws was 1.02-1.08 in four replications of
// bench/mse/bayes/linkage_draw_convergence, and as high on one table with no linkage spread;
// thinned by 50, 1.036 (docs/mse.md). The burn-in (5-25 autocorrelation times) and the 300
// samples keep the 20 draws of the flagship's demonstration lists within a minute of `recount
// run` (40 chains of 20,000 sweeps added 36 s on two idle cores, against 80 s with 10,000 burn-in
// and 500 samples); the convergence check below still judges every run.
inline constexpr int lcmcr_burnin_per_draw = 5000;
inline constexpr int lcmcr_thin_per_draw = 50;
inline constexpr int lcmcr_samples_per_draw = 300;
// Samples per chain per linkage draw are at least this, so that each draw's R-hat means something.
inline constexpr int lcmcr_min_samples_per_draw = 100;
// The pooled estimate is untrusted when the within-draw R-hat of N (of each draw's total over its
// strata, the quantity pooled), pooled over the draws (mcmc::within_group_rhat), exceeds this, or
// when the draws' bulk ESS summed is below lcmcr_min_ess. Not an R-hat over chains pooled across
// draws: those differ by the linkage's real spread (1.10-1.14 on the replications above), and not
// the worst of K two-chain R-hats (reported as rhat_max_per_draw): on one table with no spread,
// 2-5 of 20 pairs of chains exceeded 1.1, so the worst of 20 fails by noise alone. Pooled over 20
// or more draws the statistic is steady, and 1.05 separates the chains thinned by 10 (up to 1.08)
// from those five times longer; lcmcr_max_rhat (1.01) needed chains over 20 times longer (1.017
// at thinning 200), too slow to run on every linkage draw.
inline constexpr double lcmcr_max_rhat_within_draws = 1.05;

// Runs `method` ("loglinear", "lcmcr" or "dga") on every draw and combines the results.
[[nodiscard]] LinkageUncertainty estimate_with_linkage_uncertainty(
    const LinkageDrawTables& draws, const std::string& method,
    const LinkageUncertaintyOptions& options);

}  // namespace recount::mse
