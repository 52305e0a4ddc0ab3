#pragma once
// Claims as evidence for a model: which model quantity each claim is about, on what scale, how
// coarse; repeats collapsed; deterministic checks before sampling; the unused listed with reasons.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "recount/evidence/claim.hpp"
#include "recount/synthesis/model.hpp"

namespace recount::synthesis {

// One source's identity: canonical name, other names it appears under, and type.
struct SourceEntry {
  std::string name;
  std::vector<std::string> aliases;
  SourceType type = SourceType::media;
};

struct SourceTable {
  std::vector<SourceEntry> sources;
  // The entry whose name or alias matches (case-insensitive), if any.
  [[nodiscard]] const SourceEntry* find(std::string_view name) const;
};

// Reads a sources table (TOML: [[source]] name, aliases, type); errors name file, line and key.
[[nodiscard]] SourceTable parse_sources(const std::string& text, const std::string& file);
[[nodiscard]] SourceTable read_sources(const std::filesystem::path& path);

// How a claim's numbers constrain the log of its quantity.
enum class Bound { value, interval, at_least, at_most };

struct EvidenceClaim {
  Claim claim;                       // the first of a group of repeats
  std::vector<std::string> repeats;  // ids of the claims collapsed into it
  int quantity = -1;
  int week = -1;
  double rate_scale = 0;    // 0: a count or level; otherwise weekly amount * rate_scale
  bool from_wider = false;  // about a wider population: an upper bound on the narrower one
  std::string wider_population;
  Bound bound = Bound::value;
  double lo = 0;  // log(value + 1); value: lo == hi
  double hi = 0;
  double extra_sd = 0;    // roundness, hedges, approximation and magnitude, in quadrature
  int source = -1;        // index into PreparedEvidence::sources
  bool held_out = false;  // evaluated but not conditioned on (leave-one-out refits)
};

struct UnusedClaim {
  std::string id;
  std::string reason;
};

// What cannot be right whatever the parameters (found before sampling).
struct EvidenceFlag {
  std::vector<std::string> ids;
  std::string problem;
};

struct EvidenceSource {
  std::string name;
  SourceType type = SourceType::media;
};

struct PreparedEvidence {
  std::vector<EvidenceClaim> claims;
  std::vector<UnusedClaim> unused;
  std::vector<EvidenceFlag> flags;
  std::vector<EvidenceSource> sources;
};

// The log-scale standard deviation a number's roundness implies: 120,000 is known to the nearest
// 10,000 (about 2.4%), 118,413 to the unit. Uniform rounding error: half-unit / value / sqrt(3).
[[nodiscard]] double roundness_sd(double value);

// Maps claims to the model. `until`: only claims published by that date (a backtest).
[[nodiscard]] PreparedEvidence prepare_evidence(const Model& model,
                                                const std::vector<Claim>& claims,
                                                const SourceTable& sources,
                                                std::optional<Date> until);

}  // namespace recount::synthesis
