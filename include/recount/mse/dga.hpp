#pragma once
// Bayesian model averaging over decomposable graphical models with hyper-Dirichlet priors
// (Madigan & York 1997, Biometrika 84:19), as the dga package: 3 to 5 lists.

#include <cstdint>
#include <vector>

#include "recount/mse/capture_table.hpp"
#include "recount/mse/estimate.hpp"

namespace recount::mse {

struct DgaOptions {
  double delta = -1;       // hyper-Dirichlet prior parameter; < 0 means 2^-lists, as dga
  double max_factor = 20;  // N_missing ranges over 1 ... max_factor * observed
  double level = 0.95;
  int top_graphs = 5;  // how many graphs to report
};

// Posterior of N (median, equal-tailed interval) and the top graphs with their posterior
// probabilities, in MseResult form (method "dga"). The prior on N is dga's bma.cr default,
// proportional to 1/N, and graphs are equally likely a priori. Bad input (wrong number of lists,
// counts that are not whole numbers) or bad options throw. `posterior_of_n`, when given, receives
// the unnormalised posterior of N over N = observed + 1, observed + 2, ... (for pooling across
// linkage draws, linkage_uncertainty.hpp).
[[nodiscard]] MseResult estimate_dga(const CaptureTable& table, const DgaOptions& options,
                                     std::vector<double>* posterior_of_n = nullptr);

namespace detail {

// A decomposable graph on the lists: its maximal cliques and the separators of a junction tree
// (non-empty ones only), each a bit set of list positions.
struct DecomposableGraph {
  std::vector<std::uint32_t> cliques;
  std::vector<std::uint32_t> separators;
};

// Every decomposable (chordal) graph on `vertices` vertices, in edge-subset order.
[[nodiscard]] std::vector<DecomposableGraph> decomposable_graphs(int vertices);

}  // namespace detail
}  // namespace recount::mse
