// libFuzzer target: the log store's readers — a segment file (events and tombstones), a checkpoint
// file and an expiry file as they may be found on a damaged or tampered disk. The first byte says
// which file the rest is (bit 1: expiry.log; else bit 0: checkpoints.log; else a segment).
// Invariants: verification never crashes and never calls a store with problems clean unless it is;
// scanning stops at damage.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/crypto.hpp"
#include "logs/log_store.hpp"

namespace {
// The public key the seeds' checkpoints were signed with (its secret half was discarded).
constexpr const char* kPub =
    "untrusted comment: minisign public "
    "key\nRWS7uBTwkM4V8qTOud7Ty+G96qGXG3CWClYNOgYDMyZyksoXmk6g99AJ\n";
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mamori::logs;
  static bool init = [] {
    mamori::InitCrypto();
    return true;
  }();
  (void)init;
  if (size < 1 || size > 512 * 1024) return 0;
  static const std::string dir = "/tmp/logstore_fuzz." + std::to_string(getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir + "/segments");
  std::ofstream(dir + "/node.pub") << kPub;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string target = (data[0] & 2) != 0   ? dir + "/expiry.log"
                       : (data[0] & 1) != 0 ? dir + "/checkpoints.log"
                                            : dir + "/segments/00000001.seg";
  {
    std::ofstream out(target, std::ios::binary);
    out.write(rest.data(), static_cast<std::streamsize>(rest.size()));
  }
  auto r = VerifyStore(dir, std::nullopt, std::nullopt);
  if (r.ok() && r->ok != r->problems.empty()) std::abort();
  (void)ScanStore(dir, 0, [](const LogEvent&, const Position&) { return mamori::Ok(); });
  (void)ReadCheckpoints(dir);
  (void)ReadExpiries(dir);
  return 0;
}
