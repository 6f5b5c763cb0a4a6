// The syslog receiver end to end over a real loopback TCP connection: frames are stored as they
// arrived (not parsed on the receiving thread), under the source the registry names for the
// sender's address — with that source's clock offset — or for the host each message names, and
// the index parses them afterwards into the same events a parse at receipt gave.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "core/crypto.hpp"
#include "logs/logs_service.hpp"
#include "logs/receiver.hpp"
#include "logs/sources.hpp"
#include "logs/syslog.hpp"
#include "support/pg_server.hpp"

namespace mamori::logs {
namespace {

// Sends the bytes over one TCP connection to 127.0.0.1:port and closes it.
void SendTcp(int port, const std::string& bytes) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  size_t at = 0;
  while (at < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + at, bytes.size() - at);
    ASSERT_GT(n, 0);
    at += static_cast<size_t>(n);
  }
  close(fd);
}

LogSource Source(const std::string& name, const std::string& host, int64_t offset) {
  LogSource s;
  s.name = name;
  s.hosts = {host};
  s.utc_offset_minutes = offset;
  return s;
}

// Receives the lines, stops the receiver (everything received is stored), and returns the events
// as the index gives them, oldest first.
std::vector<LogEvent> ReceiveAll(LogsService& svc, std::shared_ptr<const SourceMatcher> matcher,
                                 const std::vector<std::string>& lines) {
  ReceiverOptions o;
  o.tcp = "127.0.0.1:0";
  o.matcher = std::move(matcher);
  auto r = Receiver::Start(svc, o, SystemClock());
  EXPECT_TRUE(r.ok()) << r.error().Message(Lang::kJa);
  if (!r.ok()) return {};
  std::string bytes;
  for (const auto& l : lines) bytes += l + "\n";
  SendTcp((*r)->tcp_port(), bytes);
  for (int i = 0; i < 200 && (*r)->stats().stored < lines.size(); ++i) usleep(20'000);
  EXPECT_EQ((*r)->stats().stored, lines.size());
  r->reset();
  LogQuery q;
  q.limit = 1000;
  auto page = svc.Search(q);
  EXPECT_TRUE(page.ok());
  if (!page.ok()) return {};
  std::vector<LogEvent> out(page->events.rbegin(), page->events.rend());
  return out;
}

TEST(LogReceiver, FramesAreStoredUnderTheSourceOfTheirHostAndParsedByTheIndex) {
  InitCrypto();
  testing::TempDir tmp;
  LogsService svc(tmp.File("store"), SystemClock());
  // No source for 127.0.0.1: each message's host decides, in runs of the same source.
  auto matcher = std::make_shared<const SourceMatcher>(
      std::vector<LogSource>{Source("ward-fw", "fw-by-host", -300)});
  const std::vector<std::string> lines = {
      "<134>Dec  1 10:00:00 fw-by-host app: one",
      "<134>Dec  1 10:00:01 other-host app: two",
      "<134>Dec  1 10:00:02 FW-BY-HOST app: three",
      "<134>Dec  1 10:00:03 fw-by-host sshd[7]: Accepted password for it.suzuki from 10.1.2.3 "
      "port 22 ssh2",
  };
  auto events = ReceiveAll(svc, matcher, lines);
  ASSERT_EQ(events.size(), lines.size());
  const char* sources[] = {"ward-fw", "syslog", "ward-fw", "ward-fw"};
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(events[i].seq, i);
    EXPECT_EQ(events[i].raw, lines[i]);
    EXPECT_EQ(events[i].source, sources[i]) << lines[i];
    // What a parse at receipt gave: the source found by the host keeps the default offset
    // (the message's clock is the host's, the registry's offset is the sender address's).
    LogEvent expect = ReceiveSyslog(lines[i], events[i].received, sources[i],
                                    {kJstOffsetMinutes, "127.0.0.1", ""}, false);
    EXPECT_EQ(events[i].time, expect.time) << lines[i];
    EXPECT_EQ(events[i].host, expect.host);
  }
  EXPECT_EQ(events[3].user, "it.suzuki");
  EXPECT_EQ(events[3].src_ip, "10.1.2.3");
  EXPECT_EQ(events[3].action, "logon");
}

TEST(LogReceiver, ASourceRegisteredForTheSendersAddressGivesItsNameAndClockOffset) {
  InitCrypto();
  testing::TempDir tmp;
  LogsService svc(tmp.File("store"), SystemClock());
  auto matcher = std::make_shared<const SourceMatcher>(std::vector<LogSource>{
      Source("ward-fw", "fw-by-host", 540), Source("us-vendor", "127.0.0.1", -300)});
  const std::vector<std::string> lines = {"<134>Dec  1 10:00:00 fw-by-host app: one",
                                          "<134>Dec  1 10:00:01 other app: two"};
  auto events = ReceiveAll(svc, matcher, lines);
  ASSERT_EQ(events.size(), lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    // The address decides before the host the message names.
    EXPECT_EQ(events[i].source, "us-vendor");
    LogEvent expect =
        ReceiveSyslog(lines[i], events[i].received, "us-vendor", {-300, "127.0.0.1", ""}, false);
    EXPECT_EQ(events[i].time, expect.time) << lines[i];
    LogEvent jst = ReceiveSyslog(lines[i], events[i].received, "us-vendor",
                                 {kJstOffsetMinutes, "127.0.0.1", ""}, false);
    EXPECT_EQ(events[i].time - jst.time, 14 * 3600 * 1000) << lines[i];  // UTC-5 vs UTC+9
  }
}

// UDP: each datagram one event (a line feed inside stays in it, an empty datagram is none),
// sent back to back (the receiver reads them many per system call) and stored whole, in the order
// sent, under the source of each message's host.
TEST(LogReceiver, DatagramsAreEventsOfTheirOwnKeptWholeAndInOrder) {
  InitCrypto();
  testing::TempDir tmp;
  LogsService svc(tmp.File("store"), SystemClock());
  ReceiverOptions o;
  o.udp = "127.0.0.1:0";
  o.matcher = std::make_shared<const SourceMatcher>(
      std::vector<LogSource>{Source("ward-fw", "fw-by-host", -300)});
  auto r = Receiver::Start(svc, o, SystemClock());
  ASSERT_TRUE(r.ok()) << r.error().Message(Lang::kJa);
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>((*r)->udp_port()));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::vector<std::string> sent;
  for (int i = 0; i < 2000; ++i) {
    std::string host = i % 3 == 0 ? "fw-by-host" : "other-host";
    std::string m = "<134>Dec  1 10:00:00 " + host + " app: datagram " + std::to_string(i);
    if (i == 7) m += "\nsecond line of the same datagram";
    sent.push_back(m);
    ASSERT_EQ(sendto(fd, m.data(), m.size(), 0, reinterpret_cast<sockaddr*>(&a), sizeof a),
              static_cast<ssize_t>(m.size()));
    if (i == 100) {  // an empty datagram: no event
      ASSERT_EQ(sendto(fd, "", 0, 0, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    }
  }
  close(fd);
  for (int i = 0; i < 250 && (*r)->stats().stored < sent.size(); ++i) usleep(20'000);
  EXPECT_EQ((*r)->stats().received, sent.size());
  EXPECT_EQ((*r)->stats().stored, sent.size());
  EXPECT_EQ((*r)->stats().dropped_udp, 0u);
  r->reset();
  LogQuery q;
  q.limit = 5000;
  auto page = svc.Search(q);
  ASSERT_TRUE(page.ok());
  std::vector<LogEvent> events(page->events.rbegin(), page->events.rend());
  ASSERT_EQ(events.size(), sent.size());
  for (size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ(events[i].raw, sent[i]);
    EXPECT_EQ(events[i].source, i % 3 == 0 ? "ward-fw" : "syslog") << i;
  }
}

}  // namespace
}  // namespace mamori::logs
