// Claims: every figure the study holds, and the sentence it comes from.

#include "sections.hpp"

#include "recount/core/text.hpp"

using nlohmann::json;

namespace recount::report::detail {

namespace {

// The sentence around a claim's span in its document, with the quantity marked.
std::string excerpt(const Claim& claim, const std::map<std::string, std::string>& documents) {
  const auto doc = documents.find(claim.document);
  if (doc != documents.end() && claim.start && claim.end && *claim.start < *claim.end &&
      *claim.end <= doc->second.size()) {
    const std::string& text = doc->second;
    std::size_t from = *claim.start;
    std::size_t to = *claim.end;
    std::size_t begin = from;
    while (begin > 0 && from - begin < 400 && text[begin - 1] != '\n' &&
           !(begin >= 2 &&
             (text[begin - 2] == '.' || text[begin - 2] == '!' || text[begin - 2] == '?') &&
             text[begin - 1] == ' '))
      --begin;
    std::size_t end = to;
    while (end < text.size() && end - to < 400 && text[end] != '\n' &&
           !((text[end] == '.' || text[end] == '!' || text[end] == '?') &&
             (end + 1 == text.size() || text[end + 1] == ' ' || text[end + 1] == '\n')))
      ++end;
    if (end < text.size() && text[end] != '\n') ++end;
    // Keep whole UTF-8 characters at the edges.
    while (begin < from && (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80)
      ++begin;
    while (end > to && end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
      --end;
    return escape(trim(std::string_view(text).substr(begin, from - begin))) +
           (begin < from ? " " : "") + "<mark>" +
           escape(std::string_view(text).substr(from, to - from)) + "</mark>" +
           escape(std::string_view(text).substr(to, end - to));
  }
  return escape(claim.text);
}

}  // namespace

void claims_section(Page& page, const ReportInput& in, const ConflictIndex& conflicts) {
  page.html += "<section id=\"claims\"><h2>Claims</h2>\n";
  if (in.claims.empty()) {
    page.html += "<p class=\"missing\">The study has no claims.</p></section>\n";
    return;
  }
  page.html += fmt::format(
      "<p>{} claims: every figure the study holds, who stated it, how hedged, as of when, and "
      "whether an analyst has reviewed it. Only accepted (or edited) claims and claims from "
      "curated files enter the synthesis.</p>\n",
      in.claims.size());
  page.html +=
      "<div class=\"scroll\"><table "
      "class=\"claims\"><thead><tr><th>id</th><th>source</th><th>type</th>"
      "<th>measure</th><th>population</th><th>states</th><th>as "
      "of</th><th>hedges</th><th>review</th>"
      "<th>evidence</th><th>from</th></tr></thead><tbody>";
  for (const auto& c : in.claims) {
    const std::string status = claim_status(conflicts, c.id);
    std::string source = escape(c.source.empty() ? c.source_org : c.source);
    if (!c.source.empty() && !c.source_org.empty())
      source += " <span class=\"small\">(" + escape(c.source_org) + ")</span>";
    if (!c.via.empty()) source += " <span class=\"small\">via " + escape(c.via) + "</span>";
    std::string hedges;
    for (auto h : c.hedges) {
      if (!hedges.empty()) hedges += ", ";
      hedges += to_string(h);
    }
    std::string from;
    if (!c.text.empty() || in.documents.contains(c.document))
      from = fmt::format("<a href=\"#{}\">sentence</a>", html_id("src", c.id));
    else if (!c.url.empty())
      from = fmt::format("<a href=\"{}\" rel=\"noreferrer\">article</a>", escape(c.url));
    page.html += fmt::format(
        "<tr class=\"{}\" id=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td "
        "class=\"num\">{}</td>"
        "<td class=\"date\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        status == "in conflict" ? "conflict" : "", html_id("claim", c.id), escape(c.id), source,
        c.source_type ? escape(to_string(*c.source_type)) : "—", escape(to_string(c.measure)),
        escape(c.population.empty() ? "—" : c.population), escape(stated(c)),
        c.as_of ? c.as_of->iso() : "—", hedges.empty() ? "—" : escape(hedges),
        escape(to_string(c.status)), escape(status), from);
  }
  page.html += "</tbody></table></div>\n";
  bool any_excerpt = false;
  for (const auto& c : in.claims)
    if (!c.text.empty() || in.documents.contains(c.document)) any_excerpt = true;
  if (any_excerpt) {
    page.html += "<h3>Where each claim comes from</h3><div class=\"excerpts\">";
    for (const auto& c : in.claims) {
      if (c.text.empty() && !in.documents.contains(c.document)) continue;
      page.html += fmt::format(
          "<blockquote id=\"{}\"><p>{}</p><footer><a href=\"#{}\">{}</a> &middot; {}{}</footer>"
          "</blockquote>",
          html_id("src", c.id), excerpt(c, in.documents), html_id("claim", c.id), escape(c.id),
          escape(c.document.empty() ? c.source_org : c.document),
          c.published ? " &middot; " + c.published->iso() : std::string());
    }
    page.html += "</div>\n";
  }
  page.html += "</section>\n";
}

}  // namespace recount::report::detail
