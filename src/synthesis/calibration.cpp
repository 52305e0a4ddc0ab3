#include "recount/synthesis/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>
#include <boost/math/special_functions/gamma.hpp>

#include "recount/core/progress.hpp"
#include "recount/mcmc/diagnostics.hpp"

namespace recount::synthesis {

namespace {}  // namespace

CalibrationCheck with_shift(const CalibrationCheck& check, double shift) {
  CalibrationCheck c{.name = check.name, .replications = check.replications};
  for (const Ranked& r : check.replications) {
    const double t = r[0] + shift;
    const int b = t < r[1] ? 0 : t < r[2] ? 1 : t < r[3] ? 2 : t < r[4] ? 3 : t < r[5] ? 4 : 5;
    ++c.bands[static_cast<std::size_t>(b)];
    ++c.ranked;
    c.covered90 += b >= 1 && b <= 4 ? 1 : 0;
    c.covered50 += b == 2 || b == 3 ? 1 : 0;
  }
  if (c.ranked == 0) return c;
  for (std::size_t b = 0; b < 6; ++b) {
    const double expected = kBandProbability[b] * c.ranked;
    c.chi_square += (c.bands[b] - expected) * (c.bands[b] - expected) / expected;
  }
  // Pearson's statistic against chi-square with 5 degrees of freedom.
  c.p_value = boost::math::gamma_q(2.5, c.chi_square / 2);
  return c;
}

CalibrationResult calibrate(const Model& model, const CalibrationOptions& options) {
  CalibrationResult result;
  for (const std::string& q : options.quantities)
    result.checks.push_back({.name = q});
  for (const std::string& p : options.parameters)
    result.checks.push_back({.name = p});
  const std::size_t nq = options.quantities.size();
  FitOptions fit_options = options.fit;
  fit_options.conflicts = false;
  for (int k = 0; k < options.replications; ++k) {
    note(fmt::format("calibration: replication {} of {}", k + 1, options.replications));
    const std::uint64_t seed = options.seed + static_cast<std::uint64_t>(k);
    const Simulation sim = simulate(model, seed, options.simulation);
    fit_options.seed = seed;
    const FitResult r = fit(model, sim.claims, SourceTable{}, fit_options);
    ++result.fits;
    result.untrusted_fits += r.diagnostics.ok() ? 0 : 1;
    for (std::size_t i = 0; i < nq; ++i) {
      const auto truth = std::find_if(sim.truth.begin(), sim.truth.end(), [&](const Series& s) {
        return s.name == options.quantities[i];
      });
      const auto fitted = std::find_if(r.series.begin(), r.series.end(), [&](const Series& s) {
        return s.name == options.quantities[i];
      });
      if (truth == sim.truth.end() || fitted == r.series.end())
        throw usage_error(fmt::format("calibration: no quantity {}", options.quantities[i]));
      const SeriesPoint& p = fitted->points.back();
      result.checks[i].replications.push_back(
          {std::log1p(truth->points.back().median), std::log1p(p.q05), std::log1p(p.q25),
           std::log1p(p.median), std::log1p(p.q75), std::log1p(p.q95)});
    }
    // Parameters: their draws through the fit's own transform.
    const std::map<std::string, double> truth(sim.parameters.begin(), sim.parameters.end());
    std::vector<std::vector<double>> draws(r.draw_names.size());
    std::vector<double> values;
    for (const mcmc::ChainDraws& chain : r.samples.chains)
      for (Eigen::Index s = 0; s < chain.draws.rows(); ++s) {
        r.draw_transform(chain.draws.row(s).transpose(), values);
        for (std::size_t j = 0; j < values.size(); ++j)
          draws[j].push_back(values[j]);
      }
    for (std::size_t i = 0; i < options.parameters.size(); ++i) {
      const std::string& name = options.parameters[i];
      const auto at = std::find(r.draw_names.begin(), r.draw_names.end(), name);
      const auto t = truth.find(name);
      if (at == r.draw_names.end() || t == truth.end()) continue;  // no claim needed it
      const std::vector<double>& d = draws[static_cast<std::size_t>(at - r.draw_names.begin())];
      result.checks[nq + i].replications.push_back(
          {t->second, mcmc::quantile(d, 0.05), mcmc::quantile(d, 0.25), mcmc::quantile(d, 0.5),
           mcmc::quantile(d, 0.75), mcmc::quantile(d, 0.95)});
    }
  }
  for (CalibrationCheck& c : result.checks)
    c = with_shift(c, 0);
  return result;
}

}  // namespace recount::synthesis
