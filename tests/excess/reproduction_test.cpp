// Reproduces Kobak, Bessudnov, Ershov, Mikhailova & Raksha (2025), Demography 62(2):335-347,
// from the Rosstat files in ../shared/data/mortality (skipped when they are not there).
//
// Every reference figure below is printed by the authors' published analysis code, repository
// dkobak/excess-mortality-war, commit d03ed7406a1cfd76f3b77810f176e612597fc106:
// - demography2025/models.ipynb, cell 4: the sensitivity grid (bands 15-19 to 55-59, 2022 and
//   2023, baselines of 1, 5 and 10 years ending in 2019, linear and exponential, raw and with
//   HIV deaths subtracted), and the 15-49 totals with their SEs;
// - cells 5 and 6 of the same notebook: the headline 5-year linear estimates, raw
//   (23,594 +- 1,568 in 2022; 40,542 +- 1,738 in 2023) and without HIV (20,618 +- 1,374;
//   37,864 +- 1,533);
// - demography2025/mainfigure.ipynb, cells 4 and 5: the 2022-2023 sums, 64,136 (raw) and
//   58,482 (HIV subtracted).
// The notebook prints whole numbers (%5.0f), so "to the person" means within half a death.

#include <array>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "recount/excess/deaths_table.hpp"
#include "recount/excess/sex_ratio.hpp"

namespace fs = std::filesystem;
using namespace recount::excess;

namespace {

const fs::path kData = fs::path(RECOUNT_SOURCE_DIR) / ".." / "shared" / "data" / "mortality";
const std::string kNational = "Российская Федерация";

// One printed row of models.ipynb cell 4: a band (or the 15-49 total) in one year, in the
// notebook's column order: raw 1lin 5lin 10lin 1exp 5exp 10exp, then the same with HIV removed.
struct GridRow {
  const char* ages;
  int year;
  std::array<double, 12> excess;
  std::array<double, 12> se;  // 0 where the notebook prints 0: a one-year baseline has no SE
};

// clang-format off
const GridRow kGrid[] = {
  {"15-19", 2022, {329, 353, 292, 329, 352, 293, 331, 337, 273, 331, 337, 275},
                  {0, 165, 151, 0, 202, 165, 0, 173, 155, 0, 213, 168}},
  {"15-19", 2023, {-98, -52, -124, -98, -55, -123, -104, -78, -154, -104, -79, -153},
                  {0, 194, 164, 0, 209, 170, 0, 205, 169, 0, 220, 174}},
  {"20-24", 2022, {2610, 3069, 2681, 2610, 3022, 2681, 2438, 2868, 2406, 2438, 2828, 2416},
                  {0, 376, 416, 0, 477, 491, 0, 465, 429, 0, 585, 494}},
  {"20-24", 2023, {2694, 3281, 2829, 2694, 3211, 2822, 2502, 3057, 2511, 2502, 2995, 2519},
                  {0, 430, 439, 0, 478, 492, 0, 533, 455, 0, 588, 497}},
  {"25-29", 2022, {3259, 3961, 3675, 3259, 3877, 3619, 2913, 3438, 2984, 2913, 3389, 2979},
                  {0, 317, 293, 0, 384, 358, 0, 193, 303, 0, 226, 342}},
  {"25-29", 2023, {5040, 5840, 5536, 5040, 5733, 5465, 4780, 5385, 4897, 4780, 5321, 4890},
                  {0, 326, 279, 0, 347, 324, 0, 199, 288, 0, 204, 309}},
  {"30-34", 2022, {3738, 4264, 5645, 3738, 4256, 5375, 3501, 3395, 4245, 3501, 3394, 4200},
                  {0, 512, 650, 0, 604, 796, 0, 246, 491, 0, 289, 551}},
  {"30-34", 2023, {6096, 6650, 8189, 6096, 6639, 7867, 5886, 5750, 6697, 5886, 5748, 6644},
                  {0, 531, 624, 0, 550, 725, 0, 255, 471, 0, 262, 501}},
  {"35-39", 2022, {3437, 6047, 5199, 3437, 5748, 4903, 3279, 4466, 4725, 3279, 4408, 4574},
                  {0, 796, 1042, 0, 972, 1300, 0, 566, 735, 0, 676, 854}},
  {"35-39", 2023, {7494, 10691, 9759, 7494, 10280, 9371, 7659, 9068, 9394, 7659, 8989, 9200},
                  {0, 861, 1042, 0, 924, 1235, 0, 606, 728, 0, 636, 804}},
  {"40-44", 2022, {1467, 2692, 3206, 1467, 2659, 3074, 2026, 3064, 3768, 2026, 3043, 3636},
                  {0, 789, 606, 0, 937, 685, 0, 722, 593, 0, 858, 669}},
  {"40-44", 2023, {4696, 6212, 6849, 4696, 6162, 6673, 5743, 6995, 7854, 5743, 6963, 7680},
                  {0, 903, 641, 0, 942, 688, 0, 817, 621, 0, 852, 665}},
  {"45-49", 2022, {884, 3209, 3597, 884, 3044, 3232, 887, 3049, 3387, 887, 2899, 3060},
                  {0, 818, 550, 0, 961, 595, 0, 838, 560, 0, 989, 609}},
  {"45-49", 2023, {4985, 7920, 8379, 4985, 7686, 7903, 4972, 7687, 8082, 4972, 7475, 7659},
                  {0, 924, 574, 0, 953, 589, 0, 941, 581, 0, 974, 600}},
  {"50-54", 2022, {28, 990, -155, 28, 933, -186, 148, 1038, -58, 148, 989, -83},
                  {0, 1190, 764, 0, 1456, 865, 0, 1104, 722, 0, 1347, 813}},
  {"50-54", 2023, {1560, 3042, 1659, 1560, 2949, 1613, 1556, 2928, 1607, 1556, 2847, 1569},
                  {0, 1345, 799, 0, 1445, 859, 0, 1247, 753, 0, 1335, 806}},
  {"55-59", 2022, {-116, 83, -1621, -116, 80, -1671, -72, 61, -1589, -72, 59, -1642},
                  {0, 532, 744, 0, 611, 836, 0, 537, 729, 0, 616, 821}},
  {"55-59", 2023, {1738, 2007, 141, 1738, 2003, 83, 1754, 1944, 140, 1754, 1941, 77},
                  {0, 546, 705, 0, 550, 753, 0, 549, 689, 0, 553, 738}},
};
const GridRow kTotals[] = {
  {"15-49", 2022, {15723, 23594, 24296, 15723, 22957, 23177, 15375, 20618, 21788, 15375, 20297, 21140},
                  {0, 1568, 1568, 0, 1879, 1882, 0, 1374, 1322, 0, 1640, 1497}},
  {"15-49", 2023, {30907, 40542, 41417, 30907, 39657, 39977, 31439, 37864, 39281, 31439, 37413, 38438},
                  {0, 1738, 1585, 0, 1828, 1802, 0, 1533, 1339, 0, 1607, 1439}},
};
// clang-format on

constexpr double kPrinted = 0.5;  // the notebook rounds to whole deaths

class Reproduction : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(kData / "deaths_by_region_year_age_sex.csv.gz")) return;
    deaths_ = new DeathsTable(DeathsTable::read(kData / "deaths_by_region_year_age_sex.csv.gz"));
    hiv_ = new DeathsTable(DeathsTable::read(kData / "hiv_deaths_by_year_age_sex.csv"));
  }
  static void TearDownTestSuite() {
    delete deaths_;
    delete hiv_;
    deaths_ = hiv_ = nullptr;
  }
  void SetUp() override {
    if (!deaths_) GTEST_SKIP() << "no Rosstat data in " << kData;
  }
  static ExcessOptions national(const char* ages) {
    ExcessOptions o;
    o.region = kNational;
    o.ages = parse_age_range(ages);
    return o;
  }
  static DeathsTable* deaths_;
  static DeathsTable* hiv_;
};

DeathsTable* Reproduction::deaths_ = nullptr;
DeathsTable* Reproduction::hiv_ = nullptr;

// The grid's cells come out in the notebook's column order (sex_ratio.hpp).
std::size_t column(const SensitivityCell& cell) {
  const std::size_t length = cell.baseline_years == 1 ? 0 : cell.baseline_years == 5 ? 1 : 2;
  return (cell.subtracted ? 6 : 0) + (cell.trend == Trend::exponential ? 3 : 0) + length;
}

void expect_cell(double excess, const std::optional<double>& se, const GridRow& ref,
                 std::size_t col) {
  SCOPED_TRACE(testing::Message() << ref.ages << " " << ref.year << " column " << col);
  EXPECT_NEAR(excess, ref.excess[col], kPrinted);
  if (ref.se[col] == 0) {
    EXPECT_FALSE(se.has_value());
  } else {
    ASSERT_TRUE(se.has_value());
    EXPECT_NEAR(*se, ref.se[col], kPrinted);
  }
}

TEST_F(Reproduction, HeadlineFiveYearLinearEstimates) {
  const ExcessEstimate raw = estimate_excess(*deaths_, national("15-49"));
  ASSERT_EQ(raw.bands.size(), 7u);
  ASSERT_EQ(raw.years.size(), 2u);
  EXPECT_NEAR(raw.years[0].excess, 23594, kPrinted);
  EXPECT_NEAR(*raw.years[0].se, 1568, kPrinted);
  EXPECT_NEAR(raw.years[1].excess, 40542, kPrinted);
  EXPECT_NEAR(*raw.years[1].se, 1738, kPrinted);
  EXPECT_NEAR(raw.total.excess, 64136, kPrinted);
  EXPECT_TRUE(raw.trusted());
  // The overlapping 2023-only band 15-17 is left out, with a note.
  ASSERT_FALSE(raw.notes.empty());
  EXPECT_NE(raw.notes.front().find("15-17"), std::string::npos);

  const ExcessEstimate hiv = estimate_excess(*deaths_, national("15-49"), hiv_);
  EXPECT_NEAR(hiv.years[0].excess, 20618, kPrinted);
  EXPECT_NEAR(*hiv.years[0].se, 1374, kPrinted);
  EXPECT_NEAR(hiv.years[1].excess, 37864, kPrinted);
  EXPECT_NEAR(*hiv.years[1].se, 1533, kPrinted);
  EXPECT_NEAR(hiv.total.excess, 58482, kPrinted);
}

TEST_F(Reproduction, TotalOverTheYearsIsWiderThanIndependentYears) {
  // The two years share one fitted line per band, so their errors are positively correlated:
  // the total's SE exceeds the SE the years would have if they were independent.
  const ExcessEstimate raw = estimate_excess(*deaths_, national("15-49"));
  const double independent = std::hypot(*raw.years[0].se, *raw.years[1].se);
  EXPECT_GT(*raw.total.se, independent);
  EXPECT_LT(*raw.total.se, *raw.years[0].se + *raw.years[1].se);
}

TEST_F(Reproduction, SensitivityGridAsTheNotebookPrintsIt) {
  const auto grid = sensitivity_grid(*deaths_, national("15-59"), hiv_);
  ASSERT_EQ(grid.size(), 12u);
  for (const auto& cell : grid) {
    ASSERT_EQ(cell.estimate.bands.size(), 9u);
    for (const GridRow& ref : kGrid) {
      const auto& bands = cell.estimate.bands;
      const auto band = std::find_if(bands.begin(), bands.end(), [&](const BandEstimate& b) {
        return b.band.label == ref.ages;
      });
      ASSERT_NE(band, bands.end()) << ref.ages;
      const BandYear& by = band->years[static_cast<std::size_t>(ref.year - 2022)];
      expect_cell(by.excess, by.se, ref, column(cell));
    }
  }
  for (const auto& cell : sensitivity_grid(*deaths_, national("15-49"), hiv_))
    for (const GridRow& ref : kTotals) {
      const YearEstimate& y = cell.estimate.years[static_cast<std::size_t>(ref.year - 2022)];
      expect_cell(y.excess, y.se, ref, column(cell));
    }
}

}  // namespace
