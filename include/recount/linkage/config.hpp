#pragma once
// The link config (TOML): which lists, which columns hold which fields, and the optional
// [blocking] and [model] tables. Everything optional is chosen automatically and reported.
// The format is documented in docs/linkage.md.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace recount::linkage {

// How a field is compared. `name` is the surname/given/patronymic comparison (exact, equal
// keys after transliteration and diminutives, Jaro-Winkler and Damerau-Levenshtein levels).
enum class Comparator { name, exact, jaro_winkler, levenshtein, date, numeric };

[[nodiscard]] const char* comparator_name(Comparator c) noexcept;

// One input list: `fields` maps a standard field (surname, given, patronymic, full_name,
// birth_date, death_date, region) to the list's column; `compare` maps other columns to their
// comparison. `line` is the line of the list's `file` key in the config (for messages).
struct ListSpec {
  std::string name;
  std::filesystem::path file;  // resolved against the config's folder
  std::string file_as_written;
  std::string id_column;
  std::map<std::string, std::string> fields;  // standard field -> column
  std::map<std::string, Comparator> compare;  // column (= field name) -> comparison
  std::string stratum_column;                 // empty: none
  // `unique = true`: each person appears in this list at most once (a deduplicated register).
  // Links between unique lists give an entity at most one record of each (docs/linkage.md).
  bool unique = false;
  std::size_t line = 0;
};

// A blocking rule: records whose keys all agree (and are all present) become candidate pairs.
// Keys: surname, given, patronymic, birth_date, birth_year, birth_month, birth_span (two-year
// bins), birth_span_shifted (the same shifted by a year), death_date, death_year, region,
// surname_prefix (first four letters of the surname key), surname_suffix, surname_phonetic,
// surname_sorted, surname_initial, given_initial, given_phonetic (blocking.hpp:
// is_derived_name_key), or a compared column.
struct BlockingRule {
  std::vector<std::string> keys;
  [[nodiscard]] std::string label() const;  // "surname+birth_year"
};

struct BlockingOptions {
  std::vector<BlockingRule> rules;  // empty in the file: the defaults (default_blocking_rules)
  bool rules_given = false;
  std::uint64_t pair_limit = 100'000'000;  // per rule
  // Blocks (records sharing a rule's keys) larger than this are left out of that rule: a name
  // shared by hundreds of men is no evidence on its own, and such blocks make most pairs.
  std::uint64_t max_block = 200;
  // Automatic rules (when `rules` is not given) are chosen greedily until the estimated share
  // of true matching pairs they catch reaches target_recall, within pair_limit per rule and
  // pair_budget pairs over all rules (counted before the union).
  double target_recall = 0.99;
  std::uint64_t pair_budget = 200'000'000;
};

// A probability the analyst fixes instead of letting the model estimate it (as Splink allows):
// m and/or u of one level of one field. The field's other levels share what is left.
struct FixedProbability {
  std::string field, level;
  std::optional<double> m, u;
  std::string file;      // the config, for messages
  std::size_t line = 0;  // in the config
};

struct ModelOptions {
  // Posterior match probability at which two records are joined.
  double threshold = 0.5;
  // Thresholds for the sweep in summary.json (the number of entities at each).
  std::vector<double> sweep{0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999};
  double jaro_winkler_high = 0.92, jaro_winkler_low = 0.85;
  int levenshtein_high = 1, levenshtein_low = 2;
  int em_max_iterations = 200;
  double em_tolerance = 1e-6;
  std::uint64_t em_max_pairs = 1'000'000;  // per training session (a random sample beyond)
  std::uint64_t u_pairs = 1'000'000;       // random pairs for the u probabilities
  // The match prior (two random records are the same man) is bounded to [prior_min, prior_max];
  // prior_max 0 means automatic: on average at most (lists + 2) matches per record.
  double prior_min = 1e-9, prior_max = 0;
  std::vector<std::string> term_frequency{"surname"};  // fields with TF adjustment
  // External frequency tables (value,count), e.g. a surname census, per TF field: the share of
  // a value comes from the table instead of the lists.
  std::map<std::string, std::filesystem::path> frequency_tables;
  std::vector<FixedProbability> fixed;
  // Deterministic rules: records agreeing on every key of one of them are linked outright,
  // whatever their other fields say (blocking keys, as in [blocking] rules).
  std::vector<BlockingRule> deterministic;
  // Labelled pairs (a reviewer's decisions; labels.hpp): they override the model's score and
  // train it. Empty: none.
  std::filesystem::path labels;
  std::uint64_t seed = 1;
  std::map<std::string, bool> given;  // which of these the file set (for the report)
};

struct LinkConfig {
  std::filesystem::path path;  // the config file
  std::vector<ListSpec> lists;
  BlockingOptions blocking;
  ModelOptions model;
};

// Per list, in config order: whether it was declared `unique = true`.
[[nodiscard]] std::vector<bool> unique_lists(const LinkConfig& config);

// The standard fields and the blocking keys that exist.
[[nodiscard]] const std::vector<std::string>& standard_fields();
[[nodiscard]] const std::vector<std::string>& blocking_keys();

// Parses a config; bad input names the file, line and key of the problem.
[[nodiscard]] LinkConfig parse_link_config(const std::string& text, const std::string& file,
                                           const std::filesystem::path& base_dir);
[[nodiscard]] LinkConfig read_link_config(const std::filesystem::path& path);

// Blocking rules used when [blocking] gives none, for the fields the lists have.
[[nodiscard]] std::vector<BlockingRule> default_blocking_rules(const LinkConfig& config);

}  // namespace recount::linkage
