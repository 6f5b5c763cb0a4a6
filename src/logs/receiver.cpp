#include "logs/receiver.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <deque>
#include <iostream>
#include <list>
#include <mutex>
#include <optional>
#include <thread>

namespace mamori::logs {

// ---- framing -------------------------------------------------------------------------------

namespace {

// Where an LF-framed frame starting at `from` ends: its first LF or NUL, or npos. memchr for
// each (find_first_of of a two-byte set tests every byte against the set one at a time, ~1 µs a
// line).
size_t FrameEnd(std::string_view s, size_t from) {
  size_t end = std::string_view::npos;
  size_t left = s.size() - from;
  if (const void* lf = std::memchr(s.data() + from, '\n', left)) {
    left = static_cast<size_t>(static_cast<const char*>(lf) - (s.data() + from));
    end = from + left;
  }
  if (const void* nul = std::memchr(s.data() + from, '\0', left))
    end = from + static_cast<size_t>(static_cast<const char*>(nul) - (s.data() + from));
  return end;
}

}  // namespace

void FrameSplitter::Feed(std::string_view bytes, const OnFrame& on_frame) {
  if (skip_ > 0) {
    size_t n = std::min(skip_, bytes.size());
    skip_ -= n;
    bytes.remove_prefix(n);
  }
  if (skip_line_) {  // the rest of a line already cut: up to its end
    size_t end = FrameEnd(bytes, 0);
    if (end == std::string_view::npos) return;
    skip_line_ = false;
    bytes.remove_prefix(end + 1);
  }
  buf_.append(bytes);
  size_t at = 0;
  while (at < buf_.size()) {
    char c = buf_[at];
    if (c == '\n' || c == '\r' || c == '\0' || c == ' ') {  // separators between frames
      ++at;
      continue;
    }
    if (c >= '1' && c <= '9') {
      size_t sp = buf_.find(' ', at);
      if (sp == std::string::npos) {
        if (buf_.size() - at < 10) break;  // the count may not be all here yet
      } else if (sp - at <= 9) {
        bool digits = true;
        for (size_t i = at; i < sp; ++i) digits = digits && buf_[i] >= '0' && buf_[i] <= '9';
        if (digits) {
          size_t len = std::stoul(buf_.substr(at, sp - at));
          size_t have = buf_.size() - (sp + 1);
          if (len > max_frame_) {
            ++oversized_;
            if (have < len) {
              skip_ = len - have;
              at = buf_.size();
              break;
            }
            at = sp + 1 + len;
            continue;
          }
          if (have < len) break;  // the rest is still on its way
          on_frame(std::string_view(buf_).substr(sp + 1, len));
          at = sp + 1 + len;
          continue;
        }
      }
    }
    // A line longer than max_frame is cut to its first max_frame bytes and the rest skipped up
    // to its end — the same frames whether the line came in one read or in many (before, a line
    // that came in several reads was cut and its tail taken for a frame of its own).
    size_t nl = FrameEnd(buf_, at);
    if (nl == std::string::npos) {
      if (buf_.size() - at > max_frame_) {
        ++oversized_;
        on_frame(std::string_view(buf_).substr(at, max_frame_));
        at = buf_.size();
        skip_line_ = true;
      }
      break;
    }
    if (nl - at > max_frame_) {
      ++oversized_;
      on_frame(std::string_view(buf_).substr(at, max_frame_));
    } else {
      on_frame(std::string_view(buf_).substr(at, nl - at));
    }
    at = nl + 1;
  }
  buf_.erase(0, at);
}

void FrameSplitter::Finish(const OnFrame& on_frame) {
  size_t first = buf_.find_first_not_of(std::string_view("\r\n\0 ", 4));
  if (first != std::string::npos) on_frame(std::string_view(buf_).substr(first));
  buf_.clear();
}

Json ReceiverStats::ToJson() const {
  return {{"received", received.load()},         {"stored", stored.load()},
          {"dropped_udp", dropped_udp.load()},   {"oversized", oversized.load()},
          {"tls_rejected", tls_rejected.load()}, {"connections", connections.load()},
          {"write_errors", write_errors.load()}};
}

namespace {

// The bounded queue between the receivers and the writer.
class Queue {
 public:
  explicit Queue(size_t cap) : cap_(cap) {}
  // A connection's frames of one read (or several batches of it, when their sources differ), as
  // one push under one lock and one wake-up (a lock and a wake-up per event were a tenth of the
  // receiver's time). Waits while full: the TCP/TLS reader stops reading, the sender's window
  // closes.
  bool PushAll(std::vector<ReceivedBatch>& batches) {
    size_t n = 0;
    for (const auto& b : batches) n += b.size();
    if (n == 0) return true;
    std::unique_lock lock(m_);
    not_full_.wait(lock, [&] { return count_ < cap_ || closed_; });
    if (closed_) return false;
    count_ += n;
    for (auto& b : batches)
      if (b.size() > 0) q_.push_back(std::move(b));
    batches.clear();
    not_empty_.notify_one();
    return true;
  }
  // A datagram: dropped (false) when the queue is full.
  bool TryPush(ReceivedBatch b) {
    std::lock_guard lock(m_);
    if (count_ >= cap_ || closed_) return false;
    count_ += b.size();
    q_.push_back(std::move(b));
    not_empty_.notify_one();
    return true;
  }
  // Whole batches up to about max events, waiting up to wait for the first; false when closed
  // and empty.
  bool Pop(std::vector<ReceivedBatch>& out, size_t max, std::chrono::milliseconds wait) {
    std::unique_lock lock(m_);
    not_empty_.wait_for(lock, wait, [&] { return !q_.empty() || closed_; });
    size_t n = 0;
    while (!q_.empty() && n < max) {
      n += q_.front().size();
      count_ -= q_.front().size();
      out.push_back(std::move(q_.front()));
      q_.pop_front();
    }
    not_full_.notify_all();
    return !(closed_ && q_.empty() && out.empty());
  }
  void Close() {
    std::lock_guard lock(m_);
    closed_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
  }

 private:
  std::mutex m_;
  std::condition_variable not_empty_, not_full_;
  std::deque<ReceivedBatch> q_;
  size_t count_ = 0;  // events in q_
  size_t cap_;
  bool closed_ = false;
};

Result<int> Listen(const std::string& addr, int type, int* port_out) {
  size_t colon = addr.rfind(':');
  if (colon == std::string::npos)
    return MakeError(ErrorCode::kInvalidArgument, "cli.bad_listen", {addr});
  std::string host = addr.substr(0, colon), port = addr.substr(colon + 1);
  if (!host.empty() && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = type;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* res = nullptr;
  if (getaddrinfo(host.empty() ? nullptr : host.c_str(), port.c_str(), &hints, &res) != 0 ||
      res == nullptr)
    return MakeError(ErrorCode::kInvalidArgument, "cli.bad_listen", {addr});
  int fd = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (type == SOCK_DGRAM) {
    // A large receive buffer absorbs bursts; as root beyond net.core.rmem_max (212 992 bytes
    // by default, a few hundred messages).
    int size = 8 << 20;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0)
      setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  }
  bool ok = fd >= 0 && bind(fd, res->ai_addr, res->ai_addrlen) == 0 &&
            (type == SOCK_DGRAM || listen(fd, 128) == 0);
  freeaddrinfo(res);
  if (!ok) {
    if (fd >= 0) close(fd);
    return MakeError(ErrorCode::kUnavailable, "cli.listen_failed", {addr});
  }
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  *port_out = ss.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port)
                                       : ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
  return fd;
}

std::string PeerAddress(const sockaddr_storage& ss) {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (ss.ss_family == AF_INET)
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&ss)->sin_addr, buf, sizeof buf);
  else if (ss.ss_family == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&ss)->sin6_addr, buf, sizeof buf);
  return buf;
}

// Whether two senders' addresses are the same (the port aside, as PeerAddress gives them).
bool SameAddress(const sockaddr_storage& a, const sockaddr_storage& b) {
  if (a.ss_family != b.ss_family) return false;
  if (a.ss_family == AF_INET)
    return reinterpret_cast<const sockaddr_in&>(a).sin_addr.s_addr ==
           reinterpret_cast<const sockaddr_in&>(b).sin_addr.s_addr;
  if (a.ss_family == AF_INET6)
    return std::memcmp(&reinterpret_cast<const sockaddr_in6&>(a).sin6_addr,
                       &reinterpret_cast<const sockaddr_in6&>(b).sin6_addr, sizeof(in6_addr)) == 0;
  return false;
}

// Waits until fd is readable or 200 ms passed; false on timeout.
bool Readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, 200) > 0;
}

}  // namespace

struct Receiver::Impl {
  LogsService* service = nullptr;
  ReceiverOptions options;
  const Clock* clock = nullptr;
  ReceiverStats stats;
  Queue queue{50000};
  std::atomic<bool> stopping{false};
  int udp_fd = -1, tcp_fd = -1, tls_fd = -1;
  int udp_port = 0, tcp_port = 0, tls_port = 0;
  SSL_CTX* ssl = nullptr;
  std::thread writer, udp, tcp_accept, tls_accept;
  std::mutex conns_m;
  struct Conn {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done = std::make_shared<std::atomic<bool>>(false);
  };
  std::list<Conn> conns;
  bool stopped = false;
  std::mutex matcher_m;
  std::shared_ptr<const SourceMatcher> current_matcher;  // under matcher_m
  std::chrono::steady_clock::time_point last_reload = std::chrono::steady_clock::now();

  explicit Impl(size_t cap) : queue(cap) {}
  ~Impl() {
    if (ssl != nullptr) SSL_CTX_free(ssl);
  }

  std::shared_ptr<const SourceMatcher> Matcher() {
    std::lock_guard lock(matcher_m);
    return current_matcher;
  }

  // Frames of one read (or one datagram) into batches: one per source — the source the
  // registry names for the peer's address, or else for the host each message names, or else the
  // receiver's own. The frames are not parsed here (the index parses them) unless a message's
  // host is needed to find its source: the registry has sources and the peer's address is none
  // of theirs.
  class Batcher {
   public:
    Batcher(Impl& r, const std::string& peer, const std::string& subject)
        : r_(r), peer_(peer), subject_(subject) {}
    // The registry as it is now, and the receive time: once per read (of `bytes` bytes).
    void Begin(size_t bytes) {
      bytes_ = bytes;
      matcher_ = r_.Matcher();
      known_ = matcher_ ? matcher_->Match(peer_, "") : nullptr;
      by_host_ = known_ == nullptr && matcher_ != nullptr;
      now_ = r_.clock->Now();
      has_last_ = false;
    }
    void Add(std::string_view frame) {
      const LogSource* source = known_;
      if (by_host_) {
        // The source found by the host the message names (the host ReceiveSyslog gives it):
        // stored with the event, so reading it back gives the same (ParseSyslog takes the
        // source as it is given). A relay's messages come in runs from one device: the last
        // host's source is kept.
        std::string host = SyslogHost(frame, peer_);
        if (!has_last_ || host != last_host_) {
          last_source_ = matcher_->Match("", host);
          last_host_ = std::move(host);
          has_last_ = true;
        }
        source = last_source_;
      }
      const std::string& name = source != nullptr ? source->name : r_.options.source;
      if (out_.empty() || out_.back().source != name) {
        auto& b = out_.emplace_back();
        b.received = now_;
        b.source = name;
        b.origin = {source != nullptr && known_ != nullptr
                        ? static_cast<int>(source->utc_offset_minutes)
                        : kDefaultOffset,
                    peer_, subject_};
        b.bytes.reserve(bytes_);
      }
      out_.back().Add(frame);
    }
    std::vector<ReceivedBatch>& Batches() { return out_; }

   private:
    static constexpr int kDefaultOffset = kJstOffsetMinutes;
    Impl& r_;
    const std::string& peer_;
    const std::string& subject_;
    std::shared_ptr<const SourceMatcher> matcher_;
    const LogSource* known_ = nullptr;
    bool by_host_ = false;
    std::string last_host_;  // the host of the last message matched by host, and its source
    const LogSource* last_source_ = nullptr;
    bool has_last_ = false;
    UnixMillis now_ = 0;
    size_t bytes_ = 0;
    std::vector<ReceivedBatch> out_;
  };

  // The registry read again now and then (from the writer's thread, which waits anyway).
  void MaybeReloadMatcher(std::chrono::steady_clock::time_point now) {
    if (!options.reload_matcher ||
        now - last_reload < std::chrono::seconds(std::max(1, options.reload_seconds)))
      return;
    last_reload = now;
    auto fresh = options.reload_matcher();
    if (!fresh) return;  // the registry could not be read: keep the one we have
    std::lock_guard lock(matcher_m);
    current_matcher = std::move(fresh);
  }

  // Appending in two steps on two threads: the preparer numbers, serialises and hashes the next
  // batch (PrepareFrames) while the writer makes the last one durable (write and fdatasync) —
  // one thread doing both left the CPU work waiting for the disk and the disk for the CPU.
  struct Prepared {
    std::vector<ReceivedBatch> batches;
    PreparedFrames frames;
  };
  std::mutex ready_m;
  std::condition_variable ready_cv;
  std::deque<Prepared> ready;         // prepared, for the writer (at most kReady)
  std::vector<PreparedFrames> spare;  // frames the writer is done with (buffers kept)
  uint64_t committed_end = 0;         // the store's size after the writer's last append
  uint64_t pending = 0;               // events prepared and not yet appended
  bool ready_closed = false;
  static constexpr size_t kReady = 2;
  std::thread preparer;

  void Preparer() {
    pthread_setname_np(pthread_self(), "mamori-prepare");
    for (;;) {
      Prepared p;
      // Whatever is waiting, up to a limit, goes into one durable write: the fdatasync per batch
      // (milliseconds) is then paid once for thousands of events when they arrive fast.
      bool more = queue.Pop(p.batches, 8192, std::chrono::milliseconds(200));
      if (!p.batches.empty()) {
        size_t n = 0;
        for (const auto& b : p.batches) n += b.size();
        uint64_t first = 0;
        {
          std::lock_guard lock(ready_m);
          // Numbered after what the store holds and what is on its way to it. Events appended
          // meanwhile by someone else (a file ingested into the same store) make the writer
          // prepare the batch again.
          first = committed_end + pending;
          pending += n;
          if (!spare.empty()) {
            p.frames = std::move(spare.back());
            spare.pop_back();
          }
        }
        // An event too large for a frame cannot come from a receiver (frames are cut at
        // max_frame); the writer's append reports it if it did.
        (void)PrepareFrames(p.batches, first, p.frames);
        std::unique_lock lock(ready_m);
        ready_cv.wait(lock, [&] { return ready.size() < kReady || ready_closed; });
        if (ready_closed) return;
        ready.push_back(std::move(p));
        ready_cv.notify_all();
      }
      if (!more) break;
    }
    std::lock_guard lock(ready_m);
    ready_closed = true;
    ready_cv.notify_all();
  }

  // The next prepared batch, waiting up to wait; false when the preparer is done and nothing is
  // left.
  bool PopReady(std::optional<Prepared>& out, std::chrono::milliseconds wait) {
    std::unique_lock lock(ready_m);
    ready_cv.wait_for(lock, wait, [&] { return !ready.empty() || ready_closed; });
    if (!ready.empty()) {
      out = std::move(ready.front());
      ready.pop_front();
      ready_cv.notify_all();
      return true;
    }
    return !ready_closed;
  }

  void Writer() {
    pthread_setname_np(pthread_self(), "mamori-writer");
    auto last_checkpoint = std::chrono::steady_clock::now();
    uint64_t since_checkpoint = 0;
    // The writer stopping for good (errors while stopping) must not leave the preparer waiting.
    struct CloseReady {
      Impl* r;
      ~CloseReady() {
        std::lock_guard lock(r->ready_m);
        r->ready_closed = true;
        r->ready_cv.notify_all();
      }
    } close_ready{this};
    for (;;) {
      std::optional<Prepared> p;
      bool more = PopReady(p, std::chrono::milliseconds(200));
      if (p) {
        size_t n = p->frames.size();
        // A store that cannot write (disk full…) keeps the batch and tries again: the queue
        // fills, TCP senders are slowed, and nothing already received is thrown away.
        uint64_t end = 0;
        for (;;) {
          auto st = service->AppendPrepared(p->batches, p->frames);
          if (st.ok()) {
            end = *st;
            break;
          }
          ++stats.write_errors;
          std::cerr << st.error().Message(Lang::kJa) << "\n";
          if (stopping && stats.write_errors > 10) return;
          std::this_thread::sleep_for(std::chrono::seconds(1));
        }
        stats.stored += n;
        since_checkpoint += n;
        std::lock_guard lock(ready_m);
        committed_end = end;
        pending -= n;
        spare.push_back(std::move(p->frames));
      }
      auto now = std::chrono::steady_clock::now();
      MaybeReloadMatcher(now);
      if (since_checkpoint > 0 && !p && now - last_checkpoint > std::chrono::seconds(5)) {
        if (service->Checkpoint().ok()) since_checkpoint = 0;
        last_checkpoint = now;
      }
      if (!more) break;
    }
    (void)service->Checkpoint();
  }

  // Up to kUdpBatch datagrams per system call (recvmmsg), each run of one sender's datagrams
  // pushed as one batch: a burst from a busy firewall costs a call and a queue push per run, not
  // per message. Each datagram is one event.
  void Udp() {
    pthread_setname_np(pthread_self(), "mamori-udp");
    const std::string no_subject;
    constexpr size_t kUdpBatch = 64, kDatagram = 65536;
    std::vector<char> buf(kUdpBatch * kDatagram);
    std::array<mmsghdr, kUdpBatch> msgs{};
    std::array<iovec, kUdpBatch> iov{};
    std::array<sockaddr_storage, kUdpBatch> from{};
    std::array<std::string, kUdpBatch> peers;
    while (!stopping) {
      if (!Readable(udp_fd)) continue;
      for (size_t i = 0; i < kUdpBatch; ++i) {
        iov[i] = {buf.data() + i * kDatagram, kDatagram};
        msgs[i] = {};
        msgs[i].msg_hdr.msg_name = &from[i];
        msgs[i].msg_hdr.msg_namelen = sizeof from[i];
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
      }
      int got = recvmmsg(udp_fd, msgs.data(), kUdpBatch, MSG_DONTWAIT, nullptr);
      if (got <= 0) continue;
      const auto n = static_cast<size_t>(got);
      // The sender's address as text only when it differs from the datagram's before.
      for (size_t i = 0; i < n; ++i)
        if (i == 0 || !SameAddress(from[i], from[i - 1]))
          peers[i] = PeerAddress(from[i]);
        else
          peers[i] = peers[i - 1];
      for (size_t i = 0; i < n;) {
        size_t j = i, bytes = 0;
        for (; j < n && peers[j] == peers[i]; ++j) bytes += msgs[j].msg_len;
        Batcher batcher(*this, peers[i], no_subject);
        batcher.Begin(bytes);
        uint64_t received = 0;
        for (size_t k = i; k < j; ++k) {
          if (msgs[k].msg_len == 0) continue;  // an empty datagram holds no message
          ++received;
          batcher.Add(std::string_view(buf.data() + k * kDatagram, msgs[k].msg_len));
        }
        // Counted per run, not per datagram: the counters share a cache line with the writer's.
        stats.received += received;
        for (auto& b : batcher.Batches()) {
          const size_t frames = b.size();
          if (!queue.TryPush(std::move(b))) stats.dropped_udp += frames;
        }
        i = j;
      }
    }
  }

  void Accept(int listen_fd, bool tls) {
    pthread_setname_np(pthread_self(), "mamori-accept");
    while (!stopping) {
      if (!Readable(listen_fd)) continue;
      sockaddr_storage ss{};
      socklen_t len = sizeof ss;
      int fd = accept4(listen_fd, reinterpret_cast<sockaddr*>(&ss), &len, SOCK_CLOEXEC);
      if (fd < 0) continue;
      ++stats.connections;
      std::string peer = PeerAddress(ss);
      std::lock_guard lock(conns_m);
      // Connections that ended are joined here, so a long-running receiver does not collect them.
      for (auto it = conns.begin(); it != conns.end();) {
        if (*it->done) {
          it->thread.join();
          it = conns.erase(it);
        } else {
          ++it;
        }
      }
      Conn c;
      auto done = c.done;
      c.thread = std::thread([this, fd, peer, tls, done] {
        Connection(fd, peer, tls);
        *done = true;
      });
      conns.push_back(std::move(c));
    }
  }

  void Connection(int fd, const std::string& peer, bool tls) {
    // Named for `top -H` and perf: which of the receiver's threads is busy.
    pthread_setname_np(pthread_self(), tls ? "mamori-tls" : "mamori-tcp");
    FrameSplitter split(options.max_frame);
    SSL* s = nullptr;
    std::string subject;
    Batcher batcher(*this, peer, subject);
    // Counted per read, not per frame: the counters share a cache line with the writer's.
    auto push = [&] {
      auto& batches = batcher.Batches();
      for (const auto& b : batches) stats.received += b.size();
      queue.PushAll(batches);
    };
    auto on_frame = [&](std::string_view frame) { batcher.Add(frame); };
    auto feed = [&](std::string_view bytes) {
      // Room for every frame this read completes (with the start held back from the last one):
      // a batch that grew while being filled was copied again each time.
      batcher.Begin(bytes.size() + split.Pending());
      split.Feed(bytes, on_frame);
      push();
    };
    if (tls) {
      timeval tv{10, 0};
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      s = SSL_new(ssl);
      SSL_set_fd(s, fd);
      if (SSL_accept(s) != 1) {
        ++stats.tls_rejected;
        SSL_free(s);
        close(fd);
        return;
      }
      if (X509* cert = SSL_get1_peer_certificate(s)) {
        char name[512];
        X509_NAME_oneline(X509_get_subject_name(cert), name, sizeof name);
        subject = name;
        X509_free(cert);
      }
    }
    bool eof = false;
    std::string buf(65536, '\0');
    while (!stopping) {
      // SSL_has_pending: records OpenSSL already read from the socket but not yet decrypted —
      // the socket may have nothing more to say while they wait.
      if ((s == nullptr || SSL_has_pending(s) == 0) && !Readable(fd)) continue;
      int n = s != nullptr ? SSL_read(s, buf.data(), static_cast<int>(buf.size()))
                           : static_cast<int>(read(fd, buf.data(), buf.size()));
      if (n <= 0) {
        if (s != nullptr) {
          int err = SSL_get_error(s, n);
          if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) continue;
        } else if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
          continue;
        }
        eof = true;
        break;
      }
      feed(std::string_view(buf.data(), static_cast<size_t>(n)));
    }
    // Stopping: what the sender has already sent is read and kept, without waiting for more.
    if (!eof) {
      fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
      for (;;) {
        int n = s != nullptr ? SSL_read(s, buf.data(), static_cast<int>(buf.size()))
                             : static_cast<int>(read(fd, buf.data(), buf.size()));
        if (n <= 0) break;
        feed(std::string_view(buf.data(), static_cast<size_t>(n)));
      }
    }
    batcher.Begin(split.Pending());
    split.Finish(on_frame);
    push();
    stats.oversized += split.oversized();
    if (s != nullptr) {
      SSL_shutdown(s);
      SSL_free(s);
    }
    close(fd);
  }
};

Receiver::Receiver(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Receiver::~Receiver() {
  Stop();
}

Result<std::unique_ptr<Receiver>> Receiver::Start(LogsService& service,
                                                  const ReceiverOptions& options,
                                                  const Clock& clock) {
  // A peer that goes away while TLS writes its close_notify must not kill the process.
  std::signal(SIGPIPE, SIG_IGN);
  // The source's name goes into every stored record (at most 65 535 bytes there).
  if (!CompactRecordFits(options.source, SyslogOrigin{}))
    return MakeError(ErrorCode::kInvalidArgument, "json.too_long", {"source", "65535"}, "source");
  auto impl = std::make_unique<Impl>(options.queue_events);
  impl->service = &service;
  impl->options = options;
  impl->current_matcher = options.matcher;
  impl->clock = &clock;
  if (!options.tls.empty()) {
    impl->ssl = SSL_CTX_new(TLS_server_method());
    SSL_CTX_set_min_proto_version(impl->ssl, TLS1_2_VERSION);
    // No TLS 1.3 session tickets: syslog senders never resume, and one that does not read the
    // tickets it was sent makes its kernel answer our data with a reset when it closes —
    // losing what it sent last.
    SSL_CTX_set_num_tickets(impl->ssl, 0);
    if (SSL_CTX_use_certificate_chain_file(impl->ssl, options.tls_cert.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(impl->ssl, options.tls_key.c_str(), SSL_FILETYPE_PEM) != 1)
      return MakeError(ErrorCode::kInvalidArgument, "cli.tls_failed",
                       {options.tls_cert, options.tls_key});
    if (!options.tls_ca.empty()) {
      if (SSL_CTX_load_verify_locations(impl->ssl, options.tls_ca.c_str(), nullptr) != 1)
        return MakeError(ErrorCode::kInvalidArgument, "cli.tls_failed", {options.tls_ca, ""});
      SSL_CTX_set_verify(impl->ssl, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    }
  }
  if (!options.udp.empty()) {
    MAMORI_ASSIGN_OR_RETURN(impl->udp_fd, Listen(options.udp, SOCK_DGRAM, &impl->udp_port));
  }
  if (!options.tcp.empty()) {
    MAMORI_ASSIGN_OR_RETURN(impl->tcp_fd, Listen(options.tcp, SOCK_STREAM, &impl->tcp_port));
  }
  if (!options.tls.empty()) {
    MAMORI_ASSIGN_OR_RETURN(impl->tls_fd, Listen(options.tls, SOCK_STREAM, &impl->tls_port));
  }
  // The store is opened (and recovered) before anything is accepted.
  MAMORI_RETURN_IF_ERROR(service.Checkpoint());
  Impl* p = impl.get();
  MAMORI_ASSIGN_OR_RETURN(p->committed_end, service.StoreSize());
  p->preparer = std::thread([p] { p->Preparer(); });
  p->writer = std::thread([p] { p->Writer(); });
  if (p->udp_fd >= 0) p->udp = std::thread([p] { p->Udp(); });
  if (p->tcp_fd >= 0) p->tcp_accept = std::thread([p] { p->Accept(p->tcp_fd, false); });
  if (p->tls_fd >= 0) p->tls_accept = std::thread([p] { p->Accept(p->tls_fd, true); });
  return std::unique_ptr<Receiver>(new Receiver(std::move(impl)));
}

void Receiver::Stop() {
  auto& s = *impl_;
  if (s.stopped) return;
  s.stopped = true;
  s.stopping = true;
  for (auto* t : {&s.udp, &s.tcp_accept, &s.tls_accept})
    if (t->joinable()) t->join();
  {
    std::lock_guard lock(s.conns_m);
    for (auto& c : s.conns)
      if (c.thread.joinable()) c.thread.join();
  }
  for (int fd : {s.udp_fd, s.tcp_fd, s.tls_fd})
    if (fd >= 0) close(fd);
  s.queue.Close();
  if (s.preparer.joinable()) s.preparer.join();
  if (s.writer.joinable()) s.writer.join();
}

const ReceiverStats& Receiver::stats() const {
  return impl_->stats;
}
int Receiver::udp_port() const {
  return impl_->udp_port;
}
int Receiver::tcp_port() const {
  return impl_->tcp_port;
}
int Receiver::tls_port() const {
  return impl_->tls_port;
}

}  // namespace mamori::logs
