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

#include "core/crypto.hpp"

namespace mamori::logs {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMagic = "MLE1";
constexpr size_t kHeader = 4 + 4 + 8;  // magic, payload length, sequence number
constexpr size_t kHashLen = 32;
constexpr uint32_t kMaxPayload = 16u << 20;
constexpr std::string_view kCheckpointHead = "mamori-log-checkpoint/1";

std::string Le32(uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  return s;
}
std::string Le64(uint64_t v) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i) s[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  return s;
}
uint64_t ReadLe(std::string_view s, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v |= uint64_t{static_cast<unsigned char>(s[i])} << (8 * i);
  return v;
}

// The leaf covers the sequence number too: moving an event changes its hash.
Hash EventLeaf(uint64_t seq, std::string_view payload) {
  std::string entry = Le64(seq);
  entry.append(payload);
  return LeafHash(entry);
}

std::string Frame(uint64_t seq, const std::string& payload) {
  std::string f;
  f.reserve(kHeader + payload.size() + kHashLen);
  f.append(kMagic);
  f += Le32(static_cast<uint32_t>(payload.size()));
  f += Le64(seq);
  f += payload;
  f += EventLeaf(seq, payload);
  return f;
}

struct Parsed {
  enum Kind { kOk, kEnd, kTruncated, kBadMagic, kTooLarge } kind = kEnd;
  uint64_t next = 0;
  uint64_t seq = 0;
  std::string_view payload;
  std::string_view stored;
};

Parsed ParseAt(std::string_view seg, uint64_t off) {
  Parsed p;
  if (off >= seg.size()) return p;
  if (seg.size() - off < kHeader) {
    p.kind = seg.substr(off, std::min<size_t>(4, seg.size() - off)) ==
                     kMagic.substr(0, std::min<size_t>(4, seg.size() - off))
                 ? Parsed::kTruncated
                 : Parsed::kBadMagic;
    return p;
  }
  if (seg.substr(off, 4) != kMagic) {
    p.kind = Parsed::kBadMagic;
    return p;
  }
  auto len = static_cast<uint32_t>(ReadLe(seg.substr(off + 4, 4), 4));
  if (len > kMaxPayload) {
    p.kind = Parsed::kTooLarge;
    return p;
  }
  uint64_t end = off + kHeader + len + kHashLen;
  if (end > seg.size()) {
    p.kind = Parsed::kTruncated;
    return p;
  }
  p.kind = Parsed::kOk;
  p.seq = ReadLe(seg.substr(off + 8, 8), 8);
  p.payload = seg.substr(off + kHeader, len);
  p.stored = seg.substr(off + kHeader + len, kHashLen);
  p.next = end;
  return p;
}

// The next offset after `from` where a whole, self-consistent record starts; npos if none.
uint64_t Resync(std::string_view seg, uint64_t from) {
  for (size_t at = seg.find(kMagic, from); at != std::string_view::npos;
       at = seg.find(kMagic, at + 1)) {
    Parsed p = ParseAt(seg, at);
    if (p.kind == Parsed::kOk && EventLeaf(p.seq, p.payload) == p.stored) return at;
  }
  return std::string_view::npos;
}

std::string SegmentPath(const std::string& dir, uint32_t n) {
  char name[32];
  std::snprintf(name, sizeof name, "%08u.seg", n);
  return (fs::path(dir) / "segments" / name).string();
}

std::vector<uint32_t> ListSegments(const std::string& dir) {
  std::vector<uint32_t> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(fs::path(dir) / "segments", ec)) {
    auto name = e.path().filename().string();
    if (name.size() != 12 || name.substr(8) != ".seg") continue;
    try {
      out.push_back(static_cast<uint32_t>(std::stoul(name.substr(0, 8))));
    } catch (...) {
      continue;
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A whole file with read(2) into one buffer sized by fstat: segments are read at disk speed
// (istreambuf_iterator copies a byte at a time and was a third of `verify`).
Result<std::string> ReadAll(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return MakeError(ErrorCode::kIo, "import.cannot_read", {path});
  struct stat st {};
  std::string out;
  if (::fstat(fd, &st) == 0 && st.st_size > 0) out.resize(static_cast<size_t>(st.st_size));
  size_t got = 0;
  for (;;) {
    if (got == out.size()) out.resize(out.size() + (1 << 20));  // grew since fstat
    ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  out.resize(got);
  return out;
}

// A segment mapped read-only: verification and scans read it at page-cache speed, without
// copying it or zero-filling a buffer first.
class Mapped {
 public:
  static Result<Mapped> Open(const std::string& path) {
    Mapped m;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return MakeError(ErrorCode::kIo, "import.cannot_read", {path});
    struct stat st {};
    if (::fstat(fd, &st) == 0 && st.st_size > 0) {
      void* p = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
      if (p != MAP_FAILED) {
        m.data_ = static_cast<const char*>(p);
        m.size_ = static_cast<size_t>(st.st_size);
        ::madvise(p, m.size_, MADV_SEQUENTIAL);
      }
    }
    ::close(fd);
    return m;
  }
  Mapped() = default;
  Mapped(Mapped&& o) noexcept : data_(o.data_), size_(o.size_) { o.data_ = nullptr; }
  Mapped& operator=(Mapped&&) = delete;
  Mapped(const Mapped&) = delete;
  ~Mapped() {
    if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
  }
  [[nodiscard]] std::string_view view() const { return {data_ != nullptr ? data_ : "", size_}; }

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
};

Status WriteFully(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return MakeError(ErrorCode::kIo, "common.file_unwritable", {path, std::strerror(errno)});
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Ok();
}

void SyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

std::string HashesHex(const std::vector<Hash>& v) {
  std::string out;
  for (const auto& h : v) {
    if (!out.empty()) out += ',';
    out += ToHex(h);
  }
  return out;
}

std::optional<std::string> FromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out(hex.size() / 2, '\0');
  for (size_t i = 0; i < out.size(); ++i) {
    auto nib = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    int hi = nib(hex[2 * i]), lo = nib(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return out;
}

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
  MAMORI_ASSIGN_OR_RETURN(auto text, ReadAll(path));
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

Result<minisign::PublicKey> LoadPublicKey(const std::string& dir) {
  std::string path = (fs::path(dir) / "node.pub").string();
  MAMORI_ASSIGN_OR_RETURN(auto text, ReadAll(path));
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

Result<std::string> SignWithNodeKey(const std::string& dir, std::string_view message,
                                    const std::string& trusted_comment) {
  std::string key_path = (fs::path(dir) / "node.key").string();
  MAMORI_ASSIGN_OR_RETURN(auto key_text, ReadAll(key_path));
  MAMORI_ASSIGN_OR_RETURN(auto key, minisign::ParseSecretKey(key_text, key_path));
  return minisign::SignMinisign(key, message, trusted_comment);
}

Result<std::string> StorePublicKey(const std::string& dir) {
  return ReadAll((fs::path(dir) / "node.pub").string());
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
  MAMORI_ASSIGN_OR_RETURN(auto key_text, ReadAll(key_path));
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
    MAMORI_ASSIGN_OR_RETURN(auto bytes, ReadAll(path));
    uint64_t off = s == impl->pos.segment ? impl->pos.offset : 0;
    if (off > bytes.size())
      return MakeError(ErrorCode::kCorruption, "logs.store_damaged",
                       {dir, std::to_string(s), std::to_string(bytes.size())});
    while (off < bytes.size()) {
      Parsed p = ParseAt(bytes, off);
      bool good = p.kind == Parsed::kOk && p.seq == size && EventLeaf(p.seq, p.payload) == p.stored;
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
      replay.Append(EventLeaf(p.seq, p.payload));
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
  if (events.empty()) return std::vector<Position>{};
  if (s.pos.offset >= s.options.segment_bytes) {
    ++s.pos.segment;
    s.pos.offset = 0;
    MAMORI_RETURN_IF_ERROR(s.OpenSegment());
  }
  std::string buf;
  std::vector<Position> at;
  std::vector<Hash> leaves;
  uint64_t seq = s.tree.size();
  for (auto& e : events) {
    e.seq = seq++;
    std::string payload = e.Serialise();
    if (payload.size() > kMaxPayload)
      return MakeError(ErrorCode::kTooLarge, "logs.event_too_large",
                       {std::to_string(payload.size())});
    at.push_back({s.pos.segment, s.pos.offset + buf.size()});
    leaves.push_back(EventLeaf(e.seq, payload));
    buf += Frame(e.seq, payload);
  }
  std::string path = SegmentPath(s.dir, s.pos.segment);
  auto st = WriteFully(s.seg_fd, buf, path);
  if (st.ok() && ::fdatasync(s.seg_fd) != 0)
    st = MakeError(ErrorCode::kIo, "common.file_unwritable", {path, std::strerror(errno)});
  if (!st.ok()) {
    // Nothing of the batch is acknowledged: cut what part of it reached the file.
    if (::ftruncate(s.seg_fd, static_cast<off_t>(s.pos.offset)) != 0) {
      // The next Open cuts it as a torn tail.
    }
    for (auto& e : events) e.seq = 0;
    return std::move(st).error();
  }
  for (const auto& l : leaves) s.tree.Append(l);
  s.pos.offset += buf.size();
  UnixMillis now = s.clock->Now();
  if (s.tree.size() - s.last_cp_size >= s.options.checkpoint_events ||
      now - s.last_cp_time >= s.options.checkpoint_ms) {
    MAMORI_ASSIGN_OR_RETURN(auto cp, WriteCheckpoint());
    (void)cp;
  }
  return at;
}

Result<std::optional<Checkpoint>> LogStore::WriteCheckpoint() {
  auto& s = *impl_;
  if (s.tree.size() == s.last_cp_size) return std::optional<Checkpoint>();
  Checkpoint cp;
  cp.size = s.tree.size();
  cp.root = s.tree.Root();
  cp.time = s.clock->Now();
  cp.end = s.pos;
  cp.frontier = s.tree.Frontier();
  cp.text = CheckpointText(cp.size, cp.root, cp.time, cp.end);
  cp.signature = minisign::SignMinisign(s.key, cp.text,
                                        "mamori log checkpoint size " + std::to_string(cp.size));
  std::string block = cp.text + cp.signature + "frontier " + HashesHex(cp.frontier) + "\n";
  std::string path = (fs::path(s.dir) / "checkpoints.log").string();
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0)
    return MakeError(ErrorCode::kIo, "common.file_unwritable", {path, std::strerror(errno)});
  auto st = WriteFully(fd, block, path);
  if (st.ok() && ::fdatasync(fd) != 0)
    st = MakeError(ErrorCode::kIo, "common.file_unwritable", {path, std::strerror(errno)});
  ::close(fd);
  MAMORI_RETURN_IF_ERROR(st);
  s.last_cp_size = cp.size;
  s.last_cp_time = cp.time;
  return std::optional<Checkpoint>(std::move(cp));
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
    uint64_t off = s == start.segment ? start.offset : 0;
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
      Hash leaf = EventLeaf(p.seq, p.payload);
      if (leaf != p.stored)
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
      if (p.seq >= from_seq) {
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
      out.push_back(EventLeaf(p.seq, p.payload));
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
