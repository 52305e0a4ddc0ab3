#pragma once
// The four published datasets of ../shared/data/mse/README.md, embedded so these tests stand
// alone. Counts by capture pattern; list 0 is the lowest bit of the pattern.
//  - kosovo: Ball, Betts, Scheuren, Dudukovich & Asher (2002), Killings and Refugee Flow in
//    Kosovo, March-June 1999, report to the ICTY (lists EXH, ABA, OSCE, HRW).
//  - hiv: Abeni, Brancato & Perucci (1994), Epidemiology 5:410-414 (four reporting centres).
//  - lesbian: Aaron, Chang, Markovic & LaPorte (2003), J. Epidemiol. Community Health
//    57:207-209 (four mailing lists).
//  - artificial_3: Chan, Silverman & Vincent (2021), JASA 116:1297-1306 (SparseMSE's
//    Artificial_3).

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "recount/mse/capture_table.hpp"

namespace recount::mse::testing {

// Rows as written in the CSV: the 0/1 flags of each list in column order, then the count.
inline CaptureTable make_table(std::vector<std::string> lists,
                               std::initializer_list<std::pair<std::string, double>> rows) {
  CaptureTable table;
  table.counts.assign(std::size_t{1} << lists.size(), 0.0);
  table.lists = std::move(lists);
  for (const auto& [flags, count] : rows) {
    std::size_t pattern = 0;
    for (std::size_t i = 0; i < flags.size(); ++i)
      if (flags[i] == '1') pattern |= std::size_t{1} << i;
    table.counts[pattern] += count;
  }
  return table;
}

inline CaptureTable kosovo() {
  return make_table({"EXH", "ABA", "OSCE", "HRW"}, {{"1000", 1131},
                                                    {"0100", 845},
                                                    {"1100", 177},
                                                    {"0010", 936},
                                                    {"1010", 228},
                                                    {"0110", 217},
                                                    {"1110", 181},
                                                    {"0001", 306},
                                                    {"1001", 106},
                                                    {"0101", 31},
                                                    {"1101", 18},
                                                    {"0011", 123},
                                                    {"1011", 42},
                                                    {"0111", 32},
                                                    {"1111", 27}});
}

inline CaptureTable hiv() {
  return make_table({"c1", "c2", "c3", "c4"}, {{"1110", 3},
                                               {"1101", 1},
                                               {"1100", 33},
                                               {"1010", 20},
                                               {"1001", 6},
                                               {"1000", 403},
                                               {"0111", 3},
                                               {"0110", 35},
                                               {"0101", 10},
                                               {"0100", 545},
                                               {"0011", 11},
                                               {"0010", 621},
                                               {"0001", 205}});
}

inline CaptureTable lesbian() {
  return make_table({"A", "B", "C", "D"}, {{"1111", 23},
                                           {"1110", 27},
                                           {"1101", 48},
                                           {"1100", 104},
                                           {"1011", 19},
                                           {"1010", 44},
                                           {"1001", 143},
                                           {"1000", 589},
                                           {"0111", 20},
                                           {"0110", 64},
                                           {"0101", 53},
                                           {"0100", 534},
                                           {"0011", 28},
                                           {"0010", 281},
                                           {"0001", 208}});
}

inline CaptureTable artificial_3() {
  return make_table({"A", "B", "C"}, {{"100", 40}, {"010", 30}, {"001", 20}, {"110", 6}});
}

}  // namespace recount::mse::testing
