// recount simulate lists: synthetic named lists with the truth aside, for tests and benchmarks
// of `recount link` and `recount mse`.

#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "command.hpp"
#include "recount/core/progress.hpp"
#include "recount/core/text.hpp"
#include "recount/linkage/simulate.hpp"

namespace recount::cli {

namespace {

struct SimulateListsArgs {
  linkage::ListSimulation options;
  std::string out;
};

void run_simulate_lists(const SimulateListsArgs& a, const Context& ctx) {
  linkage::ListSimulation options = a.options;
  options.progress = progress_enabled();
  const linkage::SimulatedLists result = linkage::simulate_lists(options, a.out);
  if (ctx.json) {
    nlohmann::json lists = nlohmann::json::array();
    for (std::size_t j = 0; j < result.list_names.size(); ++j)
      lists.push_back({{"name", result.list_names[j]},
                       {"file", "list_" + result.list_names[j] + ".csv"},
                       {"records", result.records_per_list[j]}});
    print_json({{"out", a.out},
                {"people", options.people},
                {"people_listed", result.people_listed},
                {"records", result.records},
                {"duplicates", result.duplicates},
                {"lists", lists},
                {"files", {"link.toml", "truth.csv", "summary.json"}}});
    return;
  }
  std::cout << fmt::format("{} records of {} people ({} on at least one list) in {} lists:\n",
                           format_number(static_cast<double>(result.records)),
                           format_number(static_cast<double>(options.people)),
                           format_number(static_cast<double>(result.people_listed)),
                           result.list_names.size());
  for (std::size_t j = 0; j < result.list_names.size(); ++j)
    std::cout << fmt::format("  {}/list_{}.csv  {} records\n", a.out, result.list_names[j],
                             format_number(static_cast<double>(result.records_per_list[j])));
  std::cout << fmt::format("  {0}/link.toml (for recount link), {0}/truth.csv, {0}/summary.json\n",
                           a.out);
}

}  // namespace

void add_simulate_lists_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<SimulateListsArgs>();
  linkage::ListSimulation& o = args->options;
  CLI::App* simulate = subcommand(app, "simulate", "Draw synthetic data from a model");
  CLI::App* lists = simulate->add_subcommand(
      "lists",
      "Synthetic lists of invented people with Russian names (formats, transliterations, typos, "
      "duplicates, dependence, heterogeneous visibility) and the truth, for tests and "
      "benchmarks of recount link");
  lists
      ->add_option("--out", args->out,
                   "Directory for list_*.csv, link.toml, truth.csv, summary.json")
      ->required();
  lists->add_option("--people", o.people, "Size of the population (most appear on some list)")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{10'000'000}));
  lists->add_option("--lists", o.lists, "Number of lists (2-8)")
      ->capture_default_str()
      ->check(CLI::Range(2, 8));
  lists->add_option("--seed", o.seed, "Random seed (same seed, same files)")->capture_default_str();
  lists->add_option("--duplicates", o.duplicate_rate, "In-list duplicate rate per record")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 0.5));
  lists
      ->add_option("--visibility-sd", o.visibility_sd,
                   "Heterogeneity: spread of each person's latent visibility (probit scale)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 5.0));
  lists
      ->add_option("--dependence", o.dependence,
                   "Dependence of the paired lists (probit loading; negative: negative dependence)")
      ->capture_default_str()
      ->check(CLI::Range(-3.0, 3.0));
  lists->add_option("--noise", o.noise, "Multiplier of every list's typo and format-error rates")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 10.0));
  lists->add_option("--women", o.women_share, "Share of women in the population")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  lists->add_option("--cp1251", o.cp1251_list, "Write this list in Windows-1251 instead of UTF-8");
  lists->callback([args, &ctx] { run_simulate_lists(*args, ctx); });
}

}  // namespace recount::cli
