// Small wrappers over libsodium and OpenSSL: random tokens, hex, SHA-256, constant-time compare.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mamori {

// Must be called once before any other function here (main and test mains do).
void InitCrypto();

std::string RandomBytes(size_t n);
// A URL-safe random token of n random bytes, hex encoded.
std::string RandomToken(size_t n = 32);
std::string ToHex(std::string_view bytes);
std::string Sha256Hex(std::string_view data);

// SHA-256 over data that arrives in pieces (a file read in chunks, an archive member).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::string_view data);
  // The digest as lowercase hex; the object is spent afterwards.
  std::string HexDigest();

 private:
  struct State;
  State* state_;
};

// Standard base64 (with padding), for binary files kept in text columns.
std::string Base64Encode(std::string_view data);
// nullopt when the text is not base64.
std::optional<std::string> Base64Decode(std::string_view text);
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace mamori
