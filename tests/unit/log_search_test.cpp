// Search of the log index: newest first by the events' own time (a file of older logs ingested
// later takes its place among them), the seq between events of one millisecond; pages that follow
// one another without a gap or a repeat whatever the filters; totals counted up to a limit; and a
// text in many messages (searched by filtering the other filters' walk, LogIndex::Search) found
// exactly as a text in few. A plain scan of the events is the oracle throughout.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "core/crypto.hpp"
#include "core/text.hpp"
#include "logs/log_index.hpp"
#include "logs/log_store.hpp"
#include "support/pg_server.hpp"

namespace mamori::logs {
namespace {

class FixedClock final : public Clock {
 public:
  UnixMillis Now() const override { return 1764547200000; }  // 2025-12-01
};

class LogSearchTest : public ::testing::Test {
 protected:
  // n events: times spread over a month, shuffled (as files ingested out of order leave them),
  // a quarter of them sharing their time with another; users, hosts and outcomes in a few
  // values; every event's message holds "カルテ参照" and every 50th "印刷" as well.
  void Fill(size_t n) {
    InitCrypto();
    dir_ = tmp_.File("logs");
    std::vector<std::string> notes;
    auto store = LogStore::Open(dir_, StoreOptions{}, clock_, &notes);
    ASSERT_TRUE(store.ok()) << store.error().Message(Lang::kJa);
    std::mt19937 rng(20261203);
    std::vector<LogEvent> events;
    const UnixMillis month = 30LL * 86400 * 1000;
    for (size_t i = 0; i < n; ++i) {
      LogEvent e;
      e.received = clock_.Now();
      e.time = clock_.Now() - month + static_cast<UnixMillis>(rng() % month);
      if (i % 4 == 1) e.time = events.back().time;  // ties
      e.source = "emr";
      e.format = "jsonl";
      e.host = "term" + std::to_string(rng() % 7);
      e.user = "u" + std::to_string(rng() % 13);
      e.action = "read";
      e.outcome = rng() % 5 == 0 ? Outcome::kFailure : Outcome::kSuccess;
      e.message = "カルテ参照 #" + std::to_string(i) + (i % 50 == 0 ? " 印刷" : "");
      e.raw = e.message;
      events.push_back(std::move(e));
    }
    auto at = (*store)->Append(events);
    ASSERT_TRUE(at.ok());
    events_ = events;
    for (size_t i = 0; i < events_.size(); ++i) events_[i].seq = i;
    auto index = LogIndex::Open(dir_);
    ASSERT_TRUE(index.ok());
    index_ = std::move(*index);
    ASSERT_TRUE(index_->Add(events_, *at).ok());
  }

  // What the search must return: the events q's filters and text match, newest first.
  std::vector<uint64_t> Expected(const LogQuery& q) const {
    std::vector<uint64_t> out;
    for (const auto& e : events_) {
      if (!q.user.empty() && e.user != q.user) continue;
      if (!q.host.empty() && e.host != q.host) continue;
      if (!q.outcome.empty() && OutcomeName(e.outcome) != q.outcome) continue;
      if (q.from && e.time < *q.from) continue;
      if (q.to && e.time >= *q.to) continue;
      if (!q.text.empty() && e.message.find(q.text) == std::string::npos) continue;
      out.push_back(e.seq);
    }
    std::sort(out.begin(), out.end(), [&](uint64_t a, uint64_t b) {
      return std::pair(events_[a].time, a) > std::pair(events_[b].time, b);
    });
    return out;
  }

  // Every page of q in turn, `limit` at a time.
  std::vector<uint64_t> AllPages(LogQuery q, uint64_t limit) {
    q.limit = limit;
    std::vector<uint64_t> out;
    while (out.size() <= events_.size()) {  // more would be repeats: a broken cursor
      auto hits = index_->Search(q);
      EXPECT_TRUE(hits.ok()) << hits.error().Message(Lang::kEn);
      if (!hits.ok()) break;
      for (const auto& h : *hits) out.push_back(h.seq);
      if (hits->size() < limit) break;
      q.before_seq = hits->back().seq;
    }
    return out;
  }

  testing::TempDir tmp_;
  std::string dir_;
  FixedClock clock_;
  std::vector<LogEvent> events_;
  std::unique_ptr<LogIndex> index_;
};

TEST_F(LogSearchTest, PagesFollowTheEventsTimeNewestFirstWithoutGapsOrRepeats) {
  Fill(3000);
  LogQuery all;
  EXPECT_EQ(AllPages(all, 7), Expected(all));
  LogQuery user;
  user.user = "u3";
  EXPECT_EQ(AllPages(user, 10), Expected(user));
  LogQuery two;
  two.user = "u3";
  two.outcome = "failure";
  EXPECT_EQ(AllPages(two, 3), Expected(two));
  LogQuery range;
  range.host = "term2";
  range.from = events_[100].time;
  range.to = events_[200].time;
  if (*range.to < *range.from) std::swap(range.from, range.to);
  EXPECT_EQ(AllPages(range, 5), Expected(range));
  ASSERT_FALSE(Expected(range).empty());
  // The first page is the newest events, not the last stored.
  auto first = index_->Search(LogQuery{});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->front().seq, Expected(all).front());
  EXPECT_NE(first->front().seq, events_.size() - 1);
}

TEST_F(LogSearchTest, APageAfterAnEventNotInTheIndexIsRefusedNamingIt) {
  Fill(10);
  LogQuery q;
  q.before_seq = 999;
  auto page = index_->Search(q);
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.error().key, "logs.bad_cursor");
  EXPECT_EQ(page.error().field, "before");
}

TEST_F(LogSearchTest, CountsStopAtTheirLimit) {
  Fill(500);
  LogQuery q;
  EXPECT_EQ(*index_->Count(q), 500u);
  EXPECT_EQ(*index_->Count(q, 40), 40u);
  q.text = "印刷";
  EXPECT_EQ(*index_->Count(q, 40), 10u);
  EXPECT_EQ(*index_->Count(q, 3), 3u);
}

// "カルテ参照" is in every message: more rows than the index's limit for driving the search, so
// the walk of the time (or the user's) index filters on it. "印刷" is in one message of 50.
TEST_F(LogSearchTest, ATextInManyMessagesIsFoundAsOneInFew) {
  Fill(25000);
  for (const char* text : {"カルテ参照", "ルテ", "印刷", "参照 #1", "#24999"}) {
    LogQuery q;
    q.text = text;
    auto expected = Expected(q);
    ASSERT_FALSE(expected.empty()) << text;
    auto page = index_->Search([&] {
      LogQuery p = q;
      p.limit = 100;
      return p;
    }());
    ASSERT_TRUE(page.ok());
    std::vector<uint64_t> got;
    for (const auto& h : *page) got.push_back(h.seq);
    expected.resize(std::min<size_t>(expected.size(), 100));
    EXPECT_EQ(got, expected) << text;
    q.user = "u5";
    q.outcome = "failure";
    EXPECT_EQ(AllPages(q, 50), Expected(q)) << text;
    EXPECT_EQ(*index_->Count(q), Expected(q).size()) << text;
  }
}

}  // namespace
}  // namespace mamori::logs
