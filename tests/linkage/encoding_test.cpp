// Encodings of list files: UTF-8 kept, Windows-1251 detected and transcoded, others refused.

#include <gtest/gtest.h>
#include <unicode/ucnv.h>

#include <optional>
#include <string>

#include "recount/core/error.hpp"
#include "recount/linkage/encoding.hpp"

namespace recount::linkage {
namespace {

// UTF-8 text in another encoding, through ICU.
std::string encode(const std::string& utf8, const char* charset) {
  UErrorCode status = U_ZERO_ERROR;
  std::string out(utf8.size() * 4 + 4, '\0');
  const int32_t n = ucnv_convert(charset, "UTF-8", out.data(), static_cast<int32_t>(out.size()),
                                 utf8.data(), static_cast<int32_t>(utf8.size()), &status);
  EXPECT_TRUE(U_SUCCESS(status)) << u_errorName(status);
  out.resize(static_cast<std::size_t>(n));
  return out;
}

const std::string kList =
    "id,full_name,dob\n1,Фёдоров Сергей Павлович,12.03.1985\n2,Хабибуллин Ринат,1990\n"
    "3,Шевчук Ілля Андрійович,01.01.1979\n4,Ёлкин Пётр,\n";

TEST(ToUtf8, Utf8IsKeptAndTheBomStripped) {
  std::string detected;
  EXPECT_EQ(to_utf8(kList, "list.csv", &detected), kList);
  EXPECT_EQ(detected, "utf-8");
  EXPECT_EQ(to_utf8("\xEF\xBB\xBF" + kList, "list.csv", &detected), kList);
  EXPECT_EQ(to_utf8("", "empty.csv", &detected), "");
  EXPECT_EQ(to_utf8("id,name\n1,Fedorov\n", "ascii.csv", nullptr), "id,name\n1,Fedorov\n");
}

TEST(ToUtf8, Windows1251IsDetectedAndTranscoded) {
  const std::string cp1251 = encode(kList, "windows-1251");
  ASSERT_NE(cp1251, kList);
  std::string detected;
  EXPECT_EQ(to_utf8(cp1251, "list.csv", &detected), kList);
  EXPECT_EQ(detected, "windows-1251");
  // All capitals, a short list: still Windows-1251.
  const std::string caps = "ФЁДОРОВ СЕРГЕЙ\nИВАНОВ ИВАН\n";
  EXPECT_EQ(to_utf8(encode(caps, "windows-1251"), "caps.csv", &detected), caps);
}

void expect_refused(const std::string& bytes, const std::string& needle) {
  try {
    (void)to_utf8(bytes, "bad.csv", nullptr);
    ADD_FAILURE() << "accepted: " << needle;
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_NE(std::string(e.what()).find("bad.csv"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(ToUtf8, OtherEncodingsAreRefusedNamingTheFile) {
  expect_refused(encode(kList, "UTF-16LE"), "UTF-16");
  expect_refused("\xFF\xFE" + encode(kList, "UTF-16LE"), "UTF-16");
  expect_refused(std::string("\x00\x01\x02\x03garbage\x00", 12), "binary");
  expect_refused(encode("id,name\n1,Müller Jürgen Größe Ärger Öl\n", "ISO-8859-1"), "UTF-8");
  expect_refused(encode("id,name\n1,学生 王小明 北京 上海 广州\n", "GB18030"), "UTF-8");
}

TEST(ToUtf8, TheRefusalGivesTheFirstByteThatIsNotUtf8) {
  try {
    (void)to_utf8("\xEF\xBB\xBFid\n1,M\xFCller\n", "x.csv", nullptr);
    ADD_FAILURE() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.where().offset, std::optional<std::size_t>(9));
  }
}

TEST(ToUtf8, Koi8rIsRefused) {
  const std::string text =
      "Список: Фёдоров Сергей Павлович, Иванов Иван Иванович, Петров Пётр Петрович, "
      "Сидоров Алексей Николаевич, Кузнецов Дмитрий Сергеевич, Смирнов Андрей Викторович\n";
  expect_refused(encode(text, "KOI8-R"), "UTF-8");
}

}  // namespace
}  // namespace recount::linkage
