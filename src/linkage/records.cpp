#include "recount/linkage/records.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <unordered_map>

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include "recount/core/csv.hpp"
#include "recount/core/error.hpp"
#include "recount/core/hash.hpp"
#include "recount/core/progress.hpp"
#include "recount/core/text.hpp"
#include "recount/linkage/dates.hpp"
#include "recount/linkage/encoding.hpp"
#include "recount/linkage/names.hpp"

namespace recount::linkage {

namespace {

bool is_name_field(const std::string& f) {
  return f == "surname" || f == "given" || f == "patronymic";
}

// The fields compared, in the model's order.
std::vector<FieldSpec> compared_fields(const LinkConfig& config) {
  std::vector<FieldSpec> fields;
  auto any_list = [&](const std::string& f) {
    for (const ListSpec& l : config.lists)
      if (l.fields.contains(f) || (is_name_field(f) && l.fields.contains("full_name"))) return true;
    return false;
  };
  for (const char* f : {"surname", "given", "patronymic"})
    if (any_list(f)) fields.push_back({f, Comparator::name});
  for (const char* f : {"birth_date", "death_date"})
    if (any_list(f)) fields.push_back({f, Comparator::date});
  if (any_list("region")) fields.push_back({"region", Comparator::exact});
  std::map<std::string, Comparator> extra;
  for (const ListSpec& l : config.lists)
    for (const auto& [c, cmp] : l.compare)
      extra.emplace(c, cmp);
  for (const auto& [c, cmp] : extra)
    fields.push_back({c, cmp});
  return fields;
}

// One list's raw values, per compared field (copied out of the CSV reader's buffers).
struct RawList {
  std::vector<std::string> ids;
  std::vector<std::string> stratum;
  std::vector<std::size_t> lines;
  std::vector<std::vector<std::string>> values;  // [field][record]; empty = missing
  std::vector<bool> has_field;
  ListReport report;
};

RawList read_raw(std::string bytes, const ListSpec& spec, const std::vector<FieldSpec>& fields) {
  RawList raw;
  raw.report.name = spec.name;
  raw.report.file = spec.file.string();
  raw.report.sha256 = sha256_hex(bytes);
  std::string encoding;
  std::string text = to_utf8(std::move(bytes), spec.file.string(), &encoding);
  raw.report.encoding = encoding;
  CsvReader reader(std::move(text), spec.file.string());
  const std::size_t id_col = reader.require_column(spec.id_column);
  std::optional<std::size_t> full_col;
  if (auto it = spec.fields.find("full_name"); it != spec.fields.end())
    full_col = reader.require_column(it->second);
  std::vector<std::optional<std::size_t>> cols(fields.size());
  raw.values.resize(fields.size());
  raw.has_field.assign(fields.size(), false);
  for (std::size_t f = 0; f < fields.size(); ++f) {
    const std::string& name = fields[f].name;
    if (auto it = spec.fields.find(name); it != spec.fields.end())
      cols[f] = reader.require_column(it->second);
    else if (spec.compare.contains(name))
      cols[f] = reader.require_column(name);
    raw.has_field[f] = cols[f].has_value() || (full_col && is_name_field(name));
  }
  std::optional<std::size_t> stratum_col;
  if (!spec.stratum_column.empty()) stratum_col = reader.require_column(spec.stratum_column);

  // The full name goes in a column of its own after the fields, parsed once per distinct value.
  if (full_col) raw.values.resize(fields.size() + 1);
  std::unordered_map<std::string, std::size_t> seen;
  CsvRecord record;
  while (reader.next(record)) {
    const std::string id(trim(record.fields[id_col]));
    if (id.empty()) throw bad_input(reader.at(record, id_col), "empty id");
    const auto [it, inserted] = seen.emplace(id, record.line);
    if (!inserted)
      throw bad_input(
          reader.at(record, id_col),
          fmt::format("id '{}' repeated in list {} (first on line {})", id, spec.name, it->second));
    raw.ids.push_back(id);
    raw.lines.push_back(record.line);
    raw.stratum.emplace_back(stratum_col ? trim(record.fields[*stratum_col]) : "");
    for (std::size_t f = 0; f < fields.size(); ++f)
      raw.values[f].emplace_back(cols[f] ? trim(record.fields[*cols[f]]) : "");
    if (full_col) raw.values[fields.size()].emplace_back(trim(record.fields[*full_col]));
  }
  if (raw.ids.empty())
    throw bad_input(Location{.file = spec.file.string(), .line = 2},
                    fmt::format("list {} has a header but no records", spec.name));
  raw.report.records = raw.ids.size();
  return raw;
}

// Applies `f` once per distinct string, in parallel (name normalisation goes through ICU and
// is the slow part of reading; lists repeat surnames and given names many times).
template <class F>
std::vector<std::string> map_distinct(const std::vector<std::string>& distinct, F f) {
  std::vector<std::string> out(distinct.size());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, distinct.size(), 256),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t i = r.begin(); i < r.end(); ++i)
                        out[i] = f(distinct[i]);
                    });
  return out;
}

// Below this share of a list's written values surviving normalisation, a field is warned about.
constexpr double kComparableShare = 0.5;

class Interner {
 public:
  Interner() { strings_.emplace_back(); }
  std::uint32_t id(const std::string& s) {
    if (s.empty()) return 0;
    const auto [it, inserted] = ids_.emplace(s, static_cast<std::uint32_t>(strings_.size()));
    if (inserted) strings_.push_back(s);
    return it->second;
  }
  std::vector<std::string> take() { return std::move(strings_); }

 private:
  std::unordered_map<std::string, std::uint32_t> ids_;
  std::vector<std::string> strings_;
};

std::string key_of(const std::string& field, std::string_view value) {
  if (field == "surname") return surname_key(value);
  if (field == "given") return given_key(value);
  return patronymic_key(value);
}

// The names of one name field written in Cyrillic have one reading each: their keys, with the
// records that carry them, are the field's vocabulary (and for given names, the lexicon too).
class NameVocabulary {
 public:
  NameVocabulary(const std::string& field, const std::vector<std::string>& raws,
                 const std::vector<std::string>& keys, const std::vector<std::size_t>& uses)
      : given_(field == "given") {
    for (std::size_t i = 1; i < raws.size(); ++i)
      if (!keys[i].empty() && written_in_cyrillic(raws[i])) records_[keys[i]] += uses[i];
  }
  // Records whose Cyrillic name has this key, plus one for a name of the lexicon; 0 unknown.
  [[nodiscard]] std::size_t weight(const std::string& key) const {
    const auto it = records_.find(key);
    return (it == records_.end() ? 0 : it->second) + (given_ && known_given_key(key) ? 1 : 0);
  }

 private:
  bool given_;
  std::unordered_map<std::string, std::size_t> records_;
};

// The key of a name written in Latin: its English-style reading's key when the vocabulary knows
// it; otherwise the key of the French or German reading (names.hpp, foreign_readings) that the
// vocabulary knows best; otherwise the English-style key still. A Latin spelling is ambiguous
// about the convention it follows (ch is ч in English, ш in French, х in German), and the
// names the lists write in Cyrillic say which reading names a man they hold.
std::string resolved_key(const std::string& field, const std::string& raw, std::string key,
                         const NameVocabulary& vocabulary) {
  if (key.empty() || written_in_cyrillic(raw) || vocabulary.weight(key) > 0) return key;
  std::size_t best = 0;
  for (const std::string& reading : foreign_readings(raw)) {
    std::string k = key_of(field, reading);
    if (const std::size_t w = vocabulary.weight(k); w > best) {
      best = w;
      key = std::move(k);
    }
  }
  return key;
}

}  // namespace

std::string comparison_key(const FieldSpec& spec, std::string_view raw) {
  if (raw.empty()) return {};
  if (spec.comparator == Comparator::name) return key_of(spec.name, raw);
  // Region names: script and case folded like names.
  if (spec.name == "region") return name_key(raw);
  if (spec.comparator == Comparator::exact) return std::string(raw);
  // Columns compared by Jaro-Winkler or Levenshtein: script and case folded, digits and letters
  // kept (an identity number must not lose its digits).
  return text_key(raw);
}

namespace {

RecordSet assemble(std::vector<RawList> lists, const LinkConfig& config,
                   std::vector<FieldSpec> fields, bool keep_text) {
  RecordSet set;
  set.fields = std::move(fields);
  const std::size_t nf = set.fields.size();
  std::size_t n = 0;
  for (const RawList& l : lists)
    n += l.ids.size();
  set.list.reserve(n);
  set.id.reserve(n);
  set.stratum.reserve(n);
  set.line.reserve(n);

  // Full names: parsed once per distinct value, split into the name fields.
  for (RawList& l : lists) {
    if (l.values.size() <= nf) continue;
    std::vector<std::string>& full = l.values[nf];
    Interner distinct;
    std::vector<std::uint32_t> index(full.size());
    for (std::size_t i = 0; i < full.size(); ++i)
      index[i] = distinct.id(full[i]);
    const std::vector<std::string> names = distinct.take();
    std::vector<PersonName> parsed(names.size());
    tbb::parallel_for(tbb::blocked_range<std::size_t>(1, std::max<std::size_t>(names.size(), 1)),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        for (std::size_t i = r.begin(); i < r.end(); ++i)
                          parsed[i] = parse_full_name(names[i]);
                      });
    for (std::size_t f = 0; f < nf; ++f) {
      const std::string& field = set.fields[f].name;
      if (!is_name_field(field)) continue;
      for (std::size_t i = 0; i < full.size(); ++i) {
        const PersonName& p = parsed[index[i]];
        l.values[f][i] = field == "surname" ? p.surname : field == "given" ? p.given : p.patronymic;
      }
    }
  }

  for (std::size_t li = 0; li < lists.size(); ++li) {
    RawList& l = lists[li];
    set.list_names.push_back(config.lists[li].name);
    for (std::size_t i = 0; i < l.ids.size(); ++i) {
      set.list.push_back(static_cast<std::uint16_t>(li));
      set.id.push_back(std::move(l.ids[i]));
      set.stratum.push_back(std::move(l.stratum[i]));
      set.line.push_back(l.lines[i]);
    }
  }
  // Strata written in different scripts or cases ("Свердловская", "Sverdlovskaya") are one
  // stratum, named by its most common spelling, so that estimates per stratum see one table.
  // Keys are computed once per distinct spelling: a million records have a few dozen strata.
  {
    std::map<std::string, std::size_t> uses;
    for (const std::string& st : set.stratum)
      if (!st.empty()) ++uses[st];
    std::map<std::string, std::string> key_of;     // spelling -> key
    std::map<std::string, std::string> name_of;    // key -> most common spelling
    std::map<std::string, std::size_t> name_uses;  // key -> uses of that spelling
    for (const auto& [spelling, count] : uses) {
      const std::string key = name_key(spelling);
      key_of[spelling] = key;
      if (count > name_uses[key]) {
        name_uses[key] = count;
        name_of[key] = spelling;
      }
    }
    for (std::string& st : set.stratum)
      if (!st.empty()) st = name_of[key_of[st]];
  }
  if (keep_text) {
    set.text.resize(n, std::vector<std::string>(nf));
    std::size_t r = 0;
    for (const RawList& l : lists)
      for (std::size_t i = 0; i < l.ids.size(); ++i, ++r)
        for (std::size_t f = 0; f < nf; ++f)
          set.text[r][f] = l.values[f][i];
  }

  set.values.resize(nf);
  // Per name field: its distinct raw values, each record's raw id and the vocabulary, for the
  // crossed keys of the names-inverted level.
  struct NameField {
    std::vector<std::string> raws;
    std::vector<std::uint32_t> raw_of;
    std::unique_ptr<NameVocabulary> vocabulary;
  };
  std::map<std::string, NameField> name_fields;
  for (std::size_t f = 0; f < nf; ++f) {
    const FieldSpec& spec = set.fields[f];
    FieldValues& v = set.values[f];
    if (spec.comparator == Comparator::date) {
      v.date.reserve(n);
      for (std::size_t li = 0; li < lists.size(); ++li) {
        RawList& l = lists[li];
        std::vector<std::string_view> views;
        for (const std::string& s : l.values[f])
          if (!s.empty()) views.push_back(s);
        const DateOrder order = detect_date_order(views);
        if (l.has_field[f] && !views.empty()) {
          if (!l.report.date_order.empty()) l.report.date_order += ", ";
          l.report.date_order += spec.name;
          l.report.date_order += order == DateOrder::day_first ? ": day first" : ": month first";
        }
        for (std::size_t i = 0; i < l.values[f].size(); ++i) {
          const std::string& s = l.values[f][i];
          std::int32_t packed = 0;
          if (!s.empty()) {
            if (const auto d = parse_partial_date(s, order); d && d->year > 0) {
              packed = d->year * 10000 + d->month * 100 + d->day;
              ++l.report.present[spec.name];
            } else if (++l.report.unreadable[spec.name] == 1) {
              l.report.first_unreadable_line[spec.name] = l.lines[i];
            }
          }
          v.date.push_back(packed);
        }
      }
      continue;
    }
    if (spec.comparator == Comparator::numeric) {
      v.number.reserve(n);
      for (RawList& l : lists)
        for (std::size_t i = 0; i < l.values[f].size(); ++i) {
          const std::string& s = l.values[f][i];
          double x = std::numeric_limits<double>::quiet_NaN();
          if (!s.empty()) {
            double parsed = 0;
            const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), parsed);
            if (ec == std::errc() && end == s.data() + s.size() && std::isfinite(parsed)) {
              x = parsed;
              ++l.report.present[spec.name];
            } else if (++l.report.unreadable[spec.name] == 1) {
              l.report.first_unreadable_line[spec.name] = l.lines[i];
            }
          }
          v.number.push_back(x);
        }
      continue;
    }
    // Strings: interned raw, then normalised once per distinct value.
    Interner raw_ids;
    std::vector<std::uint32_t> raw_of(n);
    std::size_t r = 0;
    for (RawList& l : lists)
      for (std::size_t i = 0; i < l.values[f].size(); ++i, ++r) {
        raw_of[r] = raw_ids.id(l.values[f][i]);
        if (raw_of[r] != 0) ++l.report.present[spec.name];
      }
    const std::vector<std::string> raws = raw_ids.take();
    std::vector<std::string> key_form =
        map_distinct(raws, [&spec](const std::string& s) { return comparison_key(spec, s); });
    if (spec.comparator == Comparator::name) {
      std::vector<std::size_t> uses(raws.size(), 0);
      for (std::uint32_t id : raw_of)
        ++uses[id];
      auto vocabulary = std::make_unique<NameVocabulary>(spec.name, raws, key_form, uses);
      std::vector<std::string> resolved(raws.size());
      tbb::parallel_for(tbb::blocked_range<std::size_t>(1, std::max<std::size_t>(raws.size(), 1)),
                        [&](const tbb::blocked_range<std::size_t>& range) {
                          for (std::size_t i = range.begin(); i < range.end(); ++i)
                            resolved[i] =
                                resolved_key(spec.name, raws[i], key_form[i], *vocabulary);
                        });
      for (std::size_t i = 1; i < raws.size(); ++i)
        key_form[i] = std::move(resolved[i]);
      name_fields[spec.name] = NameField{raws, raw_of, std::move(vocabulary)};
    }
    std::vector<std::string> exact_form;
    if (spec.comparator == Comparator::name)
      exact_form = map_distinct(raws, [](const std::string& s) { return latin(s); });
    else if (spec.name == "region")
      exact_form = key_form;
    else
      exact_form = raws;
    Interner exact_ids, key_ids;
    std::vector<std::uint32_t> exact_of(raws.size()), key_of_raw(raws.size());
    for (std::size_t i = 1; i < raws.size(); ++i) {
      exact_of[i] = exact_ids.id(exact_form[i]);
      key_of_raw[i] = key_ids.id(key_form[i]);
    }
    v.exact.resize(n);
    v.key.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      v.exact[i] = exact_of[raw_of[i]];
      v.key[i] = key_of_raw[raw_of[i]];
    }
    v.keys = key_ids.take();
    v.key_count.assign(v.keys.size(), 0);
    for (std::uint32_t k : v.key)
      ++v.key_count[k];
    // A field whose values are present in the file but mostly vanish on the way to their
    // comparison form (a column of digits keyed like a name) would silently weigh nothing.
    std::size_t first = 0;
    for (RawList& l : lists) {
      const std::size_t count = l.values[f].size();
      std::size_t written = 0, compared = 0;
      for (std::size_t i = first; i < first + count; ++i) {
        written += raw_of[i] != 0 ? 1 : 0;
        compared += v.key[i] != 0 ? 1 : 0;
      }
      first += count;
      if (written >= 10 && static_cast<double>(compared) < kComparableShare * written)
        set.warnings.push_back(fmt::format(
            "list {}, field {}: {} of {} values in the file are empty once normalised for "
            "comparison ({:.0f}% present in the file, {:.0f}% after); check the field's "
            "comparison",
            l.report.name, spec.name, written - compared, written,
            100.0 * static_cast<double>(written) / static_cast<double>(count),
            100.0 * static_cast<double>(compared) / static_cast<double>(count)));
    }
  }
  // Crossed keys (the names-inverted level): each record's given name keyed as a surname, and
  // its surname keyed as a given name, in the other field's key table.
  const auto surname = set.field_index("surname");
  const auto given = set.field_index("given");
  if (surname && given && name_fields.contains("surname") && name_fields.contains("given")) {
    for (const auto& [into, from] : {std::pair<std::size_t, std::string>{*surname, "given"},
                                     std::pair<std::size_t, std::string>{*given, "surname"}}) {
      FieldValues& v = set.values[into];
      const std::string& field = set.fields[into].name;
      const NameField& source = name_fields.at(from);
      const NameVocabulary& vocabulary = *name_fields.at(field).vocabulary;
      const std::vector<std::string> crossed_key =
          map_distinct(source.raws, [&](const std::string& raw) {
            return raw.empty() ? std::string()
                               : resolved_key(field, raw, key_of(field, raw), vocabulary);
          });
      std::unordered_map<std::string, std::uint32_t> id_of;
      for (std::size_t k = 1; k < v.keys.size(); ++k)
        id_of.emplace(v.keys[k], static_cast<std::uint32_t>(k));
      // A crossed key that no record has in this field can agree with none: it stays 0, and
      // the key table (and its similarity cache) does not grow.
      std::vector<std::uint32_t> crossed_id(source.raws.size(), 0);
      for (std::size_t i = 1; i < source.raws.size(); ++i)
        if (const auto it = id_of.find(crossed_key[i]); it != id_of.end())
          crossed_id[i] = it->second;
      v.crossed.resize(n);
      for (std::size_t r = 0; r < n; ++r)
        v.crossed[r] = crossed_id[source.raw_of[r]];
    }
  }
  for (RawList& l : lists)
    set.reports.push_back(std::move(l.report));
  return set;
}

}  // namespace

std::optional<std::size_t> RecordSet::field_index(std::string_view name) const {
  for (std::size_t f = 0; f < fields.size(); ++f)
    if (fields[f].name == name) return f;
  return std::nullopt;
}

RecordSet read_records(const LinkConfig& config, const ReadOptions& options) {
  const std::vector<FieldSpec> fields = compared_fields(config);
  std::vector<RawList> lists;
  for (const ListSpec& spec : config.lists) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(spec.file, ec))
      throw bad_input(Location{.file = config.path.string(), .line = spec.line, .key = "file"},
                      fmt::format("list {}: file '{}' not found ({})", spec.name,
                                  spec.file_as_written, spec.file.string()));
    if (options.progress)
      note(fmt::format("reading list {} ({})", spec.name, spec.file_as_written));
    lists.push_back(read_raw(read_file(spec.file), spec, fields));
  }
  return assemble(std::move(lists), config, fields, options.keep_text);
}

RecordSet parse_list(std::string bytes, const ListSpec& spec) {
  LinkConfig config;
  config.lists.push_back(spec);
  const std::vector<FieldSpec> fields = compared_fields(config);
  std::vector<RawList> lists;
  lists.push_back(read_raw(std::move(bytes), spec, fields));
  return assemble(std::move(lists), config, fields, false);
}

}  // namespace recount::linkage
