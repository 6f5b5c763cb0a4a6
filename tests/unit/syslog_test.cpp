// Syslog parsing from the real device samples of ../shared/testdata/logs/syslog (the Wazuh
// ruleset tests: each raw line with the decoder Wazuh uses for it): every line of a vendor is
// read as that vendor's format; then the RFC examples, Cisco IOS, Yamaha RTX and Windows
// forwarding lines, and Japanese text in CP932 and EUC-JP.
#include "logs/syslog.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "logs/receiver.hpp"

namespace mamori::logs {
namespace {

std::string Shared(const std::string& rel) {
  const char* s = std::getenv("MAMORI_SHARED_DIR");
  return std::string(s != nullptr ? s : "../shared") + "/" + rel;
}

struct Sample {
  std::string file, raw, decoder;
};

// "log N pass = RAW" lines, each with the decoder named after them in its section.
std::vector<Sample> WazuhSamples() {
  std::vector<Sample> out;
  auto dir = Shared("testdata/logs/syslog/wazuh-ruleset-tests");
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != ".ini") continue;
    std::ifstream in(e.path());
    std::vector<std::string> pending;
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("log ", 0) == 0) {
        auto eq = line.find(" = ");
        if (eq != std::string::npos) pending.push_back(line.substr(eq + 3));
      } else if (line.rfind("decoder = ", 0) == 0) {
        for (auto& p : pending) out.push_back({e.path().filename().string(), p, line.substr(10)});
        pending.clear();
      } else if (line.rfind('[', 0) == 0) {
        pending.clear();
      }
    }
  }
  return out;
}

SyslogContext Ctx() {
  SyslogContext c;
  c.received = *ParseTime("2026-12-01T12:00:00+09:00");
  c.source = "test";
  return c;
}

TEST(Syslog, EveryVendorSampleIsReadAsItsVendorsFormat) {
  auto samples = WazuhSamples();
  ASSERT_GT(samples.size(), 200u);
  std::map<std::string, std::string> expected = {{"fortigate-firewall-v3", "fortigate"},
                                                 {"fortigate-firewall-v4", "fortigate"},
                                                 {"fortigate-firewall-v5", "fortigate"},
                                                 {"fortigate-firewall-v6", "fortigate"},
                                                 {"cisco-asa", "cisco"},
                                                 {"cisco-ftd", "cisco"},
                                                 {"pix", "cisco"},
                                                 {"cisco-ios", "cisco"},
                                                 {"paloalto", "paloalto"},
                                                 {"sonicwall", "sonicwall"},
                                                 {"sshd", "rfc3164"}};
  int checked = 0;
  for (const auto& s : samples) {
    auto want = expected.find(s.decoder);
    if (want == expected.end()) continue;
    // Anonymised Palo Alto samples carry impossible dates ("May 00", "2020/00/00"); they are
    // refused as lines, which the ingest test covers.
    if (s.raw.find("May 00 ") == 0) continue;
    bool is_syslog = false;
    LogEvent e = ParseSyslog(s.raw, Ctx(), &is_syslog);
    EXPECT_TRUE(is_syslog) << s.file << ": " << s.raw;
    EXPECT_EQ(e.format, want->second) << s.file << ": " << s.raw;
    if (s.decoder == "sshd") {
      EXPECT_EQ(e.app, "sshd") << s.raw;
    }
    EXPECT_EQ(e.raw, s.raw);
    ++checked;
  }
  EXPECT_GT(checked, 180);
}

TEST(Syslog, FortiGateAdminLoginFailure) {
  auto e = ParseSyslog(
      R"(date=2016-06-17 time=02:37:41 devname=Mobipay_Firewall devid=FGTXXXX9999999999 logid=0100032002 type=event subtype=system level=alert vd="root" logdesc="Admin login failed" sn=0 user="root" ui=ssh(222.186.130.227) action=login status=failed reason="name_invalid" msg="Administrator root login failed from ssh(222.186.130.227) because of invalid user name")",
      Ctx());
  EXPECT_EQ(e.host, "Mobipay_Firewall");
  EXPECT_EQ(e.user, "root");
  EXPECT_EQ(e.src_ip, "222.186.130.227");
  EXPECT_EQ(e.outcome, Outcome::kFailure);
  EXPECT_EQ(e.action, "Admin login failed");
  EXPECT_EQ(FormatJst(e.time), "2016-06-17T02:37:41+09:00");  // device local time, JST assumed
  EXPECT_FALSE(e.time_from_receipt);
}

TEST(Syslog, Rfc5424WithStructuredDataAndBom) {
  // RFC 5424 §6.5, examples 1 and 3.
  auto a = ParseSyslog(
      "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \xEF\xBB\xBF'su root' "
      "failed for lonvick on /dev/pts/8",
      Ctx());
  EXPECT_EQ(a.format, "rfc5424");
  EXPECT_EQ(a.facility, 4);
  EXPECT_EQ(a.severity, 2);
  EXPECT_EQ(a.host, "mymachine.example.com");
  EXPECT_EQ(a.app, "su");
  EXPECT_EQ(a.fields["msgid"], "ID47");
  EXPECT_EQ(a.message, "'su root' failed for lonvick on /dev/pts/8");
  EXPECT_EQ(FormatJst(a.time), "2003-10-12T07:14:15+09:00");
  EXPECT_EQ(a.offset_minutes, 0);
  auto b = ParseSyslog(
      R"(<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"] An application event log entry...)",
      Ctx());
  EXPECT_EQ(b.fields["sd"]["exampleSDID@32473"]["eventID"], "1011");
  EXPECT_EQ(b.fields["sd"]["examplePriority@32473"]["class"], "high");
  EXPECT_EQ(b.message, "An application event log entry...");
  auto c =
      ParseSyslog(R"(<13>1 2026-12-01T09:00:00+09:00 host app - - [x@1 q="a\"b\]c"] m)", Ctx());
  EXPECT_EQ(c.fields["sd"]["x@1"]["q"], "a\"b]c");
  EXPECT_EQ(c.offset_minutes, 540);
}

TEST(Syslog, Rfc3164AndTheYearOfATimeWithoutOne) {
  auto e = ParseSyslog("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick", Ctx());
  EXPECT_EQ(e.format, "rfc3164");
  EXPECT_EQ(e.host, "mymachine");
  EXPECT_EQ(e.app, "su");
  EXPECT_EQ(FormatJst(e.time), "2026-10-11T22:14:15+09:00");
  // Received on 1 January: a December message is from the year before.
  SyslogContext jan = Ctx();
  jan.received = *ParseTime("2027-01-01T00:00:10+09:00");
  auto dec = ParseSyslog("<13>Dec 31 23:59:58 pc1 app: x", jan);
  EXPECT_EQ(FormatJst(dec.time), "2026-12-31T23:59:58+09:00");
  auto ssh = ParseSyslog(
      "<38>Mar  5 08:01:02 emr-db01 sshd[4242]: Failed password for invalid user admin from "
      "10.1.2.3 port 53000 ssh2",
      Ctx());
  EXPECT_EQ(ssh.user, "admin");
  EXPECT_EQ(ssh.src_ip, "10.1.2.3");
  EXPECT_EQ(ssh.outcome, Outcome::kFailure);
  EXPECT_EQ(ssh.fields["pid"], "4242");
  bool is_syslog = true;
  ParseSyslog("just some words", Ctx(), &is_syslog);
  EXPECT_FALSE(is_syslog);
}

TEST(Syslog, SshdAndSudoInRfc5424AndRfc3164) {
  auto ssh = ParseSyslog(
      "<38>1 2026-11-23T10:15:00+09:00 emr-db01 sshd 4300 - - Accepted publickey for vendor-se "
      "from 198.51.100.20 port 50022 ssh2",
      Ctx());
  EXPECT_EQ(ssh.action, "logon");
  EXPECT_EQ(ssh.user, "vendor-se");
  EXPECT_EQ(ssh.src_ip, "198.51.100.20");
  EXPECT_EQ(ssh.outcome, Outcome::kSuccess);
  auto sudo = ParseSyslog(
      "<86>1 2026-11-24T11:00:00+09:00 emr-db01 sudo - - - it.kobayashi : TTY=pts/0 ; "
      "PWD=/home/it.kobayashi ; USER=root ; COMMAND=/usr/bin/systemctl restart emr",
      Ctx());
  EXPECT_EQ(sudo.action, "sudo");
  EXPECT_EQ(sudo.user, "it.kobayashi");
  EXPECT_EQ(sudo.fields["run_as"], "root");
  EXPECT_EQ(sudo.fields["command"], "/usr/bin/systemctl restart emr");
  auto refused = ParseSyslog(
      "<85>Nov 24 11:00:00 emr-db01 sudo: nurse01 : 3 incorrect password attempts ; TTY=pts/1 ; "
      "PWD=/home/nurse01 ; USER=root ; COMMAND=/bin/bash",
      Ctx());
  EXPECT_EQ(refused.user, "nurse01");
  EXPECT_EQ(refused.outcome, Outcome::kFailure);
  // Not sudo's shape: left as a message.
  auto other = ParseSyslog(
      "<86>1 2026-11-24T11:00:00+09:00 h sudo - - - pam_unix(sudo:session): "
      "session opened for user root",
      Ctx());
  EXPECT_EQ(other.user, "");
}

TEST(Syslog, CiscoIosWithSequenceNumberAndZone) {
  auto e = ParseSyslog(
      "<189>123: *Mar  1 00:01:02.345 UTC: %SYS-5-CONFIG_I: Configured from console by admin on "
      "vty0 (10.0.0.5)",
      Ctx());
  EXPECT_EQ(e.format, "cisco");
  EXPECT_EQ(e.app, "SYS");
  EXPECT_EQ(e.severity, 5);
  EXPECT_EQ(e.fields["mnemonic"], "CONFIG_I");
  EXPECT_EQ(e.offset_minutes, 0);
  EXPECT_EQ(FormatJst(e.time), "2026-03-01T09:01:02+09:00");
  auto asa = ParseSyslog(
      "<166>Jan 12 2026 10:00:00: %ASA-6-113005: AAA user authentication Rejected : reason = "
      "AAA failure : server = 10.1.1.1 : user = nurse01",
      Ctx());
  EXPECT_EQ(asa.user, "nurse01");
  EXPECT_EQ(asa.outcome, Outcome::kFailure);
  EXPECT_EQ(FormatJst(asa.time), "2026-01-12T10:00:00+09:00");
}

TEST(Syslog, YamahaRtxLoginAndInspect) {
  auto login = ParseSyslog(
      "<134>Dec  1 09:00:00 192.168.100.1 Login succeeded as (noname) for TELNET: 192.168.100.2",
      Ctx());
  EXPECT_EQ(login.format, "yamaha");
  EXPECT_EQ(login.host, "192.168.100.1");
  EXPECT_EQ(login.action, "login");
  EXPECT_EQ(login.outcome, Outcome::kSuccess);
  EXPECT_EQ(login.src_ip, "192.168.100.2");
  auto inspect = ParseSyslog(
      "<134>Dec  1 09:00:01 192.168.100.1 [INSPECT] LAN2[out][101098] TCP 192.168.100.2:52000 > "
      "203.0.113.9:443 (2026/12/01 09:00:01)",
      Ctx());
  EXPECT_EQ(inspect.format, "yamaha");
  EXPECT_EQ(inspect.src_ip, "192.168.100.2");
}

TEST(Syslog, WindowsEventsForwardedByEvtsysAndSnare) {
  auto evtsys = ParseSyslog(
      "<13>Dec  1 08:00:00 WARD-PC01 Security-Auditing: 4625: AUDIT_FAILURE An account failed to "
      "log on.",
      Ctx());
  EXPECT_EQ(evtsys.format, "windows");
  EXPECT_EQ(evtsys.action, "4625");
  EXPECT_EQ(evtsys.outcome, Outcome::kFailure);
  auto snare = ParseSyslog(
      "<14>Dec  1 08:00:00 WARD-PC01 MSWinEventLog\t1\tSecurity\t42\tTue Dec 01 08:00:00 2026\t"
      "4624\tMicrosoft-Windows-Security-Auditing\tHOSP\\nurse01\tN/A\tSuccess Audit\tWARD-PC01\t"
      "Logon\tAn account was successfully logged on.",
      Ctx());
  EXPECT_EQ(snare.format, "windows");
  EXPECT_EQ(snare.user, "HOSP\\nurse01");
  EXPECT_EQ(snare.outcome, Outcome::kSuccess);
}

// A receiver behind a relay finds each message's source by its host (SyslogHost): the host must
// be the one the full parse gives, whatever the message, or an event would be stored under
// another source than reading it back names. Every real sample line, the ATNA messages as
// syslog, and the forms where the body names the host.
TEST(Syslog, SyslogHostIsTheHostTheFullParseGives) {
  std::vector<std::string> lines;
  for (const auto& s : WazuhSamples()) lines.push_back(s.raw);
  for (const auto& e :
       std::filesystem::recursive_directory_iterator(Shared("testdata/logs/atna"))) {
    if (e.path().extension() != ".xml") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    lines.push_back("<85>1 2026-12-01T08:00:00+09:00 pacs01 ATNA 12 IHE+RFC-3881 - " + xml);
  }
  const std::string snare =
      "<14>Dec  1 08:00:00 WARD-PC01 MSWinEventLog\t1\tSecurity\t42\tTue Dec 01 08:00:00 2026\t"
      "4624\tprov\tHOSP\\nurse01\tN/A\tSuccess Audit\tWARD-PC02\tLogon\tok";
  const std::vector<std::string> forms = {
      // FortiGate: devname is the host, even when empty or given twice (the last counts).
      R"(<189>date=2026-12-01 time=08:00:00 devname="FGT-HOSP" logid="0100032002" type="event")",
      R"(<189>Dec  1 08:00:00 relay date=2026-12-01 time=08:00:00 logid="01" type="event")",
      R"(<189>date=2026-12-01 time=08:00:00 devname=a devname="b \"c\"" logid="01")",
      R"(<189>date=2026-12-01 time=08:00:00 msg="devname=x" logid="01" devname=y)",
      // SonicWall: id is the host.
      R"(<134>id=NSA-WARD sn=C0EAE4 time="2026-12-01 08:00:00 UTC" fw=10.0.0.1 msg="x")",
      // Snare (tab separated, host in the eleventh field) and evtsys (the header's host).
      snare, "<14>Dec  1 08:00:00 WARD-PC01 MSWinEventLog\t1\tSecurity",
      "<14>Dec  1 08:00:00 WARD-PC01 evtsys: MSWinEventLog\t1\t2\t3\t4\t5\t6\t7\t8\t9\tPC03\tx",
      "<13>Dec  1 08:00:00 WARD-PC01 Security-Auditing: 4625: AUDIT_FAILURE failed",
      // RFC 5424 with "-" as host, structured data, a BOM; RFC 3164 without a host or a time.
      "<13>1 2026-12-01T08:00:00+09:00 - app - - - no host",
      "<13>1 2026-12-01T08:00:00+09:00 emr01 app 1 ID [x@1 a=\"b\\\"]\"] \xEF\xBB\xBFmsg",
      "<13>Dec  1 08:00:00 sshd[12]: no host here", "<13>no header at all", "plain text", "",
      "<13>Dec  1 08:00:00 host : %ASA-6-302013: Built", "<13>Dec  1 08:00:00 10.1.2.3 app: x",
      // CP932 (decoded before the header is read).
      "<13>Dec  1 08:00:00 \x83\x8D\x83\x4F app: \x8E\xB8\x94\x73"};
  lines.insert(lines.end(), forms.begin(), forms.end());
  int named_by_body = 0;
  for (const auto& line : lines)
    for (const std::string peer : {"192.0.2.7", ""}) {
      LogEvent full = ReceiveSyslog(line, *ParseTime("2026-12-01T12:00:00+09:00"), "s",
                                    {540, peer, ""}, /*vendor_fields=*/false);
      EXPECT_EQ(SyslogHost(line, peer), full.host) << line;
      named_by_body += full.format == "fortigate" || full.format == "sonicwall" ||
                       (full.format == "windows" && line.find('\t') != std::string::npos);
    }
  EXPECT_GT(named_by_body, 50);
  EXPECT_EQ(SyslogHost(forms[0], "p"), "FGT-HOSP");
  EXPECT_EQ(SyslogHost(forms[1], "p"), "p");  // FortiGate without devname: the sender
  EXPECT_EQ(SyslogHost(forms[2], "p"), "b \"c\"");
  EXPECT_EQ(SyslogHost(forms[3], "p"), "y");
  EXPECT_EQ(SyslogHost(forms[4], "p"), "NSA-WARD");
  EXPECT_EQ(SyslogHost(forms[5], "p"), "WARD-PC02");
}

TEST(Syslog, JapaneseInCp932AndEucJp) {
  // 「ログイン失敗」 in CP932 and in EUC-JP.
  std::string cp932 =
      "<13>Dec  1 08:00:00 emr app: \x83\x8D\x83\x4F\x83\x43\x83\x93\x8E\xB8\x94\x73";
  std::string eucjp =
      "<13>Dec  1 08:00:00 emr app: \xA5\xED\xA5\xB0\xA5\xA4\xA5\xF3\xBC\xBA\xC7\xD4";
  auto a = ParseSyslog(cp932, Ctx());
  EXPECT_EQ(a.charset, "CP932");
  EXPECT_EQ(a.message, "ログイン失敗");
  EXPECT_EQ(a.raw, cp932);  // the bytes as received are kept
  auto b = ParseSyslog(eucjp, Ctx());
  EXPECT_EQ(b.charset, "EUC-JP");
  EXPECT_EQ(b.message, "ログイン失敗");
  auto c = ParseSyslog("<13>Dec  1 08:00:00 emr app: ログイン失敗", Ctx());
  EXPECT_EQ(c.charset, "UTF-8");
}

}  // namespace
}  // namespace mamori::logs

namespace mamori::logs {
namespace {

TEST(FrameSplitter, OctetCountingAndLineFramesInAnyChunks) {
  std::string stream =
      "15 <13>1 - - - - -\n<13>plain line\n12 <13>counted!"
      "5 ab\ncd";
  // Fed one byte at a time and all at once: the same frames.
  for (size_t chunk : {size_t{1}, size_t{3}, stream.size()}) {
    FrameSplitter split(1024);
    std::vector<std::string> frames;
    auto on = [&](std::string_view f) { frames.emplace_back(f); };
    for (size_t at = 0; at < stream.size(); at += chunk) split.Feed(stream.substr(at, chunk), on);
    split.Finish(on);
    ASSERT_EQ(frames.size(), 4u) << chunk;
    EXPECT_EQ(frames[0], "<13>1 - - - - -");  // 15 bytes counted, the LF after it skipped
    EXPECT_EQ(frames[1], "<13>plain line");
    EXPECT_EQ(frames[2], "<13>counted!");
    EXPECT_EQ(frames[3], "ab\ncd");  // a counted frame may hold a newline
  }
}

TEST(FrameSplitter, OversizedFramesAreCutOrSkippedAndCounted) {
  FrameSplitter split(8);
  std::vector<std::string> frames;
  auto on = [&](std::string_view f) { frames.emplace_back(f); };
  split.Feed("20 0123456789", on);
  split.Feed("0123456789", on);  // the rest of the counted 20 bytes: skipped
  split.Feed("<1>ok\n", on);
  split.Feed("abcdefghijklmnop", on);  // an LF frame longer than 8: cut…
  split.Feed("qrstu", on);             // …and the rest of it skipped, however it comes
  split.Feed("vw\n<1>next\n", on);
  split.Feed("0123456789abc\n<1>last", on);  // a whole long line in one read: cut the same way
  split.Finish(on);
  EXPECT_EQ(split.oversized(), 3u);
  EXPECT_EQ(frames,
            (std::vector<std::string>{"<1>ok", "abcdefgh", "<1>next", "01234567", "<1>last"}));
}

}  // namespace
}  // namespace mamori::logs
