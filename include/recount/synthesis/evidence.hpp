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
  Claim claim;                       // the first published of a group of copies
  std::vector<std::string> repeats;  // ids of the copies collapsed into it
  int quantity = -1;
  int week = -1;
  double rate_scale = 0;    // 0: a count or level; otherwise weekly amount * rate_scale
  bool from_wider = false;  // about a wider population: an upper bound on the narrower one
  std::string wider_population;
  Bound bound = Bound::value;
  double lo = 0;  // log(value + 1); value: lo == hi
  double hi = 0;
  double roundness_sd = 0;   // the stated figure's rounding (roundness_sd), fixed
  int hedges = 0;            // each adds the estimated hedge width in quadrature
  bool approximate = false;  // adds the estimated width of "about"
  bool magnitude = false;    // adds the estimated softness of an order of magnitude's edges
  // log P(the claim | it is an outlier): an outlier's log(value + 1) is uniform on
  // [0, PreparedEvidence::outlier_log_ceiling], whatever the truth.
  double outlier_log_mass = 0;
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
  // The outlier component's range on the log scale: log(1 + ten times the largest figure stated).
  double outlier_log_ceiling = 0;
  [[nodiscard]] bool any_hedged() const;
  [[nodiscard]] bool any_approximate() const;
  [[nodiscard]] bool any_magnitude() const;
};

// log P(claim | outlier) for an outlier uniform on [0, ceiling] of log(value + 1).
[[nodiscard]] double outlier_log_mass(Bound bound, double lo, double hi, double ceiling);

// The log-scale standard deviation a number's roundness implies: 120,000 is known to the nearest
// 10,000 (about 2.4%), 118,413 to the unit. Uniform rounding error: half-unit / value / sqrt(3),
// capped at 0.3, the default width of a magnitude's edges (docs/model.md).
[[nodiscard]] double roundness_sd(double value);

// Maps claims to the model. `until`: only claims published by that date (a backtest). Copies
// collapse: claims stating the same figure (measure, population, kind, values, rate) are one piece
// of evidence whatever their source, outlet and date; the first published (then the earliest
// as_of, then the first in the file) stands for them, the rest are its `repeats`.
[[nodiscard]] PreparedEvidence prepare_evidence(const Model& model,
                                                const std::vector<Claim>& claims,
                                                const SourceTable& sources,
                                                std::optional<Date> until);

}  // namespace recount::synthesis
