#include "recount/synthesis/fit.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <numbers>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "density.hpp"
#include "recount/core/progress.hpp"
#include "recount/core/text.hpp"
#include "recount/mcmc/conflict_stats.hpp"
#include "recount/mcmc/psis.hpp"
#include "recount/mcmc/run_check.hpp"

namespace recount::synthesis {

namespace {

double normal_cdf(double z) {
  return 0.5 * std::erfc(-z / std::numbers::sqrt2);
}

// The flattened draws of all chains, in chain order.
std::vector<Eigen::VectorXd> all_draws(const mcmc::SampleResult& samples) {
  std::vector<Eigen::VectorXd> out;
  for (const mcmc::ChainDraws& c : samples.chains)
    for (Eigen::Index i = 0; i < c.draws.rows(); ++i)
      out.emplace_back(c.draws.row(i).transpose());
  return out;
}

mcmc::ChainValues split_by_chain(const std::vector<double>& flat, std::size_t chains) {
  mcmc::ChainValues out(chains);
  const std::size_t n = flat.size() / chains;
  for (std::size_t c = 0; c < chains; ++c)
    out[c].assign(flat.begin() + static_cast<long>(c * n),
                  flat.begin() + static_cast<long>((c + 1) * n));
  return out;
}

// Per draw, per claim: what the model says about the claim.
struct ClaimDraws {
  std::vector<std::vector<detail::ClaimValue>> values;  // [claim][draw]
  std::vector<std::vector<double>> source_bias;         // [source][draw]
  std::vector<double> log_density;                      // [draw]
};

// Predictive p-value of a claim under (weighted) draws of its replicate log-scale value
// N(mu, sd), the claim's own likelihood without the outlier component (Gelman, Meng & Stern
// 1996): a value two-sided; a bound one-sided (the chance a replicate would state as much);
// an interval two-sided on its nearer edge.
double claim_p_value(const EvidenceClaim& c, const std::vector<detail::ClaimValue>& v,
                     const std::vector<double>& log_w) {
  double below_hi = 0;  // P(rep <= hi)
  double above_lo = 0;  // P(rep >= lo)
  double total = 0;
  for (std::size_t s = 0; s < v.size(); ++s) {
    const double w = log_w.empty() ? 1.0 : std::exp(log_w[s]);
    total += w;
    if (std::isfinite(c.hi)) below_hi += w * normal_cdf((c.hi - v[s].mu) / v[s].sd);
    if (std::isfinite(c.lo)) above_lo += w * normal_cdf((v[s].mu - c.lo) / v[s].sd);
  }
  below_hi /= total;
  above_lo /= total;
  switch (c.bound) {
    case Bound::value:
      return std::min(1.0, 2 * std::min(below_hi, above_lo));
    case Bound::at_least:
      return above_lo;
    case Bound::at_most:
      return below_hi;
    case Bound::interval:
      return std::min(1.0, 2 * std::min(below_hi, above_lo));
  }
  return 1;
}

std::string stated(const Claim& c) {
  auto n = [](const std::optional<double>& v) { return v ? format_number(*v) : std::string("?"); };
  std::string s;
  switch (c.kind) {
    case ClaimKind::point:
      s = n(c.low);
      break;
    case ClaimKind::approximate:
      s = "about " + n(c.low);
      break;
    case ClaimKind::range:
      s = n(c.low) + "-" + n(c.high);
      break;
    case ClaimKind::at_least:
      s = "at least " + n(c.low);
      break;
    case ClaimKind::at_most:
      s = "at most " + n(c.high);
      break;
    case ClaimKind::magnitude:
      s = "order of " + n(c.low) + "-" + n(c.high);
      break;
  }
  if (c.rate != Rate::none) {
    s += " per ";
    s += to_string(c.rate);
  }
  s += " ";
  s += to_string(c.measure);
  s += " (";
  s += c.population;
  s += ")";
  return s;
}

double relative_efficiency(const std::vector<double>& values, std::size_t chains) {
  const mcmc::ChainValues cv = split_by_chain(values, chains);
  if (cv.front().size() < 4) return 1.0;
  const double ess = mcmc::ess_bulk(cv);
  if (!std::isfinite(ess)) return 1.0;
  return std::clamp(ess / static_cast<double>(values.size()), 0.01, 1.0);
}

ClaimDraws evaluate_claims(const detail::PosteriorDensity& density,
                           const std::vector<Eigen::VectorXd>& draws, std::size_t claims,
                           std::size_t sources) {
  ClaimDraws out;
  out.values.assign(claims, std::vector<detail::ClaimValue>(draws.size()));
  out.source_bias.assign(sources, std::vector<double>(draws.size()));
  out.log_density.resize(draws.size());
  detail::Trajectory<double> tr;
  std::vector<detail::ClaimValue> values;
  for (std::size_t s = 0; s < draws.size(); ++s) {
    out.log_density[s] = density.evaluate_double(draws[s], tr, &values);
    for (std::size_t i = 0; i < claims; ++i)
      out.values[i][s] = values[i];
    for (std::size_t k = 0; k < sources; ++k)
      out.source_bias[k][s] = tr.source_bias[k];
  }
  return out;
}

// Moment matching for one leave-one-out fold (Paananen, Piironen, Buerkner & Vehtari 2021,
// "Implicitly adaptive importance sampling", Statistics and Computing 31:16, section 5, as the
// loo package's loo_moment_match without its split proposal): affine maps of the posterior draws
// that match their importance-weighted mean, then marginal variances, then covariance, each kept
// only when it lowers Pareto k. A moved draw's proposal density is the full posterior's at the
// draw it came from, times one constant Jacobian that self-normalised weights cancel.
struct MomentMatch {
  std::vector<Eigen::VectorXd> draws;
  std::vector<std::vector<detail::ClaimValue>> values;  // [member][moved draw]
  std::vector<double> log_weights;
  double pareto_k = 0;
  int transforms = 0;
};

// `members`: the claims left out together (one claim, or all of a source's).
MomentMatch moment_match(const detail::PosteriorDensity& density,
                         const std::vector<Eigen::VectorXd>& draws,
                         const std::vector<double>& log_post,
                         const std::vector<std::size_t>& members, const mcmc::PsisResult& start,
                         double k_max, std::size_t chains) {
  const std::size_t S = draws.size();
  MomentMatch m{draws, {}, start.log_weights, start.pareto_k, 0};
  detail::Trajectory<double> tr;
  std::vector<detail::ClaimValue> values;
  const auto accept_if_better = [&](std::vector<Eigen::VectorXd> moved) {
    std::vector<double> ratios(S);
    std::vector<std::vector<detail::ClaimValue>> at(members.size(),
                                                    std::vector<detail::ClaimValue>(S));
    for (std::size_t s = 0; s < S; ++s) {
      ratios[s] = density.evaluate_double(moved[s], tr, &values) - log_post[s];
      for (std::size_t k = 0; k < members.size(); ++k) {
        at[k][s] = values[members[k]];
        ratios[s] -= values[members[k]].log_lik;
      }
      if (!std::isfinite(ratios[s])) return false;
    }
    const mcmc::PsisResult psis = mcmc::psis(ratios, relative_efficiency(ratios, chains));
    if (!(psis.pareto_k < m.pareto_k)) return false;
    m.draws = std::move(moved);
    m.values = std::move(at);
    m.log_weights = psis.log_weights;
    m.pareto_k = psis.pareto_k;
    ++m.transforms;
    return true;
  };
  const Eigen::Index D = draws.front().size();
  for (int iteration = 0; iteration < 10 && m.pareto_k > k_max; ++iteration) {
    Eigen::VectorXd mean = Eigen::VectorXd::Zero(D), wmean = Eigen::VectorXd::Zero(D);
    for (std::size_t s = 0; s < S; ++s) {
      mean += m.draws[s] / static_cast<double>(S);
      wmean += std::exp(m.log_weights[s]) * m.draws[s];
    }
    std::vector<Eigen::VectorXd> moved(m.draws);
    for (Eigen::VectorXd& x : moved)
      x += wmean - mean;
    if (accept_if_better(std::move(moved))) continue;
    Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(D, D), wcov = Eigen::MatrixXd::Zero(D, D);
    for (std::size_t s = 0; s < S; ++s) {
      const Eigen::VectorXd a = m.draws[s] - mean, b = m.draws[s] - wmean;
      cov += a * a.transpose() / static_cast<double>(S);
      wcov += std::exp(m.log_weights[s]) * b * b.transpose();
    }
    const Eigen::VectorXd scale =
        (wcov.diagonal().array() / cov.diagonal().array().max(1e-300)).sqrt().matrix();
    moved = m.draws;
    for (Eigen::VectorXd& x : moved)
      x = ((x - mean).array() * scale.array()).matrix() + wmean;
    if (accept_if_better(std::move(moved))) continue;
    const Eigen::LLT<Eigen::MatrixXd> chol(cov), wchol(wcov);
    if (chol.info() != Eigen::Success || wchol.info() != Eigen::Success) break;
    const Eigen::MatrixXd map =
        wchol.matrixL() * chol.matrixL().solve(Eigen::MatrixXd::Identity(D, D));
    moved = m.draws;
    for (Eigen::VectorXd& x : moved)
      x = map * (x - mean) + wmean;
    if (!accept_if_better(std::move(moved))) break;
  }
  return m;
}

// Simes' (1986) combination of p-values, valid under positive dependence.
double simes(std::vector<double> ps) {
  std::sort(ps.begin(), ps.end());
  double p = 1;
  for (std::size_t k = 0; k < ps.size(); ++k)
    p = std::min(p, ps[k] * static_cast<double>(ps.size()) / static_cast<double>(k + 1));
  return p;
}

// Benjamini-Hochberg over the p-values that are numbers; NaN (a failed refit) stays NaN.
std::vector<double> adjust_usable(const std::vector<double>& p) {
  std::vector<double> usable;
  for (const double v : p)
    if (!std::isnan(v)) usable.push_back(v);
  const std::vector<double> adjusted = mcmc::benjamini_hochberg(usable);
  std::vector<double> out(p.size(), std::nan(""));
  for (std::size_t i = 0, k = 0; i < p.size(); ++i)
    if (!std::isnan(p[i])) out[i] = adjusted[k++];
  return out;
}

}  // namespace

SourceTable model_sources(const Model& model) {
  if (model.evidence.sources_file.empty()) return {};
  const std::filesystem::path base = std::filesystem::path(model.file).parent_path();
  return read_sources(base / model.evidence.sources_file);
}

FitResult fit(const Model& model_in, const std::vector<Claim>& claims, const SourceTable& sources,
              const FitOptions& options) {
  if (options.chains < 1 || options.draws < 10 || options.warmup < 0)
    throw usage_error("a fit needs at least 1 chain, 10 draws and no negative warm-up");
  FitResult r;
  r.model_name = model_in.name;
  r.options = options;
  r.evidence = prepare_evidence(model_in, claims, sources, options.until);
  for (const std::string& id : options.held_out) {
    const auto it = std::find_if(r.evidence.claims.begin(), r.evidence.claims.end(),
                                 [&](const EvidenceClaim& c) { return c.claim.id == id; });
    if (it == r.evidence.claims.end())
      throw usage_error(fmt::format("--hold-out {}: no such claim among those used", id));
    it->held_out = true;
  }
  const auto model = std::make_shared<const Model>(model_in);
  const auto evidence = std::make_shared<const PreparedEvidence>(r.evidence);
  const auto density =
      std::make_shared<const detail::PosteriorDensity>(*model, *evidence, !options.prior_only);

  mcmc::NutsOptions nuts;
  nuts.chains = options.chains;
  nuts.warmup = options.warmup;
  nuts.draws = options.draws;
  nuts.seed = options.seed;
  nuts.progress = options.progress;
  nuts.parallel = options.parallel;
  nuts.target_accept = options.target_accept;
  const auto started = std::chrono::steady_clock::now();
  r.samples = mcmc::sample_nuts(*density, nuts);

  // Stan's run checks over every unconstrained coordinate.
  Diagnostics& d = r.diagnostics;
  d.chains = options.chains;
  d.warmup = options.warmup;
  d.draws = options.draws;
  const mcmc::RunCheck check = mcmc::check_run(
      r.samples, density->parameter_names(), nuts.max_depth,
      {.max_rhat = options.max_rhat, .min_ess_per_chain = options.min_ess / options.chains});
  d.max_rhat = check.max_rhat;
  d.worst_parameter = check.worst_rhat;
  d.min_ess_bulk = check.min_ess_bulk;
  d.min_ess_tail = check.min_ess_tail;
  d.min_ebfmi = check.min_ebfmi;
  d.divergences = check.divergences;
  d.max_depth_hits = check.max_depth_hits;
  d.problems = check.failures;

  // Posterior summaries.
  const std::vector<Eigen::VectorXd> draws = all_draws(r.samples);
  const std::size_t S = draws.size();
  const auto chains = static_cast<std::size_t>(options.chains);
  const auto W = static_cast<std::size_t>(model->weeks);
  const detail::Layout& layout = density->layout();
  r.draw_names = detail::constrained_names(*model, layout, *evidence);
  r.draw_transform = [model, evidence, density](const Eigen::VectorXd& theta,
                                                std::vector<double>& values) {
    values = detail::constrained_values(*model, density->layout(), *evidence, theta);
  };
  {
    std::vector<std::vector<double>> constrained(r.draw_names.size(), std::vector<double>(S));
    for (std::size_t s = 0; s < S; ++s) {
      const std::vector<double> v = detail::constrained_values(*model, layout, *evidence, draws[s]);
      for (std::size_t k = 0; k < v.size(); ++k)
        constrained[k][s] = v[k];
    }
    for (std::size_t k = 0; k < r.draw_names.size(); ++k)
      r.parameters.push_back(
          {r.draw_names[k], mcmc::summarize(split_by_chain(constrained[k], chains))});
  }
  {
    // Weekly series from equally spaced draws, stored as float [series][week][draw].
    const std::size_t n =
        std::min<std::size_t>(S, static_cast<std::size_t>(std::max(1, options.summary_draws)));
    std::vector<detail::SeriesValues> names_kinds;
    std::vector<std::vector<std::vector<float>>> store;
    detail::Trajectory<double> tr;
    for (std::size_t j = 0; j < n; ++j) {
      density->evaluate_double(draws[j * S / n], tr, nullptr);
      std::vector<detail::SeriesValues> values = detail::series_values(*model, tr);
      if (j == 0) {
        store.assign(values.size(), std::vector<std::vector<float>>(W, std::vector<float>(n)));
        names_kinds = values;
      }
      for (std::size_t k = 0; k < values.size(); ++k)
        for (std::size_t t = 0; t < W; ++t)
          store[k][t][j] = static_cast<float>(values[k].values[t]);
    }
    for (std::size_t k = 0; k < store.size(); ++k) {
      Series series{names_kinds[k].name, names_kinds[k].kind, {}};
      for (std::size_t t = 0; t < W; ++t) {
        const std::vector<double> v(store[k][t].begin(), store[k][t].end());
        series.points.push_back({model->week_end(static_cast<int>(t)), mcmc::quantile(v, 0.5),
                                 mcmc::quantile(v, 0.05), mcmc::quantile(v, 0.25),
                                 mcmc::quantile(v, 0.75), mcmc::quantile(v, 0.95)});
      }
      r.series.push_back(std::move(series));
    }
  }

  // Conflicts: leave-one-out predictive p-values by PSIS, moment matching where Pareto k is too
  // high, exact refits where it stays so.
  if (options.conflicts && !options.prior_only && !r.evidence.claims.empty()) {
    const std::size_t C = r.evidence.claims.size();
    const ClaimDraws cd = evaluate_claims(*density, draws, C, r.evidence.sources.size());
    const double k_max = options.pareto_k_max.value_or(mcmc::pareto_k_threshold(S));
    Eigen::VectorXd mean = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(layout.dimension));
    for (const Eigen::VectorXd& x : draws)
      mean += x / static_cast<double>(S);
    // An exact refit without `members`, warm-started at the full posterior's mean, checked as the
    // main fit is; its draws of every claim, or the reasons it cannot be trusted.
    struct Refit {
      ClaimDraws values;
      std::vector<std::string> problems;
    };
    const auto refit_without = [&](const std::vector<std::size_t>& members, std::uint64_t seed) {
      PreparedEvidence held = r.evidence;
      for (const std::size_t i : members)
        held.claims[i].held_out = true;
      const detail::PosteriorDensity refit_density(*model, held, true);
      mcmc::NutsOptions refit = nuts;
      // Shorter than the main fit (it starts at the posterior's bulk), as many chains.
      refit.warmup = std::min(options.warmup, 300);
      refit.draws = std::min(options.draws, 400);
      refit.seed = seed;
      refit.progress = false;
      const mcmc::SampleResult sr = mcmc::sample_nuts(refit_density, refit, mean);
      const mcmc::RunCheck rc = mcmc::check_run(
          sr, refit_density.parameter_names(), refit.max_depth,
          {.max_rhat = options.max_rhat, .min_ess_per_chain = options.min_ess / options.chains});
      return Refit{evaluate_claims(refit_density, all_draws(sr), C, held.sources.size()),
                   rc.failures};
    };
    const auto joined = [](const std::vector<std::string>& problems) {
      std::string s;
      for (const std::string& p : problems)
        s += (s.empty() ? "" : "; ") + p;
      return s;
    };
    std::vector<std::vector<double>> log_w(C);
    std::vector<bool> near_uniform(C, false);
    for (std::size_t i = 0; i < C; ++i) {
      const EvidenceClaim& c = r.evidence.claims[i];
      std::vector<double> ratios(S);
      double credibility = 0;
      for (std::size_t s = 0; s < S; ++s) {
        ratios[s] = -cd.values[i][s].log_lik;
        credibility += std::exp(cd.values[i][s].log_regular - cd.values[i][s].log_lik);
      }
      const mcmc::PsisResult psis = mcmc::psis(ratios, relative_efficiency(ratios, chains));
      log_w[i] = c.held_out ? std::vector<double>{} : psis.log_weights;
      // Ratios within +-0.1 of each other make weights within about 10% of uniform: reliable
      // whatever the tail fit says (it is ill-posed for near-constant ratios).
      const auto [lo_it, hi_it] = std::minmax_element(ratios.begin(), ratios.end());
      near_uniform[i] = *hi_it - *lo_it < 0.2;
      ClaimConflict cc;
      cc.id = c.claim.id;
      cc.repeats = c.repeats;
      cc.source = r.evidence.sources[static_cast<std::size_t>(c.source)].name;
      cc.quantity = model->quantities[static_cast<std::size_t>(c.quantity)].name;
      if (c.from_wider) cc.quantity += " (bounded by " + c.wider_population + ")";
      cc.stated = stated(c.claim);
      cc.date = *c.claim.as_of;
      cc.pareto_k = c.held_out ? 0 : psis.pareto_k;
      cc.method = c.held_out ? "held out" : "psis";
      cc.credibility = credibility / static_cast<double>(S);
      r.conflicts.push_back(cc);
    }
    auto finish = [&](ClaimConflict& cc, const EvidenceClaim& c,
                      const std::vector<detail::ClaimValue>& v, const std::vector<double>& w) {
      std::vector<double> q(v.size());
      for (std::size_t s = 0; s < v.size(); ++s)
        q[s] = v[s].quantity;
      cc.implied_median = mcmc::weighted_quantile(q, w, 0.5);
      cc.implied_q05 = mcmc::weighted_quantile(q, w, 0.05);
      cc.implied_q95 = mcmc::weighted_quantile(q, w, 0.95);
      cc.p_value = claim_p_value(c, v, w);
    };
    for (std::size_t i = 0; i < C; ++i)
      finish(r.conflicts[i], r.evidence.claims[i], cd.values[i], log_w[i]);
    const auto needs_more = [&](std::size_t i) {
      return r.conflicts[i].pareto_k > k_max && !near_uniform[i] && !r.evidence.claims[i].held_out;
    };
    for (std::size_t i = 0; i < C; ++i) {
      if (!needs_more(i)) continue;
      const MomentMatch m = moment_match(*density, draws, cd.log_density, {i},
                                         {log_w[i], r.conflicts[i].pareto_k}, k_max, chains);
      if (m.transforms == 0) continue;
      note(fmt::format("moment matching for {}: Pareto k {:.2f} -> {:.2f}", r.conflicts[i].id,
                       r.conflicts[i].pareto_k, m.pareto_k));
      r.conflicts[i].pareto_k = m.pareto_k;
      r.conflicts[i].method = "moment matching";
      finish(r.conflicts[i], r.evidence.claims[i], m.values[0], m.log_weights);
    }
    // Exact refits for the worst Pareto k. A refit that fails its diagnostics is reported as such
    // and its p-value is not used.
    std::vector<std::size_t> order(C);
    for (std::size_t i = 0; i < C; ++i)
      order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return r.conflicts[a].pareto_k > r.conflicts[b].pareto_k;
    });
    int refits = 0;
    for (std::size_t i : order) {
      if (refits >= options.max_refits || !(r.conflicts[i].pareto_k > k_max)) break;
      if (!needs_more(i)) continue;
      ++refits;
      note(fmt::format("refitting without {} (Pareto k {:.2f})", r.conflicts[i].id,
                       r.conflicts[i].pareto_k));
      const Refit rf = refit_without({i}, options.seed + 1000 + i);
      finish(r.conflicts[i], r.evidence.claims[i], rf.values.values[i], {});
      r.conflicts[i].method = "refit";
      if (!rf.problems.empty()) {
        r.conflicts[i].method = "refit failed";
        r.conflicts[i].refit_problems = joined(rf.problems);
        r.conflicts[i].p_value = std::nan("");
        note(
            fmt::format("the refit without {} failed its diagnostics ({}): its p-value is not "
                        "used",
                        r.conflicts[i].id, r.conflicts[i].refit_problems));
      }
    }
    std::vector<double> p;
    for (const ClaimConflict& cc : r.conflicts)
      p.push_back(cc.p_value);
    const std::vector<double> adjusted = adjust_usable(p);
    for (std::size_t i = 0; i < C; ++i)
      r.conflicts[i].p_adjusted = adjusted[i];
    std::stable_sort(
        r.conflicts.begin(), r.conflicts.end(), [](const ClaimConflict& a, const ClaimConflict& b) {
          return std::isnan(b.p_value) ? !std::isnan(a.p_value) : a.p_value < b.p_value;
        });

    // Sources: leave-one-source-out. All of a source's claims are left out at once, by PSIS with
    // weights 1 / prod p(claim | theta) (Vehtari, Gelman & Gabry 2017), moment matching and then
    // exact refits where Pareto k is too high; the source's p-value combines its claims' by
    // Simes.
    int source_refits = 0;
    for (std::size_t src = 0; src < r.evidence.sources.size(); ++src) {
      SourceConflict sc;
      sc.source = r.evidence.sources[src].name;
      sc.type = r.evidence.sources[src].type;
      std::vector<double> ratios(S, 0.0);
      std::vector<std::size_t> members;
      for (std::size_t i = 0; i < C; ++i) {
        if (static_cast<std::size_t>(r.evidence.claims[i].source) != src) continue;
        members.push_back(i);
        sc.claims.push_back(r.evidence.claims[i].claim.id);
        if (r.evidence.claims[i].held_out) continue;  // already out of the posterior
        for (std::size_t s = 0; s < S; ++s)
          ratios[s] -= cd.values[i][s].log_lik;
      }
      const mcmc::PsisResult psis = mcmc::psis(ratios, relative_efficiency(ratios, chains));
      sc.pareto_k = psis.pareto_k;
      sc.method = "psis";
      std::vector<double> ps;
      for (std::size_t i : members)
        ps.push_back(claim_p_value(r.evidence.claims[i], cd.values[i], psis.log_weights));
      const auto [lo_it, hi_it] = std::minmax_element(ratios.begin(), ratios.end());
      if (sc.pareto_k > k_max && *hi_it - *lo_it >= 0.2) {
        const MomentMatch m =
            moment_match(*density, draws, cd.log_density, members, psis, k_max, chains);
        if (m.transforms > 0) {
          sc.pareto_k = m.pareto_k;
          sc.method = "moment matching";
          for (std::size_t k = 0; k < members.size(); ++k)
            ps[k] = claim_p_value(r.evidence.claims[members[k]], m.values[k], m.log_weights);
        }
        if (sc.pareto_k > k_max && source_refits < options.max_refits) {
          ++source_refits;
          note(
              fmt::format("refitting without source {} (Pareto k {:.2f})", sc.source, sc.pareto_k));
          const Refit rf = refit_without(members, options.seed + 5000 + src);
          sc.method = "refit";
          for (std::size_t k = 0; k < members.size(); ++k)
            ps[k] = claim_p_value(r.evidence.claims[members[k]], rf.values.values[members[k]], {});
          if (!rf.problems.empty()) {
            sc.method = "refit failed";
            sc.refit_problems = joined(rf.problems);
            note(
                fmt::format("the refit without source {} failed its diagnostics ({}): its "
                            "p-value is not used",
                            sc.source, sc.refit_problems));
          }
        }
      }
      sc.p_value = sc.method == "refit failed" ? std::nan("") : simes(ps);
      sc.bias_median = mcmc::quantile(cd.source_bias[src], 0.5);
      sc.bias_q05 = mcmc::quantile(cd.source_bias[src], 0.05);
      sc.bias_q95 = mcmc::quantile(cd.source_bias[src], 0.95);
      r.source_conflicts.push_back(sc);
    }
    std::vector<double> sp;
    for (const SourceConflict& sc : r.source_conflicts)
      sp.push_back(sc.p_value);
    const std::vector<double> sadj = adjust_usable(sp);
    for (std::size_t k = 0; k < sadj.size(); ++k)
      r.source_conflicts[k].p_adjusted = sadj[k];
    std::stable_sort(r.source_conflicts.begin(), r.source_conflicts.end(),
                     [](const SourceConflict& a, const SourceConflict& b) {
                       return std::isnan(b.p_value) ? !std::isnan(a.p_value)
                                                    : a.p_value < b.p_value;
                     });
  }
  d.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return r;
}

}  // namespace recount::synthesis
