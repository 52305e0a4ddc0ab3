#pragma once
// The ledger's schema as an ordered list of migrations: migration i (0-based) takes a ledger
// from user_version i to i + 1. A released migration never changes; new ones are appended.

#include <cstdint>
#include <string_view>
#include <vector>

namespace recount::detail {

// PRAGMA application_id of a recount ledger ("RCNT"), so another program's SQLite file is
// recognised as not being one.
inline constexpr std::int32_t kLedgerApplicationId = 0x52434E54;

[[nodiscard]] const std::vector<std::string_view>& ledger_migrations();

}  // namespace recount::detail
