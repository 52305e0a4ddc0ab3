#include "recount/evidence/document.hpp"

#include <algorithm>
#include <cstring>
#include <system_error>

#include <fmt/format.h>
#include <gumbo.h>

#include "document_encoding.hpp"
#include "extract_text.hpp"
#include "recount/core/error.hpp"
#include "recount/core/hash.hpp"
#include "recount/core/progress.hpp"
#include "recount/core/text.hpp"

namespace recount {
namespace {

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

// HTML when the file says so by its name, or starts (after spaces and a byte-order mark) with a
// doctype, an <html>, <head> or <body> tag, or a comment.
bool looks_html(std::string_view bytes, std::string_view origin) {
  const auto dot = origin.rfind('.');
  if (dot != std::string_view::npos) {
    const std::string ext = to_lower_ascii(origin.substr(dot));
    if (ext == ".html" || ext == ".htm" || ext == ".xhtml") return true;
  }
  std::size_t i = 0;
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  while (i < bytes.size() &&
         (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r' || bytes[i] == '\n'))
    ++i;
  const std::string_view rest = bytes.substr(i);
  return starts_with_ci(rest, "<!doctype html") || starts_with_ci(rest, "<html") ||
         starts_with_ci(rest, "<head") || starts_with_ci(rest, "<body") ||
         starts_with_ci(rest, "<!--") || starts_with_ci(rest, "<?xml");
}

bool is_block(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_TIME:
      return true;
    default:
      return false;
  }
}

bool is_dropped(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_FOOTER:
      return true;
    default:
      return false;
  }
}

// Walks the page: text of visible elements, paragraphs between blocks, the title and the
// publication date from <meta> or <time>. Iterative, so deep nesting cannot overflow the stack.
struct PageText {
  std::string text;
  std::string title;
  std::optional<Date> date;
  std::optional<Date> time_date;

  void paragraph() {
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n'))
      text.pop_back();
    if (!text.empty()) text += "\n\n";
  }
  void line() {
    while (!text.empty() && text.back() == ' ')
      text.pop_back();
    if (!text.empty() && text.back() != '\n') text += '\n';
  }
  void append(std::string_view s) {
    for (const char c : s) {
      const bool blank = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
      if (blank) {
        if (!text.empty() && text.back() != ' ' && text.back() != '\n') text += ' ';
      } else {
        text += c;
      }
    }
  }

  void meta(const GumboElement& e) {
    const GumboAttribute* content = gumbo_get_attribute(&e.attributes, "content");
    if (content == nullptr) return;
    for (const char* key : {"property", "name", "itemprop"}) {
      const GumboAttribute* a = gumbo_get_attribute(&e.attributes, key);
      if (a == nullptr) continue;
      const std::string v = to_lower_ascii(a->value);
      if (v == "article:published_time" || v == "datepublished" || v == "date" || v == "pubdate" ||
          v == "og:published_time" || v == "dc.date" || v == "publish-date" ||
          v == "parsely-pub-date" || v == "sailthru.date") {
        if (!date) date = detail::iso_date_prefix(content->value);
      }
    }
  }

  void walk(const GumboNode* root) {
    struct Frame {
      const GumboNode* node;
      unsigned next;
    };
    std::vector<Frame> stack{{root, 0}};
    while (!stack.empty()) {
      Frame& f = stack.back();
      const GumboNode* node = f.node;
      if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_DOCUMENT &&
          node->type != GUMBO_NODE_TEMPLATE) {
        if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
            node->type == GUMBO_NODE_CDATA)
          append(node->v.text.text);
        stack.pop_back();
        continue;
      }
      const GumboVector& children =
          node->type == GUMBO_NODE_DOCUMENT ? node->v.document.children : node->v.element.children;
      if (f.next == 0 && node->type == GUMBO_NODE_ELEMENT) {
        const GumboElement& e = node->v.element;
        if (e.tag == GUMBO_TAG_META) meta(e);
        if (e.tag == GUMBO_TAG_TIME && !time_date) {
          if (const GumboAttribute* a = gumbo_get_attribute(&e.attributes, "datetime"))
            time_date = detail::iso_date_prefix(a->value);
        }
        if (e.tag == GUMBO_TAG_TITLE && title.empty()) {
          for (unsigned k = 0; k < e.children.length; ++k) {
            const auto* c = static_cast<const GumboNode*>(e.children.data[k]);
            if (c->type == GUMBO_NODE_TEXT) title += c->v.text.text;
          }
        }
        if (e.tag == GUMBO_TAG_HEAD) {
          // Only metadata in the head: look for <meta> and <title>, emit no text.
          for (unsigned k = 0; k < e.children.length; ++k) {
            const auto* c = static_cast<const GumboNode*>(e.children.data[k]);
            if (c->type != GUMBO_NODE_ELEMENT) continue;
            if (c->v.element.tag == GUMBO_TAG_META) meta(c->v.element);
            if (c->v.element.tag == GUMBO_TAG_TITLE && title.empty())
              for (unsigned q = 0; q < c->v.element.children.length; ++q) {
                const auto* t = static_cast<const GumboNode*>(c->v.element.children.data[q]);
                if (t->type == GUMBO_NODE_TEXT) title += t->v.text.text;
              }
          }
        }
        if (is_dropped(e.tag) || e.tag == GUMBO_TAG_TITLE) {
          stack.pop_back();
          continue;
        }
        if (e.tag == GUMBO_TAG_BR) line();
        if (is_block(e.tag)) paragraph();
      }
      if (f.next < children.length) {
        const auto* child = static_cast<const GumboNode*>(children.data[f.next]);
        ++f.next;
        stack.push_back({child, 0});
        continue;
      }
      if (node->type == GUMBO_NODE_ELEMENT && is_block(node->v.element.tag)) paragraph();
      stack.pop_back();
    }
    paragraph();
    while (!text.empty() && text.back() == '\n')
      text.pop_back();
  }
};

// How deep the elements of a page nest, roughly (elements that need no end tag are not
// counted). Gumbo takes time quadratic in the depth, so absurd nesting is refused up front.
std::size_t nesting_depth(std::string_view html) {
  static constexpr std::string_view open_ended[] = {
      "br",   "img", "meta",  "link",   "input", "hr",   "wbr", "source",
      "area", "col", "embed", "param",  "track", "base", "p",   "li",
      "td",   "tr",  "th",    "option", "dt",    "dd",   "!"};
  std::size_t depth = 0;
  std::size_t deepest = 0;
  for (std::size_t i = html.find('<'); i != std::string_view::npos; i = html.find('<', i + 1)) {
    if (i + 1 >= html.size()) break;
    if (html[i + 1] == '/') {
      depth -= depth > 0 ? 1 : 0;
      continue;
    }
    std::size_t j = i + 1;
    std::string name;
    while (j < html.size() && name.size() < 12 && html[j] != '>' && html[j] != ' ' &&
           html[j] != '/' && html[j] != '\n') {
      char c = html[j++];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      name += c;
    }
    if (name.empty() || !((name[0] >= 'a' && name[0] <= 'z') || name[0] == '!')) continue;
    bool counted = true;
    for (const auto w : open_ended)
      counted = counted && !(name == w || name[0] == '!');
    const std::size_t close = html.find('>', j);
    if (close != std::string_view::npos && close > 0 && html[close - 1] == '/') counted = false;
    if (counted) deepest = std::max(deepest, ++depth);
  }
  return deepest;
}

std::string first_line(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t j = text.find('\n', i);
    if (j == std::string_view::npos) j = text.size();
    const std::string_view line = trim(text.substr(i, j - i));
    if (!line.empty()) return std::string(line.substr(0, 300));
    i = j + 1;
  }
  return {};
}

}  // namespace

Document make_document(std::string bytes, std::string origin) {
  const Location where{.file = origin};
  if (bytes.size() > max_document_bytes)
    throw bad_input(where,
                    fmt::format("is {} bytes, larger than the limit of {} bytes for a report",
                                bytes.size(), max_document_bytes));
  if (looks_binary(bytes)) throw bad_input(where, "is a binary file, not a text or HTML report");
  Document doc;
  doc.id = sha256_hex(bytes);
  if (const auto bad = first_invalid_utf8(bytes)) {
    auto transcoded = detail::transcode_cyrillic(bytes);
    if (!transcoded) {
      Location at = where;
      at.offset = *bad;
      throw bad_input(at,
                      "is not valid UTF-8, nor Windows-1251 or KOI8-R Cyrillic (re-save the "
                      "report as UTF-8)");
    }
    note(fmt::format("{}: read as {} and transcoded to UTF-8", origin, transcoded->charset));
    bytes = std::move(transcoded->text);
  }
  doc.origin = std::move(origin);
  if (looks_html(bytes, doc.origin)) {
    doc.format = "html";
    constexpr std::size_t max_depth = 1000;
    if (const std::size_t depth = nesting_depth(bytes); depth > max_depth)
      throw bad_input(where, fmt::format("HTML elements nest {} deep, more than the {} a page "
                                         "can reasonably have",
                                         depth, max_depth));
    GumboOutput* out = gumbo_parse_with_options(&kGumboDefaultOptions, bytes.data(), bytes.size());
    PageText page;
    page.walk(out->document);
    gumbo_destroy_output(&kGumboDefaultOptions, out);
    doc.text = std::move(page.text);
    doc.title = std::string(trim(page.title));
    doc.date = page.date ? page.date : page.time_date;
    if (doc.title.empty()) doc.title = first_line(doc.text);
  } else {
    doc.format = "text";
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.erase(0, 3);
    doc.text = std::move(bytes);
    doc.title = first_line(doc.text);
  }
  if (!doc.date) doc.date = detail::find_dateline(doc.text);
  return doc;
}

Document load_document(const std::filesystem::path& path) {
  if (path != "-") {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > max_document_bytes)
      throw bad_input(Location{.file = path.string()},
                      fmt::format("is {} bytes, larger than the limit of {} bytes for a report",
                                  size, max_document_bytes));
  }
  return make_document(read_file(path), path.string());
}

}  // namespace recount
