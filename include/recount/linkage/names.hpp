#pragma once
// Names of people, Cyrillic or Latin, reduced to comparison keys: the same man written
// "Фёдоров", "Fedorov", "Fyodorov" or "FEDOROVA" (his widow's list) gets one surname key, and
// "Серёжа", "Sergey", "Serhiy" one given-name key. See docs/names.md for what is folded and why.

#include <string>
#include <string_view>

namespace recount::linkage {

// A person's name in parts, as written (trimmed, original script). Empty = not given.
struct PersonName {
  std::string surname, given, patronymic;
};

// Splits a full name ("Фёдоров Сергей Павлович", "Sergey Pavlovich FEDOROV", "FEDOROV Sergey",
// "Федоров С.П.", "Фёдоров, Сергей") finding the order from patronymic endings, a given-name
// lexicon and capitalisation. Invalid UTF-8 is replaced, never an error.
[[nodiscard]] PersonName parse_full_name(std::string_view full);

// Comparison keys, computed once per record (fast to compare; ASCII lowercase Latin). Cyrillic
// or Latin in any common system (ICAO, BGN/PCGN, GOST, informal kh/h, iy/y/i, ya/ia, Ukrainian
// forms) maps to one canonical skeleton. Empty when the input has no letters. Thread-safe.
[[nodiscard]] std::string name_key(std::string_view name);        // any name part, generic
[[nodiscard]] std::string surname_key(std::string_view surname);  // + gendered endings folded
// + diminutives and Ukrainian forms -> the canonical full name (Саша, Sasha, Oleksandr ->
// the key of Александр).
[[nodiscard]] std::string given_key(std::string_view given);
[[nodiscard]] std::string patronymic_key(std::string_view patronymic);

// The comparison form of any other text column (identity numbers, addresses, units): script
// and case folded as for names (NFKC, case folding, transliteration to ASCII Latin), letters
// AND digits kept, every run of other characters one space ("AB-123 456" -> "ab 123 456",
// "Улица Ленина, 5" -> "ulitsa lenina 5"). Unlike name_key, nothing that identifies is dropped.
[[nodiscard]] std::string text_key(std::string_view text);

// A plain transliteration to lowercase ASCII Latin (ICU) without folding: for Jaro-Winkler and
// Levenshtein levels.
[[nodiscard]] std::string latin(std::string_view text);

}  // namespace recount::linkage
