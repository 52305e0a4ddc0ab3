#pragma once
// Draws files as CmdStan writes them, so users' tools (cmdstanr, cmdstanpy, ArviZ) read them:
// one CSV for all chains with a leading `chain__` column, then CmdStan's sampler columns
// lp__, accept_stat__, stepsize__, treedepth__, n_leapfrog__, divergent__, energy__, then the
// parameters. Lines starting with '#' are comments (adaptation results, as CmdStan).

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "recount/mcmc/nuts.hpp"

namespace recount::mcmc {

// Maps one unconstrained draw to the values written (e.g. constrained parameters and derived
// quantities, as many as `names`).
using DrawTransform =
    std::function<void(const Eigen::VectorXd& unconstrained, std::vector<double>& values)>;

// The CSV text; without `transform` the unconstrained coordinates are written.
[[nodiscard]] std::string draws_csv(const SampleResult& result,
                                    const std::vector<std::string>& names,
                                    const DrawTransform& transform = {});

// Writes draws_csv() atomically to `path`.
void write_draws_csv(const std::filesystem::path& path, const SampleResult& result,
                     const std::vector<std::string>& names, const DrawTransform& transform = {});

// Reads a file written by write_draws_csv: the parameter columns per chain (chains[c] is
// draws x parameters) and their names. Errors name the file and line.
struct DrawsTable {
  std::vector<std::string> names;
  std::vector<Eigen::MatrixXd> chains;
};
[[nodiscard]] DrawsTable read_draws_csv(const std::filesystem::path& path);

}  // namespace recount::mcmc
