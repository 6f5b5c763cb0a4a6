// Syslog messages as devices really send them: RFC 5424, RFC 3164 (BSD) and the common
// deviations — FortiGate and SonicWall key=value bodies, Cisco ASA/PIX/FTD/IOS "%FAC-SEV-MNEMONIC"
// messages with or without a header, Palo Alto CSV, Yamaha RTX lines, Windows events forwarded
// by evtsys/Snare — in UTF-8, CP932 (Shift_JIS) or EUC-JP, detected and converted. Hand-written:
// Debian packages no syslog parsing library (rsyslog's liblognorm needs rule bases per vendor and
// does not do RFC 5424 structured data or encodings); the grammar is small and each deviation is
// tested from the real samples in ../shared/testdata/logs/syslog.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "logs/event.hpp"

namespace mamori::logs {

struct DecodedText {
  std::string text;     // UTF-8
  std::string charset;  // "UTF-8", "CP932", "EUC-JP", or "ISO-8859-1" when nothing else fits
};
// A UTF-8 BOM is dropped; invalid UTF-8 is tried as CP932 and EUC-JP (whichever decodes, EUC-JP
// when both do and the bytes look like EUC-JP), and Latin-1 as the last resort, so that nothing
// is lost.
DecodedText DecodeText(std::string_view bytes);

struct SyslogContext {
  UnixMillis received = 0;
  // The offset of devices that send local time without a zone (RFC 3164): JST unless the log
  // source says otherwise.
  int default_offset_minutes = 9 * 60;
  std::string source;
  // false: the vendor fields (key=value and CSV bodies, header and tag fields — `fields`) are not
  // built; every normalised field still is. The receivers ask for this: the index needs no
  // `fields`, the store keeps the raw bytes, and reading the event back builds them — building
  // them at receipt was a third of the receiver's time.
  bool vendor_fields = true;
  // true: only the host is wanted (SyslogHost) — the event's other fields are left incomplete
  // and its raw bytes are not copied.
  bool host_only = false;
};

// One message (a datagram, a frame, a line of a file). Never fails: what has no header keeps the
// whole text as the message with the receive time (time_from_receipt). `is_syslog` tells whether
// a PRI or a leading timestamp was found (a line of a file without either is not a log line).
LogEvent ParseSyslog(std::string_view bytes, const SyslogContext& ctx, bool* is_syslog = nullptr);

// A syslog message as the receivers (and `logs ingest --format syslog`) take it: ParseSyslog with
// the source's clock offset, then the sender's address (fields.peer; the host when the message
// names none) and TLS subject (fields.tls_subject), and the origin kept on the event. The store
// keeps only the bytes and these (the compact record) and calls this again to read the event
// back, so nothing may change a received event's fields but its source (which is stored).
// `vendor_fields` as in SyslogContext (the receivers pass false; reading back, true).
// The origin is moved into the event (taken by value: a receiver builds one per frame).
LogEvent ReceiveSyslog(std::string_view bytes, UnixMillis received, const std::string& source,
                       SyslogOrigin origin, bool vendor_fields = true, bool* is_syslog = nullptr);

// The host ReceiveSyslog(bytes, …, origin with `peer`) gives, at a fraction of its cost: the
// header and the few vendor bodies that name a host are read, nothing else. What a receiver
// asks to find a message's registered source when the sender's address is none of theirs (a
// relay forwarding many devices).
std::string SyslogHost(std::string_view bytes, const std::string& peer);

// Syslog messages received together — the frames of one read of a connection, or one datagram —
// with their source, origin and receive time in common, their bytes one after another. What the
// receivers hand to the store: the compact records are built from the bytes as they are, and
// the index parses them afterwards (ReceiveSyslog, exactly as reading a record back does).
// Parsing at receipt was most of the receiving thread's time, and was done twice whenever the
// index was behind (it then reads the records back from the segments).
struct ReceivedBatch {
  UnixMillis received = 0;
  std::string source;
  SyslogOrigin origin;
  std::string bytes;
  std::vector<uint32_t> ends;  // frame i is bytes[ends[i-1], ends[i]) (from 0 for the first)

  [[nodiscard]] size_t size() const { return ends.size(); }
  [[nodiscard]] std::string_view Frame(size_t i) const {
    uint32_t from = i == 0 ? 0 : ends[i - 1];
    return std::string_view(bytes).substr(from, ends[i] - from);
  }
  void Add(std::string_view frame) {
    bytes.append(frame);
    ends.push_back(static_cast<uint32_t>(bytes.size()));
  }
  // The frame's stored form: what ReceiveSyslog(Frame(i), received, source, origin).Serialise()
  // is, without parsing. CompactRecordFits(source, origin) must hold (the receivers check it).
  void CompactTo(std::string& out, size_t i) const {
    AppendCompactRecord(out, received, source, origin, Frame(i));
  }
  // The frame parsed, as the index takes it (no vendor fields).
  [[nodiscard]] LogEvent Event(size_t i) const {
    return ReceiveSyslog(Frame(i), received, source, origin, /*vendor_fields=*/false);
  }
};

}  // namespace mamori::logs
