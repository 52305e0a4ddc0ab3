#pragma once
// Reverse-mode automatic differentiation on a tape: every operation records its value and the
// partial derivatives with respect to its operands; one backward sweep accumulates adjoints.
// Hand-written because Debian ships no standalone C++ reverse-mode library that fits (Stan Math
// only inside R's StanHeaders; ADOL-C's operator-overloading tape is slow for this size).
//
// Operations with many operands (sums, distributions, the model's hot loops) are single fused
// nodes with analytic partials, as in Stan Math's prim/prob/*_lpdf, so that a gradient costs a
// small multiple of a plain evaluation. Tapes are thread-local: chains on separate threads each
// record on their own tape.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include <Eigen/Dense>

namespace recount::ad {

// A value on the current thread's tape: its value and the index of its node.
struct Var {
  double v = 0;
  std::uint32_t i = 0;
};

class Tape {
 public:
  // Starts a new recording (keeps the memory).
  void clear();
  // A node with no operands (an input or a constant).
  Var leaf(double value);
  // A node whose value depends on `parents` with d value / d parent = `partials`.
  Var node(double value, std::span<const std::uint32_t> parents, std::span<const double> partials);
  Var node1(double value, Var a, double da);
  Var node2(double value, Var a, double da, Var b, double db);
  // Adjoints of every node after seeding the output with 1, sweeping backwards.
  void backward(Var output);
  [[nodiscard]] double adjoint(Var x) const { return adjoint_[x.i]; }
  [[nodiscard]] std::size_t size() const noexcept { return value_count_; }

 private:
  std::size_t value_count_ = 0;
  std::vector<std::uint32_t> edge_end_;  // per node: one past its last edge
  std::vector<std::uint32_t> parent_;
  std::vector<double> partial_;
  std::vector<double> adjoint_;
};

// The calling thread's tape.
[[nodiscard]] Tape& tape();

// Evaluates f at x and its gradient by one forward recording and one backward sweep.
using Function = std::function<Var(std::span<const Var>)>;
double value_and_gradient(const Function& f, const Eigen::VectorXd& x, Eigen::VectorXd& gradient);

inline Var constant(double value) {
  return tape().leaf(value);
}

// Arithmetic.
Var operator+(Var a, Var b);
Var operator+(Var a, double b);
Var operator+(double a, Var b);
Var operator-(Var a, Var b);
Var operator-(Var a, double b);
Var operator-(double a, Var b);
Var operator-(Var a);
Var operator*(Var a, Var b);
Var operator*(Var a, double b);
Var operator*(double a, Var b);
Var operator/(Var a, Var b);
Var operator/(Var a, double b);
Var operator/(double a, Var b);
inline Var& operator+=(Var& a, Var b) {
  return a = a + b;
}
inline Var& operator+=(Var& a, double b) {
  return a = a + b;
}

// Elementary functions.
Var exp(Var a);
Var log(Var a);
Var log1p(Var a);
Var expm1(Var a);
Var sqrt(Var a);
Var square(Var a);
Var pow(Var a, double p);
Var inv_logit(Var a);
Var log_inv_logit(Var a);  // log(1 / (1 + exp(-a)))
Var log1m_exp(Var a);      // log(1 - exp(a)), a < 0
Var log_sum_exp(Var a, Var b);
Var softplus(Var a);  // log(1 + exp(a))

// Fused reductions.
Var sum(std::span<const Var> xs);
Var dot(std::span<const Var> xs, std::span<const double> weights);

// Log densities (up to nothing: normalising constants included).
Var normal_lpdf(Var y, double mu, double sigma);
Var normal_lpdf(double y, Var mu, Var sigma);
Var lognormal_lpdf(Var y, double mu, double sigma);
Var gamma_lpdf(Var y, double shape, double rate);
Var beta_lpdf(Var y, double a, double b);
Var exponential_lpdf(Var y, double rate);
// log P(lo < Y < hi) for Y ~ normal(mu, sigma); lo may be -inf and hi +inf (one-sided bounds).
Var normal_log_interval(double lo, double hi, Var mu, Var sigma);

// Plain-double helpers shared with the fused nodes (stable in the tails).
[[nodiscard]] double log_normal_cdf(double z);  // log Phi(z)
[[nodiscard]] double log_normal_interval_value(double lo, double hi, double mu, double sigma);

}  // namespace recount::ad
