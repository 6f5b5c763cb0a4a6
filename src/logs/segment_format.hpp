// The record format of the log store's segment files and the file helpers the writer, the
// verifier and expiry share (internal to src/logs; the format is docs/formats/logstore.md).
//
// Two kinds of record:
//   event      "MLE1" ‖ payload length (u32 LE) ‖ seq (u64 LE) ‖ payload ‖ leaf hash (32)
//   tombstone  "MLX1" ‖ expiry id (u32 LE)      ‖ seq (u64 LE) ‖ leaf hash (32)
// A tombstone is what an expired event leaves: its leaf hash, so that the Merkle tree and every
// checkpoint signed before the expiry still verify, and the id of the signed expiry record that
// accounts for it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "logs/event.hpp"
#include "logs/merkle.hpp"

namespace mamori::logs::segfmt {

inline constexpr std::string_view kMagic = "MLE1";
inline constexpr std::string_view kTombMagic = "MLX1";
inline constexpr size_t kHeader = 4 + 4 + 8;  // magic, payload length or expiry id, seq
inline constexpr size_t kHashLen = 32;
inline constexpr size_t kTombLen = kHeader + kHashLen;
inline constexpr uint32_t kMaxPayload = 16u << 20;

std::string Le32(uint32_t v);
std::string Le64(uint64_t v);
// The n low bytes of v, little-endian, appended to out (the compact event record uses it too).
void AppendLe(std::string& out, uint64_t v, size_t n);
uint64_t ReadLe(std::string_view s, size_t n);

// The leaf covers the sequence number too: moving an event changes its hash.
Hash EventLeaf(uint64_t seq, std::string_view payload);
// An event's frame appended to buf in two steps, its stored form serialised in place between
// them: BeginFrame returns where the frame starts; EndFrame fills in its header, hashes the leaf
// where it lies and appends it, and returns it (or, when the payload is too large, leaves buf as
// it was before BeginFrame).
size_t BeginFrame(std::string& buf);
Result<Hash> EndFrame(std::string& buf, size_t start, uint64_t seq);
std::string TombstoneFrame(uint32_t expiry_id, uint64_t seq, std::string_view leaf);

struct Parsed {
  enum Kind { kOk, kEnd, kTruncated, kBadMagic, kTooLarge } kind = kEnd;
  bool tombstone = false;
  uint32_t expiry_id = 0;  // tombstones
  uint64_t next = 0;
  uint64_t seq = 0;
  std::string_view payload;  // empty for a tombstone
  std::string_view stored;   // the leaf hash as stored
  // The leaf of this record: recomputed for an event, as stored for a tombstone.
  [[nodiscard]] Hash Leaf() const { return tombstone ? Hash(stored) : EventLeaf(seq, payload); }
};
Parsed ParseAt(std::string_view seg, uint64_t off);
// The next offset after `from` where a whole, self-consistent record starts; npos if none.
uint64_t Resync(std::string_view seg, uint64_t from);

std::string SegmentPath(const std::string& dir, uint32_t n);
std::vector<uint32_t> ListSegments(const std::string& dir);
Status WriteFully(int fd, std::string_view bytes, const std::string& path);
// Writes a whole file durably (write, fdatasync, close).
Status WriteFileDurably(const std::string& path, std::string_view bytes, int mode = 0640);
// Appends to a file durably.
Status AppendDurably(const std::string& path, std::string_view bytes);
void SyncDir(const std::string& dir);
std::string HashesHex(const std::vector<Hash>& v);
std::optional<std::string> FromHex(std::string_view hex);

// A segment mapped read-only: verification and scans read it at page-cache speed, without
// copying it or zero-filling a buffer first.
class Mapped {
 public:
  static Result<Mapped> Open(const std::string& path);
  Mapped() = default;
  Mapped(Mapped&& o) noexcept : data_(o.data_), size_(o.size_) { o.data_ = nullptr; }
  Mapped& operator=(Mapped&&) = delete;
  Mapped(const Mapped&) = delete;
  ~Mapped();
  [[nodiscard]] std::string_view view() const { return {data_ != nullptr ? data_ : "", size_}; }

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace mamori::logs::segfmt
