// The stored form of an event is written directly (LogEvent::Serialise) for speed; it must be
// byte for byte what dumping the event as a JSON object gives, since leaf hashes, exports and
// auditors' tools read those bytes. Compared on every event of every real sample (syslog
// devices, IHE ATNA, FHIR AuditEvent, Windows EVTX) and on crafted edge cases.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "logs/atna.hpp"
#include "logs/event.hpp"
#include "logs/evtx.hpp"
#include "logs/fhir.hpp"
#include "logs/log_index.hpp"
#include "logs/syslog.hpp"

namespace mamori::logs {
namespace {

namespace fs = std::filesystem;

std::string Shared() {
  const char* s = std::getenv("MAMORI_SHARED_DIR");
  return std::string(s != nullptr ? s : "../shared") + "/testdata/logs";
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {(std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()};
}

TEST(EventSerialise, EqualsTheJsonDumpOnEveryRealSample) {
  SyslogContext ctx;
  ctx.received = 1764547200123;
  ctx.source = "サンプル";
  size_t events = 0;
  auto check = [&](LogEvent e, const std::string& where) {
    e.seq = events++;
    ASSERT_EQ(e.Serialise(), SerialiseThroughJson(e)) << where;
  };
  for (const auto& f : fs::recursive_directory_iterator(Shared())) {
    if (!f.is_regular_file()) continue;
    std::string path = f.path().string(), ext = f.path().extension().string();
    std::string dir = f.path().parent_path().string();
    if (ext == ".evtx") {
      auto r = ReadEvtx(path, ctx);
      if (!r.ok()) continue;  // damaged samples are the EVTX tests' business
      for (auto& e : r->events) check(std::move(e), path);
    } else if (dir.find("/atna") != std::string::npos && ext == ".xml") {
      auto r = ParseAtna(ReadFile(f.path()), ctx, path);
      if (r.ok())
        for (auto& e : *r) check(std::move(e), path);
    } else if (dir.find("/fhir") != std::string::npos && (ext == ".json" || ext == ".xml")) {
      auto r = ParseFhirAuditEvents(ReadFile(f.path()), ctx, path);
      if (r.ok())
        for (auto& e : *r) check(std::move(e), path);
    } else if (dir.find("/syslog") != std::string::npos) {
      std::istringstream in(ReadFile(f.path()));
      std::string line;
      while (std::getline(in, line)) {
        std::string where = path;
        where.append(": ").append(line);
        check(ParseSyslog(line, ctx), where);
      }
    }
  }
  EXPECT_GT(events, 3000u);
}

TEST(EventSerialise, EqualsTheJsonDumpOnEdgeCases) {
  LogEvent e;
  e.message = std::string("quote \" backslash \\ \b\f\n\r\t nul ") + '\0' + " \x01\x1f\x7f end";
  e.raw = "\xff\xfe not UTF-8";  // raw_b64
  e.user = "利用者";
  e.offset_minutes = -300;
  e.time_from_receipt = true;
  e.facility = 0;
  e.severity = 7;
  e.outcome = Outcome::kFailure;
  e.fields = {{"peer", "192.0.2.1"}, {"n", 3}, {"list", {1, "二"}}};
  EXPECT_EQ(e.Serialise(), SerialiseThroughJson(e));
  // An invalid byte outside raw (a parser's slip) is replaced as the JSON writer would.
  e.host = "bad\xc3";
  EXPECT_EQ(e.Serialise(), SerialiseThroughJson(e));
  LogEvent empty;
  EXPECT_EQ(empty.Serialise(), SerialiseThroughJson(empty));
  auto back = LogEvent::Deserialise(e.Serialise());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->message, e.message);
  EXPECT_EQ(back->raw, e.raw);
}

// A received syslog message is stored as the compact record (its bytes, receive time, source and
// origin) and read back by parsing the bytes again: what is read back must be the event the
// receiver indexed, field for field, for every real line — with a peer, a TLS subject, a
// source's clock offset, a source named after parsing (by the host the message names), bytes in
// CP932 and bytes that are no text at all. The receivers leave the vendor fields out (the index
// needs none): everything else must be the same without them.
TEST(EventSerialise, CompactSyslogRecordsReadBackAsReceivedOnEveryRealLine) {
  std::vector<std::string> lines;
  for (const auto& f : fs::recursive_directory_iterator(Shared() + "/syslog")) {
    if (!f.is_regular_file()) continue;
    std::istringstream in(ReadFile(f.path()));
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
  }
  lines.push_back("<134>Dec  1 10:00:00 rtx \x83\x65\x83\x58\x83\x67 filter");  // CP932
  lines.push_back(std::string("\xff\x00\xfe\n", 4));
  // IHE ATNA inside RFC 5424 (its own fields kept in either case), and a broken one.
  std::string xml = ReadFile(Shared() + "/atna/dicom-audit-xml/ipf/audit-message-iti55.xml");
  ASSERT_FALSE(xml.empty());
  lines.push_back("<85>1 2026-11-20T10:00:00+09:00 pacs ATNA - IHE+RFC-3881 - " + xml);
  lines.push_back("<85>1 2026-11-20T10:00:00+09:00 pacs ATNA - IHE+RFC-3881 - <?xml version");
  lines.push_back("");
  ASSERT_GT(lines.size(), 1000u);
  const SyslogOrigin origins[] = {
      {540, "192.0.2.7", ""}, {-300, "[2001:db8::1]:514", "/CN=modality 1/O=病院"}, {0, "", ""}};
  size_t n = 0;
  for (const auto& line : lines) {
    const auto& origin = origins[n % 3];
    UnixMillis received = 1764547200123 + static_cast<int64_t>(n);
    LogEvent e = ReceiveSyslog(line, received, "機器ログ", origin);
    // As the receivers take it: the same but for the vendor fields, which reading back builds.
    LogEvent light = ReceiveSyslog(line, received, "機器ログ", origin, /*vendor_fields=*/false);
    if (n % 5 == 0) e.source = light.source = "ホスト名で見つけた源";
    e.seq = light.seq = ++n;
    std::string stored = light.Serialise();
    ASSERT_TRUE(IsCompactRecord(stored)) << line;
    ASSERT_EQ(e.Serialise(), stored) << line;
    EXPECT_LT(stored.size(), line.size() + 64 + origin.peer.size() + origin.tls_subject.size());
    auto back = LogEvent::Deserialise(stored);
    ASSERT_TRUE(back.ok()) << line;
    back->seq = e.seq;
    ASSERT_EQ(SerialiseThroughJson(*back), SerialiseThroughJson(e)) << line;
    ASSERT_EQ(back->origin, e.origin) << line;
    ASSERT_EQ(back->Serialise(), stored) << line;
    if (e.format != "atna") {
      ASSERT_TRUE(light.fields.empty()) << line;
    }
    const std::string as_indexed = SerialiseThroughJson(light);
    light.fields = e.fields;
    ASSERT_EQ(SerialiseThroughJson(light), SerialiseThroughJson(e)) << line;
    ASSERT_EQ(IsLive(light), IsLive(e)) << line;
    // The receivers store the bytes without parsing them (ReceivedBatch), and the index parses
    // them afterwards: the same record, the same event.
    ReceivedBatch batch;
    batch.received = received;
    batch.source = light.source;
    batch.origin = origin;
    batch.Add("<13>Dec  1 10:00:00 before: another frame in the same batch");
    batch.Add(line);
    std::string compact;
    batch.CompactTo(compact, 1);
    ASSERT_EQ(compact, stored) << line;
    LogEvent parsed = batch.Event(1);
    parsed.seq = light.seq;
    ASSERT_EQ(SerialiseThroughJson(parsed), as_indexed) << line;
  }
}

TEST(EventSerialise, ACompactRecordCutShortOrOverlongIsRefusedNotGuessed) {
  LogEvent e = ReceiveSyslog("<13>Dec  1 10:00:00 host app: hello", 1764547200123, "s",
                             {540, "192.0.2.7", "/CN=x"});
  std::string stored = e.Serialise();
  ASSERT_TRUE(IsCompactRecord(stored));
  // Every cut inside the header (received, offset, three lengths and their strings) is refused.
  size_t header = stored.size() - e.raw.size();
  for (size_t cut = 1; cut < header; ++cut)
    EXPECT_FALSE(LogEvent::Deserialise(std::string_view(stored).substr(0, cut)).ok()) << cut;
  // A length running past the end.
  std::string overlong = stored;
  overlong[11] = '\xff';
  overlong[12] = '\xff';
  EXPECT_FALSE(LogEvent::Deserialise(overlong).ok());
  // A source too long for the record: the JSON form instead, nothing lost.
  e.source.assign(70000, 's');
  std::string json = e.Serialise();
  EXPECT_FALSE(IsCompactRecord(json));
  auto back = LogEvent::Deserialise(json);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->source, e.source);
  EXPECT_EQ(back->raw, e.raw);
}

}  // namespace
}  // namespace mamori::logs
