#include "recount/linkage/review.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "recount/core/csv.hpp"
#include "recount/core/text.hpp"

namespace recount::linkage {

std::size_t write_review(const LinkConfig& config, const LinkResult& result,
                         const std::filesystem::path& file, const ReviewOptions& options) {
  const RecordSet& records = result.records;
  const float lo = static_cast<float>(log2_odds_of(options.low));
  const float hi = static_cast<float>(log2_odds_of(options.high));
  const auto labelled = [&](std::uint64_t pair) {
    return std::binary_search(result.labels.matches.begin(), result.labels.matches.end(), pair) ||
           std::binary_search(result.labels.non_matches.begin(), result.labels.non_matches.end(),
                              pair);
  };
  std::vector<std::size_t> chosen;
  for (std::size_t i = 0; i < result.candidates.size(); ++i)
    if (result.scores[i] >= lo && result.scores[i] <= hi && !labelled(result.candidates[i]))
      chosen.push_back(i);
  // The most uncertain first (posterior log-odds nearest 0), ties in pair order.
  std::stable_sort(chosen.begin(), chosen.end(), [&](std::size_t a, std::size_t b) {
    return std::abs(result.scores[a]) < std::abs(result.scores[b]);
  });
  if (chosen.size() > options.limit) chosen.resize(options.limit);

  RecordSet with_text;
  if (options.show_names)
    with_text = read_records(config, ReadOptions{.keep_text = true, .progress = false});
  const Comparer comparer(records, result.model.thresholds);
  std::vector<std::string> header{"list_a",      "id_a",      "list_b", "id_b",
                                  "probability", "log2_odds", "joined"};
  for (const FieldModel& f : result.model.fields) {
    header.push_back(f.name + "_level");
    if (options.show_names) {
      header.push_back(f.name + "_a");
      header.push_back(f.name + "_b");
    }
  }
  header.emplace_back("decision");
  std::string out = csv_line(header) + '\n';
  for (std::size_t i : chosen) {
    const std::uint32_t a = pair_first(result.candidates[i]);
    const std::uint32_t b = pair_second(result.candidates[i]);
    std::vector<std::string> row{records.list_names[records.list[a]],
                                 records.id[a],
                                 records.list_names[records.list[b]],
                                 records.id[b],
                                 fmt::format("{:.4f}", probability_of(result.scores[i])),
                                 fmt::format("{:.2f}", result.scores[i]),
                                 result.entity[a] == result.entity[b] ? "yes" : "no"};
    for (std::size_t f = 0; f < result.model.fields.size(); ++f) {
      row.push_back(
          result.model.fields[f].levels[static_cast<std::size_t>(comparer.level(f, a, b))]);
      if (options.show_names) {
        row.push_back(with_text.text[a][f]);
        row.push_back(with_text.text[b][f]);
      }
    }
    row.emplace_back();
    out += csv_line(row) + '\n';
  }
  write_file(file, out, true);
  return chosen.size();
}

}  // namespace recount::linkage
