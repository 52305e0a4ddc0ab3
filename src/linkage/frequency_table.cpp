#include "recount/linkage/frequency_table.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <unordered_map>

#include <fmt/format.h>

#include "recount/core/csv.hpp"
#include "recount/core/error.hpp"
#include "recount/core/text.hpp"

namespace recount::linkage {

ExternalFrequencies read_frequency_tables(const RecordSet& records, const ModelOptions& options) {
  ExternalFrequencies out(records.fields.size());
  for (const auto& [field, path] : options.frequency_tables) {
    const std::optional<std::size_t> f = records.field_index(field);
    if (!f) continue;
    CsvReader csv = CsvReader::open(path);
    const std::size_t vc = csv.require_column("value");
    const std::size_t cc = csv.require_column("count");
    std::unordered_map<std::string, double> count_by_key;
    double total = 0;
    CsvRecord row;
    while (csv.next(row)) {
      const std::string_view text = trim(row.fields[cc]);
      double count = 0;
      const auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), count);
      if (err != std::errc() || end != text.data() + text.size() || !(count > 0) ||
          count == std::numeric_limits<double>::infinity())
        throw bad_input(csv.at(row, cc), fmt::format("'{}' is not a positive count", text));
      const std::string key = comparison_key(records.fields[*f], trim(row.fields[vc]));
      if (key.empty()) continue;
      count_by_key[key] += count;
      total += count;
    }
    if (total <= 0)
      throw bad_input(Location{.file = path.string()}, "the frequency table has no values");
    double smallest = 1;
    for (const auto& [key, count] : count_by_key)
      smallest = std::min(smallest, count / total);
    const FieldValues& v = records.values[*f];
    out[*f].assign(v.keys.size(), smallest);
    for (std::size_t k = 1; k < v.keys.size(); ++k)
      if (const auto it = count_by_key.find(v.keys[k]); it != count_by_key.end())
        out[*f][k] = it->second / total;
  }
  return out;
}

}  // namespace recount::linkage
