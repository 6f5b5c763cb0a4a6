// The log store: append-only and provable (issue #6).
//
// A directory holds segment files of events (`segments/00000001.seg`, …), each event framed as
//   magic "MLE1" ‖ length (u32 LE) ‖ payload (the event's stored JSON) ‖ leaf hash (32 bytes)
// where the leaf hash is RFC 6962's SHA-256(0x00 ‖ payload). Events are numbered from 0 in the
// order appended; the RFC 6962 Merkle tree over all leaf hashes has signed checkpoints
// (`checkpoints.log`): size, root, time and end position, signed with the node's Ed25519 key
// (`node.key`, created on first use, mode 0600; `node.pub` is the public key to give an auditor)
// in minisign's format, so that a checkpoint can be checked with `minisign` as well.
//
// One process writes (a lock file says so); appends are durable (fdatasync) before they are
// acknowledged. After a crash, opening the store cuts a torn record at the end of the last
// segment — never anything before it — and says so; damage anywhere else stops the writer and is
// left for `Verify` to report. Format: docs/formats/logstore.md.
#pragma once

#include <fstream>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/minisign.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "logs/event.hpp"
#include "logs/merkle.hpp"

namespace mamori::logs {

struct StoreOptions {
  uint64_t segment_bytes = uint64_t{64} << 20;  // a new segment after this many bytes
  uint64_t checkpoint_events = 10000;           // a checkpoint after this many events…
  int64_t checkpoint_ms = 60000;                // …or this long after the last one
};

struct Position {
  uint32_t segment = 1;
  uint64_t offset = 0;
};

struct Checkpoint {
  uint64_t size = 0;
  Hash root;
  UnixMillis time = 0;
  Position end;                // where the next event goes
  std::vector<Hash> frontier;  // the compact tree at `size` (not signed; checked against root)
  std::string text;            // the signed text
  std::string signature;       // minisign signature of `text`
  [[nodiscard]] Json ToJson() const;
};

// The signed text of a checkpoint (what minisign verifies).
std::string CheckpointText(uint64_t size, const Hash& root, UnixMillis time, const Position& end);

class LogStore {
 public:
  // Opens (creating) the store for writing: takes the lock, creates the key on first use, and
  // recovers from a crash. `notes` receives what recovery did (a cut torn record…).
  static Result<std::unique_ptr<LogStore>> Open(const std::string& dir, const StoreOptions& options,
                                                const Clock& clock,
                                                std::vector<std::string>* notes);
  ~LogStore();
  LogStore(const LogStore&) = delete;
  LogStore& operator=(const LogStore&) = delete;

  // Numbers the events, appends them durably, and writes a checkpoint when one is due.
  // Returns the position of each event.
  Result<std::vector<Position>> Append(std::vector<LogEvent>& events);
  // A checkpoint now (nothing if there is nothing new since the last).
  Result<std::optional<Checkpoint>> WriteCheckpoint();

  [[nodiscard]] uint64_t size() const;
  [[nodiscard]] const minisign::PublicKey& key() const;

 private:
  struct Impl;
  explicit LogStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The node's public key (minisign public key file text); the store must exist.
Result<std::string> StorePublicKey(const std::string& dir);
// A minisign signature of `message` by the node key (a review's sign-off); the key must exist.
Result<std::string> SignWithNodeKey(const std::string& dir, std::string_view message,
                                    const std::string& trusted_comment);
Result<std::vector<Checkpoint>> ReadCheckpoints(const std::string& dir);

struct VerifyProblem {
  std::string kind;  // changed | unreadable | missing | out_of_order | truncated | root_mismatch |
                     // signature | checkpoint_beyond_end
  uint32_t segment = 0;
  uint64_t offset = 0;
  std::optional<uint64_t> seq;
  std::string detail;  // a Japanese sentence naming what and where
  [[nodiscard]] Json ToJson() const;
};

struct VerifyReport {
  bool ok = true;
  uint64_t events = 0;
  uint64_t checkpoints = 0;           // checkpoints in the range verified
  uint64_t checkpoints_verified = 0;  // of which signature and root held
  uint64_t uncovered = 0;             // events after the last checkpoint
  uint64_t bytes = 0;
  std::string key_id;
  std::optional<Checkpoint> last;
  std::vector<VerifyProblem> problems;
  [[nodiscard]] Json ToJson() const;
};

// Proves the whole store, or from the checkpoint of size `from` on (its signed root must hold
// for the stored frontier). `key`: the public key to trust (an auditor's copy); nullopt: the
// store's own node.pub.
Result<VerifyReport> VerifyStore(const std::string& dir, std::optional<uint64_t> from,
                                 const std::optional<minisign::PublicKey>& key);

// Reads events in order from `from_seq` (recomputing nothing: for indexing and export), starting
// to read at `start` — a position at or before that event (the index knows where the last event
// it holds is, so catching up does not walk the whole store).
Status ScanStore(const std::string& dir, uint64_t from_seq,
                 const std::function<Status(const LogEvent&, const Position&)>& fn,
                 Position start = {});
// The leaf hashes of events 0 … up_to-1 in order (for proofs); an error if the store holds fewer
// readable events.
Result<std::vector<Hash>> LeafHashes(const std::string& dir, uint64_t up_to);

// One event at its position.
Result<LogEvent> ReadEventAt(const std::string& dir, const Position& at);

// Reads many events, keeping the segment file it read last open (a review reads thousands).
class EventReader {
 public:
  explicit EventReader(std::string dir) : dir_(std::move(dir)) {}
  Result<LogEvent> Read(const Position& at);

 private:
  std::string dir_;
  uint32_t open_segment_ = UINT32_MAX;
  std::ifstream in_;
};

}  // namespace mamori::logs
