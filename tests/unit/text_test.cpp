// core/text.hpp's comparisons held to their byte-at-a-time references.
#include "core/text.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

namespace mamori {
namespace {

TEST(AsciiNoCase, Examples) {
  EXPECT_TRUE(EqualsAsciiNoCase("Microsoft", "microsoft"));
  EXPECT_TRUE(EqualsAsciiNoCase("WINDOWS_10_22H2", "windows_10_22h2"));  // past eight bytes
  EXPECT_TRUE(EqualsAsciiNoCase("", ""));
  EXPECT_FALSE(EqualsAsciiNoCase("windows_10_22h2", "windows_10_22h3"));
  EXPECT_FALSE(EqualsAsciiNoCase("windows_10", "windows_1"));
  EXPECT_FALSE(EqualsAsciiNoCase("@[`{", "`{@["));  // the bytes beside A–Z and a–z are not letters
  EXPECT_FALSE(
      EqualsAsciiNoCase("\xC1\xC1\xC1\xC1\xC1\xC1\xC1\xC1", "\xE1\xE1\xE1\xE1\xE1\xE1\xE1\xE1"));
  EXPECT_TRUE(EqualsAsciiNoCase("電子カルテ_EMR_Ver2", "電子カルテ_emr_ver2"));
}

TEST(AsciiNoCase, EightBytesLowerAsOneAtATime) {
  // Every byte value in every position of a word, beside every other byte value's neighbours.
  for (int v = 0; v < 256; ++v)
    for (int w = 0; w < 256; w += 5)
      for (int at = 0; at < 8; ++at) {
        unsigned char bytes[8];
        for (int k = 0; k < 8; ++k) bytes[k] = static_cast<unsigned char>(k == at ? v : w + k);
        uint64_t word = 0;
        std::memcpy(&word, bytes, 8);
        const uint64_t lowered = AsciiLower8(word);
        unsigned char out[8];
        std::memcpy(out, &lowered, 8);
        for (int k = 0; k < 8; ++k) {
          const unsigned char b = bytes[k];
          ASSERT_EQ(out[k], b >= 'A' && b <= 'Z' ? b + 32 : b) << v << " " << w << " " << at;
        }
      }
}

// AsciiLower (and AsciiLowerInto, which it calls) over strings of every length up to 19 — whole
// words, tails, both — of every byte value in one position: A–Z lowered, nothing else touched,
// and not a byte written past the string.
TEST(AsciiNoCase, LowerCaseOfEveryLengthAndByte) {
  for (size_t length = 0; length < 20; ++length)
    for (int v = 0; v < 256; ++v) {
      std::string s(length, 'Q');
      for (size_t k = 0; k < length; ++k) s[k] = static_cast<char>("aZ@[`{Mq9_"[k % 10]);
      if (length > 0) s[static_cast<size_t>(v) % length] = static_cast<char>(v);
      std::string out(length + 8, '#');
      AsciiLowerInto(s, out.data());
      const std::string lowered = AsciiLower(s);
      ASSERT_EQ(lowered.size(), length);
      for (size_t k = 0; k < length; ++k) {
        const auto b = static_cast<unsigned char>(s[k]);
        const char want = static_cast<char>(b >= 'A' && b <= 'Z' ? b + 32 : b);
        ASSERT_EQ(out[k], want) << length << " " << v << " " << k;
        ASSERT_EQ(lowered[k], want) << length << " " << v << " " << k;
      }
      ASSERT_EQ(out.substr(length), std::string(8, '#')) << length;
    }
}

TEST(AsciiNoCase, AgreesWithTheByteAtATimeReference) {
  // Every pair of byte values in one position of strings of every length up to 19 (whole words,
  // tails and both), and random strings of letters, their neighbours and high bytes.
  size_t checked = 0, equal = 0;
  auto check = [&](const std::string& a, const std::string& b) {
    const bool want = EqualsAsciiNoCaseReference(a, b);
    ASSERT_EQ(EqualsAsciiNoCase(a, b), want)
        << testing::PrintToString(a) << " " << testing::PrintToString(b);
    ++checked;
    equal += want ? 1 : 0;
  };
  for (size_t length : {1, 2, 3, 4, 5, 7, 8, 9, 15, 19})
    for (size_t at : {size_t{0}, length / 2, length - 1})
      for (int x = 0; x < 256; ++x)
        for (int y = 0; y < 256; ++y) {
          std::string a(length, 'q'), b(length, 'Q');
          a[at] = static_cast<char>(x);
          b[at] = static_cast<char>(y);
          check(a, b);
        }
  // Random strings, and the same with some letters' case flipped; every other one with one
  // byte changed as well.
  std::mt19937 rng(20261204);
  const char bytes[] = "aAzZmM@[`{09_-.\xC1\xE1\xFF\x80";
  for (int k = 0; k < 200000; ++k) {
    std::string a(rng() % 24, 'a');
    for (char& c : a) c = bytes[rng() % (sizeof bytes - 1)];
    std::string b = a;
    for (char& c : b)
      if (((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) && rng() % 2 == 0) c ^= 0x20;
    if (k % 2 == 1 && !b.empty()) b[rng() % b.size()] = bytes[rng() % (sizeof bytes - 1)];
    check(a, b);
  }
  EXPECT_GT(checked, 900000u);
  EXPECT_GT(equal, 100000u);  // both outcomes, often
  EXPECT_GT(checked - equal, 100000u);
}

// The columns a terminal gives text: what pads the CLI's Japanese --help.
TEST(DisplayColumns, WideNarrowAndCombining) {
  EXPECT_EQ(DisplayColumns(""), 0u);
  EXPECT_EQ(DisplayColumns("--db PATH"), 9u);
  EXPECT_EQ(DisplayColumns("（必須）"), 8u);          // fullwidth brackets and kanji
  EXPECT_EQ(DisplayColumns("ＡＢ"), 4u);              // fullwidth letters
  EXPECT_EQ(DisplayColumns("ｱｸﾛﾊﾞｯﾄ"), 7u);           // halfwidth katakana: three bytes, one column
  EXPECT_EQ(DisplayColumns("→○"), 2u);                // ambiguous width: narrow
  EXPECT_EQ(DisplayColumns("a\u200Bb"), 2u);          // a zero-width space takes none
  EXPECT_EQ(DisplayColumns("e\u0301"), 1u);           // a combining accent takes none
  EXPECT_EQ(DisplayColumns("\xE3\x81"), 1u);          // a cut sequence: one column
  EXPECT_EQ(DisplayColumns("\xF0\x9F\x98\x80"), 2u);  // an emoji (wide)
}

}  // namespace
}  // namespace mamori
