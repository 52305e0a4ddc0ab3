#pragma once
// Labelled pairs: a reviewer's decisions on pairs of records (list_a,id_a,list_b,id_b,decision),
// from the clerical-review file `recount link --review` writes or typed by hand. They override
// the model's score for those pairs, train the model (semi-supervised EM: a labelled pair's
// match responsibility is fixed at 1 or 0), and measure precision and recall (`link eval
// --labels`). docs/linkage.md.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "recount/linkage/records.hpp"

namespace recount::linkage {

struct LabelledPair {
  std::string list_a, id_a, list_b, id_b;
  bool match = false;
  std::size_t line = 0;  // in its file
};

// A decision as reviewers write it: match/yes/1/true/same, non-match/no/0/false/different, or
// undecided (empty, "?", "unsure", "skip"); nullopt for anything else.
enum class Decision { match, non_match, undecided };
[[nodiscard]] std::optional<Decision> parse_decision(std::string_view text);

// Reads a labels file. Undecided rows are counted in `undecided` and left out; an unknown
// decision, a pair of one record with itself or a pair given twice with different decisions
// is bad input naming the file and line.
struct LabelFile {
  std::vector<LabelledPair> pairs;
  std::size_t undecided = 0;
};
[[nodiscard]] LabelFile read_labelled_pairs(const std::filesystem::path& path);
// The same from text (the fuzzer's entry); `name` names it in messages.
[[nodiscard]] LabelFile parse_labelled_pairs(std::string text, const std::string& name);

// The labelled pairs as packed record pairs (blocking.hpp). A record not in the lists is bad
// input naming the labels file and line: the labels belong to other lists.
struct RecordLabels {
  std::vector<std::uint64_t> matches, non_matches;  // sorted
  [[nodiscard]] bool empty() const noexcept { return matches.empty() && non_matches.empty(); }
};
[[nodiscard]] RecordLabels resolve_labels(const RecordSet& records, const LabelFile& labels,
                                          const std::filesystem::path& file);

// Merges a reviewed file into a labels file (created if absent): a decision on a pair already
// labelled replaces it. Written owner-only, atomically.
struct LabelMerge {
  std::size_t added = 0, replaced = 0, unchanged = 0, undecided = 0, total = 0;
};
[[nodiscard]] LabelMerge merge_labelled_pairs(const std::filesystem::path& reviewed,
                                              const std::filesystem::path& labels);

}  // namespace recount::linkage
