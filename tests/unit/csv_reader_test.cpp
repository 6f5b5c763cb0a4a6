#include "formats/csv_reader.hpp"

#include <gtest/gtest.h>

namespace mamori::formats {
namespace {

using Rows = std::vector<std::vector<std::string>>;

TEST(CsvReader, Utf8WithTitleRowsQuotesAndLineBreaks) {
  std::string csv =
      "機器台帳（令和8年4月1日現在）\r\n"
      "\r\n"
      "ホスト名,IPアドレス,主なソフトウェア\r\n"
      "EMR-PC01,10.0.0.1,\"Office 2016\nAcrobat Reader DC\"\r\n"
      "\"PACS,1\",\"say \"\"hi\"\"\",\r\n";
  auto t = ReadCsv(csv, "ledger.csv");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->encoding, Encoding::kUtf8);
  EXPECT_EQ(t->rows, (Rows{{"機器台帳（令和8年4月1日現在）"},
                           {"ホスト名", "IPアドレス", "主なソフトウェア"},
                           {"EMR-PC01", "10.0.0.1", "Office 2016\nAcrobat Reader DC"},
                           {"PACS,1", "say \"hi\"", ""}}));
  EXPECT_EQ(t->lines, (std::vector<int>{1, 3, 4, 6}));
}

TEST(CsvReader, BomIsDetectedAndStripped) {
  auto t = ReadCsv(
      "\xEF\xBB\xBF"
      "設置場所\n本館2F\n",
      "bom.csv");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->encoding, Encoding::kUtf8Bom);
  EXPECT_EQ(t->rows[0][0], "設置場所");
}

TEST(CsvReader, Cp932IsDetectedAndConverted) {
  // "設置場所,利用者\r\n本館２Ｆ,医事課\r\n" saved by Excel as CSV (Shift_JIS/CP932), made here
  // from UTF-8 with glibc iconv so the bytes are those Excel writes.
  auto sjis = ToCp932("設置場所,利用者\r\n本館２Ｆ,医事課\r\n①番,髙橋\r\n");
  ASSERT_TRUE(sjis.ok());
  EXPECT_FALSE(IsValidUtf8(*sjis));
  auto t = ReadCsv(*sjis, "sjis.csv");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->encoding, Encoding::kCp932);
  EXPECT_EQ(t->rows, (Rows{{"設置場所", "利用者"}, {"本館２Ｆ", "医事課"}, {"①番", "髙橋"}}));
}

TEST(CsvReader, ErrorsNameTheFileAndLine) {
  auto quote = ReadCsv("a,b\nc,\"open\nstill open\n", "broken.csv");
  ASSERT_FALSE(quote.ok());
  EXPECT_EQ(quote.error().key, "import.unterminated_quote");
  EXPECT_EQ(quote.error().Message(Lang::kJa),
            "broken.csv の 2 行目で始まる引用符（\"）が閉じられていません");
  // 0x81 0x20 is not CP932 either (a lead byte followed by a space).
  auto bytes = ReadCsv("ok\nline2\n\x81\x20 bad\n", "binary.csv");
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.error().key, "import.bad_encoding");
  EXPECT_EQ(bytes.error().args.at(1), "3");
  EXPECT_EQ(ReadCsv("\xEF\xBB\xBF\xFF", "x.csv").error().key, "import.bad_utf8");
}

TEST(CsvReader, Cp932ExportNamesACharacterItLacks) {
  auto r = ToCp932("電子カルテ🏥");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().args.at(0), "🏥");
}

TEST(Utf8, Validation) {
  EXPECT_TRUE(IsValidUtf8("abc 日本語 🏥"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xE6\x97"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\x93\xfa\x96\x7b"));  // "日本" in Shift_JIS
}

}  // namespace
}  // namespace mamori::formats
