#include "recount/core/hash.hpp"

#include <array>

#include <openssl/evp.h>

#include "recount/core/error.hpp"
#include "recount/core/text.hpp"

namespace recount {

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  // Fetched once: with EVP_sha256() OpenSSL 3 fetches the implementation again on every digest.
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (sha256 == nullptr ||
      EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, sha256, nullptr) != 1)
    throw internal_error("SHA-256 failed in libcrypto");
  // By hand: a format call per byte cost more than the digest of a news report.
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex(2 * length, '0');
  for (unsigned int i = 0; i < length; ++i) {
    hex[2 * i] = digits[digest[i] >> 4];
    hex[2 * i + 1] = digits[digest[i] & 0xF];
  }
  return hex;
}

std::string sha256_file(const std::filesystem::path& path) {
  return sha256_hex(read_file(path));
}

}  // namespace recount
