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

#include <cstdint>
#include <fstream>
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

struct ReceivedBatch;  // syslog.hpp

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

// Retention: the events of `source` received before `before` are to be removed (the source's
// retention in years is recorded with them).
struct ExpiryRule {
  std::string source;
  int64_t retention_years = 0;
  UnixMillis before = 0;
};

// What one expiry removed of one source.
struct ExpiredSource {
  std::string source;
  int64_t retention_years = 0;
  UnixMillis before = 0;
  uint64_t count = 0;
  uint64_t first_seq = 0, last_seq = 0;
  UnixMillis first_received = 0, last_received = 0;
  [[nodiscard]] Json ToJson() const;
};

// The signed record an expiry leaves (`expiry.log`): what was removed, when, by whom, at which
// tree, from which segments, and the count and digest of the tombstones it left — SHA-256 over
// each tombstone's sequence number (8 bytes LE) and leaf hash, in sequence order — so that
// `verify` can tell an accounted removal from a deletion.
struct ExpiryRecord {
  uint32_t id = 0;
  UnixMillis time = 0;
  std::string by;
  uint64_t tree_size = 0;
  Hash root;
  std::vector<uint32_t> segments;
  uint64_t count = 0;
  Hash digest;
  std::vector<ExpiredSource> sources;
  std::string text;       // the signed text
  std::string signature;  // its minisign signature by the node key
  [[nodiscard]] uint64_t FirstSeq() const;
  [[nodiscard]] Json ToJson() const;
};

struct ExpiryOutcome {
  std::optional<ExpiryRecord> record;                // nullopt: nothing was due
  std::vector<uint64_t> removed;                     // sequence numbers now tombstones
  std::vector<std::pair<uint64_t, Position>> moved;  // kept events of rewritten segments
};

// Frames made ready to append: numbered from first_seq, serialised and hashed — the CPU half of
// appending, done before the store is locked (a receiver prepares its next batch while the store
// makes the last one durable). Reused from batch to batch (its buffers stay allocated: a fresh
// multi-megabyte buffer per batch was faulted in page by page each time).
struct PreparedFrames {
  uint64_t first_seq = 0;
  std::string bytes;         // the frames, one after another
  std::vector<uint64_t> at;  // where each frame starts in bytes
  std::vector<Hash> leaves;
  [[nodiscard]] size_t size() const { return leaves.size(); }
};

// Received syslog messages as compact records (built from their bytes, not parsed).
Status PrepareFrames(const std::vector<ReceivedBatch>& batches, uint64_t first_seq,
                     PreparedFrames& out);

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
  // The same for frames prepared beforehand (PrepareFrames), which must be numbered from size():
  // else nothing is written and the error is kConflict (logs.batch_stale) — prepare them again.
  Result<std::vector<Position>> Append(const PreparedFrames& frames);
  // A checkpoint now (nothing if there is nothing new since the last).
  Result<std::optional<Checkpoint>> WriteCheckpoint();
  // Removes the events the rules make due from `segments` (the segments that hold any, as the
  // index says; each event is checked against the rules here again). Each segment concerned is
  // rewritten with the expired events replaced by tombstones (the tree is unchanged), one
  // signed expiry record is appended, and then the rewritten segments replace the old ones — the
  // record is the commit point: a crash before it leaves the old segments, after it `Open`
  // finishes the replacement. The segment being written is closed first when it is concerned.
  Result<ExpiryOutcome> Expire(const std::vector<ExpiryRule>& rules,
                               const std::vector<uint32_t>& segments, const std::string& by);

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
// The expiry records whose signature holds (by the store's own key), oldest first.
Result<std::vector<ExpiryRecord>> ReadExpiries(const std::string& dir);

struct VerifyProblem {
  std::string kind;  // changed | unreadable | missing | out_of_order | truncated | root_mismatch |
                     // signature | checkpoint_beyond_end | expired_unrecorded | expiry_mismatch
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
  uint64_t expired = 0;               // tombstones (events removed by expiry)
  uint64_t expiries = 0;              // signed expiry records checked
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
