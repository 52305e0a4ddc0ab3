#pragma once
// Log-linear models for capture-recapture: Poisson regression on the observed cells of the
// 2^t table (Fienberg 1972, Biometrika 59:591; Cormack 1989, Biometrics 45:395), N = n +
// exp(intercept), profile-likelihood intervals (Cormack 1992), model selection by AIC, AICc or
// BIC over all hierarchical models (up to 5 lists) or stepwise, and identifiability checks
// (Fienberg & Rinaldo 2012, Ann. Statist. 40:996; Chan, Silverman & Vincent 2021, JASA
// 116:1297). Conventions as Rcapture's closedpCI.t and closedpMS.t.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "recount/mse/capture_table.hpp"
#include "recount/mse/estimate.hpp"

namespace recount::mse {

// A hierarchical log-linear model, given by its generators (bit i = list i). Every list has its
// main effect whether or not a generator names it; interaction terms are the generators and all
// their subsets.
struct HierarchicalModel {
  std::vector<Pattern> generators;
};

// Rcapture notation: "[12,13,4]" (list positions, up to nine lists) or names joined by ':' as
// "[LA:NG,PF]"; "[1,2,3]" (or "[]") is independence. Errors (unknown list, repeated list, the
// interaction of all lists, malformed text) throw a usage error.
[[nodiscard]] HierarchicalModel parse_model(std::string_view text,
                                            const std::vector<std::string>& lists);

// The model in Rcapture notation: generators by decreasing order then lexicographically, list
// positions up to nine lists, names joined by ':' beyond.
[[nodiscard]] std::string model_name(const HierarchicalModel& model,
                                     const std::vector<std::string>& lists);

// All non-empty terms of the model (main effects and interactions), by order then value.
[[nodiscard]] std::vector<Pattern> model_terms(const HierarchicalModel& model, std::size_t lists);

// Every hierarchical model with all main effects and interactions of order at most max_order:
// 8 for three lists (max_order 2), 113 for four (3), 6,893 for five (4). Enumerated as the
// down-sets of the interaction terms, so each model is produced once.
[[nodiscard]] std::vector<HierarchicalModel> all_hierarchical_models(std::size_t lists,
                                                                     std::size_t max_order);

enum class Criterion { aic, aicc, bic };
[[nodiscard]] std::string criterion_name(Criterion criterion);

struct LogLinearFit {
  HierarchicalModel model;
  std::string name;
  // Not identified: no maximum-likelihood estimate, or parameters not identifiable; `reason`
  // says which, and no estimate is given.
  bool identified = false;
  std::string reason;
  std::optional<double> estimate;  // n + exp(intercept), Poisson estimate
  std::optional<double> se;        // sqrt(e + e^2 var(intercept)), e = exp(intercept)
  std::optional<double> lower;     // profile-likelihood interval, when asked for
  std::optional<double> upper;     // none when unbounded
  bool interval_computed = false;
  bool boundary = false;               // estimate equal to n with zero standard error
  std::vector<Pattern> dropped_terms;  // terms with an empty margin, fitted as -infinity
  std::size_t parameters = 0;          // intercept + all terms, as Rcapture counts them
  double deviance = 0;
  double log_likelihood = 0;  // Poisson, with the log y! terms (R's dpois)
  double aic = 0;
  double aicc = 0;  // AIC + 2p(p+1)/(n-p-1), n people observed
  double bic = 0;   // -2 log L + p log n, n people observed
  bool converged = true;

  [[nodiscard]] double criterion(Criterion c) const noexcept {
    return c == Criterion::aic ? aic : c == Criterion::aicc ? aicc : bic;
  }
};

// Fits one model. Terms whose margin is empty are dropped with the cells they cover (their
// estimates are -infinity; SparseMSE's buildmodelmatrix); then the remaining design must have
// full column rank (identifiability) and pass the Fienberg-Rinaldo linear program (existence).
[[nodiscard]] LogLinearFit fit_loglinear(const CaptureTable& table, const HierarchicalModel& model,
                                         double level, bool with_interval);

// Fits every hierarchical model (up to five lists, max order lists - 1) or searches stepwise
// (beyond five: from independence, adding or removing one term of order 2 or 3 at a time while
// the criterion improves). Returned sorted: identified models by criterion, then the others.
[[nodiscard]] std::vector<LogLinearFit> search_models(const CaptureTable& table,
                                                      Criterion criterion);

struct LogLinearOptions {
  std::optional<std::string> model;  // fit this model only; otherwise select
  Criterion criterion = Criterion::bic;
  double level = 0.95;
  std::size_t top = 5;  // models reported beside the chosen one
};

// The chosen (or requested) model's estimate and interval, the top models with criterion
// weights, the models dropped and why. A requested model that is not identified gives no
// estimate, the reason in warnings and trusted = false.
[[nodiscard]] MseResult estimate_loglinear(const CaptureTable& table,
                                           const LogLinearOptions& options);

}  // namespace recount::mse
