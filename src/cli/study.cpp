// `recount run STUDY`, `recount init STUDY`, `recount report STUDY`: a study from evidence to
// its report (docs/study.md).

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

#include <fmt/format.h>

#include "command.hpp"
#include "recount/core/error.hpp"
#include "recount/core/table.hpp"
#include "recount/core/text.hpp"
#include "recount/study/run.hpp"
#include "recount/version.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace recount::cli {

namespace {

struct StudyArgs {
  std::string folder;
  bool force = false;
  bool show_names = false;
  std::string title;
  std::string out;
};

std::string state_word(const study::StageRecord& s) {
  std::string word(report::to_string(s.state));
  if (s.reused) word += " (unchanged)";
  return word;
}

json stage_json(const study::StageRecord& s) {
  return {{"stage", s.name},
          {"state", std::string(report::to_string(s.state))},
          {"reused", s.reused},
          {"seconds", s.seconds},
          {"detail", s.detail}};
}

json headline_json(const std::vector<report::HeadlineFigure>& figures) {
  json out = json::array();
  for (const auto& f : figures) {
    json row = {{"quantity", f.quantity},
                {"date", f.date},
                {"median", f.median},
                {"q05", f.q05},
                {"q95", f.q95}};
    row["prior"] = f.prior_q05 && f.prior_q95 ? json{*f.prior_q05, *f.prior_q95} : json(nullptr);
    out.push_back(row);
  }
  return out;
}

// Failures and distrust decide the exit status; each is said on stderr, naming the stage.
void conclude(Context& ctx, const study::RunSummary& summary) {
  for (const auto& s : summary.stages) {
    if (s.state == report::StageState::failed)
      std::fputs(fmt::format("recount: error: stage {}: {}\n", s.name, s.detail).c_str(), stderr);
    else if (s.state == report::StageState::untrusted)
      untrusted(ctx, fmt::format("stage {}: {}", s.name, s.detail));
  }
  const int code = summary.exit_code();
  if (code != 0) ctx.status = code;
}

void run_command(Context& ctx, const StudyArgs& args) {
  const study::Study s = study::load_study(args.folder);
  study::RunOptions options;
  options.force = args.force;
  options.show_names = args.show_names;
  options.version = RECOUNT_VERSION;
  const study::StudyRun run = study::run_study(s, options);
  if (ctx.json) {
    json stages = json::array();
    for (const auto& st : run.summary.stages)
      stages.push_back(stage_json(st));
    print_json({{"study", args.folder},
                {"stages", stages},
                {"headline", headline_json(run.headline)},
                {"report", run.report.empty() ? json(nullptr) : json(run.report.generic_string())},
                {"exit", run.summary.exit_code()}});
  } else {
    TextTable stages({"stage", "result", "time", "detail"});
    for (const auto& st : run.summary.stages)
      stages.add_row({st.name, state_word(st),
                      st.reused ? std::string("-") : fmt::format("{:.1f} s", st.seconds),
                      st.detail});
    std::cout << stages.str() << '\n';
    if (!run.headline.empty()) {
      std::cout << "Headline (as of the week ending " << run.headline.front().date
                << "; median, 90% interval, prior alone):\n";
      TextTable headline({"quantity", "median", "90% interval", "prior alone"});
      for (const auto& f : run.headline)
        headline.add_row({f.quantity, format_number(f.median),
                          format_number(f.q05) + " - " + format_number(f.q95),
                          f.prior_q05 && f.prior_q95
                              ? format_number(*f.prior_q05) + " - " + format_number(*f.prior_q95)
                              : std::string("-")});
      std::cout << headline.str() << '\n';
    } else {
      std::cout << "No headline: the synthesis did not run.\n";
    }
    if (!run.report.empty()) std::cout << "Report: " << run.report.generic_string() << '\n';
  }
  conclude(ctx, run.summary);
}

void init_command(Context& ctx, const StudyArgs& args) {
  const fs::path folder(args.folder);
  const fs::path file = folder / study::study_file_name;
  std::error_code ec;
  if (fs::exists(file, ec))
    throw bad_input(Location{.file = file.generic_string()},
                    "a study is already here; `recount init` never overwrites one");
  fs::create_directories(folder, ec);
  if (ec)
    throw bad_input(Location{.file = folder.generic_string()},
                    "cannot create the folder: " + ec.message());
  const std::string title =
      args.title.empty() ? fs::absolute(folder).lexically_normal().filename().string() : args.title;
  for (const auto& [name, text] : study::starter_files(title))
    if (!fs::exists(folder / name, ec)) write_file(folder / name, text);
  if (ctx.json)
    print_json({{"study", folder.generic_string()}, {"file", file.generic_string()}});
  else
    std::cout << "Wrote " << file.generic_string()
              << " with an invented model, claims and sources that run as they are: replace them "
                 "with your own, then `recount run "
              << folder.generic_string() << "`.\n";
}

// Writes the report again from the results already in STUDY/out/, without running any stage.
void report_command(Context& ctx, const StudyArgs& args) {
  const study::Study s = study::load_study(args.folder);
  study::RunOptions options;
  options.show_names = args.show_names;
  options.version = RECOUNT_VERSION;
  const fs::path out = study::rewrite_report(s, options, args.out);
  if (ctx.json)
    print_json({{"report", out.generic_string()}});
  else
    std::cout << "Report: " << out.generic_string() << '\n';
}

}  // namespace

void add_study_commands(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<StudyArgs>();

  CLI::App* run =
      app.add_subcommand("run",
                         "Run a study: ledger, extraction, linkage, MSE, synthesis, report "
                         "(only the stages whose inputs changed)");
  run->add_option("study", args->folder, "The study folder (with recount.toml)")->required();
  run->add_flag("--force", args->force, "Run every stage, changed or not");
  run->add_flag("--show-names", args->show_names,
                "Show the names of people on the lists in the report");
  run->callback([&ctx, args] { run_command(ctx, *args); });

  CLI::App* init =
      app.add_subcommand("init", "Write a commented starting study (recount.toml) in a folder");
  init->add_option("study", args->folder, "The study folder (created if missing)")->required();
  init->add_option("--title", args->title, "The study's title (default: the folder's name)");
  init->callback([&ctx, args] { init_command(ctx, *args); });

  CLI::App* rep = app.add_subcommand(
      "report", "Write a study's report again from its results, running nothing");
  rep->add_option("study", args->folder, "The study folder")->required();
  rep->add_flag("--show-names", args->show_names, "Show the names of people on the lists");
  rep->add_option("--out", args->out,
                  "Where to write the HTML (default STUDY/out/report/report.html)");
  rep->callback([&ctx, args] { report_command(ctx, *args); });
}

}  // namespace recount::cli
