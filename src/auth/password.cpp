#include "auth/password.hpp"

#include <sodium.h>

#include <algorithm>
#include <cctype>

namespace mamori::auth {

Result<std::string> HashPassword(std::string_view password, HashCost cost) {
  char out[crypto_pwhash_STRBYTES];
  unsigned long long ops = cost == HashCost::kInteractive ? crypto_pwhash_OPSLIMIT_INTERACTIVE
                                                          : crypto_pwhash_OPSLIMIT_MIN;
  size_t mem = cost == HashCost::kInteractive ? crypto_pwhash_MEMLIMIT_INTERACTIVE
                                              : crypto_pwhash_MEMLIMIT_MIN;
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops, mem,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return MakeError(ErrorCode::kInternal, "auth.hash_failed");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  std::string h(hash);  // crypto_pwhash_str_verify wants a NUL-terminated string
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

Status CheckPasswordPolicy(std::string_view password, std::string_view username,
                           size_t min_length) {
  size_t code_points = 0;
  bool lower = false, upper = false, digit = false, symbol = false;
  for (unsigned char c : password) {
    if ((c & 0xC0) != 0x80) ++code_points;
    if (c >= 'a' && c <= 'z')
      lower = true;
    else if (c >= 'A' && c <= 'Z')
      upper = true;
    else if (c >= '0' && c <= '9')
      digit = true;
    else if ((c & 0xC0) != 0x80)
      symbol = true;
  }
  if (code_points < min_length)
    return MakeError(ErrorCode::kInvalidArgument, "auth.password_too_short",
                     {std::to_string(min_length)}, "password");
  if (password.size() > 256)
    return MakeError(ErrorCode::kInvalidArgument, "auth.password_too_long", {}, "password");
  if (int{lower} + int{upper} + int{digit} + int{symbol} < 3)
    return MakeError(ErrorCode::kInvalidArgument, "auth.password_classes", {}, "password");
  if (!username.empty() && username.size() >= 3) {
    std::string p(password), u(username);
    auto lc = [](std::string& s) {
      std::transform(s.begin(), s.end(), s.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    };
    lc(p);
    lc(u);
    if (p.find(u) != std::string::npos)
      return MakeError(ErrorCode::kInvalidArgument, "auth.password_has_username", {}, "password");
  }
  return Ok();
}

}  // namespace mamori::auth
