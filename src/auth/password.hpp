// Passwords of mamori's users: Argon2id (libsodium crypto_pwhash_str) and the password policy.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace mamori::auth {

enum class HashCost {
  kInteractive,  // libsodium's INTERACTIVE limits (2 passes, 64 MiB): production
  kMinimal,      // the smallest Argon2id limits: test suites that create many users
};

Result<std::string> HashPassword(std::string_view password, HashCost cost = HashCost::kInteractive);
bool VerifyPassword(std::string_view hash, std::string_view password);

// At least min_length characters (counted in code points), at most 256 bytes, three of four
// classes (lower case, upper case, digits, symbols), and not containing the user name.
Status CheckPasswordPolicy(std::string_view password, std::string_view username,
                           size_t min_length = 8);

}  // namespace mamori::auth
