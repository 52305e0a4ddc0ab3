#include "recount/linkage/blocking.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

#include <fmt/format.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include "recount/core/error.hpp"
#include "recount/core/progress.hpp"

namespace recount::linkage {

namespace {

// SplitMix64's finaliser (Steele, Lea & Flood 2014): a fast, well-mixed 64-bit hash.
constexpr std::uint64_t mix(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

std::uint64_t string_prefix_hash(const std::string& s, std::size_t n) {
  std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a
  for (std::size_t i = 0; i < std::min(n, s.size()); ++i) {
    h ^= static_cast<unsigned char>(s[i]);
    h *= 0x100000001b3ull;
  }
  return h | 1;
}

std::uint64_t string_hash(const std::string& s) {
  return string_prefix_hash(s, s.size());
}

// The derived keys of a name key (ASCII lowercase Latin after the transliteration fold, so one
// rule serves Cyrillic and Latin lists alike); empty = missing.
std::string derived_name_key(const std::string& kind, const std::string& key) {
  if (kind == "prefix") return key.substr(0, 4);
  if (kind == "initial") return key.substr(0, 1);
  if (kind == "suffix") return key.size() >= 5 ? key.substr(2) : std::string();
  if (kind == "sorted") {
    std::string sorted = key;
    std::sort(sorted.begin(), sorted.end());
    return sorted;
  }
  return phonetic_key(key);
}

}  // namespace

std::string phonetic_key(std::string_view key) {
  // Soundex's consonant classes (Knuth, TAOCP vol. 3, 6.4) over the whole key, not cut to four:
  // vowels, y, j (й), h (of kh, zh, sh, ch) and w are dropped and a run of one class is one
  // code, so a typo in a vowel, a doubled letter or a consonant of the same class keeps the
  // key. Written by hand: Debian packages no C++ phonetic library.
  static constexpr char kClass[27] = "01230120002455012623010202";
  std::string out;
  char last = 0;
  for (const char c : key) {
    if (c < 'a' || c > 'z') continue;
    const char code = kClass[c - 'a'];
    if (code == '0') {
      if (c != 'h' && c != 'w') last = 0;  // a vowel separates two consonants of one class
      continue;
    }
    if (code != last) out.push_back(code);
    last = code;
  }
  return out;
}

bool is_derived_name_key(const std::string& key) {
  for (const char* field : {"surname_", "given_"})
    if (key.starts_with(field))
      for (const char* kind : {"prefix", "initial", "suffix", "sorted", "phonetic"})
        if (key.substr(std::string_view(field).size()) == kind) return true;
  return false;
}

std::vector<std::uint64_t> key_values(const RecordSet& records, const std::string& key) {
  const std::size_t n = records.size();
  std::vector<std::uint64_t> out(n, 0);
  const std::string field = blocking_key_field(key);
  const std::optional<std::size_t> fi = records.field_index(field);
  if (!fi) return out;
  const FieldValues& v = records.values[*fi];
  if (is_derived_name_key(key)) {
    const std::string kind = key.substr(field.size() + 1);
    std::vector<std::uint64_t> by_key(v.keys.size(), 0);
    for (std::size_t k = 1; k < v.keys.size(); ++k) {
      const std::string d = derived_name_key(kind, v.keys[k]);
      if (!d.empty()) by_key[k] = string_hash(d);
    }
    for (std::size_t i = 0; i < n; ++i)
      out[i] = by_key[v.key[i]];
    return out;
  }
  if (!v.date.empty()) {
    for (std::size_t i = 0; i < n; ++i) {
      const std::int32_t d = v.date[i];
      if (d == 0) continue;
      if (key.ends_with("_year"))
        out[i] = static_cast<std::uint64_t>(date_year(d));
      else if (key.ends_with("_span"))
        out[i] = static_cast<std::uint64_t>(date_year(d) / 2);
      else if (key.ends_with("_span_shifted"))
        out[i] = static_cast<std::uint64_t>((date_year(d) + 1) / 2);
      else if (key.ends_with("_month"))
        out[i] = date_month(d) == 0 ? 0 : static_cast<std::uint64_t>(d / 100);
      else
        out[i] = date_day(d) == 0 ? 0 : static_cast<std::uint64_t>(d);
    }
    return out;
  }
  if (!v.number.empty()) {
    for (std::size_t i = 0; i < n; ++i)
      if (!std::isnan(v.number[i])) out[i] = std::bit_cast<std::uint64_t>(v.number[i]) | 1;
    return out;
  }
  // The comparison key: name keys, folded text of similarity columns, raw text of exact ones.
  for (std::size_t i = 0; i < n; ++i)
    out[i] = v.key[i];
  return out;
}

std::uint64_t combine_key(std::uint64_t so_far, std::uint64_t value, std::size_t position) {
  if (so_far == 0 || value == 0) return 0;
  const std::uint64_t h = mix(so_far ^ mix(value + 0x1000193 * (position + 1)));
  return h == 0 ? 1 : h;
}

BlockCount count_blocks(std::vector<std::uint64_t> keys, std::uint64_t max_block) {
  keys.erase(std::remove(keys.begin(), keys.end(), std::uint64_t{0}), keys.end());
  tbb::parallel_sort(keys.begin(), keys.end());
  BlockCount c;
  c.keyed_records = keys.size();
  for (std::size_t i = 0; i < keys.size();) {
    std::size_t j = i + 1;
    while (j < keys.size() && keys[j] == keys[i])
      ++j;
    const std::uint64_t size = j - i;
    if (size > max_block) {
      ++c.skipped_blocks;
      c.skipped_records += size;
    } else {
      c.pairs += size * (size - 1) / 2;
    }
    i = j;
  }
  return c;
}

std::string blocking_key_field(const std::string& key) {
  if (is_derived_name_key(key)) return key.substr(0, key.find('_'));
  if (key == "birth_year" || key == "birth_month" || key == "birth_span" ||
      key == "birth_span_shifted")
    return "birth_date";
  if (key == "death_year" || key == "death_month") return "death_date";
  return key;
}

std::vector<std::uint64_t> rule_keys(const RecordSet& records, const BlockingRule& rule) {
  std::vector<std::uint64_t> keys(records.size(), kRuleSeed);
  for (std::size_t k = 0; k < rule.keys.size(); ++k) {
    const std::vector<std::uint64_t> values = key_values(records, rule.keys[k]);
    for (std::size_t i = 0; i < keys.size(); ++i)
      keys[i] = combine_key(keys[i], values[i], k);
  }
  return keys;
}

std::vector<RulePairs> block(const RecordSet& records, const BlockingOptions& options,
                             const std::string& config_file) {
  std::vector<RulePairs> out;
  for (const BlockingRule& rule : options.rules) {
    RulePairs rp;
    rp.rule = rule;
    const std::vector<std::uint64_t> keys = rule_keys(records, rule);
    std::vector<std::pair<std::uint64_t, std::uint32_t>> keyed;
    keyed.reserve(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i)
      if (keys[i] != 0) keyed.emplace_back(keys[i], static_cast<std::uint32_t>(i));
    tbb::parallel_sort(keyed.begin(), keyed.end());
    rp.keyed_records = keyed.size();
    std::vector<std::size_t> starts;
    for (std::size_t i = 0; i < keyed.size(); ++i)
      if (i == 0 || keyed[i].first != keyed[i - 1].first) starts.push_back(i);
    starts.push_back(keyed.size());
    std::vector<std::uint64_t> offsets(starts.size(), 0);
    std::vector<bool> skip(starts.size(), false);
    for (std::size_t g = 0; g + 1 < starts.size(); ++g) {
      const std::uint64_t size = starts[g + 1] - starts[g];
      skip[g] = size > options.max_block;
      if (skip[g]) {
        ++rp.skipped_blocks;
        rp.skipped_records += size;
      }
      offsets[g + 1] = offsets[g] + (skip[g] ? 0 : size * (size - 1) / 2);
    }
    rp.pairs = offsets.back();
    if (rp.pairs > options.pair_limit) {
      const std::string message = fmt::format(
          "blocking rule {} would make {} pairs, more than the pair limit {}: add a "
          "key to the rule or raise [blocking] pair_limit",
          rule.label(), rp.pairs, options.pair_limit);
      if (options.rules_given)
        throw bad_input(Location{.file = config_file, .key = "blocking.rules"}, message);
      note(message + " (automatic rule skipped)");
      rp.refused = true;
      out.push_back(std::move(rp));
      continue;
    }
    note(fmt::format("blocking rule {}: {} pairs{}", rule.label(), rp.pairs,
                     rp.skipped_blocks == 0
                         ? std::string()
                         : fmt::format(" ({} blocks of more than {} records left out, {} records)",
                                       rp.skipped_blocks, options.max_block, rp.skipped_records)));
    rp.ids.resize(rp.pairs);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, starts.size() - 1),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        for (std::size_t g = r.begin(); g < r.end(); ++g) {
                          if (skip[g]) continue;
                          std::uint64_t o = offsets[g];
                          for (std::size_t i = starts[g]; i < starts[g + 1]; ++i)
                            for (std::size_t j = i + 1; j < starts[g + 1]; ++j)
                              rp.ids[o++] = pack_pair(keyed[i].second, keyed[j].second);
                        }
                      });
    tbb::parallel_sort(rp.ids.begin(), rp.ids.end());
    out.push_back(std::move(rp));
  }
  bool any = false;
  for (const RulePairs& rp : out)
    any = any || !rp.refused;
  if (!any)
    throw bad_input(Location{.file = config_file, .key = "blocking"},
                    "every blocking rule makes more pairs than the pair limit: give [blocking] "
                    "rules with more keys");
  return out;
}

std::vector<std::uint64_t> union_pairs(const std::vector<RulePairs>& rules) {
  std::size_t total = 0;
  for (const RulePairs& r : rules)
    total += r.ids.size();
  std::vector<std::uint64_t> all;
  all.reserve(total);
  for (const RulePairs& r : rules)
    all.insert(all.end(), r.ids.begin(), r.ids.end());
  tbb::parallel_sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

}  // namespace recount::linkage
