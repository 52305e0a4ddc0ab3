#include "recount/mse/linkage_uncertainty.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <set>

#include <fmt/format.h>
#include <tbb/parallel_for.h>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include "recount/core/csv.hpp"
#include "recount/core/error.hpp"
#include "recount/core/json_fields.hpp"
#include "recount/core/progress.hpp"
#include "recount/core/text.hpp"
#include "recount/mcmc/diagnostics.hpp"
#include "recount/mse/strata.hpp"

namespace recount::mse {

namespace {

std::uint64_t positive_integer(const CsvReader& reader, const CsvRecord& record,
                               std::size_t column) {
  const std::string_view text = record.fields[column];
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value == 0)
    throw bad_input(reader.at(record, column),
                    fmt::format("`{}` is not a whole number of 1 or more", text));
  return value;
}

// One draw as read: per entity its capture pattern and stratum (of its first record with one).
struct DrawEntities {
  std::map<std::uint64_t, std::pair<Pattern, std::string>> entity;
  std::set<std::pair<std::size_t, std::string>> records;  // (list, id)
  std::size_t first_line = 0;
};

}  // namespace

LinkageDrawTables parse_linkage_draws(std::string text, const std::string& name,
                                      const std::vector<std::string>& lists) {
  CsvReader reader(std::move(text), name);
  const std::size_t c_draw = reader.require_column("draw");
  const std::size_t c_list = reader.require_column("list");
  const std::size_t c_id = reader.require_column("id");
  const std::size_t c_entity = reader.require_column("entity");
  const std::optional<std::size_t> c_stratum = reader.column("stratum");
  std::map<std::uint64_t, DrawEntities> draws;
  CsvRecord record;
  while (reader.next(record)) {
    const std::uint64_t draw = positive_integer(reader, record, c_draw);
    const auto list = std::find(lists.begin(), lists.end(), record.fields[c_list]);
    if (list == lists.end())
      throw bad_input(reader.at(record, c_list),
                      fmt::format("list `{}` is not one of the captures table's lists ({})",
                                  record.fields[c_list], fmt::join(lists, ", ")));
    if (record.fields[c_id].empty())
      throw bad_input(reader.at(record, c_id), "the record's id is empty");
    const std::uint64_t entity = positive_integer(reader, record, c_entity);
    DrawEntities& d = draws[draw];
    if (d.records.empty()) d.first_line = record.line;
    const auto l = static_cast<std::size_t>(list - lists.begin());
    if (!d.records.emplace(l, std::string(record.fields[c_id])).second)
      throw bad_input(reader.at(record, c_id), fmt::format("record {}:{} appears twice in draw {}",
                                                           *list, record.fields[c_id], draw));
    auto& [pattern, stratum] = d.entity[entity];
    pattern |= Pattern{1} << static_cast<unsigned>(list - lists.begin());
    if (c_stratum && stratum.empty()) stratum = std::string(record.fields[*c_stratum]);
  }
  if (draws.empty()) throw bad_input(Location{.file = name}, "the file holds no linkage draws");
  const auto& records = draws.begin()->second.records;
  LinkageDrawTables out;
  for (const auto& [number, d] : draws) {
    if (d.records != records)
      throw bad_input(Location{.file = name, .line = d.first_line},
                      fmt::format("draw {} ({} records) does not hold the records of draw {} ({} "
                                  "records): every draw must hold every record once",
                                  number, d.records.size(), draws.begin()->first, records.size()));
    std::map<std::string, CaptureTable> by_stratum;
    for (const auto& [entity, value] : d.entity) {
      const std::string stratum =
          c_stratum ? (value.second.empty() ? std::string("unknown") : value.second) : "";
      CaptureTable& t = by_stratum[stratum];
      if (t.lists.empty()) {
        t.lists = lists;
        t.counts.assign(std::size_t{1} << lists.size(), 0.0);
        t.stratum = stratum;
      }
      t.counts[value.first] += 1;
    }
    std::vector<CaptureTable> tables;
    for (auto& [stratum, t] : by_stratum)
      tables.push_back(std::move(t));
    out.push_back(std::move(tables));
  }
  return out;
}

LinkageDrawTables read_linkage_draws(const std::filesystem::path& path,
                                     const std::vector<std::string>& lists) {
  return parse_linkage_draws(read_file(path), path.generic_string(), lists);
}

nlohmann::json to_json(const LinkageUncertainty& r) {
  return {{"method", r.method},
          {"estimate", optional_number(r.estimate)},
          {"interval", {optional_number(r.lower), optional_number(r.upper)}},
          {"draws", r.draws},
          {"level", r.level},
          {"rule", r.rule},
          {"diagnostics", r.diagnostics},
          {"warnings", r.warnings},
          {"trusted", r.trusted}};
}

LinkageUncertainty linkage_uncertainty_from_json(const JsonFields& f) {
  LinkageUncertainty r;
  r.method = f.string("method");
  r.estimate = f.number("estimate");
  const auto ends = f.numbers("interval");
  if (!ends.empty() && ends.size() != 2) throw f.error("interval", "must be [lower, upper]");
  if (ends.size() == 2) {
    r.lower = ends[0];
    r.upper = ends[1];
  }
  r.level = f.number("level").value_or(r.level);
  r.draws = f.count("draws").value_or(0);
  r.rule = f.string("rule");
  if (const nlohmann::json& d = f.raw("diagnostics"); !d.is_null()) r.diagnostics = d;
  r.warnings = f.strings("warnings");
  r.trusted = f.boolean("trusted", true);
  return r;
}

std::string linkage_uncertainty_text(const LinkageUncertainty& r) {
  const double percent = 100 * r.level;
  std::string out =
      fmt::format("\nWith linkage uncertainty ({} linkage draws, {}):\n", r.draws, r.method);
  if (r.estimate)
    out += fmt::format("  Estimate: {}; {}% interval: {} - {}\n", format_number(*r.estimate),
                       format_number(percent, percent == std::floor(percent) ? 0 : 1),
                       r.lower ? format_number(*r.lower) : "?",
                       r.upper ? format_number(*r.upper) : "unbounded");
  else
    out += "  Estimate: none\n";
  out += fmt::format("  Rule: {}\n", r.rule);
  if (r.diagnostics.contains("share_of_variance_from_linkage"))
    out += fmt::format("  Share of the variance from the linkage: {:.2f}\n",
                       r.diagnostics["share_of_variance_from_linkage"].get<double>());
  for (const std::string& w : r.warnings)
    out += fmt::format("  Warning: {}\n", w);
  return out;
}

namespace {

// Rubin's (1987) eqs. 3.1.2-3.1.8 on estimates q with squared standard errors u: the mean, the
// within (W) and between (B) variances, T = W + (1 + 1/K) B, and the half-width of the interval
// at `level`, Student t with (K - 1)(1 + 1/r)^2 degrees of freedom, r = (1 + 1/K) B / W
// (infinite, a normal quantile, when B or W is 0).
struct RubinCombination {
  double mean, within, between, total, df, half_width;
};

RubinCombination rubin_combination(const std::vector<double>& q, const std::vector<double>& u,
                                   double level) {
  const double k = static_cast<double>(q.size());
  RubinCombination c{};
  c.mean = std::accumulate(q.begin(), q.end(), 0.0) / k;
  c.within = std::accumulate(u.begin(), u.end(), 0.0) / k;
  for (double x : q)
    c.between += (x - c.mean) * (x - c.mean);
  c.between /= k - 1;
  c.total = c.within + (1 + 1 / k) * c.between;
  const double p = 1 - (1 - level) / 2;
  c.df = std::numeric_limits<double>::infinity();
  double z = 0;
  if (c.between > 0 && c.within > 0) {
    const double r = (1 + 1 / k) * c.between / c.within;
    c.df = (k - 1) * (1 + 1 / r) * (1 + 1 / r);
    z = boost::math::quantile(boost::math::students_t(c.df), p);
  } else {
    z = boost::math::quantile(boost::math::normal(), p);
  }
  c.half_width = z * std::sqrt(c.total);
  return c;
}

}  // namespace

// Rubin (1987), eqs. 3.1.2-3.1.8, on N itself: the interval Q +- t sqrt(T), symmetric. Beside
// it, in diagnostics.log_scale, the same rules on the log scale of the unseen, back-transformed:
// with c the fewest people observed on any draw, g(N) = log(N - c + 1), per draw g(N_k) and the
// delta-method variance se_k^2 / (N_k - c + 1)^2, the interval c - 1 + exp(g +- t sqrt(T_g)),
// asymmetric (the log-normal scale of the unseen of Chao 1987, Biometrics 43:783; pooling on a
// scale nearer normal, then back-transforming, as White, Royston & Wood 2011, Stat. Med. 30:377,
// section 8, advise for skewed positive quantities). It is not the reported rule: in the 100
// replications of the statistical test it covered N at 0.89 against 0.93 for the count scale
// (docs/mse.md).
LinkageUncertainty combine_by_rubin(const std::vector<MseResult>& per_draw, double level) {
  LinkageUncertainty out;
  out.method = per_draw.empty() ? "loglinear" : per_draw.front().method;
  out.level = level;
  out.draws = per_draw.size();
  out.rule = "Rubin (1987): total variance = mean within-linkage + (1 + 1/K) between-linkage";
  std::vector<double> q, u, observed;
  std::size_t missing = 0;
  for (const MseResult& r : per_draw) {
    if (r.estimate && r.se) {
      q.push_back(*r.estimate);
      u.push_back(*r.se * *r.se);
      observed.push_back(r.observed);
    } else {
      ++missing;
    }
    if (!r.trusted) out.trusted = false;
  }
  if (missing > 0) {
    out.warnings.push_back(
        fmt::format("{} of {} linkage draws gave no estimate (not identified); left out", missing,
                    per_draw.size()));
    out.trusted = false;
  }
  if (q.size() < 2) {
    out.warnings.push_back("fewer than two linkage draws with an estimate: nothing to combine");
    out.trusted = false;
    return out;
  }
  const double floor = *std::min_element(observed.begin(), observed.end());
  std::vector<double> log_q(q.size()), log_u(q.size());
  for (std::size_t d = 0; d < q.size(); ++d) {
    const double unseen = std::max(q[d] - floor, 0.0) + 1;
    log_q[d] = std::log(unseen);
    log_u[d] = u[d] / (unseen * unseen);
  }
  const RubinCombination log_scale = rubin_combination(log_q, log_u, level);
  const RubinCombination count_scale = rubin_combination(q, u, level);
  auto back = [floor](double g) { return floor - 1 + std::exp(g); };
  out.estimate = count_scale.mean;
  out.lower = std::max(floor, count_scale.mean - count_scale.half_width);
  out.upper = count_scale.mean + count_scale.half_width;
  const auto [lo, hi] = std::minmax_element(q.begin(), q.end());
  const double k = static_cast<double>(q.size());
  auto finite = [](double x) { return std::isfinite(x) ? nlohmann::json(x) : nullptr; };
  out.diagnostics = {
      {"within_variance", count_scale.within},
      {"between_variance", count_scale.between},
      {"total_variance", count_scale.total},
      {"se", std::sqrt(count_scale.total)},
      {"degrees_of_freedom", finite(count_scale.df)},
      {"share_of_variance_from_linkage",
       count_scale.total > 0 ? (1 + 1 / k) * count_scale.between / count_scale.total : 0.0},
      {"log_scale",
       {{"scale", "log(N - c + 1)"},
        {"offset_c", floor},
        {"estimate", back(log_scale.mean)},
        {"interval",
         {std::max(floor, back(log_scale.mean - log_scale.half_width)),
          back(log_scale.mean + log_scale.half_width)}},
        {"total_variance", log_scale.total},
        {"degrees_of_freedom", finite(log_scale.df)}}},
      {"estimate_min", *lo},
      {"estimate_max", *hi}};
  return out;
}

LinkageUncertainty pool_posteriors(const std::string& method,
                                   const std::vector<std::vector<double>>& per_draw, double level) {
  LinkageUncertainty out;
  out.method = method;
  out.level = level;
  out.draws = per_draw.size();
  out.rule = "pooled posterior draws of N over the linkage draws, each linkage weighted equally";
  std::vector<double> pooled;
  std::vector<double> medians;
  for (const auto& d : per_draw) {
    if (d.empty()) continue;
    pooled.insert(pooled.end(), d.begin(), d.end());
    medians.push_back(mcmc::quantile(d, 0.5));
  }
  if (pooled.empty()) {
    out.warnings.push_back("no posterior draws to pool");
    out.trusted = false;
    return out;
  }
  out.estimate = mcmc::quantile(pooled, 0.5);
  out.lower = mcmc::quantile(pooled, (1 - level) / 2);
  out.upper = mcmc::quantile(pooled, 1 - (1 - level) / 2);
  const auto [lo, hi] = std::minmax_element(medians.begin(), medians.end());
  out.diagnostics = {{"posterior_draws", pooled.size()}, {"median_min", *lo}, {"median_max", *hi}};
  return out;
}

namespace {

// Per linkage draw, the total's posterior draws of N: the strata's draws summed index by index.
std::vector<std::vector<double>> lcmcr_draws(const LinkageDrawTables& draws,
                                             const LinkageUncertaintyOptions& options,
                                             nlohmann::json& diagnostics, bool& converged) {
  LcmcrOptions run = options.lcmcr;
  if (run.burnin < 0) run.burnin = lcmcr_burnin_per_draw;
  if (run.thin < 0) run.thin = lcmcr_thin_per_draw;
  if (options.lcmcr_chains_per_draw < 1)
    throw usage_error(fmt::format("LCMCR needs at least one chain per linkage draw, not {}",
                                  options.lcmcr_chains_per_draw));
  run.chains = options.lcmcr_chains_per_draw;
  const auto k = static_cast<int>(draws.size());
  run.samples = options.lcmcr.samples < 0
                    ? lcmcr_samples_per_draw
                    : std::max(lcmcr_min_samples_per_draw, (options.lcmcr.samples + k - 1) / k);
  run.progress = false;
  // Every (draw, stratum, chain) is one job; each draws an independent stream of the seed.
  struct Job {
    std::size_t draw, stratum;
    int chain;
  };
  std::vector<Job> jobs;
  for (std::size_t d = 0; d < draws.size(); ++d)
    for (std::size_t s = 0; s < draws[d].size(); ++s)
      for (int c = 0; c < run.chains; ++c)
        jobs.push_back({d, s, c});
  std::vector<std::vector<double>> chains(jobs.size());
  note(fmt::format("lcmcr on {} linkage draws: {} chains of {} sweeps", draws.size(), jobs.size(),
                   run.burnin + static_cast<std::int64_t>(run.samples) * run.thin));
  tbb::parallel_for(std::size_t{0}, jobs.size(), [&](std::size_t j) {
    const Job& job = jobs[j];
    chains[j] = detail::lcmcr_chain(draws[job.draw][job.stratum], run, detail::PopulationPrior{},
                                    static_cast<std::uint64_t>(j))
                    .population;
  });
  std::vector<std::vector<double>> out(
      draws.size(),
      std::vector<double>(
          static_cast<std::size_t>(run.samples) * static_cast<std::size_t>(run.chains), 0.0));
  // Convergence is judged within each linkage draw, never over chains pooled across draws
  // (those differ by the linkage's own spread, which is real): per draw the split R-hat of its
  // total (the strata's draws summed within a chain: what is pooled), reported as the worst and
  // the median; and the within-draw R-hat pooled over the draws (mcmc::within_group_rhat), the
  // check, since one draw's R-hat from two short chains is too noisy to judge by (on one table
  // with no linkage spread at all, 2-5 of 20 pairs exceeded 1.1: docs/mse.md). With strata, the
  // worst R-hat of a single stratum too, for information.
  std::vector<double> per_draw_rhat;
  std::vector<mcmc::ChainValues> groups;
  double worst_stratum = 1;
  double ess_total = 0;
  std::size_t j = 0;
  const auto samples = static_cast<std::size_t>(run.samples);
  for (std::size_t d = 0; d < draws.size(); ++d) {
    for (std::size_t s = 0; s < draws[d].size(); ++s) {
      mcmc::ChainValues stratum_chains;
      for (int c = 0; c < run.chains; ++c, ++j) {
        for (std::size_t i = 0; i < chains[j].size(); ++i)
          out[d][static_cast<std::size_t>(c) * samples + i] += chains[j][i];
        stratum_chains.push_back(chains[j]);
      }
      if (run.chains > 1 && draws[d].size() > 1)
        worst_stratum = std::max(worst_stratum, mcmc::split_rhat(stratum_chains));
    }
    mcmc::ChainValues total_chains;
    for (int c = 0; c < run.chains; ++c) {
      const auto begin =
          out[d].begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(c) * samples);
      total_chains.emplace_back(begin, begin + static_cast<std::ptrdiff_t>(samples));
    }
    const double rhat = mcmc::split_rhat(total_chains);
    per_draw_rhat.push_back(std::isnan(rhat) ? 1.0 : rhat);
    const double ess = mcmc::ess_bulk(total_chains);
    ess_total += std::isnan(ess) ? 0.0 : ess;
    groups.push_back(std::move(total_chains));
  }
  const double within = mcmc::within_group_rhat(groups);
  diagnostics["rhat_within_draws"] = std::isnan(within) ? 1.0 : within;
  diagnostics["rhat_max_per_draw"] = *std::max_element(per_draw_rhat.begin(), per_draw_rhat.end());
  diagnostics["rhat_median_per_draw"] = mcmc::quantile(per_draw_rhat, 0.5);
  diagnostics["ess_bulk_sum_over_draws"] = ess_total;
  if (draws.front().size() > 1) diagnostics["rhat_max_per_stratum"] = worst_stratum;
  diagnostics["chains_per_draw"] = run.chains;
  diagnostics["burnin"] = run.burnin;
  diagnostics["samples_per_chain"] = run.samples;
  diagnostics["thin"] = run.thin;
  converged = !(within > lcmcr_max_rhat_within_draws) && ess_total >= lcmcr_min_ess;
  return out;
}

// Per linkage draw, draws from the exact dga posterior of each stratum (inverse CDF at shuffled
// stratified uniforms), summed index by index over the strata.
std::vector<std::vector<double>> dga_draws(const LinkageDrawTables& draws,
                                           const LinkageUncertaintyOptions& options,
                                           bool& trusted) {
  const std::size_t m = options.dga_samples;
  std::vector<std::vector<double>> out(draws.size(), std::vector<double>(m, 0.0));
  std::vector<char> ok(draws.size(), 1);
  tbb::parallel_for(std::size_t{0}, draws.size(), [&](std::size_t d) {
    std::seed_seq seq{std::uint64_t{d}, std::uint64_t{0x646761}};
    std::mt19937_64 rng(seq);
    for (const CaptureTable& table : draws[d]) {
      std::vector<double> posterior;
      const MseResult r = estimate_dga(table, options.dga, &posterior);
      if (!r.trusted) ok[d] = 0;
      std::vector<double> cumulative(posterior.size());
      std::partial_sum(posterior.begin(), posterior.end(), cumulative.begin());
      std::vector<double> u(m);
      for (std::size_t i = 0; i < m; ++i)
        u[i] = (static_cast<double>(i) + 0.5) / static_cast<double>(m) * cumulative.back();
      std::shuffle(u.begin(), u.end(), rng);
      for (std::size_t i = 0; i < m; ++i) {
        const auto t = static_cast<std::size_t>(
            std::lower_bound(cumulative.begin(), cumulative.end(), u[i]) - cumulative.begin());
        out[d][i] += r.observed + 1 + static_cast<double>(std::min(t, posterior.size() - 1));
      }
    }
  });
  trusted = std::all_of(ok.begin(), ok.end(), [](char c) { return c != 0; });
  return out;
}

MseResult loglinear_total(const std::vector<CaptureTable>& tables, const LogLinearOptions& o) {
  std::vector<MseResult> strata;
  for (const CaptureTable& t : tables)
    strata.push_back(estimate_loglinear(t, o));
  return strata.size() == 1 ? strata.front() : combine_strata(strata);
}

}  // namespace

LinkageUncertainty estimate_with_linkage_uncertainty(const LinkageDrawTables& draws,
                                                     const std::string& method,
                                                     const LinkageUncertaintyOptions& options) {
  if (draws.empty()) throw usage_error("no linkage draws to estimate on");
  if (method == "loglinear") {
    LogLinearOptions o = options.loglinear;
    o.level = options.level;
    std::vector<MseResult> per_draw(draws.size());
    tbb::parallel_for(std::size_t{0}, draws.size(),
                      [&](std::size_t d) { per_draw[d] = loglinear_total(draws[d], o); });
    LinkageUncertainty out = combine_by_rubin(per_draw, options.level);
    std::map<std::string, int> models;
    for (const MseResult& r : per_draw)
      ++models[r.model];
    out.diagnostics["models_chosen"] = models;
    return out;
  }
  if (method == "lcmcr") {
    nlohmann::json diagnostics = nlohmann::json::object();
    bool converged = true;
    const auto per_draw = lcmcr_draws(draws, options, diagnostics, converged);
    LinkageUncertainty out = pool_posteriors("lcmcr", per_draw, options.level);
    out.diagnostics.update(diagnostics);
    if (!converged) {
      out.warnings.push_back(fmt::format(
          "the LCMCR chains on the linkage draws have not converged: the within-draw R-hat of N "
          "pooled over the draws is {:.3f} (above {}; per draw the worst {:.3f}, the median "
          "{:.3f}), {:.0f} effective draws summed over the draws (at least {} needed); run longer "
          "(--burnin, --samples, --thin)",
          diagnostics["rhat_within_draws"].get<double>(), lcmcr_max_rhat_within_draws,
          diagnostics["rhat_max_per_draw"].get<double>(),
          diagnostics["rhat_median_per_draw"].get<double>(),
          diagnostics["ess_bulk_sum_over_draws"].get<double>(), lcmcr_min_ess));
      out.trusted = false;
    }
    return out;
  }
  if (method == "dga") {
    DgaOptions o = options.dga;
    o.level = options.level;
    LinkageUncertaintyOptions with = options;
    with.dga = o;
    bool trusted = true;
    LinkageUncertainty out = pool_posteriors("dga", dga_draws(draws, with, trusted), options.level);
    if (!trusted) {
      out.warnings.push_back(
          "on some linkage draw the dga posterior of N reaches the end of its range");
      out.trusted = false;
    }
    return out;
  }
  throw usage_error(fmt::format("unknown estimator `{}` (loglinear, lcmcr or dga)", method));
}

}  // namespace recount::mse
