// The access-log capability's API, shared by the CLI and (later) the server and receivers:
// ingest files, search, verify. It owns one log directory (the store, its index and key).
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/time.hpp"
#include "logs/log_index.hpp"
#include "logs/log_store.hpp"
#include "logs/syslog.hpp"

namespace mamori::logs {

struct IngestError {
  std::string file;
  int64_t line = 0;
  std::string message;
};

struct IngestResult {
  uint64_t accepted = 0;
  uint64_t rejected = 0;
  std::vector<IngestError> errors;                 // the first 100
  std::vector<std::string> notes;                  // what opening the store recovered
  std::map<std::string, std::string> csv_mapping;  // csv: the columns used (field → header)
  [[nodiscard]] Json ToJson() const;
};

struct SearchPage {
  std::vector<LogEvent> events;
  uint64_t total = 0;                   // the matching events, at most kSearchTotalLimit
  bool total_exact = true;              // false: there are more than `total`
  std::optional<uint64_t> next_before;  // pass as before_seq for the next page
};

// What an expiry run found due per rule and (unless a dry run) the signed record it wrote.
struct ExpiryReport {
  bool dry_run = false;
  std::vector<std::pair<ExpiryRule, uint64_t>> due;  // events due per rule
  std::optional<ExpiryRecord> record;                // nullopt: nothing removed
  [[nodiscard]] Json ToJson() const;
};

class LogsService {
 public:
  LogsService(std::string dir, const Clock& clock, StoreOptions options = {});
  ~LogsService();
  LogsService(const LogsService&) = delete;
  LogsService& operator=(const LogsService&) = delete;

  // One file: "auto" (by content), "syslog" (a message per line, as /var/log or a device
  // export), "jsonl" (a JSON object per line). Lines that are not of the format are rejected,
  // each named by file and line; the others are stored. Formats not built yet are refused by
  // name.
  // "csv": an EHR audit trail, its columns mapped by `csv_mapping` (field → header) or by
  // known header names; local times at `utc_offset_minutes`.
  Result<IngestResult> IngestFile(const std::string& file, std::string_view bytes,
                                  const std::string& format, const std::string& source,
                                  const std::map<std::string, std::string>& csv_mapping = {},
                                  int utc_offset_minutes = 9 * 60);
  // IngestFile of the file at `path`, read by the service: syslog and JSON lines a chunk at a
  // time (a year's archive of many gigabytes is not held in memory), any other format whole.
  // Errors name the lines in the whole file, as IngestFile does.
  Result<IngestResult> IngestPath(const std::string& path, const std::string& format,
                                  const std::string& source,
                                  const std::map<std::string, std::string>& csv_mapping = {},
                                  int utc_offset_minutes = 9 * 60, size_t chunk = size_t{16} << 20);
  // Appends events durably and indexes them.
  Status Append(std::vector<LogEvent>& events);
  // Appends received syslog messages (from a receiver) durably, as their bytes; the index parses
  // and indexes them on a background thread, so the receiver's writer goes on with the next
  // batch meanwhile. Searches catch the index up from the segments first, so they never miss an
  // event acknowledged here. The receivers prepare the frames beforehand (PrepareFrames, outside
  // any lock) numbered after the store's size as they expect it; they are prepared again here
  // first if other events came in between (or `frames` holds none). On success the batches are
  // taken (the vector is left empty) and the store's size after them returned; on failure they
  // are left for a retry.
  Result<uint64_t> AppendPrepared(std::vector<ReceivedBatch>& batches, PreparedFrames& frames);
  // The number of events the store holds (opened for writing).
  Result<uint64_t> StoreSize();
  // A checkpoint for what was appended since the last one.
  Status Checkpoint();

  Result<SearchPage> Search(const LogQuery& q);
  Result<VerifyReport> Verify(std::optional<uint64_t> from,
                              const std::optional<minisign::PublicKey>& key);
  Result<uint64_t> Reindex();
  // Retention: removes the events the rules make due (see LogStore::Expire), keeping their
  // leaf hashes and a signed record; `dry_run` only counts. `by`: who ran it (audited).
  Result<ExpiryReport> Expire(const std::vector<ExpiryRule>& rules, const std::string& by,
                              bool dry_run);
  Result<std::vector<ExpiryRecord>> Expiries();
  // For an auditor: the inclusion proof of one event in the tree of a signed checkpoint (the
  // latest one covering it unless `size` names one), with the checkpoint's signed text and
  // signature; or (`old_size` set) the consistency proof between two checkpoints.
  Result<Json> InclusionProofOf(uint64_t seq, std::optional<uint64_t> size);
  Result<Json> ConsistencyProofOf(uint64_t old_size, uint64_t new_size);
  // For an auditor: the events with time in [from, to) that a signed checkpoint covers (the
  // latest unless `size` names one), each as stored with its inclusion proof, the checkpoint's
  // signed text and signature, and the node's public key — checkable without mamori. Events
  // after that checkpoint are counted, not exported. At most `limit` events.
  Result<Json> ExportRange(UnixMillis from, UnixMillis to, std::optional<uint64_t> size,
                           uint64_t limit = 1000000);
  // What the store holds, cheaply and without writing: events indexed, the last checkpoint,
  // segments and bytes (for monitoring; `logs status`).
  Result<Json> StoreStatus();
  Result<std::string> PublicKey();

  // Per source and host: events, first and last received, the last live event's clock offset.
  Result<std::vector<SenderStats>> Senders();
  Result<WindowStats> Window(const std::string& source, UnixMillis since, int64_t tolerance_ms);
  // Every event with time in [from, to), oldest first (a review reads them all).
  Status ForEachInRange(UnixMillis from, UnixMillis to,
                        const std::function<Status(const LogEvent&)>& fn);
  // The last signed checkpoint (size 0 and an empty root when there is none).
  Result<logs::Checkpoint> LastCheckpoint();
  [[nodiscard]] const std::string& dir() const { return dir_; }
  // Notes of what opening the store for writing recovered (a cut torn record).
  [[nodiscard]] const std::vector<std::string>& notes() const { return notes_; }

 private:
  Status OpenWriter();
  // A file's events appended kBatch at a time (counted in r), then a checkpoint.
  Status AppendInBatches(std::vector<LogEvent>& events, IngestResult& r);
  Result<LogIndex*> Index();

  void Indexer();
  void StopIndexer();
  // What a file's events are read with: received now, from `source`, local times at the offset.
  [[nodiscard]] SyslogContext IngestContext(const std::string& source,
                                            int utc_offset_minutes) const;
  // The lines of a syslog or JSON-lines text (its first line numbered first_line) into the
  // store, batch by batch, into r.
  Status IngestLines(const std::string& file, std::string_view bytes, const std::string& format,
                     const SyslogContext& ctx, int64_t first_line, IngestResult& r);

  std::string dir_;
  const Clock& clock_;
  StoreOptions options_;
  std::unique_ptr<LogStore> store_;
  std::unique_ptr<LogIndex> index_;
  std::vector<std::string> notes_;
  // One service may be shared by receivers and HTTP handlers (mamori serve): the writer and the
  // index are used under this lock. Verification and proofs read the files only.
  std::recursive_mutex mu_;
  // The store's writer has a lock of its own (taken after mu_ when both are needed, never
  // before it), so that appending and indexing run at the same time.
  std::mutex store_mu_;
  // Batches appended by AppendPrepared waiting for the index. Bounded, and the writer never waits
  // for it: a batch that finds it full is dropped from memory and `behind_` set — the indexer
  // then reads what it missed from the segments (CatchUp). Ingest is what must keep up; the
  // index follows when the CPU is free.
  struct Appended {
    std::vector<ReceivedBatch> received;  // parsed by the indexer
    uint64_t first_seq = 0;
    std::vector<Position> at;  // of each event, in order
    uint64_t layout = 0;       // layout_ when appended
  };
  // Indexes a batch from the queue (or, without events, what the segments hold beyond the index).
  Status IndexBatch(const Appended& batch, const std::vector<LogEvent>& events);
  // Bumped by every expiry (it moves events within segments): positions taken before it are
  // not indexed — the index catches those events up from the segments instead.
  std::atomic<uint64_t> layout_{0};
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<Appended> queue_;
  bool stopping_ = false;
  bool behind_ = false;  // a batch was not queued: catch up from the segments
  std::thread indexer_;
};

// The log store of an organisation: on an installation shared by several organisations (a
// regional SOC), each has its own directory (see LogDirOfOrg).
using LogsResolver = std::function<LogsService*(int64_t org_id)>;
// The first organisation's store is `base` itself (what the CLI uses); any other organisation's
// is `base/orgs/<id>`.
std::string LogDirOfOrg(const std::string& base, int64_t org_id, int64_t first_org_id);

// A JSON object (one line of a JSON-lines export) as an event; errors name the field.
Result<LogEvent> EventFromJson(const Json& j, const SyslogContext& ctx);

}  // namespace mamori::logs
