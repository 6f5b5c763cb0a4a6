// ログリスト: the registry of log sources an organisation expects — each system or device that
// should send logs, what it sends, over what, how often, how far its clock may be off and how
// long its logs are kept — and their live status computed from the log store: sources gone
// silent, clocks out of tolerance, and senders no one registered. The checklist manual asks for
// exactly this: know which logs each system produces and show that their timestamps are right.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/json_body.hpp"
#include "logs/calendar.hpp"
#include "logs/logs_service.hpp"
#include "store/tx.hpp"

namespace mamori::logs {

inline constexpr const char* kSourceKinds[] = {"syslog", "atna", "fhir", "evtx", "csv", "jsonl"};
inline constexpr const char* kTransports[] = {"udp", "tcp", "tls", "http", "file"};

struct LogSource {
  int64_t id = 0;
  std::string name;
  std::string description;
  std::string kind = "syslog";
  std::string transport = "udp";
  std::vector<std::string> hosts;  // host names, addresses or networks (CIDR) it sends from
  std::optional<int64_t> system_id, asset_id;
  int64_t expected_interval_minutes = 60;
  int64_t skew_tolerance_seconds = 300;
  int64_t retention_years = 5;
  int64_t utc_offset_minutes = 540;
  std::string csv_mapping;  // JSON (see docs/logs.md): EHR audit CSV columns
  bool active = true;
  UnixMillis created_at = 0, updated_at = 0;
  [[nodiscard]] Json ToJson() const;
};

// Reads a source from a JSON body (create or update); errors name the field.
Status ReadSource(JsonBody& body, LogSource& s);

// Which registered source an event belongs to: by the address it came from (the receiver's peer)
// or the host it names, against each source's hosts (exact names, case-insensitive; addresses;
// networks in CIDR).
class SourceMatcher {
 public:
  explicit SourceMatcher(std::vector<LogSource> sources);
  [[nodiscard]] const LogSource* Match(const std::string& peer, const std::string& host) const;

 private:
  // A source's host as a network, read once here: a relay's every message is matched by its
  // host, and parsing each pattern again per message was most of the receiving thread's time
  // then. (The host is also compared as a name, without case.)
  struct Network {
    bool valid = false;                    // the host is an address or a network
    std::array<unsigned char, 16> base{};  // IPv4 as ::ffff:a.b.c.d
    int bits = 128;
  };
  std::vector<LogSource> sources_;
  std::vector<std::vector<Network>> networks_;  // per source, one per host, in order
};

// The retention rules of the registered sources at `now`.
std::vector<ExpiryRule> RetentionRules(const std::vector<LogSource>& sources, UnixMillis now);

// Whether an address is inside a network ("10.1.0.0/16", "2001:db8::/32") or equal to an address.
bool AddressIn(const std::string& address, const std::string& network);

struct SourceStatus {
  LogSource source;
  std::string state;  // ok | silent | skew | never (nothing received yet) | inactive
  uint64_t events_total = 0;
  uint64_t events_24h = 0;
  std::optional<UnixMillis> last_received;
  std::optional<int64_t> last_skew_ms;  // the last live event's time − its receive time
  uint64_t skewed_24h = 0;              // live events beyond the tolerance in the last 24 h
  int64_t max_abs_skew_24h_ms = 0;
  std::vector<std::string> hosts_seen;
  [[nodiscard]] Json ToJson() const;
};

struct UnregisteredSender {
  std::string source, host;
  uint64_t events = 0;
  UnixMillis last_received = 0;
};

struct SourcesReport {
  std::vector<SourceStatus> sources;
  std::vector<UnregisteredSender> unregistered;
  UnixMillis computed_at = 0;
  [[nodiscard]] Json ToJson() const;
  [[nodiscard]] bool Alerting() const;  // a source silent or skewed
};

class LogSourcesService {
 public:
  explicit LogSourcesService(store::Database& db) : db_(db) {}

  Result<std::vector<LogSource>> List(const store::Actor& actor);
  Result<LogSource> Add(const store::Actor& actor, const LogSource& s);
  Result<LogSource> Update(const store::Actor& actor, const std::string& name, JsonBody& body);
  Status Remove(const store::Actor& actor, const std::string& name);

  // The registry with each source's status from the store (silent, skew, volumes) and senders
  // seen that match no registered source.
  Result<SourcesReport> Report(const store::Actor& actor, LogsService& logs, UnixMillis now);

  // Retention: each registered source's events received before JST midnight `retention_years`
  // years ago are removed from the store (LogsService::Expire) and the run is audited; sources
  // not registered keep everything. `dry_run` counts only.
  Result<ExpiryReport> Expire(const store::Actor& actor, LogsService& logs, UnixMillis now,
                              bool dry_run);

  // The organisation's working calendar (the review's working hours).
  Result<WorkCalendar> Calendar(const store::Actor& actor);
  Status SetCalendar(const store::Actor& actor, const WorkCalendar& c);

 private:
  store::Database& db_;
};

}  // namespace mamori::logs
