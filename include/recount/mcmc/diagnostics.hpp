#pragma once
// Convergence diagnostics as users know them from Stan and posterior: rank-normalised split
// R-hat, bulk and tail effective sample size (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021,
// Bayesian Analysis 16:667), Monte Carlo standard error, and E-BFMI (Betancourt 2016).

#include <vector>

namespace recount::mcmc {

// chains[c][i]: draw i of chain c. All chains the same length (at least 4 draws each).
using ChainValues = std::vector<std::vector<double>>;

[[nodiscard]] double split_rhat(const ChainValues& chains);  // max of bulk and folded R-hat
// Split R-hat of chains run in groups, each group on its own target (e.g. one per imputation or
// linkage draw): the between-half-chain and within-half-chain variances of each group, after
// rank normalisation within the group, averaged over the groups, then R-hat from them as
// split_rhat (max of bulk and folded). The groups' targets may differ; only the chains within a
// group are compared, and with many groups the pooled variances are far less noisy than any
// one group's R-hat. Every chain the same length.
[[nodiscard]] double within_group_rhat(const std::vector<ChainValues>& groups);
[[nodiscard]] double ess_bulk(const ChainValues& chains);
[[nodiscard]] double ess_tail(const ChainValues& chains);  // min of the 5% and 95% ESS
// No rank normalisation; `split` false keeps chains whole (as loo's relative_eff).
[[nodiscard]] double ess_basic(const ChainValues& chains, bool split = true);
// R coda's effectiveSize, for comparisons with R packages that report it: per chain, n var(x) /
// S(0), S(0) the spectral density at frequency 0 of a Yule-Walker AR model whose order (up to
// 10 log10 n) is chosen by AIC, as stats::ar; summed over chains. 0 for a constant or linear
// chain, as coda.
[[nodiscard]] double ess_ar_spectrum(const ChainValues& chains);
[[nodiscard]] double quantile(std::vector<double> values, double p);  // type 7, as R's default
[[nodiscard]] double ebfmi(const std::vector<double>& energy);

// CmdStan's summary columns: Mean, MCSE, StdDev, 5%, 50%, 95%, ESS_bulk, ESS_tail, R_hat.
struct Summary {
  double mean = 0;
  double mcse = 0;
  double sd = 0;
  double q05 = 0;
  double q50 = 0;
  double q95 = 0;
  double ess_bulk = 0;
  double ess_tail = 0;
  double rhat = 0;
};
[[nodiscard]] Summary summarize(const ChainValues& chains);

}  // namespace recount::mcmc
