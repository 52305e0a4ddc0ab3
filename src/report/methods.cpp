// Methods: what the model is and how the evidence enters it, written from the model itself.

#include "sections.hpp"

#include <algorithm>
#include <sstream>

#include "recount/core/text.hpp"
#include "recount/core/toml.hpp"

using nlohmann::json;

namespace recount::report::detail {

namespace {

std::string toml_value(const toml::node& node) {
  if (const auto* v = node.as_string()) return std::string(v->get());
  if (const auto* v = node.as_integer()) return std::to_string(v->get());
  if (const auto* v = node.as_floating_point()) return fmt::format("{}", v->get());
  if (const auto* v = node.as_boolean()) return v->get() ? "true" : "false";
  if (const auto* v = node.as_date())
    return fmt::format("{:04}-{:02}-{:02}", v->get().year, v->get().month, v->get().day);
  if (const auto* arr = node.as_array()) {
    std::string out = "[";
    for (const auto& item : *arr) {
      if (out.size() > 1) out += ", ";
      out += toml_value(item);
    }
    return out + "]";
  }
  if (const auto* t = node.as_table()) {
    std::string out = "{";
    for (const auto& [k, v] : *t) {
      if (out.size() > 1) out += ", ";
      out += std::string(k.str()) + " = " + toml_value(v);
    }
    return out + "}";
  }
  std::ostringstream text;  // times and date-times, as TOML writes them
  node.visit([&](const auto& n) { text << n; });
  return text.str();
}

// The comment lines right under each [table] header: the model file's reasons and citations.
std::map<std::string, std::string> header_comments(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  std::string current;
  bool open = false;
  while (std::getline(in, line)) {
    const std::string_view t = trim(line);
    if (t.size() > 2 && t.front() == '[' && t.back() == ']' && t[1] != '[') {
      current = std::string(t.substr(1, t.size() - 2));
      open = true;
    } else if (open && !t.empty() && t.front() == '#') {
      auto& note = out[current];
      if (!note.empty()) note += ' ';
      note += trim(t.substr(1));
    } else if (!t.empty()) {
      open = false;
    }
  }
  return out;
}

// Flattens a table into "key" / "sub.key" -> value text.
void flatten(const toml::table& table, const std::string& prefix,
             std::vector<std::pair<std::string, std::string>>& out) {
  for (const auto& [k, node] : table) {
    const std::string key =
        prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const auto* sub = node.as_table())
      flatten(*sub, key, out);
    else
      out.emplace_back(key, toml_value(node));
  }
}

// The model file as tables: scalars as a list; a table of named tables ([flows.x], [flows.y]) as
// one table with a row each and the comment under its header as its note.
void model_tables(Page& page, const toml::table& table, const std::string& prefix,
                  const std::map<std::string, std::string>& notes) {
  std::string scalars;
  for (const auto& [key, node] : table) {
    if (node.is_table() || node.is_array_of_tables()) continue;
    scalars += "<dt>" + escape(std::string(key.str())) + "</dt><dd><code>" +
               escape(toml_value(node)) + "</code></dd>";
  }
  if (!scalars.empty()) page.html += "<dl class=\"facts\">" + scalars + "</dl>";
  for (const auto& [key, node] : table) {
    const std::string name =
        prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    std::vector<std::pair<std::string, const toml::table*>> rows;
    if (const auto* sub = node.as_table()) {
      const bool collection =
          !sub->empty() && std::all_of(sub->begin(), sub->end(),
                                       [](const auto& kv) { return kv.second.is_table(); });
      if (!collection) {
        page.html += "<h4>" + escape(name) + "</h4>";
        if (const auto n = notes.find(name); n != notes.end())
          page.html += "<p class=\"small\">" + escape(n->second) + "</p>";
        model_tables(page, *sub, name, notes);
        continue;
      }
      for (const auto& [k, v] : *sub)
        rows.emplace_back(std::string(k.str()), v.as_table());
    } else if (const auto* arr = node.as_array(); arr && arr->is_array_of_tables()) {
      for (const auto& item : *arr)
        rows.emplace_back(std::string(), item.as_table());
    } else {
      continue;
    }
    std::vector<std::string> columns;
    std::vector<std::vector<std::pair<std::string, std::string>>> cells;
    bool any_note = false;
    for (const auto& [row_name, t] : rows) {
      cells.emplace_back();
      flatten(*t, "", cells.back());
      for (const auto& [c, v] : cells.back())
        if (std::find(columns.begin(), columns.end(), c) == columns.end()) columns.push_back(c);
      if (notes.contains(name + "." + row_name)) any_note = true;
    }
    page.html +=
        "<h4>" + escape(name) + "</h4><div class=\"scroll\"><table class=\"model\"><thead><tr>";
    if (!rows.front().first.empty()) page.html += "<th>name</th>";
    for (const auto& c : columns)
      page.html += "<th>" + escape(c) + "</th>";
    if (any_note) page.html += "<th>why</th>";
    page.html += "</tr></thead><tbody>";
    for (std::size_t r = 0; r < rows.size(); ++r) {
      page.html += "<tr>";
      if (!rows[r].first.empty())
        page.html += "<td><code>" + escape(rows[r].first) + "</code></td>";
      for (const auto& c : columns) {
        const auto it = std::find_if(cells[r].begin(), cells[r].end(),
                                     [&](const auto& kv) { return kv.first == c; });
        page.html +=
            "<td>" +
            (it != cells[r].end() ? "<code>" + escape(it->second) + "</code>" : std::string("—")) +
            "</td>";
      }
      if (any_note) {
        const auto n = notes.find(name + "." + rows[r].first);
        page.html += "<td class=\"note\">" +
                     (n != notes.end() ? escape(n->second) : std::string()) + "</td>";
      }
      page.html += "</tr>";
    }
    page.html += "</tbody></table></div>";
  }
}

std::string code_list(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += "<code>" + escape(names[i]) + "</code>";
  }
  return out;
}

std::string plural(std::size_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string stock_name(const synthesis::Model& model, int index) {
  return index < 0 ? std::string() : model.stocks[static_cast<std::size_t>(index)].name;
}

// One flow in words: where it takes people from and to, and what sets its size.
std::string flow_words(const synthesis::Model& model, const synthesis::Flow& flow) {
  std::string out = "<li><code>" + escape(flow.name) + "</code>: ";
  const std::string from = stock_name(model, flow.from);
  const std::string to = stock_name(model, flow.to);
  out += from.empty() ? std::string("from outside the model")
                      : "from <code>" + escape(from) + "</code>";
  out += to.empty() ? std::string(" out of the model") : " into <code>" + escape(to) + "</code>";
  const auto parameter = [&](int index) {
    const synthesis::Parameter& p = model.parameters[static_cast<std::size_t>(index)];
    return "<code>" + escape(p.name) + "</code>";
  };
  switch (flow.kind) {
    case synthesis::FlowKind::rate:
      out += ", at a rate (people per week) of " + parameter(flow.parameter);
      break;
    case synthesis::FlowKind::hazard:
      out += ", a share per week (hazard) " + parameter(flow.parameter) + " of those in it";
      break;
    case synthesis::FlowKind::delay:
      out += fmt::format(", the survivors of each week's <code>{}</code> {} weeks later",
                         escape(model.flows[static_cast<std::size_t>(flow.cohort_flow)].name),
                         flow.weeks);
      if (flow.until) out += " (cohorts entering from " + flow.until->iso() + " on stay)";
      break;
  }
  return out + "</li>";
}

std::string parameter_words(const synthesis::Parameter& p) {
  std::string out = "<li><code>" + escape(p.name) + "</code>: ";
  switch (p.shape) {
    case synthesis::ParameterShape::constant:
      out += "constant, prior <code>" + escape(p.prior.str()) + "</code>";
      break;
    case synthesis::ParameterShape::piecewise: {
      out += "piecewise constant, ";
      for (std::size_t k = 0; k < p.segment_priors.size(); ++k) {
        if (k > 0) out += fmt::format(", from {} ", p.change_dates[k - 1].iso());
        out += "<code>" + escape(p.segment_priors[k].str()) + "</code>";
      }
      break;
    }
    case synthesis::ParameterShape::random_walk:
      out += fmt::format(
          "a random walk on the log scale with knots every {} weeks, first level <code>{}</code>, "
          "weekly step <code>{}</code>",
          p.knot_weeks, escape(p.prior.str()), escape(p.step.str()));
      break;
  }
  if (p.active_from) out += "; zero before " + p.active_from->iso();
  if (p.active_until) out += "; zero from " + p.active_until->iso();
  return out + "</li>";
}

// The model in words, from the parsed model: its grid, stocks, flows, priors, what claims are
// about and how they enter.
void model_words(Page& page, const synthesis::Model& model, const Vocabulary& vocabulary) {
  std::vector<std::string> stocks;
  for (const auto& s : model.stocks)
    stocks.push_back(s.name);
  page.html += fmt::format(
      "<p>The synthesis is a stock-and-flow model on a weekly grid of {} from {} to {}: people "
      "are held in {} ({}) and move through {}, each week:</p><ul class=\"small\">",
      plural(static_cast<std::size_t>(model.weeks), "week", "weeks"), model.start.iso(),
      model.week_end(model.weeks - 1).iso(), plural(stocks.size(), "stock", "stocks"),
      code_list(stocks), plural(model.flows.size(), "flow", "flows"));
  for (const auto& f : model.flows)
    page.html += flow_words(model, f);
  page.html += "</ul><p>Its parameters and their priors:</p><ul class=\"small\">";
  for (const auto& p : model.parameters)
    page.html += parameter_words(p);
  page.html += "</ul>";
  page.html += fmt::format(
      "<p>Claims are about {}, each the sum of stocks (a level at a date) or the cumulative sum of "
      "flows (a count so far; a rate claim reads the weekly amount):</p><ul class=\"small\">",
      plural(model.quantities.size(), "quantity", "quantities"));
  for (const auto& q : model.quantities) {
    std::vector<std::string> terms;
    for (const int t : q.terms)
      terms.push_back(q.is_stock ? model.stocks[static_cast<std::size_t>(t)].name
                                 : model.flows[static_cast<std::size_t>(t)].name);
    page.html +=
        "<li><code>" + escape(q.name) + "</code> (" + escape(quantity_label(q.name, vocabulary)) +
        "): " + (q.is_stock ? "the level of " : "the count through ") + code_list(terms) + "</li>";
  }
  page.html += "</ul>";
  for (const auto& n : model.nesting)
    page.html += "<p class=\"small\">A claim about <code>" + escape(n.wide) +
                 "</code> bounds <code>" + escape(n.narrow) +
                 "</code>, part of it, softly from above.</p>";
  const synthesis::EvidenceSettings& e = model.evidence;
  page.html += fmt::format(
      "<p>Every published claim is one observation of a model quantity, with a likelihood on the "
      "log scale that follows how it was stated (a figure, a range, a bound, an order of "
      "magnitude): &ldquo;about&rdquo; adds a log-scale spread, prior <code>{}</code>, each "
      "hedge one with prior <code>{}</code> (in quadrature), and an order of magnitude has edges "
      "of softness with prior <code>{}</code>; these spreads are estimated with everything else. "
      "Each source has its own bias and noise, drawn from a prior shared by its type (partial "
      "pooling: sources' biases spread {} around their type's mean, whose prior is "
      "<code>{}</code>; noise spreads {} around the type's, prior <code>{}</code>)",
      escape(e.approximate_sd.str()), escape(e.hedge_sd.str()), escape(e.magnitude_sd.str()),
      e.source_bias_sd, escape(e.type_bias.str()), e.source_noise_spread,
      escape(e.type_noise.str()));
  for (const auto& [type, prior] : e.type_bias_overrides)
    page.html +=
        fmt::format("; the mean bias of <code>{}</code> sources has the prior <code>{}</code>",
                    escape(to_string(type)), escape(prior.str()));
  page.html += fmt::format(
      ". A share of the claims, with prior <code>{}</code>, is unrelated to the truth (outliers, "
      "spread evenly on the log scale; Hogg, Bovy &amp; Lang 2010).</p>\n",
      escape(e.outlier_share.str()));
}

}  // namespace

void methods_section(Page& page, const ReportInput& in) {
  page.html += "<section id=\"methods\"><h2>Methods</h2>\n";
  if (in.model)
    model_words(page, *in.model, in.vocabulary);
  else
    page.html += "<p class=\"missing\">The study names no model, so there is no synthesis.</p>";
  if (in.model)
    page.html +=
        "<p>The posterior is sampled by the No-U-Turn sampler with reverse-mode automatic "
        "differentiation, several chains in parallel. Conflicts are leave-one-out posterior "
        "predictive checks (PSIS-LOO, with exact refits where the Pareto k is high).</p>\n";
  if (!in.list_sets.empty())
    page.html +=
        "<p>Lists of names are linked into people with Fellegi&ndash;Sunter match weights "
        "estimated by EM, and the overlaps feed multiple systems estimation: log-linear models "
        "chosen by an information criterion, Bayesian model averaging over decomposable graphs "
        "(Madigan &amp; York 1997) and the latent-class model of Manrique-Vallier (2016).</p>\n";
  if (in.model_toml.empty()) {
    page.html += "</section>\n";
    return;
  }
  page.html += "<h3>The model file <code>" + escape(in.model_file) + "</code></h3>";
  try {
    const toml::table model = parse_toml(in.model_toml, in.model_file);
    model_tables(page, model, "", header_comments(in.model_toml));
  } catch (const Error& e) {
    page.html +=
        "<p class=\"missing\">The model file could not be read: " + escape(e.what()) + "</p>";
  }
  page.html += "<details><summary>The model file as written</summary><pre>" +
               escape(in.model_toml) + "</pre></details></section>\n";
}

}  // namespace recount::report::detail
