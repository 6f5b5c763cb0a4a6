// The stored form of an event is written directly (LogEvent::Serialise) for speed; it must be
// byte for byte what dumping the event as a JSON object gives, since leaf hashes, exports and
// auditors' tools read those bytes. Compared on every event of every real sample (syslog
// devices, IHE ATNA, FHIR AuditEvent, Windows EVTX) and on crafted edge cases.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "logs/atna.hpp"
#include "logs/event.hpp"
#include "logs/evtx.hpp"
#include "logs/fhir.hpp"
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
      while (std::getline(in, line)) check(ParseSyslog(line, ctx), path + ": " + line);
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

}  // namespace
}  // namespace mamori::logs
