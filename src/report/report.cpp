#include "recount/report/report.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "recount/report/embedded.hpp"
#include "sections.hpp"
#include "style.hpp"

using nlohmann::json;

namespace recount::report {

using detail::escape;
using detail::Page;

std::string_view to_string(StageState state) noexcept {
  switch (state) {
    case StageState::ok:
      return "ok";
    case StageState::untrusted:
      return "not to be trusted";
    case StageState::failed:
      return "failed";
    case StageState::not_run:
      return "did not run";
  }
  return "?";
}

namespace {

void stage_banner(Page& page, const std::vector<StageStatus>& stages) {
  std::vector<const StageStatus*> problems;
  for (const auto& s : stages)
    if (s.state != StageState::ok) problems.push_back(&s);
  if (problems.empty()) return;
  const bool failed = std::any_of(problems.begin(), problems.end(), [](const StageStatus* s) {
    return s->state == StageState::failed || s->state == StageState::untrusted;
  });
  page.html += fmt::format(
      "<aside class=\"banner {}\" id=\"stage-problems\"><strong>{}</strong><ul>",
      failed ? "alarm" : "notice",
      failed ? "Some results are not to be trusted, or missing:" : "Not every stage ran:");
  for (const auto* s : problems)
    page.html += fmt::format("<li><b>{}</b> {}{}{}</li>", escape(s->stage),
                             escape(std::string(to_string(s->state))),
                             s->detail.empty() ? "" : ": ", escape(s->detail));
  page.html += "</ul></aside>\n";
}

void footer(Page& page, const ReportInput& in) {
  page.html += "<footer id=\"reproduce\"><h2>Reproducing this report</h2>";
  page.html += fmt::format(
      "<p>Made by recount {} (plots: {}). Running the same version on the same inputs with the "
      "same seeds gives the same numbers.</p>",
      escape(in.version), escape(web_library_versions()));
  if (!in.seeds.empty()) {
    page.html += "<dl class=\"facts\">";
    for (const auto& [what, seed] : in.seeds)
      page.html += "<dt>seed: " + escape(what) + "</dt><dd><code>" + escape(seed) + "</code></dd>";
    page.html += "</dl>";
  }
  if (!in.input_hashes.empty()) {
    page.html +=
        "<div class=\"scroll\"><table "
        "class=\"hashes\"><thead><tr><th>input</th><th>SHA-256</th></tr></thead><tbody>";
    for (const auto& [path, hash] : in.input_hashes)
      page.html += "<tr><td><code>" + escape(path) + "</code></td><td><code>" + escape(hash) +
                   "</code></td></tr>";
    page.html += "</tbody></table></div>";
  }
  page.html += "</footer>\n";
}

// Embeds every chart, then marks the document so tests (and readers' scripts) know it is done:
// data-charts (how many), data-rendered (how many drew), data-errors (script errors seen).
constexpr const char* kRenderScript = R"js(
(function () {
  var root = document.documentElement;
  var errors = 0;
  function fail(e) { errors += 1; root.setAttribute('data-errors', String(errors)); }
  window.addEventListener('error', fail);
  window.addEventListener('unhandledrejection', fail);
  var specs = JSON.parse(document.getElementById('recount-specs').textContent);
  var ids = Object.keys(specs);
  root.setAttribute('data-charts', String(ids.length));
  root.setAttribute('data-errors', '0');
  var done = 0;
  Promise.all(ids.map(function (id) {
    return vegaEmbed('#' + id, specs[id], { actions: false, renderer: 'svg' }).then(function () {
      done += 1;
      root.setAttribute('data-rendered', String(done));
    }, function (e) {
      fail(e);
      var el = document.getElementById(id);
      el.textContent = 'This chart could not be drawn: ' + e;
      el.className += ' missing';
      console.error(e);
    });
  })).then(function () { root.setAttribute('data-render-done', 'true'); });
})();
)js";

}  // namespace

std::string render_html(const ReportInput& in, const ReportOptions& options) {
  using namespace detail;
  const synthesis::FitSummary* fit = in.fit ? &*in.fit : nullptr;
  const ConflictIndex conflicts = index_conflicts(fit);
  const Layout layout =
      derive_layout(in.settings, in.vocabulary, in.model ? &*in.model : nullptr, fit);
  Page page;
  stage_banner(page, in.stages);
  headline_section(page, in, layout);
  series_section(page, in, layout, conflicts);
  conflicts_section(page, in);
  claims_section(page, in, conflicts);
  lists_section(page, in, options);
  excess_section(page, in, conflicts);
  diagnostics_section(page, in);
  methods_section(page, in);
  footer(page, in);

  std::string out;
  out.reserve(page.html.size() + 900'000);
  out +=
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src "
      "'unsafe-inline' "
      "'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; font-src data:\">\n";
  out += "<title>" + escape(in.title) + "</title>\n<style>\n";
  out += detail::stylesheet();
  out +=
      "</style>\n</head>\n<body>\n<header class=\"title\"><p class=\"kicker\">recount "
      "study</p><h1>" +
      escape(in.title) + "</h1>";
  if (!in.summary.empty()) out += "<p class=\"lede\">" + escape(in.summary) + "</p>";
  out +=
      "<nav><a href=\"#headline\">Headline</a> <a href=\"#series\">Over time</a> <a "
      "href=\"#conflicts\">Conflicts</a> "
      "<a href=\"#claims\">Claims</a> <a href=\"#lists\">Lists</a> ";
  if (!in.excess.empty()) out += "<a href=\"#excess\">Excess mortality</a> ";
  out +=
      "<a href=\"#diagnostics\">Diagnostics</a> "
      "<a href=\"#methods\">Methods</a> <a "
      "href=\"#reproduce\">Reproduce</a></nav></header>\n<main>\n";
  out += page.html;
  out += "</main>\n<script type=\"application/json\" id=\"recount-specs\">";
  out += detail::script_json(page.specs);
  out += "</script>\n<script>";
  out += vega_js();
  out += "</script>\n<script>";
  out += vega_lite_js();
  out += "</script>\n<script>";
  out += vega_embed_js();
  out += "</script>\n<script>";
  out += kRenderScript;
  out += "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace recount::report
