// The syslog receivers of `mamori logs serve`: UDP (RFC 5426), TCP (RFC 6587: octet counting or
// LF-terminated frames, told apart per connection) and TLS (RFC 5425, optionally requiring client
// certificates — mutual TLS as IHE ATNA asks), feeding one writer that appends to the log store
// in batches.
//
// Back-pressure instead of silent loss: the queue between receivers and the writer is bounded;
// when it is full a TCP or TLS receiver stops reading its socket (the sender's TCP window closes
// and it slows down), while UDP — which cannot slow a sender — drops the datagram and counts it.
// The counts are in Stats (and `logs serve` prints them when it stops).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/result.hpp"
#include "logs/logs_service.hpp"
#include "logs/sources.hpp"

namespace mamori::logs {

struct ReceiverOptions {
  std::string udp;  // "host:port"; empty: none
  std::string tcp;
  std::string tls;
  std::string tls_cert, tls_key;  // PEM files
  std::string tls_ca;             // when set, clients must present a certificate it signed
  std::string source = "syslog";  // the log source events are recorded under
  // The registry (ログリスト): an event from a registered source's address or host is recorded
  // under that source's name (and read with its clock's offset).
  std::shared_ptr<const SourceMatcher> matcher;
  // Reads the registry again (a source added or changed while the receiver runs is matched
  // from then on), every reload_seconds; unset: the matcher above stays.
  std::function<std::shared_ptr<const SourceMatcher>()> reload_matcher;
  int reload_seconds = 30;
  size_t queue_events = 20000;            // the bound of the queue to the writer
  size_t max_frame = size_t{256} * 1024;  // longer frames are cut (and counted)
};

struct ReceiverStats {
  std::atomic<uint64_t> received{0};
  std::atomic<uint64_t> stored{0};
  std::atomic<uint64_t> dropped_udp{0};  // datagrams dropped because the writer was behind
  std::atomic<uint64_t> oversized{0};
  std::atomic<uint64_t> tls_rejected{0};  // handshakes refused (no or bad client certificate…)
  std::atomic<uint64_t> connections{0};
  std::atomic<uint64_t> write_errors{0};
  [[nodiscard]] Json ToJson() const;
};

class Receiver {
 public:
  // Binds every listener (an error names the address) and starts the threads.
  static Result<std::unique_ptr<Receiver>> Start(LogsService& service,
                                                 const ReceiverOptions& options,
                                                 const Clock& clock);
  ~Receiver();  // stops: listeners closed, the queue drained into the store, a checkpoint
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  void Stop();
  [[nodiscard]] const ReceiverStats& stats() const;
  // The ports actually bound (useful with port 0).
  [[nodiscard]] int udp_port() const;
  [[nodiscard]] int tcp_port() const;
  [[nodiscard]] int tls_port() const;

 private:
  struct Impl;
  explicit Receiver(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Splits a TCP byte stream into syslog frames (RFC 6587): octet counting ("LEN SP MSG") when a
// frame starts with a digit followed by a space, else up to LF (or NUL). Feed bytes as they come;
// complete frames are handed to the callback. A frame longer than max_frame is counted and cut
// to its first max_frame bytes, the rest up to its LF or NUL skipped (LF framing), or skipped
// whole (octet counting) — the same frames however the stream is cut into reads (frame_fuzz).
class FrameSplitter {
 public:
  using OnFrame = std::function<void(std::string_view)>;
  explicit FrameSplitter(size_t max_frame) : max_frame_(max_frame) {}
  void Feed(std::string_view bytes, const OnFrame& on_frame);
  // At the end of the stream: what is left, as a last frame.
  void Finish(const OnFrame& on_frame);
  [[nodiscard]] uint64_t oversized() const { return oversized_; }
  // Bytes held back from earlier reads (the start of a frame not yet whole).
  [[nodiscard]] size_t Pending() const { return buf_.size(); }

 private:
  std::string buf_;
  size_t max_frame_;
  size_t skip_ = 0;         // bytes of an oversized counted frame still to come
  bool skip_line_ = false;  // the rest of a cut line (up to its LF or NUL) still to come
  uint64_t oversized_ = 0;
};

}  // namespace mamori::logs
