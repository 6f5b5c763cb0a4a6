// The TLS sender of bench/logs_bench.sh: sends a file over one TLS connection to 127.0.0.1:PORT,
// verifying the server against CA_FILE, then closes the connection cleanly. Both receivers
// (rsyslog and mamori) get the same sender. It replaced a Python `ssl` sender that used 0.4–0.6
// s of CPU for 92 MB — on a 2-core machine, CPU taken from the receiver being measured, whose
// senders are other machines in a hospital. OpenSSL's s_client is no bulk sender (it may close
// before its buffered writes are out), hence this program.
//
//   tls_send FILE PORT CA_FILE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

int Fail(const char* what) {
  std::fprintf(stderr, "tls_send: %s\n", what);
  ERR_print_errors_fp(stderr);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: tls_send FILE PORT CA_FILE\n");
    return 2;
  }
  FILE* in = std::fopen(argv[1], "rb");
  if (in == nullptr) return Fail("cannot read the file");
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == nullptr || SSL_CTX_load_verify_locations(ctx, argv[3], nullptr) != 1)
    return Fail("cannot load the CA file");
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(std::atoi(argv[2])));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0)
    return Fail("cannot connect");
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  if (SSL_connect(ssl) != 1) return Fail("handshake failed");
  // Read and sent a MiB at a time (the receiver's clock runs from the connection on); SSL_write
  // splits each into records of the full 16 KiB, as a bulk sender writes them.
  std::vector<char> chunk(size_t{1} << 20);
  for (size_t n; (n = std::fread(chunk.data(), 1, chunk.size(), in)) > 0;)
    for (size_t at = 0, written = 0; at < n; at += written)
      if (SSL_write_ex(ssl, chunk.data() + at, n - at, &written) != 1) return Fail("write failed");
  std::fclose(in);
  SSL_shutdown(ssl);
  SSL_free(ssl);
  close(fd);
  SSL_CTX_free(ctx);
  return 0;
}
