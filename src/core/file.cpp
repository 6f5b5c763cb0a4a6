#include "core/file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>

namespace mamori {

namespace {

Error CannotRead(const std::string& path) {
  return MakeError(ErrorCode::kIo, "import.cannot_read", {path}, path);
}

}  // namespace

Result<FileReader> FileReader::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return CannotRead(path);
  return FileReader(fd, path);
}

FileReader::FileReader(FileReader&& o) noexcept : fd_(o.fd_), path_(std::move(o.path_)) {
  o.fd_ = -1;
}

FileReader::~FileReader() {
  if (fd_ >= 0) ::close(fd_);
}

Status FileReader::ReadMore(std::string& buf, size_t n) {
  size_t old = buf.size();
  buf.resize(old + n);
  size_t got = 0;
  while (got < n) {
    ssize_t k = ::read(fd_, buf.data() + old + got, n - got);
    if (k < 0 && errno == EINTR) continue;
    if (k < 0) {
      buf.resize(old + got);
      return CannotRead(path_);
    }
    if (k == 0) break;
    got += static_cast<size_t>(k);
  }
  buf.resize(old + got);
  return Ok();
}

Status FileReader::ReadRest(std::string& buf) {
  // Sized by fstat, so that a whole file is one read into one buffer.
  struct stat st {};
  off_t at = ::lseek(fd_, 0, SEEK_CUR);
  size_t want = ::fstat(fd_, &st) == 0 && at >= 0 && st.st_size > at
                    ? static_cast<size_t>(st.st_size - at)
                    : 0;
  if (want > 0) {
    size_t before = buf.size();
    MAMORI_RETURN_IF_ERROR(ReadMore(buf, want));
    if (buf.size() - before < want) return Ok();  // shorter than it was: the end
  }
  // A file that grew while it was read, or a pipe: whatever more there is, through a small
  // buffer — growing the whole buffer first to look for it copied every file once more (and
  // faulted in twice its size) only to find nothing.
  std::array<char, size_t{64} * 1024> more{};
  for (;;) {
    ssize_t k = ::read(fd_, more.data(), more.size());
    if (k < 0 && errno == EINTR) continue;
    if (k < 0) return CannotRead(path_);
    if (k == 0) return Ok();
    buf.append(more.data(), static_cast<size_t>(k));
  }
}

Result<std::string> ReadFile(const std::string& path) {
  MAMORI_ASSIGN_OR_RETURN(auto reader, FileReader::Open(path));
  std::string out;
  MAMORI_RETURN_IF_ERROR(reader.ReadRest(out));
  return out;
}

}  // namespace mamori
