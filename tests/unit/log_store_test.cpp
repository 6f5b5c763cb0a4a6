// The tamper-evident log store: a clean store verifies; a changed byte, a changed byte with its
// hash recomputed, a deleted, reordered or inserted event, a truncated or deleted segment, a
// forged checkpoint are each reported with where; a torn write at the end (a crash) is cut on
// the next open without losing a committed event; verification can start at a checkpoint and
// with an auditor's copy of the key.
#include "logs/log_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "core/crypto.hpp"
#include "logs/logs_service.hpp"
#include "support/pg_server.hpp"

namespace mamori::logs {
namespace {

namespace fs = std::filesystem;

class StepClock final : public Clock {
 public:
  UnixMillis Now() const override { return now_ += 1000; }

 private:
  mutable UnixMillis now_ = 1764547200000;  // 2025-12-01
};

std::string ReadFile(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  return {(std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()};
}
void WriteFile(const std::string& p, const std::string& s) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << s;
}

struct Rec {
  size_t offset, size;
};
std::vector<Rec> Records(const std::string& seg) {
  std::vector<Rec> out;
  size_t at = 0;
  while (at + 16 <= seg.size()) {
    uint32_t len = 0;
    for (int i = 0; i < 4; ++i)
      len |= uint32_t{static_cast<unsigned char>(seg[at + 4 + i])} << (8 * i);
    size_t size = 16 + len + 32;
    out.push_back({at, size});
    at += size;
  }
  return out;
}

class LogStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    InitCrypto();
    dir_ = tmp_.File("store");
    StoreOptions o;
    o.segment_bytes = 4000;  // several segments
    o.checkpoint_events = 10;
    o.checkpoint_ms = 1'000'000'000;
    std::vector<std::string> notes;
    auto s = LogStore::Open(dir_, o, clock_, &notes);
    ASSERT_TRUE(s.ok()) << s.error().Message(Lang::kJa);
    for (int batch = 0; batch < 10; ++batch) {
      std::vector<LogEvent> events;
      for (int i = 0; i < 5; ++i) {
        LogEvent e;
        e.time = clock_.Now();
        e.received = e.time;
        e.source = "emr";
        e.user = "nurse" + std::to_string(batch);
        e.action = "view";
        e.object = "patient-" + std::to_string(batch * 5 + i);
        e.message = "カルテ参照 " + std::to_string(batch * 5 + i);
        e.raw = e.message;
        events.push_back(e);
      }
      ASSERT_TRUE((*s)->Append(events).ok());
    }
    ASSERT_TRUE((*s)->WriteCheckpoint().ok());
    ASSERT_EQ((*s)->size(), 50u);
  }

  VerifyReport Verify(std::optional<uint64_t> from = std::nullopt) {
    auto r = VerifyStore(dir_, from, std::nullopt);
    EXPECT_TRUE(r.ok()) << r.error().Message(Lang::kJa);
    return r.ok() ? *r : VerifyReport{};
  }
  std::string Seg(int n) {
    char name[32];
    std::snprintf(name, sizeof name, "/segments/%08d.seg", n);
    return dir_ + name;
  }
  static bool Has(const VerifyReport& r, const std::string& kind) {
    for (const auto& p : r.problems)
      if (p.kind == kind) return true;
    return false;
  }

  testing::TempDir tmp_;
  std::string dir_;
  StepClock clock_;
};

TEST_F(LogStoreTest, ACleanStoreVerifiesWithEveryCheckpoint) {
  auto r = Verify();
  EXPECT_TRUE(r.ok) << r.ToJson().dump(2);
  EXPECT_EQ(r.events, 50u);
  EXPECT_EQ(r.checkpoints, 5u);
  EXPECT_EQ(r.checkpoints_verified, 5u);
  EXPECT_EQ(r.uncovered, 0u);
  EXPECT_TRUE(fs::exists(Seg(2)));
  // From a checkpoint on, and with the auditor's own copy of the key.
  auto from = Verify(30);
  EXPECT_TRUE(from.ok) << from.ToJson().dump(2);
  EXPECT_EQ(from.events, 50u);
  auto key = minisign::ParsePublicKey(ReadFile(dir_ + "/node.pub"), "node.pub");
  ASSERT_TRUE(key.ok());
  auto with_key = VerifyStore(dir_, std::nullopt, *key);
  ASSERT_TRUE(with_key.ok());
  EXPECT_TRUE(with_key->ok);
  // Another key (the store's key replaced by an intruder) makes every checkpoint fail.
  auto other = minisign::GenerateSigningKey();
  auto wrong = VerifyStore(dir_, std::nullopt, other.pub);
  ASSERT_TRUE(wrong.ok());
  EXPECT_FALSE(wrong->ok);
  EXPECT_TRUE(Has(*wrong, "signature"));
}

TEST_F(LogStoreTest, AChangedByteIsFoundWithItsEvent) {
  std::string s = ReadFile(Seg(1));
  auto recs = Records(s);
  size_t at = s.find("patient-3");
  ASSERT_NE(at, std::string::npos);
  s[at + 8] = '9';
  WriteFile(Seg(1), s);
  auto r = Verify();
  EXPECT_FALSE(r.ok);
  ASSERT_TRUE(Has(r, "changed"));
  for (const auto& p : r.problems)
    if (p.kind == "changed") {
      EXPECT_EQ(p.seq, 3u);
      EXPECT_EQ(p.segment, 1u);
      EXPECT_EQ(p.offset, recs[3].offset);
      EXPECT_NE(p.detail.find("イベント 3"), std::string::npos);
    }
  EXPECT_TRUE(Has(r, "root_mismatch"));
}

TEST_F(LogStoreTest, AChangeWithItsHashRecomputedStillBreaksTheSignedRoot) {
  std::string s = ReadFile(Seg(1));
  auto recs = Records(s);
  const Rec& rec = recs[2];
  size_t at = s.find("patient-2");
  s[at + 8] = '7';
  // The intruder recomputes the leaf hash the record carries.
  std::string entry = s.substr(rec.offset + 8, 8) + s.substr(rec.offset + 16, rec.size - 48);
  std::string leaf = LeafHash(entry);
  s.replace(rec.offset + rec.size - 32, 32, leaf);
  WriteFile(Seg(1), s);
  auto r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(Has(r, "changed"));
  EXPECT_TRUE(Has(r, "root_mismatch"));
}

TEST_F(LogStoreTest, DeletedReorderedAndInsertedEventsAreFound) {
  std::string orig = ReadFile(Seg(1));
  auto recs = Records(orig);
  ASSERT_GT(recs.size(), 5u);
  // Deleted: event 4 cut out.
  std::string del = orig;
  del.erase(recs[4].offset, recs[4].size);
  WriteFile(Seg(1), del);
  auto r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(Has(r, "missing"));
  EXPECT_TRUE(Has(r, "root_mismatch"));
  // Reordered: events 1 and 2 swapped.
  std::string swp = orig.substr(0, recs[1].offset) + orig.substr(recs[2].offset, recs[2].size) +
                    orig.substr(recs[1].offset, recs[1].size) + orig.substr(recs[3].offset);
  WriteFile(Seg(1), swp);
  r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(Has(r, "missing") || Has(r, "out_of_order"));
  EXPECT_TRUE(Has(r, "out_of_order"));
  // Inserted: a copy of event 0 again after itself.
  std::string ins =
      orig.substr(0, recs[1].offset) + orig.substr(0, recs[0].size) + orig.substr(recs[1].offset);
  WriteFile(Seg(1), ins);
  r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(Has(r, "out_of_order"));
}

TEST_F(LogStoreTest, TruncatedAndDeletedSegmentsAreFound) {
  auto segments = 0;
  while (fs::exists(Seg(segments + 1))) ++segments;
  ASSERT_GE(segments, 3);
  std::string last = ReadFile(Seg(segments));
  auto recs = Records(last);
  // Cut inside the last record.
  WriteFile(Seg(segments), last.substr(0, recs.back().offset + 10));
  auto r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(Has(r, "truncated"));
  EXPECT_TRUE(Has(r, "checkpoint_beyond_end"));
  // Cut at a record boundary: the events at the end are simply gone — the checkpoint says so.
  WriteFile(Seg(segments), last.substr(0, recs.back().offset));
  r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(Has(r, "truncated"));
  EXPECT_TRUE(Has(r, "checkpoint_beyond_end"));
  WriteFile(Seg(segments), last);
  EXPECT_TRUE(Verify().ok);
  // A whole segment deleted.
  fs::remove(Seg(2));
  r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(Has(r, "missing"));
}

TEST_F(LogStoreTest, AForgedCheckpointIsFound) {
  std::string cps = ReadFile(dir_ + "/checkpoints.log");
  auto at = cps.find("size 20\n");
  ASSERT_NE(at, std::string::npos);
  cps.replace(at, 8, "size 21\n");
  WriteFile(dir_ + "/checkpoints.log", cps);
  auto r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(Has(r, "signature"));
}

TEST_F(LogStoreTest, ATornWriteAtTheEndIsCutOnOpenAndNothingCommittedIsLost) {
  auto segments = 0;
  while (fs::exists(Seg(segments + 1))) ++segments;
  std::string last = ReadFile(Seg(segments));
  auto recs = Records(last);
  // A crash in the middle of a write: half a record after the last committed one.
  std::string torn = last + last.substr(recs[0].offset, recs[0].size / 2);
  WriteFile(Seg(segments), torn);
  EXPECT_TRUE(Has(Verify(), "truncated"));  // before recovery, verify says what it sees
  std::vector<std::string> notes;
  StoreOptions o;
  o.segment_bytes = 4000;
  auto s = LogStore::Open(dir_, o, clock_, &notes);
  ASSERT_TRUE(s.ok()) << s.error().Message(Lang::kJa);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("切り詰めました"), std::string::npos);
  EXPECT_EQ((*s)->size(), 50u);
  std::vector<LogEvent> more(3);
  ASSERT_TRUE((*s)->Append(more).ok());
  ASSERT_TRUE((*s)->WriteCheckpoint().ok());
  s->reset();
  auto r = Verify();
  EXPECT_TRUE(r.ok) << r.ToJson().dump(2);
  EXPECT_EQ(r.events, 53u);
}

TEST_F(LogStoreTest, DamageBeforeTheEndStopsTheWriterAndNothingIsCut) {
  std::string s = ReadFile(Seg(1));
  s[Records(s)[1].offset] = 'X';  // a broken frame in the first segment
  WriteFile(Seg(1), s);
  // The writer resumes after the last checkpoint, so open succeeds only while the damage is
  // behind it; a store opened from scratch (no checkpoints) refuses.
  fs::remove(dir_ + "/checkpoints.log");
  std::vector<std::string> notes;
  auto opened = LogStore::Open(dir_, StoreOptions{}, clock_, &notes);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().key, "logs.store_damaged");
  EXPECT_EQ(ReadFile(Seg(1)), s);
}

TEST_F(LogStoreTest, EventsReadBackAtTheirPositions) {
  uint64_t n = 0;
  ASSERT_TRUE(ScanStore(dir_, 45, [&](const LogEvent& e, const Position& at) -> Status {
                auto back = ReadEventAt(dir_, at);
                EXPECT_TRUE(back.ok());
                EXPECT_EQ(back->seq, e.seq);
                EXPECT_EQ(back->object, "patient-" + std::to_string(e.seq));
                ++n;
                return Ok();
              }).ok());
  EXPECT_EQ(n, 5u);
}

// Frames prepared ahead of the append (a receiver prepares its next batch while the last is
// made durable) are numbered as the preparer expected the store to be; the store refuses them
// when they do not follow on, and writes nothing.
TEST_F(LogStoreTest, PreparedFramesThatDoNotFollowOnAreRefusedAndNothingIsWritten) {
  std::vector<std::string> notes;
  auto s = LogStore::Open(dir_, StoreOptions{}, clock_, &notes);
  ASSERT_TRUE(s.ok());
  std::vector<ReceivedBatch> batches(1);
  batches[0].received = clock_.Now();
  batches[0].source = "fw";
  batches[0].Add("<13>Dec  1 10:00:00 fw a: one");
  batches[0].Add("<13>Dec  1 10:00:01 fw a: two");
  for (uint64_t wrong : {uint64_t{49}, uint64_t{51}, uint64_t{0}}) {
    PreparedFrames frames;
    ASSERT_TRUE(PrepareFrames(batches, wrong, frames).ok());
    auto at = (*s)->Append(frames);
    ASSERT_FALSE(at.ok());
    EXPECT_EQ(at.error().code, ErrorCode::kConflict);
    EXPECT_EQ(at.error().key, "logs.batch_stale");
    EXPECT_EQ((*s)->size(), 50u);
  }
  PreparedFrames frames;
  ASSERT_TRUE(PrepareFrames(batches, 50, frames).ok());
  auto at = (*s)->Append(frames);
  ASSERT_TRUE(at.ok());
  EXPECT_EQ(at->size(), 2u);
  ASSERT_TRUE((*s)->WriteCheckpoint().ok());
  s->reset();
  auto r = Verify();
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.events, 52u);
  auto back = ReadEventAt(dir_, (*at)[1]);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->seq, 51u);
  EXPECT_EQ(back->raw, "<13>Dec  1 10:00:01 fw a: two");
}

// The service prepares them again when other events came in between (a file ingested into the
// store a receiver writes to): every event once, numbered in order, and the store verifies.
TEST(LogsServicePrepared, FramesPreparedBeforeAnotherAppendArePreparedAgain) {
  InitCrypto();
  testing::TempDir tmp;
  std::string dir = tmp.File("store");
  StepClock clock;
  LogsService svc(dir, clock);
  auto size = svc.StoreSize();
  ASSERT_TRUE(size.ok());
  ASSERT_EQ(*size, 0u);
  std::vector<ReceivedBatch> batches(2);
  for (int i = 0; i < 6; ++i) {
    auto& b = batches[i % 2];
    b.received = clock.Now();
    b.source = i % 2 == 0 ? "fw" : "ad";
    b.origin.peer = "192.0.2.1";
    b.Add("<38>Dec  1 10:00:00 emr sshd[" + std::to_string(i) +
          "]: Accepted password for prepared" + std::to_string(i) + " from 10.0.0.1 port 22 ssh2");
  }
  PreparedFrames frames;
  ASSERT_TRUE(PrepareFrames(batches, *size, frames).ok());
  // Meanwhile, someone else appends.
  std::vector<LogEvent> other(3);
  for (auto& e : other) e.message = e.raw = "from a file";
  ASSERT_TRUE(svc.Append(other).ok());
  auto end = svc.AppendPrepared(batches, frames);
  ASSERT_TRUE(end.ok()) << end.error().Message(Lang::kJa);
  EXPECT_EQ(*end, 9u);
  EXPECT_EQ(frames.first_seq, 3u);
  EXPECT_TRUE(batches.empty());  // taken
  ASSERT_TRUE(svc.Checkpoint().ok());
  for (int i = 0; i < 6; ++i) {
    LogQuery q;
    q.user = "prepared" + std::to_string(i);
    auto page = svc.Search(q);
    ASSERT_TRUE(page.ok());
    ASSERT_EQ(page->total, 1u) << q.user;
    // Batch 0 holds frames 0, 2, 4 (seq 3, 4, 5); batch 1 frames 1, 3, 5 (seq 6, 7, 8).
    EXPECT_EQ(page->events[0].seq, static_cast<uint64_t>(i % 2 == 0 ? 3 + i / 2 : 6 + i / 2));
    EXPECT_EQ(page->events[0].source, i % 2 == 0 ? "fw" : "ad");
  }
  auto report = VerifyStore(dir, std::nullopt, std::nullopt);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok);
  EXPECT_EQ(report->events, 9u);
}

// The receivers' path: appends never wait for the index. Batches beyond what the index queue
// holds are left to a catch-up from the segments, which the indexer does on its own once the
// queue is empty — every event becomes searchable without a search asking for it, and
// `appended` counts what is durable before any checkpoint. Batches queued on either side of one
// left out are not indexed as one (that left a gap no catch-up filled: a search found a quarter
// of the events of a fast sender).
TEST(LogsServiceAsync, BatchesTheIndexQueueCouldNotHoldAreCaughtUpFromTheSegments) {
  InitCrypto();
  testing::TempDir tmp;
  std::string dir = tmp.File("store");
  StepClock clock;
  // Small and large batches in turn, more than the queue (8192 events) holds: a large one is left
  // out behind a small one still queued, and the next small one is queued after it.
  constexpr uint64_t kBatches = 12;
  auto size_of = [](uint64_t b) -> uint64_t { return b % 2 == 0 ? 1000 : 8000; };
  uint64_t total = 0;
  for (uint64_t b = 0; b < kBatches; ++b) total += size_of(b);
  {
    LogsService svc(dir, clock);
    uint64_t seq = 0;
    for (uint64_t b = 0; b < kBatches; ++b) {
      // As a receiver hands them over: a read's frames in one batch, or in several.
      std::vector<ReceivedBatch> batches(1 + b % 3);
      for (uint64_t i = 0; i < size_of(b); ++i) {
        auto& rb = batches[i % batches.size()];
        rb.received = clock.Now();
        rb.source = "emr";
        rb.origin.peer = "192.0.2.9";
        rb.Add("<38>Dec  1 10:00:00 emr sshd[" + std::to_string(seq++) +
               "]: Accepted password for user" + std::to_string(b) + " from 10.0.0.1 port 22 ssh2");
      }
      PreparedFrames none;  // prepared by the service
      ASSERT_TRUE(svc.AppendPrepared(batches, none).ok());
      EXPECT_TRUE(batches.empty());  // taken
    }
    auto status = svc.StoreStatus();
    ASSERT_TRUE(status.ok());
    EXPECT_EQ((*status)["appended"], total);
    uint64_t indexed = 0;
    for (int i = 0; i < 600 && indexed < total; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      indexed = (*svc.StoreStatus())["indexed"].get<uint64_t>();
    }
    EXPECT_EQ(indexed, total);
    // Every batch whole, whichever way it was indexed.
    for (uint64_t b = 0; b < kBatches; ++b) {
      LogQuery q;
      q.user = "user" + std::to_string(b);
      auto page = svc.Search(q);
      ASSERT_TRUE(page.ok());
      EXPECT_EQ(page->total, size_of(b)) << q.user;
    }
  }
  // Opened again: everything is there, once — paged through, newest first (every event has the
  // same time: the pages follow the seq) — and verifies.
  LogsService again(dir, clock);
  LogQuery all;
  all.limit = 1000;
  std::vector<uint64_t> seen;
  for (;;) {
    auto page = again.Search(all);
    ASSERT_TRUE(page.ok());
    EXPECT_EQ(page->total, kSearchTotalLimit);
    EXPECT_FALSE(page->total_exact);
    for (const auto& e : page->events) seen.push_back(e.seq);
    if (!page->next_before) break;
    all.before_seq = page->next_before;
  }
  ASSERT_EQ(seen.size(), total);
  for (uint64_t i = 0; i < total; ++i) ASSERT_EQ(seen[i], total - 1 - i);
  auto report = VerifyStore(dir, std::nullopt, std::nullopt);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok);
  EXPECT_EQ(report->events, total);
}

// A review reads while an expiry rewrites segments: the expiry falls between two pages, and the
// pages after it are read from the rewritten segments at the positions the index now gives —
// every event read is the one its position names, the expired ones are gone.
TEST(LogsServiceReview, AnExpiryDuringAReviewFallsBetweenPages) {
  InitCrypto();
  testing::TempDir tmp;
  std::string dir = tmp.File("store");
  StepClock clock;
  StoreOptions o;
  o.segment_bytes = 64 << 10;  // several segments, rewritten by the expiry
  LogsService svc(dir, clock, o);
  constexpr int kEvents = 6000;
  const UnixMillis old_receipt = 946684800000, recent = 1764547200000;  // 2000-01-01, 2025-12-01
  for (int b = 0; b < kEvents; b += 500) {
    std::vector<LogEvent> events;
    for (int i = b; i < b + 500; ++i) {
      LogEvent e;
      e.time = recent + i * 1000LL;
      e.source = i % 2 == 0 ? "old" : "new";
      e.received = i % 2 == 0 ? old_receipt : recent;
      e.message = e.raw = "event " + std::to_string(i);
      events.push_back(std::move(e));
    }
    ASSERT_TRUE(svc.Append(events).ok());
  }
  int seen = 0, after_expiry_old = 0;
  bool expired = false;
  auto st = svc.ForEachInRange(recent, recent + kEvents * 1000LL, [&](const LogEvent& e) -> Status {
    EXPECT_EQ(e.message, "event " + std::to_string(e.seq)) << "read at a stale position";
    // The first page (2 000 events) was read before the expiry; the pages after it are not.
    if (expired && e.seq >= 2000 && e.source == "old") ++after_expiry_old;
    if (++seen == 10) {
      auto r = svc.Expire({{"old", 5, 1262304000000}}, "test", false);  // before 2010
      EXPECT_TRUE(r.ok());
      EXPECT_TRUE(r.ok() && r->record && r->record->count == kEvents / 2);
      expired = true;
    }
    return Ok();
  });
  ASSERT_TRUE(st.ok()) << st.error().Message(Lang::kJa);
  EXPECT_TRUE(expired);
  EXPECT_EQ(after_expiry_old, 0);
  EXPECT_GT(seen, kEvents / 2);
  EXPECT_LT(seen, kEvents);
}

// `logs ingest` of a file larger than a chunk: syslog and JSON lines read a chunk at a time give
// the same events, counts and error lines as the file read whole — lines across chunk ends, a
// line longer than a chunk, CRLF, a last line without a line break; a JSON document printed over
// many lines (FHIR) is not taken for JSON lines.
TEST(LogsServiceIngest, AFileReadAChunkAtATimeGivesWhatTheWholeFileGives) {
  InitCrypto();
  testing::TempDir tmp;
  StepClock clock;
  auto events_of = [](LogsService& svc) {
    LogQuery q;
    q.limit = 5000;
    auto page = svc.Search(q);
    EXPECT_TRUE(page.ok());
    std::vector<std::string> raws;
    if (page.ok())
      for (const auto& e : page->events) raws.push_back(e.raw + "|" + e.host + "|" + e.user);
    return raws;
  };
  std::string syslog;
  for (int i = 0; i < 400; ++i) {
    syslog += "<38>Dec  1 10:" + std::to_string(10 + i % 50) + ":00 host" + std::to_string(i % 7) +
              " sshd[" + std::to_string(i) + "]: Accepted password for u" + std::to_string(i) +
              " from 10.0.0." + std::to_string(i % 250) + " port 22 ssh2";
    if (i == 123) syslog += " " + std::string(3000, 'x');  // longer than a chunk
    syslog += i % 3 == 0 ? "\r\n" : "\n";
    if (i == 200) syslog += "this line is not syslog\n";
  }
  syslog += "<38>Dec  1 11:00:00 last sshd[9]: no line break at the end";
  std::string jsonl;
  for (int i = 0; i < 300; ++i) {
    jsonl += R"({"time": "2026-11-30T09:)" + std::to_string(10 + i % 50) +
             R"(:00+09:00", "user": "u)" + std::to_string(i) + R"(", "message": "参照 )" +
             std::string(static_cast<size_t>(i % 40), 'y') + "\"}\n";
    if (i == 150) jsonl += "{not json\n";
  }
  for (const auto& [name, text] : {std::pair{"dev.log", syslog}, std::pair{"emr.jsonl", jsonl}}) {
    std::string path = tmp.File(name);
    std::ofstream(path, std::ios::binary) << text;
    LogsService whole(tmp.File(std::string(name) + "-whole"), clock);
    LogsService chunked(tmp.File(std::string(name) + "-chunked"), clock);
    auto a = whole.IngestFile(path, text, "auto", "src");
    auto b = chunked.IngestPath(path, "auto", "src", {}, 9 * 60, 1024);
    ASSERT_TRUE(a.ok()) << a.error().Message(Lang::kEn);
    ASSERT_TRUE(b.ok()) << b.error().Message(Lang::kEn);
    EXPECT_GT(a->accepted, 250u) << name;
    EXPECT_EQ(a->accepted, b->accepted) << name;
    EXPECT_EQ(a->rejected, 1u) << name;
    EXPECT_EQ(b->rejected, 1u) << name;
    ASSERT_EQ(a->errors.size(), 1u);
    ASSERT_EQ(b->errors.size(), 1u);
    EXPECT_EQ(a->errors[0].line, b->errors[0].line) << name;
    EXPECT_EQ(a->errors[0].message, b->errors[0].message) << name;
    auto ea = events_of(whole);
    EXPECT_EQ(ea.size(), a->accepted);
    EXPECT_EQ(ea, events_of(chunked)) << name;
  }
  // A pretty-printed JSON document larger than a chunk: read whole, as before.
  std::string doc =
      "{\n  \"resourceType\": \"Bundle\",\n  \"type\": \"collection\",\n  \"entry\": []";
  doc += std::string(3000, ' ') + "\n}\n";
  std::string path = tmp.File("bundle.json");
  std::ofstream(path, std::ios::binary) << doc;
  LogsService whole(tmp.File("doc-whole"), clock);
  LogsService chunked(tmp.File("doc-chunked"), clock);
  auto a = whole.IngestFile(path, doc, "auto", "src");
  auto b = chunked.IngestPath(path, "auto", "src", {}, 9 * 60, 1024);
  ASSERT_EQ(a.ok(), b.ok());
  if (a.ok()) {
    EXPECT_EQ(a->accepted, b->accepted);
    EXPECT_EQ(a->rejected, b->rejected);
  }
  // A file that cannot be read names itself.
  auto missing = chunked.IngestPath(tmp.File("none.log"), "auto", "src");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().key, "import.cannot_read");
}

}  // namespace
}  // namespace mamori::logs
