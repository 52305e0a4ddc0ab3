#include "recount/core/text.hpp"

#include <filesystem>

#include <gtest/gtest.h>

#include "recount/core/error.hpp"
#include "recount/core/hash.hpp"

namespace recount {
namespace {

TEST(Text, Utf8Validity) {
  EXPECT_FALSE(first_invalid_utf8("plain ascii"));
  EXPECT_FALSE(first_invalid_utf8("Фёдоров Сергей"));
  EXPECT_EQ(first_invalid_utf8("ab\xff"), 2u);
  EXPECT_EQ(first_invalid_utf8("a\xC0\x80"), 1u);      // overlong NUL
  EXPECT_EQ(first_invalid_utf8("a\xED\xA0\x80"), 1u);  // surrogate
  EXPECT_EQ(first_invalid_utf8("\xD0"), 0u);           // truncated
}

TEST(Text, Binary) {
  EXPECT_TRUE(looks_binary(std::string("PK\x03\x04\0\0", 6)));
  EXPECT_FALSE(looks_binary("Just text.\nMore text.\n"));
}

TEST(Text, FormatNumber) {
  EXPECT_EQ(format_number(10356.52), "10,357");
  EXPECT_EQ(format_number(10356.52, 2), "10,356.52");
  EXPECT_EQ(format_number(-1234567), "-1,234,567");
  EXPECT_EQ(format_number(999), "999");
  EXPECT_EQ(format_number(-0.2), "0");
}

TEST(Text, ReadFileErrorsNameThePath) {
  try {
    (void)read_file("/nonexistent/recount/file.txt");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_STREQ(e.what(), "/nonexistent/recount/file.txt: no such file");
  }
  EXPECT_THROW((void)read_file(std::filesystem::temp_directory_path()), Error);
}

TEST(Text, WriteFileIsAtomicAndPrivateOnRequest) {
  const auto dir = std::filesystem::temp_directory_path() / "recount_text_test";
  std::filesystem::remove_all(dir);
  const auto path = dir / "sub" / "names.csv";
  write_file(path, "a,b\n", true);
  EXPECT_EQ(read_file(path), "a,b\n");
  const auto perms = std::filesystem::status(path).permissions();
  EXPECT_EQ(perms & std::filesystem::perms::others_read, std::filesystem::perms::none);
  EXPECT_FALSE(std::filesystem::exists(dir / "sub" / "names.csv.tmp"));
  std::filesystem::remove_all(dir);
}

TEST(Hash, Sha256KnownAnswer) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace recount
