#include "extract_text.hpp"

#include <array>
#include <unordered_map>

#include "recount/evidence/claim.hpp"

namespace recount::detail {
namespace {

struct Entry {
  std::string_view word;
  std::uint32_t classes;
  std::uint8_t arg;
};

constexpr std::uint8_t m(Measure x) {
  return static_cast<std::uint8_t>(x);
}
constexpr std::uint8_t h(Hedge x) {
  return static_cast<std::uint8_t>(x);
}

constexpr std::array<std::string_view, 12> month_names = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};
constexpr std::array<std::pair<std::string_view, std::uint8_t>, 12> month_short = {{
    {"jan", 1},
    {"feb", 2},
    {"mar", 3},
    {"apr", 4},
    {"jun", 6},
    {"jul", 7},
    {"aug", 8},
    {"sep", 9},
    {"sept", 9},
    {"oct", 10},
    {"nov", 11},
    {"dec", 12},
}};

constexpr std::array<std::string_view, 19> small_numbers = {
    "one",     "two",     "three",     "four",     "five",    "six",      "seven",
    "eight",   "nine",    "ten",       "eleven",   "twelve",  "thirteen", "fourteen",
    "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
constexpr std::array<std::string_view, 8> tens = {"twenty", "thirty",  "forty",  "fifty",
                                                  "sixty",  "seventy", "eighty", "ninety"};

constexpr std::string_view people[] = {
    "people",         "persons",      "person",        "men",         "women",      "man",
    "woman",          "soldiers",     "soldier",       "troops",      "servicemen", "serviceman",
    "fighters",       "fighter",      "convicts",      "convict",     "prisoners",  "prisoner",
    "inmates",        "inmate",       "recruits",      "mercenaries", "mercenary",  "volunteers",
    "civilians",      "individuals",  "detainees",     "criminals",   "offenders",  "felons",
    "veterans",       "members",      "personnel",     "conscripts",  "draftees",   "residents",
    "citizens",       "combatants",   "militants",     "bodies",      "corpses",    "victims",
    "marines",        "paratroopers", "infantrymen",   "zeks",        "deserters",  "pows",
    "casualties",     "dead",         "wounded",       "injured",     "fatalities", "lives",
    "servicemembers", "contractees",  "stormtroopers", "males",       "adults",     "others",
    "names",          "graves",       "murderers",     "killers",     "rapists",    "thieves",
    "ex-convicts",    "wagnerites",   "reservists",    "mobilised",   "mobilized",  "guards",
    "officers",       "troopers",     "sappers",       "gunners",     "pilots",     "sailors",
};

constexpr std::string_view things[] = {
    "colonies",    "colony",       "prisons",     "regions",     "region",       "oblasts",
    "cities",      "towns",        "villages",    "settlements", "districts",    "units",
    "battalions",  "brigades",     "regiments",   "divisions",   "companies",    "squads",
    "detachments", "tanks",        "vehicles",    "drones",      "missiles",     "shells",
    "rounds",      "guns",         "aircraft",    "helicopters", "planes",       "ships",
    "weapons",     "rifles",       "articles",    "article",     "pages",        "page",
    "cases",       "letters",      "medals",      "awards",      "buildings",    "homes",
    "houses",      "countries",    "nations",     "facilities",  "camps",        "locations",
    "sites",       "documents",    "videos",      "photos",      "images",       "posts",
    "messages",    "times",        "attempts",    "reports",     "sources",      "interviews",
    "crimes",      "offences",     "offenses",    "charges",     "laws",         "decrees",
    "points",      "episodes",     "stories",     "languages",   "institutions", "kilometres",
    "kilometers",  "km",           "miles",       "mile",        "metres",       "meters",
    "kg",          "kilograms",    "tonnes",      "tons",        "hectares",     "acres",
    "percent",     "pct",          "votes",       "seats",       "files",        "signatures",
    "lists",       "positions",    "trains",      "buses",       "flights",      "agreements",
    "steps",       "words",        "questions",   "items",       "copies",       "editions",
    "tweets",      "calls",        "rubles",      "euros",       "laps",         "games",
    "goals",       "children's",   "schools",     "hospitals",   "streets",      "km²",
    "degrees",     "feet",         "inches",      "litres",      "liters",       "barrels",
    "penal",       "correctional", "detention",   "pre-trial",   "jails",        "labour",
    "bases",       "airfields",    "trenches",    "bridges",     "roads",        "offices",
    "factories",   "plants",       "enterprises", "firms",       "businesses",   "shops",
    "stores",      "banks",        "kilometre",   "kilometer",   "apartments",   "flats",
    "beds",        "cells",        "barracks",    "wards",       "courts",       "trials",
    "verdicts",    "applications", "requests",    "complaints",  "petitions",    "appeals",
};

constexpr std::string_view time_units[] = {
    "second", "seconds",  "minute",  "minutes",   "hour",      "hours",      "day",
    "days",   "week",     "weeks",   "month",     "months",    "year",       "years",
    "decade", "decades",  "century", "centuries", "fortnight", "fortnights", "night",
    "nights", "year-old", "weekend", "weekends",  "summers",   "winters",    "semester"};

constexpr std::string_view money[] = {
    "dollars", "dollar", "usd",    "euros", "euro",  "eur",      "pounds",  "sterling",
    "roubles", "rouble", "rubles", "ruble", "rub",   "hryvnias", "hryvnia", "hryvnas",
    "uah",     "yuan",   "francs", "cents", "bucks", "gbp",      "rupees",  "yen"};

struct Cue {
  std::string_view word;
  Measure measure;
};
constexpr Cue strong_cues[] = {
    {"recruited", Measure::recruited},
    {"recruit", Measure::recruited},
    {"recruiting", Measure::recruited},
    {"recruitment", Measure::recruited},
    {"recruits", Measure::recruited},
    {"enlisted", Measure::recruited},
    {"enlist", Measure::recruited},
    {"enrolled", Measure::recruited},
    {"signed", Measure::recruited},
    {"sign", Measure::recruited},
    {"sent", Measure::recruited},
    {"send", Measure::recruited},
    {"sending", Measure::recruited},
    {"released", Measure::recruited},
    {"dispatched", Measure::recruited},
    {"mobilised", Measure::recruited},
    {"mobilized", Measure::recruited},
    {"conscripted", Measure::recruited},
    {"drafted", Measure::recruited},
    {"joined", Measure::recruited},
    {"join", Measure::recruited},
    {"transferred", Measure::recruited},
    {"killed", Measure::killed},
    {"died", Measure::killed},
    {"dead", Measure::killed},
    {"die", Measure::killed},
    {"dies", Measure::killed},
    {"dying", Measure::killed},
    {"deaths", Measure::killed},
    {"death", Measure::killed},
    {"perished", Measure::killed},
    {"fatalities", Measure::killed},
    {"executed", Measure::killed},
    {"slain", Measure::killed},
    {"kia", Measure::killed},
    {"wounded", Measure::wounded},
    {"injured", Measure::wounded},
    {"injuries", Measure::wounded},
    {"maimed", Measure::wounded},
    {"wia", Measure::wounded},
    {"casualties", Measure::casualties},
    {"losses", Measure::casualties},
    {"casualty", Measure::casualties},
    {"captured", Measure::captured},
    {"surrendered", Measure::captured},
    {"pows", Measure::captured},
    {"pow", Measure::captured},
    {"captivity", Measure::captured},
    {"missing", Measure::missing},
    {"unaccounted", Measure::missing},
    {"mia", Measure::missing},
    {"deserted", Measure::deserted},
    {"deserters", Measure::deserted},
    {"desertion", Measure::deserted},
    {"desert", Measure::deserted},
    {"fled", Measure::deserted},
    {"awol", Measure::deserted},
    {"refused", Measure::deserted},
    {"deserting", Measure::deserted},
    {"returned", Measure::returned},
    {"return", Measure::returned},
    {"returning", Measure::returned},
    {"pardoned", Measure::returned},
    {"pardons", Measure::returned},
    {"reoffended", Measure::reoffended},
    {"reoffend", Measure::reoffended},
    {"reoffending", Measure::reoffended},
    {"recidivism", Measure::reoffended},
    {"recidivists", Measure::reoffended},
    {"reoffenders", Measure::reoffended},
    {"incarcerated", Measure::prison_population},
    {"lost", Measure::casualties},
    {"lose", Measure::casualties},
    {"losing", Measure::casualties},
    {"loses", Measure::casualties},
    {"imprisoned", Measure::prison_population},
    {"jailed", Measure::prison_population},
};
constexpr Cue weak_cues[] = {
    {"serving", Measure::in_service},   {"serve", Measure::in_service},
    {"serves", Measure::in_service},    {"fighting", Measure::in_service},
    {"fight", Measure::in_service},     {"front", Measure::in_service},
    {"frontline", Measure::in_service}, {"service", Measure::in_service},
    {"deployed", Measure::in_service},  {"combat", Measure::in_service},
    {"trenches", Measure::in_service},
};

struct Pop {
  std::string_view word;
  Population population;
};
constexpr Pop populations[] = {
    {"convicts", Population::convicts},  {"convict", Population::convicts},
    {"prisoners", Population::convicts}, {"prisoner", Population::convicts},
    {"inmates", Population::convicts},   {"inmate", Population::convicts},
    {"criminals", Population::convicts}, {"felons", Population::convicts},
    {"zeks", Population::convicts},      {"ex-convicts", Population::convicts},
    {"wagner", Population::wagner},      {"wagnerites", Population::wagner},
    {"russian", Population::russian},    {"russia", Population::russian},
    {"russians", Population::russian},   {"ukrainian", Population::ukrainian},
    {"ukraine", Population::ukrainian},  {"ukrainians", Population::ukrainian},
};

constexpr std::string_view attribution[] = {
    "said",      "says",         "say",        "states",    "stated",    "estimates",  "estimated",
    "posits",    "posited",      "told",       "tells",     "concluded", "concludes",  "reported",
    "reports",   "believes",     "believed",   "claims",    "claimed",   "wrote",      "writes",
    "added",     "adds",         "noted",      "notes",     "suggests",  "suggested",  "suggest",
    "indicates", "indicated",    "indicate",   "shows",     "showed",    "show",       "found",
    "finds",     "calculated",   "calculates", "counted",   "confirmed", "confirms",   "announced",
    "announces", "alleged",      "alleges",    "insists",   "insisted",  "argued",     "argues",
    "thinks",    "put",          "puts",       "assessed",  "assesses",  "assess",     "revealed",
    "reveals",   "acknowledged", "admitted",   "explained", "testified", "maintains",  "maintained",
    "asserted",  "asserts",      "warned",     "estimate",  "claim",     "reckons",    "reckoned",
    "counts",    "tallied",      "documented", "recorded",  "verified",  "identified", "stressed",
    "disclosed", "believe"};

struct HedgeWord {
  std::string_view word;
  Hedge hedge;
};
constexpr HedgeWord hedges[] = {
    {"reportedly", Hedge::reportedly},
    {"allegedly", Hedge::claimed},
    {"estimate", Hedge::estimate},
    {"estimates", Hedge::estimate},
    {"estimated", Hedge::estimate},
    {"estimation", Hedge::estimate},
    {"may", Hedge::might},
    {"might", Hedge::might},
    {"could", Hedge::might},
    {"possibly", Hedge::might},
    {"perhaps", Hedge::might},
    {"likely", Hedge::likely},
    {"probably", Hedge::likely},
    {"presumably", Hedge::likely},
    {"unverified", Hedge::unverified},
    {"unconfirmed", Hedge::unverified},
    {"claimed", Hedge::claimed},
    {"claims", Hedge::claimed},
    {"claim", Hedge::claimed},
    {"alleged", Hedge::claimed},
    {"alleges", Hedge::claimed},
    {"claiming", Hedge::claimed},
};

constexpr std::string_view backrefs[] = {
    "report",      "website",      "site",        "organisation",  "organization", "group",
    "outlet",      "newspaper",    "publication", "study",         "data",         "ngo",
    "agency",      "ministry",     "channel",     "project",       "he",           "she",
    "they",        "it",           "him",         "her",           "them",         "his",
    "its",         "their",        "paper",       "investigation", "analysis",     "survey",
    "foundation",  "statement",    "figures",     "research",      "article",      "service",
    "portal",      "database",     "count",       "tally",         "calculations", "spokesman",
    "spokeswoman", "spokesperson", "official",    "officials",     "department",   "office"};

constexpr std::string_view english[] = {
    "the", "of",   "and",  "to",   "in",    "a",     "an",    "is",    "was",   "were",
    "are", "that", "for",  "on",   "with",  "as",    "by",    "at",    "from",  "have",
    "has", "had",  "this", "be",   "been",  "it",    "which", "who",   "their", "they",
    "not", "or",   "but",  "than", "more",  "its",   "said",  "will",  "would", "these",
    "he",  "she",  "his",  "her",  "there", "about", "into",  "since", "after", "up"};

constexpr std::string_view abbreviations[] = {
    "mr",   "mrs",    "ms",  "dr",   "prof", "gen", "col",  "lt",   "sgt",    "capt",
    "maj",  "cpl",    "pte", "st",   "jr",   "sr",  "vs",   "etc",  "no",     "nos",
    "fig",  "approx", "est", "inc",  "ltd",  "co",  "corp", "dept", "gov",    "govt",
    "sen",  "rep",    "jan", "feb",  "mar",  "apr", "jun",  "jul",  "aug",    "sep",
    "sept", "oct",    "nov", "dec",  "u.s",  "u.k", "u.n",  "e.g",  "i.e",    "a.m",
    "p.m",  "cf",     "al",  "vol",  "mt",   "ft",  "rev",  "hon",  "messrs", "ave",
    "pp",   "para",   "adm", "brig", "cmdr", "gov", "pres", "supt", "insp",   "op"};

constexpr std::string_view determiners[] = {"these", "those", "the", "them", "whom", "which",
                                            "their", "its",   "our", "his",  "her",  "such",
                                            "all",   "whom",  "who", "this", "that", "those"};

constexpr std::string_view source_nouns[] = {
    "intelligence", "officials",     "official",      "ministry",    "government",
    "authorities",  "media",         "sources",       "spokesman",   "spokeswoman",
    "spokesperson", "military",      "army",          "command",     "prosecutors",
    "police",       "analysts",      "experts",       "researchers", "journalists",
    "activists",    "monitors",      "lawyers",       "diplomats",   "administration",
    "office",       "agency",        "department",    "staff",       "council",
    "mission",      "observers",     "investigators", "estimates",   "data",
    "figures",      "defence",       "defense",       "services",    "service",
    "press",        "outlets",       "newspaper",     "website",     "outlet",
    "group",        "organisation",  "organization",  "report",      "leadership",
    "commanders",   "bloggers",      "channels",      "watchdog",    "groups",
    "headquarters", "organisations", "organizations"};

constexpr std::string_view stops[] = {
    "have",  "has",     "had",   "were",  "was",        "are",       "is",      "be",    "been",
    "will",  "would",   "might", "may",   "could",      "can",       "should",  "must",  "did",
    "do",    "does",    "and",   "or",    "but",        "who",       "which",   "that",  "from",
    "in",    "on",      "at",    "to",    "for",        "with",      "by",      "since", "during",
    "after", "before",  "into",  "than",  "reportedly", "allegedly", "now",     "still", "already",
    "also",  "as",      "per",   "each",  "every",      "a",         "an",      "when",  "while",
    "if",    "because", "so",    "there", "remain",     "remained",  "remains", "went",  "got",
    "get",   "became",  "become"};

using Table = std::unordered_map<std::string_view, Lexeme>;

void put(Table& t, std::string_view w, std::uint32_t cls, std::uint8_t arg = 0) {
  Lexeme& e = t[w];
  e.classes |= cls;
  if (arg != 0) e.arg = arg;
}

Table build_table() {
  Table t;
  t.reserve(1024);
  for (std::size_t i = 0; i < month_names.size(); ++i)
    if (month_names[i] != "may") put(t, month_names[i], w_month, static_cast<std::uint8_t>(i + 1));
  for (const auto& [w, mo] : month_short)
    put(t, w, w_month, mo);
  for (std::size_t i = 0; i < small_numbers.size(); ++i)
    put(t, small_numbers[i], w_number, static_cast<std::uint8_t>(i + 1));
  for (std::size_t i = 0; i < tens.size(); ++i)
    put(t, tens[i], w_number, static_cast<std::uint8_t>(20 + 10 * i));
  put(t, "hundred", w_multiplier, 2);
  put(t, "thousand", w_multiplier, 3);
  put(t, "million", w_multiplier, 6);
  put(t, "mln", w_multiplier, 6);
  put(t, "billion", w_multiplier, 9);
  put(t, "bn", w_multiplier, 9);
  put(t, "hundreds", w_magnitude, 2);
  put(t, "thousands", w_magnitude, 3);
  put(t, "millions", w_magnitude, 6);
  for (auto w : people)
    put(t, w, w_people);
  for (auto w : things)
    put(t, w, w_thing);
  for (auto w : time_units)
    put(t, w, w_time_unit);
  for (auto w : money)
    put(t, w, w_money);
  for (auto w : attribution)
    put(t, w, w_attribution);
  for (auto w : backrefs)
    put(t, w, w_backref);
  for (auto w : english)
    put(t, w, w_english);
  for (auto w : abbreviations)
    put(t, w, w_abbreviation);
  for (auto w : determiners)
    put(t, w, w_determiner);
  for (auto w : source_nouns)
    put(t, w, w_source_noun);
  for (auto w : stops)
    put(t, w, w_stop);
  for (const auto& c : strong_cues) {
    Lexeme& e = t[c.word];
    e.classes |= w_measure;
    e.measure = m(c.measure);
  }
  for (const auto& c : weak_cues) {
    Lexeme& e = t[c.word];
    e.classes |= w_weak_measure;
    e.measure = m(c.measure);
  }
  for (const auto& p : populations) {
    Lexeme& e = t[p.word];
    e.classes |= w_population;
    e.population = static_cast<std::uint8_t>(p.population);
  }
  for (const auto& x : hedges) {
    Lexeme& e = t[x.word];
    e.classes |= w_hedge;
    // Hedge and month never share a word; keep the hedge in arg only when free.
    if ((e.classes & (w_month | w_number | w_multiplier | w_magnitude)) == 0) e.arg = h(x.hedge);
  }
  return t;
}

bool is_ascii_letter(unsigned char c) {
  return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}
bool is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}

// Multi-byte characters the tokenizer treats specially: the length of the sequence at i, or 0.
std::size_t special_width(std::string_view s, std::size_t i, char& as) {
  const auto b = [&](std::size_t k) {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u;
  };
  if (b(0) == 0xC2 && b(1) == 0xA0) return as = ' ', 2;  // no-break space
  if (b(0) == 0xC2 && b(1) == 0xA3) return as = '$', 2;  // pound sign
  if (b(0) == 0xC2 && b(1) == 0xAB) return as = '"', 2;  // guillemets
  if (b(0) == 0xC2 && b(1) == 0xBB) return as = '"', 2;
  if (b(0) == 0xE2 && b(1) == 0x80) {
    const unsigned c = b(2);
    if (c >= 0x80 && c <= 0x8B) return as = ' ', 3;                       // en/em/thin/hair spaces
    if (c == 0xAF) return as = ' ', 3;                                    // narrow no-break space
    if (c >= 0x90 && c <= 0x95) return as = '-', 3;                       // hyphens and dashes
    if (c >= 0x98 && c <= 0x9F) return as = (c <= 0x9B ? '\'' : '"'), 3;  // quotes
    if (c == 0xA6) return as = '.', 3;                                    // ellipsis
    if (c == 0xA2) return as = '*', 3;                                    // bullet
  }
  if (b(0) == 0xE2 && b(1) == 0x82 && (b(2) == 0xAC || b(2) == 0xBD || b(2) == 0xB4))
    return as = '$', 3;  // euro, rouble, hryvnia signs
  if (b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF) return as = ' ', 3;  // byte-order mark
  return 0;
}

}  // namespace

Lexeme lookup(std::string_view lower_word) noexcept {
  static const Table table = build_table();
  const auto it = table.find(lower_word);
  return it == table.end() ? Lexeme{} : it->second;
}

std::vector<Token> tokenize(std::string_view text, std::string_view lower) {
  std::vector<Token> out;
  out.reserve(text.size() / 6 + 1);
  const std::size_t n = text.size();
  std::size_t i = 0;
  bool space = true;
  const auto u = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  while (i < n) {
    const unsigned char c = u(i);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
      space = true;
      continue;
    }
    if (c == '\n') {
      // A run of line ends with only spaces between them: one newline, or a paragraph break.
      std::size_t j = i;
      int lines = 0;
      while (j < n) {
        const unsigned char d = u(j);
        if (d == '\n') {
          ++lines;
        } else if (d != ' ' && d != '\t' && d != '\r') {
          break;
        }
        ++j;
      }
      Token t;
      t.start = i;
      t.end = i + 1;
      t.type = lines >= 2 ? TokenType::paragraph : TokenType::newline;
      t.space_before = true;
      out.push_back(t);
      i = j;
      space = true;
      continue;
    }
    char as = 0;
    if (c >= 0x80) {
      if (const std::size_t w = special_width(text, i, as); w > 0) {
        if (as == ' ') {
          i += w;
          space = true;
          continue;
        }
        Token t;
        t.start = i;
        t.end = i + w;
        t.type = TokenType::punct;
        t.punct = as;
        t.space_before = space;
        out.push_back(t);
        i += w;
        space = false;
        continue;
      }
    }
    Token t;
    t.start = i;
    t.space_before = space;
    space = false;
    if (is_digit(c)) {
      t.type = TokenType::number;
      double v = 0;
      std::size_t j = i;
      std::size_t lead = 0;
      while (j < n && is_digit(u(j))) {
        v = v * 10 + (u(j) - '0');
        ++j;
        ++lead;
      }
      // Thousands groups: ",ddd" or " ddd" (also no-break and thin spaces), not followed by a
      // further digit. Spaces group only after a first group of one to three digits.
      const auto group_at = [&](std::size_t k, std::size_t& after) {
        char sep = 0;
        std::size_t w = 1;
        if (k >= n) return false;
        if (text[k] == ',') {
          sep = ',';
        } else if (text[k] == ' ') {
          sep = ' ';
        } else if (u(k) >= 0x80) {
          w = special_width(text, k, sep);
          if (sep != ' ') return false;
        } else {
          return false;
        }
        if (sep == ' ' && lead > 3) return false;
        const std::size_t d = k + w;
        if (d + 3 > n) return false;
        if (!is_digit(u(d)) || !is_digit(u(d + 1)) || !is_digit(u(d + 2))) return false;
        if (d + 3 < n && is_digit(u(d + 3))) return false;
        after = d;
        return true;
      };
      std::size_t after = 0;
      while (group_at(j, after)) {
        t.grouped = true;
        v = v * 1000 + (u(after) - '0') * 100 + (u(after + 1) - '0') * 10 + (u(after + 2) - '0');
        j = after + 3;
      }
      if (j + 1 < n && text[j] == '.' && is_digit(u(j + 1))) {
        t.decimal = true;
        ++j;
        double scale = 0.1;
        while (j < n && is_digit(u(j))) {
          v += scale * (u(j) - '0');
          scale /= 10;
          ++j;
        }
      }
      t.value = v;
      const std::size_t letters = j;
      while (j < n && is_ascii_letter(u(j)))
        ++j;
      t.word = lower.substr(letters, j - letters);
      t.end = j;
      out.push_back(t);
      i = j;
      continue;
    }
    if (is_ascii_letter(c) || c >= 0x80) {
      std::size_t j = i;
      while (j < n) {
        const unsigned char d = u(j);
        if (is_ascii_letter(d) || is_digit(d)) {
          ++j;
          continue;
        }
        if (d >= 0x80) {
          char sp = 0;
          if (special_width(text, j, sp) > 0) {
            // An apostrophe inside a word (Russia's) stays in it.
            if (sp == '\'' && j + 3 < n && is_ascii_letter(u(j + 3))) {
              j += 3;
              continue;
            }
            break;
          }
          ++j;
          continue;
        }
        if ((d == '\'' || d == '.') && j + 1 < n && is_ascii_letter(u(j + 1))) {
          ++j;
          continue;
        }
        break;
      }
      t.end = j;
      t.capitalized = c >= 'A' && c <= 'Z';
      std::string_view w = lower.substr(i, j - i);
      if (w.size() > 2 && w.substr(w.size() - 2) == "'s") {
        t.possessive = true;
        w.remove_suffix(2);
      } else if (w.size() > 4 && w.substr(w.size() - 4) == "\xE2\x80\x99s") {
        t.possessive = true;
        w.remove_suffix(4);
      }
      t.word = w;
      const Lexeme lex = lookup(w);
      t.classes = lex.classes;
      t.arg = lex.arg;
      t.measure = lex.measure;
      t.population = lex.population;
      out.push_back(t);
      i = j;
      continue;
    }
    t.type = TokenType::punct;
    t.punct = (c == '`') ? '\'' : static_cast<char>(c);
    if (c == '$') t.punct = '$';
    t.end = i + 1;
    out.push_back(t);
    ++i;
  }
  return out;
}

std::vector<Span> split_sentences(std::string_view text, const std::vector<Token>& tokens) {
  std::vector<Span> out;
  const std::size_t n = tokens.size();
  std::size_t first = 0;
  std::size_t line_start = 0;  // byte offset where the current line starts
  const auto close = [&](std::size_t last) {
    if (last > first) out.push_back({first, last});
    first = last;
  };
  for (std::size_t i = 0; i < n; ++i) {
    const Token& t = tokens[i];
    if (t.type == TokenType::paragraph) {
      close(i);
      first = i + 1;
      line_start = t.end;
      continue;
    }
    if (t.type == TokenType::newline) {
      // Short lines (headlines, captions, datelines) end where they end; long lines are
      // hard-wrapped prose and continue on the next line.
      const bool short_line = t.start - line_start < 60;
      line_start = t.end;
      if (short_line) {
        close(i);
        first = i + 1;
      }
      continue;
    }
    if (t.type != TokenType::punct || (t.punct != '.' && t.punct != '!' && t.punct != '?'))
      continue;
    // Closing quotes and brackets after the stop belong to the sentence.
    std::size_t j = i + 1;
    while (j < n && tokens[j].type == TokenType::punct && !tokens[j].space_before &&
           (tokens[j].punct == '"' || tokens[j].punct == '\'' || tokens[j].punct == ')' ||
            tokens[j].punct == '.' || tokens[j].punct == '!' || tokens[j].punct == '?'))
      ++j;
    const std::size_t run_end = j;
    if (j < n && !tokens[j].space_before && tokens[j].type != TokenType::newline &&
        tokens[j].type != TokenType::paragraph) {
      i = run_end - 1;  // "x.y" punctuation, not an end; skip the run (linear time)
      continue;
    }
    if (t.punct == '.' && !t.space_before && i > 0 && tokens[i - 1].type == TokenType::word) {
      const Token& prev = tokens[i - 1];
      const bool initial = prev.end - prev.start == 1 && prev.capitalized;
      if (initial || (prev.classes & w_abbreviation) != 0) {
        // "Mr. Smith", "J. Smith", "U.S. officials": not an end, unless a new sentence
        // obviously starts (a paragraph or line break follows).
        if (j < n && tokens[j].type != TokenType::paragraph) {
          i = run_end - 1;
          continue;
        }
      }
    }
    if (j < n && tokens[j].type == TokenType::word && !tokens[j].capitalized &&
        tokens[j].word.size() > 0 && static_cast<unsigned char>(text[tokens[j].start]) < 0x80) {
      i = run_end - 1;  // a lower-case word follows: an abbreviation we do not know
      continue;
    }
    close(j);
    i = j - 1;
  }
  close(n);
  return out;
}

std::optional<Date> iso_date_prefix(std::string_view s) noexcept {
  if (s.size() < 10) return std::nullopt;
  for (std::size_t k : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[k] < '0' || s[k] > '9') return std::nullopt;
  if (s[4] != '-' || s[7] != '-') return std::nullopt;
  if (s.size() > 10 && s[10] >= '0' && s[10] <= '9') return std::nullopt;
  try {
    return Date::parse_iso(s.substr(0, 10));
  } catch (...) {
    return std::nullopt;
  }
}

namespace {

std::optional<Date> make_date(double y, unsigned mo, double d) {
  if (y < 1900 || y > 2100 || d < 1 || d > 31 || mo < 1 || mo > 12) return std::nullopt;
  try {
    return Date::from_ymd(static_cast<int>(y), mo, static_cast<unsigned>(d));
  } catch (...) {
    return std::nullopt;
  }
}

unsigned month_of(const Token& t) {
  if (t.type != TokenType::word) return 0;
  if ((t.classes & w_month) != 0) return t.arg;
  if (t.word == "may" && t.capitalized) return 5;
  return 0;
}

bool plain_int(const Token& t) {
  return t.type == TokenType::number && !t.grouped && !t.decimal;
}

bool day_number(const Token& t) {
  return plain_int(t) && t.value >= 1 && t.value <= 31 &&
         (t.word.empty() || t.word == "st" || t.word == "nd" || t.word == "rd" || t.word == "th");
}

bool year_number(const Token& t) {
  return plain_int(t) && t.word.empty() && t.value >= 1900 && t.value <= 2100;
}

}  // namespace

std::optional<Date> date_at(const std::vector<Token>& tk, std::size_t i, std::size_t limit,
                            std::size_t& end) {
  const auto at = [&](std::size_t k) -> const Token* { return k < limit ? &tk[k] : nullptr; };
  const Token* a = at(i);
  if (a == nullptr) return std::nullopt;
  // 2023-12-08
  if (plain_int(*a) && a->value >= 1900 && a->value <= 2100 && a->end - a->start == 4) {
    const Token* d1 = at(i + 1);
    const Token* mo = at(i + 2);
    const Token* d2 = at(i + 3);
    const Token* dd = at(i + 4);
    if (d1 && mo && d2 && dd && d1->punct == '-' && d2->punct == '-' && !d1->space_before &&
        !mo->space_before && plain_int(*mo) && mo->value >= 1 && mo->value <= 12 &&
        day_number(*dd)) {
      if (auto d = make_date(a->value, static_cast<unsigned>(mo->value), dd->value)) {
        end = i + 5;
        return d;
      }
    }
    return std::nullopt;
  }
  // 8 December 2023, 8th of December 2023
  if (day_number(*a)) {
    std::size_t k = i + 1;
    if (const Token* of = at(k); of && of->word == "of") ++k;
    const Token* mo = at(k);
    if (mo == nullptr || month_of(*mo) == 0) return std::nullopt;
    ++k;
    if (const Token* dot = at(k); dot && dot->punct == '.') ++k;
    if (const Token* comma = at(k); comma && comma->punct == ',') ++k;
    const Token* y = at(k);
    if (y && year_number(*y)) {
      if (auto d = make_date(y->value, month_of(*mo), a->value)) {
        end = k + 1;
        return d;
      }
    }
    return std::nullopt;
  }
  // December 8, 2023; Dec. 8 2023
  if (const unsigned mo = month_of(*a); mo != 0) {
    std::size_t k = i + 1;
    if (const Token* dot = at(k); dot && dot->punct == '.') ++k;
    const Token* d = at(k);
    if (d == nullptr || !day_number(*d)) return std::nullopt;
    ++k;
    if (const Token* comma = at(k); comma && comma->punct == ',') ++k;
    const Token* y = at(k);
    if (y && year_number(*y)) {
      if (auto date = make_date(y->value, mo, d->value)) {
        end = k + 1;
        return date;
      }
    }
  }
  return std::nullopt;
}

std::optional<Date> find_dateline(std::string_view text) {
  // The dateline sits near the top: look at the first 40 lines or 4 KB.
  std::size_t cut = 0;
  int lines = 0;
  while (cut < text.size() && cut < 4096 && lines < 40) {
    if (text[cut] == '\n') ++lines;
    ++cut;
  }
  const std::string_view head = text.substr(0, cut);
  std::string lower(head);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  const std::vector<Token> tokens = tokenize(head, lower);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    std::size_t end = 0;
    if (auto d = date_at(tokens, i, tokens.size(), end)) return d;
  }
  return std::nullopt;
}

}  // namespace recount::detail
