#pragma once
// Private: the ICU step of name keys (normalisation, case folding, ё -> е, transliteration to
// ASCII Latin), with a per-thread cache, and the hand-written skeleton folding of romanisation
// variants.

#include <string>
#include <string_view>

namespace recount::linkage::detail {

// Lowercase ASCII Latin words separated by single spaces (hyphens kept); only [a-z -], or
// [a-z0-9 -] with `digits`.
[[nodiscard]] std::string transliterate_to_ascii(std::string_view text, bool digits = false);

// One word of lowercase ASCII letters folded to the romanisation-free skeleton (see
// docs/names.md): kh/h/g, iy/y/i/ij, ya/ia/ja, ye/ie/je/yo/io/e, ts/tz/c, tch/ch, shch/sch/sh,
// x/ks, w/v, Polish sz/cz, French -off, double letters.
[[nodiscard]] std::string fold_word(std::string_view word);

}  // namespace recount::linkage::detail
