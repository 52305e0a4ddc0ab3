#include "recount/core/hash.hpp"

#include <array>

#include <fmt/format.h>
#include <openssl/evp.h>

#include "recount/core/error.hpp"
#include "recount/core/text.hpp"

namespace recount {

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1)
    throw internal_error("SHA-256 failed in libcrypto");
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i)
    hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

std::string sha256_file(const std::filesystem::path& path) {
  return sha256_hex(read_file(path));
}

}  // namespace recount
