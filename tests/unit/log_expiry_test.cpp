// Retention of the log store: expiry removes what the rules make due and nothing else, leaves
// tombstones that keep every signed checkpoint true, and writes a signed record that `verify`
// holds the tombstones to; a tombstone without a record, a changed tombstone or an edited record
// is reported; an expiry cut short by a crash is finished or discarded on the next open; the
// index follows (and is rebuilt when it missed an expiry).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/crypto.hpp"
#include "logs/logs_service.hpp"
#include "logs/sources.hpp"
#include "support/pg_server.hpp"

namespace mamori::logs {
namespace {

namespace fs = std::filesystem;

class SetClock final : public Clock {
 public:
  UnixMillis Now() const override { return now_; }
  UnixMillis now_ = 0;
};

std::string ReadFile(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  return {(std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()};
}
void WriteFile(const std::string& p, const std::string& s) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << s;
}

constexpr UnixMillis kOld = 1578614400000;  // 2020-01-10 (received then)
constexpr UnixMillis kNew = 1764547200000;  // 2025-12-01
constexpr UnixMillis kNow = 1767225600000;  // 2026-01-01

class LogExpiryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    InitCrypto();
    dir_ = tmp_.File("logs");
    Open();
    // 60 old events (emr and fw interleaved), then 40 new ones.
    for (int batch = 0; batch < 10; ++batch) {
      clock_.now_ = (batch < 6 ? kOld : kNew) + batch * 1000;
      std::vector<LogEvent> events;
      for (int i = 0; i < 10; ++i) {
        LogEvent e;
        e.time = e.received = clock_.now_ + i;
        e.source = i % 2 == 0 ? "emr" : "fw";
        e.host = e.source + "-host";
        e.user = "user" + std::to_string(i);
        e.object = "patient-" + std::to_string(batch * 10 + i);
        e.message = "event " + std::to_string(batch * 10 + i);
        e.raw = e.message;
        events.push_back(e);
      }
      ASSERT_TRUE(svc_->Append(events).ok());
    }
    ASSERT_TRUE(svc_->Checkpoint().ok());
    clock_.now_ = kNow;
  }

  void Open() {
    svc_.reset();
    StoreOptions o;
    o.segment_bytes = 3000;  // several segments
    o.checkpoint_events = 10;
    o.checkpoint_ms = 1'000'000'000;
    svc_ = std::make_unique<LogsService>(dir_, clock_, o);
  }

  // emr keeps 1 year, fw 10 years: the 30 old emr events are due, nothing of fw.
  static std::vector<ExpiryRule> Rules() {
    LogSource emr, fw;
    emr.name = "emr";
    emr.retention_years = 1;
    fw.name = "fw";
    fw.retention_years = 10;
    return RetentionRules({emr, fw}, kNow);
  }

  VerifyReport Verify(std::optional<uint64_t> from = std::nullopt) {
    auto r = VerifyStore(dir_, from, std::nullopt);
    EXPECT_TRUE(r.ok()) << r.error().Message(Lang::kJa);
    return r.ok() ? *r : VerifyReport{};
  }
  static bool Has(const VerifyReport& r, const std::string& kind) {
    for (const auto& p : r.problems)
      if (p.kind == kind) return true;
    return false;
  }
  std::vector<std::string> Segments() {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_ + "/segments"))
      if (e.path().extension() == ".seg") out.push_back(e.path().string());
    std::sort(out.begin(), out.end());
    return out;
  }
  ExpiryReport Expire() {
    auto r = svc_->Expire(Rules(), "admin", false);
    EXPECT_TRUE(r.ok()) << r.error().Message(Lang::kJa);
    return r.ok() ? *r : ExpiryReport{};
  }

  testing::TempDir tmp_;
  std::string dir_;
  SetClock clock_;
  std::unique_ptr<LogsService> svc_;
};

TEST(YearsBeforeJst, IsJstMidnightOfTheSameDateYearsAgo) {
  // 2026-01-01 00:00 JST = 2025-12-31T15:00Z; one year before: 2025-01-01 00:00 JST.
  EXPECT_EQ(FormatJst(YearsBeforeJst(*ParseTime("2026-01-01T10:30:00+09:00"), 1)),
            "2025-01-01T00:00:00+09:00");
  // Late in the UTC day is already the next day in JST.
  EXPECT_EQ(FormatJst(YearsBeforeJst(*ParseTime("2026-03-01T20:00:00Z"), 5)),
            "2021-03-02T00:00:00+09:00");
  // 29 February has no twin in a common year.
  EXPECT_EQ(FormatJst(YearsBeforeJst(*ParseTime("2024-02-29"), 1)), "2023-02-28T00:00:00+09:00");
}

TEST_F(LogExpiryTest, ADryRunCountsAndRemovesNothing) {
  auto r = svc_->Expire(Rules(), "admin", true);
  ASSERT_TRUE(r.ok()) << r.error().Message(Lang::kJa);
  ASSERT_EQ(r->due.size(), 2u);
  EXPECT_EQ(r->due[0].first.source, "emr");
  EXPECT_EQ(r->due[0].second, 30u);
  EXPECT_EQ(r->due[1].second, 0u);
  EXPECT_FALSE(r->record);
  EXPECT_FALSE(fs::exists(dir_ + "/expiry.log"));
}

TEST_F(LogExpiryTest, DueEventsGoTheRestStaysAndEverySignedCheckpointStillHolds) {
  auto before = Verify();
  ASSERT_TRUE(before.ok);
  auto r = Expire();
  ASSERT_TRUE(r.record);
  EXPECT_EQ(r.record->count, 30u);
  ASSERT_EQ(r.record->sources.size(), 1u);
  EXPECT_EQ(r.record->sources[0].source, "emr");
  EXPECT_EQ(r.record->sources[0].first_seq, 0u);
  EXPECT_EQ(r.record->sources[0].last_seq, 58u);
  EXPECT_EQ(r.record->tree_size, 100u);
  EXPECT_EQ(r.record->by, "admin");

  auto after = Verify();
  EXPECT_TRUE(after.ok) << after.ToJson().dump(2);
  EXPECT_EQ(after.events, 100u);  // the tree still has every leaf
  EXPECT_EQ(after.expired, 30u);
  EXPECT_EQ(after.expiries, 1u);
  EXPECT_EQ(after.checkpoints_verified, before.checkpoints_verified);
  // From a checkpoint inside a rewritten segment (its signed offset moved).
  auto from = Verify(20);
  EXPECT_TRUE(from.ok) << from.ToJson().dump(2);

  // Search and reading by position see exactly the 70 kept events.
  LogQuery q;
  q.limit = 1000;
  q.source = "emr";
  auto emr = svc_->Search(q);
  ASSERT_TRUE(emr.ok());
  EXPECT_EQ(emr->total, 20u);
  int kept = 0;
  ASSERT_TRUE(svc_->ForEachInRange(0, kNow,
                                   [&](const LogEvent& e) -> Status {
                                     EXPECT_EQ(e.message, "event " + std::to_string(e.seq));
                                     EXPECT_FALSE(e.source == "emr" && e.received < kNew);
                                     ++kept;
                                     return Ok();
                                   })
                  .ok());
  EXPECT_EQ(kept, 70);
  // The senders count what is held.
  auto senders = svc_->Senders();
  ASSERT_TRUE(senders.ok());
  for (const auto& s : *senders) EXPECT_EQ(s.events, s.source == "emr" ? 20u : 50u) << s.source;

  // Nothing is due twice; the writer reopens and appends after it.
  auto again = Expire();
  EXPECT_FALSE(again.record);
  Open();
  clock_.now_ = kNow + 1000;
  std::vector<LogEvent> more(5);
  for (auto& e : more) e.source = "emr", e.received = e.time = kNow, e.message = "new";
  ASSERT_TRUE(svc_->Append(more).ok());
  ASSERT_TRUE(svc_->Checkpoint().ok());
  auto last = Verify();
  EXPECT_TRUE(last.ok) << last.ToJson().dump(2);
  EXPECT_EQ(last.events, 105u);
  auto list = svc_->Expiries();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].count, 30u);
}

TEST_F(LogExpiryTest, TheSegmentBeingWrittenIsClosedBeforeItIsRewritten) {
  auto segments = Segments().size();
  auto before = Verify();
  // Every emr event is due, the newest ones too (in the segment being written).
  auto r = svc_->Expire({{"emr", 0, kNow}}, "admin", false);
  ASSERT_TRUE(r.ok()) << r.error().Message(Lang::kJa);
  ASSERT_TRUE(r->record);
  EXPECT_EQ(r->record->count, 50u);
  EXPECT_EQ(Segments().size(), segments + 1);  // a new, empty segment to write to
  auto after = Verify();
  EXPECT_TRUE(after.ok) << after.ToJson().dump(2);
  EXPECT_EQ(after.checkpoints_verified, before.checkpoints_verified + 1);  // + the one at the roll
  // The writer goes on in the new segment, also after a restart.
  std::vector<LogEvent> more(3);
  ASSERT_TRUE(svc_->Append(more).ok());
  Open();
  ASSERT_TRUE(svc_->Append(more).ok());
  ASSERT_TRUE(svc_->Checkpoint().ok());
  auto last = Verify();
  EXPECT_TRUE(last.ok) << last.ToJson().dump(2);
  EXPECT_EQ(last.events, 106u);
  EXPECT_EQ(last.expired, 50u);
}

TEST_F(LogExpiryTest, ATombstoneWithoutARecordIsADeletion) {
  Expire();
  // An intruder turns a kept event into a tombstone (keeping its leaf hash, so the tree holds):
  // with an id no record has, and with the real record's id.
  for (uint32_t id : {7u, 1u}) {
    SCOPED_TRACE(id);
    auto seg = Segments().front();
    std::string saved = ReadFile(seg);
    std::string s = saved;
    size_t at = s.find("MLE1");
    ASSERT_NE(at, std::string::npos);
    uint32_t len = 0;
    for (int i = 0; i < 4; ++i)
      len |= uint32_t{static_cast<unsigned char>(s[at + 4 + i])} << (8 * i);
    std::string leaf = s.substr(at + 16 + len, 32);
    std::string tomb = "MLX1" + std::string(1, static_cast<char>(id)) + std::string(3, '\0') +
                       s.substr(at + 8, 8) + leaf;
    s.replace(at, 16 + len + 32, tomb);
    WriteFile(seg, s);
    auto r = Verify();
    EXPECT_FALSE(r.ok);
    EXPECT_TRUE(Has(r, id == 7 ? "expired_unrecorded" : "expiry_mismatch")) << r.ToJson().dump(2);
    EXPECT_FALSE(Has(r, "root_mismatch"));
    WriteFile(seg, saved);
  }
  EXPECT_TRUE(Verify().ok);
}

TEST_F(LogExpiryTest, AChangedTombstoneOrAnEditedRecordIsFound) {
  Expire();
  auto seg = Segments().front();
  std::string saved = ReadFile(seg);
  std::string s = saved;
  size_t at = s.find("MLX1");
  ASSERT_NE(at, std::string::npos);
  s[at + 20] = static_cast<char>(s[at + 20] ^ 1);  // a byte of the kept leaf hash
  WriteFile(seg, s);
  auto r = Verify();
  EXPECT_TRUE(Has(r, "root_mismatch"));
  EXPECT_TRUE(Has(r, "expiry_mismatch"));
  WriteFile(seg, saved);

  std::string log = ReadFile(dir_ + "/expiry.log");
  std::string edited = log;
  size_t c = edited.find("\"count\":30");
  ASSERT_NE(c, std::string::npos);
  edited.replace(c, 10, "\"count\":29");
  WriteFile(dir_ + "/expiry.log", edited);
  auto e = Verify();
  EXPECT_TRUE(Has(e, "signature"));
  EXPECT_TRUE(Has(e, "expired_unrecorded"));  // its tombstones are no longer accounted for
  WriteFile(dir_ + "/expiry.log", log);
  EXPECT_TRUE(Verify().ok);
}

TEST_F(LogExpiryTest, AnExpiryCutShortByACrashIsFinishedOrDiscardedOnOpen) {
  // The old segments as they were before the expiry.
  std::map<std::string, std::string> old;
  for (const auto& p : Segments()) old[p] = ReadFile(p);
  auto r = Expire();
  ASSERT_TRUE(r.record);
  svc_.reset();
  // A crash after the record was written, before the rewritten segments replaced the old ones.
  for (uint32_t n : r.record->segments) {
    char name[64];
    std::snprintf(name, sizeof name, "/segments/%08u.seg", n);
    std::string p = dir_ + name;
    fs::rename(p, p + ".x1");
    WriteFile(p, old[p]);
  }
  // And a rewrite of a later expiry whose record was never written.
  WriteFile(Segments().front() + ".x2", "partial");
  Open();
  std::vector<LogEvent> one(1);
  one[0].source = "fw";
  ASSERT_TRUE(svc_->Append(one).ok());  // opens the writer, which recovers
  ASSERT_TRUE(svc_->Checkpoint().ok());
  EXPECT_EQ(svc_->notes().size(), r.record->segments.size() + 1);
  EXPECT_FALSE(fs::exists(Segments().front() + ".x2"));
  auto v = Verify();
  EXPECT_TRUE(v.ok) << v.ToJson().dump(2);
  EXPECT_EQ(v.expired, 30u);
}

TEST_F(LogExpiryTest, AnIndexThatMissedAnExpiryIsRebuilt) {
  svc_.reset();
  std::string index = ReadFile(dir_ + "/index.db");
  Open();
  Expire();
  svc_.reset();
  // The index as it was before (a crash between the expiry and the index's update).
  fs::remove(dir_ + "/index.db-wal");
  fs::remove(dir_ + "/index.db-shm");
  WriteFile(dir_ + "/index.db", index);
  Open();
  LogQuery q;
  q.limit = 1000;
  auto all = svc_->Search(q);
  ASSERT_TRUE(all.ok()) << all.error().Message(Lang::kJa);
  EXPECT_EQ(all->total, 70u);
  for (const auto& e : all->events) EXPECT_EQ(e.message, "event " + std::to_string(e.seq));
}

}  // namespace
}  // namespace mamori::logs
