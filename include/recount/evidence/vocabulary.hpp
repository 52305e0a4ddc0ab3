#pragma once
// A study's vocabulary: the populations its claims may be about (with labels, and which contain
// which) and the measures they may state (each a level, like in_service, or a counter, like
// killed: docs/model.md's rate rule). Declared once, in the study file's [vocabulary] table, and
// read by the claims CSV validation, the model check and the report's labels. Without one, every
// population is allowed and measures are checked against the built-in list only.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "recount/core/error.hpp"
#include "recount/core/toml.hpp"
#include "recount/evidence/claim.hpp"

namespace recount {

// A level is a stock at a date (people in service); a counter accumulates (people killed so far).
enum class MeasureKind { level, counter };

// The kind a measure has when the vocabulary does not say: in_service and prison_population are
// levels, the others counters.
[[nodiscard]] MeasureKind default_measure_kind(Measure measure) noexcept;

struct PopulationTerm {
  std::string id;                   // as claims and model quantities write it
  std::string label;                // as the report writes it; the id when not declared
  std::vector<std::string> within;  // the wider populations it is part of
  std::vector<std::string> terms;   // words that name it in reports, for the extractor's lexicon
  Location where;
};

struct MeasureTerm {
  Measure measure = Measure::other;
  std::string label;  // as the report writes it
  MeasureKind kind = MeasureKind::counter;
  Location where;
  std::vector<std::string> terms{};  // study cue words: a figure near one states this measure
};

struct Vocabulary {
  std::vector<PopulationTerm> populations;
  std::vector<MeasureTerm> measures;

  // Nothing declared: populations are open and every built-in measure is allowed.
  [[nodiscard]] bool empty() const noexcept { return populations.empty() && measures.empty(); }
  [[nodiscard]] const PopulationTerm* population(std::string_view id) const;
  [[nodiscard]] const MeasureTerm* measure(Measure measure) const;
  // Whether `narrow` is `wide` or part of it, directly or through populations in between.
  [[nodiscard]] bool contains(std::string_view wide, std::string_view narrow) const;
  // The report's words: the declared label, else the id ("in_service" -> "in service").
  [[nodiscard]] std::string population_label(std::string_view id) const;
  [[nodiscard]] std::string measure_label(Measure measure) const;
  [[nodiscard]] MeasureKind kind(Measure measure) const;
  // Why a population (a measure) is not in the vocabulary; empty when it is, or when the
  // vocabulary declares none. An empty population passes.
  [[nodiscard]] std::string population_problem(std::string_view population) const;
  [[nodiscard]] std::string measure_problem(Measure measure) const;
  // The first of the two for a claim's (population, measure).
  [[nodiscard]] std::string problem(std::string_view population, Measure measure) const;
  // The populations within `wide` (directly or not), in declaration order, `wide` excluded.
  [[nodiscard]] std::vector<std::string> parts(std::string_view wide) const;
};

// Reads a [vocabulary] table:
//   [vocabulary.populations.NAME]  label = "...", within = ["WIDER", ...], terms = ["..."]
//   [vocabulary.measures.MEASURE]  label = "...", kind = "level" | "counter", terms = ["..."]
// Unknown keys, unknown measures, undeclared `within` populations and cycles are bad input naming
// the file, line and key.
[[nodiscard]] Vocabulary read_vocabulary(const toml::table& table, const TomlReader& reader);

}  // namespace recount
