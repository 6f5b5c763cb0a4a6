#include "auth/totp.hpp"

#include <gtest/gtest.h>

#include "core/crypto.hpp"

namespace mamori::auth {
namespace {

// RFC 6238 appendix B, SHA-1 secret "12345678901234567890" (base32 below); the RFC's 8-digit
// values truncated to 6 digits are the last six digits.
constexpr const char* kRfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

TEST(Totp, MatchesRfc6238Vectors) {
  EXPECT_EQ(*TotpCode(kRfcSecret, 59), "287082");
  EXPECT_EQ(*TotpCode(kRfcSecret, 1111111109), "081804");
  EXPECT_EQ(*TotpCode(kRfcSecret, 1111111111), "050471");
  EXPECT_EQ(*TotpCode(kRfcSecret, 1234567890), "005924");
  EXPECT_EQ(*TotpCode(kRfcSecret, 2000000000), "279037");
}

TEST(Totp, AcceptsAdjacentStepsOnceOnly) {
  const int64_t now = 1234567890;
  auto code = *TotpCode(kRfcSecret, now);
  auto step = VerifyTotp(kRfcSecret, code, now, 0);
  ASSERT_TRUE(step);
  EXPECT_EQ(*step, now / 30);
  EXPECT_FALSE(VerifyTotp(kRfcSecret, code, now, *step));  // replay
  EXPECT_TRUE(VerifyTotp(kRfcSecret, *TotpCode(kRfcSecret, now - 30), now, 0));
  EXPECT_TRUE(VerifyTotp(kRfcSecret, *TotpCode(kRfcSecret, now + 30), now, 0));
  EXPECT_FALSE(VerifyTotp(kRfcSecret, *TotpCode(kRfcSecret, now - 90), now, 0));
  EXPECT_FALSE(VerifyTotp(kRfcSecret, "12345", now, 0));
  EXPECT_FALSE(VerifyTotp(kRfcSecret, "abcdef", now, 0));
}

TEST(Totp, NewSecretsAreBase32AndDistinct) {
  InitCrypto();
  auto a = NewTotpSecret(), b = NewTotpSecret();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
  EXPECT_TRUE(TotpCode(a, 0).ok());
  EXPECT_EQ(OtpauthUri("mamori", "山田", "ABC"),
            "otpauth://totp/mamori:%E5%B1%B1%E7%94%B0?secret=ABC&issuer=mamori&algorithm=SHA1&"
            "digits=6&period=30");
}

}  // namespace
}  // namespace mamori::auth
