#include "logs/segment_format.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/crypto.hpp"

namespace mamori::logs::segfmt {

namespace fs = std::filesystem;

namespace {
void PutLe(char* at, uint64_t v, size_t n) {
  for (size_t i = 0; i < n; ++i) at[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
}  // namespace

std::string Le32(uint32_t v) {
  std::string s(4, '\0');
  PutLe(s.data(), v, 4);
  return s;
}
std::string Le64(uint64_t v) {
  std::string s(8, '\0');
  PutLe(s.data(), v, 8);
  return s;
}
void AppendLe(std::string& out, uint64_t v, size_t n) {
  // One append, not one per byte (five numbers per received message).
  char le[8];
  n = std::min<size_t>(n, sizeof le);
  PutLe(le, v, n);
  out.append(le, n);
}
uint64_t ReadLe(std::string_view s, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v |= uint64_t{static_cast<unsigned char>(s[i])} << (8 * i);
  return v;
}

Hash EventLeaf(uint64_t seq, std::string_view payload) {
  char le[8];
  PutLe(le, seq, 8);
  return LeafHash(std::string_view(le, 8), payload);
}

size_t BeginFrame(std::string& buf) {
  size_t start = buf.size();
  buf.append(kMagic);
  buf.append(12, '\0');  // length and seq, once the payload is written
  return start;
}

Result<Hash> EndFrame(std::string& buf, size_t start, uint64_t seq) {
  size_t len = buf.size() - start - kHeader;
  if (len > kMaxPayload) {
    buf.resize(start);
    return MakeError(ErrorCode::kTooLarge, "logs.event_too_large", {std::to_string(len)});
  }
  PutLe(buf.data() + start + 4, len, 4);
  PutLe(buf.data() + start + 8, seq, 8);
  // The leaf covers the seq and the payload: the 8 bytes before the payload in the frame.
  Hash leaf = LeafHash(std::string_view(buf).substr(start + 8, 8 + len));
  buf += leaf;
  return leaf;
}

std::string TombstoneFrame(uint32_t expiry_id, uint64_t seq, std::string_view leaf) {
  std::string f;
  f.reserve(kTombLen);
  f.append(kTombMagic);
  f += Le32(expiry_id);
  f += Le64(seq);
  f += leaf;
  return f;
}

Parsed ParseAt(std::string_view seg, uint64_t off) {
  Parsed p;
  if (off >= seg.size()) return p;
  size_t left = seg.size() - off;
  if (left < kHeader) {
    size_t n = std::min<size_t>(4, left);
    p.kind =
        seg.substr(off, n) == kMagic.substr(0, n) || seg.substr(off, n) == kTombMagic.substr(0, n)
            ? Parsed::kTruncated
            : Parsed::kBadMagic;
    return p;
  }
  std::string_view magic = seg.substr(off, 4);
  if (magic == kTombMagic) {
    if (left < kTombLen) {
      p.kind = Parsed::kTruncated;
      return p;
    }
    p.kind = Parsed::kOk;
    p.tombstone = true;
    p.expiry_id = static_cast<uint32_t>(ReadLe(seg.substr(off + 4, 4), 4));
    p.seq = ReadLe(seg.substr(off + 8, 8), 8);
    p.stored = seg.substr(off + kHeader, kHashLen);
    p.next = off + kTombLen;
    return p;
  }
  if (magic != kMagic) {
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

uint64_t Resync(std::string_view seg, uint64_t from) {
  for (size_t at = seg.find("ML", from); at != std::string_view::npos;
       at = seg.find("ML", at + 1)) {
    Parsed p = ParseAt(seg, at);
    if (p.kind != Parsed::kOk) continue;
    if (!p.tombstone) {
      if (EventLeaf(p.seq, p.payload) == p.stored) return at;
      continue;
    }
    // A tombstone carries no payload to check: it counts when the record after it is whole
    // too (or the segment ends there).
    Parsed after = ParseAt(seg, p.next);
    if (after.kind == Parsed::kEnd || after.kind == Parsed::kOk) return at;
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

Result<Mapped> Mapped::Open(const std::string& path) {
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

Mapped::~Mapped() {
  if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
}

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

namespace {

Status WriteAndSync(const std::string& path, int flags, int mode, std::string_view bytes) {
  int fd = ::open(path.c_str(), flags | O_WRONLY | O_CREAT | O_CLOEXEC, mode);
  if (fd < 0)
    return MakeError(ErrorCode::kIo, "common.file_unwritable", {path, std::strerror(errno)});
  auto st = WriteFully(fd, bytes, path);
  if (st.ok() && ::fdatasync(fd) != 0)
    st = MakeError(ErrorCode::kIo, "common.file_unwritable", {path, std::strerror(errno)});
  ::close(fd);
  return st;
}

}  // namespace

Status WriteFileDurably(const std::string& path, std::string_view bytes, int mode) {
  return WriteAndSync(path, O_TRUNC, mode, bytes);
}

Status AppendDurably(const std::string& path, std::string_view bytes) {
  return WriteAndSync(path, O_APPEND, 0640, bytes);
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

}  // namespace mamori::logs::segfmt
