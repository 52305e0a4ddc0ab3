// recount fit, recount simulate model: evidence synthesis with a stock-and-flow model.

#include <iostream>
#include <optional>

#include <fmt/format.h>

#include "command.hpp"
#include "recount/core/date.hpp"
#include "recount/core/progress.hpp"
#include "recount/evidence/claims_csv.hpp"
#include "recount/evidence/ledger.hpp"
#include "recount/synthesis/fit.hpp"

namespace recount::cli {

namespace {

struct FitArgs {
  std::string model;
  std::string claims;
  std::string sources;
  std::string until;
  std::string out;
  synthesis::FitOptions options;
  bool no_conflicts = false;
};

struct SimulateArgs {
  std::string model;
  std::string out;
  std::uint64_t seed = 1;
  synthesis::SimulationOptions options;
  bool points_only = false;
  double outlier_share = -1;
};

void run_fit(const FitArgs& a, Context& ctx) {
  const synthesis::Model model = synthesis::read_model(a.model);
  // Without --claims the evidence is the ledger's accepted and edited claims (docs/ledger.md).
  std::vector<Claim> claims;
  if (!a.claims.empty()) {
    claims = read_claims_csv(std::filesystem::path(a.claims));
  } else {
    if (!std::filesystem::exists(ctx.db))
      throw usage_error(fmt::format(
          "give the claims with --claims FILE, or a ledger with reviewed claims with --db (there "
          "is no ledger at {})",
          ctx.db));
    const Ledger ledger = Ledger::open(ctx.db, Ledger::Mode::existing);
    for (LedgerClaim& c : ledger.claims({ReviewStatus::accepted, ReviewStatus::edited}))
      claims.push_back(std::move(c.claim));
    if (claims.empty() && !a.options.prior_only)
      throw bad_input({.file = ctx.db},
                      "no accepted or edited claims in the ledger: review its claims with "
                      "`recount claims accept ID...`, or give --claims FILE");
  }
  const synthesis::SourceTable sources =
      a.sources.empty() ? synthesis::model_sources(model) : synthesis::read_sources(a.sources);
  synthesis::FitOptions options = a.options;
  if (!a.until.empty()) options.until = Date::parse_iso(a.until, Location{.key = "--until"});
  options.conflicts = !a.no_conflicts;
  options.progress = progress_enabled();
  const synthesis::FitResult result = synthesis::fit(model, claims, sources, options);
  if (!a.out.empty()) synthesis::write_fit_outputs(result, a.out);
  if (ctx.json)
    print_json(synthesis::to_json(result));
  else
    std::cout << synthesis::fit_report(result);
  if (!result.diagnostics.ok()) {
    std::string reasons;
    for (const std::string& p : result.diagnostics.problems) {
      if (!reasons.empty()) reasons += "; ";
      reasons += p;
    }
    untrusted(ctx, "the sampler's diagnostics failed: " + reasons +
                       " (try more --warmup and --draws, or look at the model's priors)");
  }
}

void run_simulate(const SimulateArgs& a) {
  const synthesis::Model model = synthesis::read_model(a.model);
  synthesis::SimulationOptions options = a.options;
  options.every_kind = !a.points_only;
  if (a.outlier_share >= 0) options.outlier_share = a.outlier_share;
  const synthesis::Simulation sim = synthesis::simulate(model, a.seed, options);
  synthesis::write_simulation(sim, a.out);
  note(fmt::format("wrote {} series and {} claims to {}", sim.truth.size(), sim.claims.size(),
                   a.out));
}

}  // namespace

void add_synthesis_commands(CLI::App& app, Context& ctx) {
  auto fit_args = std::make_shared<FitArgs>();
  CLI::App* fit = app.add_subcommand("fit",
                                     "Fit a stock-and-flow model to claims: weekly posterior "
                                     "series, diagnostics, conflicting claims");
  fit->add_option("model", fit_args->model, "The model file (TOML, docs/model.md)")
      ->required()
      ->check(CLI::ExistingFile);
  fit->add_option("--claims", fit_args->claims,
                  "Claims CSV (docs/claims.md); without it, the accepted and edited claims of "
                  "the ledger (--db)")
      ->check(CLI::ExistingFile);
  fit->add_option("--sources", fit_args->sources,
                  "Sources table (TOML), instead of the model's evidence.sources")
      ->check(CLI::ExistingFile);
  fit->add_option("--until", fit_args->until,
                  "Only claims published by this date (YYYY-MM-DD): a backtest");
  fit->add_option("--out", fit_args->out,
                  "Directory for quantities.csv, parameters.csv, conflicts.csv, draws.csv, ...");
  fit->add_option("--seed", fit_args->options.seed, "Random seed (reproducible)")
      ->capture_default_str();
  fit->add_option("--chains", fit_args->options.chains, "Chains (run in parallel)")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  fit->add_option("--warmup", fit_args->options.warmup, "Warm-up iterations per chain")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000000));
  fit->add_option("--draws", fit_args->options.draws, "Draws per chain after warm-up")
      ->capture_default_str()
      ->check(CLI::Range(10, 1000000));
  fit->add_option("--max-refits", fit_args->options.max_refits, "Cap on exact leave-one-out refits")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000));
  fit->add_option("--adapt-delta", fit_args->options.target_accept,
                  "Target acceptance rate of step-size adaptation")
      ->capture_default_str()
      ->check(CLI::Range(0.5, 0.999));
  fit->add_option("--hold-out", fit_args->options.held_out,
                  "Claim ids evaluated but not conditioned on: their conflict p-values are exact "
                  "leave-one-out (repeat the option, or give several ids)");
  fit->add_flag("--prior-only", fit_args->options.prior_only, "Ignore the claims: prior intervals");
  fit->add_flag("--no-conflicts", fit_args->no_conflicts, "Skip the conflict analysis");
  fit->callback([fit_args, &ctx] { run_fit(*fit_args, ctx); });

  auto sim_args = std::make_shared<SimulateArgs>();
  CLI::App* simulate = subcommand(app, "simulate", "Draw synthetic data from a model");
  CLI::App* model = simulate->add_subcommand(
      "model", "A synthetic history and the claims it would produce, from a model's priors");
  model->add_option("model", sim_args->model, "The model file (TOML)")
      ->required()
      ->check(CLI::ExistingFile);
  model
      ->add_option("--out", sim_args->out, "Directory for history.csv, claims.csv, parameters.json")
      ->required();
  model->add_option("--seed", sim_args->seed, "Random seed")->capture_default_str();
  model
      ->add_option("--claims-per-quantity", sim_args->options.claims_per_quantity,
                   "Claims drawn per named quantity")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000));
  model
      ->add_option("--sources-per-type", sim_args->options.sources_per_type,
                   "Simulated sources of each type (ngo, data_journalism, media, "
                   "belligerent_official)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  model
      ->add_option("--repeat-share", sim_args->options.repeat_share,
                   "Chance that a claim is restated later or quoted by another source")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  model
      ->add_option("--outlier-share", sim_args->outlier_share,
                   "Share of claims planted as outliers (default: drawn from the model's prior)")
      ->check(CLI::Range(0.0, 1.0));
  model->add_flag("--points-only", sim_args->points_only,
                  "Exact point claims only, without hedges (the easy case)");
  model->callback([sim_args] { run_simulate(*sim_args); });
}

}  // namespace recount::cli
