// Retention of the log store (internal to src/logs): expiry records, segment rewriting and the
// recovery of an interrupted expiry. The public types are in log_store.hpp; the format is
// docs/formats/logstore.md ("Expiry").
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/minisign.hpp"
#include "logs/log_store.hpp"

namespace mamori::logs::expiry {

struct ExpiryFile {
  std::vector<ExpiryRecord> records;  // parsed; signatures not checked yet
  std::vector<size_t> bad;            // blocks that are not expiry records (1-based)
  size_t complete_bytes = 0, total_bytes = 0;
};
Result<ExpiryFile> LoadExpiryFile(const std::string& dir);
std::string ExpiryPath(const std::string& dir);

// The signed text of a record from its fields.
std::string ExpiryText(const ExpiryRecord& r);
// Whether the record's signature holds under `key`.
bool SignatureHolds(const ExpiryRecord& r, const minisign::PublicKey& key);

// One segment with the events due replaced by tombstones of expiry `id`.
struct Rewrite {
  uint32_t segment = 0;
  std::string bytes;
  std::vector<std::pair<uint64_t, Hash>> tombstones;  // (seq, leaf) of the events removed
  std::vector<std::pair<uint64_t, uint64_t>> moved;   // (seq, new offset) of those kept
};
// nullopt-like: a Rewrite without tombstones when nothing in the segment is due. `stats`
// accumulates per source what is removed.
Result<Rewrite> RewriteSegment(const std::string& dir, uint32_t segment,
                               const std::vector<ExpiryRule>& rules, uint32_t id,
                               std::map<std::string, ExpiredSource>& stats);
// Where a rewritten segment waits for its record: `segments/NNNNNNNN.seg.x<id>`.
std::string PendingPath(const std::string& dir, uint32_t segment, uint32_t id);
// At Open: a rewritten segment whose record was written replaces the old one; one whose record
// was not (a crash before the commit point) is removed.
Status RecoverExpiry(const std::string& dir, const minisign::PublicKey& key,
                     std::vector<std::string>* notes);

}  // namespace mamori::logs::expiry
