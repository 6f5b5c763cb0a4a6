// Reading a whole file: read(2) into one buffer sized by fstat. Every reader of whole files
// (the log store's segments, keys and checkpoints; the CLI's imports; feed bundles) uses it —
// std::istreambuf_iterator copies a byte at a time and grows the string by doubling, and was a
// third of `logs verify` and of `vuln load` before.
#pragma once

#include <string>

#include "core/result.hpp"

namespace mamori {

// The file's bytes; a file that grows while it is read is read to its end. Errors
// (import.cannot_read, kIo) name the path: cannot open, or a read that failed.
Result<std::string> ReadFile(const std::string& path);

}  // namespace mamori
