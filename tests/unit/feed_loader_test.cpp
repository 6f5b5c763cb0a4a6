// vuln::FeedLoader (`vuln load`, `vuln bundle load`): files parsed ahead on a thread of the
// loader's own are written in the order they were added, each reported once; a broken file among
// them is reported by name and leaves nothing, the files around it are stored; a gzip file is
// parsed alone; a loader dropped before Finish reports every file it holds as not loaded and stores
// nothing. On SQLite, with the real NVD records of the shared data.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "auth/auth_service.hpp"
#include "core/crypto.hpp"
#include "core/file.hpp"
#include "core/i18n.hpp"
#include "store/tx.hpp"
#include "support/pg_server.hpp"
#include "vuln/vuln_service.hpp"

namespace mamori::vuln {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& p) {
  auto bytes = ReadFile(p.string());
  EXPECT_TRUE(bytes.ok()) << p;
  return bytes.ok() ? *bytes : std::string();
}

class FeedLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    InitCrypto();
    auto db = store::Database::Open(dir_.File("feeds.db"), true);
    ASSERT_TRUE(db.ok()) << db.error().Message(Lang::kEn);
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->Migrate().ok());
    auth::AuthService auth(*db_);
    auto org =
        auth.CreateOrg(store::Actor{0, std::nullopt, "test", ""}, "A病院", "hospital", false);
    ASSERT_TRUE(org.ok());
    actor_ = store::Actor{*org, std::nullopt, "tester", ""};
    const char* shared = std::getenv("MAMORI_SHARED_DIR");
    fs::path nvd = fs::path(shared ? shared : "../shared") / "testdata/vuln/nvd";
    for (const auto& e : fs::directory_iterator(nvd / "osvdev-nvdcve-2.0"))
      files_.push_back(e.path());
    std::sort(files_.begin(), files_.end());
    ASSERT_GE(files_.size(), 6U);
    gzip_ = nvd / "nvd-go-api-responses/cves-1999.json.gz";
  }

  int64_t StoredCves() {
    auto tx = store::Tx::BeginRead(*db_, actor_);
    EXPECT_TRUE(tx.ok());
    auto rows = tx->Query("SELECT COUNT(*) FROM vuln_cves");
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? (*rows)[0].Int(0) : -1;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  store::Actor actor_;
  std::vector<fs::path> files_;
  fs::path gzip_;
};

TEST_F(FeedLoaderTest, FilesParsedAheadAreEachReportedOnceAndABrokenOneLeavesNothing) {
  // The real records, a broken file third, the gzip page (parsed alone) in the middle.
  std::vector<std::pair<std::string, std::string>> input;  // name, bytes
  for (const auto& f : files_) input.emplace_back(f.filename().string(), ReadAll(f));
  input.insert(input.begin() + 2, {"broken.json", R"({"vulnerabilities": [{"cve": )"});
  input.insert(input.begin() + 4, {gzip_.filename().string(), ReadAll(gzip_)});
  std::vector<size_t> order;
  std::vector<Result<LoadResult>> results(input.size(), Result<LoadResult>(LoadResult{}));
  {
    FeedLoader loader(*db_, actor_, [&](size_t i, Result<LoadResult> r) {
      order.push_back(i);
      results[i] = std::move(r);
    });
    for (size_t i = 0; i < input.size(); ++i)
      ASSERT_TRUE(loader.Add(i, input[i].second, input[i].first).ok());
    ASSERT_TRUE(loader.Finish().ok());
  }
  // Each file once: the broken one when it is refused, the others when their batch commits.
  ASSERT_EQ(order.size(), input.size());
  EXPECT_EQ(order[0], 2U);
  std::sort(order.begin(), order.end());
  for (size_t i = 0; i < order.size(); ++i) EXPECT_EQ(order[i], i);
  int64_t records = 0;
  for (size_t i = 0; i < input.size(); ++i) {
    SCOPED_TRACE(input[i].first);
    if (i == 2) {
      ASSERT_FALSE(results[i].ok());
      EXPECT_NE(results[i].error().Message(Lang::kEn).find("broken.json"), std::string::npos)
          << results[i].error().Message(Lang::kEn);
      continue;
    }
    ASSERT_TRUE(results[i].ok()) << results[i].error().Message(Lang::kEn);
    EXPECT_EQ(results[i]->kind, "nvd");
    EXPECT_EQ(results[i]->file, input[i].first);
    EXPECT_GE(results[i]->records, 1);
    EXPECT_EQ(results[i]->added, results[i]->records);
    records += results[i]->records;
  }
  EXPECT_EQ(StoredCves(), records);
  EXPECT_TRUE(store::VerifyAuditChain(*db_).ok());
}

TEST_F(FeedLoaderTest, ALoaderDroppedBeforeFinishStoresNothingAndSaysSo) {
  std::vector<size_t> order;
  std::vector<std::string> errors;
  {
    FeedLoader loader(*db_, actor_, [&](size_t i, const Result<LoadResult>& r) {
      order.push_back(i);
      errors.push_back(r.ok() ? "" : r.error().key);
    });
    for (size_t i = 0; i < 3; ++i)
      ASSERT_TRUE(loader.Add(i, ReadAll(files_[i]), files_[i].filename().string()).ok());
  }
  EXPECT_EQ(order, (std::vector<size_t>{0, 1, 2}));  // the written two, then the one parsed ahead
  EXPECT_EQ(errors, std::vector<std::string>(3, "vuln.load_not_finished"));
  EXPECT_EQ(StoredCves(), 0);
}

}  // namespace
}  // namespace mamori::vuln
