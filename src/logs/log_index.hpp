// The search index of the log store: derived data only, in SQLite (`index.db` inside the log
// directory), rebuilt from the segments at any time. It holds the normalised fields of each
// event and its position in the segments; the events themselves (with their raw bytes) are read
// from the segments. This is the logs capability's repository: its SQL lives here. It uses
// SQLite directly rather than the store interface because it is a file of the log directory, not
// the organisation's database (PostgreSQL or SQLite), and must travel with the segments.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "logs/event.hpp"
#include "logs/log_store.hpp"

namespace mamori::logs {

struct LogQuery {
  std::optional<UnixMillis> from, to;  // event time, [from, to)
  std::string source, host, user, object, action, outcome, text;
  uint64_t limit = 100;
  std::optional<uint64_t> before_seq;  // paging: events older than this one (newest first)
};

struct LogHit {
  uint64_t seq = 0;
  Position at;
};

class LogIndex {
 public:
  // Opens (creating) the index of the store in dir.
  static Result<std::unique_ptr<LogIndex>> Open(const std::string& dir);
  ~LogIndex();
  LogIndex(const LogIndex&) = delete;
  LogIndex& operator=(const LogIndex&) = delete;

  Status Add(const std::vector<LogEvent>& events, const std::vector<Position>& at);
  // Events of the store not in the index yet (a writer that stopped between append and index,
  // or an index deleted): indexed from the segments.
  Result<uint64_t> CatchUp();
  // Drops the index and builds it again from the segments.
  Result<uint64_t> Rebuild();
  [[nodiscard]] uint64_t Indexed() const;

  Result<std::vector<LogHit>> Search(const LogQuery& q);
  Result<uint64_t> Count(const LogQuery& q);

 private:
  struct Impl;
  explicit LogIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mamori::logs
