// Mixing of the default `--method lcmcr` run, seed after seed: for each table, estimate_lcmcr at
// its defaults (4 chains, K* = 10, 50,000 burn-in sweeps, 3,000 draws kept one in 100) with seeds
// 1..20, and how many of the runs are trusted (R-hat of N <= 1.01 and bulk ESS >= 400), beside a
// reference run ten times as long (10x the draws kept, same thinning, seed 1000), against which
// each quantile of N, averaged over the seeds, is compared within Monte Carlo error.
//
// Tables: the four published ones of tests/mse/data, and larger tables of 5 to 8 lists and
// 1,000 to 5,000 people observed, simulated from latent-class models fitted to them (maximum
// likelihood by EM, three classes) with lists and people added (see simulated_tables()).
//
//   lcmcr_mixing [--tables a,b,...] [--seeds FIRST-LAST] [--reference] [--write DIR] [--smoke]
//
// --smoke: artificial_3, seeds 1-2, and a non-zero exit unless both are trusted (the CTest smoke
// test of `make test`). The exit status is otherwise non-zero when a table has fewer than 19 of
// 20 (in proportion: 95%) of its seeds trusted. A full sweep of every table takes over an hour of
// processor time: run it table by table (--tables).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "recount/mse/captures_io.hpp"
#include "recount/mse/lcmcr.hpp"

namespace {

using recount::mse::CaptureTable;

struct NamedTable {
  std::string name;
  CaptureTable table;
};

CaptureTable published(const std::string& name) {
  return recount::mse::read_captures(std::string(RECOUNT_SOURCE_DIR) + "/tests/mse/data/" + name +
                                     ".csv")
      .front();
}

// A latent-class model of capture: class weights and, by list and class, listing probabilities.
struct LatentClassModel {
  std::vector<double> weight;               // [class]
  std::vector<std::vector<double>> lambda;  // [list][class]
};

double pattern_probability(const LatentClassModel& m, std::size_t pattern, std::size_t klass) {
  double p = m.weight[klass];
  for (std::size_t j = 0; j < m.lambda.size(); ++j)
    p *= (pattern >> j) & 1U ? m.lambda[j][klass] : 1 - m.lambda[j][klass];
  return p;
}

// Maximum likelihood by EM (Dempster, Laird & Rubin 1977), the unobserved cell a missing count:
// its expectation is n p0 / (1 - p0) given the observed n (the Poisson model of the table), then
// the usual latent-class E and M steps on the completed table. Listing probabilities are kept in
// [0.01, 0.99] so that no class is unobservable. Starts from classes listed 0.5x, 1x and 1.5x as
// often as the observed are.
LatentClassModel fit_latent_classes(const CaptureTable& table, std::size_t classes) {
  const std::size_t lists = table.list_count();
  const std::size_t cells = table.counts.size();
  LatentClassModel m;
  m.weight.assign(classes, 1.0 / static_cast<double>(classes));
  m.lambda.assign(lists, std::vector<double>(classes));
  const double n = table.observed();
  for (std::size_t j = 0; j < lists; ++j) {
    double on = 0;
    for (std::size_t x = 0; x < cells; ++x)
      if ((x >> j) & 1U) on += table.counts[x];
    for (std::size_t k = 0; k < classes; ++k)
      m.lambda[j][k] = std::clamp(
          on / n * (0.5 + static_cast<double>(k) / static_cast<double>(classes - 1)), 0.01, 0.99);
  }
  std::vector<double> completed = table.counts;
  for (int iteration = 0; iteration < 5000; ++iteration) {
    double p0 = 0;
    for (std::size_t k = 0; k < classes; ++k)
      p0 += pattern_probability(m, 0, k);
    completed[0] = n * p0 / (1 - p0);
    std::vector<double> size(classes, 0);
    std::vector<std::vector<double>> on(lists, std::vector<double>(classes, 0));
    for (std::size_t x = 0; x < cells; ++x) {
      if (completed[x] == 0) continue;
      double total = 0;
      std::vector<double> r(classes);
      for (std::size_t k = 0; k < classes; ++k)
        total += r[k] = pattern_probability(m, x, k);
      for (std::size_t k = 0; k < classes; ++k) {
        const double share = completed[x] * r[k] / total;
        size[k] += share;
        for (std::size_t j = 0; j < lists; ++j)
          if ((x >> j) & 1U) on[j][k] += share;
      }
    }
    double everyone = 0;
    for (double s : size)
      everyone += s;
    for (std::size_t k = 0; k < classes; ++k) {
      m.weight[k] = size[k] / everyone;
      for (std::size_t j = 0; j < lists; ++j)
        m.lambda[j][k] = std::clamp(on[j][k] / std::max(size[k], 1e-300), 0.01, 0.99);
    }
  }
  return m;
}

// The fitted model of `base` with `added` lists, each listing class k as often as a list of
// the base drawn at random does, times exp(Normal(0, 0.5)) (so that the rarely listed stay rarely
// listed: strong heterogeneity); then people drawn until about `observed` are on some list.
CaptureTable simulate(const CaptureTable& base, std::size_t added, double observed,
                      std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  LatentClassModel m = fit_latent_classes(base, 3);
  std::uniform_int_distribution<std::size_t> pick_list(0, base.list_count() - 1);
  std::normal_distribution<double> spread(0, 0.5);
  for (std::size_t a = 0; a < added; ++a) {
    const auto& like = m.lambda[pick_list(rng)];
    std::vector<double> lambda(like.size());
    for (std::size_t k = 0; k < like.size(); ++k)
      lambda[k] = std::clamp(like[k] * std::exp(spread(rng)), 0.01, 0.9);
    m.lambda.push_back(lambda);
  }
  const std::size_t lists = m.lambda.size();
  double p0 = 0;
  for (std::size_t k = 0; k < m.weight.size(); ++k)
    p0 += pattern_probability(m, 0, k);
  const auto population = static_cast<std::int64_t>(std::round(observed / (1 - p0)));
  CaptureTable table;
  for (std::size_t j = 0; j < lists; ++j)
    table.lists.push_back(fmt::format("L{}", j + 1));
  table.counts.assign(std::size_t{1} << lists, 0);
  std::discrete_distribution<std::size_t> klass(m.weight.begin(), m.weight.end());
  std::uniform_real_distribution<double> unit(0, 1);
  for (std::int64_t i = 0; i < population; ++i) {
    const std::size_t k = klass(rng);
    std::size_t pattern = 0;
    for (std::size_t j = 0; j < lists; ++j)
      if (unit(rng) < m.lambda[j][k]) pattern |= std::size_t{1} << j;
    table.counts[pattern] += 1;
  }
  table.counts[0] = 0;
  return table;
}

std::vector<NamedTable> all_tables() {
  std::vector<NamedTable> tables;
  for (const char* name : {"kosovo", "hiv", "lesbian", "artificial_3"})
    tables.push_back({name, published(name)});
  tables.push_back({"sim5_kosovo", simulate(published("kosovo"), 1, 4000, 5)});
  tables.push_back({"sim6_lesbian", simulate(published("lesbian"), 2, 2500, 6)});
  tables.push_back({"sim7_hiv", simulate(published("hiv"), 3, 1500, 7)});
  tables.push_back({"sim8_lesbian", simulate(published("lesbian"), 4, 1000, 8)});
  tables.push_back({"sim8_kosovo", simulate(published("kosovo"), 4, 5000, 9)});
  return tables;
}

void write_table(const NamedTable& t, const std::string& dir) {
  const std::string path = dir + "/" + t.name + ".csv";
  std::ofstream out(path);
  if (!out) throw std::runtime_error("cannot write " + path);
  for (const auto& l : t.table.lists)
    out << l << ',';
  out << "count\n";
  for (std::size_t x = 1; x < t.table.counts.size(); ++x) {
    if (t.table.counts[x] == 0) continue;
    for (std::size_t j = 0; j < t.table.list_count(); ++j)
      out << ((x >> j) & 1U) << ',';
    out << t.table.counts[x] << '\n';
  }
}

struct Run {
  double rhat, ess, median, lower, upper, seconds;
  bool trusted;
};

double processor_seconds() {
  return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

Run run(const CaptureTable& table, std::uint64_t seed, int length) {
  recount::mse::LcmcrOptions options;
  options.seed = seed;
  options.progress = false;
  options.samples = recount::mse::lcmcr_default_samples * length;
  const double start = processor_seconds();
  const auto result = recount::mse::estimate_lcmcr(table, options);
  Run r{};
  r.seconds = processor_seconds() - start;
  r.rhat = result.diagnostics.at("rhat").get<double>();
  r.ess = result.diagnostics.at("ess_bulk").get<double>();
  r.median = *result.estimate;
  r.lower = *result.lower;
  r.upper = *result.upper;
  r.trusted = r.rhat <= recount::mse::lcmcr_max_rhat && r.ess >= recount::mse::lcmcr_min_ess;
  return r;
}

double mean(const std::vector<double>& x) {
  double s = 0;
  for (double v : x)
    s += v;
  return s / static_cast<double>(x.size());
}

double median(std::vector<double> x) {
  std::sort(x.begin(), x.end());
  const std::size_t h = x.size() / 2;
  return x.size() % 2 == 1 ? x[h] : (x[h - 1] + x[h]) / 2;
}

double sd(const std::vector<double>& x) {
  const double m = mean(x);
  double s = 0;
  for (double v : x)
    s += (v - m) * (v - m);
  return std::sqrt(s / static_cast<double>(x.size() - 1));
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t end = std::min(s.find(',', start), s.size());
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> wanted;
  std::uint64_t first = 1;
  std::uint64_t last = 20;
  bool reference = false;
  bool smoke = false;
  std::string write_dir;
  for (int a = 1; a < argc; ++a) {
    const std::string arg = argv[a];
    const bool has_value = a + 1 < argc;
    if (arg == "--tables" && has_value) {
      wanted = split(argv[++a]);
    } else if (arg == "--seeds" && has_value) {
      const std::string range = argv[++a];
      const std::size_t dash = range.find('-');
      first = std::stoull(range.substr(0, dash));
      last = dash == std::string::npos ? first : std::stoull(range.substr(dash + 1));
    } else if (arg == "--reference") {
      reference = true;
    } else if (arg == "--write" && has_value) {
      write_dir = argv[++a];
    } else if (arg == "--smoke") {
      smoke = true;
    } else {
      std::fprintf(stderr,
                   "usage: lcmcr_mixing [--tables a,b,...] [--seeds FIRST-LAST] [--reference] "
                   "[--write DIR] [--smoke]\n");
      return 2;
    }
  }
  if (smoke) {
    wanted = {"artificial_3"};
    first = 1;
    last = 2;
  }
  const auto tables = all_tables();
  if (!write_dir.empty()) {
    for (const auto& t : tables)
      write_table(t, write_dir);
    return 0;
  }
  int failed_tables = 0;
  for (const auto& t : tables) {
    if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), t.name) == wanted.end())
      continue;
    std::printf("== %s: %zu lists, %.0f observed\n", t.name.c_str(), t.table.list_count(),
                t.table.observed());
    std::printf("%6s %8s %8s %10s %10s %10s %8s %s\n", "seed", "rhat", "ess", "median", "q0.025",
                "q0.975", "cpu_s", "trusted");
    std::vector<double> medians, lowers, uppers, esses, seconds;
    int trusted = 0;
    for (std::uint64_t seed = first; seed <= last; ++seed) {
      const Run r = run(t.table, seed, 1);
      std::printf("%6llu %8.4f %8.0f %10.1f %10.1f %10.1f %8.1f %s\n",
                  static_cast<unsigned long long>(seed), r.rhat, r.ess, r.median, r.lower, r.upper,
                  r.seconds, r.trusted ? "yes" : "NO");
      std::fflush(stdout);
      trusted += r.trusted ? 1 : 0;
      medians.push_back(r.median);
      lowers.push_back(r.lower);
      uppers.push_back(r.upper);
      esses.push_back(r.ess);
      seconds.push_back(r.seconds);
    }
    const auto runs = static_cast<int>(last - first + 1);
    std::printf("trusted: %d of %d; ESS median %.0f (range %.0f-%.0f); %.1f processor-s a run\n",
                trusted, runs, median(esses), *std::min_element(esses.begin(), esses.end()),
                *std::max_element(esses.begin(), esses.end()), mean(seconds));
    if (trusted < (smoke ? runs : static_cast<int>(std::ceil(0.95 * runs)))) ++failed_tables;
    if (reference && runs >= 2) {
      // The reference: 10x the draws, seed 1000. Each seed's quantile has the spread of the
      // seeds (sd over them), so their mean has sd / sqrt(runs); the reference's own error is
      // about sd / sqrt(10) (ten times the draws). Agreement: within 3 standard errors of the
      // difference.
      const Run ref = run(t.table, 1000, 10);
      std::printf("reference (10x, seed 1000): rhat %.4f, ess %.0f, %.1f processor-s\n", ref.rhat,
                  ref.ess, ref.seconds);
      const struct {
        const char* name;
        const std::vector<double>& values;
        double reference;
      } rows[] = {{"q0.025", lowers, ref.lower},
                  {"median", medians, ref.median},
                  {"q0.975", uppers, ref.upper}};
      for (const auto& row : rows) {
        const double s = sd(row.values);
        const double se = s * std::sqrt(1.0 / runs + 1.0 / 10);
        const double z = (mean(row.values) - row.reference) / se;
        std::printf("%s: seeds %.1f (sd %.1f), reference %.1f, z %.2f %s\n", row.name,
                    mean(row.values), s, row.reference, z, std::abs(z) <= 3 ? "agree" : "DISAGREE");
      }
    }
  }
  return failed_tables == 0 ? 0 : 1;
}
