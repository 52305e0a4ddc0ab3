#pragma once
// Plain-text tables for terminal output: columns sized by display width (UTF-8 code points),
// numbers right-aligned, everything else left-aligned.

#include <string>
#include <vector>

namespace recount {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> headers);
  void add_row(std::vector<std::string> cells);
  [[nodiscard]] std::size_t rows() const noexcept { return rows_.size(); }
  [[nodiscard]] std::string str() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// Number of code points in UTF-8 text (its width in a terminal, for the scripts we print).
[[nodiscard]] std::size_t display_width(const std::string& text) noexcept;

}  // namespace recount
