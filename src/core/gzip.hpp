// Feeds arrive gzipped (NVD yearly files, API responses saved by `feed update`, the offline
// bundle). zlib does the work; this only adds a size limit, so a small hostile file cannot make
// mamori allocate without bound, and an error that names the file.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace mamori {

// Starts with the gzip magic bytes 1f 8b.
bool IsGzip(std::string_view bytes);

// Inflates a gzip stream (several members are read one after another, as gzip(1) does).
// Errors: common.gzip_bad (file, zlib's reason), common.gzip_too_large (file, limit).
Result<std::string> Gunzip(std::string_view bytes, const std::string& file,
                           size_t limit = size_t{4} << 30);

// The bytes themselves, or inflated when they are gzip.
Result<std::string> MaybeGunzip(std::string bytes, const std::string& file);

}  // namespace mamori
