// The claim extractor on the extraction corpus (bench/evidence/corpus). The test split is
// written by hand, never tuned on (bench/evidence/corpus/test/README.md); the dev split holds
// the generated reports and the hand-written ones the extractor is tuned on. The floors are a
// little below what the bench measures (docs/claims.md gives the figures), so a change that
// loses claims on reports the extractor has not seen fails here. The extractor is
// deterministic, so the floors need no Monte Carlo allowance.

#include <filesystem>

#include <gtest/gtest.h>

#include "evidence/corpus_score.hpp"

namespace {

namespace fs = std::filesystem;
const fs::path corpus = fs::path(RECOUNT_SOURCE_DIR) / "bench/evidence/corpus";

struct Floor {
  const char* lang;
  double recall, precision, source;
};

TEST(CorpusQuality, TestSplitHoldsItsFloor) {
  // Measured: en 0.756 / 0.843 / 0.744, ru 0.718 / 0.903 / 0.730 (recall / precision /
  // source); the targets (0.90 / 0.85 / 0.80) are not met yet on this split.
  for (const Floor f : {Floor{"en", 0.74, 0.83, 0.73}, Floor{"ru", 0.70, 0.89, 0.72}}) {
    const recount::corpus::Score s = recount::corpus::score(corpus / "test" / f.lang);
    EXPECT_GE(s.gold, 150u) << f.lang;
    EXPECT_GE(s.recall(), f.recall) << f.lang;
    EXPECT_GE(s.precision(), f.precision) << f.lang;
    EXPECT_GE(s.source_accuracy(), f.source) << f.lang;
  }
}

TEST(CorpusQuality, DevSplitMeetsTheTargets) {
  for (const char* lang : {"en", "ru"}) {
    const recount::corpus::Score s = recount::corpus::score(corpus / "dev" / lang);
    EXPECT_GE(s.recall(), 0.90) << lang;
    EXPECT_GE(s.precision(), 0.85) << lang;
    EXPECT_GE(s.source_accuracy(), 0.80) << lang;
  }
}

TEST(CorpusQuality, EachLanguageHasItsGoldClaims) {
  for (const char* lang : {"en", "ru"}) {
    const std::size_t dev = recount::corpus::score(corpus / "dev" / lang).gold;
    const std::size_t test = recount::corpus::score(corpus / "test" / lang).gold;
    EXPECT_GE(test, 150u) << lang;
    EXPECT_GE(dev + test, 450u) << lang;
  }
}

}  // namespace
