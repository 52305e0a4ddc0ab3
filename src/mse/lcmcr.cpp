// The Bayesian non-parametric latent-class model for capture-recapture (Manrique-Vallier 2016,
// Biometrics 72:1246-1254) and its data-augmentation Gibbs sampler (section 3 of the paper; the
// same updates, in the same order, as the LCMCR package), with one partially collapsed move
// added for the slowest direction, the number unobserved. Individuals are never stored: the
// observed ones are pattern counts split among the classes by multinomial draws, the unobserved
// ones are one count split the same way.

#include "recount/mse/lcmcr.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "recount/core/check.hpp"
#include "recount/core/error.hpp"
#include "recount/core/progress.hpp"
#include "recount/mcmc/diagnostics.hpp"

namespace recount::mse {
namespace {

using detail::Xoshiro256;

struct PatternCount {
  std::uint32_t pattern;
  std::int64_t count;
};

class LatentClassSampler {
 public:
  LatentClassSampler(const std::vector<PatternCount>& observed, int lists,
                     const LcmcrOptions& options, detail::PopulationPrior prior,
                     std::uint64_t stream, detail::SplitMergeSettings split_merge,
                     detail::ReallocationSettings reallocation)
      : observed_(observed),
        lists_(lists),
        classes_(options.classes),
        a_alpha_(options.a_alpha),
        b_alpha_(options.b_alpha),
        prior_(prior),
        split_log_bias_(split_merge.log_bias),
        split_merge_interval_(std::max<std::int64_t>(split_merge.interval, 1)),
        reallocation_interval_(reallocation.interval),
        reallocation_log_bias_(reallocation.log_bias),
        rng_(options.seed) {
    for (std::uint64_t s = 0; s < stream; ++s)
      rng_.jump();
    const auto k = static_cast<std::size_t>(classes_);
    const auto jk = static_cast<std::size_t>(lists_) * k;
    lambda_.resize(jk);
    ones_.resize(jk);
    nu_.resize(k);
    weight_.resize(k);
    draw_.resize(k);
    order_.resize(k);
    std::iota(order_.begin(), order_.end(), std::size_t{0});
    suffix_.resize(k + 1);
    cumulative_.resize(k);
    class_observed_.resize(k);
    class_missing_.assign(k, 0);
    cell_.assign(observed_.size() * k, 0);
    rest_.resize(observed_.size() + 1);
    side_.resize(observed_.size() + 1);
    proposal_share_.resize(observed_.size() + 1);
    proposal_concentration_.resize(observed_.size() + 1);
    side_on_.resize(2 * static_cast<std::size_t>(lists_));
    list_log_odds_.resize(2 * static_cast<std::size_t>(lists_));
    list_variance_.resize(2 * static_cast<std::size_t>(lists_));
    for (const auto& p : observed_)
      n_ += p.count;
    // Starting values: every class captured like the people observed, alpha = 0.3 / K*, then 500
    // warm-up sweeps with alpha held there, as LCMCR; but one large class (nine tenths of the
    // weight) where LCMCR has four. From four, chains on a table near independence (hiv) had to
    // merge classes and stayed for 100,000 sweeps and more in a two-class minor mode, so that the
    // default run failed R-hat on a third of seeds; from one, none of 20 did, and chains on
    // tables that need several classes (kosovo, lesbian) split as fast. Widely dispersed starts
    // were tried too and left chains for hundreds of thousands of sweeps in minor modes.
    for (int j = 0; j < lists_; ++j) {
      std::int64_t on = 0;
      for (const auto& p : observed_)
        if ((p.pattern >> j) & 1U) on += p.count;
      const double share =
          std::clamp(static_cast<double>(on) / static_cast<double>(n_), 0.02, 0.98);
      for (std::size_t c = 0; c < k; ++c)
        lambda_[static_cast<std::size_t>(j) * k + c] = share;
    }
    for (std::size_t c = 0; c < k; ++c)
      nu_[c] = k == 1 ? 1.0 : c == 0 ? 0.9 : 0.1 / static_cast<double>(k - 1);
    alpha_ = 0.3 / static_cast<double>(k);
    for (int i = 0; i < 500; ++i) {
      sample_observed_classes();
      sample_lambda();
      sample_stick_breaking();
      sample_missing();
      order_classes();
    }
  }

  // One sweep: LCMCR's Gibbs steps in its order (classes of the observed, lambda, pi, the number
  // of unobserved and their classes, alpha) and, before alpha, one collapsed move of the
  // unobserved of one class, every split_merge_interval_ sweeps one split-merge proposal and
  // every reallocation_interval_ sweeps one collapsed reallocation between two classes. (A fixed
  // cycle of kernels that each leave the posterior invariant leaves it invariant.) Every sweep,
  // the split-merge proposals doubled the time of a sweep on 4-list tables and tripled it on
  // 8-list ones, for acceptance rates below 1e-4 at stationarity.
  void sweep() {
    sample_observed_classes();
    sample_lambda();
    sample_stick_breaking();
    sample_missing();
    move_missing_collapsed();
    ++sweeps_;
    if (sweeps_ % split_merge_interval_ == 0) split_merge();
    if (reallocation_interval_ > 0 && sweeps_ % reallocation_interval_ == 0) reallocate();
    sample_alpha();
    order_classes();
  }

  [[nodiscard]] double population() const { return static_cast<double>(n_ + missing_); }

  [[nodiscard]] double first_class_size() const {
    return static_cast<double>(class_observed_[0] + class_missing_[0]);
  }

  [[nodiscard]] int occupied_classes() const {
    int occupied = 0;
    for (std::size_t c = 0; c < static_cast<std::size_t>(classes_); ++c)
      occupied += class_observed_[c] + class_missing_[c] > 0 ? 1 : 0;
    return occupied;
  }

  // The class weights pi, largest first (labels are arbitrary, so only their order means
  // anything across draws).
  void sorted_weights(std::vector<double>& out) const {
    out = nu_;
    std::sort(out.begin(), out.end(), std::greater<>());
  }

  [[nodiscard]] const detail::SplitMergeCounts& split_merge_counts() const { return moves_; }

 private:
  // z: each observed pattern's count is split among the classes in proportion to
  // pi_k * prod_j lambda_jk^x_j (1 - lambda_jk)^(1 - x_j) (paper, step 1).
  void sample_observed_classes() {
    const auto k = static_cast<std::size_t>(classes_);
    std::fill(class_observed_.begin(), class_observed_.end(), 0);
    std::fill(ones_.begin(), ones_.end(), 0);
    for (std::size_t index = 0; index < observed_.size(); ++index) {
      const auto& p = observed_[index];
      for (std::size_t c = 0; c < k; ++c)
        weight_[c] = nu_[c];
      for (int j = 0; j < lists_; ++j) {
        const double* lambda = &lambda_[static_cast<std::size_t>(j) * k];
        if ((p.pattern >> j) & 1U) {
          for (std::size_t c = 0; c < k; ++c)
            weight_[c] *= lambda[c];
        } else {
          for (std::size_t c = 0; c < k; ++c)
            weight_[c] *= 1 - lambda[c];
        }
      }
      multinomial(p.count);
      std::copy(draw_.begin(), draw_.end(), cell_.begin() + static_cast<std::ptrdiff_t>(index * k));
      for (std::size_t c = 0; c < k; ++c) {
        if (draw_[c] == 0) continue;
        class_observed_[c] += draw_[c];
        for (std::uint32_t bits = p.pattern; bits != 0; bits &= bits - 1)
          ones_[static_cast<std::size_t>(std::countr_zero(bits)) * k + c] += draw_[c];
      }
    }
  }

  // lambda_jk ~ Beta(1 + captured, 1 + not captured) among class k, the unobserved included.
  void sample_lambda() {
    for (std::size_t j = 0; j < static_cast<std::size_t>(lists_); ++j)
      for (std::size_t c = 0; c < static_cast<std::size_t>(classes_); ++c)
        sample_lambda(j, c);
  }

  void sample_lambda(std::size_t j, std::size_t c) {
    const auto k = static_cast<std::size_t>(classes_);
    const auto on = static_cast<double>(ones_[j * k + c]);
    const auto total = static_cast<double>(class_observed_[c] + class_missing_[c]);
    // An empty class's Beta(1, 1) is a uniform: one draw instead of two gammas.
    lambda_[j * k + c] = total == 0 ? rng_.uniform_positive() : beta(1 + on, 1 + total - on);
  }

  // pi by truncated stick-breaking: V_k ~ Beta(1 + n_k, alpha + n_{>k}), V_K* = 1 (paper,
  // step 3; Ishwaran & James 2001). While people remain beyond class k both gamma shapes are at
  // least 1, so V_k and the stick left, a product of at most K* factors of at least about 1/N,
  // are drawn directly; past the last person (shape alpha, possibly tiny) in logarithms, so
  // tiny sticks do not underflow to 0 / 0.
  void sample_stick_breaking() {
    // exp of anything below this is 0 in double (the smallest subnormal is about e^-744.4).
    constexpr double min_log_weight = -746;
    const auto k = static_cast<std::size_t>(classes_);
    std::int64_t remaining = n_ + missing_;
    double rest = 1;
    double log_rest = 0;
    bool in_logs = false;
    for (std::size_t c = 0; c + 1 < k; ++c) {
      const std::int64_t in_class = class_observed_[c] + class_missing_[c];
      remaining -= in_class;
      const double a_shape = 1.0 + static_cast<double>(in_class);
      const double b_shape = alpha_ + static_cast<double>(remaining);
      if (!in_logs && b_shape >= 1) {
        const double a = a_shape == 1 ? -std::log(rng_.uniform_positive()) : gamma(a_shape);
        const double b = gamma(b_shape);
        nu_[c] = rest * a / (a + b);
        rest *= b / (a + b);
        continue;
      }
      if (!in_logs) {
        log_rest = std::log(rest);
        in_logs = true;
      }
      if (in_class == 0 && remaining == 0) {
        if (log_rest < min_log_weight) {
          // Every weight from here on is 0 in double: only their sum of log(1 - V) matters, and
          // a sum of t Exp(1) / alpha is Gamma(t) / alpha, one draw instead of t.
          log_rest -= gamma(static_cast<double>(k - 1 - c)) / alpha_;
          std::fill(nu_.begin() + static_cast<std::ptrdiff_t>(c), nu_.end(), 0.0);
          break;
        }
        // V ~ Beta(1, alpha): 1 - V ~ Beta(alpha, 1) is U^(1 / alpha), so both logarithms come
        // from one uniform.
        const double log_stay = std::log(rng_.uniform_positive()) / alpha_;
        nu_[c] = std::exp(log_rest) * -std::expm1(log_stay);
        log_rest += log_stay;
        continue;
      }
      const double a = log_gamma_draw(a_shape);
      const double b = log_gamma_draw(b_shape);
      const double sum = std::max(a, b) + std::log1p(std::exp(-std::abs(a - b)));
      nu_[c] = std::exp(log_rest + a - sum);
      log_rest += b - sum;
    }
    if (!in_logs) log_rest = std::log(rest);
    nu_[k - 1] = in_logs ? std::exp(log_rest) : rest;
    log_rest_ = log_rest;
  }

  // The unobserved: with prior N ~ Poisson(mu), mu ~ Gamma(s, r), the number missing given the
  // rest is negative binomial(n + s, 1 - p0 / (1 + r)), p0 the probability of being seen by no
  // list; s = r = 0 is LCMCR's p(N) ∝ 1/N. Drawn as a gamma-Poisson mixture. Their classes are
  // multinomial in proportion to pi_k prod_j (1 - lambda_jk) (paper, steps 4-5).
  void sample_missing() {
    const auto k = static_cast<std::size_t>(classes_);
    double p0 = 0;
    for (std::size_t c = 0; c < k; ++c) {
      double w = nu_[c];
      for (std::size_t j = 0; j < static_cast<std::size_t>(lists_); ++j)
        w *= 1 - lambda_[j * k + c];
      weight_[c] = w;
      p0 += w;
    }
    const double q = std::min(p0 / (1 + prior_.rate), 1 - 1e-12);
    missing_ = 0;
    if (q > 0) {
      const double rate = gamma(static_cast<double>(n_) + prior_.shape) * q / (1 - q);
      missing_ = detail::poisson(rng_, rate);
    }
    multinomial(missing_);
    std::copy(draw_.begin(), draw_.end(), class_missing_.begin());
  }

  // log p(m_c | everything but pi and lambda_.c) up to a constant, m_c the unobserved in class c,
  // with pi and lambda_.c integrated out of the joint p(N) N! / prod m! prod_c pi_c^(n_c + m_c)
  // prod_jc lambda^on (1 - lambda)^(n_c + m_c - on): p(N) N! ∝ Gamma(N + s) (1 + r)^-N; each
  // list gives B(1 + on_jc, 1 + n_c + m_c - on_jc); the sticks give prod_k B(1 + N_k,
  // alpha + N_>k) (Ishwaran & James 2001), whose terms k < c involve m_c through N_>k only and
  // whose terms k > c not at all.
  double log_missing_target(std::size_t c, std::int64_t m) const {
    const auto k = static_cast<std::size_t>(classes_);
    const std::int64_t population = n_ + missing_ - class_missing_[c] + m;
    const auto in_class = static_cast<double>(class_observed_[c] + m);
    const auto people = static_cast<double>(population);
    double v = log_gamma(people + prior_.shape) - people * std::log1p(prior_.rate) -
               log_gamma(static_cast<double>(m) + 1) - lists_ * log_gamma(in_class + 2);
    for (std::size_t j = 0; j < static_cast<std::size_t>(lists_); ++j)
      v += log_gamma(in_class - static_cast<double>(ones_[j * k + c]) + 1);
    std::int64_t after = population;
    for (std::size_t i = 0; i + 1 < k && i <= c; ++i) {
      const std::int64_t size =
          i == c ? class_observed_[c] + m : class_observed_[i] + class_missing_[i];
      after -= size;
      const auto a = static_cast<double>(size) + 1;
      const double b = alpha_ + static_cast<double>(after);
      v += log_gamma(b) - log_gamma(a + b) + (i == c ? log_gamma(a) : 0.0);
    }
    return v;
  }

  // Half-width of the proposal for m_c: a fifth of it, at least 1. Widths from a tenth to a half
  // gave the same effective sample size of N; the Gibbs steps around it set the pace.
  static std::int64_t missing_step(std::int64_t m) {
    return 1 + static_cast<std::int64_t>(0.2 * static_cast<double>(m + 1));
  }

  // A partially collapsed Metropolis-Hastings step (van Dyk & Park 2008, JASA 103:790) for the
  // unobserved of the class that holds most of them: m_c moves with pi and lambda_.c integrated
  // out, and on acceptance both are drawn again given it. In the plain Gibbs sweep m_c is held by
  // lambda_.c and pi, each drawn given m_c; N, mostly m_c, crept. This move is not in LCMCR. The
  // class is chosen by what the move leaves fixed: the observed in it times the chance, at the
  // posterior mean of lambda given them, that a member is missed by every list.
  void move_missing_collapsed() {
    const auto k = static_cast<std::size_t>(classes_);
    std::size_t c = 0;
    double best = -1;
    for (std::size_t i = 0; i < k; ++i) {
      const auto in_class = static_cast<double>(class_observed_[i]);
      double share = in_class + 1;
      for (std::size_t j = 0; j < static_cast<std::size_t>(lists_); ++j)
        share *= (in_class - static_cast<double>(ones_[j * k + i]) + 1) / (in_class + 2);
      if (share > best) {
        best = share;
        c = i;
      }
    }
    // m_c + d, d uniform on +-1..w; the reverse move's width w' decides whether it can return,
    // and w / w' is the Hastings ratio.
    const std::int64_t m = class_missing_[c];
    const std::int64_t w = missing_step(m);
    const auto step = std::min(
        static_cast<std::int64_t>(rng_.uniform_positive() * static_cast<double>(2 * w)), 2 * w - 1);
    const std::int64_t proposal = m + (step < w ? step - w : step - w + 1);
    if (proposal < 0) return;
    const std::int64_t w_back = missing_step(proposal);
    if (std::abs(proposal - m) > w_back) return;
    const double log_ratio = log_missing_target(c, proposal) - log_missing_target(c, m) +
                             std::log(static_cast<double>(w) / static_cast<double>(w_back));
    if (!(std::log(rng_.uniform_positive()) < log_ratio)) return;
    missing_ += proposal - m;
    class_missing_[c] = proposal;
    for (std::size_t j = 0; j < static_cast<std::size_t>(lists_); ++j)
      sample_lambda(j, c);
    sample_stick_breaking();
  }

  // ---- Split-merge of latent classes -------------------------------------------------------
  // Jain & Neal (2004, J. Comput. Graph. Statist. 13:158), written for the Chinese-restaurant
  // form, applied here to the truncated stick-breaking form with the unobserved augmented; the
  // derivation is in docs/mse.md ("Split-merge"). The move acts on the classes of the N people
  // (observed and unobserved) with N, alpha and every other class held, and with lambda of the
  // two classes and the sticks pi integrated out; on acceptance both are drawn again given the
  // new classes (as the collapsed move above). People are cells here: observed pattern p, or
  // p = P for the unobserved (pattern 0), in class c.

  [[nodiscard]] std::size_t cells() const { return observed_.size() + 1; }
  [[nodiscard]] std::uint32_t cell_pattern(std::size_t p) const {
    return p < observed_.size() ? observed_[p].pattern : 0U;
  }
  [[nodiscard]] std::int64_t cell_count(std::size_t p, std::size_t c) const {
    return p < observed_.size() ? cell_[p * static_cast<std::size_t>(classes_) + c]
                                : class_missing_[c];
  }

  struct Person {
    std::size_t cell;
    std::size_t group;  // the class
  };

  // One of the N people uniformly, or of the N - 1 others than one already drawn (`drawn`).
  Person pick_person(const Person* drawn) {
    const auto k = static_cast<std::size_t>(classes_);
    const std::int64_t total = n_ + missing_ - (drawn != nullptr ? 1 : 0);
    auto u = std::min(
        static_cast<std::int64_t>(rng_.uniform_positive() * static_cast<double>(total)), total - 1);
    for (std::size_t c = 0; c < k; ++c) {
      if (class_observed_[c] + class_missing_[c] == 0) continue;
      for (std::size_t p = 0; p < cells(); ++p) {
        const std::int64_t count =
            cell_count(p, c) - (drawn != nullptr && drawn->cell == p && drawn->group == c ? 1 : 0);
        if (u < count) return {p, c};
        u -= count;
      }
    }
    throw internal_error("lcmcr split-merge: no person left to draw");
  }

  // Sizes and captures by list of the two sides of a split of rest_ (side 1 takes side_[p] of
  // cell p, side 0 the others), the anchors i (side 0) and j (side 1) included.
  void split_statistics(const Person& i, const Person& j) {
    const auto lists = static_cast<std::size_t>(lists_);
    side_size_[0] = side_size_[1] = 0;
    std::fill(side_on_.begin(), side_on_.end(), 0.0);
    for (std::size_t p = 0; p < cells(); ++p) {
      const double on_side[2] = {static_cast<double>(rest_[p] - side_[p] + (i.cell == p ? 1 : 0)),
                                 static_cast<double>(side_[p] + (j.cell == p ? 1 : 0))};
      for (int s = 0; s < 2; ++s) {
        side_size_[s] += on_side[s];
        for (std::uint32_t bits = cell_pattern(p); bits != 0; bits &= bits - 1)
          side_on_[static_cast<std::size_t>(s) * lists +
                   static_cast<std::size_t>(std::countr_zero(bits))] += on_side[s];
      }
    }
  }

  // The proposal for side 1's share of each cell given split_statistics: the predictive
  // probability that a person of the cell belongs to side 1 (class sizes as weights, listing
  // probabilities at their posterior means, as one step of Jain & Neal's restricted Gibbs scan),
  // and a beta-binomial concentration that makes the share as uncertain as that probability is
  // (delta method on its log odds: var log lambda-hat ~ (1 - lambda) / (lambda (n + 2))); the
  // people of a cell are alike, so a binomial share would be far narrower than the share's
  // posterior on large cells (the unobserved) and the reverse of a merge nearly impossible.
  void split_proposal_parameters() {
    const auto lists = static_cast<std::size_t>(lists_);
    // What one list adds, for a person it captured (on = 1) or missed: the same for every cell,
    // so computed once per list rather than once per cell and list.
    for (std::size_t l = 0; l < lists; ++l)
      for (std::size_t on = 0; on < 2; ++on) {
        double log_odds = 0;
        double variance = 0;
        for (std::size_t s = 0; s < 2; ++s) {
          const double size = side_size_[s] + 2;
          const double lambda = (side_on_[s * lists + l] + 1) / size;
          const double share = on == 1 ? lambda : 1 - lambda;
          log_odds += (s == 1 ? 1 : -1) * std::log(share);
          variance += (1 - share) / (share * size);
        }
        list_log_odds_[2 * l + on] = log_odds;
        list_variance_[2 * l + on] = variance;
      }
    const double size_log_odds = std::log(side_size_[1] / side_size_[0]);
    const double size_variance = 1 / side_size_[0] + 1 / side_size_[1];
    for (std::size_t p = 0; p < cells(); ++p) {
      if (rest_[p] == 0) continue;  // nobody to place: the parameters are never read
      double log_odds = size_log_odds;
      double variance = size_variance;
      const std::uint32_t pattern = cell_pattern(p);
      for (std::size_t l = 0; l < lists; ++l) {
        const std::size_t on = (pattern >> l) & 1U;
        log_odds += list_log_odds_[2 * l + on];
        variance += list_variance_[2 * l + on];
      }
      const double f = std::clamp(1 / (1 + std::exp(-log_odds)), 1e-9, 1 - 1e-9);
      proposal_share_[p] = f;
      proposal_concentration_[p] = std::clamp(1 / (f * (1 - f) * variance) - 1, 1.0, 1e6);
    }
  }

  // Jain & Neal's launch state, drawn from the people of the two classes and the anchors alone
  // (so that it has the same law in a split and in the merge that reverses it): a random halving,
  // then `launch_scans` restricted scans, each redrawing every cell's share given the last.
  void launch_split(const Person& i, const Person& j) {
    constexpr int launch_scans = 2;
    for (std::size_t p = 0; p < cells(); ++p)
      side_[p] = detail::binomial(rng_, rest_[p], 0.5);
    for (int t = 0; t < launch_scans; ++t) {
      split_statistics(i, j);
      split_proposal_parameters();
      for (std::size_t p = 0; p < cells(); ++p)
        side_[p] = detail::binomial(rng_, rest_[p], proposal_share_[p]);
    }
    split_statistics(i, j);
    split_proposal_parameters();
  }

  // log probability of one particular assignment of the people of each cell with side_[p] on
  // side 1: beta-binomial(rest, c f, c (1 - f)) per cell without its binomial coefficient, which
  // cancels against the target's multinomial coefficient (see docs/mse.md).
  double log_split_proposal() const {
    double v = 0;
    for (std::size_t p = 0; p < cells(); ++p) {
      if (rest_[p] == 0) continue;
      const double a = proposal_concentration_[p] * proposal_share_[p];
      const double b = proposal_concentration_[p] * (1 - proposal_share_[p]);
      const auto k = static_cast<double>(side_[p]);
      const auto r = static_cast<double>(rest_[p]);
      v += log_beta(k + a, r - k + b) - log_beta(a, b);
    }
    return v;
  }

  void draw_split() {
    for (std::size_t p = 0; p < cells(); ++p) {
      if (rest_[p] == 0) {
        side_[p] = 0;
        continue;
      }
      const double a = proposal_concentration_[p] * proposal_share_[p];
      const double b = proposal_concentration_[p] * (1 - proposal_share_[p]);
      double theta = beta(a, b);
      if (!(theta >= 0 && theta <= 1)) theta = proposal_share_[p];  // both gammas underflowed
      side_[p] = detail::binomial(rng_, rest_[p], theta);
    }
  }

  // log of the collapsed target, as a function of the classes' people, up to what the move
  // holds: lambda of each class integrated out, prod_j B(1 + on_jc, 1 + n_c - on_jc), for the
  // two classes a and b (sizes and captures given), and the sticks integrated out, prod_k<K*
  // B(1 + N_k, alpha + N_>k) (Ishwaran & James 2001), over every class.
  double log_pair_target(std::size_t a, std::size_t b, const double size[2], const double* on_a,
                         const double* on_b) const {
    const auto k = static_cast<std::size_t>(classes_);
    double v = 0;
    for (int s = 0; s < 2; ++s) {
      const double* on = s == 0 ? on_a : on_b;
      for (std::size_t l = 0; l < static_cast<std::size_t>(lists_); ++l)
        v += log_gamma(1 + on[l]) + log_gamma(1 + size[s] - on[l]) - log_gamma(2 + size[s]);
    }
    double after = static_cast<double>(n_ + missing_);
    for (std::size_t c = 0; c + 1 < k; ++c) {
      const double in_class = c == a ? size[0]
                              : c == b
                                  ? size[1]
                                  : static_cast<double>(class_observed_[c] + class_missing_[c]);
      after -= in_class;
      v += log_gamma(1 + in_class) + log_gamma(alpha_ + after) -
           log_gamma(1 + alpha_ + in_class + after);
    }
    return v;
  }

  // Sizes and captures of classes a and b as they are now.
  double log_current_pair_target(std::size_t a, std::size_t b) {
    const auto k = static_cast<std::size_t>(classes_);
    const auto lists = static_cast<std::size_t>(lists_);
    const double size[2] = {static_cast<double>(class_observed_[a] + class_missing_[a]),
                            static_cast<double>(class_observed_[b] + class_missing_[b])};
    for (std::size_t l = 0; l < lists; ++l) {
      side_on_[l] = static_cast<double>(ones_[l * k + a]);
      side_on_[lists + l] = static_cast<double>(ones_[l * k + b]);
    }
    return log_pair_target(a, b, size, side_on_.data(), side_on_.data() + lists);
  }

  double log_merged_pair_target(std::size_t a, std::size_t b) {
    const auto k = static_cast<std::size_t>(classes_);
    const auto lists = static_cast<std::size_t>(lists_);
    const double size[2] = {static_cast<double>(class_observed_[a] + class_missing_[a] +
                                                class_observed_[b] + class_missing_[b]),
                            0};
    for (std::size_t l = 0; l < lists; ++l) {
      side_on_[l] = static_cast<double>(ones_[l * k + a] + ones_[l * k + b]);
      side_on_[lists + l] = 0;
    }
    return log_pair_target(a, b, size, side_on_.data(), side_on_.data() + lists);
  }

  // Puts the people of cell p into classes a and b (`in_a`, `in_b` of them) and recounts the
  // two classes' totals and captures.
  void set_pair(std::size_t a, std::size_t b, const std::vector<std::int64_t>& in_b,
                const Person& i, const Person& j) {
    const auto k = static_cast<std::size_t>(classes_);
    class_observed_[a] = class_observed_[b] = 0;
    for (std::size_t l = 0; l < static_cast<std::size_t>(lists_); ++l)
      ones_[l * k + a] = ones_[l * k + b] = 0;
    for (std::size_t p = 0; p < cells(); ++p) {
      const std::int64_t to_b = in_b[p] + (j.cell == p ? 1 : 0);
      const std::int64_t to_a = rest_[p] - in_b[p] + (i.cell == p ? 1 : 0);
      if (p == observed_.size()) {
        class_missing_[a] = to_a;
        class_missing_[b] = to_b;
        continue;
      }
      cell_[p * k + a] = to_a;
      cell_[p * k + b] = to_b;
      class_observed_[a] += to_a;
      class_observed_[b] += to_b;
      for (std::uint32_t bits = observed_[p].pattern; bits != 0; bits &= bits - 1) {
        const auto l = static_cast<std::size_t>(std::countr_zero(bits));
        ones_[l * k + a] += to_a;
        ones_[l * k + b] += to_b;
      }
    }
  }

  // Two people i, j drawn at random; in one class, a split of it into that class (with i) and
  // an empty class b chosen uniformly among the E empty ones (with j), its other people placed
  // by the launch's proposal; in two classes, the merge of j's class into i's. Metropolis-
  // Hastings ratio (docs/mse.md): split, target ratio x E / q(split); merge, target ratio x
  // q(reverse split) / E', E' the empty classes after the merge.
  void split_merge() {
    const auto k = static_cast<std::size_t>(classes_);
    if (n_ + missing_ < 2 || k < 2) return;
    const Person i = pick_person(nullptr);
    const Person j = pick_person(&i);
    const std::size_t a = i.group;
    std::int64_t empty = 0;
    for (std::size_t c = 0; c < k; ++c)
      empty += class_observed_[c] + class_missing_[c] == 0 ? 1 : 0;
    if (j.group == a) {
      ++moves_.splits_proposed;
      if (empty == 0) return;
      auto pick =
          std::min(static_cast<std::int64_t>(rng_.uniform_positive() * static_cast<double>(empty)),
                   empty - 1);
      std::size_t b = 0;
      for (; b < k; ++b)
        if (class_observed_[b] + class_missing_[b] == 0 && pick-- == 0) break;
      for (std::size_t p = 0; p < cells(); ++p)
        rest_[p] = cell_count(p, a) - (i.cell == p ? 1 : 0) - (j.cell == p ? 1 : 0);
      const double log_merged = log_merged_pair_target(a, b);
      launch_split(i, j);
      draw_split();
      const double log_q = log_split_proposal();
      split_statistics(i, j);
      const auto lists = static_cast<std::size_t>(lists_);
      const double log_split =
          log_pair_target(a, b, side_size_, side_on_.data(), side_on_.data() + lists);
      const double log_ratio =
          log_split - log_merged + std::log(static_cast<double>(empty)) - log_q + split_log_bias_;
      if (!(std::log(rng_.uniform_positive()) < log_ratio)) return;
      ++moves_.splits_accepted;
      set_pair(a, b, side_, i, j);
      redraw_pair(a, b);
      return;
    }
    ++moves_.merges_proposed;
    const std::size_t b = j.group;
    for (std::size_t p = 0; p < cells(); ++p)
      rest_[p] =
          cell_count(p, a) + cell_count(p, b) - (i.cell == p ? 1 : 0) - (j.cell == p ? 1 : 0);
    const double log_split = log_current_pair_target(a, b);
    const double log_merged = log_merged_pair_target(a, b);
    launch_split(i, j);
    for (std::size_t p = 0; p < cells(); ++p)
      side_[p] = cell_count(p, b) - (j.cell == p ? 1 : 0);
    const double log_q = log_split_proposal();
    const double log_ratio =
        log_merged - log_split + log_q - std::log(static_cast<double>(empty + 1)) - split_log_bias_;
    if (!(std::log(rng_.uniform_positive()) < log_ratio)) return;
    ++moves_.merges_accepted;
    for (std::size_t p = 0; p < cells(); ++p)
      rest_[p] = cell_count(p, a) + cell_count(p, b);
    std::fill(side_.begin(), side_.end(), 0);
    const Person nobody{cells(), a};
    set_pair(a, b, side_, nobody, nobody);
    redraw_pair(a, b);
  }

  void redraw_pair(std::size_t a, std::size_t b) {
    for (std::size_t l = 0; l < static_cast<std::size_t>(lists_); ++l) {
      sample_lambda(l, a);
      sample_lambda(l, b);
    }
    sample_stick_breaking();
  }

  // ---- Collapsed reallocation between two classes ------------------------------------------
  // A restricted Gibbs scan (Jain & Neal 2004, section 3, whose restricted scans reallocate the
  // people of two components with the others held) in collapsed form (MacEachern 1994, Commun.
  // Statist. Simul. Comput. 23:727; Liu 1994, JASA 89:958): the people of two occupied classes
  // a < b are reallocated between them, cell by cell, each cell's split drawn from its
  // conditional given the other cells with lambda of a and b and all the sticks integrated out;
  // then lambda_a, lambda_b and the sticks are drawn given the new classes (as after a split-
  // merge). N, alpha and the other classes are held. The slowest direction of LCMCR's sweep on
  // lesbian, the split of people between its two largest classes, is held back by lambda and pi
  // drawn given that split and the split given them; here neither is held. See docs/mse.md.

  // Sizes of the classes other than a and b, then the classes' sizes from k on (suffix_sizes_),
  // for the stick-breaking factor of moving one person.
  void reallocation_suffix(std::size_t a, std::size_t b) {
    const auto k = static_cast<std::size_t>(classes_);
    other_suffix_.assign(k + 1, 0);
    for (std::size_t c = k; c-- > 0;)
      other_suffix_[c] =
          other_suffix_[c + 1] + (c == a || c == b ? 0 : class_observed_[c] + class_missing_[c]);
  }

  // p(one more in b, one fewer in a) / p(as is) of the sticks integrated out,
  // prod_k<K* B(1 + N_k, alpha + N_>k) (Ishwaran & James 2001), with class sizes size_a, size_b
  // before the move (a < b). Only the factors a <= k <= b change, each by Gamma(x + 1) / Gamma(x)
  // = x or its inverse.
  double stick_factor(std::size_t a, std::size_t b, double size_a, double size_b) const {
    const auto last = static_cast<std::size_t>(classes_) - 1;
    auto at_least = [&](std::size_t c) {  // N_>=c
      return static_cast<double>(other_suffix_[c]) + (a >= c ? size_a : 0) + (b >= c ? size_b : 0);
    };
    // k = a: N_a - 1, N_>a + 1, N_>=a held.
    double f = (alpha_ + at_least(a + 1)) / size_a;
    // a < k < b: N_>k + 1 and N_>=k + 1.
    for (std::size_t c = a + 1; c < b; ++c)
      f *= (alpha_ + at_least(c + 1)) / (1 + alpha_ + at_least(c));
    // k = b: N_b + 1, N_>b held, N_>=b + 1 (no factor for the last class, whose V is 1).
    if (b < last) f *= (1 + size_b) / (1 + alpha_ + at_least(b));
    return f;
  }

  // Draws the split of cell p between classes a < b from its collapsed conditional. With t of
  // the cell's people in the two, m in b, and the others of the two classes held, that
  // conditional is C(t, m) prod_{c=a,b} prod_j B(1 + on_jc, 1 + N_c - on_jc) times the sticks'
  // factor, and the ratio of m + 1 to m is a product of simple fractions (moving one person: the
  // predictive probability of the cell's pattern in b over that in a without the person, times
  // the sticks' factor). The draw is by inversion over a window of m walked out from a guess of
  // the mode, computed from the other cells alone, until the terms fall below 1e-7 of the
  // largest: restricted to that window, which does not depend on the cell's current split, the
  // draw is an exact Gibbs step; a split outside the window (about 1e-7 of the mass) is kept.
  // Neither class may empty, so that the pair's choice is the same after the scan.
  void reallocate_cell(std::size_t p, std::size_t a, std::size_t b) {
    const auto k = static_cast<std::size_t>(classes_);
    const auto lists = static_cast<std::size_t>(lists_);
    const std::int64_t in_a = cell_count(p, a);
    const std::int64_t in_b = cell_count(p, b);
    const std::int64_t t = in_a + in_b;
    if (t == 0) return;
    const std::uint32_t pattern = cell_pattern(p);
    const double others_a = static_cast<double>(class_observed_[a] + class_missing_[a] - in_a);
    const double others_b = static_cast<double>(class_observed_[b] + class_missing_[b] - in_b);
    // Of the others of each class, those whose listing agrees with the cell's pattern, by list.
    for (std::size_t l = 0; l < lists; ++l) {
      const bool on = ((pattern >> l) & 1U) != 0;
      const double on_a = static_cast<double>(ones_[l * k + a] - (on ? in_a : 0));
      const double on_b = static_cast<double>(ones_[l * k + b] - (on ? in_b : 0));
      agree_[l] = on ? on_a : others_a - on_a;
      agree_[lists + l] = on ? on_b : others_b - on_b;
    }
    const std::int64_t lowest = others_b > 0 ? 0 : 1;
    const std::int64_t highest = others_a > 0 ? t : t - 1;
    if (lowest > highest) return;
    const double tilt = std::exp(reallocation_log_bias_);
    const auto td = static_cast<double>(t);
    // p(m + 1) / p(m).
    auto ratio = [&](std::int64_t m) {
      const auto md = static_cast<double>(m);
      const double size_a = others_a + td - md;
      const double size_b = others_b + md;
      double above = (td - md) * tilt;
      double below = md + 1;
      const double per_list = (1 + size_a) / (2 + size_b);
      for (std::size_t l = 0; l < lists; ++l) {
        above *= (1 + agree_[lists + l] + md) * per_list;
        below *= agree_[l] + td - md;
      }
      return above / below * stick_factor(a, b, size_a, size_b);
    };
    // The guess: the cell's people shared by the two classes' predictive probabilities of its
    // pattern (sizes as weights), given the other cells.
    double share_a = others_a + 1;
    double share_b = others_b + 1;
    for (std::size_t l = 0; l < lists; ++l) {
      share_a *= (1 + agree_[l]) / (2 + others_a);
      share_b *= (1 + agree_[lists + l]) / (2 + others_b);
    }
    const std::int64_t start =
        std::clamp(static_cast<std::int64_t>(std::lround(td * share_b / (share_a + share_b))),
                   lowest, highest);
    // Window weights relative to the start, rescaled before they overflow.
    constexpr double negligible = 1e-7;
    constexpr double too_large = 1e250;
    window_.assign(static_cast<std::size_t>(highest - lowest + 1), 0.0);
    auto at = [&](std::int64_t m) -> double& {
      return window_[static_cast<std::size_t>(m - lowest)];
    };
    at(start) = 1;
    double largest = 1;
    std::int64_t top = start;
    std::int64_t bottom = start;
    auto rescale = [&] {
      for (std::int64_t m = bottom; m <= top; ++m)
        at(m) /= too_large;
      largest /= too_large;
    };
    while (top < highest) {
      const double next = at(top) * ratio(top);
      ++top;
      at(top) = next;
      if (next > largest) largest = next;
      if (largest > too_large) rescale();
      if (at(top) < negligible * largest && at(top) < at(top - 1)) break;
    }
    while (bottom > lowest) {
      const double next = at(bottom) / ratio(bottom - 1);
      --bottom;
      at(bottom) = next;
      if (next > largest) largest = next;
      if (largest > too_large) rescale();
      if (at(bottom) < negligible * largest && at(bottom) < at(bottom + 1)) break;
    }
    if (in_b < bottom || in_b > top) return;
    double total = 0;
    for (std::int64_t m = bottom; m <= top; ++m)
      total += at(m);
    double u = rng_.uniform_positive() * total;
    std::int64_t m = bottom;
    for (; m < top; ++m) {
      u -= at(m);
      if (u <= 0) break;
    }
    const std::int64_t moved = m - in_b;  // from a to b
    if (moved == 0) return;
    if (p == observed_.size()) {
      class_missing_[a] -= moved;
      class_missing_[b] += moved;
      return;
    }
    cell_[p * k + a] -= moved;
    cell_[p * k + b] += moved;
    class_observed_[a] -= moved;
    class_observed_[b] += moved;
    for (std::uint32_t bits = pattern; bits != 0; bits &= bits - 1) {
      const auto l = static_cast<std::size_t>(std::countr_zero(bits));
      ones_[l * k + a] -= moved;
      ones_[l * k + b] += moved;
    }
  }

  // The pair {a, b} of occupied classes is drawn with probability (N_a + N_b) / ((O - 1) N), O
  // the occupied classes (each class is in O - 1 pairs): the scan holds N, N_a + N_b and which
  // classes are occupied, so this probability is the same after it, as the mixture of scans over
  // pairs needs. Larger pairs are chosen more often, the two largest classes most. (Drawn in
  // proportion to the observed of the pair instead, and with the unobserved of a and b moved
  // with N free after the scan, the effective sample size of N per sweep on lesbian was lower.)
  void reallocate() {
    const auto k = static_cast<std::size_t>(classes_);
    const int occupied = occupied_classes();
    if (occupied < 2) return;
    double u = rng_.uniform_positive() * static_cast<double>(n_ + missing_) * (occupied - 1);
    std::size_t a = k;
    std::size_t b = k;
    for (std::size_t c = 0; c < k && u > 0; ++c) {
      if (class_observed_[c] + class_missing_[c] == 0) continue;
      for (std::size_t d = c + 1; d < k && u > 0; ++d) {
        if (class_observed_[d] + class_missing_[d] == 0) continue;
        a = c;
        b = d;
        u -= static_cast<double>(class_observed_[c] + class_missing_[c] + class_observed_[d] +
                                 class_missing_[d]);
      }
    }
    reallocation_suffix(a, b);
    agree_.resize(2 * static_cast<std::size_t>(lists_));
    for (std::size_t p = 0; p < cells(); ++p)
      reallocate_cell(p, a, b);
    redraw_pair(a, b);
  }

  static double log_beta(double a, double b) {
    return log_gamma(a) + log_gamma(b) - log_gamma(a + b);
  }

  // glibc's std::lgamma sets the global signgam, a data race between chain threads.
  static double log_gamma(double x) {
    int sign = 0;
    return ::lgamma_r(x, &sign);
  }

  // alpha ~ Gamma(a + K* - 1, b - sum_k log(1 - V_k)) (paper, step 6).
  void sample_alpha() {
    const double rate = b_alpha_ - log_rest_;
    // A floor far below any value the posterior supports keeps a 0 from an underflow out of the
    // next Beta(1 + n_k, alpha + ...) draw.
    alpha_ = std::max(gamma(a_alpha_ + classes_ - 1) / rate, 1e-300);
  }

  // Splits `total` among the classes in proportion to weight_ (unnormalised) into draw_, by
  // conditional binomials: class c takes Binomial(left, w_c / weight of c and the classes after
  // it). Classes go largest first (order_), so that after a few binomials the people left are
  // placed by one categorical draw each, cheaper than the remaining binomials.
  void multinomial(std::int64_t total) {
    const auto k = static_cast<std::size_t>(classes_);
    std::fill(draw_.begin(), draw_.end(), 0);
    if (total <= 0) return;
    suffix_[k] = 0;
    for (std::size_t i = k; i-- > 0;)
      suffix_[i] = suffix_[i + 1] + weight_[order_[i]];
    std::int64_t left = total;
    for (std::size_t i = 0; i < k && left > 0; ++i) {
      if (left <= 14 || i + 1 == k) {
        // Each person's class is the first whose cumulative weight reaches u: counted over all
        // the classes left without branching (a search that stops early mispredicts its exit
        // about once a person, the larger part of its time).
        const std::size_t rest = k - 1 - i;
        double running = 0;
        for (std::size_t t = 0; t < rest; ++t)
          cumulative_[t] = running += weight_[order_[i + t]];
        for (; left > 0; --left) {
          const double u = rng_.uniform_positive() * suffix_[i];
          std::size_t below = 0;
          for (std::size_t t = 0; t < rest; ++t)
            below += cumulative_[t] < u ? 1 : 0;
          ++draw_[order_[i + below]];
        }
        break;
      }
      const std::size_t c = order_[i];
      const double p = suffix_[i] > 0 ? weight_[c] / suffix_[i] : 1.0;
      draw_[c] = detail::binomial(rng_, left, p);
      left -= draw_[c];
    }
  }

  // Largest classes first for the multinomial draws of the next sweep.
  void order_classes() {
    std::sort(order_.begin(), order_.end(), [this](std::size_t a, std::size_t b) {
      return class_observed_[a] + class_missing_[a] > class_observed_[b] + class_missing_[b];
    });
  }

  double gamma(double shape) { return detail::gamma(rng_, shape); }

  // log of a Gamma(shape, 1) draw; below shape 1 as log G(shape + 1) + log(U) / shape
  // (Marsaglia & Tsang 2000, section 6), which stays finite for tiny shapes.
  double log_gamma_draw(double shape) {
    if (shape == 1)
      return std::log(-std::log(rng_.uniform_positive()));  // exponential, by inversion
    if (shape >= 1) return std::log(gamma(shape));
    return std::log(gamma(shape + 1)) + std::log(rng_.uniform_positive()) / shape;
  }

  double beta(double a, double b) {
    const double x = gamma(a);
    const double y = gamma(b);
    return x / (x + y);
  }

  const std::vector<PatternCount>& observed_;
  int lists_;
  int classes_;
  double a_alpha_;
  double b_alpha_;
  detail::PopulationPrior prior_;
  double split_log_bias_;
  std::int64_t split_merge_interval_;
  std::int64_t reallocation_interval_;
  double reallocation_log_bias_;
  Xoshiro256 rng_;
  std::int64_t n_ = 0;
  std::int64_t missing_ = 0;
  double alpha_ = 1;
  double log_rest_ = 0;
  std::vector<double> lambda_;  // [list * K + class]
  std::vector<double> nu_;
  std::vector<double> weight_;
  std::vector<std::int64_t> draw_;
  std::vector<std::size_t> order_;  // classes by decreasing size
  std::vector<double> suffix_;      // and the weight of each class and those after it
  std::vector<double> cumulative_;  // the multinomial's last classes' cumulative weights
  std::vector<std::int64_t> class_observed_;
  std::vector<std::int64_t> class_missing_;
  std::vector<std::int64_t> ones_;  // [list * K + class]: observed in class, captured by list
  std::vector<std::int64_t> cell_;  // [pattern index * K + class]: observed of a pattern in class
  // The split-merge move's work space, by cell (observed patterns, then the unobserved).
  std::vector<std::int64_t> rest_;  // people of the two classes other than the anchors
  std::vector<std::int64_t> side_;  // of them, those on side 1 (class b)
  std::vector<double> proposal_share_;
  std::vector<double> proposal_concentration_;
  std::vector<double> side_on_;        // [side * lists + list]
  std::vector<double> list_log_odds_;  // [2 * list + captured]
  std::vector<double> list_variance_;  // [2 * list + captured]
  double side_size_[2] = {0, 0};
  // The reallocation's work space.
  std::vector<std::int64_t> other_suffix_;  // people from class k on, a and b left out
  std::vector<double> agree_;               // [side * lists + list]: others agreeing with the cell
  std::vector<double> window_;              // weights of the cell's splits, lowest first
  detail::SplitMergeCounts moves_;
  std::int64_t sweeps_ = 0;
};

std::vector<PatternCount> observed_patterns(const CaptureTable& table) {
  const std::size_t lists = table.list_count();
  if (lists < 2 || lists > 15)
    throw bad_input(Location{}, fmt::format("lcmcr needs 2 to 15 lists, the table has {}", lists));
  if (table.counts.size() != (std::size_t{1} << lists))
    throw internal_error("capture table: counts do not match the number of lists");
  std::vector<PatternCount> observed;
  for (std::size_t cell = 1; cell < table.counts.size(); ++cell) {
    const double c = table.counts[cell];
    if (!(c >= 0) || c != std::floor(c) || c > 1e15)
      throw bad_input(Location{}, fmt::format("lcmcr needs whole counts, got {}", c));
    if (c > 0) observed.push_back({static_cast<std::uint32_t>(cell), static_cast<std::int64_t>(c)});
  }
  if (observed.empty()) throw bad_input(Location{}, "lcmcr needs at least one person observed");
  return observed;
}

void check_options(const LcmcrOptions& o) {
  auto whole = [](const char* key, int value, int least) {
    if (value < least)
      throw bad_input(Location{.key = key},
                      fmt::format("{} must be at least {}, got {}", key, least, value));
  };
  whole("classes", o.classes, 1);
  check_positive(Location{.key = "a_alpha"}, "a_alpha", o.a_alpha);
  check_positive(Location{.key = "b_alpha"}, "b_alpha", o.b_alpha);
  if (o.samples >= 0) whole("samples", o.samples, 4);
  if (o.thin >= 0) whole("thin", o.thin, 1);
  whole("chains", o.chains, 1);
  if (o.chains > 64)
    throw bad_input(Location{.key = "chains"},
                    fmt::format("chains must be at most 64, got {}", o.chains));
  check_open_unit(Location{.key = "level"}, "level", o.level);
}

// R's default quantile (type 7): linear interpolation between order statistics.
double quantile(const std::vector<double>& sorted, double p) {
  const double h = (static_cast<double>(sorted.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

detail::ChainDraws run_chain(const std::vector<PatternCount>& observed, int lists,
                             const LcmcrOptions& options, detail::PopulationPrior prior,
                             std::uint64_t stream, detail::SplitMergeSettings split_merge,
                             detail::ReallocationSettings reallocation,
                             std::atomic<std::int64_t>* done) {
  LatentClassSampler sampler(observed, lists, options, prior, stream, split_merge, reallocation);
  detail::ChainDraws chain;
  chain.population.reserve(static_cast<std::size_t>(options.samples));
  chain.occupied.reserve(static_cast<std::size_t>(options.samples));
  chain.first_class.reserve(static_cast<std::size_t>(options.samples));
  chain.class_weights.assign(static_cast<std::size_t>(options.classes), 0.0);
  std::vector<double> weights;
  const std::int64_t total =
      options.burnin + static_cast<std::int64_t>(options.samples) * options.thin;
  std::int64_t pending = 0;
  for (std::int64_t it = 1; it <= total; ++it) {
    sampler.sweep();
    if (it > options.burnin && (it - options.burnin) % options.thin == 0) {
      chain.population.push_back(sampler.population());
      chain.occupied.push_back(sampler.occupied_classes());
      chain.first_class.push_back(sampler.first_class_size());
      sampler.sorted_weights(weights);
      for (std::size_t c = 0; c < weights.size(); ++c)
        chain.class_weights[c] += weights[c] / options.samples;
    }
    if (done != nullptr && ++pending == 4096) {
      done->fetch_add(pending, std::memory_order_relaxed);
      pending = 0;
    }
  }
  if (done != nullptr) done->fetch_add(pending, std::memory_order_relaxed);
  chain.moves = sampler.split_merge_counts();
  return chain;
}

// Per-chain summaries (median and 90% interval of N, mean sorted class weights, split-merge
// counts) in diagnostics.chain_summaries, and a warning naming the chains that disagree: R-hat
// above lcmcr_max_rhat, or a chain's median outside another chain's 90% interval.
void summarise_chains(const std::vector<detail::ChainDraws>& draws, double rhat,
                      MseResult& result) {
  struct Summary {
    double median, lower, upper;
  };
  std::vector<Summary> summaries;
  auto list = nlohmann::json::array();
  for (std::size_t c = 0; c < draws.size(); ++c) {
    std::vector<double> sorted = draws[c].population;
    std::sort(sorted.begin(), sorted.end());
    const Summary s{quantile(sorted, 0.5), quantile(sorted, 0.05), quantile(sorted, 0.95)};
    summaries.push_back(s);
    double occupied = 0;
    for (double o : draws[c].occupied)
      occupied += o;
    const auto& m = draws[c].moves;
    list.push_back({{"chain", c + 1},
                    {"median", s.median},
                    {"interval_90", {s.lower, s.upper}},
                    {"class_weights", draws[c].class_weights},
                    {"occupied_classes", occupied / static_cast<double>(draws[c].occupied.size())},
                    {"splits_proposed", m.splits_proposed},
                    {"splits_accepted", m.splits_accepted},
                    {"merges_proposed", m.merges_proposed},
                    {"merges_accepted", m.merges_accepted}});
  }
  result.diagnostics["chain_summaries"] = list;
  std::vector<std::string> apart;
  for (std::size_t c = 0; c < summaries.size(); ++c)
    for (std::size_t o = 0; o < summaries.size(); ++o)
      if (o != c &&
          (summaries[c].median < summaries[o].lower || summaries[c].median > summaries[o].upper))
        apart.push_back(
            fmt::format("chain {}'s median {:.0f} is outside chain {}'s 90% interval "
                        "{:.0f}-{:.0f}",
                        c + 1, summaries[c].median, o + 1, summaries[o].lower, summaries[o].upper));
  if (apart.empty() && rhat <= lcmcr_max_rhat) return;
  std::string where;
  for (std::size_t c = 0; c < summaries.size(); ++c)
    where += fmt::format("{}chain {}: median {:.0f} (90% {:.0f}-{:.0f})", c == 0 ? "" : "; ", c + 1,
                         summaries[c].median, summaries[c].lower, summaries[c].upper);
  std::string detail;
  for (const auto& a : apart)
    detail += "; " + a;
  result.warnings.push_back(fmt::format("the chains disagree about N: {}{}", where, detail));
}

// N under the prior alone, given only the number observed n: with LCMCR's p(N) ∝ 1/N the
// marginal probability of observing n people is 1/n whatever the chance p0 of being missed
// (sum_N N^-1 C(N, n) (1 - p0)^n p0^(N - n) = 1/n), so given n alone p0 keeps its prior, and
// N - n given p0 is negative binomial(n, 1 - p0), as in the sampler's update of the number
// missing. Draws of alpha, the sticks and lambda from their priors give p0. Monte Carlo with a
// stream of its own (after the chains'): `count` draws, sorted.
std::vector<double> prior_population(std::int64_t n, int lists, const LcmcrOptions& options,
                                     int count) {
  Xoshiro256 rng(options.seed);
  for (int s = 0; s < 65; ++s)
    rng.jump();
  const auto k = static_cast<std::size_t>(options.classes);
  std::vector<double> population;
  population.reserve(static_cast<std::size_t>(count));
  for (int d = 0; d < count; ++d) {
    const double alpha = std::max(detail::gamma(rng, options.a_alpha) / options.b_alpha, 1e-300);
    double rest = 1;
    double p0 = 0;
    for (std::size_t c = 0; c < k; ++c) {
      double weight = rest;
      if (c + 1 < k) {
        // V ~ Beta(1, alpha): 1 - V = U^(1 / alpha).
        const double stay = std::pow(rng.uniform_positive(), 1 / alpha);
        weight = rest * (1 - stay);
        rest *= stay;
      }
      for (int j = 0; j < lists; ++j)
        weight *= 1 - rng.uniform_positive();
      p0 += weight;
    }
    const double q = std::min(p0, 1 - 1e-12);
    const double mean = detail::gamma(rng, static_cast<double>(n)) * q / (1 - q);
    // Beyond 1e12 a Poisson draw's relative spread (1e-6) is below anything reported.
    const double missing = mean > 1e12 ? mean : static_cast<double>(detail::poisson(rng, mean));
    population.push_back(static_cast<double>(n) + missing);
  }
  std::sort(population.begin(), population.end());
  return population;
}

// The prior's median and interval of N beside the posterior's (diagnostics.prior_median,
// prior_interval at the run's level), and a warning when the posterior's 90% interval is at
// least lcmcr_max_prior_width_ratio as wide as the prior's, both on the log scale of the
// unobserved, N - n + 1: then the estimate is mostly the prior's. Not of N itself: given n, the
// prior holds N near n (with Beta(1, 1) listing probabilities few are missed by every list), so a
// well-identified posterior far above it, as on kosovo (9,000-13,600 against 4,400-5,600), was as
// wide as the prior on the log scale of N and was flagged; on the scale of the unobserved the prior
// spans orders of magnitude, as the posterior does when the lists never overlap.
void compare_with_prior(const std::vector<PatternCount>& observed, int lists,
                        const LcmcrOptions& run, const std::vector<double>& pooled,
                        MseResult& result) {
  constexpr int prior_draws = 20000;
  std::int64_t n = 0;
  for (const auto& p : observed)
    n += p.count;
  const auto prior = prior_population(n, lists, run, prior_draws);
  result.diagnostics["prior_median"] = quantile(prior, 0.5);
  result.diagnostics["prior_interval"] = {quantile(prior, (1 - run.level) / 2),
                                          quantile(prior, 1 - (1 - run.level) / 2)};
  const auto nd = static_cast<double>(n);
  auto unobserved_width = [nd](const std::vector<double>& sorted) {
    return std::log((quantile(sorted, 0.95) - nd + 1) / (quantile(sorted, 0.05) - nd + 1));
  };
  const double prior_width = unobserved_width(prior);
  const double posterior_width = unobserved_width(pooled);
  result.diagnostics["width_ratio_to_prior"] = posterior_width / prior_width;
  if (posterior_width >= lcmcr_max_prior_width_ratio * prior_width)
    result.warnings.push_back(fmt::format(
        "the data say little about N: its 90% interval, {:.0f}-{:.0f}, is {:.0f}% as wide (on the "
        "log scale of the number unobserved) as under the prior alone given the {} observed, "
        "{:.0f}-{:.0f}",
        quantile(pooled, 0.05), quantile(pooled, 0.95), 100 * posterior_width / prior_width, n,
        quantile(prior, 0.05), quantile(prior, 0.95)));
}

}  // namespace

namespace detail {

ChainDraws lcmcr_chain(const CaptureTable& table, const LcmcrOptions& options,
                       PopulationPrior prior, std::uint64_t stream, SplitMergeSettings split_merge,
                       ReallocationSettings reallocation) {
  check_options(options);
  if (options.burnin < 0 || options.samples < 0 || options.thin < 0)
    throw internal_error("lcmcr_chain needs burnin, samples and thin set");
  const auto observed = observed_patterns(table);
  return run_chain(observed, static_cast<int>(table.list_count()), options, prior, stream,
                   split_merge, reallocation, nullptr);
}

}  // namespace detail

MseResult estimate_lcmcr(const CaptureTable& table, const LcmcrOptions& options) {
  check_options(options);
  const auto observed = observed_patterns(table);
  LcmcrOptions run = options;
  if (run.burnin < 0) run.burnin = lcmcr_default_burnin;
  if (run.samples < 0) run.samples = lcmcr_default_samples;
  if (run.thin < 0) run.thin = lcmcr_default_thin;
  const int lists = static_cast<int>(table.list_count());

  // Chains run on up to as many threads as there are cores; each has its own random stream, so
  // the draws do not depend on the scheduling.
  std::vector<detail::ChainDraws> draws(static_cast<std::size_t>(run.chains));
  std::atomic<int> next_chain{0};
  std::atomic<int> finished{0};
  std::atomic<std::int64_t> done{0};
  auto work = [&] {
    for (int c = next_chain.fetch_add(1); c < run.chains; c = next_chain.fetch_add(1)) {
      draws[static_cast<std::size_t>(c)] =
          run_chain(observed, lists, run, detail::PopulationPrior{}, static_cast<std::uint64_t>(c),
                    {}, {}, &done);
      finished.fetch_add(1);
    }
  };
  const int workers =
      std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, run.chains);
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w)
    threads.emplace_back(work);
  if (run.progress) {
    const auto total =
        static_cast<std::size_t>(run.chains) *
        static_cast<std::size_t>(run.burnin + static_cast<std::int64_t>(run.samples) * run.thin);
    Progress progress("lcmcr", total);
    while (finished.load() < run.chains) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      progress.update(static_cast<std::size_t>(done.load()));
    }
    progress.finish();
  }
  for (auto& t : threads)
    t.join();

  std::vector<std::vector<double>> chains;
  std::vector<double> pooled;
  for (const auto& chain : draws) {
    chains.push_back(chain.population);
    pooled.insert(pooled.end(), chain.population.begin(), chain.population.end());
  }
  std::sort(pooled.begin(), pooled.end());
  double mean = 0;
  for (double x : pooled)
    mean += x;
  mean /= static_cast<double>(pooled.size());
  double variance = 0;
  for (double x : pooled)
    variance += (x - mean) * (x - mean);
  variance /= static_cast<double>(pooled.size() - 1);

  MseResult result;
  result.method = "lcmcr";
  result.stratum = table.stratum;
  result.lists = table.lists;
  result.observed = table.observed();
  result.level = run.level;
  result.model = fmt::format("latent classes, K*={}", run.classes);
  result.estimate = quantile(pooled, 0.5);
  result.lower = quantile(pooled, (1 - run.level) / 2);
  result.upper = quantile(pooled, 1 - (1 - run.level) / 2);
  result.se = std::sqrt(variance);
  // Rank-normalised split R-hat and ESS (Vehtari et al. 2021), as for the NUTS sampler.
  // (validated options keep at least 4 draws per chain, as these need)
  const double rhat = mcmc::split_rhat(chains);
  const double ess_bulk = mcmc::ess_bulk(chains);
  result.diagnostics = {
      {"rhat", rhat},           {"ess_bulk", ess_bulk},   {"ess_tail", mcmc::ess_tail(chains)},
      {"chains", run.chains},   {"burnin", run.burnin},   {"samples", run.samples},
      {"thin", run.thin},       {"classes", run.classes}, {"a_alpha", run.a_alpha},
      {"b_alpha", run.b_alpha}, {"seed", run.seed},       {"posterior_mean", mean}};
  if (!(rhat <= lcmcr_max_rhat)) {
    result.trusted = false;
    result.warnings.push_back(
        fmt::format("the chains have not converged: R-hat of N is {:.3f} (above {}); run longer "
                    "(--burnin, --samples, --thin)",
                    rhat, lcmcr_max_rhat));
  }
  if (!(ess_bulk >= lcmcr_min_ess)) {
    result.trusted = false;
    result.warnings.push_back(fmt::format(
        "too few effective draws of N: {:.0f} (below {}); run longer (--samples, --thin)", ess_bulk,
        lcmcr_min_ess));
  }
  summarise_chains(draws, rhat, result);
  compare_with_prior(observed, lists, run, pooled, result);
  return result;
}

}  // namespace recount::mse
