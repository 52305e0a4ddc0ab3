#include "recount/core/csv.hpp"

#include <fmt/format.h>

#include "recount/core/text.hpp"

namespace recount {

CsvReader::CsvReader(std::string text, std::string name, char delimiter)
    : text_(std::move(text)), name_(std::move(name)), delimiter_(delimiter) {
  if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
  CsvRecord first;
  if (!read_fields(first.fields, first.line))
    throw bad_input(Location{.file = name_}, "the file is empty: a CSV header line was expected");
  for (std::string_view f : first.fields)
    header_.emplace_back(trim(f));
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i].empty())
      throw bad_input(at_line(first.line),
                      fmt::format("column {} of the header has no name", i + 1));
    for (std::size_t j = 0; j < i; ++j)
      if (header_[j] == header_[i])
        throw bad_input(at_line(first.line),
                        fmt::format("the header names column '{}' twice", header_[i]));
  }
}

CsvReader CsvReader::open(const std::filesystem::path& path, char delimiter) {
  return {read_file(path), path.string(), delimiter};
}

std::optional<std::size_t> CsvReader::column(std::string_view name) const {
  for (std::size_t i = 0; i < header_.size(); ++i)
    if (header_[i] == name) return i;
  return std::nullopt;
}

std::size_t CsvReader::require_column(std::string_view name) const {
  if (auto c = column(name)) return *c;
  std::string have;
  for (const auto& h : header_)
    have += (have.empty() ? "" : ", ") + h;
  throw bad_input(at_line(1), fmt::format("missing column '{}' (the header has: {})", name, have));
}

Location CsvReader::at(const CsvRecord& record, std::size_t column) const {
  Location where{.file = name_, .line = record.line};
  if (column < header_.size()) where.key = fmt::format("column '{}'", header_[column]);
  return where;
}

Location CsvReader::at_line(std::size_t line) const {
  return {.file = name_, .line = line};
}

bool CsvReader::next(CsvRecord& record) {
  unescaped_.clear();
  while (read_fields(record.fields, record.line)) {
    if (record.fields.size() == 1 && record.fields[0].empty()) continue;  // blank line
    if (record.fields.size() != header_.size())
      throw bad_input(at_line(record.line),
                      fmt::format("this row has {} fields but the header has {} columns",
                                  record.fields.size(), header_.size()));
    return true;
  }
  return false;
}

bool CsvReader::read_fields(std::vector<std::string_view>& fields, std::size_t& line) {
  fields.clear();
  if (pos_ >= text_.size()) return false;
  line = line_;
  const std::string_view text(text_);
  while (true) {
    if (pos_ < text.size() && text[pos_] == '"') {
      const std::size_t open_line = line_;
      const std::size_t start = ++pos_;
      bool doubled = false;
      while (true) {
        const std::size_t q = text.find('"', pos_);
        if (q == std::string_view::npos)
          throw bad_input(at_line(open_line), "a quoted field is never closed");
        for (std::size_t i = pos_; i < q; ++i)
          if (text[i] == '\n') ++line_;
        if (q + 1 < text.size() && text[q + 1] == '"') {
          doubled = true;
          pos_ = q + 2;
          continue;
        }
        std::string_view raw = text.substr(start, q - start);
        if (doubled) {
          std::string& s = unescaped_.emplace_back();
          for (std::size_t i = 0; i < raw.size(); ++i) {
            s += raw[i];
            if (raw[i] == '"') ++i;
          }
          raw = s;
        }
        fields.push_back(raw);
        pos_ = q + 1;
        break;
      }
      if (pos_ < text.size() && text[pos_] != delimiter_ && text[pos_] != '\n' &&
          text[pos_] != '\r')
        throw bad_input(at_line(line_), "unexpected text after a closing quote");
    } else {
      std::size_t end = pos_;
      while (end < text.size() && text[end] != delimiter_ && text[end] != '\n')
        ++end;
      std::size_t stop = end;
      if (stop > pos_ && text[stop - 1] == '\r' && (end == text.size() || text[end] == '\n'))
        --stop;
      fields.push_back(text.substr(pos_, stop - pos_));
      pos_ = end;
    }
    if (pos_ >= text.size()) return true;
    if (text[pos_] == delimiter_) {
      ++pos_;
      if (pos_ >= text.size()) {
        fields.emplace_back();
        return true;
      }
      continue;
    }
    if (text[pos_] == '\r') ++pos_;
    if (pos_ < text.size() && text[pos_] == '\n') {
      ++pos_;
      ++line_;
    }
    return true;
  }
}

std::string csv_field(std::string_view value, char delimiter) {
  const bool quote =
      value.find_first_of(std::string{delimiter, '"', '\n', '\r'}) != std::string_view::npos ||
      (!value.empty() && (value.front() == ' ' || value.back() == ' '));
  if (!quote) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string csv_line(const std::vector<std::string>& fields, char delimiter) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out += delimiter;
    out += csv_field(fields[i], delimiter);
  }
  return out;
}

}  // namespace recount
