// Owners of libarchive's read and write handles (freed on every path out), shared by the
// offline bundle (tar + zstd) and OSV's per-ecosystem all.zip reader.
#pragma once

#include <archive.h>
#include <archive_entry.h>

namespace mamori::vuln {

struct ArchiveReader {
  archive* a = archive_read_new();
  ~ArchiveReader() { archive_read_free(a); }
  ArchiveReader() = default;
  ArchiveReader(const ArchiveReader&) = delete;
  ArchiveReader& operator=(const ArchiveReader&) = delete;
};

struct ArchiveWriter {
  archive* a = archive_write_new();
  ~ArchiveWriter() { archive_write_free(a); }
  ArchiveWriter() = default;
  ArchiveWriter(const ArchiveWriter&) = delete;
  ArchiveWriter& operator=(const ArchiveWriter&) = delete;
};

}  // namespace mamori::vuln
