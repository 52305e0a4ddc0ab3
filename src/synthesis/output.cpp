#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "recount/core/csv.hpp"
#include "recount/core/table.hpp"
#include "recount/core/text.hpp"
#include "recount/synthesis/fit.hpp"

namespace recount::synthesis {

namespace {

std::string num(double v) {
  return fmt::format("{:.6g}", v);
}

nlohmann::json points_json(const Series& s) {
  nlohmann::json a = nlohmann::json::array();
  for (const SeriesPoint& p : s.points)
    a.push_back({{"date", p.date.iso()},
                 {"median", p.median},
                 {"q05", p.q05},
                 {"q25", p.q25},
                 {"q75", p.q75},
                 {"q95", p.q95}});
  return a;
}

nlohmann::json diagnostics_json(const Diagnostics& d) {
  return {{"ok", d.ok()},
          {"problems", d.problems},
          {"chains", d.chains},
          {"warmup", d.warmup},
          {"draws", d.draws},
          {"max_rhat", d.max_rhat},
          {"worst_parameter", d.worst_parameter},
          {"min_ess_bulk", d.min_ess_bulk},
          {"min_ess_tail", d.min_ess_tail},
          {"divergences", d.divergences},
          {"max_treedepth_hits", d.max_depth_hits},
          {"min_ebfmi", d.min_ebfmi},
          {"seconds", d.seconds}};
}

}  // namespace

nlohmann::json to_json(const FitResult& r) {
  nlohmann::json j;
  j["model"] = r.model_name;
  j["prior_only"] = r.options.prior_only;
  if (r.options.until) j["until"] = r.options.until->iso();
  nlohmann::json q = nlohmann::json::object();
  for (const Series& s : r.series)
    if (s.kind == "quantity") q[s.name] = points_json(s);
  j["quantities"] = q;
  nlohmann::json c = nlohmann::json::array();
  for (const ClaimConflict& x : r.conflicts)
    c.push_back({{"id", x.id},
                 {"repeats", x.repeats},
                 {"source", x.source},
                 {"quantity", x.quantity},
                 {"date", x.date.iso()},
                 {"stated", x.stated},
                 {"implied",
                  {{"median", x.implied_median}, {"q05", x.implied_q05}, {"q95", x.implied_q95}}},
                 {"p_value", x.p_value},
                 {"p_adjusted", x.p_adjusted},
                 {"pareto_k", x.pareto_k},
                 {"method", x.method},
                 {"refit_problems", x.refit_problems},
                 {"credibility", x.credibility}});
  j["conflicts"] = c;
  nlohmann::json sc = nlohmann::json::array();
  for (const SourceConflict& x : r.source_conflicts)
    sc.push_back({{"source", x.source},
                  {"type", to_string(x.type)},
                  {"claims", x.claims},
                  {"p_value", x.p_value},
                  {"p_adjusted", x.p_adjusted},
                  {"pareto_k", x.pareto_k},
                  {"method", x.method},
                  {"refit_problems", x.refit_problems},
                  {"bias", {{"median", x.bias_median}, {"q05", x.bias_q05}, {"q95", x.bias_q95}}}});
  j["source_conflicts"] = sc;
  // What the per-source table is, for readers of the JSON (the report among them).
  j["source_conflicts_method"] =
      "leave-one-source-out: all of a source's claims left out at once (PSIS, moment matching, "
      "then exact refits where Pareto k is too high); p-value: Simes over its claims";
  nlohmann::json u = nlohmann::json::array();
  for (const UnusedClaim& x : r.evidence.unused)
    u.push_back({{"id", x.id}, {"reason", x.reason}});
  j["unused"] = u;
  nlohmann::json f = nlohmann::json::array();
  for (const EvidenceFlag& x : r.evidence.flags)
    f.push_back({{"ids", x.ids}, {"problem", x.problem}});
  j["flags"] = f;
  j["diagnostics"] = diagnostics_json(r.diagnostics);
  return j;
}

void write_fit_outputs(const FitResult& r, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  std::string q = csv_line({"series", "kind", "date", "median", "q05", "q25", "q75", "q95"}) + "\n";
  for (const Series& s : r.series)
    for (const SeriesPoint& p : s.points)
      q += csv_line({s.name, s.kind, p.date.iso(), num(p.median), num(p.q05), num(p.q25),
                     num(p.q75), num(p.q95)}) +
           "\n";
  write_file(dir / "quantities.csv", q);
  std::string p = csv_line({"name", "Mean", "MCSE", "StdDev", "5%", "50%", "95%", "ESS_bulk",
                            "ESS_tail", "R_hat"}) +
                  "\n";
  for (const ParameterSummary& s : r.parameters) {
    const mcmc::Summary& m = s.summary;
    p += csv_line({s.name, num(m.mean), num(m.mcse), num(m.sd), num(m.q05), num(m.q50), num(m.q95),
                   num(m.ess_bulk), num(m.ess_tail), num(m.rhat)}) +
         "\n";
  }
  write_file(dir / "parameters.csv", p);
  std::string c = csv_line({"id", "repeats", "source", "quantity", "date", "stated",
                            "implied_median", "implied_q05", "implied_q95", "p_value", "p_adjusted",
                            "pareto_k", "method", "credibility"}) +
                  "\n";
  for (const ClaimConflict& x : r.conflicts) {
    std::string repeats;
    for (const std::string& id : x.repeats) {
      if (!repeats.empty()) repeats += ";";
      repeats += id;
    }
    c += csv_line({x.id, repeats, x.source, x.quantity, x.date.iso(), x.stated,
                   num(x.implied_median), num(x.implied_q05), num(x.implied_q95), num(x.p_value),
                   num(x.p_adjusted), num(x.pareto_k), x.method, num(x.credibility)}) +
         "\n";
  }
  write_file(dir / "conflicts.csv", c);
  std::string s = csv_line({"source", "type", "claims", "p_value", "p_adjusted", "pareto_k",
                            "method", "bias_median", "bias_q05", "bias_q95"}) +
                  "\n";
  for (const SourceConflict& x : r.source_conflicts) {
    std::string ids;
    for (const std::string& id : x.claims) {
      if (!ids.empty()) ids += ";";
      ids += id;
    }
    s += csv_line({x.source, std::string(to_string(x.type)), ids, num(x.p_value), num(x.p_adjusted),
                   num(x.pareto_k), x.method, num(x.bias_median), num(x.bias_q05),
                   num(x.bias_q95)}) +
         "\n";
  }
  write_file(dir / "sources.csv", s);
  std::string u = csv_line({"id", "reason"}) + "\n";
  for (const UnusedClaim& x : r.evidence.unused)
    u += csv_line({x.id, x.reason}) + "\n";
  write_file(dir / "unused.csv", u);
  std::string f = csv_line({"ids", "problem"}) + "\n";
  for (const EvidenceFlag& x : r.evidence.flags) {
    std::string ids;
    for (const std::string& id : x.ids) {
      if (!ids.empty()) ids += ";";
      ids += id;
    }
    f += csv_line({ids, x.problem}) + "\n";
  }
  write_file(dir / "flags.csv", f);
  write_file(dir / "diagnostics.json", diagnostics_json(r.diagnostics).dump(2) + "\n");
  write_file(dir / "summary.json", to_json(r).dump(2) + "\n");
  mcmc::write_draws_csv(dir / "draws.csv", r.samples, r.draw_names, r.draw_transform);
}

std::string fit_report(const FitResult& r) {
  std::string out;
  out += fmt::format(
      "{}{}: {} claims used ({} repeats collapsed), {} unused, {} flagged\n",
      r.model_name.empty() ? "model" : r.model_name, r.options.prior_only ? " (prior only)" : "",
      r.evidence.claims.size(),
      [&] {
        std::size_t n = 0;
        for (const EvidenceClaim& c : r.evidence.claims)
          n += c.repeats.size();
        return n;
      }(),
      r.evidence.unused.size(), r.evidence.flags.size());
  // Quantities by month (the week holding each month's last day), grouped by population.
  std::map<std::string, std::vector<const Series*>> by_population;
  std::vector<std::string> populations;
  for (const Series& s : r.series) {
    if (s.kind != "quantity") continue;
    const std::string pop = s.name.substr(0, s.name.find('.'));
    if (!by_population.contains(pop)) populations.push_back(pop);
    by_population[pop].push_back(&s);
  }
  for (const std::string& pop : populations) {
    const auto& list = by_population[pop];
    std::vector<std::string> headers{"month"};
    for (const Series* s : list)
      headers.push_back(s->name.substr(s->name.find('.') + 1) + " median (90%)");
    TextTable table(headers);
    const auto& points = list.front()->points;
    for (std::size_t t = 0; t < points.size(); ++t) {
      const bool month_end =
          t + 1 == points.size() || points[t + 1].date.month() != points[t].date.month();
      if (!month_end) continue;
      std::vector<std::string> row{
          fmt::format("{:04}-{:02}", points[t].date.year(), points[t].date.month())};
      for (const Series* s : list) {
        const SeriesPoint& p = s->points[t];
        row.push_back(fmt::format("{} ({}-{})", format_number(p.median), format_number(p.q05),
                                  format_number(p.q95)));
      }
      table.add_row(row);
    }
    out += "\n" + pop + "\n" + table.str();
  }
  if (!r.conflicts.empty()) {
    out += "\nclaims, most surprising first (leave-one-out p-value; BH-adjusted):\n";
    TextTable t(
        {"claim", "source", "stated", "as of", "rest implies (90%)", "p", "p adj", "credibility"});
    for (const ClaimConflict& c : r.conflicts)
      t.add_row({c.id, c.source, c.stated, c.date.iso(),
                 fmt::format("{} ({}-{})", format_number(c.implied_median),
                             format_number(c.implied_q05), format_number(c.implied_q95)),
                 fmt::format("{:.3g}", c.p_value), fmt::format("{:.3g}", c.p_adjusted),
                 fmt::format("{:.2f}", c.credibility)});
    out += t.str();
    std::string named;
    for (const ClaimConflict& c : r.conflicts) {
      if (!(c.p_adjusted < 0.1)) continue;  // NaN: a failed refit names nothing
      if (!named.empty()) named += ", ";
      named += c.id;
    }
    out += named.empty() ? "no claim conflicts with the rest at a false discovery rate of 10%\n"
                         : "in conflict with the rest (false discovery rate 10%): " + named + "\n";
  }
  if (!r.source_conflicts.empty()) {
    out += "\nsources, leave-one-source-out (all their claims left out at once):\n";
    TextTable t({"source", "type", "claims", "p", "p adj", "log bias (90%)"});
    for (const SourceConflict& s : r.source_conflicts)
      t.add_row(
          {s.source, std::string(to_string(s.type)), std::to_string(s.claims.size()),
           fmt::format("{:.3g}", s.p_value), fmt::format("{:.3g}", s.p_adjusted),
           fmt::format("{:+.2f} ({:+.2f} to {:+.2f})", s.bias_median, s.bias_q05, s.bias_q95)});
    out += t.str();
  }
  if (!r.evidence.flags.empty()) {
    out += "\nflagged before sampling:\n";
    for (const EvidenceFlag& f : r.evidence.flags)
      out += "  " + f.problem + "\n";
  }
  if (!r.evidence.unused.empty()) {
    out += "\nunused claims:\n";
    for (const UnusedClaim& u : r.evidence.unused)
      out += "  " + u.id + ": " + u.reason + "\n";
  }
  const Diagnostics& d = r.diagnostics;
  out += fmt::format(
      "\ndiagnostics: {} chains x {} draws ({} warm-up), max R-hat {:.3f}, min ESS bulk {:.0f} "
      "tail {:.0f}, "
      "{} divergences, {:.1f} s\n",
      d.chains, d.draws, d.warmup, d.max_rhat, d.min_ess_bulk, d.min_ess_tail, d.divergences,
      d.seconds);
  for (const std::string& p : d.problems)
    out += "NOT TO BE TRUSTED: " + p + "\n";
  return out;
}

}  // namespace recount::synthesis
