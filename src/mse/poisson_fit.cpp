#include "poisson_fit.hpp"

#include <cmath>
#include <limits>

#include <boost/math/constants/constants.hpp>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/tools/minima.hpp>
#include <boost/math/tools/roots.hpp>

namespace recount::mse::detail {

namespace {

double deviance_of(const Eigen::VectorXd& y, const Eigen::VectorXd& mu) {
  double dev = 0;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    const double term = y[i] > 0 ? y[i] * std::log(y[i] / mu[i]) : 0.0;
    dev += 2 * (term - (y[i] - mu[i]));
  }
  return dev;
}

// IRLS as R's glm.fit (Poisson family, log link): from the start's means, at most 25 iterations,
// step halving only when the deviance is not finite, convergence when |dev - dev_old| /
// (|dev| + 0.1) < 1e-8, and the covariance from the weights of the last least-squares step (as
// summary.glm). Following R step by step makes fits on the boundary stop where Rcapture's do.
PoissonFit fit_poisson_from(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                            std::optional<Eigen::VectorXd> start_beta, Eigen::VectorXd eta,
                            Eigen::VectorXd mu) {
  const Eigen::Index p = x.cols();
  PoissonFit fit;
  fit.beta = start_beta ? *start_beta : Eigen::VectorXd::Zero(p);
  double dev_old = deviance_of(y, mu);
  double dev = dev_old;
  Eigen::MatrixXd xtwx(p, p);
  Eigen::LDLT<Eigen::MatrixXd> solver;
  bool have_previous = start_beta.has_value();
  for (int iter = 0; iter < 25; ++iter) {
    // IRLS step (McCullagh & Nelder 1989, 2.5): weights mu, working response eta + (y - mu)/mu.
    const Eigen::VectorXd z = eta.array() + (y - mu).array() / mu.array();
    const Eigen::MatrixXd wx = x.array().colwise() * mu.array();
    xtwx.noalias() = x.transpose() * wx;
    solver.compute(xtwx);
    Eigen::VectorXd beta = solver.solve(wx.transpose() * z);
    if (!beta.allFinite()) break;
    Eigen::VectorXd new_eta = x * beta;
    Eigen::VectorXd new_mu = new_eta.array().exp();
    dev = deviance_of(y, new_mu);
    for (int half = 0; half < 30 && have_previous && !std::isfinite(dev); ++half) {
      beta = 0.5 * (beta + fit.beta);
      new_eta = x * beta;
      new_mu = new_eta.array().exp();
      dev = deviance_of(y, new_mu);
    }
    if (!std::isfinite(dev)) break;
    fit.beta = beta;
    have_previous = true;
    eta = std::move(new_eta);
    mu = std::move(new_mu);
    fit.covariance = solver.solve(Eigen::MatrixXd::Identity(p, p));
    if (std::abs(dev - dev_old) / (std::abs(dev) + 0.1) < 1e-8) {
      fit.converged = true;
      break;
    }
    dev_old = dev;
  }
  if (fit.covariance.size() == 0) fit.covariance = Eigen::MatrixXd::Constant(p, p, std::nan(""));
  fit.mu = mu;
  fit.deviance = deviance_of(y, mu);
  double ll = 0;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    ll += (y[i] > 0 ? y[i] * std::log(mu[i]) : 0.0) - mu[i] - boost::math::lgamma(y[i] + 1);
  }
  fit.log_likelihood = ll;
  return fit;
}

}  // namespace

PoissonFit fit_poisson(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                       const Eigen::VectorXd* start) {
  if (start != nullptr && start->size() == x.cols() && start->allFinite()) {
    Eigen::VectorXd eta = x * *start;
    Eigen::VectorXd mu = eta.array().exp();
    // A warm start that overflows, or that does not lead to convergence, is replaced by R's.
    if (mu.allFinite() && (mu.array() > 0).all()) {
      PoissonFit warm = fit_poisson_from(x, y, *start, std::move(eta), std::move(mu));
      if (warm.converged) return warm;
    }
  }
  Eigen::VectorXd mu = y.array() + 0.1;
  Eigen::VectorXd eta = mu.array().log();
  return fit_poisson_from(x, y, std::nullopt, std::move(eta), std::move(mu));
}

Eigen::Index column_rank(const Eigen::MatrixXd& x) {
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(x);
  qr.setThreshold(1e-10);
  return qr.rank();
}

bool mle_exists(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
  // Standard form: rows = terms (equations A v = b with A = X' [I | 1], b = X'y / sum(y));
  // columns = sigma (one per cell), s, then one artificial per row for phase I.
  const Eigen::Index m = x.rows();
  const Eigen::Index rows = x.cols();
  const Eigen::Index vars = m + 1;
  const double total = y.sum();
  if (total <= 0) return false;
  Eigen::MatrixXd a(rows, vars + rows);
  a.setZero();
  a.leftCols(m) = x.transpose();
  a.col(m) = x.transpose() * Eigen::VectorXd::Ones(m);
  Eigen::VectorXd b = x.transpose() * y / total;
  for (Eigen::Index r = 0; r < rows; ++r) {
    if (b[r] < 0) {
      a.row(r) *= -1;
      b[r] = -b[r];
    }
    a(r, vars + r) = 1;
  }
  std::vector<Eigen::Index> basis(static_cast<std::size_t>(rows));
  for (Eigen::Index r = 0; r < rows; ++r)
    basis[static_cast<std::size_t>(r)] = vars + r;
  const double eps = 1e-11;

  // One simplex run maximising c'v over the columns allowed (Bland's rule: no cycling).
  auto run = [&](const Eigen::VectorXd& c, Eigen::Index allowed) {
    for (int guard = 0; guard < 10000; ++guard) {
      // Reduced costs c_j - c_B' B^-1 A_j with the tableau kept in canonical form.
      Eigen::Index entering = -1;
      for (Eigen::Index j = 0; j < allowed; ++j) {
        double reduced = c[j];
        for (Eigen::Index r = 0; r < rows; ++r)
          reduced -= c[basis[static_cast<std::size_t>(r)]] * a(r, j);
        if (reduced > eps) {
          entering = j;
          break;
        }
      }
      if (entering < 0) return;
      Eigen::Index leaving = -1;
      double best = std::numeric_limits<double>::infinity();
      for (Eigen::Index r = 0; r < rows; ++r) {
        if (a(r, entering) > eps) {
          const double ratio = b[r] / a(r, entering);
          if (ratio < best - 1e-14 ||
              (ratio <= best + 1e-14 && leaving >= 0 &&
               basis[static_cast<std::size_t>(r)] < basis[static_cast<std::size_t>(leaving)])) {
            best = ratio;
            leaving = r;
          }
        }
      }
      if (leaving < 0) return;  // unbounded: cannot happen here (sum of mu is fixed)
      const double pivot = a(leaving, entering);
      a.row(leaving) /= pivot;
      b[leaving] /= pivot;
      for (Eigen::Index r = 0; r < rows; ++r) {
        if (r == leaving || a(r, entering) == 0) continue;
        const double f = a(r, entering);
        a.row(r) -= f * a.row(leaving);
        b[r] -= f * b[leaving];
      }
      basis[static_cast<std::size_t>(leaving)] = entering;
    }
  };

  // Phase I: minimise the artificials (y itself is feasible, so the minimum is zero).
  Eigen::VectorXd phase1 = Eigen::VectorXd::Zero(vars + rows);
  phase1.tail(rows).setConstant(-1);
  run(phase1, vars + rows);
  // Drive artificials at zero out of the basis; rows where none can leave are redundant.
  std::vector<bool> redundant(static_cast<std::size_t>(rows), false);
  for (Eigen::Index r = 0; r < rows; ++r) {
    if (basis[static_cast<std::size_t>(r)] < vars) continue;
    Eigen::Index j = 0;
    while (j < vars && std::abs(a(r, j)) <= 1e-9)
      ++j;
    if (j == vars) {
      redundant[static_cast<std::size_t>(r)] = true;
      continue;
    }
    const double pivot = a(r, j);
    a.row(r) /= pivot;
    b[r] /= pivot;
    for (Eigen::Index q = 0; q < rows; ++q) {
      if (q == r || a(q, j) == 0) continue;
      const double f = a(q, j);
      a.row(q) -= f * a.row(r);
      b[q] -= f * b[r];
    }
    basis[static_cast<std::size_t>(r)] = j;
  }
  for (Eigen::Index r = 0; r < rows; ++r) {
    if (redundant[static_cast<std::size_t>(r)]) {
      a.row(r).setZero();
      b[r] = 0;
    }
  }
  // Phase II: maximise s over the original columns only.
  Eigen::VectorXd phase2 = Eigen::VectorXd::Zero(vars + rows);
  phase2[m] = 1;
  run(phase2, vars);
  double s = 0;
  for (Eigen::Index r = 0; r < rows; ++r)
    if (basis[static_cast<std::size_t>(r)] == m) s = b[r];
  return s > 1e-9;
}

namespace {

ProfileInterval failed_interval() {
  ProfileInterval out;
  out.failed = true;
  return out;
}

}  // namespace

ProfileInterval profile_interval(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                 const Eigen::VectorXd& beta, double estimate, double level) {
  const Eigen::Index m = x.rows();
  const double n = y.sum();
  Eigen::MatrixXd xa(m + 1, x.cols());
  xa.topRows(m) = x;
  xa.row(m).setZero();
  xa(m, 0) = 1;
  Eigen::VectorXd ya(m + 1);
  ya.head(m) = y;
  Eigen::VectorXd warm = beta;

  // Multinomial profile log-likelihood of N (Cormack 1992; Rcapture's loglikemult).
  auto loglik = [&](double big_n) {
    const double n0 = std::max(big_n - n, 0.0);
    ya[m] = n0;
    const PoissonFit fit = fit_poisson(xa, ya, &warm);
    if (fit.converged && n0 > 0) warm = fit.beta;
    double ct = 0;
    if (big_n > 100) {
      ct = (n0 == 0 || n0 == 1)
               ? -big_n + 0.5 * std::log(boost::math::constants::two_pi<double>() * big_n)
               : n0 - big_n - 0.5 * std::log(n0 / big_n);
    } else {
      const double n0_log_n0 = n0 > 0 ? n0 * std::log(n0) : 0.0;
      ct = n0_log_n0 + boost::math::lgamma(big_n + 1) - big_n * std::log(big_n) -
           boost::math::lgamma(n0 + 1);
    }
    return ct - fit.deviance / 2;
  };

  ProfileInterval out;
  try {
    const auto [n_max, neg_lmax] = boost::math::tools::brent_find_minima(
        [&](double big_n) { return -loglik(big_n); }, n, std::max(1.5 * estimate, n + 1.0), 40);
    out.multinomial_estimate = n_max;
    const double lmax = -neg_lmax;
    const boost::math::chi_squared chi2(1);
    const double lmin = lmax - boost::math::quantile(chi2, level) / 2;
    auto excess = [&](double big_n) { return loglik(big_n) - lmin; };
    boost::math::tools::eps_tolerance<double> tol(44);

    const double at_n = excess(n);
    if (at_n >= 0) {
      out.lower = n;
      out.lower_at_observed = true;
    } else {
      std::uintmax_t iters = 200;
      const auto [lo, hi] =
          boost::math::tools::toms748_solve(excess, n, n_max, at_n, excess(n_max), tol, iters);
      out.lower = 0.5 * (lo + hi);
    }
    // Upper end: Rcapture searches up to 3 N; beyond that we widen the search geometrically and
    // call the end unbounded when the likelihood has still not fallen by 10^12 N.
    double left = n_max;
    double right = std::max(3 * estimate, n_max + 1);
    double f_right = excess(right);
    while (f_right > 0 && right < 1e12 * std::max(n, 1.0)) {
      left = right;
      right *= 4;
      f_right = excess(right);
    }
    if (f_right <= 0) {
      std::uintmax_t iters = 200;
      const auto [lo, hi] =
          boost::math::tools::toms748_solve(excess, left, right, excess(left), f_right, tol, iters);
      out.upper = 0.5 * (lo + hi);
    }
  } catch (const std::exception&) {
    // Boost's root finders throw when the likelihood is not finite (absurd counts): report no
    // interval rather than a wrong one.
    return failed_interval();
  }
  if (!out.lower || !std::isfinite(*out.lower) || (out.upper && !std::isfinite(*out.upper)))
    return failed_interval();
  return out;
}

}  // namespace recount::mse::detail
