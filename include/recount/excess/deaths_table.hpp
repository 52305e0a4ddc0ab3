#pragma once
// Deaths by (region,) year, age and sex, as demographic statistics offices publish them: a CSV
// table `region,year,age,sex,deaths` (the region column is optional), plain or gzip-compressed.
// Age is a band `a-b`, an open band `a+`, a single year of age `a`, or `unknown` / `total`
// (kept, never summed into bands); any other age label is an error. Sex is `m` or `f`.

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "recount/core/error.hpp"

namespace recount::excess {

// An age band in completed years; `last` is empty for an open band (`85+`).
struct AgeBand {
  int first = 0;
  std::optional<int> last{};
  std::string label{};

  [[nodiscard]] bool open() const noexcept { return !last.has_value(); }
  // Inside [first, last] of a closed range (an open band reaches any age).
  [[nodiscard]] bool inside(int lo, std::optional<int> hi) const noexcept;
  [[nodiscard]] bool overlaps(const AgeBand& other) const noexcept;
};

// Ages run from 0 to kOldestAge; years from kFirstYear to kLastYear (four digits).
inline constexpr int kOldestAge = 150;
inline constexpr int kFirstYear = 1000;
inline constexpr int kLastYear = 9999;

// The band a label names; empty for `unknown`, `total` and anything else that is not an age.
[[nodiscard]] std::optional<AgeBand> parse_age_band(std::string_view label);

enum class Sex { male, female };
[[nodiscard]] std::string_view sex_code(Sex sex) noexcept;  // "m" / "f"

struct DeathsKey {
  std::string region;  // empty when the table has no region column
  int year = 0;
  std::string age;
  Sex sex = Sex::male;
  auto operator<=>(const DeathsKey&) const = default;
};

struct DeathsCount {
  double deaths = 0;
  std::size_t line = 0;  // where the row is in the file
};

class DeathsTable {
 public:
  [[nodiscard]] const std::string& file() const noexcept { return file_; }
  [[nodiscard]] bool has_region() const noexcept { return has_region_; }
  // Regions in the order the file first names them (empty when there is no region column).
  [[nodiscard]] const std::vector<std::string>& regions() const noexcept { return regions_; }
  [[nodiscard]] bool has_region_named(std::string_view region) const;
  // The distinct age bands the table gives for a region, youngest first.
  [[nodiscard]] std::vector<AgeBand> bands(std::string_view region) const;
  // The years the table has rows for in a region.
  [[nodiscard]] std::vector<int> years(std::string_view region) const;
  [[nodiscard]] const DeathsCount* find(const DeathsKey& key) const;
  [[nodiscard]] std::size_t size() const noexcept { return rows_.size(); }
  [[nodiscard]] Location at(std::size_t line) const { return {.file = file_, .line = line}; }

  // Parses CSV text; `name` is the file named in errors. Every error names the line.
  static DeathsTable parse(std::string text, std::string name);
  // Reads a file; gzip input (by its magic bytes, whatever its name) is decompressed first.
  static DeathsTable read(const std::filesystem::path& path);

 private:
  std::string file_;
  bool has_region_ = false;
  std::vector<std::string> regions_;
  std::map<DeathsKey, DeathsCount> rows_;
};

// Decompresses gzip data (one or more members); `name` is the file named in errors.
[[nodiscard]] std::string gunzip(std::string_view data, const std::string& name);

}  // namespace recount::excess
