// The UDP burst of bench/logs_bench.sh: sends the first COUNT lines of a file to 127.0.0.1:PORT,
// one datagram each, as fast as the kernel takes them (sendmmsg, 64 per call) — a firewall's
// burst, faster than a script can make it. Prints the datagrams sent and the seconds taken.
//
//   udp_burst FILE PORT COUNT
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: udp_burst FILE PORT COUNT\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t count = std::strtoul(argv[3], nullptr, 10);
  std::vector<iovec> lines;
  for (size_t at = 0; at < text.size() && lines.size() < count;) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    lines.push_back({text.data() + at, end - at});
    at = end + 1;
  }
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(std::atoi(argv[2])));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    std::perror("udp_burst");
    return 1;
  }
  constexpr size_t kBatch = 64;
  std::array<mmsghdr, kBatch> msgs{};
  auto t0 = std::chrono::steady_clock::now();
  size_t sent = 0;
  while (sent < lines.size()) {
    const size_t n = std::min(kBatch, lines.size() - sent);
    for (size_t i = 0; i < n; ++i) {
      msgs[i] = {};
      msgs[i].msg_hdr.msg_iov = &lines[sent + i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    int got = sendmmsg(fd, msgs.data(), static_cast<unsigned>(n), 0);
    if (got <= 0) continue;  // ENOBUFS and the like: the kernel is full, try again
    sent += static_cast<size_t>(got);
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  close(fd);
  std::printf("%zu %.3f\n", sent, secs);
  return 0;
}
