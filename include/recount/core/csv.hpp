#pragma once
// CSV as analysts write it (RFC 4180: quoted fields, doubled quotes, newlines inside quotes,
// CRLF, a UTF-8 byte-order mark). Hand-written because the readers Debian packages (libcsv)
// report no line numbers, and every error here must name the file, line and column.

#include <cstddef>
#include <deque>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "recount/core/error.hpp"

namespace recount {

// One record: fields are views into the reader's buffers, valid until the next call to next().
struct CsvRecord {
  std::size_t line = 0;  // line of the record's first character, 1-based
  std::vector<std::string_view> fields;
};

class CsvReader {
 public:
  // Reads the header at once; an empty file is an error naming the file.
  CsvReader(std::string text, std::string name, char delimiter = ',');
  static CsvReader open(const std::filesystem::path& path, char delimiter = ',');

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] const std::vector<std::string>& header() const noexcept { return header_; }
  [[nodiscard]] std::optional<std::size_t> column(std::string_view name) const;
  // The column's index, or a bad-input error naming the file and the missing column.
  [[nodiscard]] std::size_t require_column(std::string_view name) const;

  // Next record, skipping blank lines. A record with more or fewer fields than the header is
  // an error naming its line. Returns false at the end of the text.
  bool next(CsvRecord& record);

  // Where a field of a record is, for error messages: file, line and the column's name.
  [[nodiscard]] Location at(const CsvRecord& record, std::size_t column) const;
  [[nodiscard]] Location at_line(std::size_t line) const;

 private:
  bool read_fields(std::vector<std::string_view>& fields, std::size_t& line);

  std::string text_;
  std::string name_;
  char delimiter_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::vector<std::string> header_;
  std::deque<std::string> unescaped_;  // storage for fields that contained doubled quotes
};

// Quotes a field when it needs it (delimiter, quote, newline, leading/trailing space).
[[nodiscard]] std::string csv_field(std::string_view value, char delimiter = ',');

// Joins fields into one CSV line (no newline).
[[nodiscard]] std::string csv_line(const std::vector<std::string>& fields, char delimiter = ',');

}  // namespace recount
