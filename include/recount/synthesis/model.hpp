#pragma once
// A stock-and-flow model of a recruitment pipeline on a weekly grid, read from a TOML file
// (docs/model.md): stocks, flows with a rate (people per week) or a hazard (per week), delays
// (cohorts leaving a stock a fixed number of weeks after they entered it), time-varying
// parameters with priors, and the mapping from claims' (population, measure) to model quantities.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "recount/core/date.hpp"
#include "recount/core/error.hpp"
#include "recount/evidence/claim.hpp"
#include "recount/evidence/vocabulary.hpp"

namespace recount::synthesis {

enum class PriorFamily { normal, lognormal, halfnormal, gamma, beta, exponential };

// A prior as written in the file, e.g. lognormal(7, 1.5), beta(2, 30), halfnormal(0.3).
struct Prior {
  PriorFamily family = PriorFamily::normal;
  double a = 0;
  double b = 1;
  [[nodiscard]] std::string str() const;
};

// Parses and validates a prior; impossible parameters are a bad-input error naming `where`.
[[nodiscard]] Prior parse_prior(std::string_view text, const Location& where);
// One draw from the prior.
[[nodiscard]] double draw_prior(const Prior& prior, std::mt19937_64& rng);

enum class ParameterShape { constant, piecewise, random_walk };

struct Parameter {
  std::string name;
  ParameterShape shape = ParameterShape::constant;
  Location where;
  // constant: the value's prior; random_walk: the prior of the first level (positive).
  Prior prior;
  // piecewise: segment k runs from change_dates[k-1] (or the grid's start) to change_dates[k].
  std::vector<std::string> change_names;
  std::vector<Date> change_dates;
  std::vector<Prior> segment_priors;  // change_dates.size() + 1
  // random_walk: log-scale level at knots every `knot_weeks`, linear in between; the step of
  // the log level per week has standard deviation `step` (its prior).
  Prior step;
  int knot_weeks = 4;
  // Zero outside [active_from, active_until) (e.g. recruitment that starts or stops).
  std::optional<Date> active_from;
  std::optional<Date> active_until;
};

struct Stock {
  std::string name;
  double initial = 0;
  std::string initial_parameter;  // when set, the initial value is this constant parameter
  Location where;
};

enum class FlowKind { rate, hazard, delay };

struct Flow {
  std::string name;
  FlowKind kind = FlowKind::rate;
  int from = -1;  // stock index, -1 outside the model
  int to = -1;
  int parameter = -1;  // rate and hazard
  // delay: the cohorts that entered `from` through flow `cohort_flow` leave after `weeks`
  // weeks (survivors of the stock's hazards); cohorts entering from `until` on never leave.
  int cohort_flow = -1;
  int weeks = 0;
  std::optional<Date> until;
  Location where;
};

// A named quantity POPULATION.MEASURE: the sum of stocks (a level) or of flows (cumulative
// counters; weekly amounts for rate claims).
struct Quantity {
  std::string name;
  std::string population;
  Measure measure;
  bool is_stock = false;
  std::vector<int> terms;  // stock or flow indices
  Location where;
};

// Population `narrow` is part of `wide`: a claim on `wide` bounds `narrow` softly from above.
struct Nesting {
  std::string narrow;
  std::string wide;
};

// How claims become evidence (docs/synthesis.md). The widths a claim's wording adds and the share
// of outliers are parameters the fit estimates, with these priors.
struct EvidenceSettings {
  std::string sources_file;  // sources table, relative to the model file
  // Share of claims unrelated to the truth (outliers): mean 5%, 90% prior interval 0.3-14%.
  Prior outlier_share{PriorFamily::beta, 1, 19};
  // Log-scale sd added in quadrature per hedge (reportedly, estimate, ...): median 10%.
  Prior hedge_sd{PriorFamily::lognormal, -2.302585092994046, 0.5};
  // Added for "about": median 5%.
  Prior approximate_sd{PriorFamily::lognormal, -2.995732273553991, 0.5};
  // Softness of an order of magnitude's edges: median 0.3 on the log scale.
  Prior magnitude_sd{PriorFamily::lognormal, -1.2039728043259361, 0.5};
  double source_bias_sd = 0.15;      // spread of sources' biases around their type's mean
  double source_noise_spread = 0.3;  // log-scale spread of sources' noise around the type's
  Prior type_bias{PriorFamily::normal, 0, 0.2};         // mean log bias of a source type
  Prior type_noise{PriorFamily::lognormal, -1.6, 0.5};  // noise of a source type (log scale sd)
  // Per source type overrides of type_bias, e.g. interested actors inflate.
  std::vector<std::pair<SourceType, Prior>> type_bias_overrides;
};

struct Model {
  std::string file;
  std::string name;
  Date start;  // first day of week 0
  int weeks = 0;
  std::vector<Parameter> parameters;
  std::vector<Stock> stocks;
  std::vector<Flow> flows;
  std::vector<Quantity> quantities;
  std::vector<Nesting> nesting;
  EvidenceSettings evidence;

  [[nodiscard]] Date week_end(int week) const { return start.plus_days(7 * week + 6); }
  // The week containing `date`, or -1 outside the grid.
  [[nodiscard]] int week_of(Date date) const;
  [[nodiscard]] int find_stock(std::string_view name) const;
  [[nodiscard]] int find_flow(std::string_view name) const;
  [[nodiscard]] int find_parameter(std::string_view name) const;
  [[nodiscard]] int find_quantity(std::string_view population, const Measure& measure) const;
};

// Parses a model file. Every problem is a bad-input error naming the file, line and key. Its
// quantities' measures are the built-in ones, or with a study's vocabulary also the study's own.
[[nodiscard]] Model parse_model(const std::string& text, const std::string& file,
                                const Vocabulary* vocabulary = nullptr);
[[nodiscard]] Model read_model(const std::filesystem::path& path,
                               const Vocabulary* vocabulary = nullptr);

// Why a model quantity does not fit a study's vocabulary: a population or measure it does not
// declare, or a measure it declares a level (a counter) mapped to flows (to stocks), which the
// rate rule of docs/model.md would then read wrongly. Empty when it fits, or when the vocabulary
// says nothing of the measure's kind.
[[nodiscard]] std::string vocabulary_problem(const Quantity& quantity,
                                             const Vocabulary& vocabulary);

}  // namespace recount::synthesis
