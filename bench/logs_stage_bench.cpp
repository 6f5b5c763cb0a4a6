// The stages of syslog ingestion measured one at a time in one process, each against a baseline
// that does the least the stage must do to the same bytes (issue #6; docs/benchmarks.md):
//   split    frames found in the stream (LF framing)              vs memchr over the bytes
//   prepare  PrepareFrames of the received frames (compact record, leaf hash: the receivers'
//            preparer thread)                                      vs SHA-256 of the stored bytes
//   append   LogStore::Append of the prepared frames (write, fdatasync per batch, the Merkle
//            tree, checkpoints: the receivers' writer thread)      vs the same bytes written
//                                                                  and fdatasync'ed per batch
//   parse    ReceivedBatch::Event of every frame (normalised event, vendor fields left for
//            reading back: the index thread)                       vs split alone
//   index    LogIndex::Add of the parsed events                    (no baseline: SQLite)
// Usage: logs_stage_bench STREAM WORK_DIR [BATCH] → a Markdown table on stdout. STREAM is a file
// of LF-framed syslog lines (bench/logs_bench.sh writes one from the real device samples).
#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "logs/log_index.hpp"
#include "logs/log_store.hpp"
#include "logs/receiver.hpp"
#include "logs/syslog.hpp"

namespace {

using Steady = std::chrono::steady_clock;
double Since(Steady::time_point t0) {
  return std::chrono::duration<double>(Steady::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace mamori;
  using namespace mamori::logs;
  if (argc < 3) {
    std::cerr << "usage: logs_stage_bench STREAM WORK_DIR [BATCH]\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string stream = ss.str();
  std::string work = argv[2];
  size_t batch_size = argc > 3 ? std::stoul(argv[3]) : 8192;
  std::filesystem::remove_all(work);
  std::filesystem::create_directories(work);

  // Baseline of the split: every LF found.
  auto t0 = Steady::now();
  size_t lines = 0;
  std::string_view all(stream);
  for (size_t at = all.find('\n'); at != std::string_view::npos; at = all.find('\n', at + 1))
    ++lines;  // string_view::find of a char is memchr
  double memchr_s = Since(t0);

  // The splitter keeps what it has not framed yet; fed in 64 KiB reads as a socket would. Timed
  // with the frames only counted (the receiver parses each where it lies); kept for the stages
  // below in a second, untimed pass.
  size_t counted = 0;
  t0 = Steady::now();
  {
    FrameSplitter split(size_t{64} * 1024);
    for (size_t at = 0; at < stream.size(); at += 65536)
      split.Feed(std::string_view(stream).substr(at, 65536),
                 [&](std::string_view f) { counted += f.empty() ? 0 : 1; });
    split.Finish([&](std::string_view f) { counted += f.empty() ? 0 : 1; });
  }
  double split_s = Since(t0);
  FrameSplitter split(size_t{64} * 1024);
  std::vector<std::string> owned;
  owned.reserve(lines + 1);
  for (size_t at = 0; at < stream.size(); at += 65536)
    split.Feed(std::string_view(stream).substr(at, 65536),
               [&](std::string_view f) { owned.emplace_back(f); });
  split.Finish([&](std::string_view f) { owned.emplace_back(f); });
  size_t n = owned.size();
  if (counted != n) {
    std::cerr << "split: " << counted << " frames counted, " << n << " kept\n";
    return 1;
  }

  // For profiling the parser alone: MAMORI_BENCH_PARSE=K parses every frame K times (batches of
  // 8192 kept and freed as the receiver does) and prints the fastest pass — the VM's noise is
  // larger than most single changes.
  if (const char* k = std::getenv("MAMORI_BENCH_PARSE")) {
    double best = 1e9;
    std::vector<LogEvent> kept;
    for (int pass = 0; pass < std::atoi(k); ++pass) {
      auto p0 = Steady::now();
      for (size_t at = 0; at < n; at += batch_size) {
        kept.clear();
        for (size_t i = at; i < std::min(n, at + batch_size); ++i)
          kept.push_back(
              ReceiveSyslog(owned[i], 1764547200123, "bench", {540, "127.0.0.1", ""}, false));
      }
      best = std::min(best, Since(p0));
    }
    std::printf("parse: best of %s passes %.3f µs per event\n", k,
                best * 1e6 / static_cast<double>(n));
    return 0;
  }

  // Batch by batch, as the receiver works (its memory used again from batch to batch): prepare,
  // append, parse, index, each timed on its own. The frames of a batch as the TCP receiver hands
  // them over (one ReceivedBatch; untimed).
  UnixMillis received = SystemClock().Now();
  std::vector<std::string> notes;
  auto store = LogStore::Open(work, StoreOptions{}, SystemClock(), &notes);
  if (!store.ok()) {
    std::cerr << store.error().Message(Lang::kEn) << "\n";
    return 1;
  }
  auto index = LogIndex::Open(work);
  if (!index.ok()) {
    std::cerr << index.error().Message(Lang::kEn) << "\n";
    return 1;
  }
  // For profiling the stages before it: MAMORI_BENCH_NO_INDEX=1 leaves the index out.
  const bool skip_index = std::getenv("MAMORI_BENCH_NO_INDEX") != nullptr;
  double prepare_s = 0, store_s = 0, parse_s = 0, index_s = 0;
  std::vector<ReceivedBatch> batches(1);
  PreparedFrames frames;
  std::vector<LogEvent> events;
  for (size_t at = 0; at < n; at += batch_size) {
    auto& b = batches[0];
    b = ReceivedBatch{};
    b.received = received;
    b.source = "bench";
    b.origin.peer = "127.0.0.1";
    for (size_t i = at; i < std::min(n, at + batch_size); ++i) b.Add(owned[i]);
    auto t = Steady::now();
    if (auto st = PrepareFrames(batches, (*store)->size(), frames); !st.ok()) {
      std::cerr << st.error().Message(Lang::kEn) << "\n";
      return 1;
    }
    prepare_s += Since(t);
    t = Steady::now();
    auto positions = (*store)->Append(frames);
    if (!positions.ok()) {
      std::cerr << positions.error().Message(Lang::kEn) << "\n";
      return 1;
    }
    store_s += Since(t);
    if (skip_index) continue;
    t = Steady::now();
    events.clear();
    for (size_t i = 0; i < b.size(); ++i) {
      events.push_back(b.Event(i));
      events.back().seq = frames.first_seq + i;
    }
    parse_s += Since(t);
    t = Steady::now();
    auto st = (*index)->Add(events, *positions);
    if (!st.ok()) {
      std::cerr << st.error().Message(Lang::kEn) << "\n";
      return 1;
    }
    index_s += Since(t);
  }
  auto t = Steady::now();
  (void)(*store)->WriteCheckpoint();
  store_s += Since(t);
  uint64_t stored_bytes = 0;
  for (const auto& e :
       std::filesystem::directory_iterator(std::filesystem::path(work) / "segments"))
    stored_bytes += e.file_size();

  // Baseline of the store: SHA-256 over as many bytes as it wrote, in event-sized pieces.
  std::string block(stored_bytes / std::max<size_t>(n, 1), 'x');
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_MD_CTX* c = EVP_MD_CTX_new();
  EVP_MD* sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);  // once, as the store does
  t0 = Steady::now();
  for (size_t i = 0; i < n; ++i) {
    EVP_DigestInit_ex(c, sha256, nullptr);
    EVP_DigestUpdate(c, block.data(), block.size());
    EVP_DigestFinal_ex(c, md, &len);
  }
  double sha_s = Since(t0);
  EVP_MD_CTX_free(c);
  EVP_MD_free(sha256);

  // Baseline of the append: as many bytes written to one plain file in as many batches, each
  // made durable (fdatasync) — what the disk alone takes for the durable path, which rsyslog's
  // omfile (no sync) does not pay.
  const size_t batch_count = (n + batch_size - 1) / std::max<size_t>(batch_size, 1);
  std::string chunk(stored_bytes / std::max<size_t>(batch_count, 1), 'x');
  std::string plain = (std::filesystem::path(work) / "plain.baseline").string();
  int fd = ::open(plain.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    std::perror(plain.c_str());
    return 1;
  }
  t0 = Steady::now();
  for (size_t k = 0; k < batch_count; ++k)
    if (::write(fd, chunk.data(), chunk.size()) != static_cast<ssize_t>(chunk.size()) ||
        ::fdatasync(fd) != 0) {
      std::perror(plain.c_str());
      return 1;
    }
  double disk_s = Since(t0);
  ::close(fd);
  std::filesystem::remove(plain);

  auto rate = [&](double s) { return static_cast<long>(static_cast<double>(n) / s); };
  auto us = [&](double s) { return s * 1e6 / static_cast<double>(n); };
  std::printf(
      "%zu frames (%zu bytes of input, %llu bytes stored), batches of %zu, one thread.\n\n"
      "| stage | events/s | µs per event | baseline (same run) | stage vs baseline |\n"
      "|---|---|---|---|---|\n",
      n, stream.size(), static_cast<unsigned long long>(stored_bytes), batch_size);
  std::printf("| split (FrameSplitter) | %ld | %.2f | memchr of every LF: %.2f µs | %.1f× |\n",
              rate(split_s), us(split_s), us(memchr_s), split_s / memchr_s);
  std::printf(
      "| prepare (compact record, leaf hash; the receivers' preparer) | %ld | %.2f | SHA-256 of "
      "the stored bytes: %.2f µs | %.1f× |\n",
      rate(prepare_s), us(prepare_s), us(sha_s), prepare_s / sha_s);
  std::printf(
      "| append (write, fdatasync, Merkle tree, checkpoints; the receivers' writer) | %ld | %.2f "
      "| write and fdatasync of the same bytes in as many batches: %.2f µs | %.1f× |\n",
      rate(store_s), us(store_s), us(disk_s), store_s / disk_s);
  if (skip_index) {
    std::printf("| parse, index | not run (MAMORI_BENCH_NO_INDEX) | | — | — |\n");
  } else {
    std::printf(
        "| parse (ReceivedBatch::Event, no vendor fields; the index thread) | %ld | %.2f | split: "
        "%.2f µs | %.1f× |\n",
        rate(parse_s), us(parse_s), us(split_s), parse_s / split_s);
    std::printf("| index (SQLite; the index thread) | %ld | %.2f | — | — |\n", rate(index_s),
                us(index_s));
  }
  return 0;
}
