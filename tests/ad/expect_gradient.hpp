#pragma once
// The one check every differentiable function goes through (after Stan Math's expect_ad): the
// reverse-mode gradient against central finite differences, coordinate by coordinate.

#include <cmath>
#include <cstddef>

#include <gtest/gtest.h>
#include <Eigen/Dense>

#include "recount/ad/var.hpp"

namespace recount::ad::testing {

inline void expect_gradient(const Function& f, const Eigen::VectorXd& x, double tolerance = 1e-6) {
  Eigen::VectorXd gradient;
  const double value = value_and_gradient(f, x, gradient);
  ASSERT_TRUE(std::isfinite(value)) << "f(x) is not finite";
  Eigen::VectorXd unused;
  for (Eigen::Index k = 0; k < x.size(); ++k) {
    const double h = 1e-6 * std::max(1.0, std::abs(x[k]));
    Eigen::VectorXd up = x;
    Eigen::VectorXd down = x;
    up[k] += h;
    down[k] -= h;
    const double numeric =
        (value_and_gradient(f, up, unused) - value_and_gradient(f, down, unused)) / (2 * h);
    EXPECT_NEAR(gradient[k], numeric, tolerance * std::max(1.0, std::abs(numeric)))
        << "coordinate " << k << " at x = " << x.transpose();
  }
}

}  // namespace recount::ad::testing
