#pragma once
// What a claim says happened to the people it counts (recruited, killed, ...): an open
// identifier, not a fixed list. The measures a claim may state are declared in a vocabulary:
// the built-in one (data/vocabulary/measures.tsv, embedded in the binary), or a study's
// [vocabulary.measures] (vocabulary.hpp). The empty measure is a claim that states none; files
// and JSON write it `other`, as they always have.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

namespace recount {

class Measure {
 public:
  Measure() = default;  // no measure stated
  // `other` is the written form of no measure, so Measure("other") == Measure().
  explicit Measure(std::string id) : id_(id == "other" ? std::string() : std::move(id)) {}

  // The id as files write it; `other` when no measure is stated.
  [[nodiscard]] std::string_view id() const noexcept {
    return id_.empty() ? std::string_view("other") : std::string_view(id_);
  }
  [[nodiscard]] bool stated() const noexcept { return !id_.empty(); }

  friend bool operator==(const Measure&, const Measure&) = default;
  friend auto operator<=>(const Measure&, const Measure&) = default;

 private:
  std::string id_;
};

// Whether `id` can name a measure: one word of letters, digits and '_' (no '.', since model
// quantities are POPULATION.MEASURE).
[[nodiscard]] bool valid_measure_id(std::string_view id) noexcept;

}  // namespace recount

template <>
struct std::hash<recount::Measure> {
  std::size_t operator()(const recount::Measure& m) const noexcept {
    return std::hash<std::string_view>{}(m.id());
  }
};
