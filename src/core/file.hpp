// Reading a whole file: read(2) into one buffer sized by fstat. Every reader of whole files
// (the log store's segments, keys and checkpoints; the CLI's imports; feed bundles) uses it —
// std::istreambuf_iterator copies a byte at a time and grows the string by doubling, and was a
// third of `logs verify` and of `vuln load` before.
#pragma once

#include <string>
#include <utility>

#include "core/result.hpp"

namespace mamori {

// The file's bytes; a file that grows while it is read is read to its end. Errors
// (import.cannot_read, kIo) name the path: cannot open, or a read that failed.
Result<std::string> ReadFile(const std::string& path);

// A file read in pieces (a large file of lines, a chunk at a time), with read(2) into the
// caller's buffer. Errors as ReadFile's.
class FileReader {
 public:
  static Result<FileReader> Open(const std::string& path);
  FileReader(FileReader&& o) noexcept;
  FileReader& operator=(FileReader&&) = delete;
  FileReader(const FileReader&) = delete;
  ~FileReader();
  // Up to n more bytes appended to buf: fewer only at the end of the file.
  Status ReadMore(std::string& buf, size_t n);
  // The rest of the file appended to buf.
  Status ReadRest(std::string& buf);

 private:
  FileReader(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
};

}  // namespace mamori
