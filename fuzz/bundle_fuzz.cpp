// libFuzzer target: the offline bundle's readers — the tar + zstd container (OpenBundle, then
// ForEachBundleFile), the signed manifest, minisign keys and signatures. Invariants: nothing
// crashes; a bundle that opens lists only safe, unique names, and every listed file is handed
// over with the size the manifest says. The seeds (fuzz/corpus/bundle) are signed by the test
// key below, whose secret half was discarded, so that inputs reach the manifest checks.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

#include "core/crypto.hpp"
#include "vuln/bundle.hpp"

namespace {
constexpr const char* kTestKey = "RWS7uBTwkM4V8qTOud7Ty+G96qGXG3CWClYNOgYDMyZyksoXmk6g99AJ";
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mamori::vuln;
  static bool init = [] {
    mamori::InitCrypto();
    return true;
  }();
  (void)init;
  if (size > 1024 * 1024) return 0;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  static const auto key = ParsePublicKey(kTestKey, "key");
  if (!key.ok()) std::abort();

  (void)ParsePublicKey(bytes, "fuzz.pub");
  (void)ParseSecretKey(bytes, "fuzz.key");
  (void)VerifyMinisign({*key}, "message", bytes, "fuzz.minisig");
  auto m = BundleManifest::FromJson(bytes, "manifest.json");
  if (m.ok()) (void)m->ToJson().dump();

  static const std::string path = "/tmp/bundle_fuzz." + std::to_string(getpid());
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  auto opened = OpenBundle(path, {*key});
  if (opened.ok()) {
    size_t handed = 0;
    auto st = ForEachBundleFile(path, opened->manifest,
                                [&](const BundleFile& f, std::string content) -> mamori::Status {
                                  if (static_cast<int64_t>(content.size()) != f.size) std::abort();
                                  ++handed;
                                  return mamori::Ok();
                                });
    if (st.ok() && handed != opened->manifest.files.size()) std::abort();
  }
  return 0;
}
