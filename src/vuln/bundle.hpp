// The offline bundle: how vulnerability feeds reach a hospital's closed network on a USB stick.
//
// A bundle is one compressed tar file (zstd, written and read through libarchive) holding the feed
// files as downloaded under `feeds/`, a `manifest.json` that lists each file with its SHA-256 and
// size, and `manifest.json.minisig`: an Ed25519 signature of the manifest in minisign's format
// (prehashed "ED" with a signed trusted comment), so the manifest — and through its hashes every
// file — can be checked with the `minisign` tool as well as by mamori. Keys are minisign keys too
// (a secret key without password, as `minisign -G -W` writes one): a PSIRT or ISAC that already
// signs with minisign can sign bundles with the same key.
//
// A delta bundle names its base bundle and holds only the files whose content differs from the
// base's; loading refuses a delta whose base was never loaded. Format: docs/formats/bundle.md.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/minisign.hpp"
#include "core/result.hpp"

namespace mamori::vuln {

using minisign::FormatPublicKey;
using minisign::FormatSecretKey;
using minisign::GenerateSigningKey;
using minisign::ParsePublicKey;
using minisign::ParseSecretKey;
using minisign::PublicKey;
using minisign::SigningKey;
using minisign::SignMinisign;
using minisign::VerifiedSignature;
using minisign::VerifyMinisign;

struct BundleFile {
  std::string name;  // relative, '/'-separated, without the "feeds/" prefix
  std::string sha256;
  int64_t size = 0;
};

struct BundleManifest {
  std::string id;
  int64_t sequence = 1;
  std::string created;  // RFC 3339
  std::string producer;
  std::string base_id;  // empty: a full bundle
  int64_t base_sequence = 0;
  std::vector<BundleFile> files;
  // A delta: the build's files left out because the base has them byte for byte. Listed (not
  // carried) so that the next delta, built against this one, still knows them.
  std::vector<BundleFile> unchanged;

  [[nodiscard]] nlohmann::json ToJson() const;
  static Result<BundleManifest> FromJson(std::string_view text, const std::string& file);
};

struct BundleBuild {
  std::vector<std::string> inputs;  // files or folders of downloaded feeds
  std::string out;
  SigningKey key;
  const BundleManifest* base = nullptr;  // a delta against this bundle
  std::string created;
  std::string producer;
  std::function<void(size_t done, size_t total, const std::string& name)> progress;
};

Result<BundleManifest> BuildBundle(const BundleBuild& build);

struct OpenedBundle {
  BundleManifest manifest;
  VerifiedSignature signature;
  std::string sha256;  // of the bundle file itself
};

// Reads the whole bundle once: the signature must verify with one of the trusted keys and every
// member must be listed in the manifest with its hash and size — nothing missing, nothing extra.
Result<OpenedBundle> OpenBundle(const std::string& path, const std::vector<PublicKey>& trusted);

// Reads the bundle again and hands each feed file to `fn` in manifest order, after checking its
// hash once more (the file could have changed since OpenBundle). Stops at the first error.
Status ForEachBundleFile(const std::string& path, const BundleManifest& manifest,
                         const std::function<Status(const BundleFile&, std::string bytes)>& fn);

}  // namespace mamori::vuln
