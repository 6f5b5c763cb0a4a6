#include "logs/log_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

#include "core/crypto.hpp"
#include "core/file.hpp"
#include "logs/log_expiry.hpp"
#include "logs/segment_format.hpp"
#include "logs/syslog.hpp"

namespace mamori::logs {

namespace fs = std::filesystem;
using namespace segfmt;  // NOLINT(google-build-using-namespace): the format helpers

namespace {

// Numbers n events from first_seq into out, each payload written by write(i, seq, buf) into the
// frames' buffer, each leaf hashed where its frame lies.
template <class Write>
Status Prepare(size_t n, uint64_t first_seq, PreparedFrames& out, Write&& write) {
  out.first_seq = first_seq;
  out.bytes.clear();
  out.at.clear();
  out.leaves.clear();
  out.at.reserve(n);
  out.leaves.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    uint64_t seq = first_seq + i;
    out.at.push_back(out.bytes.size());
    size_t start = segfmt::BeginFrame(out.bytes);
    write(i, seq, out.bytes);
    MAMORI_ASSIGN_OR_RETURN(auto leaf, segfmt::EndFrame(out.bytes, start, seq));
    out.leaves.push_back(std::move(leaf));
  }
  return Ok();
}

constexpr std::string_view kCheckpointHead = "mamori-log-checkpoint/1";

// Checkpoint blocks: the five signed lines, the four of the minisign signature, the frontier.
constexpr size_t kBlockLines = 10;

std::vector<std::string> SplitLines(std::string_view text, size_t* complete_bytes) {
  std::vector<std::string> lines;
  size_t at = 0;
  *complete_bytes = 0;
  while (at < text.size()) {
    size_t nl = text.find('\n', at);
    if (nl == std::string_view::npos) break;  // a line without its newline: torn
    lines.emplace_back(text.substr(at, nl - at));
    at = nl + 1;
    if (lines.size() % kBlockLines == 0) *complete_bytes = at;
  }
  return lines;
}

// The fields of a checkpoint's signed text; nullopt when it is not one.
bool ParseCheckpointText(const std::string& text, Checkpoint& cp) {
  std::vector<std::string> l;
  size_t at = 0;
  while (at < text.size()) {
    size_t nl = text.find('\n', at);
    if (nl == std::string::npos) return false;
    l.push_back(text.substr(at, nl - at));
    at = nl + 1;
  }
  if (l.size() != 5 || l[0] != kCheckpointHead) return false;
  try {
    if (l[1].rfind("size ", 0) != 0 || l[2].rfind("root ", 0) != 0 || l[3].rfind("time ", 0) != 0 ||
        l[4].rfind("end ", 0) != 0)
      return false;
    cp.size = std::stoull(l[1].substr(5));
    auto root = FromHex(l[2].substr(5));
    if (!root || root->size() != kHashLen) return false;
    cp.root = *root;
    cp.time = std::stoll(l[3].substr(5));
    auto sp = l[4].find(' ', 4);
    if (sp == std::string::npos) return false;
    cp.end.segment = static_cast<uint32_t>(std::stoul(l[4].substr(4, sp - 4)));
    cp.end.offset = std::stoull(l[4].substr(sp + 1));
  } catch (...) {
    return false;
  }
  return true;
}

struct CheckpointFile {
  std::vector<Checkpoint> checkpoints;
  std::vector<size_t> bad;  // indexes of blocks that are not checkpoints
  size_t complete_bytes = 0;
  size_t total_bytes = 0;
};

Result<CheckpointFile> LoadCheckpointFile(const std::string& dir) {
  CheckpointFile f;
  std::string path = (fs::path(dir) / "checkpoints.log").string();
  std::error_code ec;
  if (!fs::exists(path, ec)) return f;
  MAMORI_ASSIGN_OR_RETURN(auto text, ReadFile(path));
  f.total_bytes = text.size();
  auto lines = SplitLines(text, &f.complete_bytes);
  for (size_t b = 0; b + kBlockLines <= lines.size(); b += kBlockLines) {
    Checkpoint cp;
    for (size_t i = 0; i < 5; ++i) cp.text += lines[b + i] + "\n";
    for (size_t i = 5; i < 9; ++i) cp.signature += lines[b + i] + "\n";
    const std::string& fr = lines[b + 9];
    bool ok = ParseCheckpointText(cp.text, cp) && fr.rfind("frontier ", 0) == 0;
    if (ok) {
      std::string list = fr.substr(9);
      size_t at = 0;
      while (at < list.size()) {
        size_t comma = list.find(',', at);
        if (comma == std::string::npos) comma = list.size();
        auto h = FromHex(std::string_view(list).substr(at, comma - at));
        if (!h || h->size() != kHashLen) {
          ok = false;
          break;
        }
        cp.frontier.push_back(*h);
        at = comma + 1;
      }
    }
    if (!ok) {
      f.bad.push_back(b / kBlockLines);
      continue;
    }
    f.checkpoints.push_back(std::move(cp));
  }
  return f;
}

Hash FrontierRoot(const std::vector<Hash>& frontier) {
  if (frontier.empty()) return EmptyRoot();
  Hash root = frontier.back();
  for (size_t i = frontier.size() - 1; i-- > 0;) root = NodeHash(frontier[i], root);
  return root;
}

// The sizes of the perfect subtrees of a tree of n leaves, largest first.
std::vector<uint64_t> FrontierSizes(uint64_t n) {
  std::vector<uint64_t> out;
  for (int bit = 63; bit >= 0; --bit)
    if ((n >> bit) & 1) out.push_back(uint64_t{1} << bit);
  return out;
}

// Where event `seq` is (or would go) in a segment, from a checkpoint's signed `end`. The hint is
// trusted unless the segment was rewritten by an expiry (its offsets moved) or the record there
// is not that event; then the segment is walked from its start.
uint64_t LocateSeq(std::string_view bytes, uint64_t hint, uint64_t seq, bool rewritten) {
  if (!rewritten) {
    if (hint == bytes.size()) return hint;
    if (hint < bytes.size()) {
      Parsed p = ParseAt(bytes, hint);
      if (p.kind == Parsed::kOk && p.seq == seq) return hint;
    }
  }
  uint64_t off = 0;
  while (off < bytes.size()) {
    Parsed p = ParseAt(bytes, off);
    if (p.kind != Parsed::kOk || p.seq >= seq) return off;
    off = p.next;
  }
  return off;
}

// The segments any expiry record (signed or not: only a hint for LocateSeq) rewrote.
std::vector<uint32_t> RewrittenSegments(const expiry::ExpiryFile& file) {
  std::vector<uint32_t> out;
  for (const auto& r : file.records) out.insert(out.end(), r.segments.begin(), r.segments.end());
  return out;
}

bool Contains(const std::vector<uint32_t>& v, uint32_t x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

Result<minisign::PublicKey> LoadPublicKey(const std::string& dir) {
  std::string path = (fs::path(dir) / "node.pub").string();
  MAMORI_ASSIGN_OR_RETURN(auto text, ReadFile(path));
  return minisign::ParsePublicKey(text, path);
}

}  // namespace

// ---- checkpoints -------------------------------------------------------------------------

std::string CheckpointText(uint64_t size, const Hash& root, UnixMillis time, const Position& end) {
  return std::string(kCheckpointHead) + "\nsize " + std::to_string(size) + "\nroot " + ToHex(root) +
         "\ntime " + std::to_string(time) + "\nend " + std::to_string(end.segment) + " " +
         std::to_string(end.offset) + "\n";
}

Json Checkpoint::ToJson() const {
  return {{"size", size},
          {"root", ToHex(root)},
          {"time", FormatJst(time)},
          {"segment", end.segment},
          {"offset", end.offset}};
}

Result<std::vector<Checkpoint>> ReadCheckpoints(const std::string& dir) {
  MAMORI_ASSIGN_OR_RETURN(auto f, LoadCheckpointFile(dir));
  return f.checkpoints;
}

Result<std::vector<ExpiryRecord>> ReadExpiries(const std::string& dir) {
  MAMORI_ASSIGN_OR_RETURN(auto key, LoadPublicKey(dir));
  MAMORI_ASSIGN_OR_RETURN(auto file, expiry::LoadExpiryFile(dir));
  std::vector<ExpiryRecord> out;
  for (auto& r : file.records)
    if (expiry::SignatureHolds(r, key)) out.push_back(std::move(r));
  return out;
}

Result<std::string> SignWithNodeKey(const std::string& dir, std::string_view message,
                                    const std::string& trusted_comment) {
  std::string key_path = (fs::path(dir) / "node.key").string();
  MAMORI_ASSIGN_OR_RETURN(auto key_text, ReadFile(key_path));
  MAMORI_ASSIGN_OR_RETURN(auto key, minisign::ParseSecretKey(key_text, key_path));
  return minisign::SignMinisign(key, message, trusted_comment);
}

Result<std::string> StorePublicKey(const std::string& dir) {
  return ReadFile((fs::path(dir) / "node.pub").string());
}

// ---- the writer ----------------------------------------------------------------------------

struct LogStore::Impl {
  std::string dir;
  StoreOptions options;
  const Clock* clock = nullptr;
  int lock_fd = -1;
  int seg_fd = -1;
  minisign::SigningKey key;
  CompactTree tree;
  Position pos;
  PreparedFrames scratch;  // Append(events) prepares its frames here (capacity kept)
  uint64_t last_cp_size = 0;
  UnixMillis last_cp_time = 0;
  std::vector<Hash> frontier;  // of the checkpoint the replay starts from

  ~Impl() {
    if (seg_fd >= 0) ::close(seg_fd);
    if (lock_fd >= 0) ::close(lock_fd);
  }

  Status OpenSegment() {
    if (seg_fd >= 0) ::close(seg_fd);
    std::string path = SegmentPath(dir, pos.segment);
    seg_fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (seg_fd < 0)
      return MakeError(ErrorCode::kIo, "common.file_unwritable", {path, std::strerror(errno)});
    SyncDir((fs::path(dir) / "segments").string());
    return Ok();
  }

  // Appends prepared frames durably (numbered from the tree's size); a checkpoint when one is
  // due. The position of each event.
  Result<std::vector<Position>> Commit(const PreparedFrames& f) {
    if (f.size() == 0) return std::vector<Position>{};
    if (f.first_seq != tree.size())
      return MakeError(ErrorCode::kConflict, "logs.batch_stale",
                       {std::to_string(f.first_seq), std::to_string(tree.size())});
    if (pos.offset >= options.segment_bytes) {
      ++pos.segment;
      pos.offset = 0;
      MAMORI_RETURN_IF_ERROR(OpenSegment());
    }
    std::vector<Position> at;
    at.reserve(f.size());
    for (uint64_t off : f.at) at.push_back({pos.segment, pos.offset + off});
    const std::string& buf = f.bytes;
    const std::vector<Hash>& leaves = f.leaves;
    std::string path = SegmentPath(dir, pos.segment);
    auto st = WriteFully(seg_fd, buf, path);
    // The tree with the batch is computed while the disk writes it: its writeback is started
    // first, and fdatasync then waits for what is left of it. (The tree's hashing after the
    // fdatasync, in turn, was about a quarter of this thread's time per batch.) It becomes the tree
    // only once the batch is durable.
    std::optional<CompactTree> grown;
    if (st.ok()) {
      (void)::sync_file_range(seg_fd, static_cast<off_t>(pos.offset),
                              static_cast<off_t>(buf.size()), SYNC_FILE_RANGE_WRITE);
      grown = tree;
      for (const auto& l : leaves) grown->Append(l);
      if (::fdatasync(seg_fd) != 0)
        st = MakeError(ErrorCode::kIo, "common.file_unwritable", {path, std::strerror(errno)});
    }
    if (!st.ok()) {
      // Nothing of the batch is acknowledged: cut what part of it reached the file.
      if (::ftruncate(seg_fd, static_cast<off_t>(pos.offset)) != 0) {
        // The next Open cuts it as a torn tail.
      }
      return std::move(st).error();
    }
    tree = std::move(*grown);
    pos.offset += buf.size();
    UnixMillis now = clock->Now();
    if (tree.size() - last_cp_size >= options.checkpoint_events ||
        now - last_cp_time >= options.checkpoint_ms) {
      MAMORI_ASSIGN_OR_RETURN(auto cp, WriteCheckpoint(false));
      (void)cp;
    }
    return at;
  }

  // A checkpoint now; `force`: even when nothing was appended since the last one (its end
  // position moved to a new segment).
  Result<std::optional<Checkpoint>> WriteCheckpoint(bool force) {
    if (tree.size() == last_cp_size && !force) return std::optional<Checkpoint>();
    Checkpoint cp;
    cp.size = tree.size();
    cp.root = tree.Root();
    cp.time = clock->Now();
    cp.end = pos;
    cp.frontier = tree.Frontier();
    cp.text = CheckpointText(cp.size, cp.root, cp.time, cp.end);
    cp.signature = minisign::SignMinisign(key, cp.text,
                                          "mamori log checkpoint size " + std::to_string(cp.size));
    std::string block = cp.text + cp.signature + "frontier " + HashesHex(cp.frontier) + "\n";
    MAMORI_RETURN_IF_ERROR(AppendDurably((fs::path(dir) / "checkpoints.log").string(), block));
    last_cp_size = cp.size;
    last_cp_time = cp.time;
    return std::optional<Checkpoint>(std::move(cp));
  }
};

LogStore::LogStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LogStore::~LogStore() = default;

uint64_t LogStore::size() const {
  return impl_->tree.size();
}

const minisign::PublicKey& LogStore::key() const {
  return impl_->key.pub;
}

Result<std::unique_ptr<LogStore>> LogStore::Open(const std::string& dir,
                                                 const StoreOptions& options, const Clock& clock,
                                                 std::vector<std::string>* notes) {
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  impl->options = options;
  impl->clock = &clock;
  std::error_code ec;
  fs::create_directories(fs::path(dir) / "segments", ec);
  if (ec) return MakeError(ErrorCode::kIo, "common.file_unwritable", {dir, ec.message()});

  std::string lock = (fs::path(dir) / "LOCK").string();
  impl->lock_fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
  if (impl->lock_fd < 0 || ::flock(impl->lock_fd, LOCK_EX | LOCK_NB) != 0)
    return MakeError(ErrorCode::kConflict, "logs.locked", {dir});

  // The node key: created once; the public half is what an auditor keeps.
  std::string key_path = (fs::path(dir) / "node.key").string();
  if (!fs::exists(key_path, ec)) {
    auto k = minisign::GenerateSigningKey();
    std::string tmp = key_path + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
      return MakeError(ErrorCode::kIo, "common.file_unwritable", {tmp, std::strerror(errno)});
    auto st = WriteFully(fd, minisign::FormatSecretKey(k), tmp);
    ::fsync(fd);
    ::close(fd);
    MAMORI_RETURN_IF_ERROR(st);
    std::ofstream((fs::path(dir) / "node.pub").string()) << minisign::FormatPublicKey(k.pub);
    fs::rename(tmp, key_path, ec);
    SyncDir(dir);
  }
  MAMORI_ASSIGN_OR_RETURN(auto key_text, ReadFile(key_path));
  MAMORI_ASSIGN_OR_RETURN(impl->key, minisign::ParseSecretKey(key_text, key_path));

  // Checkpoints: a torn last block (a crash while writing it) is cut.
  MAMORI_ASSIGN_OR_RETURN(auto cpf, LoadCheckpointFile(dir));
  if (cpf.complete_bytes < cpf.total_bytes) {
    std::string path = (fs::path(dir) / "checkpoints.log").string();
    if (::truncate(path.c_str(), static_cast<off_t>(cpf.complete_bytes)) != 0)
      return MakeError(ErrorCode::kIo, "common.file_unwritable", {path, std::strerror(errno)});
    if (notes != nullptr)
      notes->push_back(Tr(Lang::kJa, "logs.recovered_checkpoint",
                          {std::to_string(cpf.total_bytes - cpf.complete_bytes)}));
  }

  // An expiry interrupted by a crash: a torn record is cut (it did not commit), rewritten
  // segments of a committed record replace the old ones, the others are removed.
  MAMORI_ASSIGN_OR_RETURN(auto exf, expiry::LoadExpiryFile(dir));
  if (exf.complete_bytes < exf.total_bytes) {
    std::string path = expiry::ExpiryPath(dir);
    if (::truncate(path.c_str(), static_cast<off_t>(exf.complete_bytes)) != 0)
      return MakeError(ErrorCode::kIo, "common.file_unwritable", {path, std::strerror(errno)});
  }
  MAMORI_RETURN_IF_ERROR(expiry::RecoverExpiry(dir, impl->key.pub, notes));
  auto rewritten = RewrittenSegments(exf);

  // Start from the last checkpoint whose signature and frontier hold, else from the beginning.
  auto segments = ListSegments(dir);
  for (auto it = cpf.checkpoints.rbegin(); it != cpf.checkpoints.rend(); ++it) {
    if (!minisign::VerifyMinisign({impl->key.pub}, it->text, it->signature, "checkpoints.log").ok())
      continue;
    if (FrontierRoot(it->frontier) != it->root ||
        it->frontier.size() != FrontierSizes(it->size).size())
      continue;
    impl->frontier = it->frontier;
    impl->pos = it->end;
    impl->last_cp_size = it->size;
    impl->last_cp_time = it->time;
    break;
  }
  // The time-based checkpoint counts from now when there was none (or from the last one).
  if (impl->last_cp_time == 0) impl->last_cp_time = clock.Now();
  uint64_t size = impl->last_cp_size;
  std::vector<Hash> stack = impl->frontier;
  CompactTree replay = CompactTree::FromFrontier(stack, size);

  // Replay what follows the checkpoint; a torn record at the very end is cut.
  uint32_t last_segment = segments.empty() ? impl->pos.segment : segments.back();
  for (uint32_t s = impl->pos.segment; s <= last_segment; ++s) {
    std::string path = SegmentPath(dir, s);
    if (!fs::exists(path, ec)) {
      if (s == impl->pos.segment && impl->pos.offset == 0) continue;
      return MakeError(ErrorCode::kCorruption, "logs.store_damaged", {dir, std::to_string(s), "0"});
    }
    MAMORI_ASSIGN_OR_RETURN(auto bytes, ReadFile(path));
    uint64_t off = 0;
    if (s == impl->pos.segment) {
      bool moved = Contains(rewritten, s);
      if (!moved && impl->pos.offset > bytes.size())
        return MakeError(ErrorCode::kCorruption, "logs.store_damaged",
                         {dir, std::to_string(s), std::to_string(bytes.size())});
      off = LocateSeq(bytes, impl->pos.offset, size, moved);
    }
    while (off < bytes.size()) {
      Parsed p = ParseAt(bytes, off);
      bool good = p.kind == Parsed::kOk && p.seq == size &&
                  (p.tombstone || EventLeaf(p.seq, p.payload) == p.stored);
      if (!good) {
        bool tail = s == last_segment && Resync(bytes, off + 1) == std::string_view::npos;
        if (!tail)
          return MakeError(ErrorCode::kCorruption, "logs.store_damaged",
                           {dir, std::to_string(s), std::to_string(off)});
        if (::truncate(path.c_str(), static_cast<off_t>(off)) != 0)
          return MakeError(ErrorCode::kIo, "common.file_unwritable", {path, std::strerror(errno)});
        if (notes != nullptr)
          notes->push_back(
              Tr(Lang::kJa, "logs.recovered_tail",
                 {std::to_string(s), std::to_string(off), std::to_string(bytes.size() - off)}));
        bytes.resize(off);
        break;
      }
      replay.Append(p.Leaf());
      ++size;
      off = p.next;
    }
    impl->pos = {s, bytes.size()};
  }
  impl->tree = std::move(replay);
  MAMORI_RETURN_IF_ERROR(impl->OpenSegment());
  return std::unique_ptr<LogStore>(new LogStore(std::move(impl)));
}

Result<std::vector<Position>> LogStore::Append(std::vector<LogEvent>& events) {
  auto& s = *impl_;
  auto st = Prepare(events.size(), s.tree.size(), s.scratch,
                    [&](size_t i, uint64_t seq, std::string& buf) {
                      events[i].seq = seq;
                      events[i].SerialiseTo(buf);
                    });
  auto at = st.ok() ? s.Commit(s.scratch) : Result<std::vector<Position>>(std::move(st).error());
  if (!at.ok())
    for (auto& e : events) e.seq = 0;
  return at;
}

Result<std::vector<Position>> LogStore::Append(const PreparedFrames& frames) {
  return impl_->Commit(frames);
}

Status PrepareFrames(const std::vector<ReceivedBatch>& batches, uint64_t first_seq,
                     PreparedFrames& out) {
  size_t n = 0;
  for (const auto& b : batches) n += b.size();
  size_t batch = 0, frame = 0;  // where the next frame is: written in order
  return Prepare(n, first_seq, out, [&](size_t /*i*/, uint64_t /*seq*/, std::string& buf) {
    while (frame == batches[batch].size()) {
      ++batch;
      frame = 0;
    }
    batches[batch].CompactTo(buf, frame++);
  });
}

Result<std::optional<Checkpoint>> LogStore::WriteCheckpoint() {
  return impl_->WriteCheckpoint(false);
}

Result<ExpiryOutcome> LogStore::Expire(const std::vector<ExpiryRule>& rules,
                                       const std::vector<uint32_t>& segments,
                                       const std::string& by) {
  auto& s = *impl_;
  ExpiryOutcome out;
  if (rules.empty() || segments.empty()) return out;
  // The segment being written is closed first when it is concerned: a rewritten segment is never
  // appended to, and the checkpoint written here puts the writer's resume point after it.
  if (Contains(segments, s.pos.segment) && s.pos.offset > 0) {
    ++s.pos.segment;
    s.pos.offset = 0;
    MAMORI_RETURN_IF_ERROR(s.OpenSegment());
    MAMORI_ASSIGN_OR_RETURN(auto cp, s.WriteCheckpoint(true));
    (void)cp;
  }
  MAMORI_ASSIGN_OR_RETURN(auto file, expiry::LoadExpiryFile(s.dir));
  uint32_t id = 1;
  for (const auto& r : file.records) id = std::max(id, r.id + 1);

  std::map<std::string, ExpiredSource> stats;
  std::vector<expiry::Rewrite> rewrites;
  auto drop_pending = [&] {
    std::error_code ec;
    for (const auto& rw : rewrites) fs::remove(expiry::PendingPath(s.dir, rw.segment, id), ec);
  };
  std::vector<uint32_t> sorted = segments;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  for (uint32_t seg : sorted) {
    if (seg >= s.pos.segment) continue;  // only closed segments
    auto rw = expiry::RewriteSegment(s.dir, seg, rules, id, stats);
    if (!rw.ok()) {
      drop_pending();
      return std::move(rw).error();
    }
    if (rw->tombstones.empty()) continue;
    auto st = WriteFileDurably(expiry::PendingPath(s.dir, seg, id), rw->bytes);
    rw->bytes.clear();
    rw->bytes.shrink_to_fit();
    rewrites.push_back(std::move(*rw));
    if (!st.ok()) {
      drop_pending();
      return std::move(st).error();
    }
  }
  if (rewrites.empty()) return out;

  ExpiryRecord rec;
  rec.id = id;
  rec.time = s.clock->Now();
  rec.by = by;
  rec.tree_size = s.tree.size();
  rec.root = s.tree.Root();
  Sha256 digest;
  for (const auto& rw : rewrites) {
    rec.segments.push_back(rw.segment);
    for (const auto& [seq, leaf] : rw.tombstones) {
      digest.Update(Le64(seq));
      digest.Update(leaf);
      out.removed.push_back(seq);
      ++rec.count;
    }
    for (const auto& [seq, off] : rw.moved) out.moved.emplace_back(seq, Position{rw.segment, off});
  }
  rec.digest = *FromHex(digest.HexDigest());
  for (auto& [name, st] : stats) rec.sources.push_back(std::move(st));
  rec.text = expiry::ExpiryText(rec);
  rec.signature = minisign::SignMinisign(
      s.key, rec.text,
      "mamori log expiry " + std::to_string(id) + " count " + std::to_string(rec.count));
  // The commit point.
  SyncDir((fs::path(s.dir) / "segments").string());
  auto st = AppendDurably(expiry::ExpiryPath(s.dir), rec.text + rec.signature);
  if (!st.ok()) {
    drop_pending();
    return std::move(st).error();
  }
  SyncDir(s.dir);
  for (const auto& rw : rewrites) {
    std::error_code ec;
    fs::rename(expiry::PendingPath(s.dir, rw.segment, id), SegmentPath(s.dir, rw.segment), ec);
    // A rename that fails is finished by the next Open (the record is written).
    if (ec)
      return MakeError(ErrorCode::kIo, "common.file_unwritable",
                       {SegmentPath(s.dir, rw.segment), ec.message()});
  }
  SyncDir((fs::path(s.dir) / "segments").string());
  out.record = std::move(rec);
  return out;
}

// ---- verification --------------------------------------------------------------------------

Json VerifyProblem::ToJson() const {
  Json j = {{"kind", kind}, {"segment", segment}, {"offset", offset}, {"detail", detail}};
  if (seq) j["seq"] = *seq;
  return j;
}

Json VerifyReport::ToJson() const {
  Json problems_json = Json::array();
  for (const auto& p : problems) problems_json.push_back(p.ToJson());
  Json j = {{"ok", ok},
            {"events", events},
            {"checkpoints", checkpoints},
            {"checkpoints_verified", checkpoints_verified},
            {"uncovered", uncovered},
            {"expired", expired},
            {"expiries", expiries},
            {"bytes", bytes},
            {"key_id", key_id},
            {"problems", problems_json}};
  if (last) j["last_checkpoint"] = last->ToJson();
  return j;
}

Result<VerifyReport> VerifyStore(const std::string& dir, std::optional<uint64_t> from,
                                 const std::optional<minisign::PublicKey>& key_given) {
  VerifyReport r;
  std::error_code ec;
  if (!fs::exists(fs::path(dir) / "segments", ec))
    return MakeError(ErrorCode::kNotFound, "logs.no_store", {dir});
  minisign::PublicKey key;
  if (key_given) {
    key = *key_given;
  } else {
    MAMORI_ASSIGN_OR_RETURN(key, LoadPublicKey(dir));
  }
  r.key_id = key.IdHex();
  auto problem = [&](std::string kind, uint32_t seg, uint64_t off, std::optional<uint64_t> seq,
                     const std::string& msg_key, const std::vector<std::string>& args) {
    r.problems.push_back({std::move(kind), seg, off, seq, Tr(Lang::kJa, msg_key, args)});
  };

  MAMORI_ASSIGN_OR_RETURN(auto cpf, LoadCheckpointFile(dir));
  for (size_t b : cpf.bad)
    problem("signature", 0, 0, std::nullopt, "logs.v_checkpoint_unreadable",
            {std::to_string(b + 1)});
  if (cpf.complete_bytes < cpf.total_bytes)
    problem("truncated", 0, cpf.complete_bytes, std::nullopt, "logs.v_checkpoints_torn",
            {std::to_string(cpf.total_bytes - cpf.complete_bytes)});
  // Checkpoints whose signature holds, by size; the others are problems.
  std::vector<const Checkpoint*> good;
  for (size_t i = 0; i < cpf.checkpoints.size(); ++i) {
    const auto& cp = cpf.checkpoints[i];
    if (!minisign::VerifyMinisign({key}, cp.text, cp.signature, "checkpoints.log").ok()) {
      problem("signature", cp.end.segment, cp.end.offset, cp.size, "logs.v_signature",
              {std::to_string(i + 1), std::to_string(cp.size)});
      continue;
    }
    good.push_back(&cp);
  }

  uint64_t count = 0;
  std::vector<Hash> stack;
  Position start;
  if (from) {
    const Checkpoint* base = nullptr;
    for (const auto* cp : good)
      if (cp->size == *from) base = cp;
    if (base == nullptr)
      return MakeError(ErrorCode::kNotFound, "logs.no_checkpoint", {std::to_string(*from)});
    if (FrontierRoot(base->frontier) != base->root ||
        base->frontier.size() != FrontierSizes(base->size).size())
      return MakeError(ErrorCode::kCorruption, "logs.frontier_bad", {std::to_string(*from)});
    stack = base->frontier;
    count = base->size;
    start = base->end;
  }
  CompactTree tree = CompactTree::FromFrontier(stack, count);
  size_t next_cp = 0;
  while (next_cp < good.size() && good[next_cp]->size <= count) ++next_cp;
  for (size_t i = 0; i < good.size(); ++i)
    if (good[i]->size > count || (from && good[i]->size == *from)) ++r.checkpoints;

  auto check_checkpoints = [&](uint32_t seg, uint64_t off) {
    while (next_cp < good.size() && good[next_cp]->size == tree.size()) {
      const auto* cp = good[next_cp++];
      if (tree.Root() == cp->root) {
        ++r.checkpoints_verified;
        r.last = *cp;
      } else {
        problem("root_mismatch", seg, off, cp->size, "logs.v_root",
                {std::to_string(cp->size), FormatJst(cp->time)});
      }
    }
  };
  if (from) {
    ++r.checkpoints_verified;
    for (const auto* cp : good)
      if (cp->size == *from) r.last = *cp;
  }

  // Expiry records: each tombstone must belong to one whose signature holds, and each record's
  // count and digest must equal those of its tombstones.
  MAMORI_ASSIGN_OR_RETURN(auto exf, expiry::LoadExpiryFile(dir));
  for (size_t b : exf.bad)
    problem("signature", 0, 0, std::nullopt, "logs.v_expiry_unreadable", {std::to_string(b)});
  if (exf.complete_bytes < exf.total_bytes)
    problem("truncated", 0, exf.complete_bytes, std::nullopt, "logs.v_expiry_torn",
            {std::to_string(exf.total_bytes - exf.complete_bytes)});
  std::map<uint32_t, const ExpiryRecord*> expiries;
  std::vector<uint32_t> rewritten;
  for (const auto& rec : exf.records) {
    if (!expiry::SignatureHolds(rec, key)) {
      problem("signature", 0, 0, std::nullopt, "logs.v_expiry_signature", {std::to_string(rec.id)});
      continue;
    }
    expiries[rec.id] = &rec;
    rewritten.insert(rewritten.end(), rec.segments.begin(), rec.segments.end());
  }
  struct Tombs {
    uint64_t count = 0;
    std::unique_ptr<Sha256> digest = std::make_unique<Sha256>();
    uint32_t segment = 0;
    uint64_t offset = 0;
  };
  std::map<uint32_t, Tombs> tombs;

  auto segments = ListSegments(dir);
  uint64_t expected = count;
  uint32_t prev_seg = 0;
  for (uint32_t s : segments) {
    if (s < start.segment) continue;
    if (prev_seg != 0 && s != prev_seg + 1)
      problem("missing", prev_seg + 1, 0, std::nullopt, "logs.v_segment_missing",
              {std::to_string(prev_seg + 1), std::to_string(s - 1)});
    prev_seg = s;
    MAMORI_ASSIGN_OR_RETURN(auto mapped, Mapped::Open(SegmentPath(dir, s)));
    std::string_view bytes = mapped.view();
    r.bytes += bytes.size();
    uint64_t off =
        s == start.segment ? LocateSeq(bytes, start.offset, count, Contains(rewritten, s)) : 0;
    while (off < bytes.size()) {
      Parsed p = ParseAt(bytes, off);
      if (p.kind == Parsed::kTruncated) {
        problem("truncated", s, off, std::nullopt, "logs.v_truncated",
                {std::to_string(s), std::to_string(off), std::to_string(bytes.size() - off)});
        break;
      }
      if (p.kind != Parsed::kOk) {
        uint64_t next = Resync(bytes, off + 1);
        uint64_t skipped = (next == std::string_view::npos ? bytes.size() : next) - off;
        problem("unreadable", s, off, std::nullopt, "logs.v_unreadable",
                {std::to_string(s), std::to_string(off), std::to_string(skipped)});
        if (next == std::string_view::npos) break;
        off = next;
        continue;
      }
      Hash leaf = p.Leaf();
      if (p.tombstone) {
        ++r.expired;
        auto [it, fresh] = tombs.try_emplace(p.expiry_id);
        if (fresh) {
          it->second.segment = s;
          it->second.offset = off;
        }
        ++it->second.count;
        it->second.digest->Update(Le64(p.seq));
        it->second.digest->Update(leaf);
      } else if (leaf != p.stored)
        problem("changed", s, off, p.seq, "logs.v_changed",
                {std::to_string(p.seq), std::to_string(s), std::to_string(off)});
      if (p.seq > expected)
        problem("missing", s, off, expected, "logs.v_missing",
                {std::to_string(expected), std::to_string(p.seq - 1), std::to_string(s),
                 std::to_string(off)});
      else if (p.seq < expected)
        problem("out_of_order", s, off, p.seq, "logs.v_out_of_order",
                {std::to_string(p.seq), std::to_string(s), std::to_string(off)});
      expected = std::max(expected, p.seq + 1);
      tree.Append(leaf);
      off = p.next;
      check_checkpoints(s, off);
    }
  }
  r.events = tree.size();
  for (; next_cp < good.size(); ++next_cp)
    problem("checkpoint_beyond_end", good[next_cp]->end.segment, good[next_cp]->end.offset,
            good[next_cp]->size, "logs.v_beyond_end",
            {std::to_string(good[next_cp]->size), std::to_string(r.events)});
  for (auto& [id, t] : tombs) {
    auto rec = expiries.find(id);
    if (rec == expiries.end()) {
      problem("expired_unrecorded", t.segment, t.offset, std::nullopt, "logs.v_expired_unrecorded",
              {std::to_string(t.count), std::to_string(id), std::to_string(t.segment),
               std::to_string(t.offset)});
      continue;
    }
    // Checked only when all its tombstones were read (verify --from starts after some).
    if (from && rec->second->FirstSeq() < *from) continue;
    ++r.expiries;
    if (t.count != rec->second->count || t.digest->HexDigest() != ToHex(rec->second->digest))
      problem("expiry_mismatch", t.segment, t.offset, std::nullopt, "logs.v_expiry_mismatch",
              {std::to_string(id), std::to_string(rec->second->count), std::to_string(t.count)});
  }
  for (const auto& [id, rec] : expiries) {
    if (tombs.count(id) != 0 || (from && rec->FirstSeq() < *from)) continue;
    ++r.expiries;
    problem("expiry_mismatch", 0, 0, std::nullopt, "logs.v_expiry_mismatch",
            {std::to_string(id), std::to_string(rec->count), "0"});
  }
  uint64_t covered = r.last ? r.last->size : 0;
  r.uncovered = r.events > covered ? r.events - covered : 0;
  r.ok = r.problems.empty();
  return r;
}

Status ScanStore(const std::string& dir, uint64_t from_seq,
                 const std::function<Status(const LogEvent&, const Position&)>& fn,
                 Position start) {
  for (uint32_t s : ListSegments(dir)) {
    if (s < start.segment) continue;
    MAMORI_ASSIGN_OR_RETURN(auto mapped, Mapped::Open(SegmentPath(dir, s)));
    std::string_view bytes = mapped.view();
    uint64_t off = s == start.segment ? start.offset : 0;
    while (off < bytes.size()) {
      Parsed p = ParseAt(bytes, off);
      if (p.kind != Parsed::kOk) break;  // verify reports it; scanning stops at damage
      if (!p.tombstone && p.seq >= from_seq) {
        MAMORI_ASSIGN_OR_RETURN(auto e, LogEvent::Deserialise(p.payload));
        e.seq = p.seq;
        MAMORI_RETURN_IF_ERROR(fn(e, Position{s, off}));
      }
      off = p.next;
    }
  }
  return Ok();
}

Result<std::vector<Hash>> LeafHashes(const std::string& dir, uint64_t up_to) {
  std::vector<Hash> out;
  out.reserve(up_to);
  for (uint32_t s : ListSegments(dir)) {
    if (out.size() >= up_to) break;
    MAMORI_ASSIGN_OR_RETURN(auto mapped, Mapped::Open(SegmentPath(dir, s)));
    std::string_view bytes = mapped.view();
    uint64_t off = 0;
    while (off < bytes.size() && out.size() < up_to) {
      Parsed p = ParseAt(bytes, off);
      if (p.kind != Parsed::kOk || p.seq != out.size())
        return MakeError(ErrorCode::kCorruption, "logs.store_damaged",
                         {dir, std::to_string(s), std::to_string(off)});
      out.push_back(p.Leaf());
      off = p.next;
    }
  }
  if (out.size() < up_to)
    return MakeError(ErrorCode::kCorruption, "logs.v_beyond_end",
                     {std::to_string(up_to), std::to_string(out.size())});
  return out;
}

namespace {

Result<LogEvent> ReadEventFrom(std::ifstream& in, const std::string& dir, const Position& at) {
  auto damaged = [&] {
    return MakeError(ErrorCode::kCorruption, "logs.store_damaged",
                     {dir, std::to_string(at.segment), std::to_string(at.offset)});
  };
  in.clear();
  std::string head(kHeader, '\0');
  in.seekg(static_cast<std::streamoff>(at.offset));
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  if (in.gcount() == static_cast<std::streamsize>(kHeader) && head.substr(0, 4) == kTombMagic)
    return MakeError(ErrorCode::kNotFound, "logs.event_expired",
                     {std::to_string(ReadLe(std::string_view(head).substr(8, 8), 8))});
  if (in.gcount() != static_cast<std::streamsize>(kHeader) || head.substr(0, 4) != kMagic)
    return damaged();
  auto len = static_cast<uint32_t>(ReadLe(std::string_view(head).substr(4, 4), 4));
  if (len > kMaxPayload) return damaged();
  std::string payload(len, '\0');
  in.read(payload.data(), len);
  if (in.gcount() != static_cast<std::streamsize>(len)) return damaged();
  MAMORI_ASSIGN_OR_RETURN(auto e, LogEvent::Deserialise(payload));
  e.seq = ReadLe(std::string_view(head).substr(8, 8), 8);
  return e;
}

}  // namespace

Result<LogEvent> ReadEventAt(const std::string& dir, const Position& at) {
  EventReader reader(dir);
  return reader.Read(at);
}

Result<LogEvent> EventReader::Read(const Position& at) {
  if (at.segment != open_segment_ || !in_.is_open()) {
    in_.close();
    std::string path = SegmentPath(dir_, at.segment);
    in_.open(path, std::ios::binary);
    if (!in_) {
      open_segment_ = UINT32_MAX;
      return MakeError(ErrorCode::kIo, "import.cannot_read", {path});
    }
    open_segment_ = at.segment;
  }
  return ReadEventFrom(in_, dir_, at);
}

}  // namespace mamori::logs
