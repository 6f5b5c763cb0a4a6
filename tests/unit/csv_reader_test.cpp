#include "formats/csv_reader.hpp"

#include <gtest/gtest.h>

#include <random>

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
  EXPECT_TRUE(IsValidUtf8(std::string_view()));   // no bytes (and no pointer) at all
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xE6\x97"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\x93\xfa\x96\x7b"));  // "日本" in Shift_JIS
}

// Unicode's definition of UTF-8, a byte at a time: what IsValidUtf8 (simdjson's validator) must
// give for every input.
bool ReferenceUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80             ? 0
               : (c & 0xE0) == 0xC0 ? 1
               : (c & 0xF0) == 0xE0 ? 2
               : (c & 0xF8) == 0xF0 ? 3
                                    : 9;
    if (n == 9 || i + n >= s.size() + (n == 0 ? 1 : 0)) return false;
    uint32_t cp = n == 0 ? c : c & (0x7F >> (n + 1));
    for (size_t k = 1; k <= n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += n + 1;
  }
  return true;
}

TEST(Utf8, ValidationAgreesWithAByteAtATimeReference) {
  // Every two-byte value and the edges of every longer form, at offsets around the validator's
  // 64-byte blocks, and random strings of bytes that matter (leads, continuations, ASCII).
  const std::string pad(130, 'a');
  size_t checked = 0;
  auto check = [&](const std::string& s) {
    ASSERT_EQ(IsValidUtf8(s), ReferenceUtf8(s)) << testing::PrintToString(s);
    ++checked;
  };
  for (size_t at : {size_t{0}, size_t{31}, size_t{62}, size_t{63}, size_t{64}, size_t{127}})
    for (int a = 0; a < 256; ++a)
      for (int b = 0; b < 256; ++b)
        check(pad.substr(0, at) + static_cast<char>(a) + static_cast<char>(b));
  const unsigned char leads[] = {0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xED, 0xEE,
                                 0xEF, 0xF0, 0xF1, 0xF4, 0xF5, 0xF8, 0xFF};
  const unsigned char tails[] = {0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
  for (size_t at : {size_t{0}, size_t{61}, size_t{62}, size_t{63}})
    for (unsigned char lead : leads)
      for (unsigned char x : tails)
        for (unsigned char y : tails)
          for (unsigned char z : tails) {
            std::string s = pad.substr(0, at) + static_cast<char>(lead) + static_cast<char>(x) +
                            static_cast<char>(y);
            check(s);
            check(s + static_cast<char>(z));
            check(s + static_cast<char>(z) + pad.substr(0, 3));
          }
  std::mt19937 rng(20261203);
  const unsigned char bytes[] = {'a',  ' ',  0x00, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC2, 0xE3,
                                 0xE0, 0xED, 0xF0, 0xF4, 0xF5, 0xC0, 0x81, 0x93, 0xFA};
  for (int k = 0; k < 100000; ++k) {
    std::string s(rng() % 140, 'a');
    for (char& c : s)
      if (rng() % 4 == 0) c = static_cast<char>(bytes[rng() % sizeof bytes]);
    check(s);
  }
  EXPECT_GT(checked, 500000u);
}

}  // namespace
}  // namespace mamori::formats
