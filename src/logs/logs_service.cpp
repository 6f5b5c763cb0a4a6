#include "logs/logs_service.hpp"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "core/crypto.hpp"
#include "core/file.hpp"
#include "core/text.hpp"
#include "logs/atna.hpp"
#include "logs/csv_audit.hpp"
#include "logs/evtx.hpp"
#include "logs/fhir.hpp"
#include "logs/segment_format.hpp"

namespace mamori::logs {

namespace {

constexpr size_t kBatch = 1000;
// Events waiting for the index before the next batch is left to a catch-up from the segments
// (bounds the memory they hold).
constexpr size_t kIndexQueueEvents = 8192;
// Events a review reads per page (under the service's lock).
constexpr uint64_t kReviewPage = 2000;
constexpr size_t kMaxErrors = 100;

std::string FirstString(const Json& j, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    auto it = j.find(k);
    if (it == j.end()) continue;
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number()) return it->dump();
  }
  return {};
}

}  // namespace

Json IngestResult::ToJson() const {
  Json errs = Json::array();
  for (const auto& e : errors)
    errs.push_back({{"file", e.file}, {"line", e.line}, {"error", e.message}});
  Json j = {{"accepted", accepted}, {"rejected", rejected}, {"errors", errs}, {"notes", notes}};
  if (!csv_mapping.empty()) j["csv_mapping"] = csv_mapping;
  return j;
}

Result<LogEvent> EventFromJson(const Json& j, const SyslogContext& ctx) {
  if (!j.is_object()) return MakeError(ErrorCode::kInvalidArgument, "logs.jsonl_not_object");
  LogEvent e;
  e.format = "jsonl";
  e.charset = "UTF-8";
  e.received = ctx.received;
  e.source = ctx.source;
  std::string t = FirstString(j, {"time", "timestamp", "@timestamp", "date"});
  if (t.empty()) {
    e.time = ctx.received;
    e.time_from_receipt = true;
  } else {
    auto parsed = ParseTime(t);
    if (!parsed) return MakeError(ErrorCode::kInvalidArgument, "logs.bad_time", {t}, "time");
    e.time = *parsed;
  }
  e.host = FirstString(j, {"host", "hostname", "computer"});
  e.app = FirstString(j, {"app", "application", "program"});
  e.user = FirstString(j, {"user", "username", "user_id", "userid", "account"});
  e.action = FirstString(j, {"action", "event", "event_type", "operation"});
  e.object = FirstString(j, {"object", "patient_id", "patient", "record", "resource"});
  e.src_ip = FirstString(j, {"src_ip", "source_ip", "client_ip", "ip"});
  e.message = FirstString(j, {"message", "msg", "text"});
  std::string outcome = AsciiLower(FirstString(j, {"outcome", "result", "status"}));
  if (outcome == "success" || outcome == "ok" || outcome == "成功" || outcome == "0")
    e.outcome = Outcome::kSuccess;
  else if (outcome == "failure" || outcome == "fail" || outcome == "failed" || outcome == "失敗")
    e.outcome = Outcome::kFailure;
  e.fields = j;
  return e;
}

// The format of a file to ingest: as given, or (auto) from its name and first bytes.
Result<std::string> ResolveFormat(const std::string& file, std::string_view bytes,
                                  const std::string& format_in) {
  std::string format = format_in.empty() ? "auto" : format_in;
  auto ends_with = [&](const char* ext) {
    std::string lower = AsciiLower(file);
    return lower.size() >= std::strlen(ext) &&
           lower.compare(lower.size() - std::strlen(ext), std::strlen(ext), ext) == 0;
  };
  if (format == "auto" && ends_with(".csv")) format = "csv";
  if (format == "auto") {
    std::string_view head = bytes.substr(0, 64);
    size_t first = head.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    if (bytes.substr(0, 8) == std::string_view("ElfFile\0", 8))
      format = "evtx";
    else if ((first != std::string_view::npos && head[first] == '{' &&
              bytes.find("\"resourceType\"") != std::string_view::npos &&
              Json::parse(bytes, nullptr, false).contains("resourceType")) ||
             (first != std::string_view::npos && head[first] == '<' &&
              (head.find("<AuditEvent") != std::string_view::npos ||
               head.find("<Bundle") != std::string_view::npos)))
      format = "fhir";  // one document (a resource or a Bundle), not one JSON object per line
    else if (first != std::string_view::npos && head[first] == '{')
      format = "jsonl";
    else if (first != std::string_view::npos && head[first] == '<' &&
             (head.find("<?xml") != std::string_view::npos ||
              head.find("<AuditMessage") != std::string_view::npos))
      format = "atna";
    else
      format = "syslog";
  }
  if (format != "syslog" && format != "jsonl" && format != "atna" && format != "evtx" &&
      format != "fhir" && format != "csv")
    return MakeError(ErrorCode::kInvalidArgument, "logs.format_not_yet", {file, format});
  return format;
}

LogsService::LogsService(std::string dir, const Clock& clock, StoreOptions options)
    : dir_(std::move(dir)), clock_(clock), options_(options) {}

LogsService::~LogsService() {
  StopIndexer();
  std::lock_guard lock(store_mu_);
  if (store_) (void)store_->WriteCheckpoint();
}

// Called with store_mu_ held.
Status LogsService::OpenWriter() {
  if (store_) return Ok();
  MAMORI_ASSIGN_OR_RETURN(store_, LogStore::Open(dir_, options_, clock_, &notes_));
  return Ok();
}

void LogsService::StopIndexer() {
  {
    std::lock_guard lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  if (indexer_.joinable()) indexer_.join();
}

void LogsService::Indexer() {
  pthread_setname_np(pthread_self(), "mamori-index");
  // Below the receivers (SCHED_IDLE: it runs when a core would otherwise idle): receiving and
  // storing come first and senders are not slowed for the index; it catches up when they rest.
  sched_param idle{};
  if (sched_setscheduler(static_cast<pid_t>(gettid()), SCHED_IDLE, &idle) != 0)
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 19);
  for (;;) {
    Appended batch;  // none: catch up from the segments only
    {
      std::unique_lock lock(queue_mu_);
      queue_cv_.wait(lock, [&] { return !queue_.empty() || behind_ || stopping_; });
      // Stopping: what is queued is indexed; a catch-up is left to the next open or search.
      if (queue_.empty() && (stopping_ || !behind_)) return;
      if (queue_.empty()) {
        behind_ = false;
      } else {
        batch = std::move(queue_.front());
        queue_.pop_front();
        // What else is waiting goes into the same transaction — when it follows on: a batch
        // left out of the queue in between (the index was behind) must be caught up from the
        // segments first, or the index would hold a gap it never fills.
        while (!queue_.empty() && queue_.front().layout == batch.layout &&
               batch.at.size() < 10000 && !queue_.front().at.empty() &&
               queue_.front().first_seq == batch.first_seq + batch.at.size()) {
          auto& next = queue_.front();
          std::move(next.received.begin(), next.received.end(), std::back_inserter(batch.received));
          batch.at.insert(batch.at.end(), next.at.begin(), next.at.end());
          queue_.pop_front();
        }
      }
    }
    // Parsed here, before the lock searches take too.
    std::vector<LogEvent> events;
    events.reserve(batch.at.size());
    for (const auto& b : batch.received)
      for (size_t i = 0; i < b.size(); ++i) {
        events.push_back(b.Event(i));
        events.back().seq = batch.first_seq + events.size() - 1;
      }
    std::lock_guard lock(mu_);
    // The index is derived: what it missed is caught up from the segments by the next search.
    if (auto st = IndexBatch(batch, events); !st.ok())
      std::cerr << st.error().Message(Lang::kJa) << "\n";
  }
}

// Called with mu_ held.
Status LogsService::IndexBatch(const Appended& batch, const std::vector<LogEvent>& events) {
  MAMORI_ASSIGN_OR_RETURN(auto* index, Index());
  bool usable = !events.empty() && batch.layout == layout_;
  // Events it missed (a dropped batch, an expiry that moved them) are read from the segments —
  // up to the end of the store, this batch included.
  if (!usable || index->Indexed() < events.front().seq) MAMORI_RETURN_IF_ERROR(index->CatchUp());
  if (!usable || index->Indexed() > events.back().seq) return Ok();
  return index->Add(events, batch.at);
}

Result<uint64_t> LogsService::StoreSize() {
  std::lock_guard lock(store_mu_);
  MAMORI_RETURN_IF_ERROR(OpenWriter());
  return store_->size();
}

Result<uint64_t> LogsService::AppendPrepared(std::vector<ReceivedBatch>& batches,
                                             PreparedFrames& frames) {
  if (batches.empty()) return StoreSize();
  Appended done;
  uint64_t end = 0;
  {
    std::lock_guard lock(store_mu_);
    MAMORI_RETURN_IF_ERROR(OpenWriter());
    size_t n = 0;
    for (const auto& b : batches) n += b.size();
    if (frames.first_seq != store_->size() || frames.size() != n)
      MAMORI_RETURN_IF_ERROR(PrepareFrames(batches, store_->size(), frames));
    MAMORI_ASSIGN_OR_RETURN(done.at, store_->Append(frames));
    done.first_seq = frames.first_seq;
    done.layout = layout_;
    end = store_->size();
  }
  if (done.at.empty()) {
    batches.clear();
    return end;
  }
  done.received = std::move(batches);  // acknowledged: the caller's batches are done with
  batches.clear();
  std::unique_lock lock(queue_mu_);
  if (!indexer_.joinable() && !stopping_) indexer_ = std::thread([this] { Indexer(); });
  size_t waiting = 0;
  for (const auto& b : queue_) waiting += b.at.size();
  if (waiting + done.at.size() <= kIndexQueueEvents)
    queue_.push_back(std::move(done));
  else
    behind_ = true;
  lock.unlock();
  queue_cv_.notify_one();
  return end;
}

Result<LogIndex*> LogsService::Index() {
  if (!index_) {
    std::error_code ec;
    if (!std::filesystem::exists(std::filesystem::path(dir_) / "segments", ec))
      return MakeError(ErrorCode::kNotFound, "logs.no_store", {dir_});
    MAMORI_ASSIGN_OR_RETURN(index_, LogIndex::Open(dir_));
  }
  return index_.get();
}

Status LogsService::Append(std::vector<LogEvent>& events) {
  std::vector<Position> at;
  uint64_t layout = 0;
  {
    std::lock_guard store_lock(store_mu_);
    MAMORI_RETURN_IF_ERROR(OpenWriter());
    MAMORI_ASSIGN_OR_RETURN(at, store_->Append(events));
    layout = layout_;
  }
  std::lock_guard lock(mu_);
  MAMORI_ASSIGN_OR_RETURN(auto* index, Index());
  if (layout != layout_) {  // an expiry moved them meanwhile: read them from the segments
    MAMORI_RETURN_IF_ERROR(index->CatchUp());
    return Ok();
  }
  // The index follows the store; if it lags (a crash between the two), CatchUp mends it.
  if (index->Indexed() < events.front().seq) MAMORI_RETURN_IF_ERROR(index->CatchUp());
  return index->Add(events, at);
}

Status LogsService::Checkpoint() {
  std::lock_guard lock(store_mu_);
  MAMORI_RETURN_IF_ERROR(OpenWriter());
  MAMORI_RETURN_IF_ERROR(store_->WriteCheckpoint());
  return Ok();
}

Status LogsService::AppendInBatches(std::vector<LogEvent>& events, IngestResult& r) {
  for (size_t at = 0; at < events.size(); at += kBatch) {
    std::vector<LogEvent> batch(
        std::make_move_iterator(events.begin() + static_cast<std::ptrdiff_t>(at)),
        std::make_move_iterator(events.begin() +
                                static_cast<std::ptrdiff_t>(std::min(at + kBatch, events.size()))));
    MAMORI_RETURN_IF_ERROR(Append(batch));
    r.accepted += batch.size();
  }
  return Checkpoint();
}

SyslogContext LogsService::IngestContext(const std::string& source, int utc_offset_minutes) const {
  SyslogContext ctx;
  ctx.received = clock_.Now();
  ctx.source = source;
  ctx.default_offset_minutes = utc_offset_minutes;
  return ctx;
}

Result<IngestResult> LogsService::IngestFile(const std::string& file, std::string_view bytes,
                                             const std::string& format_in,
                                             const std::string& source,
                                             const std::map<std::string, std::string>& csv_mapping,
                                             int utc_offset_minutes) {
  std::lock_guard lock(mu_);
  MAMORI_ASSIGN_OR_RETURN(std::string format, ResolveFormat(file, bytes, format_in));
  MAMORI_RETURN_IF_ERROR(OpenWriter());
  IngestResult r;
  r.notes = notes_;
  SyslogContext ctx = IngestContext(source, utc_offset_minutes);
  if (format == "csv") {
    // A file error (no header with a time, a mapped column missing, a quote left open) stores
    // nothing; a bad row is refused alone. The rows are stored as they are read, a thousand at a
    // time: an export of millions of rows is not held in memory.
    MAMORI_ASSIGN_OR_RETURN(auto csv, ParseCsvAudit(bytes, file, ctx, csv_mapping,
                                                    [&](std::vector<LogEvent>& batch) -> Status {
                                                      MAMORI_RETURN_IF_ERROR(Append(batch));
                                                      r.accepted += batch.size();
                                                      return Ok();
                                                    }));
    r.csv_mapping = csv.mapping;
    for (const auto& e : csv.errors) {
      ++r.rejected;
      if (r.errors.size() < kMaxErrors) r.errors.push_back({file, e.line, e.message});
    }
    MAMORI_RETURN_IF_ERROR(Checkpoint());
    return r;
  }
  if (format == "evtx") {
    // libevtx reads the file itself; a record it cannot read is reported and skipped.
    auto read = ReadEvtx(file, ctx);
    if (!read.ok()) {
      r.rejected = 1;
      r.errors.push_back({file, 0, read.error().Message(Lang::kJa)});
      return r;
    }
    for (const auto& p : read->problems) {
      ++r.rejected;
      if (r.errors.size() < kMaxErrors) r.errors.push_back({file, 0, p});
    }
    MAMORI_RETURN_IF_ERROR(AppendInBatches(read->events, r));
    return r;
  }
  if (format == "atna" || format == "fhir") {
    // One document (an AuditMessage or several under one root; an AuditEvent or a Bundle): all
    // of it or none.
    auto events =
        format == "atna" ? ParseAtna(bytes, ctx, file) : ParseFhirAuditEvents(bytes, ctx, file);
    if (!events.ok()) {
      r.rejected = 1;
      r.errors.push_back({file, 0, events.error().Message(Lang::kJa)});
      return r;
    }
    MAMORI_RETURN_IF_ERROR(Append(*events));
    r.accepted = events->size();
    MAMORI_RETURN_IF_ERROR(Checkpoint());
    return r;
  }
  MAMORI_RETURN_IF_ERROR(IngestLines(file, bytes, format, ctx, 1, r));
  MAMORI_RETURN_IF_ERROR(Checkpoint());
  return r;
}

Status LogsService::IngestLines(const std::string& file, std::string_view bytes,
                                const std::string& format, const SyslogContext& ctx,
                                int64_t first_line, IngestResult& r) {
  std::vector<LogEvent> batch;
  auto flush = [&]() -> Status {
    if (batch.empty()) return Ok();
    auto st = Append(batch);
    if (st.ok()) r.accepted += batch.size();
    batch.clear();
    return st;
  };
  auto reject = [&](int64_t line, const std::string& msg) {
    ++r.rejected;
    if (r.errors.size() < kMaxErrors) r.errors.push_back({file, line, msg});
  };
  size_t at = 0;
  int64_t line = first_line - 1;
  while (at < bytes.size()) {
    size_t nl = bytes.find('\n', at);
    if (nl == std::string_view::npos) nl = bytes.size();
    std::string_view text = bytes.substr(at, nl - at);
    at = nl + 1;
    ++line;
    if (line == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    while (!text.empty() && (text.back() == '\r')) text.remove_suffix(1);
    if (text.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (format == "syslog") {
      bool is_syslog = false;
      SyslogOrigin origin;
      origin.offset_minutes = ctx.default_offset_minutes;
      LogEvent e = ReceiveSyslog(text, ctx.received, ctx.source, std::move(origin),
                                 /*vendor_fields=*/false, &is_syslog);
      if (!is_syslog) {
        reject(line, Tr(Lang::kJa, "logs.not_syslog", {file, std::to_string(line)}));
        continue;
      }
      batch.push_back(std::move(e));
    } else {
      auto j = Json::parse(text, nullptr, false);
      if (j.is_discarded()) {
        reject(line, Tr(Lang::kJa, "logs.jsonl_bad", {file, std::to_string(line)}));
        continue;
      }
      auto e = EventFromJson(j, ctx);
      if (!e.ok()) {
        reject(line, file + ":" + std::to_string(line) + ": " + e.error().Message(Lang::kJa));
        continue;
      }
      e->raw = std::string(text);
      batch.push_back(std::move(*e));
    }
    if (batch.size() >= kBatch) MAMORI_RETURN_IF_ERROR(flush());
  }
  return flush();
}

Result<IngestResult> LogsService::IngestPath(const std::string& path, const std::string& format_in,
                                             const std::string& source,
                                             const std::map<std::string, std::string>& csv_mapping,
                                             int utc_offset_minutes, size_t chunk) {
  MAMORI_ASSIGN_OR_RETURN(auto file, FileReader::Open(path));
  std::string buf;
  MAMORI_RETURN_IF_ERROR(file.ReadMore(buf, chunk));
  // Lines (syslog, JSON lines) are read a chunk at a time; a file that fits in one chunk, and any
  // other format (one document, or CSV: read whole), whole — as IngestFile always did.
  std::string format;
  if (buf.size() == chunk) {
    auto resolved = ResolveFormat(path, buf, format_in);
    if (resolved.ok()) format = *resolved;
    if (format == "jsonl") {
      // A JSON document of many lines (a FHIR Bundle printed over lines) is not JSON lines: its
      // first line is not an object on its own.
      std::string_view first(buf);
      first = first.substr(0, first.find('\n'));
      auto j = Json::parse(first, nullptr, false);
      if (!j.is_object() || j.contains("resourceType")) format.clear();
    }
  }
  if (format != "syslog" && format != "jsonl") {
    MAMORI_RETURN_IF_ERROR(file.ReadRest(buf));
    return IngestFile(path, buf, format_in, source, csv_mapping, utc_offset_minutes);
  }
  std::lock_guard lock(mu_);
  MAMORI_RETURN_IF_ERROR(OpenWriter());
  IngestResult r;
  r.notes = notes_;
  SyslogContext ctx = IngestContext(source, utc_offset_minutes);
  int64_t line = 1;
  for (;;) {
    // The whole lines read so far; what follows the last line break waits for the next chunk.
    size_t end = buf.rfind('\n');
    bool at_end = false;
    if (end == std::string::npos) {
      size_t before = buf.size();
      MAMORI_RETURN_IF_ERROR(file.ReadMore(buf, chunk));
      if (buf.size() > before) continue;  // a line longer than a chunk: read on
      at_end = true;
      end = buf.size();
    }
    std::string_view lines = std::string_view(buf).substr(0, end);
    MAMORI_RETURN_IF_ERROR(IngestLines(path, lines, format, ctx, line, r));
    line += static_cast<int64_t>(std::count(lines.begin(), lines.end(), '\n')) + 1;
    if (at_end) break;
    buf.erase(0, end + 1);
    size_t before = buf.size();
    MAMORI_RETURN_IF_ERROR(file.ReadMore(buf, chunk));
    if (buf.size() == before) {  // nothing more: the last line had no line break
      if (!buf.empty()) MAMORI_RETURN_IF_ERROR(IngestLines(path, buf, format, ctx, line, r));
      break;
    }
  }
  MAMORI_RETURN_IF_ERROR(Checkpoint());
  return r;
}

Result<SearchPage> LogsService::Search(const LogQuery& q) {
  std::lock_guard lock(mu_);
  MAMORI_ASSIGN_OR_RETURN(auto* index, Index());
  MAMORI_RETURN_IF_ERROR(index->CatchUp());
  SearchPage page;
  MAMORI_ASSIGN_OR_RETURN(page.total, index->Count(q, kSearchTotalLimit + 1));
  if (page.total > kSearchTotalLimit) {
    page.total = kSearchTotalLimit;
    page.total_exact = false;
  }
  MAMORI_ASSIGN_OR_RETURN(auto hits, index->Search(q));
  EventReader reader(dir_);  // a page's events are mostly in one or two segments
  for (const auto& h : hits) {
    MAMORI_ASSIGN_OR_RETURN(auto e, reader.Read(h.at));
    page.events.push_back(std::move(e));
  }
  if (hits.size() == q.limit && !hits.empty()) page.next_before = hits.back().seq;
  return page;
}

Result<VerifyReport> LogsService::Verify(std::optional<uint64_t> from,
                                         const std::optional<minisign::PublicKey>& key) {
  return VerifyStore(dir_, from, key);
}

namespace {

Result<logs::Checkpoint> FindCheckpoint(const std::string& dir, uint64_t size) {
  MAMORI_ASSIGN_OR_RETURN(auto cps, ReadCheckpoints(dir));
  for (const auto& cp : cps)
    if (cp.size == size) return cp;
  return MakeError(ErrorCode::kNotFound, "logs.no_checkpoint", {std::to_string(size)});
}

// The stored payload, for an auditor to hash: JSON text as it is, a compact syslog record (bytes,
// not text) in base64.
void PutStoredPayload(Json& j, const LogEvent& e) {
  std::string payload = e.Serialise();
  if (IsCompactRecord(payload))
    j["stored_payload_b64"] = Base64Encode(payload);
  else
    j["stored_payload"] = std::move(payload);
}

Json HexList(const std::vector<Hash>& v) {
  Json a = Json::array();
  for (const auto& h : v) a.push_back(ToHex(h));
  return a;
}

Json CheckpointJson(const logs::Checkpoint& cp) {
  Json j = cp.ToJson();
  j["signed_text"] = cp.text;
  j["signature"] = cp.signature;
  return j;
}

}  // namespace

Result<Json> LogsService::InclusionProofOf(uint64_t seq, std::optional<uint64_t> size) {
  logs::Checkpoint cp;
  if (size) {
    MAMORI_ASSIGN_OR_RETURN(cp, FindCheckpoint(dir_, *size));
  } else {
    MAMORI_ASSIGN_OR_RETURN(auto cps, ReadCheckpoints(dir_));
    bool found = false;
    for (const auto& c : cps)
      if (c.size > seq) {
        cp = c;
        found = true;
        break;
      }
    if (!found) return MakeError(ErrorCode::kNotFound, "logs.not_covered", {std::to_string(seq)});
  }
  if (seq >= cp.size)
    return MakeError(ErrorCode::kInvalidArgument, "logs.not_covered", {std::to_string(seq)});
  MAMORI_ASSIGN_OR_RETURN(auto leaves, LeafHashes(dir_, cp.size));
  if (RootOf(leaves, 0, cp.size) != cp.root)
    return MakeError(ErrorCode::kCorruption, "logs.v_root",
                     {std::to_string(cp.size), FormatJst(cp.time)});
  std::optional<Position> at;
  {
    std::lock_guard lock(mu_);
    MAMORI_ASSIGN_OR_RETURN(auto* index, Index());
    MAMORI_RETURN_IF_ERROR(index->CatchUp());
    MAMORI_ASSIGN_OR_RETURN(at, index->PositionOf(seq));
  }
  if (!at)
    return MakeError(ErrorCode::kNotFound, "common.not_found", {"event", std::to_string(seq)});
  MAMORI_ASSIGN_OR_RETURN(auto event, ReadEventAt(dir_, *at));
  Json proof = {{"event", event.ToJson()},
                {"leaf_index", seq},
                {"leaf_hash", ToHex(leaves[seq])},
                {"tree_size", cp.size},
                {"root", ToHex(cp.root)},
                {"inclusion_path", HexList(InclusionProof(leaves, seq, cp.size))},
                {"checkpoint", CheckpointJson(cp)}};
  PutStoredPayload(proof, event);
  return proof;
}

Result<Json> LogsService::ExportRange(UnixMillis from, UnixMillis to, std::optional<uint64_t> size,
                                      uint64_t limit) {
  logs::Checkpoint cp;
  if (size) {
    MAMORI_ASSIGN_OR_RETURN(cp, FindCheckpoint(dir_, *size));
  } else {
    MAMORI_ASSIGN_OR_RETURN(auto cps, ReadCheckpoints(dir_));
    if (cps.empty()) return MakeError(ErrorCode::kNotFound, "logs.no_checkpoint", {"-"});
    cp = cps.back();
  }
  MAMORI_ASSIGN_OR_RETURN(auto leaves, LeafHashes(dir_, cp.size));
  MerkleLevels tree(leaves, cp.size);
  if (tree.Root() != cp.root)
    return MakeError(ErrorCode::kCorruption, "logs.v_root",
                     {std::to_string(cp.size), FormatJst(cp.time)});
  Json events = Json::array();
  uint64_t not_covered = 0;
  bool truncated = false;
  MAMORI_RETURN_IF_ERROR(ForEachInRange(from, to, [&](const LogEvent& e) -> Status {
    if (e.seq >= cp.size) {
      ++not_covered;
    } else if (events.size() >= limit) {
      truncated = true;
    } else {
      Json entry = {{"leaf_index", e.seq},
                    {"time_ms", e.time},
                    {"leaf_hash", ToHex(leaves[e.seq])},
                    {"inclusion_path", HexList(tree.Path(e.seq))}};
      PutStoredPayload(entry, e);
      events.push_back(std::move(entry));
    }
    return Ok();
  }));
  MAMORI_ASSIGN_OR_RETURN(auto pub, StorePublicKey(dir_));
  return Json{
      {"format", "mamori-log-export-1"},
      {"range",
       {{"from", FormatJst(from)}, {"to", FormatJst(to)}, {"from_ms", from}, {"to_ms", to}}},
      {"tree_size", cp.size},
      {"root", ToHex(cp.root)},
      {"checkpoint", CheckpointJson(cp)},
      {"public_key", pub},
      {"events", events},
      {"not_covered", not_covered},
      {"truncated", truncated}};
}

Result<Json> LogsService::ConsistencyProofOf(uint64_t old_size, uint64_t new_size) {
  MAMORI_ASSIGN_OR_RETURN(auto old_cp, FindCheckpoint(dir_, old_size));
  MAMORI_ASSIGN_OR_RETURN(auto new_cp, FindCheckpoint(dir_, new_size));
  if (old_size >= new_size)
    return MakeError(ErrorCode::kInvalidArgument, "common.bad_param", {"--from"});
  MAMORI_ASSIGN_OR_RETURN(auto leaves, LeafHashes(dir_, new_size));
  return Json{{"old_size", old_size},
              {"new_size", new_size},
              {"old_root", ToHex(old_cp.root)},
              {"new_root", ToHex(new_cp.root)},
              {"consistency_path", HexList(ConsistencyProof(leaves, old_size, new_size))},
              {"old_checkpoint", CheckpointJson(old_cp)},
              {"new_checkpoint", CheckpointJson(new_cp)}};
}

Result<uint64_t> LogsService::Reindex() {
  std::lock_guard lock(mu_);
  MAMORI_ASSIGN_OR_RETURN(auto* index, Index());
  return index->Rebuild();
}

Result<Json> LogsService::StoreStatus() {
  std::lock_guard lock(mu_);
  MAMORI_ASSIGN_OR_RETURN(auto* index, Index());
  MAMORI_ASSIGN_OR_RETURN(auto checkpoints, ReadCheckpoints(dir_));
  uint64_t segments = 0, bytes = 0;
  std::error_code ec;
  for (const auto& e :
       std::filesystem::directory_iterator(std::filesystem::path(dir_) / "segments", ec)) {
    ++segments;
    bytes += e.file_size(ec);
  }
  // Appended: the last checkpoint's tree and the whole records after its end, each the next in
  // sequence (headers only; a record still being written is not counted, nor anything after a
  // record out of sequence — the writer's recovery or `verify` is what says why).
  uint64_t appended = 0;
  Position from;
  if (!checkpoints.empty()) {
    appended = checkpoints.back().size;
    from = checkpoints.back().end;
  }
  for (uint32_t n : segfmt::ListSegments(dir_)) {
    if (n < from.segment) continue;
    auto seg = segfmt::Mapped::Open(segfmt::SegmentPath(dir_, n));
    if (!seg.ok()) break;
    for (uint64_t off = n == from.segment ? from.offset : 0;;) {
      auto p = segfmt::ParseAt(seg->view(), off);
      if (p.kind != segfmt::Parsed::kOk || p.seq != appended) break;
      ++appended;
      off = p.next;
    }
  }
  Json j = {{"log_dir", dir_},      {"appended", appended}, {"indexed", index->Indexed()},
            {"segments", segments}, {"bytes", bytes},       {"checkpoints", checkpoints.size()}};
  MAMORI_ASSIGN_OR_RETURN(auto expiries, ReadExpiries(dir_));
  uint64_t expired = 0;
  for (const auto& e : expiries) expired += e.count;
  j["expiries"] = expiries.size();
  j["expired"] = expired;
  j["last_checkpoint"] = checkpoints.empty() ? Json(nullptr) : checkpoints.back().ToJson();
  return j;
}

Json ExpiryReport::ToJson() const {
  Json due_json = Json::array();
  for (const auto& [rule, n] : due)
    due_json.push_back({{"source", rule.source},
                        {"retention_years", rule.retention_years},
                        {"before", FormatJst(rule.before)},
                        {"due", n}});
  return {{"dry_run", dry_run},
          {"due", due_json},
          {"record", record ? record->ToJson() : Json(nullptr)}};
}

Result<ExpiryReport> LogsService::Expire(const std::vector<ExpiryRule>& rules,
                                         const std::string& by, bool dry_run) {
  std::lock_guard lock(mu_);
  ExpiryReport r;
  r.dry_run = dry_run;
  MAMORI_ASSIGN_OR_RETURN(auto* index, Index());
  MAMORI_RETURN_IF_ERROR(index->CatchUp());
  uint64_t total = 0;
  for (const auto& rule : rules) {
    MAMORI_ASSIGN_OR_RETURN(auto n, index->CountDue(rule));
    r.due.emplace_back(rule, n);
    total += n;
  }
  if (dry_run || total == 0) return r;
  MAMORI_ASSIGN_OR_RETURN(auto segments, index->SegmentsWithExpired(rules));
  std::lock_guard store_lock(store_mu_);
  MAMORI_RETURN_IF_ERROR(OpenWriter());
  auto expired = store_->Expire(rules, segments, by);
  ++layout_;  // even a failed expiry may have rolled the segment being written
  MAMORI_ASSIGN_OR_RETURN(auto out, std::move(expired));
  MAMORI_RETURN_IF_ERROR(index->ApplyExpiry(out));
  r.record = std::move(out.record);
  return r;
}

Result<std::vector<ExpiryRecord>> LogsService::Expiries() {
  return ReadExpiries(dir_);
}

Result<std::string> LogsService::PublicKey() {
  return StorePublicKey(dir_);
}

Result<std::vector<SenderStats>> LogsService::Senders() {
  std::lock_guard lock(mu_);
  MAMORI_ASSIGN_OR_RETURN(auto* index, Index());
  MAMORI_RETURN_IF_ERROR(index->CatchUp());
  return index->Senders();
}

Result<WindowStats> LogsService::Window(const std::string& source, UnixMillis since,
                                        int64_t tolerance_ms) {
  std::lock_guard lock(mu_);
  MAMORI_ASSIGN_OR_RETURN(auto* index, Index());
  return index->Window(source, since, tolerance_ms);
}

Status LogsService::ForEachInRange(UnixMillis from, UnixMillis to,
                                   const std::function<Status(const LogEvent&)>& fn) {
  // A page at a time: its positions and its events are read under the lock, so that an expiry
  // (which rewrites segments and moves events, under the same lock) falls between two pages,
  // never between reading a position and reading the event there; `fn` runs without the lock,
  // so a long review holds up neither the index nor an expiry for long. The receivers' appends
  // take no part in this lock.
  {
    std::lock_guard lock(mu_);
    MAMORI_ASSIGN_OR_RETURN(auto* index, Index());
    MAMORI_RETURN_IF_ERROR(index->CatchUp());
  }
  std::optional<EventReader> reader;
  uint64_t reader_layout = 0;
  std::optional<std::pair<UnixMillis, uint64_t>> after;
  std::vector<LogEvent> page;
  for (;;) {
    std::vector<UnixMillis> times;
    std::vector<LogHit> hits;
    page.clear();
    {
      std::lock_guard lock(mu_);
      MAMORI_ASSIGN_OR_RETURN(auto* index, Index());
      MAMORI_ASSIGN_OR_RETURN(hits, index->Range(from, to, after, kReviewPage, &times));
      // A reader's mapped segments are those before an expiry replaced them: opened again.
      if (!reader || reader_layout != layout_) {
        reader.emplace(dir_);
        reader_layout = layout_;
      }
      page.reserve(hits.size());
      for (const auto& h : hits) {
        MAMORI_ASSIGN_OR_RETURN(auto e, reader->Read(h.at));
        page.push_back(std::move(e));
      }
    }
    for (const auto& e : page) MAMORI_RETURN_IF_ERROR(fn(e));
    if (hits.size() < kReviewPage) return Ok();
    after = std::make_pair(times.back(), hits.back().seq);
  }
}

Result<logs::Checkpoint> LogsService::LastCheckpoint() {
  MAMORI_ASSIGN_OR_RETURN(auto checkpoints, ReadCheckpoints(dir_));
  if (checkpoints.empty()) return logs::Checkpoint{};
  return checkpoints.back();
}

std::string LogDirOfOrg(const std::string& base, int64_t org_id, int64_t first_org_id) {
  if (org_id == first_org_id) return base;
  return (std::filesystem::path(base) / "orgs" / std::to_string(org_id)).string();
}

}  // namespace mamori::logs
