#include "recount/mse/loglinear.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include "poisson_fit.hpp"
#include "recount/core/error.hpp"
#include "recount/core/text.hpp"

namespace recount::mse {

namespace {

int order_of(Pattern p) {
  return std::popcount(p);
}

bool subset_of(Pattern a, Pattern b) {
  return (a & b) == a;
}

// The maximal terms of a set of interaction terms, plus the main effects they do not cover.
HierarchicalModel from_terms(const std::vector<Pattern>& terms, std::size_t lists) {
  HierarchicalModel model;
  Pattern covered = 0;
  for (Pattern t : terms) {
    bool maximal = true;
    for (Pattern u : terms)
      if (u != t && subset_of(t, u)) maximal = false;
    if (maximal && order_of(t) >= 2) {
      model.generators.push_back(t);
      covered |= t;
    }
  }
  for (std::size_t i = 0; i < lists; ++i)
    if ((covered >> i & 1U) == 0) model.generators.push_back(Pattern{1} << i);
  return model;
}

std::string term_label(Pattern term, const std::vector<std::string>& lists) {
  std::string out;
  const bool by_position = lists.size() <= 9;
  for (std::size_t i = 0; i < lists.size(); ++i) {
    if ((term >> i & 1U) == 0) continue;
    if (by_position) {
      out += static_cast<char>('1' + i);
    } else {
      if (!out.empty()) out += ':';
      out += lists[i];
    }
  }
  return out;
}

}  // namespace

std::string criterion_name(Criterion criterion) {
  switch (criterion) {
    case Criterion::aic:
      return "aic";
    case Criterion::aicc:
      return "aicc";
    case Criterion::bic:
      return "bic";
  }
  return "bic";
}

std::vector<Pattern> model_terms(const HierarchicalModel& model, std::size_t lists) {
  std::set<Pattern> terms;
  for (std::size_t i = 0; i < lists; ++i)
    terms.insert(Pattern{1} << i);
  for (Pattern g : model.generators) {
    // All non-empty subsets of the generator.
    for (Pattern s = g; s != 0; s = (s - 1) & g)
      terms.insert(s);
  }
  std::vector<Pattern> out(terms.begin(), terms.end());
  std::stable_sort(out.begin(), out.end(), [](Pattern a, Pattern b) {
    return order_of(a) != order_of(b) ? order_of(a) < order_of(b) : a < b;
  });
  return out;
}

std::string model_name(const HierarchicalModel& model, const std::vector<std::string>& lists) {
  const std::vector<Pattern> terms = model_terms(model, lists.size());
  const HierarchicalModel canonical = from_terms(terms, lists.size());
  std::vector<std::pair<int, std::string>> labels;
  for (Pattern g : canonical.generators)
    labels.emplace_back(-order_of(g), term_label(g, lists));
  std::sort(labels.begin(), labels.end());
  std::string out = "[";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ',';
    out += labels[i].second;
  }
  out += ']';
  return out;
}

HierarchicalModel parse_model(std::string_view text, const std::vector<std::string>& lists) {
  const std::string_view t = trim(text);
  if (t.size() < 2 || t.front() != '[' || t.back() != ']')
    throw usage_error(fmt::format(
        "model '{}' is not in the form [12,13,4] (list positions) or [A:B,C] (list names)", text));
  const std::string_view body = t.substr(1, t.size() - 2);
  HierarchicalModel model;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find(',', start);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view token = trim(body.substr(start, end - start));
    start = end + 1;
    if (token.empty()) {
      if (body.find_first_not_of(' ') == std::string_view::npos) break;
      throw usage_error(fmt::format("model '{}' has an empty term", text));
    }
    Pattern term = 0;
    auto add = [&](std::size_t index) {
      if ((term >> index & 1U) != 0)
        throw usage_error(fmt::format("model '{}': list {} appears twice in term '{}'", text,
                                      lists[index], token));
      term |= Pattern{1} << index;
    };
    const bool digits = token.find_first_not_of("0123456789") == std::string_view::npos;
    if (digits && lists.size() <= 9) {
      for (char c : token) {
        const std::size_t index = static_cast<std::size_t>(c - '1');
        if (c == '0' || index >= lists.size())
          throw usage_error(fmt::format("model '{}': there is no list {} (lists 1 to {}: {})", text,
                                        c, lists.size(), fmt::join(lists, ", ")));
        add(index);
      }
    } else {
      std::size_t from = 0;
      while (from <= token.size()) {
        std::size_t to = token.find(':', from);
        if (to == std::string_view::npos) to = token.size();
        const std::string_view list = trim(token.substr(from, to - from));
        from = to + 1;
        const auto it = std::find(lists.begin(), lists.end(), list);
        if (it == lists.end())
          throw usage_error(fmt::format("model '{}': no list is named '{}' (lists: {})", text, list,
                                        fmt::join(lists, ", ")));
        add(static_cast<std::size_t>(it - lists.begin()));
      }
    }
    if (order_of(term) == static_cast<int>(lists.size()))
      throw usage_error(fmt::format(
          "model '{}': the interaction of all {} lists cannot be estimated (it would fit the "
          "unobserved cell)",
          text, lists.size()));
    model.generators.push_back(term);
  }
  return from_terms(model_terms(model, lists.size()), lists.size());
}

std::vector<HierarchicalModel> all_hierarchical_models(std::size_t lists, std::size_t max_order) {
  // Interaction terms of order 2..max_order, by order: a term may be included only when all its
  // sub-terms of one order less (of order >= 2) are, which enumerates the down-sets.
  std::vector<Pattern> candidates;
  for (Pattern p = 1; p < (Pattern{1} << lists); ++p) {
    const int k = order_of(p);
    if (k >= 2 && static_cast<std::size_t>(k) <= max_order) candidates.push_back(p);
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](Pattern a, Pattern b) { return order_of(a) < order_of(b); });
  std::vector<HierarchicalModel> models;
  std::vector<Pattern> chosen;
  std::vector<bool> in(std::size_t{1} << lists, false);
  auto recurse = [&](auto&& self, std::size_t i) -> void {
    if (i == candidates.size()) {
      models.push_back(from_terms(chosen, lists));
      return;
    }
    self(self, i + 1);
    const Pattern c = candidates[i];
    bool allowed = true;
    if (order_of(c) > 2) {
      for (Pattern bits = c; bits != 0; bits &= bits - 1) {
        const Pattern sub = c & ~(bits & (~bits + 1));
        if (!in[sub]) allowed = false;
      }
    }
    if (!allowed) return;
    in[c] = true;
    chosen.push_back(c);
    self(self, i + 1);
    chosen.pop_back();
    in[c] = false;
  };
  recurse(recurse, 0);
  return models;
}

LogLinearFit fit_loglinear(const CaptureTable& table, const HierarchicalModel& model, double level,
                           bool with_interval) {
  const std::size_t t = table.list_count();
  const Pattern cells = Pattern{1} << t;
  const std::vector<Pattern> terms = model_terms(model, t);
  LogLinearFit fit;
  fit.model = model;
  fit.name = model_name(model, table.lists);
  fit.parameters = terms.size() + 1;
  const double n = table.observed();

  // Terms with an empty margin: their estimate is -infinity and the cells they cover are fitted
  // as zero; drop both (Chan, Silverman & Vincent 2021, section 3; SparseMSE buildmodelmatrix).
  std::vector<Pattern> kept;
  for (Pattern term : terms) {
    double margin = 0;
    for (Pattern c = 1; c < cells; ++c)
      if (subset_of(term, c)) margin += table.counts[c];
    if (margin == 0) {
      fit.dropped_terms.push_back(term);
    } else {
      kept.push_back(term);
    }
  }
  std::vector<Pattern> active;
  for (Pattern c = 1; c < cells; ++c) {
    bool covered = false;
    for (Pattern d : fit.dropped_terms)
      if (subset_of(d, c)) covered = true;
    if (!covered) active.push_back(c);
  }
  const auto rows = static_cast<Eigen::Index>(active.size());
  const auto cols = static_cast<Eigen::Index>(kept.size() + 1);
  Eigen::MatrixXd x(rows, cols);
  Eigen::VectorXd y(rows);
  bool has_zero = false;
  for (Eigen::Index r = 0; r < rows; ++r) {
    const Pattern c = active[static_cast<std::size_t>(r)];
    x(r, 0) = 1;
    for (Eigen::Index j = 1; j < cols; ++j)
      x(r, j) = subset_of(kept[static_cast<std::size_t>(j - 1)], c) ? 1.0 : 0.0;
    y[r] = table.counts[c];
    if (y[r] == 0) has_zero = true;
  }
  if (rows < cols || detail::column_rank(x) < cols) {
    fit.reason = fmt::format(
        "not identifiable: {} of the model's parameters are not determined by the cells the lists' "
        "overlaps leave (Chan, Silverman & Vincent 2021)",
        cols - std::min(cols, detail::column_rank(x)));
    return fit;
  }
  if (has_zero && !detail::mle_exists(x, y)) {
    fit.reason =
        "no maximum-likelihood estimate: the empty cells push the fit to the boundary (Fienberg & "
        "Rinaldo 2012 linear-programming test)";
    return fit;
  }
  const detail::PoissonFit poisson = detail::fit_poisson(x, y);
  fit.converged = poisson.converged;
  if (!poisson.converged || !poisson.beta.allFinite()) {
    fit.reason = "the fit did not converge";
    return fit;
  }
  fit.identified = true;
  fit.deviance = poisson.deviance;
  fit.log_likelihood = poisson.log_likelihood;
  const auto p = static_cast<double>(fit.parameters);
  fit.aic = -2 * fit.log_likelihood + 2 * p;
  fit.bic = -2 * fit.log_likelihood + std::log(n) * p;
  fit.aicc = n - p - 1 > 0 ? fit.aic + 2 * p * (p + 1) / (n - p - 1)
                           : std::numeric_limits<double>::infinity();
  const double e = std::exp(poisson.beta[0]);
  fit.estimate = n + e;
  fit.se = std::sqrt(e + e * e * poisson.covariance(0, 0));
  fit.boundary = e < 5e-3 && *fit.se < 5e-3;
  if (with_interval) {
    const detail::ProfileInterval ci =
        detail::profile_interval(x, y, poisson.beta, *fit.estimate, level);
    fit.lower = ci.lower;
    fit.upper = ci.upper;
    fit.interval_computed = !ci.failed;
  }
  return fit;
}

namespace {

bool better(const LogLinearFit& a, const LogLinearFit& b, Criterion c) {
  if (a.identified != b.identified) return a.identified;
  if (!a.identified) return a.name < b.name;
  return a.criterion(c) < b.criterion(c);
}

std::vector<LogLinearFit> fit_many(const CaptureTable& table,
                                   const std::vector<HierarchicalModel>& models) {
  std::vector<LogLinearFit> fits(models.size());
  tbb::parallel_for(std::size_t{0}, models.size(),
                    [&](std::size_t i) { fits[i] = fit_loglinear(table, models[i], 0.95, false); });
  return fits;
}

// Stepwise search beyond five lists: from independence, the best single addition (a term of
// order 2 or 3 whose sub-terms are all in) or removal (a maximal interaction) while it lowers the
// criterion.
std::vector<LogLinearFit> stepwise(const CaptureTable& table, Criterion criterion) {
  const std::size_t t = table.list_count();
  std::map<std::string, LogLinearFit> seen;
  HierarchicalModel current;
  for (std::size_t i = 0; i < t; ++i)
    current.generators.push_back(Pattern{1} << i);
  LogLinearFit best = fit_loglinear(table, current, 0.95, false);
  seen.emplace(best.name, best);
  for (int step = 0; step < 200; ++step) {
    const std::vector<Pattern> terms = model_terms(current, t);
    const std::set<Pattern> present(terms.begin(), terms.end());
    std::vector<HierarchicalModel> neighbours;
    for (Pattern p = 1; p < (Pattern{1} << t); ++p) {
      const int k = order_of(p);
      if (k < 2 || k > 3 || present.count(p) != 0) continue;
      bool allowed = true;
      for (Pattern bits = p; bits != 0; bits &= bits - 1)
        if (present.count(p & ~(bits & (~bits + 1))) == 0) allowed = false;
      if (!allowed) continue;
      std::vector<Pattern> more = terms;
      more.push_back(p);
      neighbours.push_back(from_terms(more, t));
    }
    for (Pattern g : from_terms(terms, t).generators) {
      if (order_of(g) < 2) continue;
      std::vector<Pattern> fewer;
      for (Pattern term : terms)
        if (term != g) fewer.push_back(term);
      neighbours.push_back(from_terms(fewer, t));
    }
    std::vector<HierarchicalModel> fresh;
    for (const HierarchicalModel& m : neighbours)
      if (seen.count(model_name(m, table.lists)) == 0) fresh.push_back(m);
    bool moved = false;
    for (LogLinearFit& f : fit_many(table, fresh)) {
      if (f.identified && best.identified && f.bic == f.bic &&
          f.criterion(criterion) < best.criterion(criterion)) {
        best = f;
        moved = true;
      }
      seen.emplace(f.name, std::move(f));
    }
    if (!moved) break;
    current = best.model;
  }
  std::vector<LogLinearFit> out;
  for (auto& [name, f] : seen)
    out.push_back(std::move(f));
  return out;
}

}  // namespace

std::vector<LogLinearFit> search_models(const CaptureTable& table, Criterion criterion) {
  const std::size_t t = table.list_count();
  std::vector<LogLinearFit> fits =
      t <= 5 ? fit_many(table, all_hierarchical_models(t, t - 1)) : stepwise(table, criterion);
  std::stable_sort(fits.begin(), fits.end(), [&](const LogLinearFit& a, const LogLinearFit& b) {
    return better(a, b, criterion);
  });
  return fits;
}

namespace {

void fill_diagnostics(MseResult& result, const LogLinearFit& fit, std::size_t cells) {
  result.diagnostics["parameters"] = fit.parameters;
  result.diagnostics["deviance"] = fit.deviance;
  result.diagnostics["df"] = static_cast<double>(cells) - static_cast<double>(fit.parameters);
  result.diagnostics["log_likelihood"] = fit.log_likelihood;
  result.diagnostics["aic"] = fit.aic;
  result.diagnostics["aicc"] = fit.aicc;
  result.diagnostics["bic"] = fit.bic;
  result.diagnostics["boundary"] = fit.boundary;
}

void report_fit(MseResult& result, const LogLinearFit& fit) {
  result.estimate = fit.estimate;
  result.se = fit.se;
  result.lower = fit.lower;
  result.upper = fit.upper;
  if (!fit.identified) {
    result.trusted = false;
    result.warnings.push_back(
        fmt::format("model {}: {}; no estimate is reported", fit.name, fit.reason));
    return;
  }
  if (!fit.interval_computed)
    result.warnings.push_back(
        fmt::format("model {}: the profile-likelihood interval could not be computed", fit.name));
  if (fit.boundary)
    result.warnings.push_back(fmt::format(
        "model {}: the fit is on the boundary (estimate equal to the {} people observed, standard "
        "error zero): it says nothing about the people no list saw",
        fit.name, format_number(result.observed)));
  if (fit.interval_computed && !fit.upper)
    result.warnings.push_back(fmt::format(
        "model {}: the upper end of the interval is unbounded: the data do not bound N from above",
        fit.name));
  if (!fit.dropped_terms.empty()) {
    std::vector<std::string> labels;
    for (Pattern d : fit.dropped_terms)
      labels.push_back(term_label(d, result.lists));
    result.warnings.push_back(fmt::format(
        "model {}: terms whose lists have no one in common (or an empty list) are fitted as "
        "absent, with the cells they cover: {}",
        fit.name, fmt::join(labels, ", ")));
  }
}

}  // namespace

MseResult estimate_loglinear(const CaptureTable& table, const LogLinearOptions& options) {
  MseResult result;
  result.method = "loglinear";
  result.stratum = table.stratum;
  result.lists = table.lists;
  result.observed = table.observed();
  result.level = options.level;
  const std::size_t cells = (std::size_t{1} << table.list_count()) - 1;

  if (options.model) {
    const HierarchicalModel model = parse_model(*options.model, table.lists);
    const LogLinearFit fit = fit_loglinear(table, model, options.level, true);
    result.model = fit.name;
    report_fit(result, fit);
    if (fit.identified) fill_diagnostics(result, fit, cells);
    if (!fit.identified) result.diagnostics["reason"] = fit.reason;
    return result;
  }

  std::vector<LogLinearFit> fits = search_models(table, options.criterion);
  std::size_t identified = 0;
  nlohmann::json dropped = nlohmann::json::array();
  std::map<std::string, std::vector<std::string>> by_reason;
  for (const LogLinearFit& f : fits) {
    if (f.identified) {
      ++identified;
    } else {
      if (dropped.size() < 100) dropped.push_back({{"model", f.name}, {"reason", f.reason}});
      by_reason[f.reason.substr(0, f.reason.find(':'))].push_back(f.name);
    }
  }
  result.diagnostics["criterion"] = criterion_name(options.criterion);
  result.diagnostics["search"] = table.list_count() <= 5 ? "exhaustive" : "stepwise";
  result.diagnostics["models_fitted"] = fits.size();
  result.diagnostics["models_dropped"] = dropped;  // the first 100
  result.diagnostics["models_dropped_count"] = fits.size() - identified;
  for (const auto& [reason, names] : by_reason) {
    const std::size_t shown = std::min<std::size_t>(names.size(), 8);
    result.warnings.push_back(fmt::format(
        "{} model{} dropped from the selection ({}): {}{}", names.size(),
        names.size() == 1 ? "" : "s", reason,
        fmt::join(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(shown), " "),
        names.size() > shown ? " ..." : ""));
  }
  if (identified == 0) {
    result.trusted = false;
    result.warnings.push_back("no model is identified by these data: no estimate is reported");
    return result;
  }
  const double best = fits.front().criterion(options.criterion);
  double total = 0;
  for (std::size_t i = 0; i < identified; ++i)
    total += std::exp(-(fits[i].criterion(options.criterion) - best) / 2);
  const std::size_t top = std::min(identified, std::max<std::size_t>(options.top, 1));
  for (std::size_t i = 0; i < top; ++i) {
    LogLinearFit& f = fits[i];
    f = fit_loglinear(table, f.model, options.level, true);
    ModelSummary s;
    s.model = f.name;
    s.estimate = f.estimate;
    s.lower = f.lower;
    s.upper = f.upper;
    s.criterion = f.criterion(options.criterion);
    s.weight = std::exp(-(s.criterion - best) / 2) / total;
    result.models.push_back(s);
  }
  const LogLinearFit& chosen = fits.front();
  result.model = chosen.name;
  report_fit(result, chosen);
  fill_diagnostics(result, chosen, cells);
  return result;
}

}  // namespace recount::mse
