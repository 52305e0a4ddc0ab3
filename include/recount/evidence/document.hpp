#pragma once
// A report as the ledger stores it: its content hash, where it came from, its dateline and its
// plain text. Offsets of claims refer to `text` (for HTML, the text extracted from the page).

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include "recount/core/date.hpp"

namespace recount {

struct Document {
  std::string id;            // SHA-256 hex of the raw bytes as read (the content hash)
  std::string origin;        // the path as given, or "-" for stdin
  std::string format;        // "text" or "html"
  std::string title;         // HTML <title> or the first non-empty line; may be empty
  std::optional<Date> date;  // the dateline (publication date) when the report gives one
  std::string text;          // plain text; for HTML the text extracted from the page (gumbo)
};

// Largest report accepted, in bytes (a news article is a few tens of kilobytes).
inline constexpr std::size_t max_document_bytes = std::size_t{64} << 20;

// Reads a file ("-" = stdin) into a Document. Errors (recount::Error bad_input naming the file,
// and the byte offset where it applies): binary file, invalid UTF-8 that is not Windows-1251 or
// KOI8-R Cyrillic either (those are transcoded, with a note on stderr), file larger than
// max_document_bytes. An empty file or a file in another language is NOT an error: it simply
// yields no claims.
[[nodiscard]] Document load_document(const std::filesystem::path& path);
// The same from bytes already in memory (for the ledger, stdin, fuzzers and tests).
[[nodiscard]] Document make_document(std::string bytes, std::string origin);

}  // namespace recount
