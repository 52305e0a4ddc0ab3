#include "recount/evidence/claim.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "recount/core/error.hpp"
#include "recount/core/json_fields.hpp"
#include "recount/evidence/vocabulary.hpp"

namespace recount {

namespace {

constexpr std::array<std::string_view, 6> kKinds{"point",    "approximate", "range",
                                                 "at_least", "at_most",     "magnitude"};
constexpr std::array<std::string_view, 5> kRates{"", "day", "week", "month", "year"};
constexpr std::array<std::string_view, 6> kSourceTypes{"ngo",
                                                       "data_journalism",
                                                       "media",
                                                       "belligerent_official",
                                                       "third_party_government",
                                                       "interested_actor"};
constexpr std::array<std::string_view, 6> kHedges{"reportedly", "estimate",   "might",
                                                  "likely",     "unverified", "claimed"};
constexpr std::array<std::string_view, 4> kStatuses{"proposed", "accepted", "rejected", "edited"};

template <typename E, std::size_t N>
std::optional<E> lookup(const std::array<std::string_view, N>& names, std::string_view s) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == s) return static_cast<E>(i);
  return std::nullopt;
}

template <std::size_t N>
std::vector<std::string_view> as_vector(const std::array<std::string_view, N>& names) {
  return {names.begin(), names.end()};
}

}  // namespace

std::string_view to_string(const Measure& m) noexcept {
  return m.id();
}
std::string_view to_string(ClaimKind k) noexcept {
  return kKinds[static_cast<std::size_t>(k)];
}
std::string_view to_string(Rate r) noexcept {
  return kRates[static_cast<std::size_t>(r)];
}
std::string_view to_string(SourceType t) noexcept {
  return kSourceTypes[static_cast<std::size_t>(t)];
}
std::string_view to_string(Hedge h) noexcept {
  return kHedges[static_cast<std::size_t>(h)];
}
std::string_view to_string(ReviewStatus s) noexcept {
  return kStatuses[static_cast<std::size_t>(s)];
}

std::optional<Measure> parse_measure(std::string_view s) {
  if (s == "other") return Measure();
  for (const auto& t : builtin_measures())
    if (t.measure.id() == s) return t.measure;
  return std::nullopt;
}
std::optional<ClaimKind> parse_claim_kind(std::string_view s) noexcept {
  return lookup<ClaimKind>(kKinds, s);
}
std::optional<Rate> parse_rate(std::string_view s) noexcept {
  return lookup<Rate>(kRates, s);
}
std::optional<SourceType> parse_source_type(std::string_view s) noexcept {
  return lookup<SourceType>(kSourceTypes, s);
}
std::optional<Hedge> parse_hedge(std::string_view s) noexcept {
  return lookup<Hedge>(kHedges, s);
}
std::optional<ReviewStatus> parse_review_status(std::string_view s) noexcept {
  return lookup<ReviewStatus>(kStatuses, s);
}

const std::vector<std::string_view>& measure_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out;
    for (const auto& t : builtin_measures())
      out.push_back(t.measure.id());
    out.emplace_back("other");
    return out;
  }();
  return names;
}
const std::vector<std::string_view>& claim_kind_names() {
  static const auto names = as_vector(kKinds);
  return names;
}
const std::vector<std::string_view>& source_type_names() {
  static const auto names = as_vector(kSourceTypes);
  return names;
}
const std::vector<std::string_view>& hedge_names() {
  static const auto names = as_vector(kHedges);
  return names;
}

std::string claim_problem(const Claim& c) {
  for (const auto& [name, v] : {std::pair{"low", c.low}, std::pair{"high", c.high}}) {
    if (!v) continue;
    if (!std::isfinite(*v)) return fmt::format("{} is not a finite number", name);
    if (*v < 0) return fmt::format("{} is negative ({}): counts of people cannot be", name, *v);
  }
  switch (c.kind) {
    case ClaimKind::point:
    case ClaimKind::approximate:
      if (!c.low || !c.high) return fmt::format("a {} claim needs low and high", to_string(c.kind));
      if (*c.low != *c.high)
        return fmt::format("a {} claim has low = high (got {} and {}); use kind range",
                           to_string(c.kind), *c.low, *c.high);
      break;
    case ClaimKind::range:
    case ClaimKind::magnitude:
      if (!c.low || !c.high) return fmt::format("a {} claim needs low and high", to_string(c.kind));
      break;
    case ClaimKind::at_least:
      if (!c.low) return "an at_least claim needs low";
      if (c.high) return "an at_least claim has no high (leave it empty)";
      break;
    case ClaimKind::at_most:
      if (!c.high) return "an at_most claim needs high";
      if (c.low) return "an at_most claim has no low (leave it empty)";
      break;
  }
  if (c.low && c.high && *c.low > *c.high)
    return fmt::format("low ({}) is greater than high ({})", *c.low, *c.high);
  if (c.as_of && c.published && *c.as_of > *c.published)
    return fmt::format("as_of ({}) is after published ({})", c.as_of->iso(), c.published->iso());
  return {};
}

void add_hedge(Claim& claim, Hedge hedge) {
  auto& h = claim.hedges;
  const auto it = std::lower_bound(h.begin(), h.end(), hedge);
  if (it == h.end() || *it != hedge) h.insert(it, hedge);
}

namespace {
nlohmann::json or_null(const std::string& s) {
  return s.empty() ? nlohmann::json() : nlohmann::json(s);
}
template <typename T>
nlohmann::json or_null(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}
}  // namespace

nlohmann::json to_json(const Claim& c) {
  nlohmann::json hedges = nlohmann::json::array();
  for (Hedge h : c.hedges)
    hedges.push_back(to_string(h));
  nlohmann::json j;
  j["id"] = or_null(c.id);
  j["document"] = or_null(c.document);
  j["start"] = or_null(c.start);
  j["end"] = or_null(c.end);
  j["text"] = or_null(c.text);
  j["measure"] = to_string(c.measure);
  j["population"] = or_null(c.population);
  j["kind"] = to_string(c.kind);
  j["low"] = or_null(c.low);
  j["high"] = or_null(c.high);
  j["rate"] = c.rate == Rate::none ? nlohmann::json() : nlohmann::json(to_string(c.rate));
  j["source"] = or_null(c.source);
  j["source_org"] = or_null(c.source_org);
  j["source_type"] = c.source_type ? nlohmann::json(to_string(*c.source_type)) : nlohmann::json();
  j["via"] = or_null(c.via);
  j["hedges"] = hedges;
  j["as_of"] = c.as_of ? nlohmann::json(c.as_of->iso()) : nlohmann::json();
  j["published"] = c.published ? nlohmann::json(c.published->iso()) : nlohmann::json();
  j["note"] = or_null(c.note);
  j["url"] = or_null(c.url);
  j["status"] = to_string(c.status);
  return j;
}

Claim claim_from_json(const nlohmann::json& j, const std::string& where) {
  if (!j.is_object()) throw bad_input({.file = where}, "a claim must be a JSON object");
  const JsonFields f(j, where);
  Claim c;
  c.id = f.string("id");
  c.document = f.string("document");
  c.start = f.count("start");
  c.end = f.count("end");
  c.text = f.string("text");
  const std::string measure = f.string("measure");
  const auto m = parse_measure(measure);
  if (!m) throw f.error("measure", fmt::format("unknown measure '{}'", measure));
  c.measure = *m;
  c.population = f.string("population");
  const std::string kind = f.string("kind");
  const auto k = parse_claim_kind(kind);
  if (!k) throw f.error("kind", fmt::format("unknown kind '{}'", kind));
  c.kind = *k;
  c.low = f.number("low");
  c.high = f.number("high");
  const auto r = parse_rate(f.string("rate"));
  if (!r) throw f.error("rate", fmt::format("unknown rate '{}'", f.string("rate")));
  c.rate = *r;
  c.source = f.string("source");
  c.source_org = f.string("source_org");
  if (const std::string t = f.string("source_type"); !t.empty()) {
    c.source_type = parse_source_type(t);
    if (!c.source_type) throw f.error("source_type", fmt::format("unknown source type '{}'", t));
  }
  c.via = f.string("via");
  if (f.has("hedges")) {
    if (!f.raw("hedges").is_array()) throw f.error("hedges", "must be a list");
    for (const auto& h : f.raw("hedges")) {
      const auto hedge = h.is_string() ? parse_hedge(h.get<std::string>()) : std::nullopt;
      if (!hedge) throw f.error("hedges", fmt::format("unknown hedge {}", h.dump()));
      add_hedge(c, *hedge);
    }
  }
  c.as_of = f.date("as_of");
  c.published = f.date("published");
  c.note = f.string("note");
  c.url = f.string("url");
  if (const std::string s = f.string("status"); !s.empty()) {
    const auto st = parse_review_status(s);
    if (!st) throw f.error("status", fmt::format("unknown review status '{}'", s));
    c.status = *st;
  }
  if (const std::string problem = claim_problem(c); !problem.empty())
    throw bad_input({.file = where}, problem);
  return c;
}

}  // namespace recount
