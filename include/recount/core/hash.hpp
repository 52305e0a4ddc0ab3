#pragma once
// Content hashes (SHA-256 through OpenSSL's libcrypto) for documents, inputs and reproducibility.

#include <filesystem>
#include <string>
#include <string_view>

namespace recount {

// Lower-case hex SHA-256 of the bytes.
[[nodiscard]] std::string sha256_hex(std::string_view bytes);
// Lower-case hex SHA-256 of a file's content; a bad-input error naming the file if unreadable.
[[nodiscard]] std::string sha256_file(const std::filesystem::path& path);

}  // namespace recount
