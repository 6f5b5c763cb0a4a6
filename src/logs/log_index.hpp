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
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "logs/event.hpp"
#include "logs/log_store.hpp"

namespace mamori::logs {

// A search's total is counted up to this many events: past it, the page says "at least" (a count
// of every match of a broad query over years of logs would read them all for each page).
inline constexpr uint64_t kSearchTotalLimit = 10000;

struct LogQuery {
  std::optional<UnixMillis> from, to;  // event time, [from, to)
  std::string source, host, user, object, action, outcome, text;
  uint64_t limit = 100;
  // Paging: the events after this one in the search's order — newest first by event time, then
  // by seq (LogIndex::Search).
  std::optional<uint64_t> before_seq;
};

// The FTS5 query that every message containing `text` matches — its trigrams joined by AND, or
// for one or two characters every token beginning with them — or nothing when the index cannot
// narrow the search: an empty text, a NUL, or bytes that are not UTF-8. The search still checks
// the text itself in each row it reads.
std::optional<std::string> TextMatch(std::string_view text);

// For a text the index names many rows for, held by `share` (0–1) of a store's `events`: whether
// the search reads the rows the other filters give, newest first, checking each message —
// about kSearchTotalLimit / share of them until the total's limit — rather than first gathering
// the set of every row the text index names, which reads the list of each of the query's
// `terms` trigrams (share × events rows or more each). 「カルテ」 (one trigram) in a fifth of 5
// million events: about 50 000 rows read, against a set of a million.
bool TextWalkIsCheaper(double share, uint64_t events, size_t terms = 1);

struct LogHit {
  uint64_t seq = 0;
  Position at;
};

// What one sender (source × host) has sent, kept as events are indexed.
struct SenderStats {
  std::string source, host;
  uint64_t events = 0;
  UnixMillis first_received = 0, last_received = 0, last_time = 0;
  std::optional<int64_t> last_skew_ms;  // event time − receive time of its last live event
};

// A source's events received since a time: how many, how many live ones had a clock off by more
// than the tolerance, and the largest offset seen.
struct WindowStats {
  uint64_t events = 0, live = 0, skewed = 0;
  int64_t max_abs_skew_ms = 0;
};

// Whether the event was received over the network (its clock can be compared with ours).
bool IsLive(const LogEvent& e);

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
  // After an expiry: removed events leave, kept events of rewritten segments get their new
  // positions, the senders' counts follow; the record's id is kept (an index that missed an
  // expiry, by a crash in between, is emptied and built again when opened).
  Status ApplyExpiry(const ExpiryOutcome& out);
  // The segments holding events the rules make due, and how many events one rule makes due.
  Result<std::vector<uint32_t>> SegmentsWithExpired(const std::vector<ExpiryRule>& rules);
  Result<uint64_t> CountDue(const ExpiryRule& rule);
  // Drops the index and builds it again from the segments.
  Result<uint64_t> Rebuild();
  [[nodiscard]] uint64_t Indexed() const;

  // A page of the events matching q, newest first by event time (then by seq, for events of one
  // millisecond), after q.before_seq when set (logs.bad_cursor when that event is not in the
  // index). Each page reads a range of one index, so that the thousandth page and the first of a
  // large store cost the same.
  Result<std::vector<LogHit>> Search(const LogQuery& q);
  // Where event `seq` is in the segments (nullopt: not in the index — expired, or never stored).
  Result<std::optional<Position>> PositionOf(uint64_t seq);
  // How many events match q (before_seq aside), counted up to at_most.
  Result<uint64_t> Count(const LogQuery& q, uint64_t at_most = UINT64_MAX);
  Result<std::vector<SenderStats>> Senders();
  Result<WindowStats> Window(const std::string& source, UnixMillis since, int64_t tolerance_ms);
  // The events with time in [from, to), oldest first, in pages of `limit` after (time, seq).
  Result<std::vector<LogHit>> Range(UnixMillis from, UnixMillis to,
                                    std::optional<std::pair<UnixMillis, uint64_t>> after,
                                    uint64_t limit, std::vector<UnixMillis>* times);

  // Whether a search for `text` goes through the text index: always, but for one or two
  // characters found in too many messages for it to help — those read the messages in the other
  // filters' range instead. The same hits either way.
  bool TextIndexNarrows(const std::string& text);

 private:
  struct Impl;
  explicit LogIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mamori::logs
