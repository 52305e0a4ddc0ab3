#pragma once
// Names of people, Cyrillic or Latin, reduced to comparison keys: the same man written
// "Фёдоров", "Fedorov", "Fyodorov" or "FEDOROVA" (his widow's list) gets one surname key, and
// "Серёжа", "Sergey", "Serhiy" one given-name key. See docs/names.md for what is folded and why.

#include <string>
#include <string_view>
#include <vector>

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

// Other readings of a name written in Latin, for the romanisation conventions the keys above do
// not assume: French (ou = у, ch = ш, tch = ч, j = ж, gu before e/i = г, -ine = -ин) and German
// (w = в, sch = ш or ж, tsch = ч, ch = х, z = ц, s = з or с, j = й). Each reading is the name
// respelt in the English-style romanisation the keys read (Kouznetsoff -> kuznetsov, Kusnezow
// -> kuznetsov, Michail -> mikhail), to be keyed like any name. Empty for a name written in
// Cyrillic (it has one reading) or without Latin letters. At most 32 readings.
[[nodiscard]] std::vector<std::string> foreign_readings(std::string_view name);

// Whether the text holds a Cyrillic letter (a name so written has one reading).
[[nodiscard]] bool written_in_cyrillic(std::string_view text) noexcept;

// Whether a given-name key is the key of a name of the lexicon (lexicon.hpp).
[[nodiscard]] bool known_given_key(std::string_view key);

// The comparison form of any other text column (identity numbers, addresses, units): script
// and case folded as for names (NFKC, case folding, transliteration to ASCII Latin), letters
// AND digits kept, every run of other characters one space ("AB-123 456" -> "ab 123 456",
// "Улица Ленина, 5" -> "ulitsa lenina 5"). Unlike name_key, nothing that identifies is dropped.
[[nodiscard]] std::string text_key(std::string_view text);

// A plain transliteration to lowercase ASCII Latin (ICU) without folding: for Jaro-Winkler and
// Levenshtein levels.
[[nodiscard]] std::string latin(std::string_view text);

}  // namespace recount::linkage
