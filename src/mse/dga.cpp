// Bayesian model averaging over decomposable graphical models for capture-recapture
// (Madigan & York 1997, Biometrika 84:19-31), computed as the dga package's bma.cr does:
// an exact sum over every decomposable graph and every value of N_missing.

#include "recount/mse/dga.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <boost/math/special_functions/gamma.hpp>

#include "recount/core/check.hpp"
#include "recount/core/error.hpp"

namespace recount::mse {
namespace detail {
namespace {

using Bits = std::uint32_t;

bool is_complete(Bits set, const std::vector<Bits>& adjacent) {
  for (int v = 0; v < 32; ++v) {
    if (((set >> v) & 1U) == 0) continue;
    const Bits others = set & ~(Bits{1} << v);
    if ((others & ~adjacent[static_cast<std::size_t>(v)]) != 0) return false;
  }
  return true;
}

// A graph is chordal when its vertices can be removed one simplicial vertex (one whose
// neighbours form a clique) at a time (Fulkerson & Gross 1965).
bool is_chordal(int vertices, const std::vector<Bits>& adjacent) {
  Bits alive = (Bits{1} << vertices) - 1;
  while (alive != 0) {
    bool removed = false;
    for (int v = 0; v < vertices && !removed; ++v) {
      if (((alive >> v) & 1U) == 0) continue;
      if (is_complete(adjacent[static_cast<std::size_t>(v)] & alive, adjacent)) {
        alive &= ~(Bits{1} << v);
        removed = true;
      }
    }
    if (!removed) return false;
  }
  return true;
}

}  // namespace

std::vector<DecomposableGraph> decomposable_graphs(int vertices) {
  std::vector<std::pair<int, int>> edges;
  for (int i = 0; i < vertices; ++i)
    for (int j = i + 1; j < vertices; ++j)
      edges.emplace_back(i, j);
  const Bits all = (Bits{1} << vertices) - 1;
  std::vector<DecomposableGraph> graphs;
  for (std::uint64_t subset = 0; subset < (std::uint64_t{1} << edges.size()); ++subset) {
    std::vector<Bits> adjacent(static_cast<std::size_t>(vertices), 0);
    for (std::size_t e = 0; e < edges.size(); ++e) {
      if (((subset >> e) & 1U) == 0) continue;
      adjacent[static_cast<std::size_t>(edges[e].first)] |= Bits{1} << edges[e].second;
      adjacent[static_cast<std::size_t>(edges[e].second)] |= Bits{1} << edges[e].first;
    }
    if (!is_chordal(vertices, adjacent)) continue;
    std::vector<Bits> complete;
    for (Bits s = 1; s <= all; ++s)
      if (is_complete(s, adjacent)) complete.push_back(s);
    DecomposableGraph graph;
    for (Bits s : complete) {
      const bool maximal = std::none_of(complete.begin(), complete.end(),
                                        [s](Bits t) { return t != s && (t & s) == s; });
      if (maximal) graph.cliques.push_back(s);
    }
    // Separators: the intersections along a maximum-weight spanning tree of the clique graph,
    // which is a junction tree for a chordal graph (Jensen & Jensen 1994); Prim's algorithm.
    std::vector<bool> in_tree(graph.cliques.size(), false);
    in_tree[0] = true;
    for (std::size_t added = 1; added < graph.cliques.size(); ++added) {
      int best = -1;
      std::size_t from = 0;
      std::size_t to = 0;
      for (std::size_t i = 0; i < graph.cliques.size(); ++i) {
        if (!in_tree[i]) continue;
        for (std::size_t j = 0; j < graph.cliques.size(); ++j) {
          if (in_tree[j]) continue;
          const int weight = std::popcount(graph.cliques[i] & graph.cliques[j]);
          if (weight > best) {
            best = weight;
            from = i;
            to = j;
          }
        }
      }
      in_tree[to] = true;
      if (best > 0) graph.separators.push_back(graph.cliques[from] & graph.cliques[to]);
    }
    graphs.push_back(std::move(graph));
  }
  return graphs;
}

}  // namespace detail

namespace {

using detail::DecomposableGraph;

double log_gamma(double x) {
  return boost::math::lgamma(x);
}

// "[123,14,34]": cliques as generators by list position, larger ones first, as Rcapture.
std::string graph_notation(const DecomposableGraph& graph) {
  std::vector<std::string> terms;
  for (auto clique : graph.cliques) {
    std::string term;
    for (int v = 0; v < 32; ++v)
      if ((clique >> v) & 1U) term += std::to_string(v + 1);
    terms.push_back(term);
  }
  std::sort(terms.begin(), terms.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  std::string out = "[";
  for (std::size_t i = 0; i < terms.size(); ++i) {
    if (i > 0) out += ',';
    out += terms[i];
  }
  out += ']';
  return out;
}

struct Quantiles {
  double lower = 0;
  double median = 0;
  double upper = 0;
};

// dga's posteriorQuantiles: the first N whose cumulative probability exceeds the level.
Quantiles quantiles(const std::vector<double>& weights, double first_n, double level) {
  double total = 0;
  for (double w : weights)
    total += w;
  const double levels[3] = {(1 - level) / 2, 0.5, 1 - (1 - level) / 2};
  double found[3] = {0, 0, 0};
  int next = 0;
  double cumulative = 0;
  for (std::size_t t = 0; t < weights.size() && next < 3; ++t) {
    cumulative += weights[t] / total;
    while (next < 3 && cumulative > levels[next])
      found[next++] = first_n + static_cast<double>(t);
  }
  for (; next < 3; ++next)
    found[next] = first_n + static_cast<double>(weights.size() - 1);
  return {found[0], found[1], found[2]};
}

// The log marginal likelihood of every marginal table, less the Dirichlet normalising constant
// shared by all of them, for each N_missing (dga's MakeCompMatrix and CompLogML): the marginal
// over lists S has 2^|S| cells, each with prior count delta * 2^(lists - |S|).
struct MarginalTerms {
  std::vector<std::vector<double>> by_subset;  // [subset][t]
};

MarginalTerms marginal_terms(const CaptureTable& table, double delta, std::size_t grid) {
  const int lists = static_cast<int>(table.list_count());
  const std::uint32_t all = (std::uint32_t{1} << lists) - 1;
  MarginalTerms terms;
  terms.by_subset.assign(std::size_t{all} + 1, {});
  for (std::uint32_t subset = 1; subset <= all; ++subset) {
    const int size = std::popcount(subset);
    const double prior = delta * std::ldexp(1.0, lists - size);
    std::vector<double> margin(std::size_t{1} << size, 0.0);
    for (std::uint32_t cell = 1; cell <= all; ++cell) {
      std::uint32_t index = 0;
      int bit = 0;
      for (int v = 0; v < lists; ++v) {
        if (((subset >> v) & 1U) == 0) continue;
        index |= ((cell >> v) & 1U) << bit;
        ++bit;
      }
      margin[index] += table.counts[cell];
    }
    double fixed = -static_cast<double>(margin.size()) * log_gamma(prior);
    for (std::size_t c = 1; c < margin.size(); ++c)
      fixed += log_gamma(margin[c] + prior);
    auto& row = terms.by_subset[subset];
    row.resize(grid);
    for (std::size_t t = 0; t < grid; ++t)
      row[t] = fixed + log_gamma(static_cast<double>(t + 1) + margin[0] + prior);
  }
  return terms;
}

void check_table(const CaptureTable& table) {
  const std::size_t lists = table.list_count();
  if (lists < 3 || lists > 5)
    throw bad_input(Location{}, fmt::format("dga needs 3 to 5 lists, the table has {}", lists));
  if (table.counts.size() != (std::size_t{1} << lists))
    throw internal_error("capture table: counts do not match the number of lists");
  for (std::size_t cell = 1; cell < table.counts.size(); ++cell) {
    const double c = table.counts[cell];
    if (!(c >= 0) || c != std::floor(c) || !std::isfinite(c))
      throw bad_input(Location{}, fmt::format("dga needs whole counts, got {}", c));
  }
  if (!(table.observed() > 0))
    throw bad_input(Location{}, "dga needs at least one person observed");
}

}  // namespace

MseResult estimate_dga(const CaptureTable& table, const DgaOptions& options,
                       std::vector<double>* posterior_of_n) {
  check_table(table);
  const int lists = static_cast<int>(table.list_count());
  if (options.delta >= 0) check_positive(Location{.key = "delta"}, "delta", options.delta);
  check_positive(Location{.key = "max_factor"}, "max_factor", options.max_factor);
  check_open_unit(Location{.key = "level"}, "level", options.level);
  if (options.top_graphs < 0)
    throw bad_input(Location{.key = "top_graphs"}, "top_graphs must be zero or more");
  const double delta = options.delta >= 0 ? options.delta : std::ldexp(1.0, -lists);
  const double n = table.observed();
  const auto grid = static_cast<std::size_t>(std::max(1.0, std::floor(options.max_factor * n)));

  // Terms of the log posterior shared by every graph, for N_missing = t + 1 (bma.cr):
  // the multinomial coefficient, the prior 1/N, and the Dirichlet normalising constant
  // lgamma(sum alpha) - lgamma(N + sum alpha), counted once per connected component.
  const double alpha_total = delta * std::ldexp(1.0, lists);
  double log_factorials = 0;
  for (std::size_t cell = 1; cell < table.counts.size(); ++cell)
    log_factorials += log_gamma(table.counts[cell] + 1);
  std::vector<double> shared(grid);
  std::vector<double> normaliser(grid);
  for (std::size_t t = 0; t < grid; ++t) {
    const double missing = static_cast<double>(t + 1);
    shared[t] = log_gamma(missing + n + 1) - log_factorials - log_gamma(missing + 1) -
                std::log(n + missing);
    normaliser[t] = log_gamma(alpha_total) - log_gamma(missing + n + alpha_total);
  }
  const MarginalTerms terms = marginal_terms(table, delta, grid);
  const auto graphs = detail::decomposable_graphs(lists);

  auto log_posterior = [&](const DecomposableGraph& graph, std::vector<double>& out) {
    const double components =
        static_cast<double>(graph.cliques.size()) - static_cast<double>(graph.separators.size());
    for (std::size_t t = 0; t < grid; ++t)
      out[t] = shared[t] + components * normaliser[t];
    for (auto clique : graph.cliques) {
      const auto& row = terms.by_subset[clique];
      for (std::size_t t = 0; t < grid; ++t)
        out[t] += row[t];
    }
    for (auto separator : graph.separators) {
      const auto& row = terms.by_subset[separator];
      for (std::size_t t = 0; t < grid; ++t)
        out[t] -= row[t];
    }
  };

  // One pass over the graphs: each graph's log mass, and the posterior of N accumulated on a
  // running scale so no graph-by-N matrix is stored (822 graphs x 20n values for five lists).
  std::vector<double> graph_log_mass(graphs.size());
  std::vector<double> posterior(grid, 0.0);
  double scale = -INFINITY;
  std::vector<double> row(grid);
  for (std::size_t g = 0; g < graphs.size(); ++g) {
    log_posterior(graphs[g], row);
    const double top = *std::max_element(row.begin(), row.end());
    if (top > scale) {
      const double shrink = std::isfinite(scale) ? std::exp(scale - top) : 0.0;
      for (double& p : posterior)
        p *= shrink;
      scale = top;
    }
    double mass = 0;
    for (std::size_t t = 0; t < grid; ++t) {
      const double w = std::exp(row[t] - top);
      mass += w;
      posterior[t] += w * std::exp(top - scale);
    }
    graph_log_mass[g] = top + std::log(mass);
  }
  const double log_total = *std::max_element(graph_log_mass.begin(), graph_log_mass.end());
  double graph_total = 0;
  for (double m : graph_log_mass)
    graph_total += std::exp(m - log_total);

  MseResult result;
  result.method = "dga";
  result.stratum = table.stratum;
  result.lists = table.lists;
  result.observed = n;
  result.level = options.level;
  const Quantiles q = quantiles(posterior, n + 1, options.level);
  result.estimate = q.median;
  result.lower = q.lower;
  result.upper = q.upper;
  double mean = 0;
  double square = 0;
  double total = 0;
  for (std::size_t t = 0; t < grid; ++t) {
    const double value = n + 1 + static_cast<double>(t);
    total += posterior[t];
    mean += posterior[t] * value;
    square += posterior[t] * value * value;
  }
  mean /= total;
  result.se = std::sqrt(std::max(0.0, square / total - mean * mean));

  std::vector<std::size_t> order(graphs.size());
  for (std::size_t g = 0; g < order.size(); ++g)
    order[g] = g;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return graph_log_mass[a] > graph_log_mass[b];
  });
  const std::size_t shown =
      std::min(order.size(), static_cast<std::size_t>(std::max(options.top_graphs, 1)));
  for (std::size_t i = 0; i < shown; ++i) {
    const auto g = order[i];
    log_posterior(graphs[g], row);
    const double top = *std::max_element(row.begin(), row.end());
    for (double& w : row)
      w = std::exp(w - top);
    const Quantiles gq = quantiles(row, n + 1, options.level);
    ModelSummary summary;
    summary.model = graph_notation(graphs[g]);
    summary.estimate = gq.median;
    summary.lower = gq.lower;
    summary.upper = gq.upper;
    summary.criterion = graph_log_mass[g] - log_total - std::log(graph_total);
    summary.weight = std::exp(summary.criterion);
    if (i < static_cast<std::size_t>(options.top_graphs)) result.models.push_back(summary);
    if (i == 0) result.model = summary.model;
  }

  // The range of N_missing cuts the posterior short when the upper end of the interval reaches
  // it, or when the probability of the last N times the range's length exceeds 5% (a posterior
  // still that heavy at the end would put a sizeable share beyond it).
  const double tail = posterior.back() / total * static_cast<double>(grid);
  result.diagnostics = {{"graphs", graphs.size()},
                        {"delta", delta},
                        {"n_missing_max", static_cast<double>(grid)},
                        {"posterior_mean", mean},
                        {"mass_at_grid_end", posterior.back() / total}};
  if (q.upper >= n + static_cast<double>(grid) || tail > 0.05) {
    result.warnings.push_back(fmt::format(
        "the posterior of N reaches the end of its range (N_missing up to {} = {} x observed): the "
        "upper end of the interval is cut short",
        grid, options.max_factor));
    result.trusted = false;
  }
  if (posterior_of_n) *posterior_of_n = std::move(posterior);
  return result;
}

}  // namespace recount::mse
