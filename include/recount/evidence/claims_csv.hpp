#pragma once
// The one claims CSV format, used wherever claims are read or written as CSV (claims import and
// export, `fit --claims`, the examples). Columns, `id` first:
//   id,as_of,published,measure,population,kind,low,high,rate,source,source_org,source_type,via,
//   hedges,note,url
// and, optionally after them, any of: status,document,start,end,text.
// `hedges` is `;`-separated. Empty cells are absent values. docs/claims.md documents it.

#include <filesystem>
#include <string>
#include <vector>

#include "recount/evidence/claim.hpp"
#include "recount/evidence/vocabulary.hpp"

namespace recount {

[[nodiscard]] const std::vector<std::string>& claims_csv_columns();           // required
[[nodiscard]] const std::vector<std::string>& claims_csv_optional_columns();  // may follow

// Reads and validates every row; the first problem is a bad-input error naming the file, the
// line and the column. Ids must be unique. as_of defaults to published when empty. With a
// vocabulary that declares populations or measures, a claim naming one it does not declare is
// bad input too; without one (nullptr, or empty) populations are open.
[[nodiscard]] std::vector<Claim> read_claims_csv(const std::string& text, const std::string& name,
                                                 const Vocabulary* vocabulary = nullptr);
[[nodiscard]] std::vector<Claim> read_claims_csv(const std::filesystem::path& path,
                                                 const Vocabulary* vocabulary = nullptr);

// Writes the required columns and, with `with_review`, the optional ones too.
[[nodiscard]] std::string write_claims_csv(const std::vector<Claim>& claims, bool with_review);

}  // namespace recount
