// The synthesis stage: the model fitted to the study's evidence (claims, and the list and excess
// estimates the study declares as evidence), and the same model on its prior alone, for the
// headline.

#include <fmt/format.h>

#include "recount/core/progress.hpp"
#include "recount/core/text.hpp"
#include "recount/evidence/claims_csv.hpp"
#include "recount/synthesis/fit.hpp"
#include "stages.hpp"

namespace fs = std::filesystem;

namespace recount::study::detail {

namespace {

// Draws for the prior's intervals: its 5% and 95% quantiles need a few hundred, not thousands.
constexpr int kPriorDraws = 250;

}  // namespace

std::vector<std::string> evidence_stages(const Study& study) {
  std::vector<std::string> names;
  for (const auto& set : study.lists)
    if (set.evidence && !set.demonstration) names.push_back(mse_stage_name(set));
  for (const auto& set : study.excess)
    names.push_back(excess_stage_name(set));
  return names;
}

std::optional<synthesis::FitSummary> synthesis_summary(const Study& study,
                                                       const StageResults& results, bool prior) {
  if (const auto& handed = prior ? results.prior : results.fit) return handed;
  const fs::path file = study.out() / "synthesis" / (prior ? "prior.json" : "fit.json");
  const nlohmann::json j = read_json_file(file);
  if (j.is_null()) return std::nullopt;
  return synthesis::fit_summary_from_json(j, file.generic_string());
}

void add_synthesis_stage(const Study& study, const std::shared_ptr<const StudyModel>& read,
                         const std::shared_ptr<StageResults>& results, std::vector<Stage>& stages) {
  if (!study.model || !read) return;
  Stage stage;
  stage.name = "synthesis";
  stage.after = {"claims"};
  for (const auto& name : evidence_stages(study))
    stage.after.push_back(name);
  const fs::path model_path = study.path(study.model->file);
  stage.inputs.push_back(model_path);
  // The sources table the model names is an input too (a path relative to the model file).
  if (read->model && !read->model->evidence.sources_file.empty())
    stage.inputs.push_back(model_path.parent_path() / read->model->evidence.sources_file);
  const ModelSettings& m = *study.model;
  stage.options = {
      {"chains", m.chains},         {"warmup", m.warmup},
      {"draws", m.draws},           {"max_refits", m.max_refits},
      {"seed", study.seed},         {"until", m.until ? m.until->iso() : std::string()},
      {"prior_draws", kPriorDraws}, {"vocabulary", vocabulary_json(study.vocabulary)}};
  stage.run = [&study, read, results](const fs::path& out, const RunSummary&) {
    if (read->error) throw *read->error;
    const synthesis::Model& model = *read->model;
    for (const auto& q : model.quantities)
      if (const auto problem = synthesis::vocabulary_problem(q, study.vocabulary); !problem.empty())
        throw bad_input(q.where, fmt::format("quantity `{}`: {}", q.name, problem));
    std::vector<Claim> claims = stage_claims(study, *results, "claims/evidence.csv");
    for (const auto& name : evidence_stages(study))
      for (auto& c : stage_claims(study, *results, name + "/evidence.csv"))
        claims.push_back(std::move(c));
    const synthesis::SourceTable sources = synthesis::model_sources(model);
    synthesis::FitOptions options;
    options.chains = study.model->chains;
    options.warmup = study.model->warmup;
    options.draws = study.model->draws;
    options.max_refits = study.model->max_refits;
    options.seed = study.seed;
    options.until = study.model->until;
    options.progress = progress_enabled();
    note("stage synthesis: fitting the model to the evidence");
    const synthesis::FitResult result = synthesis::fit(model, claims, sources, options);
    synthesis::write_fit_outputs(result, out / "fit");
    synthesis::FitSummary summary = synthesis::summarize(result);
    write_file(out / "fit.json", synthesis::to_json(summary).dump(1) + "\n");

    note("stage synthesis: the model on its prior alone");
    synthesis::FitOptions prior = options;
    prior.prior_only = true;
    prior.conflicts = false;
    prior.warmup = kPriorDraws;
    prior.draws = kPriorDraws;
    prior.summary_draws = kPriorDraws;
    const synthesis::FitSummary prior_summary =
        synthesis::summarize(synthesis::fit(model, claims, sources, prior));
    write_file(out / "prior.json", synthesis::to_json(prior_summary).dump(1) + "\n");
    // Handed on only once the stage has done all it does: a failed stage hands on nothing.
    results->fit = std::move(summary);
    results->prior = prior_summary;

    StageOutcome outcome;
    if (!result.diagnostics.ok()) {
      outcome.state = StageState::untrusted;
      outcome.detail = "the sampler's diagnostics failed: ";
      for (std::size_t i = 0; i < result.diagnostics.problems.size(); ++i) {
        if (i > 0) outcome.detail += "; ";
        outcome.detail += result.diagnostics.problems[i];
      }
    } else {
      outcome.detail = fmt::format("{} claims used, {} unused; {} chains x {} draws in {:.0f} s",
                                   result.evidence.claims.size(), result.evidence.unused.size(),
                                   result.diagnostics.chains, result.diagnostics.draws,
                                   result.diagnostics.seconds);
    }
    return outcome;
  };
  stages.push_back(std::move(stage));
}

}  // namespace recount::study::detail
