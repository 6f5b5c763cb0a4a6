// minisign keys and signatures (https://jedisct1.github.io/minisign/): Ed25519 through
// libsodium. Used where mamori signs something a person outside mamori may want to check with
// the `minisign` tool — the offline vulnerability bundle, the log store's checkpoints. The key
// and signature layouts are written here because no Debian library reads them (minisign is a
// program, not a library); docs/formats/bundle.md describes them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace mamori::minisign {

struct PublicKey {
  std::string key_id;      // 8 bytes, as minisign keeps them
  std::string public_key;  // 32 bytes
  // The id as minisign prints it ("%016llX" of the little-endian number).
  [[nodiscard]] std::string IdHex() const;
};

struct SigningKey {
  PublicKey pub;
  std::string secret_key;  // 64 bytes (libsodium's seed || public key)
};

SigningKey GenerateSigningKey();
// minisign's public key file (untrusted comment line, base64 line).
std::string FormatPublicKey(const PublicKey& key);
// minisign's secret key file, unencrypted (kdf "none"): keep it with mode 0600, offline.
std::string FormatSecretKey(const SigningKey& key);
// A public key file, or the bare base64 line of one.
Result<PublicKey> ParsePublicKey(std::string_view text, const std::string& file);
// An unencrypted minisign secret key; an encrypted one is refused by name.
Result<SigningKey> ParseSecretKey(std::string_view text, const std::string& file);

// A minisign signature file for `message` ("ED": Ed25519 over BLAKE2b-512 of the message).
std::string SignMinisign(const SigningKey& key, std::string_view message,
                         const std::string& trusted_comment);
// Checks a minisign signature ("ED" or legacy "Ed") against the trusted keys; returns the key
// that signed and the verified trusted comment.
struct VerifiedSignature {
  PublicKey key;
  std::string trusted_comment;
};
Result<VerifiedSignature> VerifyMinisign(const std::vector<PublicKey>& trusted,
                                         std::string_view message, std::string_view signature,
                                         const std::string& file);

}  // namespace mamori::minisign
