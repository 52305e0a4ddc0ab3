#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "recount/core/csv.hpp"
#include "recount/core/json_fields.hpp"
#include "recount/core/table.hpp"
#include "recount/core/text.hpp"
#include "recount/synthesis/fit.hpp"

namespace recount::synthesis {

namespace {

std::string num(double v) {
  return fmt::format("{:.6g}", v);
}

}  // namespace

nlohmann::json to_json(const Series& s) {
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

nlohmann::json to_json(const Diagnostics& d) {
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

const Series* FitSummary::quantity(std::string_view name) const {
  const auto it = std::lower_bound(quantities.begin(), quantities.end(), name,
                                   [](const Series& s, std::string_view n) { return s.name < n; });
  return it != quantities.end() && it->name == name ? &*it : nullptr;
}

FitSummary summarize(const FitResult& r) {
  FitSummary out;
  out.model_name = r.model_name;
  out.prior_only = r.options.prior_only;
  out.until = r.options.until;
  for (const Series& s : r.series)
    if (s.kind == "quantity") out.quantities.push_back(s);
  std::sort(out.quantities.begin(), out.quantities.end(),
            [](const Series& a, const Series& b) { return a.name < b.name; });
  out.conflicts = r.conflicts;
  out.source_conflicts = r.source_conflicts;
  out.unused = r.evidence.unused;
  out.flags = r.evidence.flags;
  out.diagnostics = r.diagnostics;
  return out;
}

nlohmann::json to_json(const FitSummary& r) {
  nlohmann::json j;
  j["model"] = r.model_name;
  j["prior_only"] = r.prior_only;
  if (r.until) j["until"] = r.until->iso();
  nlohmann::json q = nlohmann::json::object();
  for (const Series& s : r.quantities)
    q[s.name] = to_json(s);
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
  // What the per-source table is, for readers of the JSON.
  j["source_conflicts_method"] =
      "leave-one-source-out: all of a source's claims left out at once (PSIS, moment matching, "
      "then exact refits where Pareto k is too high); p-value: Simes over its claims";
  nlohmann::json u = nlohmann::json::array();
  for (const UnusedClaim& x : r.unused)
    u.push_back({{"id", x.id}, {"reason", x.reason}});
  j["unused"] = u;
  nlohmann::json f = nlohmann::json::array();
  for (const EvidenceFlag& x : r.flags)
    f.push_back({{"ids", x.ids}, {"problem", x.problem}});
  j["flags"] = f;
  j["diagnostics"] = to_json(r.diagnostics);
  return j;
}

nlohmann::json to_json(const FitResult& r) {
  return to_json(summarize(r));
}

FitSummary fit_summary_from_json(const nlohmann::json& j, const std::string& file) {
  const JsonFields doc(j, file);
  FitSummary out;
  out.model_name = doc.string("model");
  out.prior_only = doc.boolean("prior_only");
  out.until = doc.date("until");
  // An object's members come back in name order, the order summarize keeps.
  const JsonFields quantities = doc.object("quantities");
  for (const auto& [name, points] : doc.raw("quantities").items()) {
    Series s;
    s.name = name;
    s.kind = "quantity";
    for (const JsonFields& p : quantities.objects(name)) {
      const std::optional<Date> date = p.date("date");
      if (!date) throw p.error("date", "missing");
      s.points.push_back(
          {*date, p.real("median"), p.real("q05"), p.real("q25"), p.real("q75"), p.real("q95")});
    }
    out.quantities.push_back(std::move(s));
  }
  for (const JsonFields& x : doc.objects("conflicts")) {
    ClaimConflict c;
    c.id = x.string("id");
    c.repeats = x.strings("repeats");
    c.source = x.string("source");
    c.quantity = x.string("quantity");
    const std::optional<Date> date = x.date("date");
    if (!date) throw x.error("date", "missing");
    c.date = *date;
    c.stated = x.string("stated");
    const JsonFields implied = x.object("implied");
    c.implied_median = implied.real("median");
    c.implied_q05 = implied.real("q05");
    c.implied_q95 = implied.real("q95");
    c.p_value = x.real("p_value");
    c.p_adjusted = x.real("p_adjusted");
    c.pareto_k = x.real("pareto_k");
    c.method = x.string("method");
    c.refit_problems = x.string("refit_problems");
    c.credibility = x.real("credibility");
    out.conflicts.push_back(std::move(c));
  }
  for (const JsonFields& x : doc.objects("source_conflicts")) {
    SourceConflict c;
    c.source = x.string("source");
    if (const std::string type = x.string("type"); !type.empty()) {
      const auto t = parse_source_type(type);
      if (!t) throw x.error("type", fmt::format("unknown source type '{}'", type));
      c.type = *t;
    }
    c.claims = x.strings("claims");
    c.p_value = x.real("p_value");
    c.p_adjusted = x.real("p_adjusted");
    c.pareto_k = x.real("pareto_k");
    c.method = x.string("method");
    c.refit_problems = x.string("refit_problems");
    const JsonFields bias = x.object("bias");
    c.bias_median = bias.real("median");
    c.bias_q05 = bias.real("q05");
    c.bias_q95 = bias.real("q95");
    out.source_conflicts.push_back(std::move(c));
  }
  for (const JsonFields& x : doc.objects("unused"))
    out.unused.push_back({x.string("id"), x.string("reason")});
  for (const JsonFields& x : doc.objects("flags"))
    out.flags.push_back({x.strings("ids"), x.string("problem")});
  const JsonFields d = doc.object("diagnostics");
  Diagnostics& g = out.diagnostics;
  g.problems = d.strings("problems");
  g.chains = d.integer("chains");
  g.warmup = d.integer("warmup");
  g.draws = d.integer("draws");
  g.max_rhat = d.real("max_rhat");
  g.worst_parameter = d.string("worst_parameter");
  g.min_ess_bulk = d.real("min_ess_bulk");
  g.min_ess_tail = d.real("min_ess_tail");
  g.divergences = d.integer("divergences");
  g.max_depth_hits = d.integer("max_treedepth_hits");
  g.min_ebfmi = d.real("min_ebfmi");
  g.seconds = d.real("seconds");
  return out;
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
  write_file(dir / "diagnostics.json", to_json(r.diagnostics).dump(2) + "\n");
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
