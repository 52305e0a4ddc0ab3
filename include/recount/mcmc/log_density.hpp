#pragma once
// What a sampler needs from a model: a log density on unconstrained real space with its gradient.

#include <cstddef>
#include <string>
#include <vector>

#include <Eigen/Dense>

namespace recount::mcmc {

class LogDensity {
 public:
  LogDensity() = default;
  LogDensity(const LogDensity&) = default;
  LogDensity& operator=(const LogDensity&) = default;
  virtual ~LogDensity() = default;

  [[nodiscard]] virtual std::size_t dimension() const = 0;

  // Log density up to a constant at `theta` (unconstrained, Jacobians included), writing its
  // gradient into `gradient` (resized by the callee). Called concurrently by several chains:
  // implementations must be thread-safe. Throwing std::domain_error rejects the point (treated
  // as log density -inf, as Stan does); any other exception stops the run.
  virtual double log_density(const Eigen::VectorXd& theta, Eigen::VectorXd& gradient) const = 0;

  // Names of the unconstrained coordinates, for draws files and messages.
  [[nodiscard]] virtual std::vector<std::string> parameter_names() const;
};

}  // namespace recount::mcmc
