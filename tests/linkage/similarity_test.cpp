// Jaro-Winkler and optimal string alignment distance: textbook values and edge cases.

#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "recount/linkage/similarity.hpp"

namespace recount::linkage {
namespace {

TEST(JaroWinkler, TextbookValues) {
  // Winkler (1990) / Cohen et al. (2003) examples.
  EXPECT_NEAR(jaro_winkler("martha", "marhta"), 0.9611, 1e-4);
  EXPECT_NEAR(jaro_winkler("dwayne", "duane"), 0.84, 1e-4);
  EXPECT_NEAR(jaro_winkler("dixon", "dicksonx"), 0.8133, 1e-4);
  EXPECT_DOUBLE_EQ(jaro_winkler("fedorov", "fedorov"), 1.0);
  EXPECT_DOUBLE_EQ(jaro_winkler("abc", "xyz"), 0.0);
}

TEST(JaroWinkler, EmptyAndSymmetric) {
  EXPECT_DOUBLE_EQ(jaro_winkler("", ""), 1.0);
  EXPECT_DOUBLE_EQ(jaro_winkler("", "a"), 0.0);
  EXPECT_DOUBLE_EQ(jaro_winkler("a", "a"), 1.0);
  EXPECT_DOUBLE_EQ(jaro_winkler("habibullin", "gabibullin"),
                   jaro_winkler("gabibullin", "habibullin"));
}

TEST(JaroWinkler, LongStringsUseTheHeap) {
  const std::string a(200, 'a');
  std::string b = a;
  b[100] = 'b';
  EXPECT_GT(jaro_winkler(a, b), 0.99);
  EXPECT_LT(jaro_winkler(a, b), 1.0);
}

TEST(DamerauLevenshtein, Distances) {
  EXPECT_EQ(damerau_levenshtein("ivanov", "ivanov", 3), 0);
  EXPECT_EQ(damerau_levenshtein("ivanov", "ivnaov", 3), 1);  // transposition
  EXPECT_EQ(damerau_levenshtein("ivanov", "ivashov", 3), 2);
  EXPECT_EQ(damerau_levenshtein("kitten", "sitting", 5), 3);
  EXPECT_EQ(damerau_levenshtein("ca", "abc", 5), 3);  // OSA, not unrestricted (2)
  EXPECT_EQ(damerau_levenshtein("", "abc", 5), 3);
  EXPECT_EQ(damerau_levenshtein("abc", "", 5), 3);
}

TEST(DamerauLevenshtein, EarlyExitReturnsMaxPlusOne) {
  EXPECT_EQ(damerau_levenshtein("kitten", "sitting", 2), 3);
  EXPECT_EQ(damerau_levenshtein("kitten", "sitting", 1), 2);
  EXPECT_EQ(damerau_levenshtein("a", "abcdef", 2), 3);
  EXPECT_EQ(damerau_levenshtein("abc", "xyz", 0), 1);
  EXPECT_EQ(damerau_levenshtein("abc", "abd", -1), 1);
  EXPECT_EQ(damerau_levenshtein("kitten", "sitting", std::numeric_limits<int>::max()), 3);
}

TEST(DamerauLevenshtein, LongStrings) {
  const std::string a(100, 'x');
  std::string b = a;
  b[50] = 'y';
  EXPECT_EQ(damerau_levenshtein(a, b, 3), 1);
  EXPECT_EQ(damerau_levenshtein(a, std::string(100, 'y'), 3), 4);
}

}  // namespace
}  // namespace recount::linkage
