#pragma once
// The encoding of a list file: UTF-8 or Windows-1251 (common for Russian data).

#include <string>

namespace recount::linkage {

// Bytes of a list file as UTF-8: UTF-8 (BOM stripped) is kept; otherwise Windows-1251 is
// detected and transcoded through ICU, and `*detected` (when not null) says which ("utf-8" or
// "windows-1251"); anything else (UTF-16, binary, another encoding): bad_input naming the file.
[[nodiscard]] std::string to_utf8(std::string bytes, const std::string& file,
                                  std::string* detected);

}  // namespace recount::linkage
