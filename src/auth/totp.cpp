#include "auth/totp.hpp"

#include <liboath/oath.h>

#include <cstdlib>
#include <memory>

#include "core/crypto.hpp"
#include "core/text.hpp"

namespace mamori::auth {

namespace {
constexpr unsigned kStep = 30;
constexpr unsigned kDigits = 6;

void EnsureInit() {
  static const bool ok = oath_init() == OATH_OK;
  (void)ok;
}

std::optional<std::string> Decode(std::string_view b32) {
  EnsureInit();
  char* out = nullptr;
  size_t len = 0;
  if (oath_base32_decode(b32.data(), b32.size(), &out, &len) != OATH_OK) return std::nullopt;
  std::string s(out, len);
  std::free(out);
  return s;
}

}  // namespace

std::string NewTotpSecret() {
  EnsureInit();
  std::string raw = RandomBytes(20);
  char* out = nullptr;
  size_t len = 0;
  oath_base32_encode(raw.data(), raw.size(), &out, &len);
  std::string s(out, len);
  std::free(out);
  while (!s.empty() && s.back() == '=') s.pop_back();
  return s;
}

Result<std::string> TotpCode(std::string_view secret_base32, int64_t unix_seconds) {
  auto secret = Decode(secret_base32);
  if (!secret) return MakeError(ErrorCode::kInvalidArgument, "auth.totp_bad_secret");
  const std::string& key = *secret;
  char code[kDigits + 1] = {};
  if (oath_totp_generate(key.data(), key.size(), static_cast<time_t>(unix_seconds), kStep, 0,
                         kDigits, code) != OATH_OK)
    return MakeError(ErrorCode::kInternal, "auth.totp_bad_secret");
  return std::string(code);
}

std::optional<int64_t> VerifyTotp(std::string_view secret_base32, std::string_view code,
                                  int64_t unix_seconds, int64_t last_step) {
  if (code.size() != kDigits) return std::nullopt;
  for (char c : code)
    if (c < '0' || c > '9') return std::nullopt;
  auto secret = Decode(secret_base32);
  if (!secret) return std::nullopt;
  std::string otp(code);
  int pos = 0;
  const std::string& key = *secret;
  int rc = oath_totp_validate2(key.data(), key.size(), static_cast<time_t>(unix_seconds), kStep, 0,
                               1, &pos, otp.c_str());
  if (rc < 0) return std::nullopt;
  int64_t step = unix_seconds / kStep + pos;
  if (step <= last_step) return std::nullopt;
  return step;
}

std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view secret_base32) {
  return "otpauth://totp/" + PercentEncode(issuer) + ":" + PercentEncode(account) +
         "?secret=" + std::string(secret_base32) + "&issuer=" + PercentEncode(issuer) +
         "&algorithm=SHA1&digits=6&period=30";
}

}  // namespace mamori::auth
