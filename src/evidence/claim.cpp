#include "recount/evidence/claim.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "recount/core/error.hpp"
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
  const auto fail = [&](const char* key, const std::string& what) {
    return bad_input({.file = where, .key = key}, what);
  };
  const auto str = [&](const char* key) -> std::string {
    if (!j.contains(key) || j[key].is_null()) return {};
    if (!j[key].is_string()) throw fail(key, "must be a string");
    return j[key].get<std::string>();
  };
  const auto num = [&](const char* key) -> std::optional<double> {
    if (!j.contains(key) || j[key].is_null()) return std::nullopt;
    if (!j[key].is_number()) throw fail(key, "must be a number");
    return j[key].get<double>();
  };
  const auto offset = [&](const char* key) -> std::optional<std::size_t> {
    if (!j.contains(key) || j[key].is_null()) return std::nullopt;
    if (!j[key].is_number_unsigned()) throw fail(key, "must be a byte offset (0 or more)");
    return j[key].get<std::size_t>();
  };
  const auto date = [&](const char* key) -> std::optional<Date> {
    const std::string s = str(key);
    if (s.empty()) return std::nullopt;
    return Date::parse_iso(s, {.file = where, .key = key});
  };
  Claim c;
  c.id = str("id");
  c.document = str("document");
  c.start = offset("start");
  c.end = offset("end");
  c.text = str("text");
  const std::string measure = str("measure");
  const auto m = parse_measure(measure);
  if (!m) throw fail("measure", fmt::format("unknown measure '{}'", measure));
  c.measure = *m;
  c.population = str("population");
  const std::string kind = str("kind");
  const auto k = parse_claim_kind(kind);
  if (!k) throw fail("kind", fmt::format("unknown kind '{}'", kind));
  c.kind = *k;
  c.low = num("low");
  c.high = num("high");
  const auto r = parse_rate(str("rate"));
  if (!r) throw fail("rate", fmt::format("unknown rate '{}'", str("rate")));
  c.rate = *r;
  c.source = str("source");
  c.source_org = str("source_org");
  if (const std::string t = str("source_type"); !t.empty()) {
    c.source_type = parse_source_type(t);
    if (!c.source_type) throw fail("source_type", fmt::format("unknown source type '{}'", t));
  }
  c.via = str("via");
  if (j.contains("hedges") && !j["hedges"].is_null()) {
    if (!j["hedges"].is_array()) throw fail("hedges", "must be a list");
    for (const auto& h : j["hedges"]) {
      const auto hedge = h.is_string() ? parse_hedge(h.get<std::string>()) : std::nullopt;
      if (!hedge) throw fail("hedges", fmt::format("unknown hedge {}", h.dump()));
      add_hedge(c, *hedge);
    }
  }
  c.as_of = date("as_of");
  c.published = date("published");
  c.note = str("note");
  c.url = str("url");
  if (const std::string s = str("status"); !s.empty()) {
    const auto st = parse_review_status(s);
    if (!st) throw fail("status", fmt::format("unknown review status '{}'", s));
    c.status = *st;
  }
  if (const std::string problem = claim_problem(c); !problem.empty())
    throw bad_input({.file = where}, problem);
  return c;
}

}  // namespace recount
