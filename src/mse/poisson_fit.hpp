#pragma once
// Poisson regression with a log link by iteratively reweighted least squares (Newton's method on
// a concave log-likelihood), the engine of every log-linear capture-recapture model here.

#include <optional>
#include <vector>

#include <Eigen/Dense>

namespace recount::mse::detail {

struct PoissonFit {
  Eigen::VectorXd beta;
  Eigen::VectorXd mu;          // fitted means, one per row of the design
  Eigen::MatrixXd covariance;  // inverse Fisher information at beta
  double deviance = 0;         // 2 sum(y log(y/mu) - (y - mu))
  double log_likelihood = 0;   // sum(y log mu - mu - log y!), as R's dpois(log = TRUE)
  bool converged = false;
};

// Fits log E[y] = X beta step by step as R's glm.fit (start mu = y + 0.1, at most 25 iterations,
// convergence when the deviance changes by less than 1e-8 relatively), so that results, even for
// fits on the boundary, are Rcapture's. `start` (optional) warm-starts Newton from coefficients;
// if that does not converge, the fit is redone from R's start.
[[nodiscard]] PoissonFit fit_poisson(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                     const Eigen::VectorXd* start = nullptr);

// Fienberg & Rinaldo (2012): the maximum-likelihood estimate of a Poisson log-linear model with
// design X (rows are cells) and counts y exists if and only if X'y lies in the relative interior
// of the cone spanned by X's rows, i.e. if some strictly positive mu has X'mu = X'y. Solved as the
// linear program max s subject to X'(sigma + s 1) = X'y, sigma >= 0, s >= 0 (SparseMSE's
// checkident); true when the optimum is positive. Hand-written dense two-phase simplex (Bland's
// rule): the programs have at most 2^15 columns and one row per model term, and no LP library is
// among the project's dependencies.
[[nodiscard]] bool mle_exists(const Eigen::MatrixXd& x, const Eigen::VectorXd& y);

// Column rank of X by a rank-revealing QR.
[[nodiscard]] Eigen::Index column_rank(const Eigen::MatrixXd& x);

}  // namespace recount::mse::detail

namespace recount::mse::detail {

// A profile-likelihood interval for N (Cormack 1992) as Rcapture's closedpCI.t computes it.
struct ProfileInterval {
  std::optional<double> lower;      // none only when the computation failed (see `failed`)
  std::optional<double> upper;      // none: the likelihood does not fall enough (unbounded)
  bool failed = false;              // the profile could not be computed (numbers out of range)
  double multinomial_estimate = 0;  // N maximising the profile multinomial likelihood
  bool lower_at_observed = false;   // the lower end is n, the number observed
};

// `x` and `y` are the design and counts of the observed cells (column 0 the intercept); the
// unobserved cell has the design row (1, 0, ..., 0) and count N - n. For each N the model is
// refitted to the completed table and the multinomial profile log-likelihood is
// -deviance/2 + ct(N) with Cormack's correction ct; the interval is where it is within
// chi2_1(level)/2 of its maximum. `estimate` (the Poisson estimate) sets the search ranges.
[[nodiscard]] ProfileInterval profile_interval(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                               const Eigen::VectorXd& beta, double estimate,
                                               double level);

}  // namespace recount::mse::detail
