// `recount link`: record linkage of named lists into entities and the captures table of
// `recount mse`; `link explain` (why two records were or were not joined) and `link eval`
// (against a truth file).

#include <filesystem>
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
#include "recount/linkage/config.hpp"
#include "recount/linkage/evaluate.hpp"
#include "recount/linkage/explain.hpp"
#include "recount/linkage/labels.hpp"
#include "recount/linkage/link.hpp"
#include "recount/linkage/linkage_draws.hpp"
#include "recount/linkage/review.hpp"

namespace recount::cli {

namespace {

struct LinkArgs {
  std::string config;
  std::string out;
  std::vector<std::string> records;
  std::string truth;
  std::string labels;
  std::string chart;
  std::string review;
  std::vector<double> review_band{0.1, 0.9};
  std::size_t review_limit = 500;
  bool show_names = false;
  std::string reviewed;
  std::size_t draws = 0;  // linkage draws (draws.csv); 0: none
  std::uint64_t draws_seed = 1;
};

std::string fixed(double v, int decimals) {
  return fmt::format("{:.{}f}", v, decimals);
}

void require(const std::string& value, const char* option) {
  if (value.empty()) throw usage_error(fmt::format("{} is required", option));
}

void run_link(const LinkArgs& a, Context& ctx) {
  require(a.config, "--config");
  require(a.out, "--out");
  const linkage::LinkConfig config = linkage::read_link_config(a.config);
  const linkage::LinkResult result = linkage::link_lists(config);
  linkage::write_link_outputs(config, result, a.out);
  std::size_t reviewed = 0;
  if (!a.review.empty()) {
    if (a.review_band.size() != 2 || !(a.review_band[0] < a.review_band[1]))
      throw usage_error("--review-band takes two increasing probabilities, e.g. 0.1 0.9");
    reviewed = linkage::write_review(
        config, result, a.review,
        linkage::ReviewOptions{a.review_band[0], a.review_band[1], a.review_limit, a.show_names});
  }
  nlohmann::json summary = linkage::link_summary(config, result);
  std::optional<linkage::PartitionDraws> draws;
  if (a.draws > 0) {
    linkage::PartitionSamplerOptions options;
    options.draws = a.draws;
    options.seed = a.draws_seed;
    draws = linkage::draw_linkages(config, result, options, progress_enabled());
    linkage::write_draws(config, result, *draws, a.out);
    summary["linkage_draws"] = linkage::draws_summary(*draws, options);
    write_file(std::filesystem::path(a.out) / "draws.json", summary["linkage_draws"].dump(2));
  }
  if (ctx.json) {
    print_json(summary);
  } else {
    std::string out;
    out += fmt::format("Records: {} in {} lists\n",
                       format_number(static_cast<double>(result.records.size())),
                       result.records.list_names.size());
    TextTable lists({"list", "records", "encoding", "unreadable values"});
    for (const linkage::ListReport& r : result.records.reports) {
      std::string unreadable;
      for (const auto& [field, count] : r.unreadable) {
        if (!unreadable.empty()) unreadable += "; ";
        unreadable += fmt::format("{} {} (first on line {})", field, count,
                                  r.first_unreadable_line.at(field));
      }
      lists.add_row({r.name, format_number(static_cast<double>(r.records)), r.encoding,
                     unreadable.empty() ? "-" : unreadable});
    }
    out += lists.str();
    TextTable rules({"blocking rule", "pairs"});
    for (const linkage::RuleReport& r : result.rules)
      rules.add_row({r.rule, r.refused ? format_number(static_cast<double>(r.pairs)) + " (refused)"
                                       : format_number(static_cast<double>(r.pairs))});
    out += rules.str();
    out += fmt::format("Candidate pairs: {} (scored at {} pairs/s)\n",
                       format_number(static_cast<double>(result.candidate_pairs)),
                       format_number(summary["pairs_per_second"].get<double>()));
    out += fmt::format("Match prior: {:.3g} ({}); within a list {:.3g}, across lists {:.3g}\n",
                       result.model.prior, result.model.prior_method, result.model.prior_within,
                       result.model.prior_across);
    TextTable weights({"field", "agree", "disagree", "m from"});
    for (const linkage::FieldModel& f : result.model.fields)
      weights.add_row({f.name, fixed(f.weight[1], 2), fixed(f.weight.back(), 2), f.m_source});
    out += weights.str();
    out += fmt::format("Entities: {} at threshold {} ({} of two or more records; largest {})\n",
                       format_number(static_cast<double>(result.clusters.entities)),
                       result.threshold, format_number(summary["linked_entities"].get<double>()),
                       result.clusters.largest);
    TextTable sweep({"threshold", "entities"});
    for (const linkage::SweepPoint& p : result.sweep)
      sweep.add_row(
          {fmt::format("{}", p.threshold), format_number(static_cast<double>(p.entities))});
    out += sweep.str();
    for (const std::string& c : result.chosen)
      out += fmt::format("Chosen automatically: {}\n", c);
    if (result.deterministic_pairs > 0 || !result.labels.empty())
      out += fmt::format(
          "Linked outright: {} pairs by deterministic rules, {} labelled matches; {} labelled "
          "non-matches kept apart\n",
          format_number(static_cast<double>(result.deterministic_pairs)),
          result.labels.matches.size(), result.labels.non_matches.size());
    if (!a.review.empty())
      out += fmt::format("Wrote {} pairs for clerical review to {} (readable by you only){}\n",
                         reviewed, a.review, a.show_names ? ", with names" : "");
    if (draws) {
      const nlohmann::json& d = summary["linkage_draws"];
      out += fmt::format(
          "Linkage draws: {} (entities {} to {}; R-hat of the number of entities {:.3f}; {} "
          "records in {} components sampled, largest {})\n",
          draws->entity.size(), format_number(d["entities_min"].get<double>()),
          format_number(d["entities_max"].get<double>()), draws->rhat_entities,
          format_number(static_cast<double>(draws->records_sampled)),
          format_number(static_cast<double>(draws->components)), draws->largest_component);
    }
    out += fmt::format(
        "Wrote {0}/entities.csv, {0}/captures.csv, {0}/model.json, {0}/summary.json{1}\n", a.out,
        draws ? fmt::format(", {0}/draws.csv, {0}/draws.json", a.out) : "");
    std::fputs(out.c_str(), stdout);
  }
  for (const std::string& w : result.model.warnings)
    untrusted(ctx, w);
  if (draws) {
    for (const std::string& w : draws->warnings)
      note("warning: " + w);
    if (draws->rhat_entities > linkage::partition_max_rhat)
      untrusted(ctx, "the linkage draws' chains did not meet (see draws.json)");
  }
}

void run_explain(const LinkArgs& a, Context& ctx) {
  require(a.config, "--config");
  require(a.out, "--out");
  if (a.records.size() != 2) throw usage_error("give two records, LIST:ID LIST:ID");
  const linkage::LinkConfig config = linkage::read_link_config(a.config);
  const linkage::PairExplanation e =
      linkage::explain_pair(config, a.out, a.records[0], a.records[1], a.show_names);
  if (!a.chart.empty()) write_file(a.chart, linkage::waterfall_svg(e), a.show_names);
  if (ctx.json) {
    print_json(e.to_json());
    return;
  }
  std::string out = fmt::format("{} and {}\n", e.record_a, e.record_b);
  std::vector<std::string> header{"field", "level", "weight", "frequency adj."};
  if (a.show_names) header.insert(header.begin() + 1, {"A", "B"});
  TextTable t(header);
  for (const linkage::FieldExplanation& f : e.fields) {
    std::vector<std::string> row{f.field, f.level, fixed(f.weight, 2),
                                 f.tf_adjustment == 0 ? "-" : fixed(f.tf_adjustment, 2)};
    if (a.show_names)
      row.insert(row.begin() + 1,
                 {f.value_a.empty() ? "-" : f.value_a, f.value_b.empty() ? "-" : f.value_b});
    t.add_row(row);
  }
  out += t.str();
  if (!e.override_reason.empty())
    out += fmt::format("The run overrode the model's score: {}\n", e.override_reason);
  out += fmt::format(
      "Prior log2 odds {:.2f}; total log2 odds {:.2f}; match probability {:.4g} "
      "(threshold {})\n",
      e.prior_log2_odds, e.log2_odds, e.probability, e.threshold);
  out += e.same_entity() ? fmt::format("Joined: both in entity {}\n", e.entity_a)
                         : fmt::format("Not joined: entities {} and {}\n", e.entity_a, e.entity_b);
  std::fputs(out.c_str(), stdout);
}

void run_eval_labels(const LinkArgs& a, Context& ctx) {
  require(a.config, "--config");
  const linkage::LinkConfig config = linkage::read_link_config(a.config);
  const linkage::LabelEvaluation e = linkage::evaluate_labels(config, a.out, a.labels);
  if (!a.chart.empty()) write_file(a.chart, linkage::threshold_chart_svg(e));
  if (e.labels_seen_by_run)
    note(
        "warning: these labels are the run's [model] labels, which overrode its scores and "
        "trained it: the figures are not an independent check");
  if (ctx.json) {
    print_json(e.to_json());
    return;
  }
  std::string out =
      fmt::format("Labelled pairs: {} matches, {} non-matches\n", e.matches, e.non_matches);
  out += fmt::format("Entities of the run: precision {}, recall {}, F1 {}\n", fixed(e.precision, 4),
                     fixed(e.recall, 4), fixed(e.f1, 4));
  TextTable t({"threshold", "precision", "recall", "F1"});
  for (const linkage::ThresholdPoint& p : e.curve)
    if (p.threshold >= 0.01 && p.threshold <= 0.99)
      t.add_row({fmt::format("{:.3f}", p.threshold), fixed(p.precision, 4), fixed(p.recall, 4),
                 fixed(p.f1, 4)});
  out += t.str();
  if (!a.chart.empty()) out += fmt::format("Wrote the threshold chart to {}\n", a.chart);
  std::fputs(out.c_str(), stdout);
}

void run_review_import(const LinkArgs& a, Context& ctx) {
  const linkage::LabelMerge m = linkage::merge_labelled_pairs(a.reviewed, a.labels);
  if (ctx.json) {
    print_json({{"added", m.added},
                {"replaced", m.replaced},
                {"unchanged", m.unchanged},
                {"undecided", m.undecided},
                {"labelled_pairs", m.total},
                {"labels", a.labels}});
    return;
  }
  std::fputs(fmt::format("Imported {} new decisions and {} changed ({} unchanged, {} undecided "
                         "left out); {} now holds {} labelled pairs\n",
                         m.added, m.replaced, m.unchanged, m.undecided, a.labels, m.total)
                 .c_str(),
             stdout);
}

void run_eval(const LinkArgs& a, Context& ctx) {
  require(a.out, "--out");
  if (!a.labels.empty()) {
    if (!a.truth.empty()) throw usage_error("give --truth or --labels, not both");
    run_eval_labels(a, ctx);
    return;
  }
  if (a.truth.empty()) throw usage_error("--truth or --labels is required");
  const linkage::LinkEvaluation e =
      linkage::evaluate_link(std::filesystem::path(a.out) / "entities.csv", a.truth);
  if (ctx.json) {
    print_json(e.to_json());
    return;
  }
  std::string out =
      fmt::format("Records {}, entities {}, people {}\n", e.records, e.entities, e.people);
  TextTable t({"measure", "precision", "recall", "F1"});
  t.add_row({"pairwise", fixed(e.precision, 4), fixed(e.recall, 4), fixed(e.f1, 4)});
  t.add_row(
      {"B-cubed", fixed(e.bcubed_precision, 4), fixed(e.bcubed_recall, 4), fixed(e.bcubed_f1, 4)});
  out += t.str();
  out += fmt::format("Pairs: {} predicted, {} true, {} correct\n", e.predicted_pairs, e.true_pairs,
                     e.correct_pairs);
  std::fputs(out.c_str(), stdout);
}

}  // namespace

void add_link_commands(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<LinkArgs>();
  CLI::App* link = app.add_subcommand(
      "link", "Link named lists into entities (who is on which list) for `recount mse`");
  link->require_subcommand(0, 1);
  link->add_option("--config", a->config, "The link config (TOML; docs/linkage.md)");
  link->add_option("--out", a->out,
                   "Output folder: entities.csv, captures.csv, model.json, summary.json");
  link->add_option("--review", a->review,
                   "Also write the most uncertain pairs to this CSV for clerical review");
  link->add_option("--review-band", a->review_band,
                   "Match probabilities of the pairs to review (default 0.1 0.9)")
      ->expected(2);
  link->add_option("--review-limit", a->review_limit, "At most this many pairs to review")
      ->check(CLI::PositiveNumber);
  link->add_flag("--show-names", a->show_names,
                 "Put the records' names and other values in the review file");
  link->add_option("--draws", a->draws,
                   "Linkage draws from the posterior over partitions, written to draws.csv "
                   "(draw,list,id,entity) for `recount mse --linkage-draws`")
      ->check(CLI::Range(0, 100000));
  link->add_option("--draws-seed", a->draws_seed, "Random seed of the linkage draws")
      ->capture_default_str();
  link->callback([a, link, &ctx] {
    if (link->get_subcommands().empty()) run_link(*a, ctx);
  });

  CLI::App* explain =
      link->add_subcommand("explain", "Why two records were or were not joined, field by field");
  explain->add_flag("--show-names", a->show_names, "Show the two records' values (names)");
  explain->add_option("--chart", a->chart, "Write a waterfall chart of the match weight (SVG)");
  explain->add_option("--config", a->config, "The link config of the run")->required();
  explain->add_option("--out", a->out, "The run's output folder")->required();
  explain->add_option("records", a->records, "Two records, LIST:ID LIST:ID")
      ->required()
      ->expected(2);
  explain->callback([a, &ctx] { run_explain(*a, ctx); });

  CLI::App* eval = link->add_subcommand(
      "eval", "Pairwise and B-cubed precision, recall and F1 of a run against the truth");
  eval->add_option("--out", a->out, "The run's output folder")->required();
  eval->add_option("--truth", a->truth, "Truth CSV: list,id,person");
  eval->add_option("--labels", a->labels,
                   "Labelled pairs CSV: list_a,id_a,list_b,id_b,decision (needs --config)");
  eval->add_option("--config", a->config, "The link config of the run (with --labels)");
  eval->add_option("--chart", a->chart, "With --labels: write the threshold chart (SVG)");
  eval->callback([a, &ctx] { run_eval(*a, ctx); });

  CLI::App* review = link->add_subcommand("review", "Clerical review of uncertain pairs");
  review->require_subcommand(1);
  CLI::App* import = review->add_subcommand(
      "import", "Merge a reviewed file's decisions into the labels file [model] labels reads");
  import->add_option("reviewed", a->reviewed, "The reviewed CSV (its `decision` column filled)")
      ->required();
  import->add_option("--into", a->labels, "The labels file (created if absent)")->required();
  import->callback([a, &ctx] { run_review_import(*a, ctx);
});
}  // namespace recount::cli

}  // namespace recount::cli
