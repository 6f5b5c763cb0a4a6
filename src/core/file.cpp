#include "core/file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace mamori {

Result<std::string> ReadFile(const std::string& path) {
  auto fail = [&] { return MakeError(ErrorCode::kIo, "import.cannot_read", {path}, path); };
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail();
  struct stat st {};
  std::string out;
  if (::fstat(fd, &st) == 0 && st.st_size > 0) out.resize(static_cast<size_t>(st.st_size));
  size_t got = 0;
  bool failed = false;
  for (;;) {
    if (got == out.size()) out.resize(out.size() + (1 << 20));  // grew since fstat, or a pipe
    ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) failed = true;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  if (failed) return fail();
  out.resize(got);
  return out;
}

}  // namespace mamori
