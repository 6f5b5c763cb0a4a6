// The log-source registry's address matching and the review's event classifier (rules as data).
#include <gtest/gtest.h>

#include "logs/csv_audit.hpp"
#include "logs/review.hpp"
#include "logs/sources.hpp"

namespace mamori::logs {
namespace {

TEST(LogSources, AddressesAndNetworks) {
  EXPECT_TRUE(AddressIn("10.1.2.3", "10.1.2.3"));
  EXPECT_TRUE(AddressIn("10.1.2.3", "10.1.0.0/16"));
  EXPECT_FALSE(AddressIn("10.2.2.3", "10.1.0.0/16"));
  EXPECT_TRUE(AddressIn("198.51.100.255", "198.51.100.0/24"));
  EXPECT_TRUE(AddressIn("203.0.113.9", "0.0.0.0/0"));
  EXPECT_TRUE(AddressIn("2001:db8::1", "2001:db8::/32"));
  EXPECT_FALSE(AddressIn("2001:db9::1", "2001:db8::/32"));
  EXPECT_FALSE(AddressIn("10.1.2.3", "10.1.0.0/33"));
  EXPECT_FALSE(AddressIn("10.1.2.3", "10.1.0.0/x"));
  EXPECT_FALSE(AddressIn("emr-db01", "10.0.0.0/8"));
}

TEST(LogSources, MatcherByPeerThenHostIgnoringCaseAndInactive) {
  LogSource fw;
  fw.name = "ward-fw";
  fw.hosts = {"10.10.1.0/24"};
  LogSource emr;
  emr.name = "emr";
  emr.hosts = {"EMR-DB01"};
  LogSource off;
  off.name = "old";
  off.hosts = {"10.99.0.1"};
  off.active = false;
  SourceMatcher m({fw, emr, off});
  ASSERT_NE(m.Match("10.10.1.7", ""), nullptr);
  EXPECT_EQ(m.Match("10.10.1.7", "")->name, "ward-fw");
  ASSERT_NE(m.Match("", "emr-db01"), nullptr);
  EXPECT_EQ(m.Match("", "emr-db01")->name, "emr");
  EXPECT_EQ(m.Match("10.99.0.1", ""), nullptr);
  EXPECT_EQ(m.Match("192.0.2.1", "unknown"), nullptr);
  // A host that is an address inside a source's network; IPv6; patterns that are no network
  // (a bad prefix, a name) are compared as names only; the first source in order wins.
  LogSource v6;
  v6.name = "v6";
  v6.hosts = {"2001:DB8:1::/48", "10.20.0.0/33", "Core-SW"};
  LogSource wide;
  wide.name = "wide";
  wide.hosts = {"10.0.0.0/8"};
  SourceMatcher n({fw, v6, wide});
  EXPECT_EQ(n.Match("", "10.10.1.200")->name, "ward-fw");
  EXPECT_EQ(n.Match("", "10.10.2.1")->name, "wide");
  EXPECT_EQ(n.Match("2001:db8:1:ff::9", "")->name, "v6");
  EXPECT_EQ(n.Match("", "2001:db8:2::1"), nullptr);
  EXPECT_EQ(n.Match("", "10.20.0.0/33")->name, "v6");
  EXPECT_EQ(n.Match("", "core-sw")->name, "v6");
  EXPECT_EQ(n.Match("not-an-address", ""), nullptr);
  EXPECT_EQ(n.Match("192.0.2.9", "CORE-SW")->name, "v6");
}

TEST(ReviewRules, BuiltinRulesClassifyEvents) {
  const auto& c = EventClassifier::Builtin();
  LogEvent e;
  e.format = "evtx";
  e.action = "logon";
  e.fields = {{"event_id", 4624}, {"logon_type", "10"}};
  EXPECT_EQ(c.Categories(e), (std::set<std::string>{"logon", "remote"}));
  e.user = "NT AUTHORITY\\SYSTEM";
  e.fields["logon_type"] = "5";
  EXPECT_EQ(c.Categories(e), (std::set<std::string>{"logon", "service_account"}));
  LogEvent w;  // a Windows event forwarded as syslog
  w.format = "windows";
  w.action = "1102";
  w.fields = {{"event_id", "1102"}};
  EXPECT_EQ(c.Categories(w), (std::set<std::string>{"log_cleared"}));
  LogEvent asa;
  asa.format = "cisco";
  asa.action = "ASA-5-111008";
  EXPECT_EQ(c.Categories(asa), (std::set<std::string>{"admin"}));
  LogEvent plain;
  plain.format = "rfc5424";
  plain.action = "view";
  EXPECT_TRUE(c.Categories(plain).empty());
}

TEST(ReviewRules, BadRulesNameTheRuleAndTheField) {
  auto r = EventClassifier::FromYaml("- category: logon\n  actons: [x]\n", "my.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().Message(Lang::kEn).find("my.yaml [0]: actons"), std::string::npos)
      << r.error().Message(Lang::kEn);
  r = EventClassifier::FromYaml("- category: logon\n- category: nonsense\n", "my.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().Message(Lang::kEn).find("[1]: category"), std::string::npos);
  r = EventClassifier::FromYaml("- category: logon\n  event_ids: [abc]\n", "my.yaml");
  ASSERT_FALSE(r.ok());
  r = EventClassifier::FromYaml("[unclosed", "my.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().Message(Lang::kEn).find("line 1"), std::string::npos);
}

}  // namespace
}  // namespace mamori::logs

namespace mamori::logs {
namespace {

TEST(CsvAudit, LocalTimesAsEhrsWriteThem) {
  auto jst = [](const char* s) { return FormatJst(*ParseLocalTime(s, 540)); };
  EXPECT_EQ(jst("2026/11/30 9:05:07"), "2026-11-30T09:05:07+09:00");
  EXPECT_EQ(jst("2026-11-30 09:05"), "2026-11-30T09:05:00+09:00");
  EXPECT_EQ(jst("２０２６／１１／３０ ０９：０５"), "2026-11-30T09:05:00+09:00");  // full width
  EXPECT_EQ(jst("令和8年11月30日 23:10:00"), "2026-11-30T23:10:00+09:00");
  EXPECT_EQ(jst("2026-11-30T00:05:07Z"), "2026-11-30T09:05:07+09:00");
  EXPECT_EQ(jst("2026/11/30"), "2026-11-30T00:00:00+09:00");
  // A device keeping UTC: its local 00:05 is 09:05 in Japan.
  EXPECT_EQ(FormatJst(*ParseLocalTime("2026/11/30 00:05", 0)), "2026-11-30T09:05:00+09:00");
  EXPECT_FALSE(ParseLocalTime("2026/11/31 9:00", 540));
  EXPECT_FALSE(ParseLocalTime("2026/11/30 25:00", 540));
  EXPECT_FALSE(ParseLocalTime("昨日", 540));
  EXPECT_FALSE(ParseLocalTime("", 540));
}

TEST(CsvAudit, HeaderFoundBelowATitleAndRowsRefusedAlone) {
  SyslogContext ctx;
  ctx.received = *ParseTime("2026-12-01T10:00:00+09:00");
  ctx.source = "EHR";
  std::string csv =
      "電子カルテ 操作ログ,,,,\n操作日時,利用者ID,患者ID,操作,結果,端末区分\n"
      "2026/11/30 9:05,dr.sato,P0001,カルテ参照,成功,外来\n"
      "2026/13/01 9:05,dr.sato,P0001,カルテ参照,成功,外来\n"
      ",,,,,\n"
      "2026/11/30 9:06,ns.ito,P0002,処方入力,失敗,病棟\n";
  auto r = ParseCsvAudit(csv, "emr.csv", ctx, {});
  ASSERT_TRUE(r.ok()) << r.error().Message(Lang::kEn);
  EXPECT_EQ(r->header_line, 2);
  ASSERT_EQ(r->events.size(), 2u);
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_EQ(r->errors[0].line, 4);
  EXPECT_NE(r->errors[0].message.find("操作日時"), std::string::npos);
  const auto& e = r->events[1];
  EXPECT_EQ(e.user, "ns.ito");
  EXPECT_EQ(e.object, "P0002");
  EXPECT_EQ(e.action, "処方入力");
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.fields["端末区分"], "病棟");  // unmapped columns are kept
  EXPECT_EQ(e.raw, "2026/11/30 9:06,ns.ito,P0002,処方入力,失敗,病棟");
  EXPECT_EQ(r->mapping.at("time"), "操作日時");
  // A mapping naming a column the file lacks, or a file without a time column: the file is refused.
  EXPECT_FALSE(ParseCsvAudit(csv, "emr.csv", ctx, {{"user", "職員番号"}}).ok());
  EXPECT_FALSE(ParseCsvAudit("a,b\n1,2\n", "x.csv", ctx, {}).ok());
  EXPECT_FALSE(ParseCsvAudit(csv, "emr.csv", ctx, {{"colour", "色"}}).ok());
}

// An export of millions of rows is stored as it is read: the sink gets the events a thousand at a
// time, the same events as without it, each with its own bytes (a field holding a line break
// included); a file with a quote left open at its very end hands over nothing (it is refused as a
// whole, and so stores nothing).
TEST(CsvAudit, RowsGoToTheSinkAThousandAtATimeAndABadFileSendsNone) {
  SyslogContext ctx;
  ctx.received = *ParseTime("2026-12-01T10:00:00+09:00");
  std::string csv = "操作日時,利用者ID,患者ID,操作,端末区分\r\n";
  for (int i = 0; i < 2500; ++i)
    csv += "2026/11/30 9:05," + std::string("u") + std::to_string(i) + ",P" + std::to_string(i) +
           ",参照," + (i == 1234 ? "\"外来\r\n2階\"" : "なし") + "\r\n";
  auto all = ParseCsvAudit(csv, "big.csv", ctx, {});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->events.size(), 2500u);
  std::vector<size_t> sizes;
  std::vector<LogEvent> got;
  auto streamed = ParseCsvAudit(csv, "big.csv", ctx, {}, [&](std::vector<LogEvent>& batch) {
    sizes.push_back(batch.size());
    for (auto& e : batch) got.push_back(std::move(e));
    return Ok();
  });
  ASSERT_TRUE(streamed.ok());
  EXPECT_TRUE(streamed->events.empty());
  EXPECT_EQ(sizes, (std::vector<size_t>{1000, 1000, 500}));
  ASSERT_EQ(got.size(), 2500u);
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].raw, all->events[i].raw);
    EXPECT_EQ(got[i].user, "u" + std::to_string(i));
  }
  EXPECT_EQ(got[1234].raw, "2026/11/30 9:05,u1234,P1234,参照,\"外来\r\n2階\"");
  EXPECT_EQ(got[1234].fields["端末区分"], "外来\r\n2階");  // kept as it was
  EXPECT_EQ(got[0].raw, "2026/11/30 9:05,u0,P0,参照,なし");

  std::string open_quote = csv + "2026/11/30 9:07,u9,P9,参照,\"閉じない\r\n";
  int calls = 0;
  auto bad = ParseCsvAudit(open_quote, "bad.csv", ctx, {}, [&](std::vector<LogEvent>&) {
    ++calls;
    return Ok();
  });
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().key, "import.unterminated_quote");
  EXPECT_NE(bad.error().Message(Lang::kJa).find("2503"), std::string::npos);  // its line
  EXPECT_EQ(calls, 0);
  // A sink's error stops the reading.
  calls = 0;
  auto stopped = ParseCsvAudit(csv, "big.csv", ctx, {}, [&](std::vector<LogEvent>&) -> Status {
    ++calls;
    return MakeError(ErrorCode::kIo, "logs.index_error", {"x"});
  });
  EXPECT_FALSE(stopped.ok());
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace mamori::logs
