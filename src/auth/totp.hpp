// TOTP second factor (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) through liboath.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace mamori::auth {

// A new random secret (160 bits), base32 encoded without padding, as authenticator apps expect.
std::string NewTotpSecret();

// The code for the time step containing unix_seconds.
Result<std::string> TotpCode(std::string_view secret_base32, int64_t unix_seconds);

// Accepts a code from the step before, the current or the next one (clock drift). Returns the
// accepted time step, which must be greater than last_step (a code is never accepted twice).
std::optional<int64_t> VerifyTotp(std::string_view secret_base32, std::string_view code,
                                  int64_t unix_seconds, int64_t last_step);

// otpauth://totp/mamori:NAME?secret=…&issuer=mamori&algorithm=SHA1&digits=6&period=30
std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view secret_base32);

}  // namespace mamori::auth
