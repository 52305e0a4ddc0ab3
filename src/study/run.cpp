#include "recount/study/run.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "recount/core/hash.hpp"
#include "recount/core/json_fields.hpp"
#include "recount/core/progress.hpp"
#include "recount/core/text.hpp"
#include "recount/evidence/claims_csv.hpp"
#include "recount/mse/captures_io.hpp"
#include "recount/mse/dispatch.hpp"
#include "recount/mse/linkage_uncertainty.hpp"
#include "recount/synthesis/model.hpp"
#include "stages.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace recount::study {

namespace detail {

void require_study_file(const fs::path& path, std::string_view what) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    throw bad_input(Location{.file = path.generic_string()},
                    fmt::format("the study names this {}, but it is not there", what));
}

std::vector<Claim> read_claims_file(const fs::path& path, const Vocabulary& vocabulary) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return {};
  return read_claims_csv(path, &vocabulary);
}

json read_json_file(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return nullptr;
  try {
    return json::parse(read_file(path));
  } catch (const json::exception& e) {
    throw bad_input(Location{.file = path.generic_string()},
                    fmt::format("not valid JSON: {}", e.what()));
  }
}

json vocabulary_json(const Vocabulary& vocabulary) {
  json populations = json::object();
  for (const auto& p : vocabulary.populations)
    populations[p.id] = p.within;
  json measures = json::object();
  for (const auto& m : vocabulary.measures)
    measures[std::string(to_string(m.measure))] =
        m.kind == MeasureKind::level ? "level" : "counter";
  return {{"populations", populations}, {"measures", measures}};
}

void hand_on_claims(const Study& study, StageResults& results, const std::string& record,
                    std::vector<Claim> claims, bool with_review) {
  write_file(study.out() / record, write_claims_csv(claims, with_review));
  results.claims[record] = std::move(claims);
}

std::vector<Claim> stage_claims(const Study& study, const StageResults& results,
                                const std::string& record) {
  if (const auto it = results.claims.find(record); it != results.claims.end()) return it->second;
  return read_claims_file(study.out() / record, study.vocabulary);
}

std::shared_ptr<const StudyModel> read_study_model(const Study& study) {
  if (!study.model) return nullptr;
  auto read = std::make_shared<StudyModel>();
  try {
    const fs::path path = study.path(study.model->file);
    require_study_file(path, "model file");
    read->model = synthesis::read_model(path, &study.vocabulary);
  } catch (const Error& e) {
    read->error = e;
  }
  return read;
}

fs::path captures_path(const Study& study, const ListSet& set) {
  if (!set.captures.empty()) return study.path(set.captures);
  return study.out() / "linkage" / set.name / "captures.csv";
}

std::optional<std::vector<mse::CaptureTable>> list_captures(const Study& study,
                                                            const ListSet& set) {
  const fs::path path = captures_path(study, set);
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  return mse::read_captures(path);
}

mse::LinkageDrawTables list_linkage_draws(const Study& study, const ListSet& set,
                                          const std::vector<mse::CaptureTable>& tables) {
  const fs::path path = linkage_draws_path(study, set);
  std::error_code ec;
  if (path.empty() || !fs::is_regular_file(path, ec)) return {};
  return mse::read_linkage_draws(path, tables.front().lists);
}

std::string mse_stage_name(const ListSet& set) {
  return "mse/" + set.name;
}

nlohmann::json estimate_target_json(const EstimateTarget& target) {
  return {{"measure", to_string(target.measure)},
          {"population", target.population},
          {"as_of", target.as_of.iso()},
          {"source", target.source},
          {"kind", to_string(target.kind)}};
}

fs::path linkage_draws_path(const Study& study, const ListSet& set) {
  if (!set.captures.empty() || set.linkage_draws == 0) return {};
  return study.out() / "linkage" / set.name / "draws.csv";
}

}  // namespace detail

namespace {

using detail::read_json_file;

// Claims CSVs named by the study: every claim not rejected enters the synthesis.
Stage claims_stage(const Study& study, const std::vector<std::string>& ledger_stages,
                   const std::shared_ptr<StageResults>& results) {
  Stage stage;
  stage.name = "claims";
  stage.after = ledger_stages;
  for (const auto& c : study.claims)
    stage.inputs.push_back(study.path(c));
  stage.options = {{"vocabulary", detail::vocabulary_json(study.vocabulary)}};
  stage.run = [&study, ledger_stages, results](const fs::path&, const RunSummary&) {
    std::vector<Claim> all;
    std::map<std::string, std::string> origin;  // id -> file
    auto add = [&](std::vector<Claim> claims, const std::string& file) {
      for (auto& c : claims) {
        if (const auto it = origin.find(c.id); it != origin.end())
          throw bad_input(
              Location{.file = file, .key = "id"},
              fmt::format("claim id `{}` is also in {}: ids must be unique across the study", c.id,
                          it->second));
        origin[c.id] = file;
        all.push_back(std::move(c));
      }
    };
    for (const auto& name : ledger_stages)
      add(detail::stage_claims(study, *results, name + "/claims.csv"), "recount.db");
    for (const auto& c : study.claims) {
      detail::require_study_file(study.path(c), "claims file");
      add(read_claims_csv(study.path(c), &study.vocabulary), c);
    }
    std::vector<Claim> evidence;
    for (const auto& c : all) {
      const bool from_ledger = origin[c.id] == "recount.db";
      const bool usable =
          from_ledger ? (c.status == ReviewStatus::accepted || c.status == ReviewStatus::edited)
                      : c.status != ReviewStatus::rejected;
      if (usable) evidence.push_back(c);
    }
    const std::string summary =
        fmt::format("{} claims, {} usable as evidence", all.size(), evidence.size());
    detail::hand_on_claims(study, *results, "claims/all.csv", std::move(all), true);
    detail::hand_on_claims(study, *results, "claims/evidence.csv", std::move(evidence), true);
    return StageOutcome{StageState::ok, summary};
  };
  return stage;
}

// What a list set's claim takes: the chosen method's estimate, and the interval with linkage
// uncertainty unless the study chose the best linkage's or there is none (then `why` says so).
struct ListEvidenceChoice {
  std::size_t index = 0;  // of the method's estimate
  const mse::MethodEstimate* estimate = nullptr;
  EvidenceInterval interval = EvidenceInterval::best_linkage;
  std::optional<double> lower, upper;
  double level = 0.95;
  std::string why;  // why the best linkage's interval, when the study asked for the other
};

std::optional<ListEvidenceChoice> choose_list_evidence(
    const ListSet& set, const std::vector<mse::MethodEstimate>& estimates) {
  if (!set.evidence || set.demonstration) return std::nullopt;
  ListEvidenceChoice c;
  for (std::size_t i = 0; i < estimates.size() && !c.estimate; ++i)
    if (set.evidence->method.empty() || estimates[i].method == set.evidence->method) {
      c.index = i;
      c.estimate = &estimates[i];
    }
  if (!c.estimate) return std::nullopt;
  const auto& with = c.estimate->with_linkage_uncertainty;
  if (set.evidence->interval == EvidenceInterval::with_linkage_uncertainty) {
    if (with && with->lower && with->upper) {
      c.interval = EvidenceInterval::with_linkage_uncertainty;
      c.lower = with->lower;
      c.upper = with->upper;
      c.level = with->level;
      return c;
    }
    c.why = with ? "the estimate with linkage uncertainty has no interval"
                 : "the list set has no linkage draws";
  }
  c.lower = c.estimate->total.lower;
  c.upper = c.estimate->total.upper;
  c.level = c.estimate->total.level;
  return c;
}

// The claim a choice becomes, through claim_from_estimate; nullopt when its interval is open.
std::optional<Claim> claim_of_choice(const ListSet& set, const ListEvidenceChoice& c) {
  if (!c.lower || !c.upper) return std::nullopt;
  const std::string interval =
      c.interval == EvidenceInterval::with_linkage_uncertainty
          ? fmt::format("{} interval with linkage uncertainty, {} linkage draws", c.level,
                        c.estimate->with_linkage_uncertainty->draws)
          : fmt::format("{} interval of the best linkage{}", c.level,
                        c.why.empty() ? "" : " (" + c.why + ")");
  return claim_from_estimate(
      set.evidence->target, *c.lower, *c.upper, "mse-" + set.name,
      "out/mse/" + set.name + "/estimates.json",
      fmt::format("multiple systems estimate ({}, {}) from the lists of `{}`", c.estimate->method,
                  interval, set.name));
}

Stage mse_stage(const Study& study, const ListSet& set,
                const std::shared_ptr<StageResults>& results) {
  Stage stage;
  stage.name = detail::mse_stage_name(set);
  if (set.captures.empty())
    stage.after.push_back("linkage/" + set.name);
  else
    stage.inputs.push_back(study.path(set.captures));
  stage.options = {{"methods", set.methods}, {"seed", study.seed}};
  if (std::find(set.methods.begin(), set.methods.end(), "lcmcr") != set.methods.end())
    stage.options["lcmcr"] = {{"chains", set.lcmcr.chains},
                              {"classes", set.lcmcr.classes},
                              {"burnin", set.lcmcr.burnin},
                              {"samples", set.lcmcr.samples},
                              {"thin", set.lcmcr.thin}};
  if (set.evidence) {
    stage.options["evidence"] = detail::estimate_target_json(set.evidence->target);
    stage.options["evidence"]["method"] = set.evidence->method;
    stage.options["evidence"]["interval"] = to_string(set.evidence->interval);
  }
  stage.run = [&study, &set, results](const fs::path& out, const RunSummary&) {
    const auto tables = detail::list_captures(study, set);
    if (!tables) {
      const fs::path captures = detail::captures_path(study, set);
      throw bad_input(Location{.file = captures.generic_string()},
                      "the captures table is not there");
    }
    const mse::LinkageDrawTables draws = detail::list_linkage_draws(study, set, *tables);
    mse::MethodOptions options;
    options.lcmcr = set.lcmcr;
    options.lcmcr.seed = study.seed;
    options.lcmcr.progress = progress_enabled();
    std::vector<mse::MethodEstimate> estimates;
    std::vector<std::string> untrusted;
    for (const auto& method : set.methods) {
      note(
          fmt::format("stage mse/{}: {}{}", set.name, method,
                      draws.empty() ? "" : fmt::format(", and on {} linkage draws", draws.size())));
      estimates.push_back(mse::estimate_method(*tables, method, options, draws));
      const mse::MseResult& result = estimates.back().total;
      if (!result.trusted) {
        std::string why = method;
        for (const auto& w : result.warnings) {
          why += why == method ? ": " : "; ";
          why += w;
        }
        untrusted.push_back(why);
      }
      if (const auto& with = estimates.back().with_linkage_uncertainty; with && !with->trusted)
        untrusted.push_back(fmt::format("{} with linkage uncertainty: {}", method,
                                        fmt::join(with->warnings, "; ")));
    }
    std::vector<report::ListEstimate> handed;
    for (const auto& e : estimates)
      handed.push_back({e, ""});
    StageOutcome outcome;
    if (set.evidence) {
      const auto choice = choose_list_evidence(set, estimates);
      if (const auto claim = choice ? claim_of_choice(set, *choice) : std::nullopt) {
        detail::hand_on_claims(study, *results, detail::mse_stage_name(set) + "/evidence.csv",
                               {*claim}, false);
        handed[choice->index].entered_synthesis = to_string(choice->interval);
      } else {
        untrusted.push_back("the estimate has no interval, so it cannot enter the synthesis");
      }
    }
    json record = json::array();
    for (const auto& e : handed) {
      record.push_back(e.estimate.json());
      if (!e.entered_synthesis.empty()) record.back()["entered_synthesis"] = e.entered_synthesis;
    }
    write_file(out / "estimates.json", record.dump(2) + "\n");
    results->estimates[set.name] = std::move(handed);
    outcome.detail =
        !draws.empty()
            ? fmt::format("{} linkage draws", draws.size())
            : (set.captures.empty() ? "no linkage draws (linkage_draws = 0)"
                                    : "no linkage draws: the captures table was given already "
                                      "linked");
    if (!untrusted.empty()) {
      outcome.state = StageState::untrusted;
      for (const auto& u : untrusted)
        outcome.detail += " | " + u;
    }
    return outcome;
  };
  return stage;
}

// A list set's MSE estimates: those its stage handed on in this run, else out/'s record of the
// last run; none when it never ran.
std::vector<report::ListEstimate> list_estimates(const Study& study, const ListSet& set,
                                                 const StageResults& results) {
  if (const auto it = results.estimates.find(set.name); it != results.estimates.end())
    return it->second;
  const fs::path file = study.out() / "mse" / set.name / "estimates.json";
  const json record = read_json_file(file);
  std::vector<report::ListEstimate> out;
  if (record.is_null()) return out;
  for (const JsonFields& e : JsonFields::list(record, file.generic_string(), "estimates"))
    out.push_back({mse::method_estimate_from_json(e), e.string("entered_synthesis")});
  return out;
}

Stage report_stage(const Study& study, const RunOptions& options, const StudyPlan* plan) {
  Stage stage;
  stage.name = "report";
  stage.despite_failures = true;
  for (const auto& s : plan->stages)
    stage.after.push_back(s.name);
  stage.inputs.push_back(study.root / study_file_name);
  if (study.model) stage.inputs.push_back(study.path(study.model->file));
  stage.options = {{"show_names", options.show_names}, {"version", options.version}};
  stage.run = [&study, options, plan](const fs::path& out, const RunSummary& so_far) {
    const report::ReportInput input = collect_report_input(study, *plan, so_far, options);
    write_file(out / "report.html",
               report::render_html(input, report::ReportOptions{options.show_names}));
    return StageOutcome{};
  };
  return stage;
}

}  // namespace

std::optional<Claim> estimate_claim(const ListSet& set,
                                    const std::vector<mse::MethodEstimate>& estimates) {
  const auto choice = choose_list_evidence(set, estimates);
  if (!choice) return std::nullopt;
  return claim_of_choice(set, *choice);
}

StudyPlan plan_study(const Study& study) {
  StudyPlan plan;
  plan.model = detail::read_study_model(study);
  std::vector<Stage>& stages = plan.stages;
  detail::add_ledger_stage(study, plan.results, stages);
  // The claims stage reads the ledger's claims from the stage that fills it.
  std::vector<std::string> ledger_stages;
  if (!study.reports.empty()) ledger_stages.push_back("ledger");
  stages.push_back(claims_stage(study, ledger_stages, plan.results));
  for (const auto& set : study.lists) {
    detail::add_linkage_stage(study, set, stages);
    stages.push_back(mse_stage(study, set, plan.results));
  }
  for (const auto& set : study.excess)
    detail::add_excess_stage(study, set, plan.results, stages);
  detail::add_synthesis_stage(study, plan.model, plan.results, stages);
  return plan;
}

StudyRun run_study(const Study& study, const RunOptions& options) {
  // The report stage reads the plan of the others, which must outlive the run.
  const auto plan = std::make_shared<const StudyPlan>(plan_study(study));
  std::vector<Stage> all = plan->stages;
  all.push_back(report_stage(study, options, plan.get()));
  StudyRun run;
  run.summary = run_stages(all, study.out(), options.force);
  const fs::path report = study.out() / "report" / "report.html";
  std::error_code ec;
  if (fs::is_regular_file(report, ec)) run.report = report;
  if (run.summary.find("synthesis") && run.summary.find("synthesis")->state == StageState::failed)
    return run;
  const auto fit = detail::synthesis_summary(study, *plan->results, false);
  if (fit) {
    const auto prior = detail::synthesis_summary(study, *plan->results, true);
    const synthesis::Model* model =
        plan->model && plan->model->model ? &*plan->model->model : nullptr;
    const report::Layout layout =
        report::derive_layout(study.report, study.vocabulary, model, &*fit);
    run.headline =
        report::headline(&*fit, prior ? &*prior : nullptr,
                         study.model ? study.model->until : std::nullopt, layout.headline);
  }
  return run;
}

report::ReportInput collect_report_input(const Study& study, const StudyPlan& plan,
                                         const RunSummary& summary, const RunOptions& options) {
  const std::vector<Stage>& stages = plan.stages;
  report::ReportInput in;
  in.title = study.title;
  in.summary = study.summary;
  in.version = options.version;
  if (study.model) in.as_of = study.model->until;
  for (const auto& s : stages) {
    const StageRecord* r = summary.find(s.name);
    in.stages.push_back(
        {s.name, r ? r->state : StageState::not_run, r ? r->detail : std::string("not run yet")});
  }
  in.claims = detail::stage_claims(study, *plan.results, "claims/all.csv");
  if (plan.results->documents) {
    in.documents = *plan.results->documents;
  } else if (const json documents = read_json_file(study.out() / "ledger" / "documents.json");
             documents.is_object()) {
    for (const auto& [id, text] : documents.items())
      if (text.is_string()) in.documents[id] = text.get<std::string>();
  }
  in.fit = detail::synthesis_summary(study, *plan.results, false);
  in.prior = detail::synthesis_summary(study, *plan.results, true);
  for (const auto& set : study.lists) {
    report::ListSetSection section;
    section.name = set.name;
    section.demonstration = set.demonstration;
    try {
      if (auto tables = detail::list_captures(study, set)) {
        if (tables->size() == 1) {
          section.captures = std::move(tables->front());
        } else if (!tables->empty()) {
          mse::CaptureTable total = tables->front();
          for (std::size_t t = 1; t < tables->size(); ++t)
            for (std::size_t p = 0; p < total.counts.size(); ++p)
              total.counts[p] += (*tables)[t].counts[p];
          total.stratum.clear();
          section.captures = std::move(total);
        }
      }
    } catch (const Error&) {
      // The mse stage reports the broken table; the overlaps chart is left out.
    }
    section.estimates = list_estimates(study, set, *plan.results);
    section.linkage = read_json_file(study.out() / "linkage" / set.name / "summary.json");
    const json sweep = read_json_file(study.out() / "linkage" / set.name / "sweep.json");
    if (sweep.is_array()) section.threshold_sweep = sweep;
    if (options.show_names) section.entities = detail::linked_entities(study, set);
    if (!set.captures.empty())
      section.no_linkage_draws =
          "No linkage draws: the study gives these lists' captures table already linked, so the "
          "estimates take its linkage as certain.";
    else if (set.linkage_draws == 0)
      section.no_linkage_draws =
          "No linkage draws (linkage_draws = 0): the estimates take the best linkage as certain.";
    if (set.demonstration)
      section.evidence = "Kept out of the synthesis.";
    else if (set.evidence) {
      section.evidence = fmt::format(
          "Enters the synthesis as one more claim: {} {} as of {}, under the source name \"{}\", "
          "{}, {}.",
          set.evidence->target.population, to_string(set.evidence->target.measure),
          set.evidence->target.as_of.iso(), set.evidence->target.source,
          set.evidence->target.kind == ClaimKind::range ? "its interval as a range"
                                                        : "at least its interval's lower end",
          set.evidence->interval == EvidenceInterval::with_linkage_uncertainty
              ? "the interval with linkage uncertainty where there are linkage draws"
              : "the interval of the best linkage (the study's choice)");
      const auto claims =
          detail::stage_claims(study, *plan.results, detail::mse_stage_name(set) + "/evidence.csv");
      if (!claims.empty()) section.evidence += " It entered as a " + claims.front().note + ".";
    } else
      section.evidence =
          "The study does not say what these lists measure, so the estimate stays out of the "
          "synthesis.";
    in.list_sets.push_back(std::move(section));
  }
  for (const auto& set : study.excess)
    in.excess.push_back(detail::excess_report_section(study, set, *plan.results));
  if (study.model) {
    in.model_file = study.model->file;
    std::error_code ec;
    if (fs::is_regular_file(study.path(study.model->file), ec))
      in.model_toml = read_file(study.path(study.model->file));
    if (plan.model) in.model = plan.model->model;
  }
  in.settings = study.report;
  in.vocabulary = study.vocabulary;
  std::set<std::string> seen{std::string(study_file_name)};
  in.input_hashes.emplace_back(std::string(study_file_name),
                               sha256_file(study.root / study_file_name));
  for (const auto& s : stages)
    for (const auto& input : s.inputs) {
      const std::string rel = fs::relative(input, study.root).generic_string();
      if (!seen.insert(rel).second) continue;
      std::error_code ec;
      in.input_hashes.emplace_back(
          rel, fs::is_regular_file(input, ec) ? sha256_file(input) : std::string("missing"));
    }
  std::sort(in.input_hashes.begin(), in.input_hashes.end());
  in.seeds["study"] = std::to_string(study.seed);
  return in;
}

fs::path rewrite_report(const Study& study, const RunOptions& options, const fs::path& out) {
  const StudyPlan plan = plan_study(study);
  const json state = read_state(study.out());
  RunSummary summary;
  for (const auto& st : plan.stages) {
    StageRecord r;
    r.name = st.name;
    r.reused = true;
    if (!state.contains(st.name)) {
      r.state = StageState::not_run;
      r.detail = "not run yet (`recount run` runs it)";
    } else {
      const std::string word = state[st.name].value("state", "failed");
      r.state = word == "ok"          ? StageState::ok
                : word == "untrusted" ? StageState::untrusted
                : word == "not_run"   ? StageState::not_run
                                      : StageState::failed;
      r.detail = state[st.name].value("detail", "");
    }
    summary.stages.push_back(r);
  }
  const fs::path path = out.empty() ? study.out() / "report" / "report.html" : out;
  fs::create_directories(path.parent_path().empty() ? fs::path(".") : path.parent_path());
  write_file(path, report::render_html(collect_report_input(study, plan, summary, options),
                                       report::ReportOptions{options.show_names}));
  return path;
}

}  // namespace recount::study
