// The flagship fit (examples/convicts), 4 chains x 1000 warm-up + 1000 draws, reporting
// effective samples per second (minimum bulk ESS over all coordinates / wall time), and the cost
// of one gradient against one plain evaluation of the log density.
// Compare with Stan: bench/synthesis/compare_stan.sh.

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>
#include "../../src/synthesis/density.hpp"

#include "recount/core/text.hpp"
#include "recount/evidence/claims_csv.hpp"
#include "recount/synthesis/fit.hpp"

namespace {

const std::filesystem::path kDir = RECOUNT_SOURCE_DIR "/examples/convicts";

void BM_FlagshipFit(benchmark::State& state) {
  using namespace recount::synthesis;
  const Model model = read_model(kDir / "model.toml");
  const auto claims = recount::read_claims_csv(kDir / "claims.csv");
  const SourceTable sources = model_sources(model);
  FitOptions options;
  options.progress = false;
  options.conflicts = state.range(0) != 0;
  for (auto _ : state) {
    const FitResult r = fit(model, claims, sources, options);
    state.counters["min_ess_bulk"] = r.diagnostics.min_ess_bulk;
    state.counters["ess_per_second"] = r.diagnostics.min_ess_bulk / r.diagnostics.seconds;
    state.counters["max_rhat"] = r.diagnostics.max_rhat;
    state.counters["seconds"] = r.diagnostics.seconds;
  }
}
BENCHMARK(BM_FlagshipFit)->Arg(0)->Arg(1)->Unit(benchmark::kSecond)->Iterations(1);

void BM_Gradient(benchmark::State& state) {
  using namespace recount::synthesis;
  const Model model = read_model(kDir / "model.toml");
  const PreparedEvidence evidence = prepare_evidence(
      model, recount::read_claims_csv(kDir / "claims.csv"), model_sources(model), std::nullopt);
  const detail::PosteriorDensity density(model, evidence, true);
  const Eigen::VectorXd x =
      Eigen::VectorXd::Constant(static_cast<Eigen::Index>(density.dimension()), 0.1);
  Eigen::VectorXd g;
  detail::Trajectory<double> tr;
  for (auto _ : state) {
    if (state.range(0) == 0)
      benchmark::DoNotOptimize(density.evaluate_double(x, tr, nullptr));
    else
      benchmark::DoNotOptimize(density.log_density(x, g));
  }
}
BENCHMARK(BM_Gradient)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

int write_stan_data(const std::string& path) {
  using namespace recount::synthesis;
  const Model model = read_model(kDir / "model.toml");
  const PreparedEvidence e = prepare_evidence(model, recount::read_claims_csv(kDir / "claims.csv"),
                                              model_sources(model), std::nullopt);
  const detail::Layout layout = detail::make_layout(model, e);
  // convicts.stan's series order: stocks, then flows.
  const std::vector<std::string> series{
      "colonies",      "pretrial",       "wagner_front",    "mod_front",       "wagner_recruited",
      "wagner_killed", "wagner_wounded", "wagner_captured", "wagner_returned", "mod_recruited",
      "mod_killed",    "mod_wounded",    "mod_captured",    "mod_returned"};
  nlohmann::json j;
  j["W"] = model.weeks;
  auto walk = [&](const char* name, const std::string& prefix) {
    const int p = model.find_parameter(name);
    const auto& slot = layout.parameters[static_cast<std::size_t>(p)];
    j[prefix + "_a"] = slot.wa;
    j[prefix + "_b"] = slot.wb;
    j[prefix + "_K"] = slot.knots;
    j[prefix + "_kw"] = model.parameters[static_cast<std::size_t>(p)].knot_weeks;
  };
  walk("wagner_recruitment", "wag");
  walk("mod_recruitment", "mod");
  const Flow& mod_returned = model.flows[static_cast<std::size_t>(model.find_flow("mod_returned"))];
  j["mod_until"] = model.week_of(*mod_returned.until);
  j["delay"] = mod_returned.weeks;
  const double big = 1e300;
  std::vector<int> quantity, week, bound, source, hedges, approximate, magnitude;
  std::vector<double> lo, hi, rate_scale, roundness, outlier_log_mass;
  for (const EvidenceClaim& c : e.claims) {
    quantity.push_back(c.quantity + 1);
    week.push_back(c.week);
    bound.push_back(static_cast<int>(c.bound) + 1);
    lo.push_back(std::isfinite(c.lo) ? c.lo : -big);
    hi.push_back(std::isfinite(c.hi) ? c.hi : big);
    rate_scale.push_back(c.rate_scale);
    roundness.push_back(c.roundness_sd);
    hedges.push_back(c.hedges);
    approximate.push_back(c.approximate ? 1 : 0);
    magnitude.push_back(c.magnitude ? 1 : 0);
    outlier_log_mass.push_back(c.outlier_log_mass);
    source.push_back(c.source + 1);
  }
  j["C"] = e.claims.size();
  j["quantity"] = quantity;
  j["week"] = week;
  j["bound"] = bound;
  j["lo"] = lo;
  j["hi"] = hi;
  j["rate_scale"] = rate_scale;
  j["roundness_sd"] = roundness;
  j["hedges"] = hedges;
  j["approximate"] = approximate;
  j["magnitude"] = magnitude;
  j["outlier_log_mass"] = outlier_log_mass;
  j["source"] = source;
  std::vector<std::vector<double>> qw;
  std::vector<int> is_stock;
  for (const Quantity& q : model.quantities) {
    std::vector<double> row(series.size(), 0.0);
    for (int term : q.terms) {
      const std::string& name = q.is_stock ? model.stocks[static_cast<std::size_t>(term)].name
                                           : model.flows[static_cast<std::size_t>(term)].name;
      row[static_cast<std::size_t>(std::find(series.begin(), series.end(), name) -
                                   series.begin())] = 1;
    }
    qw.push_back(row);
    is_stock.push_back(q.is_stock ? 1 : 0);
  }
  j["NQ"] = qw.size();
  j["qw"] = qw;
  j["is_stock"] = is_stock;
  j["NS"] = e.sources.size();
  j["NT"] = layout.types.size();
  std::vector<int> source_type;
  for (const EvidenceSource& s : e.sources)
    source_type.push_back(
        static_cast<int>(std::find(layout.types.begin(), layout.types.end(), s.type) -
                         layout.types.begin()) +
        1);
  j["source_type"] = source_type;
  std::vector<double> type_bias_sd;
  for (const recount::SourceType t : layout.types) {
    double sd = model.evidence.type_bias.b;
    for (const auto& [type, prior] : model.evidence.type_bias_overrides)
      if (type == t) sd = prior.b;
    type_bias_sd.push_back(sd);
  }
  j["type_bias_sd"] = type_bias_sd;
  recount::write_file(path, j.dump() + "\n");
  return 0;
}

// The flagship's log density and gradient at each point of FILE (one unconstrained vector a line,
// in recount's layout), as JSON on stdout: compare_stan.sh checks convicts.stan against them.
int print_log_density(const std::string& path) {
  using namespace recount::synthesis;
  const Model model = read_model(kDir / "model.toml");
  const PreparedEvidence evidence = prepare_evidence(
      model, recount::read_claims_csv(kDir / "claims.csv"), model_sources(model), std::nullopt);
  const detail::PosteriorDensity density(model, evidence, true);
  const auto n = static_cast<Eigen::Index>(density.dimension());
  nlohmann::json j;
  j["names"] = density.parameter_names();
  j["points"] = nlohmann::json::array();
  std::istringstream lines(recount::read_file(path));
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream in(line);
    Eigen::VectorXd x(n);
    Eigen::Index k = 0;
    for (double v = 0; k < n && in >> v; ++k)
      x[k] = v;
    if (k == 0) continue;
    if (k < n) {
      std::cerr << "synthesis_bench: a point needs " << n << " coordinates\n";
      return 1;
    }
    Eigen::VectorXd g;
    try {
      const double lp = density.log_density(x, g);
      j["points"].push_back(
          {{"log_density", lp}, {"gradient", std::vector<double>(g.begin(), g.end())}});
    } catch (const std::domain_error&) {
      j["points"].push_back(
          {{"log_density", nullptr}});  // outside the support: the sampler rejects
    }
  }
  std::cout << j.dump() << "\n";
  return 0;
}

}  // namespace

// `synthesis_bench --stan-data=FILE` writes the flagship's data for convicts.stan and
// `--log-density=FILE` prints its log density at given points, instead of benchmarking (both used
// by compare_stan.sh).
int main(int argc, char** argv) {
  const std::string data_flag = "--stan-data=";
  const std::string density_flag = "--log-density=";
  for (int k = 1; k < argc; ++k) {
    const std::string arg = argv[k];
    if (arg.rfind(data_flag, 0) == 0) return write_stan_data(arg.substr(data_flag.size()));
    if (arg.rfind(density_flag, 0) == 0) return print_log_density(arg.substr(density_flag.size()));
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
