#pragma once
// Private to document loading: Russian reports saved in a single-byte Cyrillic code page.

#include <optional>
#include <string>
#include <string_view>

namespace recount::detail {

struct Transcoded {
  std::string text;     // UTF-8
  std::string charset;  // the code page it was read as: windows-1251 or KOI8-R
};

// `bytes` (not valid UTF-8) read as Windows-1251 or KOI8-R, whichever ICU's charset detector
// finds likelier; nullopt when it finds neither.
[[nodiscard]] std::optional<Transcoded> transcode_cyrillic(std::string_view bytes);

}  // namespace recount::detail
