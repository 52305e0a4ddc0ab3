#pragma once
// A small study in a temporary folder, made of the project's own fixtures: the flagship claims
// and a published four-list capture table (Kosovo 1999, tests/mse data).

#include <filesystem>
#include <string>

#include "recount/core/text.hpp"

namespace recount::test {

inline std::filesystem::path make_study(const std::string& name, const std::string& extra = "") {
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / ("recount-study-" + name);
  fs::remove_all(root);
  fs::create_directories(root / "data");
  write_file(
      root / "data" / "claims.csv",
      "id,as_of,published,measure,population,kind,low,high,rate,source,source_org,source_type,via,"
      "hedges,"
      "note,url\n"
      "c01,2022-09-30,2022-11-05,recruited,wagner_convicts,approximate,6000,6000,,,Important "
      "Stories,data_journalism,,,,\n"
      "c04,2022-09-16,2022-09-16,recruited,wagner_convicts,at_least,3000,,,Olga Romanova,Russia "
      "Behind "
      "Bars,ngo,,,,\n");
  // Kosovo 1999, four lists, n = 4,400 (Ball, Betts, Scheuren, Dudukovich & Asher 2002, report to
  // the ICTY; as in the LCMCR package), as counts per capture pattern.
  write_file(root / "data" / "captures.csv",
             "EXH,ABA,OSCE,HRW,count\n1,0,0,0,1131\n0,1,0,0,845\n1,1,0,0,177\n0,0,1,0,936\n1,0,1,0,"
             "228\n0,1,1,0,217\n1,1,1,0,181\n"
             "0,0,0,1,306\n1,0,0,1,106\n0,1,0,1,31\n1,1,0,1,18\n0,0,1,1,123\n1,0,1,1,42\n0,1,1,1,"
             "32\n1,1,1,1,27\n");
  write_file(root / "recount.toml",
             "title = \"Test study\"\nseed = 3\nclaims = [\"data/claims.csv\"]\n"
             "[[lists]]\nname = \"kosovo\"\ncaptures = \"data/captures.csv\"\n" +
                 extra);
  return root;
}

}  // namespace recount::test
