#include "recount/mcmc/nuts.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <functional>
#include <limits>
#include <optional>
#include <random>
#include <stdexcept>
#include <thread>
#include <utility>

#include <fmt/format.h>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include "recount/core/error.hpp"
#include "recount/core/progress.hpp"

namespace recount::mcmc {

std::vector<std::string> LogDensity::parameter_names() const {
  std::vector<std::string> names;
  names.reserve(dimension());
  for (std::size_t i = 0; i < dimension(); ++i)
    names.push_back(fmt::format("theta.{}", i + 1));
  return names;
}

int SampleResult::divergences() const {
  int total = 0;
  for (const ChainDraws& chain : chains) {
    total += static_cast<int>(std::count(chain.divergent.begin(), chain.divergent.end(), true));
  }
  return total;
}

int SampleResult::max_depth_hits(int max_depth) const {
  int total = 0;
  for (const ChainDraws& chain : chains) {
    total +=
        static_cast<int>(std::count(chain.treedepth.begin(), chain.treedepth.end(), max_depth));
  }
  return total;
}

namespace detail {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// Stan's base_nuts: a leapfrog step whose energy error exceeds this is a divergence.
constexpr double kMaxDeltaH = 1000;

double log_sum_exp(double a, double b) {
  if (a == -kInf) return b;
  if (b == -kInf) return a;
  const double m = std::max(a, b);
  return m + std::log(std::exp(a - m) + std::exp(b - m));
}

// A point in phase space with the model's log density and its gradient at q.
struct PhasePoint {
  Eigen::VectorXd q, p, grad;
  double lp = -kInf;
  void resize(Eigen::Index n) {
    q.setZero(n);
    p.setZero(n);
    grad.setZero(n);
  }
};

// Dual averaging of the log step size (Hoffman & Gelman 2014, section 3.2; Stan's constants).
class StepSizeAdaptation {
 public:
  explicit StepSizeAdaptation(double delta) : delta_(delta) {}
  void set_mu(double mu) { mu_ = mu; }
  void restart() {
    counter_ = 0;
    s_bar_ = 0;
    x_bar_ = 0;
  }
  double learn(double accept_stat) {
    ++counter_;
    accept_stat = std::min(1.0, accept_stat);
    const double eta = 1.0 / (counter_ + kT0);
    s_bar_ = (1 - eta) * s_bar_ + eta * (delta_ - accept_stat);
    const double x = mu_ - s_bar_ * std::sqrt(counter_) / kGamma;
    const double x_eta = std::pow(counter_, -kKappa);
    x_bar_ = (1 - x_eta) * x_bar_ + x_eta * x;
    return std::exp(x);
  }
  [[nodiscard]] double final_step_size() const { return std::exp(x_bar_); }

 private:
  static constexpr double kGamma = 0.05;
  static constexpr double kT0 = 10;
  static constexpr double kKappa = 0.75;
  double delta_;
  double mu_ = std::log(10.0);
  double counter_ = 0;
  double s_bar_ = 0;
  double x_bar_ = 0;
};

// CmdStan's windowed adaptation of the diagonal inverse metric: a fast initial buffer, slow
// windows that double in length, a fast terminal buffer (Stan's windowed_adaptation and
// var_adaptation), with Welford's running variance.
class MetricAdaptation {
 public:
  MetricAdaptation(const NutsOptions& options, Eigen::Index dimension)
      : warmup_(options.warmup),
        init_buffer_(options.adapt_init_buffer),
        term_buffer_(options.adapt_term_buffer),
        base_window_(options.adapt_window) {
    mean_.setZero(dimension);
    m2_.setZero(dimension);
    delta_.setZero(dimension);
    if (warmup_ < 20) {
      enabled_ = false;  // as Stan: too short to adapt the metric; the step size still adapts
      return;
    }
    if (init_buffer_ + base_window_ + term_buffer_ > warmup_) {
      init_buffer_ = static_cast<int>(0.15 * warmup_);
      term_buffer_ = static_cast<int>(0.1 * warmup_);
      base_window_ = warmup_ - (init_buffer_ + term_buffer_);
    }
    window_size_ = base_window_;
    next_window_ = init_buffer_ + window_size_ - 1;
  }

  // Feeds the warm-up draw `q`; returns true when a window closed and `inverse_metric` changed.
  bool learn(const Eigen::VectorXd& q, Eigen::VectorXd& inverse_metric) {
    if (!enabled_) return false;
    if (in_window()) add(q);
    if (counter_ == next_window_ && counter_ != warmup_) {
      compute_next_window();
      const double n = count_;
      // Stan's regularisation towards a small multiple of the identity.
      inverse_metric = (n / (n + 5.0)) * (m2_ / (n - 1)).array() + 1e-3 * (5.0 / (n + 5.0));
      if (!inverse_metric.allFinite()) {
        throw Error(ErrorKind::internal, "the adapted mass matrix is not finite");
      }
      count_ = 0;
      mean_.setZero();
      m2_.setZero();
      ++counter_;
      return true;
    }
    ++counter_;
    return false;
  }

 private:
  [[nodiscard]] bool in_window() const {
    return counter_ >= init_buffer_ && counter_ < warmup_ - term_buffer_ && counter_ != warmup_;
  }
  void add(const Eigen::VectorXd& q) {
    ++count_;
    delta_ = q - mean_;
    mean_ += delta_ / count_;
    m2_.array() += delta_.array() * (q - mean_).array();
  }
  void compute_next_window() {
    if (next_window_ == warmup_ - term_buffer_ - 1) return;
    window_size_ *= 2;
    next_window_ = counter_ + window_size_;
    if (next_window_ != warmup_ - term_buffer_ - 1) {
      const int next_boundary = next_window_ + 2 * window_size_;
      if (next_boundary >= warmup_ - term_buffer_) next_window_ = warmup_ - term_buffer_ - 1;
    }
  }

  int warmup_;
  int init_buffer_;
  int term_buffer_;
  int base_window_;
  bool enabled_ = true;
  int counter_ = 0;
  int window_size_ = 0;
  int next_window_ = 0;
  double count_ = 0;
  Eigen::VectorXd mean_, m2_, delta_;
};

// What one transition reports, as CmdStan's sampler columns.
struct Transition {
  double accept_stat = 0;
  int depth = 0;
  int n_leapfrog = 0;
  bool divergent = false;
  double energy = 0;
};

// One chain of Stan's diag_e_nuts with adaptation. Every vector the trajectory needs is
// allocated here once, so the leapfrog loop never allocates.
class Chain {
 public:
  Chain(const LogDensity& model, const NutsOptions& options, std::uint64_t chain_index)
      : model_(model), options_(options), adaptation_(options.target_accept) {
    // Each chain's stream depends only on (seed, chain): reproducible whatever the threads do.
    std::seed_seq seq{static_cast<std::uint32_t>(options.seed),
                      static_cast<std::uint32_t>(options.seed >> 32),
                      static_cast<std::uint32_t>(chain_index),
                      static_cast<std::uint32_t>(chain_index >> 32), 0x7265636fU};
    rng_.seed(seq);
    const auto n = static_cast<Eigen::Index>(model.dimension());
    for (PhasePoint* point : {&z_, &z_fwd_, &z_bck_, &z_sample_, &z_propose_, &z_init_}) {
      point->resize(n);
    }
    for (Eigen::VectorXd* v :
         {&rho_, &rho_fwd_, &rho_bck_, &p_fwd_fwd_, &p_fwd_bck_, &p_bck_fwd_, &p_bck_bck_,
          &ps_fwd_fwd_, &ps_fwd_bck_, &ps_bck_fwd_, &ps_bck_bck_}) {
      v->setZero(n);
    }
    levels_.resize(static_cast<std::size_t>(std::max(options.max_depth, 1)));
    for (Level& level : levels_) {
      level.propose_final.resize(n);
      for (Eigen::VectorXd* v : {&level.p_init_end, &level.ps_init_end, &level.rho_init,
                                 &level.p_final_beg, &level.ps_final_beg, &level.rho_final}) {
        v->setZero(n);
      }
    }
    inverse_metric_.setOnes(n);
  }

  // Draws an initial point: `init` or uniform(-r, r), up to 100 tries for a finite density.
  void initialise(const std::optional<Eigen::VectorXd>& init) {
    const int tries = init ? 1 : 100;
    for (int t = 0; t < tries; ++t) {
      if (init) {
        z_.q = *init;
      } else {
        for (Eigen::Index i = 0; i < z_.q.size(); ++i) {
          z_.q[i] = options_.init_radius * (2 * uniform() - 1);
        }
      }
      z_.lp = evaluate(z_.q, z_.grad);
      if (std::isfinite(z_.lp) && z_.grad.allFinite()) return;
    }
    throw Error(ErrorKind::internal,
                init ? "the given initial values have no finite log density and gradient"
                     : fmt::format("no initial values with a finite log density and gradient in "
                                   "100 tries of uniform({}, {})",
                                   -options_.init_radius, options_.init_radius));
  }

  ChainDraws run(const std::function<void()>& tick) {
    const int total = options_.warmup + options_.draws;
    const int thin = std::max(1, options_.thin);
    const auto kept = static_cast<std::size_t>((options_.draws + thin - 1) / thin);
    ChainDraws out;
    out.draws.resize(static_cast<Eigen::Index>(kept), z_.q.size());
    out.lp.reserve(kept);
    out.accept_stat.reserve(kept);
    out.stepsize.reserve(kept);
    out.treedepth.reserve(kept);
    out.n_leapfrog.reserve(kept);
    out.divergent.reserve(kept);
    out.energy.reserve(kept);

    MetricAdaptation metric(options_, z_.q.size());
    step_size_ = options_.step_size;
    adaptation_.set_mu(std::log(10 * step_size_));  // as CmdStan: from the user's step size
    init_step_size();
    for (int it = 0; it < total; ++it) {
      const bool warmup = it < options_.warmup;
      if (it == options_.warmup && options_.warmup > 0) {
        step_size_ = adaptation_.final_step_size();
      }
      const Transition t = transition();
      if (warmup) {
        if (t.divergent) ++out.warmup_divergences;
        step_size_ = adaptation_.learn(t.accept_stat);
        if (metric.learn(z_.q, inverse_metric_)) {
          init_step_size();
          adaptation_.set_mu(std::log(10 * step_size_));
          adaptation_.restart();
        }
      } else if ((it - options_.warmup) % thin == 0) {
        const auto row = static_cast<Eigen::Index>(out.lp.size());
        out.draws.row(row) = z_.q.transpose();
        out.lp.push_back(z_.lp);
        out.accept_stat.push_back(t.accept_stat);
        out.stepsize.push_back(step_size_);
        out.treedepth.push_back(t.depth);
        out.n_leapfrog.push_back(t.n_leapfrog);
        out.divergent.push_back(t.divergent);
        out.energy.push_back(t.energy);
      }
      if (tick) tick();
    }
    if (options_.draws == 0 && options_.warmup > 0) step_size_ = adaptation_.final_step_size();
    out.step_size = step_size_;
    out.inverse_metric = inverse_metric_;
    return out;
  }

 private:
  // Locals of one level of the tree recursion, preallocated: only one frame per depth is live.
  struct Level {
    PhasePoint propose_final;
    Eigen::VectorXd p_init_end, ps_init_end, rho_init, p_final_beg, ps_final_beg, rho_final;
  };

  double uniform() { return boost::random::uniform_01<double>()(rng_); }

  // The model's log density; std::domain_error (and NaN) reject the point as Stan does.
  double evaluate(const Eigen::VectorXd& q, Eigen::VectorXd& grad) const {
    try {
      const double lp = model_.log_density(q, grad);
      return std::isnan(lp) ? -kInf : lp;
    } catch (const std::domain_error&) {
      return -kInf;
    }
  }

  void sample_momentum(PhasePoint& z) {
    boost::random::normal_distribution<double> normal;
    for (Eigen::Index i = 0; i < z.p.size(); ++i) {
      z.p[i] = normal(rng_) / std::sqrt(inverse_metric_[i]);
    }
  }

  [[nodiscard]] double hamiltonian(const PhasePoint& z) const {
    const double h = -z.lp + 0.5 * (z.p.array().square() * inverse_metric_.array()).sum();
    return std::isnan(h) ? kInf : h;
  }

  // Leapfrog step of size `epsilon` (negative: backwards in time).
  void leapfrog(PhasePoint& z, double epsilon) {
    z.p.noalias() += (0.5 * epsilon) * z.grad;
    z.q.array() += epsilon * inverse_metric_.array() * z.p.array();
    z.lp = evaluate(z.q, z.grad);
    z.p.noalias() += (0.5 * epsilon) * z.grad;
  }

  // Stan's heuristic: double or halve the step size until the acceptance of one leapfrog step
  // crosses 0.8.
  void init_step_size() {
    if (step_size_ == 0 || step_size_ > 1e7 || std::isnan(step_size_)) return;
    z_init_ = z_;
    const double threshold = std::log(0.8);
    int direction = 0;
    while (true) {
      z_ = z_init_;
      sample_momentum(z_);
      const double h0 = hamiltonian(z_);
      leapfrog(z_, step_size_);
      const double delta_h = h0 - hamiltonian(z_);
      if (direction == 0) {  // the first trial sets the direction, then the same step is retried
        direction = delta_h > threshold ? 1 : -1;
        continue;
      }
      if (direction == 1 && !(delta_h > threshold)) break;
      if (direction == -1 && !(delta_h < threshold)) break;
      if (direction == 1) {
        step_size_ *= 2;
      } else {
        step_size_ *= 0.5;
      }
      if (step_size_ > 1e7) {
        throw Error(ErrorKind::bad_input,
                    "the posterior appears improper: the step size grew beyond 1e7 (check that "
                    "every parameter has a proper prior)");
      }
      if (step_size_ == 0) {
        throw Error(ErrorKind::internal,
                    "no acceptably small step size: the log density or its "
                    "gradient is not smooth at the current point");
      }
    }
    z_ = z_init_;
  }

  static bool no_u_turn(const Eigen::VectorXd& ps_minus, const Eigen::VectorXd& ps_plus,
                        const Eigen::VectorXd& rho) {
    return ps_plus.dot(rho) > 0 && ps_minus.dot(rho) > 0;
  }

  // Stan's base_nuts::build_tree: a subtree of 2^depth leapfrog steps from z_ in direction
  // `sign`, multinomial sampling within it, and the generalised U-turn criterion across it and
  // across its two halves (Betancourt 2017, appendix A.4.2).
  bool build_tree(int depth, PhasePoint& propose, Eigen::VectorXd& ps_beg, Eigen::VectorXd& ps_end,
                  Eigen::VectorXd& rho, Eigen::VectorXd& p_beg, Eigen::VectorXd& p_end, double h0,
                  double sign, int& n_leapfrog, double& log_sum_weight, double& sum_metro_prob) {
    if (depth == 0) {
      leapfrog(z_, sign * step_size_);
      ++n_leapfrog;
      const double h = hamiltonian(z_);
      if (h - h0 > kMaxDeltaH) divergent_ = true;
      log_sum_weight = log_sum_exp(log_sum_weight, h0 - h);
      sum_metro_prob += h0 - h > 0 ? 1 : std::exp(h0 - h);
      propose = z_;
      ps_beg = inverse_metric_.cwiseProduct(z_.p);
      ps_end = ps_beg;
      rho += z_.p;
      p_beg = z_.p;
      p_end = p_beg;
      return !divergent_;
    }
    Level& level = levels_[static_cast<std::size_t>(depth)];
    double log_sum_weight_init = -kInf;
    level.rho_init.setZero();
    if (!build_tree(depth - 1, propose, ps_beg, level.ps_init_end, level.rho_init, p_beg,
                    level.p_init_end, h0, sign, n_leapfrog, log_sum_weight_init, sum_metro_prob)) {
      return false;
    }
    double log_sum_weight_final = -kInf;
    level.rho_final.setZero();
    if (!build_tree(depth - 1, level.propose_final, level.ps_final_beg, ps_end, level.rho_final,
                    level.p_final_beg, p_end, h0, sign, n_leapfrog, log_sum_weight_final,
                    sum_metro_prob)) {
      return false;
    }
    const double log_sum_weight_subtree = log_sum_exp(log_sum_weight_init, log_sum_weight_final);
    log_sum_weight = log_sum_exp(log_sum_weight, log_sum_weight_subtree);
    if (log_sum_weight_final > log_sum_weight_subtree ||
        uniform() < std::exp(log_sum_weight_final - log_sum_weight_subtree)) {
      propose = level.propose_final;
    }
    rho += level.rho_init + level.rho_final;
    // Around the merged subtree, then across the boundary between its halves.
    bool persist = ps_end.dot(level.rho_init + level.rho_final) > 0 &&
                   ps_beg.dot(level.rho_init + level.rho_final) > 0;
    persist = persist && ps_beg.dot(level.rho_init + level.p_final_beg) > 0 &&
              level.ps_final_beg.dot(level.rho_init + level.p_final_beg) > 0;
    persist = persist && level.ps_init_end.dot(level.rho_final + level.p_init_end) > 0 &&
              ps_end.dot(level.rho_final + level.p_init_end) > 0;
    return persist;
  }

  // Stan's base_nuts::transition with biased progressive sampling between subtrees.
  Transition transition() {
    sample_momentum(z_);
    z_fwd_ = z_;
    z_bck_ = z_;
    z_sample_ = z_;
    z_propose_ = z_;
    ps_fwd_bck_ = inverse_metric_.cwiseProduct(z_.p);
    ps_fwd_fwd_ = ps_fwd_bck_;
    ps_bck_fwd_ = ps_fwd_bck_;
    ps_bck_bck_ = ps_fwd_bck_;
    p_fwd_bck_ = z_.p;
    p_fwd_fwd_ = z_.p;
    p_bck_fwd_ = z_.p;
    p_bck_bck_ = z_.p;
    rho_ = z_.p;
    double log_sum_weight = 0;
    const double h0 = hamiltonian(z_);
    int n_leapfrog = 0;
    double sum_metro_prob = 0;
    int depth = 0;
    divergent_ = false;
    while (depth < options_.max_depth) {
      rho_fwd_.setZero();
      rho_bck_.setZero();
      bool valid = false;
      double log_sum_weight_subtree = -kInf;
      if (uniform() > 0.5) {
        z_ = z_fwd_;
        rho_bck_ = rho_;
        p_bck_fwd_ = p_fwd_bck_;
        ps_bck_fwd_ = ps_fwd_bck_;
        valid = build_tree(depth, z_propose_, ps_fwd_bck_, ps_fwd_fwd_, rho_fwd_, p_fwd_bck_,
                           p_fwd_fwd_, h0, 1, n_leapfrog, log_sum_weight_subtree, sum_metro_prob);
        z_fwd_ = z_;
      } else {
        z_ = z_bck_;
        rho_fwd_ = rho_;
        p_fwd_bck_ = p_bck_fwd_;
        ps_fwd_bck_ = ps_bck_fwd_;
        valid = build_tree(depth, z_propose_, ps_bck_fwd_, ps_bck_bck_, rho_bck_, p_bck_fwd_,
                           p_bck_bck_, h0, -1, n_leapfrog, log_sum_weight_subtree, sum_metro_prob);
        z_bck_ = z_;
      }
      if (!valid) break;
      ++depth;
      // Biased progressive sampling: favour the new subtree (Betancourt 2017, A.3.2).
      if (log_sum_weight_subtree > log_sum_weight ||
          uniform() < std::exp(log_sum_weight_subtree - log_sum_weight)) {
        z_sample_ = z_propose_;
      }
      log_sum_weight = log_sum_exp(log_sum_weight, log_sum_weight_subtree);
      rho_ = rho_bck_ + rho_fwd_;
      bool persist = no_u_turn(ps_bck_bck_, ps_fwd_fwd_, rho_);
      persist = persist && ps_bck_bck_.dot(rho_bck_ + p_fwd_bck_) > 0 &&
                ps_fwd_bck_.dot(rho_bck_ + p_fwd_bck_) > 0;
      persist = persist && ps_bck_fwd_.dot(rho_fwd_ + p_bck_fwd_) > 0 &&
                ps_fwd_fwd_.dot(rho_fwd_ + p_bck_fwd_) > 0;
      if (!persist) break;
    }
    z_ = z_sample_;
    Transition t;
    t.accept_stat = n_leapfrog > 0 ? sum_metro_prob / n_leapfrog : 0;
    t.depth = depth;
    t.n_leapfrog = n_leapfrog;
    t.divergent = divergent_;
    t.energy = hamiltonian(z_);
    return t;
  }

  const LogDensity& model_;
  const NutsOptions& options_;
  std::mt19937_64 rng_;
  StepSizeAdaptation adaptation_;
  Eigen::VectorXd inverse_metric_;
  double step_size_ = 1;
  bool divergent_ = false;
  PhasePoint z_, z_fwd_, z_bck_, z_sample_, z_propose_, z_init_;
  // Momenta (p) and velocities (ps = M^{-1} p) at both ends of both sides of the trajectory.
  Eigen::VectorXd rho_, rho_fwd_, rho_bck_, p_fwd_fwd_, p_fwd_bck_, p_bck_fwd_, p_bck_bck_,
      ps_fwd_fwd_, ps_fwd_bck_, ps_bck_fwd_, ps_bck_bck_;
  std::vector<Level> levels_;
};

}  // namespace

}  // namespace detail

SampleResult sample_nuts(const LogDensity& model, const NutsOptions& options,
                         const std::optional<Eigen::VectorXd>& init) {
  if (options.chains < 1 || options.warmup < 0 || options.draws < 0 || options.thin < 1 ||
      options.max_depth < 1 || !(options.target_accept > 0 && options.target_accept < 1) ||
      !(options.step_size > 0) || !(options.init_radius >= 0)) {
    throw Error(ErrorKind::usage,
                "sampler options out of range: chains >= 1, warmup >= 0, draws >= 0, thin >= 1, "
                "max depth >= 1, 0 < target acceptance < 1, step size > 0, init radius >= 0");
  }
  if (init && init->size() != static_cast<Eigen::Index>(model.dimension())) {
    throw Error(ErrorKind::internal, "initial values of the wrong dimension");
  }
  const auto chains = static_cast<std::size_t>(options.chains);
  SampleResult result;
  result.chains.resize(chains);
  std::vector<std::exception_ptr> errors(chains);
  std::atomic<std::size_t> done{0};
  std::atomic<std::size_t> finished{0};
  const std::size_t total = chains * static_cast<std::size_t>(options.warmup + options.draws);
  std::optional<Progress> progress;
  if (options.progress) progress.emplace("sampling", total);

  auto run_chain = [&](std::size_t c, const std::function<void()>& tick) {
    try {
      detail::Chain chain(model, options, c);
      chain.initialise(init);
      result.chains[c] = chain.run(tick);
    } catch (...) {
      errors[c] = std::current_exception();
    }
    finished.fetch_add(1);
  };
  if (options.parallel && chains > 1) {
    std::vector<std::thread> threads;
    threads.reserve(chains);
    const std::function<void()> tick = [&done] { done.fetch_add(1, std::memory_order_relaxed); };
    for (std::size_t c = 0; c < chains; ++c)
      threads.emplace_back(run_chain, c, tick);
    // The progress bar is drawn by this thread only (Progress is not thread-safe).
    while (progress && finished.load() < chains) {
      progress->update(done.load(std::memory_order_relaxed));
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    for (std::thread& thread : threads)
      thread.join();
  } else {
    std::size_t count = 0;
    const std::function<void()> tick = [&] {
      ++count;
      if (progress) progress->update(count);
    };
    for (std::size_t c = 0; c < chains; ++c)
      run_chain(c, tick);
  }
  for (const std::exception_ptr& error : errors) {
    if (error) std::rethrow_exception(error);
  }
  if (progress) progress->finish();
  return result;
}

}  // namespace recount::mcmc
