#include "auth/password.hpp"

#include <gtest/gtest.h>

#include "core/crypto.hpp"

namespace mamori::auth {
namespace {

TEST(Password, HashIsArgon2idAndVerifies) {
  InitCrypto();
  auto h = HashPassword("Correct-Horse-9", HashCost::kMinimal);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u) << *h;
  EXPECT_TRUE(VerifyPassword(*h, "Correct-Horse-9"));
  EXPECT_FALSE(VerifyPassword(*h, "Correct-Horse-8"));
  EXPECT_FALSE(VerifyPassword("not a hash", "Correct-Horse-9"));
  auto again = HashPassword("Correct-Horse-9", HashCost::kMinimal);
  EXPECT_NE(*h, *again);  // salted
}

TEST(Password, ProductionCostIsInteractive) {
  InitCrypto();
  auto h = HashPassword("Correct-Horse-9");
  ASSERT_TRUE(h.ok());
  EXPECT_NE(h->find("m=65536"), std::string::npos) << *h;  // 64 MiB
}

TEST(Password, Policy) {
  EXPECT_TRUE(CheckPasswordPolicy("Abcdefg1", "nurse01").ok());
  EXPECT_TRUE(CheckPasswordPolicy("abc-def-12", "nurse01").ok());
  EXPECT_EQ(CheckPasswordPolicy("Abc1", "x").error().key, "auth.password_too_short");
  EXPECT_EQ(CheckPasswordPolicy("abcdefghij", "x").error().key, "auth.password_classes");
  EXPECT_EQ(CheckPasswordPolicy("abcdefgh12", "x").error().key, "auth.password_classes");
  EXPECT_EQ(CheckPasswordPolicy("Nurse01-pass", "nurse01").error().key,
            "auth.password_has_username");
  // Length counts characters, not bytes: seven Japanese characters are still too short.
  EXPECT_EQ(CheckPasswordPolicy("パスワードA1", "x").error().key, "auth.password_too_short");
  EXPECT_TRUE(CheckPasswordPolicy("パスワードです1A", "x").ok());
  EXPECT_EQ(CheckPasswordPolicy(std::string(300, 'a') + "A1", "x").error().key,
            "auth.password_too_long");
}

}  // namespace
}  // namespace mamori::auth
