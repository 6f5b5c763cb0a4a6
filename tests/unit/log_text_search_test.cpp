// Text search of the log index: the trigram index narrows the rows, the text itself decides. On
// every device line of the real syslog samples and on Japanese messages, each query finds exactly
// the events whose message holds it (a plain substring search over the same messages is the
// oracle) — short queries, quotes, case, half-width kana and texts found nowhere included; an
// expiry takes its events out of the trigram index too.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

#include "core/crypto.hpp"
#include "core/text.hpp"
#include "logs/log_index.hpp"
#include "logs/log_store.hpp"
#include "logs/syslog.hpp"
#include "logs/text_tokenizer.hpp"
#include "support/pg_server.hpp"

namespace mamori::logs {
namespace {

namespace fs = std::filesystem;

class FixedClock final : public Clock {
 public:
  UnixMillis Now() const override { return 1764547200000; }  // 2025-12-01
};

// The device lines of the real syslog samples (the `log N pass = …` lines of Wazuh's ruleset
// tests, as bench/logs_bench.sh reads them), then Japanese messages as EHR audit trails and
// Windows forwarders write them.
std::vector<std::string> Messages() {
  const char* s = std::getenv("MAMORI_SHARED_DIR");
  std::string dir =
      std::string(s != nullptr ? s : "../shared") + "/testdata/logs/syslog/wazuh-ruleset-tests";
  std::vector<std::string> lines;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".ini") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f);
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("log ", 0) != 0) continue;
      auto eq = line.find(" = ");
      if (eq != std::string::npos) lines.push_back(line.substr(eq + 3));
    }
  }
  for (const char* ja : {
           "患者ID 0012345 の診療録を参照しました",
           "患者ID 0012345 の検査結果を印刷しました",
           "ログオンに失敗しました: ユーザー 山田太郎",
           "ﾛｸﾞｵﾝ ｼｯﾊﾟｲ ﾕｰｻﾞｰ yamada",
           "管理者が監査ログを消去しました",
           "user \"admin\" changed \"password policy\"",
           "ab",
           "Z",
           "診",
           "",
       })
    lines.emplace_back(ja);
  return lines;
}

// The characters of a UTF-8 string, each as its bytes.
std::vector<std::string> Chars(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80)
      out.emplace_back(1, s[i]);
    else if (!out.empty())
      out.back() += s[i];
  }
  return out;
}

class LogTextSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    InitCrypto();
    dir_ = tmp_.File("logs");
    std::vector<std::string> notes;
    auto store = LogStore::Open(dir_, StoreOptions{}, clock_, &notes);
    ASSERT_TRUE(store.ok()) << store.error().Message(Lang::kJa);
    SyslogContext ctx;
    ctx.received = clock_.Now();
    ctx.source = "fw";
    std::vector<LogEvent> events;
    for (const auto& line : Messages()) events.push_back(ParseSyslog(line, ctx));
    auto at = (*store)->Append(events);
    ASSERT_TRUE(at.ok());
    for (const auto& e : events) {
      messages_.push_back(e.message);
      times_.push_back(e.time);
    }
    auto index = LogIndex::Open(dir_);
    ASSERT_TRUE(index.ok());
    index_ = std::move(*index);
    ASSERT_TRUE(index_->Add(events, *at).ok());
  }

  // Every event whose message holds `text` but for the case of ASCII letters, newest first by
  // event time, then by seq — what the search must return. (The samples' times are of many
  // years, not in the order they are stored.)
  std::vector<uint64_t> Expected(const std::string& text) const {
    std::vector<uint64_t> out;
    for (size_t i = 0; i < messages_.size(); ++i)
      if (AsciiLower(messages_[i]).find(AsciiLower(text)) != std::string::npos) out.push_back(i);
    std::sort(out.begin(), out.end(), [&](uint64_t a, uint64_t b) {
      return std::pair(times_[a], a) > std::pair(times_[b], b);
    });
    return out;
  }

  void ExpectFound(const std::string& text) {
    LogQuery q;
    q.text = text;
    q.limit = 100000;
    auto hits = index_->Search(q);
    ASSERT_TRUE(hits.ok()) << text;
    std::vector<uint64_t> got;
    for (const auto& h : *hits) got.push_back(h.seq);
    EXPECT_EQ(got, Expected(text)) << "text: " << text;
    auto n = index_->Count(q);
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(*n, Expected(text).size()) << "text: " << text;
  }

  testing::TempDir tmp_;
  std::string dir_;
  FixedClock clock_;
  std::vector<std::string> messages_;
  std::vector<UnixMillis> times_;
  std::unique_ptr<LogIndex> index_;
};

TEST(TextMatch, TrigramsCoveringEveryCharacterOrNothing) {
  EXPECT_EQ(TextMatch(""), std::nullopt);  // nothing to look for: every message
  EXPECT_EQ(TextMatch("a"), "\"a\"*");     // one or two characters: every token beginning
  EXPECT_EQ(TextMatch("患"), "\"患\"*");   // with them
  EXPECT_EQ(TextMatch("ab"), "\"ab\"*");
  EXPECT_EQ(TextMatch("患者"), "\"患者\"*");
  EXPECT_EQ(TextMatch("a\""), "\"a\"\"\"*");
  EXPECT_EQ(TextMatch(std::string("a\0bc", 4)), std::nullopt);
  EXPECT_EQ(TextMatch("\xff\xfe\x41"), std::nullopt);  // not UTF-8
  EXPECT_EQ(TextMatch("abc"), "\"abc\"");
  EXPECT_EQ(TextMatch("abcd"), "\"abc\" AND \"bcd\"");
  EXPECT_EQ(TextMatch("abcdef"), "\"abc\" AND \"def\"");
  EXPECT_EQ(TextMatch("a\"bc"), "\"a\"\"b\" AND \"\"\"bc\"");  // a quote doubled
  EXPECT_EQ(TextMatch("診療録を参照"), "\"診療録\" AND \"を参照\"");
  EXPECT_EQ(TextMatch("患者ID 0"), "\"患者I\" AND \"D 0\"");
}

TEST_F(LogTextSearchTest, EveryQueryFindsExactlyTheMessagesHoldingIt) {
  ASSERT_GT(messages_.size(), 100u);
  for (const char* text :
       {"Failed password", "failed password", "FAILED", "患者ID 0012345", "診療録", "を参照",
        "ﾛｸﾞｵﾝ", "ｼｯﾊﾟｲ", "\"password policy\"", "PASSWORD POLICY", "YaMaDa", "患者id", "\"admin\"",
        "ab", "a", "監査ログを消去", "した", "患者", "AB", "da", "DA", "ﾀﾞ",
        "not in any message at all", "zzz", "患者ID 9",
        // What FTS5's query syntax gives a meaning to, which a text must not have.
        "NEAR(a b)", "x AND y", "^Fai", "pass*", "(ab)", "a:b", "-- ", "\"\"\"", "'; DROP"})
    ExpectFound(text);
  // Pieces of every message, 1 to 12 characters long, from a fixed seed.
  std::mt19937 rng(20261202);
  for (const auto& m : messages_) {
    auto chars = Chars(m);
    if (chars.empty()) continue;
    for (int k = 0; k < 3; ++k) {
      size_t len = 1 + rng() % std::min<size_t>(12, chars.size());
      size_t at = rng() % (chars.size() - len + 1);
      std::string piece;
      for (size_t i = at; i < at + len; ++i) piece += chars[i];
      ExpectFound(piece);
    }
  }
}

TEST(TextTokenizer, TrigramsAndTheLastTwoCharactersAndTheLastFoldedAsSqliteFoldsThem) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  ASSERT_TRUE(RegisterTextTokenizer(db).ok());
  auto tokens = [&](std::string_view text, bool query) {
    auto t = TextTokens(db, text, query);
    EXPECT_TRUE(t.ok());
    return t.ok() ? *t : std::vector<std::string>{};
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(tokens("ABCd", false), (V{"abc", "bcd", "cd", "d"}));
  EXPECT_EQ(tokens("患者ID", false), (V{"患者i", "者id", "id", "d"}));
  EXPECT_EQ(tokens("ÄB", false), (V{"äb", "b"}));  // SQLite's Unicode folding, not ASCII's alone
  EXPECT_EQ(tokens("A", false), V{"a"});
  EXPECT_EQ(tokens("Ä", false), V{"ä"});
  EXPECT_EQ(tokens("", false), V{});
  // A query of three characters or more: its trigrams only; of two: the pair, folded; of one:
  // the character, folded.
  EXPECT_EQ(tokens("ABCd", true), (V{"abc", "bcd"}));
  EXPECT_EQ(tokens("ÄB", true), (V{"äb"}));
  EXPECT_EQ(tokens("ｲﾀ", true), (V{"ｲﾀ"}));
  EXPECT_EQ(tokens("Ä", true), V{"ä"});
  EXPECT_EQ(tokens("患", true), V{"患"});
  EXPECT_EQ(tokens("", true), V{});
  sqlite3_close(db);
}

TEST_F(LogTextSearchTest, OtherFiltersStillApplyToTextHits) {
  LogQuery q;
  q.text = "password";
  q.limit = 3;
  auto page = index_->Search(q);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 3u);
  q.before_seq = page->back().seq;
  auto next = index_->Search(q);
  ASSERT_TRUE(next.ok());
  auto all = Expected("password");
  ASSERT_GE(all.size(), 4u);
  ASSERT_FALSE(next->empty());
  EXPECT_EQ(next->front().seq, all[3]);
  LogQuery none;
  none.text = "password";
  none.host = "no-such-host";
  EXPECT_EQ(*index_->Count(none), 0u);
}

// The rows a rare text is in are kept from the search's first question (how many there are) for
// its page and its total: searching another text in between replaces them, and coming back to
// the first text finds its own rows again, page after page.
TEST_F(LogTextSearchTest, PagesOfATextStayItsOwnWhenOtherTextsAreSearchedBetween) {
  const auto all = Expected("password");
  ASSERT_GE(all.size(), 6u);
  std::vector<uint64_t> got;
  LogQuery q;
  q.text = "password";
  q.limit = 2;
  for (int page = 0; page < 100; ++page) {
    auto hits = index_->Search(q);
    ASSERT_TRUE(hits.ok());
    if (hits->empty()) break;
    for (const auto& h : *hits) got.push_back(h.seq);
    q.before_seq = hits->back().seq;
    // Another text between the pages, and its total.
    LogQuery other;
    other.text = page % 2 == 0 ? "患者ID 0012345" : "connection";
    other.limit = 5;
    auto between = index_->Search(other);
    ASSERT_TRUE(between.ok());
    auto n = index_->Count(other);
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(*n, Expected(other.text).size());
  }
  EXPECT_EQ(got, all);
  LogQuery total;
  total.text = "password";
  EXPECT_EQ(*index_->Count(total), all.size());
}

// A character in most messages is not looked up in the index (merging the lists of every term
// that begins with it costs more than reading the messages); a rare one is, and so is any longer
// text. The hits are the same either way (the oracle test above runs both paths).
// A text in many rows: the rows of the other filters are read and checked (about 10 000 / share
// of them for the total) when that costs less than the set of every row the index names.
TEST(TextWalkIsCheaper, OnlyForACommonTextOnALargeStore) {
  EXPECT_TRUE(TextWalkIsCheaper(0.2, 5000000));  // 「カルテ」 in a fifth: ~50 000 rows, not 1 M
  EXPECT_TRUE(TextWalkIsCheaper(1.0, 1000000));    // in every message
  EXPECT_FALSE(TextWalkIsCheaper(0.1, 500000));    // a set of 50 000 is cheaper
  EXPECT_TRUE(TextWalkIsCheaper(0.1, 500000, 8));  // but not from eight lists of 50 000 or more
  EXPECT_FALSE(TextWalkIsCheaper(0.01, 5000000));  // ~1 M rows read for a set of 50 000
  EXPECT_FALSE(TextWalkIsCheaper(0.0, 5000000));   // none among the newest: the set
}

TEST_F(LogTextSearchTest, OnlyCharactersInFewMessagesGoThroughTheIndex) {
  ASSERT_GT(Expected(" ").size(), messages_.size() / 2);
  EXPECT_FALSE(index_->TextIndexNarrows(" "));
  EXPECT_FALSE(index_->TextIndexNarrows("e"));
  EXPECT_TRUE(index_->TextIndexNarrows("患"));
  EXPECT_TRUE(index_->TextIndexNarrows("患者"));
  EXPECT_TRUE(index_->TextIndexNarrows("Z"));
  EXPECT_TRUE(index_->TextIndexNarrows("password"));
  EXPECT_TRUE(index_->TextIndexNarrows("e d"));  // three characters: the trigrams decide
  EXPECT_FALSE(index_->TextIndexNarrows(std::string("a\0b", 3)));  // not for the index
}

// Opening the index database itself: how many rows of the text table match an FTS5 query.
uint64_t TextRows(const std::string& dir, const std::string& match) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open((dir + "/index.db").c_str(), &db), SQLITE_OK);
  EXPECT_TRUE(RegisterTextTokenizer(db).ok());
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT count(*) FROM events_text WHERE events_text MATCH ?", -1,
                               &st, nullptr),
            SQLITE_OK);
  sqlite3_bind_text(st, 1, match.c_str(), -1, SQLITE_TRANSIENT);
  uint64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : UINT64_MAX;
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

// The index narrows a search of one or two characters to the messages holding them (the search
// reads only those): at a message's end too ("した" ends three messages and begins no trigram
// there, and "た" is in those alone, their last character) and in a message of one character.
TEST_F(LogTextSearchTest, OneOrTwoCharactersAreFoundThroughTheIndex) {
  for (const char* text :
       {"患者", "した", "ab", "AB", "ｲﾀ", "X3", "pa", "た", "Z", "z", "診", "患", "ﾟ", "\"", "x"}) {
    auto match = TextMatch(text);
    ASSERT_TRUE(match.has_value()) << text;
    EXPECT_EQ(TextRows(dir_, *match), Expected(text).size()) << text;
  }
  EXPECT_EQ(Expected("した").size(), 3u);
  EXPECT_GT(Expected("ab").size(), 0u);
  EXPECT_EQ(Expected("た").size(), 3u);  // each time the last character: no other token has it
}

TEST_F(LogTextSearchTest, AnExpiryTakesItsEventsOutOfTheTrigramIndex) {
  std::string match = *TextMatch("診療録");
  EXPECT_EQ(TextRows(dir_, match), 1u);
  EXPECT_EQ(TextRows(dir_, *TextMatch("患者")), 2u);
  // The index told that the Japanese events (received now) are gone; the rest moved nowhere.
  ExpiryOutcome out;
  out.record = ExpiryRecord{};
  out.record->id = 1;
  for (uint64_t seq = 0; seq < messages_.size(); ++seq)
    if (messages_[seq].find("患者") != std::string::npos) out.removed.push_back(seq);
  ASSERT_EQ(out.removed.size(), 2u);
  ASSERT_TRUE(index_->ApplyExpiry(out).ok());
  EXPECT_EQ(TextRows(dir_, match), 0u);
  ASSERT_EQ(Expected("監査ログ").size(), 1u);
  EXPECT_EQ(TextRows(dir_, *TextMatch("監査ログ")), 1u);  // the others stay
  LogQuery q;
  q.text = "患者";
  EXPECT_EQ(TextRows(dir_, *TextMatch("患者")), 0u);
  EXPECT_EQ(*index_->Count(q), 0u);
  // A rebuild from the segments starts the trigram index again (the store still holds them:
  // this expiry was told to the index only).
  ASSERT_TRUE(index_->Rebuild().ok());
  EXPECT_EQ(TextRows(dir_, match), 1u);
}

// An index written by an older mamori (layout 3: no trigram table) is dropped and rebuilt from
// the segments when opened — the upgrade path of every existing store.
TEST_F(LogTextSearchTest, AnIndexOfTheOlderLayoutIsRebuiltFromTheSegments) {
  index_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ + "/index.db").c_str(), &db), SQLITE_OK);
  ASSERT_TRUE(RegisterTextTokenizer(db).ok());  // FTS5 drops a table only with its tokenizer
  ASSERT_EQ(sqlite3_exec(db, "DROP TABLE events_text; PRAGMA user_version = 3;", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto reopened = LogIndex::Open(dir_);
  ASSERT_TRUE(reopened.ok()) << reopened.error().Message(Lang::kJa) << " "
                             << reopened.error().detail;
  index_ = std::move(*reopened);
  EXPECT_EQ(index_->Indexed(), 0u);
  auto caught = index_->CatchUp();
  ASSERT_TRUE(caught.ok());
  EXPECT_EQ(*caught, messages_.size());
  ExpectFound("Failed password");
  ExpectFound("診療録");
}

}  // namespace
}  // namespace mamori::logs
