#include "recount/linkage/fellegi_sunter.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>

#include <fmt/format.h>
#include <tbb/combinable.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/parallel_sort.h>

#include "recount/core/error.hpp"
#include "recount/core/progress.hpp"

namespace recount::linkage {

namespace {

// Starting (and fallback) m per comparator: agreement likely among matches.
std::vector<double> default_m(Comparator c) {
  switch (c) {
    case Comparator::name:
      return {0, 0.80, 0.08, 0.05, 0.02, 0.01, 0.01, 0.03};
    case Comparator::exact:
      return {0, 0.95, 0.05};
    case Comparator::jaro_winkler:
    case Comparator::levenshtein:
      return {0, 0.85, 0.07, 0.03, 0.05};
    case Comparator::date:
      return {0, 0.70, 0.02, 0.05, 0.08, 0.04, 0.03, 0.03, 0.01, 0.04};
    case Comparator::numeric:
      return {0, 0.85, 0.10, 0.05};
  }
  return {0, 0.9, 0.1};
}

// Levels of a pair packed four bits per field (at most 16 fields).
std::uint64_t pattern_of(const Comparer& c, std::uint32_t a, std::uint32_t b) {
  std::uint64_t p = 0;
  for (std::size_t f = 0; f < c.fields(); ++f)
    p |= static_cast<std::uint64_t>(c.level(f, a, b)) << (4 * f);
  return p;
}

// Distinct patterns of the pairs with their counts (sort + run-length: EM then runs over a
// few hundred patterns instead of millions of pairs).
void count_patterns(const Comparer& c, const std::vector<std::uint64_t>& pairs,
                    std::vector<std::uint8_t>& patterns, std::vector<double>& counts) {
  std::vector<std::uint64_t> packed(pairs.size());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, pairs.size(), 4096),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t i = r.begin(); i < r.end(); ++i)
                        packed[i] = pattern_of(c, pair_first(pairs[i]), pair_second(pairs[i]));
                    });
  tbb::parallel_sort(packed.begin(), packed.end());
  const std::size_t nf = c.fields();
  for (std::size_t i = 0; i < packed.size();) {
    std::size_t j = i;
    while (j < packed.size() && packed[j] == packed[i])
      ++j;
    for (std::size_t f = 0; f < nf; ++f)
      patterns.push_back(static_cast<std::uint8_t>((packed[i] >> (4 * f)) & 0xf));
    counts.push_back(static_cast<double>(j - i));
    i = j;
  }
}

// A reproducible sample of at most `cap` of the pairs.
std::vector<std::uint64_t> sample_pairs(const std::vector<std::uint64_t>& pairs, std::uint64_t cap,
                                        std::uint64_t seed) {
  if (pairs.size() <= cap) return pairs;
  std::mt19937_64 rng(seed);
  std::vector<std::uint64_t> out;
  out.reserve(cap);
  // Selection sampling (Knuth, TAOCP vol. 2, Algorithm S): exactly `cap`, in order.
  std::uint64_t needed = cap;
  for (std::size_t i = 0; i < pairs.size() && needed > 0; ++i) {
    const std::uint64_t left = pairs.size() - i;
    if (std::uniform_int_distribution<std::uint64_t>(0, left - 1)(rng) < needed) {
      out.push_back(pairs[i]);
      --needed;
    }
  }
  return out;
}

void estimate_u(const RecordSet& records, const Comparer& comparer, std::vector<FieldModel>& fields,
                const ModelOptions& options, std::uint64_t& used) {
  const std::size_t n = records.size();
  const std::size_t nf = fields.size();
  const double all_pairs = 0.5 * static_cast<double>(n) * static_cast<double>(n - 1);
  const std::uint64_t count =
      static_cast<std::uint64_t>(std::min(static_cast<double>(options.u_pairs), all_pairs));
  std::vector<std::uint64_t> pairs;
  pairs.reserve(count);
  std::mt19937_64 rng(options.seed ^ 0x75u);
  std::uniform_int_distribution<std::uint32_t> pick(0, static_cast<std::uint32_t>(n - 1));
  while (pairs.size() < count) {
    const std::uint32_t a = pick(rng), b = pick(rng);
    if (a != b) pairs.push_back(pack_pair(a, b));
  }
  used = pairs.size();
  using Counts = std::vector<double>;
  tbb::combinable<Counts> local([&] { return Counts(nf * max_levels, 0.0); });
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, pairs.size(), 4096),
      [&](const tbb::blocked_range<std::size_t>& r) {
        Counts& c = local.local();
        for (std::size_t i = r.begin(); i < r.end(); ++i)
          for (std::size_t f = 0; f < nf; ++f)
            c[f * max_levels + static_cast<std::size_t>(comparer.level(
                                   f, pair_first(pairs[i]), pair_second(pairs[i])))] += 1;
      });
  Counts total(nf * max_levels, 0.0);
  local.combine_each([&](const Counts& c) {
    for (std::size_t i = 0; i < c.size(); ++i)
      total[i] += c[i];
  });
  for (std::size_t f = 0; f < nf; ++f) {
    FieldModel& fm = fields[f];
    const std::size_t levels = fm.levels.size();
    double present = 0;
    for (std::size_t l = 1; l < levels; ++l)
      present += total[f * max_levels + l];
    fm.present = pairs.empty() ? 0 : present / static_cast<double>(pairs.size());
    fm.u.assign(levels, 0.0);
    // Half a pair per level (Jeffreys-style smoothing) so no level gets u = 0.
    for (std::size_t l = 1; l < levels; ++l)
      fm.u[l] =
          (total[f * max_levels + l] + 0.5) / (present + 0.5 * static_cast<double>(levels - 1));
  }
}

// [[model.fix]] as tables per field and level (NaN: estimated). An unknown field or level, or
// fixed probabilities of one field summing to 1 or more, is bad input naming the config line.
struct FixedTables {
  std::vector<std::vector<double>> m, u;
  bool any_m = false;
};
FixedTables fixed_tables(const std::vector<FieldModel>& fields, const ModelOptions& options) {
  FixedTables t;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const FieldModel& f : fields) {
    t.m.emplace_back(f.levels.size(), nan);
    t.u.emplace_back(f.levels.size(), nan);
  }
  for (const FixedProbability& fix : options.fixed) {
    const Location where{.file = fix.file, .line = fix.line, .key = "model.fix"};
    const auto field = std::find_if(fields.begin(), fields.end(),
                                    [&](const FieldModel& f) { return f.name == fix.field; });
    if (field == fields.end())
      throw bad_input(where, fmt::format("no list has the field '{}'", fix.field));
    const auto level = std::find(field->levels.begin() + 1, field->levels.end(), fix.level);
    if (level == field->levels.end())
      throw bad_input(where,
                      fmt::format("field {} ({}) has no level '{}' (levels: {})", fix.field,
                                  comparator_name(field->comparator), fix.level,
                                  fmt::join(field->levels.begin() + 1, field->levels.end(), ", ")));
    const auto f = static_cast<std::size_t>(field - fields.begin());
    const auto l = static_cast<std::size_t>(level - field->levels.begin());
    if (fix.m) {
      t.m[f][l] = *fix.m;
      t.any_m = true;
    }
    if (fix.u) t.u[f][l] = *fix.u;
  }
  for (std::size_t f = 0; f < fields.size(); ++f)
    for (const auto* table : {&t.m, &t.u}) {
      double sum = 0;
      std::size_t free = 0;
      for (std::size_t l = 1; l < fields[f].levels.size(); ++l) {
        if (std::isnan((*table)[f][l]))
          ++free;
        else
          sum += (*table)[f][l];
      }
      if ((free > 0 && sum >= 1) || (free == 0 && std::abs(sum - 1) > 1e-9))
        throw bad_input(Location{.file = options.fixed.front().file, .key = "model.fix"},
                        fmt::format("the fixed {} of field {} sum to {}: they must leave the "
                                    "other levels a share (or, fixing every level, sum to 1)",
                                    table == &t.m ? "m" : "u", fields[f].name, sum));
    }
  return t;
}

// Sets the fixed levels of `p` and rescales the others to share what is left.
void hold_fixed(std::vector<double>& p, const std::vector<double>& fixed) {
  double left = 1, free = 0;
  for (std::size_t l = 1; l < p.size(); ++l) {
    if (std::isnan(fixed[l]))
      free += p[l];
    else
      left -= fixed[l];
  }
  for (std::size_t l = 1; l < p.size(); ++l)
    p[l] = std::isnan(fixed[l]) ? (free > 0 ? p[l] * left / free : 0) : fixed[l];
}

// Patterns of labelled pairs with their responsibility fixed, appended to a session's.
void add_known(const Comparer& comparer, const std::vector<std::uint64_t>& pairs, double w,
               std::vector<std::uint8_t>& patterns, std::vector<double>& counts,
               std::vector<double>& known) {
  if (pairs.empty()) return;
  if (known.empty()) known.assign(counts.size(), -1.0);
  const std::size_t before = counts.size();
  count_patterns(comparer, pairs, patterns, counts);
  known.resize(counts.size(), w);
  for (std::size_t p = before; p < counts.size(); ++p)
    known[p] = w;
}

}  // namespace

double log2_odds_of(double probability) {
  return std::log2(probability / (1 - probability));
}
double probability_of(double log2_odds) {
  return 1 / (1 + std::exp2(-log2_odds));
}

double LinkModel::prior_log2_odds(bool same_list) const {
  return log2_odds_of(same_list ? prior_within : prior_across);
}

JointEmResult joint_expectation_maximisation(const std::vector<EmSession>& sessions,
                                             const std::vector<FieldModel>& fields,
                                             int max_iterations, double tolerance,
                                             const std::vector<std::vector<double>>& fixed_m,
                                             const std::optional<PartlyObservedLevel>& partly) {
  const std::size_t nf = fields.size();
  const std::size_t ns = sessions.size();
  // The parameters as one flat vector: the sessions' match shares, then m of every field and
  // level (level 0 and fixed levels never move).
  std::vector<std::size_t> offset(nf + 1, ns);
  for (std::size_t f = 0; f < nf; ++f)
    offset[f + 1] = offset[f] + fields[f].levels.size();
  std::vector<double> theta(offset[nf], 0.3);
  auto fixed = [&](std::size_t f, std::size_t l) {
    return !fixed_m.empty() && !std::isnan(fixed_m[f][l]);
  };
  for (std::size_t f = 0; f < nf; ++f) {
    const std::vector<double> start =
        fields[f].m.empty() ? default_m(fields[f].comparator) : fields[f].m;
    for (std::size_t l = 0; l < fields[f].levels.size(); ++l)
      theta[offset[f] + l] = l > 0 && fixed(f, l) ? fixed_m[f][l] : start[l];
  }
  // Per session: the pairs whose responsibility is estimated, and the log u of each pattern
  // over the fields it estimates (u is fixed, so this does not change).
  std::vector<double> total(ns, 0.0);
  std::vector<std::vector<double>> log_u(ns);
  for (std::size_t s = 0; s < ns; ++s) {
    const EmSession& es = sessions[s];
    const std::size_t np = es.counts.size();
    log_u[s].assign(np, 0.0);
    for (std::size_t p = 0; p < np; ++p) {
      if (es.known.empty() || es.known[p] < 0) total[s] += es.counts[p];
      for (std::size_t f = 0; f < nf; ++f) {
        const std::uint8_t l = es.patterns[p * nf + f];
        if (es.estimate[f] && l != 0) log_u[s][p] += std::log(fields[f].u[l]);
      }
    }
  }
  std::vector<bool> estimated(nf, false);
  for (const EmSession& es : sessions)
    for (std::size_t f = 0; f < nf; ++f)
      estimated[f] = estimated[f] || es.estimate[f];
  // A pseudo-count per level keeps every m above 0: the M step is then the posterior mode under
  // a Dirichlet prior with parameters 1 + kPseudo, whose log density enters the objective.
  constexpr double kPseudo = 0.01;
  std::vector<std::vector<double>> sum(nf);
  std::vector<double> likely(nf, 0.0);  // pairs more likely matches than not, field compared
  std::vector<double> partly_sum;
  // One EM step from `in` to `out`; returns the objective (log likelihood plus log prior) at
  // `in`, which every EM step does not decrease.
  const auto step = [&](const std::vector<double>& in, std::vector<double>& out) {
    out = in;
    double objective = 0;
    for (std::size_t f = 0; f < nf; ++f)
      sum[f].assign(fields[f].levels.size(), 0.0);
    likely.assign(nf, 0.0);
    if (partly) partly_sum.assign(fields[partly->field].levels.size(), 0.0);
    for (std::size_t s = 0; s < ns; ++s) {
      const EmSession& es = sessions[s];
      const std::size_t np = es.counts.size();
      const double lambda = in[s];
      double matches = 0;
      for (std::size_t p = 0; p < np; ++p) {
        const bool known = !es.known.empty() && es.known[p] >= 0;
        double log_m = known ? 0 : std::log(lambda);
        for (std::size_t f = 0; f < nf; ++f) {
          const std::uint8_t l = es.patterns[p * nf + f];
          if (es.estimate[f] && l != 0) log_m += std::log(std::max(in[offset[f] + l], 1e-12));
        }
        double w = 0;
        if (known) {
          // E step of a labelled pair: its class is known.
          w = es.known[p];
          objective += es.counts[p] * (w > 0 ? log_m : log_u[s][p]);
        } else {
          // E step: the posterior probability that the pattern's pairs are matches.
          const double lu = std::log1p(-lambda) + log_u[s][p];
          const double top = std::max(log_m, lu);
          objective += es.counts[p] * (top + std::log(std::exp(log_m - top) + std::exp(lu - top)));
          w = 1 / (1 + std::exp(lu - log_m));
          matches += es.counts[p] * w;
        }
        // The expected matches at each level, pooled over the sessions that estimate the field.
        for (std::size_t f = 0; f < nf; ++f) {
          if (!es.estimate[f]) continue;
          const std::uint8_t l = es.patterns[p * nf + f];
          sum[f][l] += es.counts[p] * w;
          if (l != 0 && w >= 0.5) likely[f] += es.counts[p];
          if (partly && f == partly->field && partly->observed[s])
            partly_sum[l] += es.counts[p] * w;
        }
      }
      // M step of the session's match share (Jaro 1989, eq. 3).
      if (total[s] > 0) out[s] = std::clamp(matches / total[s], 1e-6, 1 - 1e-6);
    }
    // M step of m (Jaro 1989, eq. 4, over the pooled sums); fixed levels keep their m and the
    // others share what is left.
    for (std::size_t f = 0; f < nf; ++f) {
      if (!estimated[f]) continue;
      const std::size_t levels = fields[f].levels.size();
      double present = 0, left = 1;
      std::vector<double> share(levels, 0.0);
      for (std::size_t l = 1; l < levels; ++l) {
        if (fixed(f, l)) {
          left -= in[offset[f] + l];
          continue;
        }
        objective += kPseudo * std::log(std::max(in[offset[f] + l], 1e-12));
        share[l] = sum[f][l] + kPseudo;
        present += share[l];
      }
      if (partly && f == partly->field && !fixed(f, partly->level)) {
        // The partly observed level: its share among the matches of the sessions that can
        // observe it; the other free levels share the rest in proportion to the pooled sums.
        double observed = 0;
        for (std::size_t l = 1; l < levels; ++l)
          observed += partly_sum[l] + kPseudo;
        const double inverted = (partly_sum[partly->level] + kPseudo) / observed;
        const double others = present - share[partly->level];
        for (std::size_t l = 1; l < levels; ++l)
          if (!fixed(f, l) && l != partly->level)
            share[l] = others > 0 ? share[l] / others * (1 - inverted) * present : 0;
        share[partly->level] = inverted * present;
      }
      for (std::size_t l = 1; l < levels; ++l)
        if (!fixed(f, l)) out[offset[f] + l] = left * share[l] / present;
    }
    return objective;
  };
  const auto max_change = [](const std::vector<double>& x, const std::vector<double>& y) {
    double c = 0;
    for (std::size_t i = 0; i < x.size(); ++i)
      c = std::max(c, std::abs(x[i] - y[i]));
    return c;
  };
  const auto feasible = [&](const std::vector<double>& x) {
    for (std::size_t s = 0; s < ns; ++s)
      if (!(x[s] >= 1e-6 && x[s] <= 1 - 1e-6)) return false;
    for (std::size_t f = 0; f < nf; ++f)
      for (std::size_t l = 1; l < fields[f].levels.size(); ++l)
        if (!(x[offset[f] + l] > 0 && x[offset[f] + l] < 1)) return false;
    return true;
  };
  // Plain EM converges linearly, slowly where the match share is small (the fraction of
  // missing information is large). SQUAREM (Varadhan & Roland 2008, Scand. J. Statist.
  // 35:335, scheme S3) extrapolates from two EM steps, theta' = theta0 - 2 a r + a^2 v with
  // r = theta1 - theta0, v = theta2 - 2 theta1 + theta0, a = -|r| / |v| (at most -1), then takes
  // one EM step from theta'. The extrapolation is an affine combination, so each field's m
  // still sums to 1; a step that leaves (0, 1) is halved towards a = -1 (plain EM twice), and
  // one that lowers the objective below theta1's is dropped for theta2. Convergence is judged
  // as before, on one plain EM step: the largest change of any m or match share below
  // `tolerance`. Every EM step counts as an iteration.
  JointEmResult r;
  std::vector<double> theta1, theta2, extrapolated, next;
  int steps = 0;
  while (steps < max_iterations) {
    step(theta, theta1);
    ++steps;
    if (max_change(theta, theta1) < tolerance) {
      theta = theta1;
      r.converged = true;
      break;
    }
    if (steps >= max_iterations) {
      theta = theta1;
      break;
    }
    const double objective1 = step(theta1, theta2);
    ++steps;
    double rr = 0, vv = 0;
    for (std::size_t i = 0; i < theta.size(); ++i) {
      const double ri = theta1[i] - theta[i];
      const double vi = theta2[i] - 2 * theta1[i] + theta[i];
      rr += ri * ri;
      vv += vi * vi;
    }
    double a = vv > 0 ? -std::sqrt(rr / vv) : -1;
    a = std::min(a, -1.0);
    extrapolated.resize(theta.size());
    for (int halving = 0;; ++halving) {
      for (std::size_t i = 0; i < theta.size(); ++i) {
        const double ri = theta1[i] - theta[i];
        const double vi = theta2[i] - 2 * theta1[i] + theta[i];
        extrapolated[i] = theta[i] - 2 * a * ri + a * a * vi;
      }
      if (a == -1.0 || feasible(extrapolated)) break;
      a = halving < 20 ? (a - 1) / 2 : -1.0;
    }
    if (a == -1.0 || steps >= max_iterations) {
      theta = theta2;
      continue;
    }
    const double objective = step(extrapolated, next);
    ++steps;
    theta = objective >= objective1 && feasible(next) ? next : theta2;
  }
  r.iterations = steps;
  step(theta, next);  // the E step at the estimate: its likely matches per field
  r.matches_compared = likely;
  r.match_share.assign(theta.begin(), theta.begin() + static_cast<std::ptrdiff_t>(ns));
  r.m.resize(nf);
  for (std::size_t f = 0; f < nf; ++f)
    r.m[f].assign(theta.begin() + static_cast<std::ptrdiff_t>(offset[f]),
                  theta.begin() + static_cast<std::ptrdiff_t>(offset[f + 1]));
  return r;
}

EmResult expectation_maximisation(const std::vector<std::uint8_t>& patterns,
                                  const std::vector<double>& counts,
                                  const std::vector<FieldModel>& fields,
                                  const std::vector<bool>& estimate, int max_iterations,
                                  double tolerance, const std::vector<double>& known,
                                  const std::vector<std::vector<double>>& fixed_m) {
  const JointEmResult joint = joint_expectation_maximisation(
      {EmSession{patterns, counts, estimate, known}}, fields, max_iterations, tolerance, fixed_m);
  EmResult r;
  r.m = joint.m;
  r.match_share = joint.match_share.front();
  r.iterations = joint.iterations;
  r.converged = joint.converged;
  return r;
}

LinkModel train_model(const RecordSet& records, const std::vector<RulePairs>& rules,
                      const ModelOptions& options,
                      const std::vector<std::uint64_t>& labelled_matches,
                      const std::vector<std::uint64_t>& labelled_non_matches) {
  LinkModel model;
  model.thresholds = LevelThresholds{options.jaro_winkler_high, options.jaro_winkler_low,
                                     options.levenshtein_high, options.levenshtein_low};
  const Comparer comparer(records, model.thresholds);
  const std::size_t nf = records.fields.size();
  if (nf > 16)
    throw bad_input(Location{.key = "compare"}, fmt::format("{} compared fields; at most 16", nf));
  if (records.size() < 2)
    throw bad_input(Location{}, "fewer than two records: there is nothing to link");
  for (const FieldSpec& spec : records.fields) {
    FieldModel fm;
    fm.name = spec.name;
    fm.comparator = spec.comparator;
    fm.levels = level_names(spec.comparator);
    fm.term_frequency = std::find(options.term_frequency.begin(), options.term_frequency.end(),
                                  spec.name) != options.term_frequency.end() &&
                        spec.comparator != Comparator::date &&
                        spec.comparator != Comparator::numeric;
    model.fields.push_back(std::move(fm));
  }

  const FixedTables fixed = fixed_tables(model.fields, options);
  note("estimating u from random pairs");
  estimate_u(records, comparer, model.fields, options, model.u_pairs);
  for (std::size_t f = 0; f < nf; ++f) {
    FieldModel& fm = model.fields[f];
    const bool any = std::any_of(fixed.u[f].begin() + 1, fixed.u[f].end(),
                                 [](double v) { return !std::isnan(v); });
    if (any) hold_fixed(fm.u, fixed.u[f]);
    fm.u_source = any ? "random pairs, with levels fixed in the config" : "random pairs";
  }

  // Training sessions: one per blocking rule, each estimating m only for the fields its rule
  // did not condition on.
  // One likelihood over every session (joint_expectation_maximisation): m shared, each
  // session with its own match share. A session of few matches then cannot carry m off on its
  // own towards some structure of its non-matches: the sessions rich in matches hold m.
  std::vector<int> m_sessions(nf, 0);
  // The surname's "names inverted" level cannot occur among pairs whose rule makes the given
  // names agree: its m is its share among the matches of the sessions that condition on
  // neither name.
  const std::optional<std::size_t> surname_field = records.field_index("surname");
  const bool inverted_level = surname_field && records.field_index("given") &&
                              records.fields[*surname_field].comparator == Comparator::name;
  PartlyObservedLevel inverted{surname_field.value_or(0), kNamesInvertedLevel, {}};
  int inverted_sessions = 0;
  // Rules whose pairs come mostly from their rarest values train nothing (kMaxTrainingBlockLoss),
  // unless no other rule could train.
  const auto mostly_large_blocks = [](const RulePairs& rp) {
    return static_cast<double>(rp.skipped_records) >
           kMaxTrainingBlockLoss * static_cast<double>(rp.keyed_records);
  };
  const bool any_representative = std::any_of(rules.begin(), rules.end(), [&](const RulePairs& rp) {
    return !rp.refused && !rp.ids.empty() && !mostly_large_blocks(rp);
  });
  std::vector<EmSession> em_sessions;
  std::vector<std::size_t> session_index;  // model.sessions entry of each EM session
  for (std::size_t r = 0; r < rules.size(); ++r) {
    const RulePairs& rp = rules[r];
    if (rp.refused || rp.ids.empty()) continue;
    if (any_representative && mostly_large_blocks(rp)) {
      TrainingSession left;
      left.rule = rp.rule.label();
      left.pairs = rp.ids.size();
      left.left_out = fmt::format(
          "{} of its {} keyed records are in blocks over max_block: its pairs are those of its "
          "rarest values, not a sample EM can train on (it still blocks)",
          rp.skipped_records, rp.keyed_records);
      note(fmt::format("training session {} left out: {}", left.rule, left.left_out));
      model.sessions.push_back(std::move(left));
      continue;
    }
    std::set<std::string> conditioned;
    for (const std::string& k : rp.rule.keys)
      conditioned.insert(blocking_key_field(k));
    EmSession es;
    es.estimate.resize(nf);
    TrainingSession session;
    session.rule = rp.rule.label();
    for (std::size_t f = 0; f < nf; ++f) {
      es.estimate[f] = !conditioned.contains(model.fields[f].name);
      if (es.estimate[f]) session.estimated.push_back(model.fields[f].name);
    }
    if (session.estimated.empty()) continue;
    const std::vector<std::uint64_t> sample =
        sample_pairs(rp.ids, options.em_max_pairs, options.seed + r);
    session.pairs = sample.size();
    count_patterns(comparer, sample, es.patterns, es.counts);
    add_known(comparer, labelled_matches, 1.0, es.patterns, es.counts, es.known);
    add_known(comparer, labelled_non_matches, 0.0, es.patterns, es.counts, es.known);
    for (std::size_t f = 0; f < nf; ++f)
      m_sessions[f] += es.estimate[f] ? 1 : 0;
    const bool observes_inverted =
        inverted_level && es.estimate[*surname_field] && !conditioned.contains("given");
    inverted.observed.push_back(observes_inverted);
    inverted_sessions += observes_inverted ? 1 : 0;
    em_sessions.push_back(std::move(es));
    session_index.push_back(model.sessions.size());
    model.sessions.push_back(std::move(session));
  }
  std::vector<std::vector<double>> em_m;
  std::vector<double> matches_compared(nf, 0.0);
  if (!em_sessions.empty()) {
    note(fmt::format("EM over {} training sessions", em_sessions.size()));
    const JointEmResult em = joint_expectation_maximisation(
        em_sessions, model.fields, options.em_max_iterations, options.em_tolerance,
        fixed.any_m ? fixed.m : std::vector<std::vector<double>>{},
        inverted_sessions > 0 ? std::optional<PartlyObservedLevel>(inverted) : std::nullopt);
    em_m = em.m;
    matches_compared = em.matches_compared;
    for (std::size_t s = 0; s < em_sessions.size(); ++s) {
      TrainingSession& session = model.sessions[session_index[s]];
      session.match_share = em.match_share[s];
      session.iterations = em.iterations;
      session.converged = em.converged;
      note(fmt::format("training session {}: {} pairs, {} patterns, match share {:.3g}",
                       session.rule, session.pairs, em_sessions[s].counts.size(),
                       session.match_share));
    }
    note(fmt::format("EM: {} iterations{}", em.iterations, em.converged ? "" : " (not converged)"));
    if (!em.converged)
      model.warnings.push_back(fmt::format(
          "EM did not converge over the {} training sessions ({} iterations; raise [model] "
          "em_max_iterations or check the fields)",
          em_sessions.size(), em.iterations));
  }
  for (std::size_t f = 0; f < nf; ++f) {
    FieldModel& fm = model.fields[f];
    if (m_sessions[f] > 0 && matches_compared[f] < kMinMatchesCompared) {
      // No likely match has the field on both records (a field of one list only, in a list
      // without duplicates): the data say nothing of m.
      fm.m = default_m(fm.comparator);
      fm.m_source = fmt::format(
          "default (the training pairs hold {:.0f} likely matches with the field on both "
          "records, fewer than {})",
          matches_compared[f], kMinMatchesCompared);
    } else if (m_sessions[f] > 0) {
      fm.m = em_m[f];
      fm.m_source = fmt::format("em ({} session{})", m_sessions[f], m_sessions[f] == 1 ? "" : "s");
      if (inverted_level && f == *surname_field && inverted_sessions > 0)
        fm.m_source += fmt::format("; names inverted from the {} not conditioned on given names",
                                   inverted_sessions);
    } else if (!labelled_matches.empty()) {
      // No session could estimate it: the labelled matches' levels, half a pair per level.
      std::vector<std::uint8_t> patterns;
      std::vector<double> counts;
      count_patterns(comparer, labelled_matches, patterns, counts);
      fm.m.assign(fm.levels.size(), 0.0);
      double present = 0;
      for (std::size_t p = 0; p < counts.size(); ++p)
        if (const std::uint8_t l = patterns[p * nf + f]; l != 0) {
          fm.m[l] += counts[p];
          present += counts[p];
        }
      for (std::size_t l = 1; l < fm.levels.size(); ++l)
        fm.m[l] = (fm.m[l] + 0.5) / (present + 0.5 * static_cast<double>(fm.levels.size() - 1));
      fm.m_source = fmt::format("labelled pairs ({} matches)", labelled_matches.size());
    } else {
      fm.m = default_m(fm.comparator);
      fm.m_source = "default (every blocking rule conditions on this field)";
    }
    if (std::any_of(fixed.m[f].begin() + 1, fixed.m[f].end(),
                    [](double v) { return !std::isnan(v); })) {
      hold_fixed(fm.m, fixed.m[f]);
      fm.m_source += ", with levels fixed in the config";
    }
    fm.m[0] = 0;
    fm.weight.assign(fm.levels.size(), 0.0);
    for (std::size_t l = 1; l < fm.levels.size(); ++l)
      fm.weight[l] = std::log2(fm.m[l] / fm.u[l]);
    if (fm.present > 0 && fm.weight[1] <= 0)
      model.warnings.push_back(fmt::format(
          "field {}: agreement is not evidence of a match under the fitted model (m {:.3g} <= u "
          "{:.3g}); EM may have found something other than matches",
          fm.name, fm.m[1], fm.u[1]));
  }

  // The prior: pairs a deterministic rule accepts, divided by the rule's recall under m.
  std::vector<std::size_t> rule_fields;
  std::optional<std::size_t> optional_field;
  for (const char* name : {"surname", "given", "birth_date"})
    if (auto f = records.field_index(name)) rule_fields.push_back(*f);
  if (rule_fields.size() < 2) {
    rule_fields.clear();
    for (std::size_t f = 0; f < nf; ++f)
      rule_fields.push_back(f);
  } else if (auto p = records.field_index("patronymic")) {
    optional_field = *p;
  }
  // The rule's pairs are found like a blocking rule's: records grouped by the rule's keys
  // (groups are small), then the optional field checked pair by pair.
  BlockingRule deterministic;
  for (std::size_t f : rule_fields)
    deterministic.keys.push_back(model.fields[f].name);
  const std::vector<std::uint64_t> keys = rule_keys(records, deterministic);
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keyed;
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (keys[i] != 0) keyed.emplace_back(keys[i], static_cast<std::uint32_t>(i));
  tbb::parallel_sort(keyed.begin(), keyed.end());
  using Counts = std::pair<std::uint64_t, std::uint64_t>;  // accepted pairs: all, within a list
  Counts accepted_counts{0, 0};
  for (std::size_t i = 0; i < keyed.size();) {
    std::size_t j = i;
    while (j < keyed.size() && keyed[j].first == keyed[i].first)
      ++j;
    if (j - i > 1000) {
      // A huge group (a rule of few fields): counted by formula, without the optional field.
      std::map<std::uint16_t, std::uint64_t> per_list;
      for (std::size_t x = i; x < j; ++x)
        ++per_list[records.list[keyed[x].second]];
      const std::uint64_t g = j - i;
      accepted_counts.first += g * (g - 1) / 2;
      for (const auto& [l, c] : per_list)
        accepted_counts.second += c * (c - 1) / 2;
      i = j;
      continue;
    }
    for (std::size_t x = i; x < j; ++x)
      for (std::size_t y = x + 1; y < j; ++y) {
        const std::uint32_t a = keyed[x].second, b = keyed[y].second;
        // Hash collisions of the keys are told apart by the levels themselves.
        bool ok = true;
        for (std::size_t f : rule_fields)
          ok = ok && is_agreement(records.fields[f].comparator, comparer.level(f, a, b));
        if (ok && optional_field) {
          const int l = comparer.level(*optional_field, a, b);
          ok = l == 0 || is_agreement(Comparator::name, l);
        }
        if (!ok) continue;
        ++accepted_counts.first;
        if (records.list[a] == records.list[b]) ++accepted_counts.second;
      }
    i = j;
  }
  const std::uint64_t accepted = accepted_counts.first;
  double recall = 1;
  auto agree_share = [&](std::size_t f) {
    const FieldModel& fm = model.fields[f];
    double s = 0;
    for (std::size_t l = 1; l < fm.levels.size(); ++l)
      if (is_agreement(fm.comparator, static_cast<int>(l))) s += fm.m[l];
    return s;
  };
  for (std::size_t f : rule_fields)
    recall *= model.fields[f].present * agree_share(f);
  if (optional_field) {
    const double p = model.fields[*optional_field].present;
    recall *= (1 - p) + p * agree_share(*optional_field);
  }
  model.deterministic_pairs = accepted;
  model.deterministic_recall = recall;
  const double n = static_cast<double>(records.size());
  const double all_pairs = 0.5 * n * (n - 1);
  std::vector<std::string> names;
  for (std::size_t f : rule_fields)
    names.push_back(model.fields[f].name);
  double prior = 0;
  if (accepted > 0 && recall > 1e-3) {
    prior = static_cast<double>(accepted) / recall / all_pairs;
    model.prior_method = fmt::format(
        "deterministic rule ({} agreeing{}): {} pairs, recall {:.3g} under the fitted m",
        fmt::join(names, ", "), optional_field ? ", patronymic agreeing or missing" : "", accepted,
        recall);
  } else {
    prior = 1 / n;
    model.prior_method = "guessed (one match per record): the deterministic rule accepted no pair";
    model.warnings.push_back(
        "the match prior could not be estimated (no pair agrees on the deterministic rule's "
        "fields); it was set to one match per record");
  }
  const double prior_max =
      options.prior_max > 0
          ? options.prior_max
          : std::min(0.5, static_cast<double>(records.list_names.size() + 2) / (n - 1));
  auto bound = [&](double value, const char* what) {
    const double bounded = std::clamp(value, options.prior_min, prior_max);
    if (bounded != value)
      model.warnings.push_back(fmt::format(
          "the match prior{} {:.3g} was bounded to {:.3g} ([model] prior_max; automatic: lists + "
          "2 matches per record): the deterministic rule accepts implausibly many pairs",
          what, value, bounded));
    return bounded;
  };
  model.prior = bound(prior, "");
  // Pairs within one list are duplicates, far rarer than the same man on two lists: each gets
  // its own prior, from the deterministic pairs of its kind (the global one when there are none).
  double within_pairs = 0;
  std::vector<double> per_list(records.list_names.size(), 0.0);
  for (std::uint16_t l : records.list)
    per_list[l] += 1;
  for (double c : per_list)
    within_pairs += 0.5 * c * (c - 1);
  const double across_pairs = all_pairs - within_pairs;
  const std::uint64_t within = accepted_counts.second, across = accepted - within;
  model.prior_within =
      within > 0 && recall > 1e-3 && within_pairs > 0
          ? bound(static_cast<double>(within) / recall / within_pairs, " within lists")
          : model.prior;
  model.prior_across =
      across > 0 && recall > 1e-3 && across_pairs > 0
          ? bound(static_cast<double>(across) / recall / across_pairs, " across lists")
          : model.prior;
  return model;
}

nlohmann::json LinkModel::to_json() const {
  nlohmann::json j;
  nlohmann::json fs = nlohmann::json::array();
  for (const FieldModel& f : fields) {
    nlohmann::json levels_json = nlohmann::json::array();
    for (std::size_t l = 0; l < f.levels.size(); ++l)
      levels_json.push_back(
          {{"level", f.levels[l]}, {"m", f.m[l]}, {"u", f.u[l]}, {"weight", f.weight[l]}});
    fs.push_back({{"name", f.name},
                  {"comparison", comparator_name(f.comparator)},
                  {"levels", levels_json},
                  {"term_frequency", f.term_frequency},
                  {"m_source", f.m_source},
                  {"u_source", f.u_source},
                  {"present_share", f.present}});
  }
  j["fields"] = fs;
  j["prior"] = prior;
  j["prior_within_lists"] = prior_within;
  j["prior_across_lists"] = prior_across;
  j["prior_method"] = prior_method;
  j["deterministic_pairs"] = deterministic_pairs;
  j["deterministic_recall"] = deterministic_recall;
  nlohmann::json ss = nlohmann::json::array();
  for (const TrainingSession& s : sessions)
    ss.push_back({{"rule", s.rule},
                  {"pairs", s.pairs},
                  {"estimated", s.estimated},
                  {"match_share", s.match_share},
                  {"iterations", s.iterations},
                  {"converged", s.converged},
                  {"left_out", s.left_out}});
  j["training_sessions"] = ss;
  j["u_pairs"] = u_pairs;
  j["warnings"] = warnings;
  j["levels"] = {{"jaro_winkler", {thresholds.jaro_winkler_low, thresholds.jaro_winkler_high}},
                 {"levenshtein", {thresholds.levenshtein_high, thresholds.levenshtein_low}}};
  return j;
}

LinkModel LinkModel::from_json(const nlohmann::json& j) {
  LinkModel model;
  for (const nlohmann::json& f : j.at("fields")) {
    FieldModel fm;
    fm.name = f.at("name").get<std::string>();
    const std::string cmp = f.at("comparison").get<std::string>();
    for (Comparator c : {Comparator::name, Comparator::exact, Comparator::jaro_winkler,
                         Comparator::levenshtein, Comparator::date, Comparator::numeric})
      if (cmp == comparator_name(c)) fm.comparator = c;
    for (const nlohmann::json& l : f.at("levels")) {
      fm.levels.push_back(l.at("level").get<std::string>());
      fm.m.push_back(l.at("m").get<double>());
      fm.u.push_back(l.at("u").get<double>());
      fm.weight.push_back(l.at("weight").get<double>());
    }
    fm.term_frequency = f.at("term_frequency").get<bool>();
    fm.m_source = f.at("m_source").get<std::string>();
    fm.u_source = f.value("u_source", std::string("random pairs"));
    fm.present = f.at("present_share").get<double>();
    model.fields.push_back(std::move(fm));
  }
  model.prior = j.at("prior").get<double>();
  model.prior_within = j.at("prior_within_lists").get<double>();
  model.prior_across = j.at("prior_across_lists").get<double>();
  model.prior_method = j.at("prior_method").get<std::string>();
  model.deterministic_pairs = j.at("deterministic_pairs").get<std::uint64_t>();
  model.deterministic_recall = j.at("deterministic_recall").get<double>();
  model.u_pairs = j.at("u_pairs").get<std::uint64_t>();
  model.warnings = j.at("warnings").get<std::vector<std::string>>();
  const auto& lv = j.at("levels");
  model.thresholds.jaro_winkler_low = lv.at("jaro_winkler").at(0).get<double>();
  model.thresholds.jaro_winkler_high = lv.at("jaro_winkler").at(1).get<double>();
  model.thresholds.levenshtein_high = lv.at("levenshtein").at(0).get<int>();
  model.thresholds.levenshtein_low = lv.at("levenshtein").at(1).get<int>();
  return model;
}

Scorer::Scorer(const RecordSet& records, const LinkModel& model,
               const ExternalFrequencies* external)
    : comparer_(records, model.thresholds),
      list_(records.list.data()),
      prior_within_(static_cast<float>(model.prior_log2_odds(true))),
      prior_across_(static_cast<float>(model.prior_log2_odds(false))) {
  const std::size_t nf = model.fields.size();
  weights_.resize(nf);
  tf_.resize(nf);
  tf_keys_.assign(nf, nullptr);
  for (std::size_t f = 0; f < nf; ++f) {
    const FieldModel& fm = model.fields[f];
    comparators_.push_back(fm.comparator);
    weights_[f].fill(0.0f);
    for (std::size_t l = 1; l < fm.weight.size() && l < max_levels; ++l)
      weights_[f][l] = static_cast<float>(fm.weight[l]);
    if (!fm.term_frequency) continue;
    const FieldValues& v = records.values[f];
    if (v.key_count.empty()) continue;
    double present = 0;
    for (std::size_t k = 1; k < v.key_count.size(); ++k)
      present += v.key_count[k];
    double u_agree = 0;
    for (std::size_t l = 1; l < fm.u.size(); ++l)
      if (is_agreement(fm.comparator, static_cast<int>(l))) u_agree += fm.u[l];
    // Splink's TF adjustment: log2(u_agree / tf(value)), so agreement on a value shared by a
    // share tf of records is worth log2(m / tf) (Winkler's frequency-based matching).
    tf_[f].assign(v.key_count.size(), 0.0f);
    const bool from_table = external && f < external->size() && !(*external)[f].empty();
    for (std::size_t k = 1; k < v.key_count.size(); ++k) {
      const double tf =
          from_table ? (*external)[f][k] : std::max(v.key_count[k] / present, 1 / present);
      tf_[f][k] = static_cast<float>(std::clamp(std::log2(u_agree / tf), -10.0, 10.0));
    }
    tf_keys_[f] = v.key.data();
  }
}

float Scorer::tf_adjustment(std::size_t field, std::uint32_t a) const noexcept {
  if (tf_[field].empty()) return 0;
  return tf_[field][tf_keys_[field][a]];
}

float Scorer::evidence(std::uint32_t a, std::uint32_t b) const noexcept {
  float total = 0;
  const std::size_t nf = weights_.size();
  for (std::size_t f = 0; f < nf; ++f) {
    const int l = comparer_.level(f, a, b);
    total += weights_[f][static_cast<std::size_t>(l)];
    if (!tf_[f].empty() && is_agreement(comparators_[f], l)) total += tf_[f][tf_keys_[f][a]];
  }
  return total;
}

}  // namespace recount::linkage
