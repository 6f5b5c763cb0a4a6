#include "core/minisign.hpp"

#include <sodium.h>

#include <algorithm>
#include <optional>

#include "core/crypto.hpp"

namespace mamori::minisign {

namespace {

Error Bad(const char* key, std::vector<std::string> args) {
  return MakeError(ErrorCode::kInvalidArgument, key, std::move(args));
}

std::string Bytes(const unsigned char* p, size_t n) {
  return {reinterpret_cast<const char*>(p), n};
}

const unsigned char* U(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// The lines of a minisign file without the trailing CR/LF.
std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at < text.size()) {
    size_t nl = text.find('\n', at);
    if (nl == std::string_view::npos) nl = text.size();
    std::string line(text.substr(at, nl - at));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(std::move(line));
    at = nl + 1;
  }
  return out;
}

// The base64 payload of a key file: the line after "untrusted comment:", or the only line.
std::optional<std::string> KeyPayload(std::string_view text) {
  auto lines = Lines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].rfind("untrusted comment:", 0) == 0) continue;
    if (lines[i].empty()) continue;
    return Base64Decode(lines[i]);
  }
  return std::nullopt;
}

std::string Blake2b512(std::string_view message) {
  unsigned char h[crypto_generichash_BYTES_MAX];
  crypto_generichash(h, sizeof h, U(message), message.size(), nullptr, 0);
  return Bytes(h, sizeof h);
}

}  // namespace

std::string PublicKey::IdHex() const {
  std::string reversed(key_id.rbegin(), key_id.rend());
  std::string hex = ToHex(reversed);
  std::transform(hex.begin(), hex.end(), hex.begin(), ::toupper);
  return hex;
}

SigningKey GenerateSigningKey() {
  SigningKey k;
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  k.pub.public_key = Bytes(pk, sizeof pk);
  k.secret_key = Bytes(sk, sizeof sk);
  k.pub.key_id = RandomBytes(8);
  sodium_memzero(sk, sizeof sk);
  return k;
}

std::string FormatPublicKey(const PublicKey& key) {
  return "untrusted comment: minisign public key " + key.IdHex() + "\n" +
         Base64Encode("Ed" + key.key_id + key.public_key) + "\n";
}

// minisign's secret key: sig_alg "Ed", kdf_alg (0,0 = none), chk_alg "B2", salt (32),
// opslimit (8), memlimit (8), then key id (8), secret key (64) and a BLAKE2b-256 checksum of
// sig_alg || key id || secret key (32).
std::string FormatSecretKey(const SigningKey& key) {
  std::string chk_in = "Ed" + key.pub.key_id + key.secret_key;
  unsigned char chk[32];
  crypto_generichash(chk, sizeof chk, U(chk_in), chk_in.size(), nullptr, 0);
  std::string raw = "Ed";
  raw += std::string(2, '\0');
  raw += "B2";
  raw += std::string(32 + 8 + 8, '\0');
  raw += key.pub.key_id + key.secret_key + Bytes(chk, sizeof chk);
  return "untrusted comment: minisign secret key (unencrypted) " + key.pub.IdHex() + "\n" +
         Base64Encode(raw) + "\n";
}

Result<PublicKey> ParsePublicKey(std::string_view text, const std::string& file) {
  auto raw = KeyPayload(text);
  if (!raw || raw->size() != 42 || raw->substr(0, 2) != "Ed")
    return Bad("bundle.public_key_bad", {file});
  return PublicKey{raw->substr(2, 8), raw->substr(10, 32)};
}

Result<SigningKey> ParseSecretKey(std::string_view text, const std::string& file) {
  auto raw = KeyPayload(text);
  if (!raw || raw->size() != 158 || raw->substr(0, 2) != "Ed" || raw->substr(4, 2) != "B2")
    return Bad("bundle.secret_key_bad", {file});
  if (raw->substr(2, 2) != std::string(2, '\0')) return Bad("bundle.secret_key_encrypted", {file});
  SigningKey k;
  k.pub.key_id = raw->substr(54, 8);
  k.secret_key = raw->substr(62, 64);
  std::string chk_in = "Ed" + k.pub.key_id + k.secret_key;
  unsigned char chk[32];
  crypto_generichash(chk, sizeof chk, U(chk_in), chk_in.size(), nullptr, 0);
  // minisign 0.11 leaves the checksum of an unencrypted key (-W) as zeros; when there is one it
  // must match. Either way the key's public half must be the one its seed gives.
  std::string stored_chk = raw->substr(126, 32);
  if (stored_chk != std::string(32, '\0') &&
      !ConstantTimeEquals(Bytes(chk, sizeof chk), stored_chk))
    return Bad("bundle.secret_key_bad", {file});
  unsigned char seed[crypto_sign_SEEDBYTES];
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_ed25519_sk_to_seed(seed, U(k.secret_key));
  crypto_sign_seed_keypair(pk, sk, seed);
  bool same = ConstantTimeEquals(Bytes(sk, sizeof sk), k.secret_key);
  sodium_memzero(seed, sizeof seed);
  sodium_memzero(sk, sizeof sk);
  if (!same) return Bad("bundle.secret_key_bad", {file});
  k.pub.public_key = Bytes(pk, sizeof pk);
  return k;
}

std::string SignMinisign(const SigningKey& key, std::string_view message,
                         const std::string& trusted_comment) {
  std::string digest = Blake2b512(message);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, U(digest), digest.size(), U(key.secret_key));
  std::string sig_bytes = Bytes(sig, sizeof sig);
  std::string global_in = sig_bytes + trusted_comment;
  unsigned char global[crypto_sign_BYTES];
  crypto_sign_detached(global, nullptr, U(global_in), global_in.size(), U(key.secret_key));
  return "untrusted comment: signature from mamori secret key " + key.pub.IdHex() + "\n" +
         Base64Encode("ED" + key.pub.key_id + sig_bytes) + "\ntrusted comment: " + trusted_comment +
         "\n" + Base64Encode(Bytes(global, sizeof global)) + "\n";
}

Result<VerifiedSignature> VerifyMinisign(const std::vector<PublicKey>& trusted,
                                         std::string_view message, std::string_view signature,
                                         const std::string& file) {
  auto lines = Lines(signature);
  constexpr std::string_view kTrusted = "trusted comment: ";
  if (lines.size() < 4 || lines[0].rfind("untrusted comment:", 0) != 0 ||
      lines[2].rfind(kTrusted, 0) != 0)
    return Bad("bundle.signature_bad", {file});
  auto sig = Base64Decode(lines[1]);
  auto global = Base64Decode(lines[3]);
  if (!sig || sig->size() != 74 || !global || global->size() != crypto_sign_BYTES)
    return Bad("bundle.signature_bad", {file});
  std::string alg = sig->substr(0, 2);
  if (alg != "ED" && alg != "Ed") return Bad("bundle.signature_bad", {file});
  std::string key_id = sig->substr(2, 8);
  const PublicKey* key = nullptr;
  for (const auto& k : trusted)
    if (k.key_id == key_id) key = &k;
  if (key == nullptr) {
    PublicKey unknown{key_id, {}};
    return MakeError(ErrorCode::kPermissionDenied, "bundle.key_untrusted", {file, unknown.IdHex()});
  }
  std::string signed_bytes = alg == "ED" ? Blake2b512(message) : std::string(message);
  std::string sig_bytes = sig->substr(10);
  if (crypto_sign_verify_detached(U(sig_bytes), U(signed_bytes), signed_bytes.size(),
                                  U(key->public_key)) != 0)
    return MakeError(ErrorCode::kCorruption, "bundle.signature_invalid", {file, key->IdHex()});
  std::string comment = lines[2].substr(kTrusted.size());
  std::string global_in = sig_bytes + comment;
  if (crypto_sign_verify_detached(U(*global), U(global_in), global_in.size(), U(key->public_key)) !=
      0)
    return MakeError(ErrorCode::kCorruption, "bundle.comment_invalid", {file, key->IdHex()});
  return VerifiedSignature{*key, comment};
}

}  // namespace mamori::minisign
