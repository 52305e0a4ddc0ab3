#pragma once
// The records of all lists, normalised once into compact comparison values: name keys and
// other strings interned as integer ids (0 = missing), dates packed into integers. Struct of
// arrays so that scoring millions of pairs touches little memory.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "recount/linkage/config.hpp"

namespace recount::linkage {

// A compared field, in the fixed order of the model: the standard ones the lists have, then
// the `compare` columns.
struct FieldSpec {
  std::string name;
  Comparator comparator = Comparator::exact;
};

// The values of one field for every record.
struct FieldValues {
  std::vector<std::uint32_t> exact;      // id of the spelling (Latin transliteration); 0 = missing
  std::vector<std::uint32_t> key;        // id of the comparison key (name keys); 0 = missing
  std::vector<std::int32_t> date;        // yyyymmdd with 00 for unknown parts; 0 = missing
  std::vector<double> number;            // NaN = missing
  std::vector<std::string> keys;         // key strings by id (keys[0] = "")
  std::vector<std::uint32_t> key_count;  // records per key id (term frequencies)
  // Surname and given name only: per record, the id in this field's keys of the record's OTHER
  // name part keyed as this field (the given name keyed as a surname, and the reverse); 0 when
  // missing. For the "names inverted" level (comparison.hpp).
  std::vector<std::uint32_t> crossed;
};

// What reading one list found, for the report (counts and line numbers only, no names).
struct ListReport {
  std::string name;
  std::string file;
  std::string encoding;  // "utf-8" or "windows-1251"
  std::string sha256;
  std::size_t records = 0;
  // Per field: values present, and values that could not be read (kept as missing) with the
  // line of the first one.
  std::map<std::string, std::size_t> present;
  std::map<std::string, std::size_t> unreadable;
  std::map<std::string, std::size_t> first_unreadable_line;
  std::string date_order;  // per date field, e.g. "birth_date: day_first"
};

struct RecordSet {
  std::vector<std::string> list_names;
  std::vector<FieldSpec> fields;
  std::vector<FieldValues> values;   // parallel to fields
  std::vector<std::uint16_t> list;   // per record: the list's index
  std::vector<std::string> id;       // per record
  std::vector<std::string> stratum;  // per record (empty without a stratum column)
  std::vector<std::size_t> line;     // per record: its line in the list file
  std::vector<ListReport> reports;
  // Only with keep_text: the text of each field as written, per record (for `link explain`).
  std::vector<std::vector<std::string>> text;
  // Problems of the input that do not stop the run (a field that vanishes on normalisation).
  std::vector<std::string> warnings;

  [[nodiscard]] std::size_t size() const noexcept { return id.size(); }
  [[nodiscard]] std::optional<std::size_t> field_index(std::string_view name) const;
};

struct ReadOptions {
  bool keep_text = false;
  bool progress = true;
};

// Reads every list of the config: encoding detected (UTF-8 or Windows-1251), columns checked,
// ids unique within a list, dates parsed (the day/month order detected per column; an
// unreadable date is counted and the field left missing). Bad input names file, line, column.
// The comparison key of a raw value of a string field (the form term frequencies and exact
// agreement on keys use): name keys for names, folded names for regions, text_key for columns
// compared by similarity, the value itself for `exact` columns.
[[nodiscard]] std::string comparison_key(const FieldSpec& spec, std::string_view raw);

[[nodiscard]] RecordSet read_records(const LinkConfig& config, const ReadOptions& options = {});

// One list from text (the fuzzer's entry): `spec.file` only names it in messages.
[[nodiscard]] RecordSet parse_list(std::string bytes, const ListSpec& spec);

// Packed date helpers: yyyymmdd with 00 for unknown parts.
[[nodiscard]] constexpr int date_year(std::int32_t d) noexcept {
  return d / 10000;
}
[[nodiscard]] constexpr int date_month(std::int32_t d) noexcept {
  return d / 100 % 100;
}
[[nodiscard]] constexpr int date_day(std::int32_t d) noexcept {
  return d % 100;
}

}  // namespace recount::linkage
