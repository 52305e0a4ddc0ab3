#pragma once
// Scores the claim extractor on the development corpus (bench/evidence/corpus/<split>/<lang>/:
// reports and their gold claims in gold.csv, the claims CSV format with a `document` column).
// Shared by the corpus bench, which prints the scores, and the corpus quality test, which holds
// the test split to the targets.
//
// A gold claim is found when a claim extracted from its document has the same measure, low,
// high and rate (each extracted claim matches at most one gold claim). Recall: found / gold.
// Precision: extracted claims that match a gold claim / extracted claims. Source accuracy: of
// the found gold claims that name a source, the share whose extracted source names it too:
// the same words after Unicode case folding, quotes and a leading "the" dropped, each word
// compared on its start so that Russian case forms agree («Медиазоны» / «Медиазона»), or the
// shorter name the last words of the longer (a surname for the full name).

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "recount/evidence/claim.hpp"
#include "recount/evidence/claims_csv.hpp"
#include "recount/evidence/document.hpp"
#include "recount/evidence/extract.hpp"

namespace recount::corpus {

struct Score {
  std::size_t gold = 0;
  std::size_t found = 0;
  std::size_t extracted = 0;
  std::size_t matched = 0;
  std::size_t sourced = 0;       // found gold claims that name a source
  std::size_t source_right = 0;  // of those, with the right source
  std::size_t bytes = 0;
  std::vector<std::string> misses;        // "document: gold claim" not found
  std::vector<std::string> wrong;         // "document: extracted claim" matching no gold claim
  std::vector<std::string> wrong_source;  // "document: gold claim <- extracted source"

  [[nodiscard]] double recall() const { return gold ? double(found) / double(gold) : 0; }
  [[nodiscard]] double precision() const {
    return extracted ? double(matched) / double(extracted) : 0;
  }
  [[nodiscard]] double source_accuracy() const {
    return sourced ? double(source_right) / double(sourced) : 0;
  }
};

// The words of a source name, case folded, without quotes, punctuation or a leading "the".
inline std::vector<icu::UnicodeString> source_words(const std::string& name) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(name);
  u.foldCase();
  std::vector<icu::UnicodeString> words(1);
  for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1)) {
    const UChar32 c = u.char32At(i);
    if (u_isalnum(c) || c == '.') {
      words.back().append(c);
    } else if (!words.back().isEmpty()) {
      words.emplace_back();
    }
  }
  if (words.back().isEmpty()) words.pop_back();
  if (!words.empty() && words.front() == icu::UnicodeString(u"the")) words.erase(words.begin());
  return words;
}

inline bool same_word(const icu::UnicodeString& a, const icu::UnicodeString& b) {
  // Case endings are at most two letters: compare all but them, and at least three.
  const int32_t n = std::max<int32_t>(3, std::min(a.length(), b.length()) - 2);
  return a.tempSubString(0, n) == b.tempSubString(0, n);
}

// The same words, or the shorter name is the end of the longer: a surname names the person
// ("Lavrov" / "Dmitri Lavrov"), a head the body ("проекта «Данные Камы»" / «Данные Камы»).
inline bool same_source(const std::string& extracted, const std::string& gold) {
  auto a = source_words(extracted);
  auto b = source_words(gold);
  if (a.empty() || b.empty()) return false;
  if (a.size() > b.size()) std::swap(a, b);
  const std::size_t skip = b.size() - a.size();
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!same_word(a[i], b[skip + i])) return false;
  return true;
}

inline std::string describe(const Claim& c) {
  const auto num = [](const std::optional<double>& v) {
    return v ? std::to_string(static_cast<long long>(*v)) : std::string("-");
  };
  std::string out(to_string(c.measure));
  out.append(" ").append(to_string(c.kind)).append(" ").append(num(c.low)).append("..");
  out.append(num(c.high));
  if (c.rate != Rate::none) out.append("/").append(to_string(c.rate));
  out.append(" [").append(c.source).append("]");
  return out;
}

inline void add(Score& total, Score&& part) {
  total.gold += part.gold;
  total.found += part.found;
  total.extracted += part.extracted;
  total.matched += part.matched;
  total.sourced += part.sourced;
  total.source_right += part.source_right;
  total.bytes += part.bytes;
  for (std::vector<std::string> Score::*list :
       {&Score::misses, &Score::wrong, &Score::wrong_source})
    (total.*list).insert((total.*list).end(), (part.*list).begin(), (part.*list).end());
}

// One folder of reports and its gold.csv.
inline Score score_folder(const std::filesystem::path& dir) {
  Score s;
  const std::vector<Claim> gold = read_claims_csv(dir / "gold.csv");
  std::map<std::string, std::vector<const Claim*>> by_document;
  for (const Claim& g : gold)
    by_document[g.document].push_back(&g);
  std::vector<std::filesystem::path> reports;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().filename() != "gold.csv" &&
        entry.path().filename() != "README.md")
      reports.push_back(entry.path());
  std::sort(reports.begin(), reports.end());
  s.gold = gold.size();
  for (const auto& path : reports) {
    const Document doc = load_document(path);
    s.bytes += doc.text.size();
    const std::vector<Claim> got = extract_claims(doc);
    s.extracted += got.size();
    std::vector<bool> used(got.size(), false);
    const std::string name = path.filename().string();
    for (const Claim* g : by_document[name]) {
      std::size_t hit = got.size();
      for (std::size_t k = 0; k < got.size() && hit == got.size(); ++k)
        if (!used[k] && got[k].measure == g->measure && got[k].low == g->low &&
            got[k].high == g->high && got[k].rate == g->rate)
          hit = k;
      if (hit == got.size()) {
        s.misses.push_back(name + ": " + describe(*g));
        continue;
      }
      used[hit] = true;
      ++s.found;
      if (!g->source.empty()) {
        ++s.sourced;
        if (same_source(got[hit].source, g->source)) {
          ++s.source_right;
        } else {
          s.wrong_source.push_back(name + ": " + describe(*g) + " <- [" + got[hit].source + "]  " +
                                   got[hit].text);
        }
      }
    }
    for (std::size_t k = 0; k < got.size(); ++k)
      if (!used[k])
        s.wrong.push_back(name + ": " + describe(got[k]) + "  " + got[k].text);
      else
        ++s.matched;
  }
  return s;
}

// A split of one language: its folder's reports (when it has a gold.csv) and those of every
// folder under it (the dev split holds the generated sets and the hand-written reports).
inline Score score(const std::filesystem::path& dir) {
  Score s;
  if (std::filesystem::exists(dir / "gold.csv")) s = score_folder(dir);
  std::vector<std::filesystem::path> subs;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.is_directory()) subs.push_back(entry.path());
  std::sort(subs.begin(), subs.end());
  for (const auto& sub : subs)
    add(s, score(sub));
  return s;
}

}  // namespace recount::corpus
