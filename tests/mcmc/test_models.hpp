#pragma once
// Small models with analytic gradients for testing the sampler.

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include <Eigen/Dense>

#include "recount/mcmc/log_density.hpp"

namespace recount::mcmc::testing {

// Independent standard normals in `dimension` dimensions.
class StandardNormal : public LogDensity {
 public:
  explicit StandardNormal(std::size_t dimension) : dimension_(dimension) {}
  [[nodiscard]] std::size_t dimension() const override { return dimension_; }
  double log_density(const Eigen::VectorXd& theta, Eigen::VectorXd& gradient) const override {
    gradient = -theta;
    return -0.5 * theta.squaredNorm();
  }

 private:
  std::size_t dimension_;
};

// Independent normals with the given standard deviations.
class ScaledNormal : public LogDensity {
 public:
  explicit ScaledNormal(Eigen::VectorXd sd) : precision_(sd.array().square().inverse()) {}
  [[nodiscard]] std::size_t dimension() const override {
    return static_cast<std::size_t>(precision_.size());
  }
  double log_density(const Eigen::VectorXd& theta, Eigen::VectorXd& gradient) const override {
    gradient = -precision_.cwiseProduct(theta);
    return 0.5 * theta.dot(gradient);
  }

 private:
  Eigen::VectorXd precision_;
};

// A standard normal truncated to x[0] < 1 by throwing std::domain_error above it.
class TruncatedNormal : public LogDensity {
 public:
  [[nodiscard]] std::size_t dimension() const override { return 2; }
  double log_density(const Eigen::VectorXd& theta, Eigen::VectorXd& gradient) const override {
    if (theta[0] > 1) throw std::domain_error("outside the support");
    gradient = -theta;
    return -0.5 * theta.squaredNorm();
  }
};

// Two narrow normals (sd 0.5) at -10 and +10: a chain never crosses from one to the other.
class TwoModes : public LogDensity {
 public:
  [[nodiscard]] std::size_t dimension() const override { return 1; }
  double log_density(const Eigen::VectorXd& x, Eigen::VectorXd& gradient) const override {
    const double a = -2 * (x[0] - 10) * (x[0] - 10);
    const double b = -2 * (x[0] + 10) * (x[0] + 10);
    const double m = std::max(a, b);
    const double wa = std::exp(a - m);
    const double wb = std::exp(b - m);
    gradient.resize(1);
    gradient[0] = (wa * -4 * (x[0] - 10) + wb * -4 * (x[0] + 10)) / (wa + wb);
    return m + std::log(wa + wb);
  }
};

// An improper flat density.
class Flat : public LogDensity {
 public:
  [[nodiscard]] std::size_t dimension() const override { return 2; }
  double log_density(const Eigen::VectorXd&, Eigen::VectorXd& gradient) const override {
    gradient.setZero(2);
    return 0;
  }
};

// A log density that is never finite.
class Impossible : public LogDensity {
 public:
  [[nodiscard]] std::size_t dimension() const override { return 3; }
  double log_density(const Eigen::VectorXd&, Eigen::VectorXd& gradient) const override {
    gradient.setZero(3);
    throw std::domain_error("never");
  }
};

// Normal-normal hierarchical model: mu ~ N(0, prior_mu_sd), tau ~ half-N(0, prior_tau_sd) or
// half-Cauchy(0, 5), theta_j ~ N(mu, tau), y_j ~ N(theta_j, sigma_j). Unconstrained
// coordinates: mu, log tau, then either theta (centred) or eta = (theta - mu) / tau
// (non-centred).
class Hierarchical : public LogDensity {
 public:
  Hierarchical(std::vector<double> y, std::vector<double> sigma, bool centred, bool cauchy_tau,
               double prior_mu_sd, double prior_tau_scale)
      : y_(std::move(y)),
        sigma_(std::move(sigma)),
        centred_(centred),
        cauchy_tau_(cauchy_tau),
        mu_sd_(prior_mu_sd),
        tau_scale_(prior_tau_scale) {}

  // Rubin (1981), the eight schools of Gelman et al. (2013), section 5.5.
  static Hierarchical eight_schools(bool centred) {
    return Hierarchical({28, 8, -3, 7, -1, 1, 18, 12}, {15, 10, 16, 11, 9, 11, 10, 18}, centred,
                        true, 5, 5);
  }

  [[nodiscard]] std::size_t dimension() const override { return 2 + y_.size(); }

  double log_density(const Eigen::VectorXd& x, Eigen::VectorXd& g) const override {
    const std::size_t j_count = y_.size();
    g.setZero(static_cast<Eigen::Index>(dimension()));
    const double mu = x[0];
    const double log_tau = x[1];
    const double tau = std::exp(log_tau);
    double lp = -0.5 * mu * mu / (mu_sd_ * mu_sd_);
    g[0] = -mu / (mu_sd_ * mu_sd_);
    // Prior on tau with the Jacobian of tau = exp(log tau): d/dlogtau adds tau * dlp/dtau + 1.
    if (cauchy_tau_) {
      const double r = tau / tau_scale_;
      lp += -std::log1p(r * r) + log_tau;
      g[1] += -2 * r * r / (1 + r * r) + 1;
    } else {
      const double r = tau / tau_scale_;
      lp += -0.5 * r * r + log_tau;
      g[1] += -r * r + 1;
    }
    for (std::size_t j = 0; j < j_count; ++j) {
      const auto k = static_cast<Eigen::Index>(2 + j);
      const double s2 = sigma_[j] * sigma_[j];
      if (centred_) {
        const double theta = x[k];
        const double z = (theta - mu) / tau;
        lp += -0.5 * z * z - log_tau;
        g[0] += z / tau;
        g[k] += -z / tau;
        g[1] += z * z - 1;
        lp += -0.5 * (y_[j] - theta) * (y_[j] - theta) / s2;
        g[k] += (y_[j] - theta) / s2;
      } else {
        const double eta = x[k];
        const double theta = mu + tau * eta;
        lp += -0.5 * eta * eta;
        g[k] += -eta;
        const double r = (y_[j] - theta) / s2;
        lp += -0.5 * (y_[j] - theta) * r;
        g[0] += r;
        g[k] += r * tau;
        g[1] += r * tau * eta;
      }
    }
    return lp;
  }

 private:
  std::vector<double> y_;
  std::vector<double> sigma_;
  bool centred_;
  bool cauchy_tau_;
  double mu_sd_;
  double tau_scale_;
};

// theta ~ N(0, prior_sd^2 I) in 2-D; observations y_i ~ N(theta, Sigma) with correlation rho:
// a correlated Gaussian posterior.
class CorrelatedNormal : public LogDensity {
 public:
  CorrelatedNormal(std::vector<Eigen::Vector2d> y, double prior_sd, double sd1, double sd2,
                   double rho)
      : y_(std::move(y)), prior_sd_(prior_sd) {
    Eigen::Matrix2d sigma;
    sigma << sd1 * sd1, rho * sd1 * sd2, rho * sd1 * sd2, sd2 * sd2;
    precision_ = sigma.inverse();
  }
  [[nodiscard]] std::size_t dimension() const override { return 2; }
  double log_density(const Eigen::VectorXd& x, Eigen::VectorXd& g) const override {
    const Eigen::Vector2d theta = x;
    double lp = -0.5 * theta.squaredNorm() / (prior_sd_ * prior_sd_);
    Eigen::Vector2d grad = -theta / (prior_sd_ * prior_sd_);
    for (const Eigen::Vector2d& y : y_) {
      const Eigen::Vector2d r = precision_ * (y - theta);
      lp += -0.5 * (y - theta).dot(r);
      grad += r;
    }
    g = grad;
    return lp;
  }

 private:
  std::vector<Eigen::Vector2d> y_;
  double prior_sd_;
  Eigen::Matrix2d precision_;
};

}  // namespace recount::mcmc::testing
