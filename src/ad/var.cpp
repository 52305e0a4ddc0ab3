#include "recount/ad/var.hpp"

#include <cassert>
#include <cmath>
#include <limits>
#include <numbers>

#include <boost/math/special_functions/gamma.hpp>

namespace recount::ad {

namespace {
constexpr double kLogSqrtTwoPi = 0.91893853320467274178;
constexpr double kInf = std::numeric_limits<double>::infinity();

double log_normal_pdf(double z) {
  return -0.5 * z * z - kLogSqrtTwoPi;
}
}  // namespace

void Tape::clear() {
  value_count_ = 0;
  edge_end_.clear();
  parent_.clear();
  partial_.clear();
}

Var Tape::leaf(double value) {
  edge_end_.push_back(static_cast<std::uint32_t>(parent_.size()));
  return Var{value, static_cast<std::uint32_t>(value_count_++)};
}

Var Tape::node(double value, std::span<const std::uint32_t> parents,
               std::span<const double> partials) {
  assert(parents.size() == partials.size());
  parent_.insert(parent_.end(), parents.begin(), parents.end());
  partial_.insert(partial_.end(), partials.begin(), partials.end());
  edge_end_.push_back(static_cast<std::uint32_t>(parent_.size()));
  return Var{value, static_cast<std::uint32_t>(value_count_++)};
}

Var Tape::node1(double value, Var a, double da) {
  parent_.push_back(a.i);
  partial_.push_back(da);
  edge_end_.push_back(static_cast<std::uint32_t>(parent_.size()));
  return Var{value, static_cast<std::uint32_t>(value_count_++)};
}

Var Tape::node2(double value, Var a, double da, Var b, double db) {
  parent_.push_back(a.i);
  partial_.push_back(da);
  parent_.push_back(b.i);
  partial_.push_back(db);
  edge_end_.push_back(static_cast<std::uint32_t>(parent_.size()));
  return Var{value, static_cast<std::uint32_t>(value_count_++)};
}

void Tape::backward(Var output) {
  adjoint_.assign(value_count_, 0.0);
  adjoint_[output.i] = 1.0;
  for (std::size_t k = output.i + 1; k-- > 0;) {
    const double a = adjoint_[k];
    if (a == 0) continue;
    const std::uint32_t begin = k == 0 ? 0 : edge_end_[k - 1];
    for (std::uint32_t e = begin; e < edge_end_[k]; ++e)
      adjoint_[parent_[e]] += partial_[e] * a;
  }
}

Tape& tape() {
  thread_local Tape t;
  return t;
}

double value_and_gradient(const Function& f, const Eigen::VectorXd& x, Eigen::VectorXd& gradient) {
  Tape& t = tape();
  t.clear();
  std::vector<Var> inputs;
  inputs.reserve(static_cast<std::size_t>(x.size()));
  for (Eigen::Index k = 0; k < x.size(); ++k)
    inputs.push_back(t.leaf(x[k]));
  const Var y = f(inputs);
  gradient.resize(x.size());
  if (!std::isfinite(y.v)) {
    gradient.setZero();
    return y.v;
  }
  t.backward(y);
  for (Eigen::Index k = 0; k < x.size(); ++k)
    gradient[k] = t.adjoint(inputs[static_cast<std::size_t>(k)]);
  return y.v;
}

Var operator+(Var a, Var b) {
  return tape().node2(a.v + b.v, a, 1.0, b, 1.0);
}
Var operator+(Var a, double b) {
  return tape().node1(a.v + b, a, 1.0);
}
Var operator+(double a, Var b) {
  return tape().node1(a + b.v, b, 1.0);
}
Var operator-(Var a, Var b) {
  return tape().node2(a.v - b.v, a, 1.0, b, -1.0);
}
Var operator-(Var a, double b) {
  return tape().node1(a.v - b, a, 1.0);
}
Var operator-(double a, Var b) {
  return tape().node1(a - b.v, b, -1.0);
}
Var operator-(Var a) {
  return tape().node1(-a.v, a, -1.0);
}
Var operator*(Var a, Var b) {
  return tape().node2(a.v * b.v, a, b.v, b, a.v);
}
Var operator*(Var a, double b) {
  return tape().node1(a.v * b, a, b);
}
Var operator*(double a, Var b) {
  return tape().node1(a * b.v, b, a);
}
Var operator/(Var a, Var b) {
  const double q = a.v / b.v;
  return tape().node2(q, a, 1.0 / b.v, b, -q / b.v);
}
Var operator/(Var a, double b) {
  return tape().node1(a.v / b, a, 1.0 / b);
}
Var operator/(double a, Var b) {
  const double q = a / b.v;
  return tape().node1(q, b, -q / b.v);
}

Var exp(Var a) {
  const double e = std::exp(a.v);
  return tape().node1(e, a, e);
}
Var log(Var a) {
  return tape().node1(std::log(a.v), a, 1.0 / a.v);
}
Var log1p(Var a) {
  return tape().node1(std::log1p(a.v), a, 1.0 / (1.0 + a.v));
}
Var expm1(Var a) {
  return tape().node1(std::expm1(a.v), a, std::exp(a.v));
}
Var sqrt(Var a) {
  const double s = std::sqrt(a.v);
  return tape().node1(s, a, 0.5 / s);
}
Var square(Var a) {
  return tape().node1(a.v * a.v, a, 2.0 * a.v);
}
Var pow(Var a, double p) {
  return tape().node1(std::pow(a.v, p), a, p * std::pow(a.v, p - 1.0));
}

Var inv_logit(Var a) {
  const double s = a.v >= 0 ? 1.0 / (1.0 + std::exp(-a.v)) : std::exp(a.v) / (1.0 + std::exp(a.v));
  return tape().node1(s, a, s * (1.0 - s));
}

Var log_inv_logit(Var a) {
  // log(s) = -softplus(-a); derivative 1 - s.
  const double value = a.v >= 0 ? -std::log1p(std::exp(-a.v)) : a.v - std::log1p(std::exp(a.v));
  const double s = a.v >= 0 ? 1.0 / (1.0 + std::exp(-a.v)) : std::exp(a.v) / (1.0 + std::exp(a.v));
  return tape().node1(value, a, 1.0 - s);
}

Var log1m_exp(Var a) {
  // log(1 - e^a) as in Mächler (2012), "Accurately computing log(1 - exp(-|a|))".
  const double value = a.v > -0.693147 ? std::log(-std::expm1(a.v)) : std::log1p(-std::exp(a.v));
  return tape().node1(value, a, -1.0 / std::expm1(-a.v));
}

Var log_sum_exp(Var a, Var b) {
  const double m = std::max(a.v, b.v);
  if (m == -kInf) return tape().node2(-kInf, a, 0.0, b, 0.0);
  const double ea = std::exp(a.v - m);
  const double eb = std::exp(b.v - m);
  const double s = ea + eb;
  return tape().node2(m + std::log(s), a, ea / s, b, eb / s);
}

Var softplus(Var a) {
  const double value = a.v > 0 ? a.v + std::log1p(std::exp(-a.v)) : std::log1p(std::exp(a.v));
  const double s = a.v >= 0 ? 1.0 / (1.0 + std::exp(-a.v)) : std::exp(a.v) / (1.0 + std::exp(a.v));
  return tape().node1(value, a, s);
}

Var sum(std::span<const Var> xs) {
  thread_local std::vector<std::uint32_t> parents;
  thread_local std::vector<double> partials;
  parents.clear();
  double total = 0;
  for (const Var& x : xs) {
    total += x.v;
    parents.push_back(x.i);
  }
  partials.assign(xs.size(), 1.0);
  return tape().node(total, parents, partials);
}

Var dot(std::span<const Var> xs, std::span<const double> weights) {
  assert(xs.size() == weights.size());
  thread_local std::vector<std::uint32_t> parents;
  parents.clear();
  double total = 0;
  for (std::size_t k = 0; k < xs.size(); ++k) {
    total += xs[k].v * weights[k];
    parents.push_back(xs[k].i);
  }
  return tape().node(total, parents, weights);
}

Var normal_lpdf(Var y, double mu, double sigma) {
  const double z = (y.v - mu) / sigma;
  return tape().node1(log_normal_pdf(z) - std::log(sigma), y, -z / sigma);
}

Var normal_lpdf(double y, Var mu, Var sigma) {
  const double z = (y - mu.v) / sigma.v;
  return tape().node2(log_normal_pdf(z) - std::log(sigma.v), mu, z / sigma.v, sigma,
                      (z * z - 1.0) / sigma.v);
}

Var lognormal_lpdf(Var y, double mu, double sigma) {
  const double ly = std::log(y.v);
  const double z = (ly - mu) / sigma;
  return tape().node1(log_normal_pdf(z) - std::log(sigma) - ly, y, -(z / sigma + 1.0) / y.v);
}

Var gamma_lpdf(Var y, double shape, double rate) {
  const double value = shape * std::log(rate) - boost::math::lgamma(shape) +
                       (shape - 1.0) * std::log(y.v) - rate * y.v;
  return tape().node1(value, y, (shape - 1.0) / y.v - rate);
}

Var beta_lpdf(Var y, double a, double b) {
  const double value = boost::math::lgamma(a + b) - boost::math::lgamma(a) -
                       boost::math::lgamma(b) + (a - 1.0) * std::log(y.v) +
                       (b - 1.0) * std::log1p(-y.v);
  return tape().node1(value, y, (a - 1.0) / y.v - (b - 1.0) / (1.0 - y.v));
}

Var exponential_lpdf(Var y, double rate) {
  return tape().node1(std::log(rate) - rate * y.v, y, -rate);
}

double log_normal_cdf(double z) {
  if (z > 0) return std::log1p(-0.5 * std::erfc(z / std::numbers::sqrt2));
  if (z > -30) return std::log(0.5 * std::erfc(-z / std::numbers::sqrt2));
  // Asymptotic series of Mills' ratio (Abramowitz & Stegun 26.2.12).
  const double z2 = z * z;
  return log_normal_pdf(z) - std::log(-z) + std::log1p(-1.0 / z2 + 3.0 / (z2 * z2));
}

namespace {
// log(exp(a) - exp(b)) for a > b.
double log_diff_exp(double a, double b) {
  const double d = b - a;
  return a + (d > -0.693147 ? std::log(-std::expm1(d)) : std::log1p(-std::exp(d)));
}
}  // namespace

double log_normal_interval_value(double lo, double hi, double mu, double sigma) {
  const double zl = (lo - mu) / sigma;
  const double zh = (hi - mu) / sigma;
  if (lo == -kInf) return log_normal_cdf(zh);
  if (hi == kInf) return log_normal_cdf(-zl);
  if (zl > 0) return log_diff_exp(log_normal_cdf(-zl), log_normal_cdf(-zh));
  if (zh < 0) return log_diff_exp(log_normal_cdf(zh), log_normal_cdf(zl));
  return std::log1p(-0.5 * std::erfc(-zl / std::numbers::sqrt2) -
                    0.5 * std::erfc(zh / std::numbers::sqrt2));
}

Var normal_log_interval(double lo, double hi, Var mu, Var sigma) {
  const double s = sigma.v;
  const double lp = log_normal_interval_value(lo, hi, mu.v, s);
  // d P / d mu = (phi(zl) - phi(zh)) / s; d P / d s = (zl phi(zl) - zh phi(zh)) / s; divided by P.
  double rl = 0;
  double rh = 0;
  double zl = 0;
  double zh = 0;
  if (lo != -kInf) {
    zl = (lo - mu.v) / s;
    rl = std::exp(log_normal_pdf(zl) - lp);
  }
  if (hi != kInf) {
    zh = (hi - mu.v) / s;
    rh = std::exp(log_normal_pdf(zh) - lp);
  }
  const double dmu = (rl - rh) / s;
  const double ds = (zl * rl - zh * rh) / s;
  return tape().node2(lp, mu, dmu, sigma, ds);
}

}  // namespace recount::ad
