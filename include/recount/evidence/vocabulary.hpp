#pragma once
// A study's vocabulary: the populations its claims may be about (with labels, and which contain
// which) and the measures they may state (each a level, like in_service, or a counter, like
// killed: docs/model.md's rate rule). Declared once, in the study file's [vocabulary] table, and
// read by the claims CSV validation, the model check, the extractor and the report's labels.
// Without one, every population is allowed and measures are checked against the built-in
// vocabulary (data/vocabulary/measures.tsv); a study may declare measures of its own beside
// the built-in ones (a `displaced` counter), which its claims, cue words and model then use.

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

struct PopulationTerm {
  std::string id;                   // as claims and model quantities write it
  std::string label;                // as the report writes it; the id when not declared
  std::vector<std::string> within;  // the wider populations it is part of
  std::vector<std::string> terms;   // words that name it in reports, for the extractor's lexicon
  Location where;
};

struct MeasureTerm {
  Measure measure;
  std::string label;  // as the report writes it
  MeasureKind kind = MeasureKind::counter;
  Location where;
  std::vector<std::string> terms{};  // study cue words: a figure near one states this measure
};

// The built-in measures, in the order of data/vocabulary/measures.tsv (embedded in the binary),
// each with its kind and label.
[[nodiscard]] const std::vector<MeasureTerm>& builtin_measures();
// The built-in measure of that id, or nullptr.
[[nodiscard]] const MeasureTerm* builtin_measure(const Measure& measure);

struct Vocabulary {
  std::vector<PopulationTerm> populations;
  std::vector<MeasureTerm> measures;

  // Nothing declared: populations are open and every built-in measure is allowed.
  [[nodiscard]] bool empty() const noexcept { return populations.empty() && measures.empty(); }
  [[nodiscard]] const PopulationTerm* population(std::string_view id) const;
  // The measure as the study declares it; nullptr when it does not.
  [[nodiscard]] const MeasureTerm* measure(const Measure& measure) const;
  // Whether `narrow` is `wide` or part of it, directly or through populations in between.
  [[nodiscard]] bool contains(std::string_view wide, std::string_view narrow) const;
  // The report's words: the declared label, else the id ("in_service" -> "in service").
  [[nodiscard]] std::string population_label(std::string_view id) const;
  [[nodiscard]] std::string measure_label(const Measure& measure) const;
  // The declared kind, else the built-in one, else counter.
  [[nodiscard]] MeasureKind kind(const Measure& measure) const;
  // A measure as written in a claims CSV or a model: a built-in one, one the study declares, or
  // `other`; nullopt for any other word. measure_problem then says whether the study allows it.
  [[nodiscard]] std::optional<Measure> parse_measure(std::string_view id) const;
  // The words parse_measure accepts, for messages: the built-in measures, the study's own, other.
  [[nodiscard]] std::string measure_list() const;
  // Why a population (a measure) is not in the vocabulary; empty when it is, or when the
  // vocabulary declares none. An empty population passes.
  [[nodiscard]] std::string population_problem(std::string_view population) const;
  [[nodiscard]] std::string measure_problem(const Measure& measure) const;
  // The first of the two for a claim's (population, measure).
  [[nodiscard]] std::string problem(std::string_view population, const Measure& measure) const;
  // The populations within `wide` (directly or not), in declaration order, `wide` excluded.
  [[nodiscard]] std::vector<std::string> parts(std::string_view wide) const;
};

// Reads a [vocabulary] table:
//   [vocabulary.populations.NAME]  label = "...", within = ["WIDER", ...], terms = ["..."]
//   [vocabulary.measures.MEASURE]  label = "...", kind = "level" | "counter", terms = ["..."]
// A built-in measure takes its kind and label from the built-in vocabulary unless they are
// given; a measure of the study's own must give its kind. Unknown keys, measure ids that are not
// one word, a new measure without a kind, undeclared `within` populations and cycles are bad
// input naming the file, line and key.
[[nodiscard]] Vocabulary read_vocabulary(const toml::table& table, const TomlReader& reader);

}  // namespace recount
