#include "recount/linkage/link.hpp"

#include <algorithm>
#include <chrono>
#include <iterator>
#include <map>

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include "recount/core/csv.hpp"
#include "recount/core/hash.hpp"
#include "recount/core/progress.hpp"
#include "recount/core/text.hpp"

namespace recount::linkage {

namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

std::vector<std::string> chosen_settings(const LinkConfig& config) {
  std::vector<std::string> out;
  if (!config.blocking.rules_given) {
    std::vector<std::string> labels;
    for (const BlockingRule& r : config.blocking.rules)
      labels.push_back(r.label());
    out.push_back(fmt::format("blocking rules (automatic): {}", fmt::join(labels, ", ")));
  }
  const ModelOptions& m = config.model;
  auto unless_given = [&](const char* key, const std::string& text) {
    if (!m.given.contains(key)) out.push_back(text);
  };
  unless_given("threshold",
               fmt::format("threshold {} (posterior match probability, default)", m.threshold));
  unless_given("jaro_winkler", fmt::format("Jaro-Winkler levels {} and {} (default)",
                                           m.jaro_winkler_high, m.jaro_winkler_low));
  unless_given("levenshtein", fmt::format("Damerau-Levenshtein levels {} and {} (default)",
                                          m.levenshtein_high, m.levenshtein_low));
  unless_given("em_max_iterations", fmt::format("EM: at most {} iterations, tolerance {} (default)",
                                                m.em_max_iterations, m.em_tolerance));
  unless_given("term_frequency", fmt::format("term-frequency adjustment for: {} (default)",
                                             fmt::join(m.term_frequency, ", ")));
  return out;
}

// Pairs linked outright always share an entity: average linkage may keep their clusters apart
// when the rest of the clusters disagree, so their entities are merged afterwards (union-find),
// then renumbered in order of each entity's first record, as cluster_records numbers them.
void join_outright(std::vector<std::uint32_t>& entity, const std::vector<std::uint64_t>& pairs,
                   ClusterStats& stats) {
  if (pairs.empty()) return;
  std::vector<std::uint32_t> parent(stats.entities);
  for (std::uint32_t e = 0; e < parent.size(); ++e)
    parent[e] = e;
  const auto root = [&](std::uint32_t e) {
    while (parent[e] != e)
      e = parent[e] = parent[parent[e]];
    return e;
  };
  for (std::uint64_t p : pairs) {
    const std::uint32_t a = root(entity[pair_first(p)]), b = root(entity[pair_second(p)]);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
  std::vector<std::uint32_t> number(parent.size(), UINT32_MAX);
  std::vector<std::size_t> size;
  for (std::uint32_t& e : entity) {
    const std::uint32_t r = root(e);
    if (number[r] == UINT32_MAX) {
      number[r] = static_cast<std::uint32_t>(size.size());
      size.push_back(0);
    }
    e = number[r];
    ++size[e];
  }
  stats.entities = size.size();
  stats.largest = size.empty() ? 0 : *std::max_element(size.begin(), size.end());
}

}  // namespace

LinkResult link_lists(const LinkConfig& config) {
  const auto start = std::chrono::steady_clock::now();
  LinkResult result;
  result.chosen = chosen_settings(config);
  for (const std::string& c : result.chosen)
    note(c);
  result.records = read_records(config);
  const RecordSet& records = result.records;
  note(fmt::format("{} records in {} lists ({:.1f} s)", records.size(), records.list_names.size(),
                   seconds_since(start)));

  result.warnings = records.warnings;
  for (const std::string& w : records.warnings)
    note("warning: " + w);

  if (!config.model.labels.empty()) {
    result.labels =
        resolve_labels(records, read_labelled_pairs(config.model.labels), config.model.labels);
    note(fmt::format("labelled pairs: {} matches, {} non-matches ({})",
                     result.labels.matches.size(), result.labels.non_matches.size(),
                     config.model.labels.string()));
  }
  const RecordLabels& labels = result.labels;
  const ExternalFrequencies external = read_frequency_tables(records, config.model);

  std::vector<RulePairs> rules = block(records, config.blocking, config.path.string());
  result.model = train_model(records, rules, config.model, labels.matches, labels.non_matches);
  if (!config.blocking.rules_given) {
    // The first model says how often true matches agree on each key; the rules are then chosen
    // from every field for the target pair recall, and the model refitted on them.
    note(fmt::format("first model trained ({:.1f} s); choosing blocking rules",
                     seconds_since(start)));
    BlockingChoice choice =
        choose_blocking(records, config, result.model, rules, &external, labels.matches);
    result.blocking_recall = choice.estimated_recall;
    result.blocking_target = choice.target_recall;
    result.blocking_recall_source = choice.recall_source;
    if (!choice.rules.empty()) {
      std::vector<std::string> rule_labels;
      for (const BlockingRule& r : choice.rules)
        rule_labels.push_back(r.label());
      const std::string text = fmt::format(
          "blocking rules (automatic, {} of {} candidates; estimated pair recall "
          "{:.4f}, target {}): {}",
          choice.rules.size(), choice.candidates.size(), choice.estimated_recall,
          choice.target_recall, fmt::join(rule_labels, ", "));
      note(text);
      result.chosen.front() = text;
      BlockingOptions chosen = config.blocking;
      chosen.rules = choice.rules;
      rules.clear();
      rules = block(records, chosen, config.path.string());
      result.model = train_model(records, rules, config.model, labels.matches, labels.non_matches);
    }
    if (choice.estimated_recall < choice.target_recall)
      result.warnings.push_back(fmt::format(
          "the automatic blocking rules catch an estimated {:.4f} of true matching pairs, below "
          "the target {}: {}",
          choice.estimated_recall, choice.target_recall, choice.stopped));
    if (choice.estimated_recall < choice.target_recall) note("warning: " + result.warnings.back());
    result.blocking_candidates = std::move(choice.candidates);
  }
  for (const RulePairs& r : rules)
    result.rules.push_back(
        {r.rule.label(), r.pairs, r.refused, r.skipped_blocks, r.skipped_records});
  std::vector<std::uint64_t> candidates = union_pairs(rules);
  // Pairs linked outright: the deterministic rules' and the labelled matches, added to the
  // candidates whatever the blocking; labelled non-matches override everything.
  std::vector<std::uint64_t> outright;
  if (!config.model.deterministic.empty()) {
    BlockingOptions deterministic = config.blocking;
    deterministic.rules = config.model.deterministic;
    deterministic.rules_given = true;
    outright = union_pairs(block(records, deterministic, config.path.string()));
    result.deterministic_pairs = outright.size();
    note(fmt::format("{} pairs linked outright by the deterministic rules", outright.size()));
  }
  outright.insert(outright.end(), labels.matches.begin(), labels.matches.end());
  std::sort(outright.begin(), outright.end());
  outright.erase(std::unique(outright.begin(), outright.end()), outright.end());
  {
    std::vector<std::uint64_t> merged;
    merged.reserve(candidates.size() + outright.size());
    std::set_union(candidates.begin(), candidates.end(), outright.begin(), outright.end(),
                   std::back_inserter(merged));
    candidates = std::move(merged);
  }
  result.candidate_pairs = candidates.size();
  note(fmt::format("{} candidate pairs after the union of the rules ({:.1f} s)", candidates.size(),
                   seconds_since(start)));

  note(fmt::format("model trained ({:.1f} s)", seconds_since(start)));
  rules.clear();
  rules.shrink_to_fit();

  // Scoring: in chunks so that the progress bar moves (Progress is single-threaded).
  const Scorer scorer(records, result.model, &external);
  const auto in = [](const std::vector<std::uint64_t>& sorted, std::uint64_t pair) {
    return std::binary_search(sorted.begin(), sorted.end(), pair);
  };
  const auto overridden = [&](std::uint32_t a, std::uint32_t b, float model_score) {
    const std::uint64_t pair = pack_pair(a, b);
    if (in(labels.non_matches, pair)) return -kOutrightLog2Odds;
    if (in(outright, pair)) return kOutrightLog2Odds;
    return model_score;
  };
  const bool any_override = !outright.empty() || !labels.non_matches.empty();
  std::vector<float> scores(candidates.size());
  const auto scoring_start = std::chrono::steady_clock::now();
  {
    Progress progress("scoring pairs", candidates.size());
    constexpr std::size_t chunk = 1 << 22;
    for (std::size_t begin = 0; begin < candidates.size(); begin += chunk) {
      const std::size_t end = std::min(candidates.size(), begin + chunk);
      tbb::parallel_for(tbb::blocked_range<std::size_t>(begin, end, 8192),
                        [&](const tbb::blocked_range<std::size_t>& r) {
                          for (std::size_t i = r.begin(); i < r.end(); ++i) {
                            const std::uint32_t a = pair_first(candidates[i]);
                            const std::uint32_t b = pair_second(candidates[i]);
                            scores[i] = any_override ? overridden(a, b, scorer.log2_odds(a, b))
                                                     : scorer.log2_odds(a, b);
                          }
                        });
      progress.update(end);
    }
    progress.finish();
  }
  result.scoring_seconds = seconds_since(scoring_start);
  note(fmt::format("scored {} pairs in {:.1f} s", candidates.size(), result.scoring_seconds));

  const auto score = [&](std::uint32_t a, std::uint32_t b) {
    return any_override ? overridden(a, b, scorer.log2_odds(a, b)) : scorer.log2_odds(a, b);
  };
  result.threshold = config.model.threshold;
  const float t = static_cast<float>(log2_odds_of(config.model.threshold));
  result.pairs_above_threshold = static_cast<std::uint64_t>(
      std::count_if(scores.begin(), scores.end(), [t](float s) { return s >= t; }));
  const UniqueLists unique{records.list.data(), unique_lists(config)};
  result.entity =
      cluster_records(records.size(), candidates, scores, t, score, &result.clusters, unique);
  join_outright(result.entity, outright, result.clusters);
  {
    const std::vector<bool> ambiguous = leave_ambiguous_unlinked(
        result.entity, candidates, scores, t, kOutrightLog2Odds, &result.clusters);
    result.ambiguous_by_list.assign(records.list_names.size(), 0);
    for (std::size_t r = 0; r < records.size(); ++r)
      if (ambiguous[r]) ++result.ambiguous_by_list[records.list[r]];
  }
  for (std::uint64_t p : labels.non_matches)
    if (result.entity[pair_first(p)] == result.entity[pair_second(p)]) ++result.non_matches_joined;
  if (result.non_matches_joined > 0)
    result.warnings.push_back(fmt::format(
        "{} pairs labelled non-matches are in one entity all the same, through other records "
        "linked outright (deterministic rules or labelled matches): check those labels",
        result.non_matches_joined));
  for (double p : config.model.sweep) {
    // At the run's own threshold the sweep point is the run's linkage (not clustered again).
    ClusterStats stats = result.clusters;
    std::vector<std::uint32_t> e = result.entity;
    if (p != config.model.threshold) {
      e = cluster_records(records.size(), candidates, scores, static_cast<float>(log2_odds_of(p)),
                          score, &stats, unique);
      join_outright(e, outright, stats);
      leave_ambiguous_unlinked(e, candidates, scores, static_cast<float>(log2_odds_of(p)),
                               kOutrightLog2Odds, &stats);
    }
    // Per entity: its records and its capture pattern (bit l: on list l).
    std::vector<std::uint32_t> size(stats.entities, 0);
    std::vector<std::uint32_t> pattern(stats.entities, 0);
    for (std::size_t r = 0; r < records.size(); ++r) {
      ++size[e[r]];
      pattern[e[r]] |= 1U << records.list[r];
    }
    SweepPoint point{p, stats.entities, 0, stats.largest, {}};
    for (std::uint32_t s : size)
      point.linked_entities += s >= 2 ? 1 : 0;
    point.patterns.assign(std::size_t{1} << records.list_names.size(), 0);
    for (std::uint32_t bits : pattern)
      ++point.patterns[bits];
    result.sweep.push_back(point);
  }
  result.candidates = std::move(candidates);
  result.scores = std::move(scores);
  result.seconds = seconds_since(start);
  note(fmt::format("{} entities from {} records ({:.1f} s)", result.clusters.entities,
                   records.size(), result.seconds));
  return result;
}

nlohmann::json link_summary(const LinkConfig& config, const LinkResult& result) {
  const RecordSet& records = result.records;
  nlohmann::json j;
  j["records"] = records.size();
  nlohmann::json lists = nlohmann::json::array();
  for (const ListReport& r : records.reports) {
    nlohmann::json unreadable = nlohmann::json::object();
    for (const auto& [field, count] : r.unreadable)
      unreadable[field] = {{"count", count}, {"first_line", r.first_unreadable_line.at(field)}};
    lists.push_back({{"name", r.name},
                     {"records", r.records},
                     {"encoding", r.encoding},
                     {"date_order", r.date_order},
                     {"present", r.present},
                     {"unreadable", unreadable}});
  }
  j["lists"] = lists;
  nlohmann::json rules = nlohmann::json::array();
  for (const RuleReport& r : result.rules)
    rules.push_back({{"rule", r.rule},
                     {"pairs", r.pairs},
                     {"refused", r.refused},
                     {"large_blocks_left_out", r.skipped_blocks},
                     {"records_in_large_blocks", r.skipped_records}});
  j["blocking"] = rules;
  if (!result.blocking_candidates.empty()) {
    nlohmann::json candidates = nlohmann::json::array();
    for (const CandidateRule& c : result.blocking_candidates)
      candidates.push_back({{"rule", c.rule.label()},
                            {"pairs", c.count.pairs},
                            {"records_in_large_blocks", c.count.skipped_records},
                            {"estimated_recall", c.recall},
                            {"chosen", c.chosen},
                            {"refused", c.refused}});
    j["automatic_blocking"] = {{"estimated_pair_recall", result.blocking_recall},
                               {"target_pair_recall", result.blocking_target},
                               {"recall_source", result.blocking_recall_source},
                               {"candidates", candidates}};
  }
  j["candidate_pairs"] = result.candidate_pairs;
  j["linked_outright"] = {{"deterministic_rules", config.model.deterministic.size()},
                          {"deterministic_pairs", result.deterministic_pairs},
                          {"labelled_matches", result.labels.matches.size()},
                          {"labelled_non_matches", result.labels.non_matches.size()},
                          {"labelled_non_matches_joined", result.non_matches_joined}};
  j["pairs_above_threshold"] = result.pairs_above_threshold;
  j["threshold"] = result.threshold;
  j["entities"] = result.clusters.entities;
  std::vector<std::size_t> size(result.clusters.entities, 0);
  for (std::uint32_t e : result.entity)
    ++size[e];
  j["linked_entities"] =
      std::count_if(size.begin(), size.end(), [](std::size_t s) { return s >= 2; });
  j["largest_entity"] = result.clusters.largest;
  j["components_split"] = result.clusters.components_split;
  j["unique_lists"] = {
      {"components_with_a_conflict", result.clusters.unique_components},
      {"exact_bipartite_matching", result.clusters.unique_exact_matching},
      {"exact_partition", result.clusters.unique_exact_partition},
      {"approximate_constrained_average_linkage", result.clusters.unique_approximate},
      {"exact_partition_cap", kExactPartitionCap}};
  {
    nlohmann::json by_list = nlohmann::json::object();
    for (std::size_t l = 0; l < result.ambiguous_by_list.size(); ++l)
      by_list[records.list_names[l]] = result.ambiguous_by_list[l];
    j["ambiguous"] = {
        {"records", result.clusters.ambiguous_taken_out + result.clusters.ambiguous_unjoined},
        {"taken_out_of_an_entity", result.clusters.ambiguous_taken_out},
        {"never_joined", result.clusters.ambiguous_unjoined},
        {"by_list", by_list}};
  }
  j["prior"] = result.model.prior;
  j["prior_within_lists"] = result.model.prior_within;
  j["prior_across_lists"] = result.model.prior_across;
  j["prior_method"] = result.model.prior_method;
  nlohmann::json weights = nlohmann::json::object();
  for (const FieldModel& f : result.model.fields) {
    nlohmann::json w = nlohmann::json::object();
    for (std::size_t l = 1; l < f.levels.size(); ++l)
      w[f.levels[l]] = f.weight[l];
    weights[f.name] = w;
  }
  j["field_weights"] = weights;
  // Where each field's probabilities came from (EM, labels, defaults, [[model.fix]]) and its
  // term frequencies (the lists, or an external table): the controls a reader checks.
  nlohmann::json sources = nlohmann::json::object();
  for (const FieldModel& f : result.model.fields) {
    nlohmann::json source = {{"m", f.m_source}, {"u", f.u_source}};
    if (f.term_frequency) {
      const auto table = config.model.frequency_tables.find(f.name);
      source["term_frequency"] = table == config.model.frequency_tables.end()
                                     ? std::string("from the lists")
                                     : "from the table " + table->second.filename().string();
    }
    sources[f.name] = source;
  }
  j["field_sources"] = sources;
  nlohmann::json sweep = nlohmann::json::array();
  for (const SweepPoint& p : result.sweep)
    sweep.push_back({{"threshold", p.threshold},
                     {"entities", p.entities},
                     {"linked_entities", p.linked_entities},
                     {"largest_entity", p.largest}});
  j["threshold_sweep"] = sweep;
  j["seconds"] = result.seconds;
  j["scoring_seconds"] = result.scoring_seconds;
  j["pairs_per_second"] = result.scoring_seconds > 0
                              ? static_cast<double>(result.candidate_pairs) / result.scoring_seconds
                              : 0.0;
  std::vector<std::string> warnings = result.warnings;
  warnings.insert(warnings.end(), result.model.warnings.begin(), result.model.warnings.end());
  j["warnings"] = warnings;
  j["chosen_automatically"] = result.chosen;
  j["config"] = config.path.string();
  return j;
}

void write_link_outputs(const LinkConfig& config, const LinkResult& result,
                        const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    throw bad_input(Location{.file = dir.string()},
                    fmt::format("cannot create the output folder: {}", ec.message()));
  const RecordSet& records = result.records;
  const std::size_t n = records.size();

  std::string entities = "list,id,entity\n";
  for (std::size_t r = 0; r < n; ++r) {
    entities += csv_line(
        {records.list_names[records.list[r]], records.id[r], std::to_string(result.entity[r] + 1)});
    entities += '\n';
  }
  write_file(dir / "entities.csv", entities);

  // captures.csv: the table `recount mse` reads (entity, one 0/1 column per list, stratum).
  const std::size_t lists = records.list_names.size();
  bool stratified = false;
  for (const ListSpec& l : config.lists)
    stratified = stratified || !l.stratum_column.empty();
  const std::size_t ne = result.clusters.entities;
  std::vector<std::uint16_t> on(ne * lists, 0);
  std::vector<std::string> stratum(ne);
  for (std::size_t r = 0; r < n; ++r) {
    const std::uint32_t e = result.entity[r];
    on[e * lists + records.list[r]] = 1;
    if (stratified && stratum[e].empty()) stratum[e] = records.stratum[r];
  }
  std::vector<std::string> header{"entity"};
  for (const std::string& name : records.list_names)
    header.push_back(name);
  if (stratified) header.emplace_back("stratum");
  std::string captures = csv_line(header) + "\n";
  for (std::size_t e = 0; e < ne; ++e) {
    std::vector<std::string> row{std::to_string(e + 1)};
    for (std::size_t l = 0; l < lists; ++l)
      row.emplace_back(on[e * lists + l] ? "1" : "0");
    if (stratified) row.push_back(stratum[e].empty() ? std::string("unknown") : stratum[e]);
    captures += csv_line(row);
    captures += '\n';
  }
  write_file(dir / "captures.csv", captures);

  nlohmann::json model = result.model.to_json();
  model["threshold"] = result.threshold;
  model["config_sha256"] = sha256_file(config.path);
  nlohmann::json inputs = nlohmann::json::array();
  for (const ListReport& r : records.reports)
    inputs.push_back({{"list", r.name},
                      {"file", r.file},
                      {"sha256", r.sha256},
                      {"records", r.records},
                      {"encoding", r.encoding}});
  model["inputs"] = inputs;
  nlohmann::json rules = nlohmann::json::array();
  for (const RuleReport& r : result.rules)
    rules.push_back({{"rule", r.rule}, {"pairs", r.pairs}, {"refused", r.refused}});
  model["pairs_per_rule"] = rules;
  model["candidate_pairs"] = result.candidate_pairs;
  // Term frequencies, keyed by a hash of the value (never the name itself): the most common.
  nlohmann::json tf = nlohmann::json::object();
  for (std::size_t f = 0; f < result.model.fields.size(); ++f) {
    if (!result.model.fields[f].term_frequency) continue;
    const FieldValues& v = records.values[f];
    double present = 0;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> by_count;
    for (std::size_t k = 1; k < v.key_count.size(); ++k) {
      present += v.key_count[k];
      by_count.emplace_back(v.key_count[k], static_cast<std::uint32_t>(k));
    }
    std::sort(by_count.rbegin(), by_count.rend());
    nlohmann::json top = nlohmann::json::array();
    for (std::size_t i = 0; i < std::min<std::size_t>(10, by_count.size()); ++i)
      top.push_back({{"sha256", sha256_hex(v.keys[by_count[i].second]).substr(0, 16)},
                     {"share", by_count[i].first / present}});
    tf[result.model.fields[f].name] = {{"distinct", by_count.size()}, {"most_common", top}};
  }
  model["term_frequencies"] = tf;
  write_file(dir / "model.json", model.dump(2) + "\n");
  write_file(dir / "summary.json", link_summary(config, result).dump(2) + "\n");
}

}  // namespace recount::linkage
