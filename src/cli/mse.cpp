// `recount mse FILE`: multiple systems estimation from a captures or pattern-count table.

#include <cctype>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "command.hpp"
#include "recount/core/error.hpp"
#include "recount/core/progress.hpp"
#include "recount/core/table.hpp"
#include "recount/core/text.hpp"
#include "recount/mse/captures_io.hpp"
#include "recount/mse/dispatch.hpp"
#include "recount/mse/linkage_uncertainty.hpp"

namespace recount::cli {

namespace {

struct MseArgs {
  std::string file;
  std::string method = "loglinear";
  std::string model;
  std::string criterion = "bic";
  std::string heterogeneity;
  double level = 0.95;
  std::size_t top = 5;
  std::uint64_t seed = 1;
  int classes = 10;
  int burnin = -1;
  int samples = -1;
  int thin = -1;
  int chains = 4;
  std::string linkage_draws;  // draws.csv of `recount link --draws`
};

std::string number_or_dash(const std::optional<double>& v, int decimals = 0) {
  return v ? format_number(*v, decimals) : "-";
}

std::string interval_text(const std::optional<double>& lo, const std::optional<double>& hi) {
  if (!lo && !hi) return "not available";
  std::string out = lo ? format_number(*lo) : "?";
  out += " - ";
  out += hi ? format_number(*hi) : "unbounded";
  return out;
}

std::string to_upper(std::string text) {
  for (char& c : text)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string method_title(const mse::MseResult& r) {
  if (r.method == "loglinear") return "log-linear model (Poisson regression)";
  if (r.method == "dga") return "Bayesian model averaging over decomposable graphs (dga)";
  if (r.method == "lcmcr") return "Bayesian latent-class model (LCMCR)";
  return r.method;
}

void print_result(const mse::MseResult& r, const std::string& criterion_option) {
  const std::string criterion = criterion_option == "aicc" ? "AICc" : to_upper(criterion_option);
  const bool bayes = r.method != "loglinear";
  std::string out;
  out += fmt::format("Method: {}\n", method_title(r));
  if (!r.stratum.empty()) out += fmt::format("Stratum: {}\n", r.stratum);
  out += fmt::format("People observed: {}\n", format_number(r.observed));
  if (!r.model.empty()) {
    out += fmt::format("Model: {}", r.model);
    if (r.diagnostics.contains("models_fitted"))
      out += fmt::format(" (lowest {} of {} models, {} search)", criterion,
                         r.diagnostics["models_fitted"].get<std::size_t>(),
                         r.diagnostics["search"].get<std::string>());
    out += '\n';
  }
  if (r.estimate) {
    out += fmt::format(
        "Estimate: {}{}{}\n", format_number(*r.estimate), bayes ? " (posterior median)" : "",
        r.se ? fmt::format(", {} {}", bayes ? "posterior standard deviation" : "standard error",
                           format_number(*r.se))
             : "");
    out += fmt::format(
        "{}% {}: {}\n",
        format_number(100 * r.level, r.level * 100 == std::floor(r.level * 100) ? 0 : 1),
        bayes ? "credible interval"
              : (r.stratum == "total" ? "interval" : "profile-likelihood interval"),
        interval_text(r.lower, r.upper));
  } else {
    out += "Estimate: none (not identified)\n";
  }
  if (!r.models.empty()) {
    out += bayes ? "\nTop graphs:\n" : "\nTop models:\n";
    TextTable table({"model", "estimate", "interval", bayes ? "log weight" : criterion,
                     bayes ? "probability" : "weight"});
    for (const mse::ModelSummary& m : r.models)
      table.add_row({m.model, number_or_dash(m.estimate), interval_text(m.lower, m.upper),
                     format_number(m.criterion, 3), format_number(m.weight, 3)});
    out += table.str();
  }
  if (!r.warnings.empty()) {
    out += "\nWarnings:\n";
    for (const std::string& w : r.warnings)
      out += fmt::format("  - {}\n", w);
  }
  std::fputs(out.c_str(), stdout);
}

void run_mse(const MseArgs& args, Context& ctx) {
  if (!(args.level > 0 && args.level < 1))
    throw usage_error(fmt::format("--level {} must be between 0 and 1", args.level));
  std::vector<std::string> methods;
  if (args.method == "all") {
    methods = {"loglinear", "dga", "lcmcr"};
  } else {
    methods = {args.method};
  }
  if (!args.model.empty() && args.method != "loglinear")
    throw usage_error("--model applies to --method loglinear only");
  if (!args.heterogeneity.empty() && args.method != "loglinear")
    throw usage_error("--heterogeneity applies to --method loglinear only");
  if (!args.heterogeneity.empty() && !args.model.empty())
    throw usage_error("give --model or --heterogeneity, not both");
  mse::MethodOptions options;
  options.level = args.level;
  if (!args.heterogeneity.empty())
    options.heterogeneity = mse::parse_heterogeneity(args.heterogeneity);
  if (!args.model.empty()) options.loglinear.model = args.model;
  if (args.criterion == "aic") options.loglinear.criterion = mse::Criterion::aic;
  if (args.criterion == "aicc") options.loglinear.criterion = mse::Criterion::aicc;
  options.loglinear.top = args.top;
  options.lcmcr.classes = args.classes;
  options.lcmcr.burnin = args.burnin;
  options.lcmcr.samples = args.samples;
  options.lcmcr.thin = args.thin;
  options.lcmcr.chains = args.chains;
  options.lcmcr.seed = args.seed;
  options.lcmcr.progress = progress_enabled();

  const std::vector<mse::CaptureTable> tables = mse::read_captures(args.file);
  if (!args.linkage_draws.empty() && options.heterogeneity)
    throw usage_error("--linkage-draws applies to model selection or --model, not --heterogeneity");
  const mse::LinkageDrawTables linkage_draws =
      args.linkage_draws.empty()
          ? mse::LinkageDrawTables{}
          : mse::read_linkage_draws(args.linkage_draws, tables.front().lists);
  nlohmann::json all = nlohmann::json::array();
  std::vector<std::string> untrusted_reasons;
  if (!ctx.json) {
    std::fputs(fmt::format("Multiple systems estimation: {}\nLists ({}): {}\n", args.file,
                           tables.front().lists.size(), fmt::join(tables.front().lists, ", "))
                   .c_str(),
               stdout);
    if (tables.size() > 1) std::fputs(fmt::format("Strata: {}\n", tables.size()).c_str(), stdout);
  }
  for (const std::string& method : methods) {
    const mse::MethodEstimate estimate =
        mse::estimate_method(tables, method, options, linkage_draws);
    const std::vector<mse::MseResult>& results = estimate.strata;
    for (const mse::MseResult& r : results) {
      if (!r.trusted) {
        std::string why = r.warnings.empty() ? "see the warnings" : r.warnings.back();
        untrusted_reasons.push_back(fmt::format(
            "{}{}: {}", r.method, r.stratum.empty() ? "" : " (stratum " + r.stratum + ")", why));
      }
    }
    const std::optional<mse::LinkageUncertainty>& with_linkage = estimate.with_linkage_uncertainty;
    if (with_linkage && !with_linkage->trusted)
      untrusted_reasons.push_back(fmt::format(
          "{} with linkage uncertainty: {}", method,
          with_linkage->warnings.empty() ? "see the warnings" : with_linkage->warnings.back()));
    if (ctx.json) {
      all.push_back(estimate.json());
      continue;
    }
    for (const mse::MseResult& r : results) {
      std::fputs("\n", stdout);
      print_result(r, args.criterion);
    }
    if (results.size() > 1) {
      std::fputs("\n", stdout);
      print_result(estimate.total, args.criterion);
    }
    if (with_linkage) std::fputs(mse::linkage_uncertainty_text(*with_linkage).c_str(), stdout);
  }
  if (ctx.json) print_json(methods.size() == 1 ? all.front() : all);
  for (const std::string& reason : untrusted_reasons)
    untrusted(ctx, reason);
}

}  // namespace

void add_mse_commands(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<MseArgs>();
  CLI::App* cmd = app.add_subcommand(
      "mse", "Multiple systems estimation: how many people no list saw, from overlapping lists");
  cmd->add_option("FILE", args->file,
                  "Captures table (one row per person, a 0/1 column per list, optional entity "
                  "and stratum) or pattern-count table (0/1 columns + count, or pattern,count)")
      ->required();
  cmd->add_option("--method", args->method, "Estimator")
      ->check(CLI::IsMember({"loglinear", "dga", "lcmcr", "all"}))
      ->capture_default_str();
  cmd->add_option("--model", args->model,
                  "Log-linear model in Rcapture notation, e.g. \"[12,13,4]\" or \"[LA:NG,PF]\" "
                  "(default: selection)");
  cmd->add_option("--criterion", args->criterion, "Model selection criterion")
      ->check(CLI::IsMember({"aic", "aicc", "bic"}))
      ->capture_default_str();
  cmd->add_option("--heterogeneity", args->heterogeneity,
                  "Mth heterogeneity model instead of selection")
      ->check(CLI::IsMember({"chao", "darroch", "poisson2", "gamma"}));
  cmd->add_option("--level", args->level, "Interval level")->capture_default_str();
  cmd->add_option("--top", args->top, "Models reported beside the chosen one")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--seed", args->seed, "Random seed (lcmcr)")->capture_default_str();
  cmd->add_option("--classes", args->classes, "Latent classes K* (lcmcr)")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--burnin", args->burnin, "Burn-in iterations per chain (lcmcr; default in docs)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--samples", args->samples, "Samples kept per chain (lcmcr)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--thin", args->thin, "Thinning (lcmcr)")->check(CLI::PositiveNumber);
  cmd->add_option("--chains", args->chains, "Chains (lcmcr)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_option("--linkage-draws", args->linkage_draws,
                  "draws.csv of `recount link --draws`: each estimate also with the linkage's "
                  "uncertainty (docs/mse.md)");
  cmd->callback([args, &ctx] { run_mse(*args, ctx); });
}

}  // namespace recount::cli
