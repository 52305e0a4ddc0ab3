#pragma once
// Counts of people by capture pattern: the input of every multiple systems estimator.

#include <cstdint>
#include <string>
#include <vector>

namespace recount::mse {

// A capture pattern's bit i is set when the person is on list i (list 0 is the lowest bit), so
// with lists {A, B, C, D} the pattern written "1010" (A and C) is 0b0101 = 5.
using Pattern = std::uint32_t;

struct CaptureTable {
  std::vector<std::string> lists;  // 2 to 15 names, in input order
  std::vector<double> counts;      // size 2^lists.size(); counts[0] (seen by no list) is 0
  std::string stratum;             // empty when the table is not one stratum of several

  [[nodiscard]] std::size_t list_count() const noexcept { return lists.size(); }
  [[nodiscard]] double observed() const noexcept {
    double n = 0;
    for (double c : counts)
      n += c;
    return n;
  }
};

}  // namespace recount::mse
