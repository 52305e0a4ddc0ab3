#include "recount/evidence/claims_csv.hpp"

#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "recount/core/error.hpp"

namespace recount {
namespace {

const std::string kHeader =
    "id,as_of,published,measure,population,kind,low,high,rate,source,source_org,source_type,via,"
    "hedges,note,url\n";

std::string error_of(const std::string& csv) {
  try {
    (void)read_claims_csv(csv, "claims.csv");
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    return e.what();
  }
  return "no error";
}

TEST(ClaimsCsv, ReadsEveryKindAndRoundTrips) {
  const std::string csv = kHeader +
                          "c1,2023-12-08,2023-12-08,recruited,convicts,range,100000,120000,,,"
                          "independent media,media,the seed,estimate,,\n"
                          "c2,,2023-12-08,killed,convicts,at_least,1000,,week,Vladimir Osechkin,"
                          "Gulagu.net,ngo,,unverified;estimate,\"note, with comma\",\n"
                          "c3,2023-12-04,2023-12-04,wounded,wagner,approximate,40000,,,,UK "
                          "Defence Intelligence,third_party_government,,likely,,\n";
  const auto claims = read_claims_csv(csv, "claims.csv");
  ASSERT_EQ(claims.size(), 3u);
  EXPECT_EQ(claims[0].kind, ClaimKind::range);
  EXPECT_EQ(*claims[0].high, 120000);
  EXPECT_EQ(claims[1].as_of->iso(), "2023-12-08");  // defaults to published
  EXPECT_EQ(claims[1].rate, Rate::week);
  EXPECT_EQ(claims[1].hedges, (std::vector<Hedge>{Hedge::estimate, Hedge::unverified}));
  EXPECT_EQ(claims[1].note, "note, with comma");
  EXPECT_EQ(*claims[2].high, 40000);  // approximate: high = low when only one is given
  for (bool review : {false, true}) {
    const auto again = read_claims_csv(write_claims_csv(claims, review), "again.csv");
    EXPECT_EQ(again, claims);
  }
}

TEST(ClaimsCsv, BadValuesNameFileLineAndColumn) {
  EXPECT_EQ(error_of(kHeader + "c1,2023-01-01,,slain,,point,5,5,,,,,,,,\n"),
            "claims.csv:2: column 'measure': unknown measure 'slain' (one of: recruited, "
            "in_service, killed, wounded, casualties, captured, missing, deserted, returned, "
            "reoffended, prison_population, other)");
  EXPECT_EQ(error_of(kHeader + "c1,2023-01-01,,killed,,point,-5,-5,,,,,,,,\n"),
            "claims.csv:2: low is negative (-5): counts of people cannot be");
  EXPECT_EQ(error_of(kHeader + "c1,2023-01-01,,killed,,range,9,5,,,,,,,,\n"),
            "claims.csv:2: low (9) is greater than high (5)");
  EXPECT_EQ(error_of(kHeader + "c1,2023-01-01,,killed,,point,many,,,,,,,,,\n"),
            "claims.csv:2: column 'low': 'many' is not a number");
  EXPECT_EQ(error_of(kHeader + "c1,2023-02-30,,killed,,point,5,5,,,,,,,,\n"),
            "claims.csv:2: column 'as_of': '2023-02-30' is not a date of the form YYYY-MM-DD");
  EXPECT_EQ(error_of(kHeader + "c1,2023-01-01,,killed,,point,5,5,,,,,,,,\nc1,2023-01-01,,killed,,"
                               "point,5,5,,,,,,,,\n"),
            "claims.csv:3: column 'id': id 'c1' appears twice");
  EXPECT_EQ(error_of(kHeader + "c1,2023-01-01,,killed,,point,5,5,,,,,,,\n"),
            "claims.csv:2: this row has 15 fields but the header has 16 columns");
  EXPECT_EQ(error_of("id,as_of\nc1,2023-01-01\n"),
            "claims.csv:1: missing column 'published' (the header has: id, as_of)");
  EXPECT_EQ(error_of(kHeader.substr(0, kHeader.size() - 1) + ",extra\n"),
            "claims.csv:1: unknown column 'extra' (see docs/claims.md for the format)");
  EXPECT_EQ(error_of(kHeader + "c1,2023-01-01,,killed,,at_least,,5,,,,,,,,\n"),
            "claims.csv:2: an at_least claim needs low");
  EXPECT_EQ(error_of(kHeader + "c1,2023-05-01,2023-01-01,killed,,point,5,5,,,,,,,,\n"),
            "claims.csv:2: as_of (2023-05-01) is after published (2023-01-01)");
  EXPECT_EQ(error_of(kHeader + "c1,2023-01-01,,killed,,point,5,5,,,,,,rumour,,\n"),
            "claims.csv:2: column 'hedges': unknown hedge 'rumour' (one of: reportedly, "
            "estimate, might, likely, unverified, claimed)");
}

TEST(ClaimsCsv, JsonRoundTrip) {
  Claim c;
  c.id = "x1";
  c.measure = Measure("killed");
  c.kind = ClaimKind::at_least;
  c.low = 1000;
  c.rate = Rate::week;
  c.hedges = {Hedge::reportedly};
  c.as_of = Date::parse_iso("2023-12-08");
  c.start = 10;
  c.end = 20;
  const auto j = to_json(c);
  EXPECT_TRUE(j["high"].is_null());
  EXPECT_EQ(j["rate"], "week");
  EXPECT_EQ(claim_from_json(j, "x.json"), c);
  auto bad = j;
  bad["measure"] = "slain";
  EXPECT_THROW((void)claim_from_json(bad, "x.json"), Error);
}

TEST(ClaimsCsv, ReadsTheSharedClaimsWhenPresent) {
  const std::filesystem::path shared =
      std::filesystem::path(RECOUNT_SOURCE_DIR) / ".." / "shared" / "data" / "claims.csv";
  if (!std::filesystem::exists(shared)) GTEST_SKIP() << "../shared is not here";
  const auto claims = read_claims_csv(shared);
  EXPECT_EQ(claims.size(), 37u);
}

}  // namespace
}  // namespace recount
