#pragma once
// Synthetic lists of named people, the project's own: a population of men (and a small share of
// women) with Russian names, several lists of them with their own formats, scripts,
// transliterations, typos, missing fields and in-list duplicates, list dependence and
// heterogeneous visibility, and the truth written aside. For tests and benchmarks of `recount
// link` and `recount mse`; the people are invented, never real (docs/simulate-lists.md).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace recount::linkage {

// The lists the generator knows, in the order `lists` takes them (the first `lists` are made).
// obituaries, payments, court, ukraine, memorial, pardons, media, social.
[[nodiscard]] const std::vector<std::string>& simulated_list_names();

struct ListSimulation {  // options
  std::size_t people = 20000;
  int lists = 4;  // 2 to 8
  std::uint64_t seed = 1;
  double duplicate_rate = 0.03;  // in-list duplicates per record (each gets a new id, own noise)
  // Heterogeneity: the standard deviation of each person's latent visibility (probit scale).
  double visibility_sd = 1.0;
  // List dependence: the loading of the shared factor of the dependent pairs (obituaries and
  // payments; memorial and media), probit scale; 0 makes the lists independent given visibility.
  double dependence = 0.8;
  double noise = 1.0;         // multiplies every list's typo and format-error rates
  double women_share = 0.02;  // share of women in the population
  std::string cp1251_list;    // a list written in Windows-1251 instead of UTF-8; empty: none
  bool progress = false;      // a progress bar on stderr (recount::Progress)
};

struct SimulatedLists {
  std::vector<std::string> list_names;
  std::size_t records = 0;        // all records of all lists (truth.csv rows)
  std::size_t people_listed = 0;  // people on at least one list
  std::vector<std::size_t> records_per_list;
  std::size_t duplicates = 0;  // records that are in-list duplicates of another
};

// Writes list_<name>.csv per list (each with its own columns, script, date format), link.toml
// (a config `recount link` reads), truth.csv (list,id,person) and summary.json (aggregates only)
// into `dir`, creating it. Files with names are written readable by their owner only.
// Deterministic: the same options give the same bytes on every platform.
// Options out of range: a usage error naming the option.
SimulatedLists simulate_lists(const ListSimulation& options, const std::filesystem::path& dir);

}  // namespace recount::linkage
