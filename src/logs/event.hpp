// One event model for every log mamori receives (syslog from devices, IHE ATNA audit messages,
// FHIR AuditEvent, Windows EVTX, EHR audit CSV, JSON lines): when, who, what, on which object,
// with which outcome, from where — and the raw bytes as they arrived, kept beside the
// normalised fields so that nothing a reviewer might need is lost in the mapping.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/time.hpp"

namespace mamori::logs {

using Json = nlohmann::json;

enum class Outcome { kUnknown, kSuccess, kFailure };
const char* OutcomeName(Outcome o);

// Where a syslog message came from, beside its bytes, its receive time and its source: all that
// reading it again needs. An event that carries one is stored as the compact record (these and
// the raw bytes, no JSON) and read back by parsing its bytes again (ReceiveSyslog in syslog.hpp).
inline constexpr int kJstOffsetMinutes = 9 * 60;
struct SyslogOrigin {
  int offset_minutes = kJstOffsetMinutes;  // the clock offset assumed for a time without a zone
  std::string peer;                        // the sender's address (empty: a file)
  std::string tls_subject;  // its client certificate's subject (TLS with client certificates)
  bool operator==(const SyslogOrigin&) const = default;
};

struct LogEvent {
  uint64_t seq = 0;                   // position in the store (from 0), assigned when appended
  UnixMillis time = 0;                // event time, UTC
  std::optional<int> offset_minutes;  // the offset the event's own timestamp carried
  bool time_from_receipt = false;     // the message had no usable time: `time` = received
  UnixMillis received = 0;
  std::string source;   // the registered log source (ログリスト) it came from
  std::string format;   // rfc5424, rfc3164, fortigate, cisco, paloalto, yamaha, atna, fhir, evtx,
                        // csv, jsonl
  std::string charset;  // the encoding the bytes were in (UTF-8, CP932, EUC-JP)
  std::string host;
  std::string app;
  int facility = -1;
  int severity = -1;
  std::string user;
  std::string action;
  std::string object;  // patient ID, record, file…
  Outcome outcome = Outcome::kUnknown;
  std::string src_ip;
  std::string message;           // the human-readable text, UTF-8
  Json fields = Json::object();  // structured data, key=value pairs, vendor fields
  std::string raw;               // the bytes as received
  // Set by ReceiveSyslog: the event is what parsing `raw` with it gives (its `fields` perhaps
  // left for reading back — see there), and is stored as such.
  std::optional<SyslogOrigin> origin;

  // The stored form. A syslog event with its origin: the compact record —
  //   0x01 ‖ received (i64 LE) ‖ offset minutes (i16 LE) ‖ source, peer, TLS subject (each a
  //   u16 LE length and the bytes) ‖ the raw bytes
  // (its normalised fields are read again from the raw bytes; a record whose strings do not fit
  // takes the JSON form). Any other event: a JSON object with sorted keys (nlohmann's default),
  // the raw bytes as text when they are UTF-8 and as base64 ("raw_b64") otherwise.
  [[nodiscard]] std::string Serialise() const;
  // The same, appended to `out` (the store writes a batch's frames into one buffer).
  void SerialiseTo(std::string& out) const;
  // Either form. A compact record carries no sequence number (the frame does): seq is 0.
  static Result<LogEvent> Deserialise(std::string_view payload);
  [[nodiscard]] Json ToJson() const;  // for output: times in JST as well
};

// Whether a stored payload is a compact syslog record (else it is JSON text).
inline bool IsCompactRecord(std::string_view payload) {
  return !payload.empty() && payload[0] == '\x01';
}

// The compact record of a syslog message (see LogEvent::Serialise) appended to out, from what it
// holds: the receivers build it from the received bytes without parsing them. Only when
// CompactRecordFits (else the event takes the JSON form).
bool CompactRecordFits(const std::string& source, const SyslogOrigin& origin);
void AppendCompactRecord(std::string& out, UnixMillis received, const std::string& source,
                         const SyslogOrigin& origin, std::string_view raw);

// The stored form built as a JSON object and dumped: what Serialise must equal for an event
// without an origin (for tests).
std::string SerialiseThroughJson(const LogEvent& e);

}  // namespace mamori::logs
