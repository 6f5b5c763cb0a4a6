// One conformance suite for both store backends: SQLite (a temporary file) and a real
// PostgreSQL server started by the test itself.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "auth/auth_service.hpp"
#include "core/crypto.hpp"
#include "ledger/ledger_service.hpp"
#include "store/migrations.hpp"
#include "store/tx.hpp"
#include "support/pg_server.hpp"

namespace mamori {
namespace {

using store::Actor;
using store::Database;
using store::Tx;

class StoreSuite : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    InitCrypto();
    url_ = NewUrl();
    auto db = Database::Open(url_, true);
    ASSERT_TRUE(db.ok()) << db.error().Message(Lang::kEn);
    db_ = std::move(db).value();
  }

  std::string NewUrl() {
    if (GetParam() == "sqlite") return dir_.File("store" + std::to_string(n_++) + ".db");
    auto url = testing::SharedPgServer().CreateDatabase();
    EXPECT_TRUE(url.ok());
    return url.ok() ? *url : "";
  }

  int64_t MakeOrg(const std::string& name) {
    auth::AuthService auth(*db_);
    auto id = auth.CreateOrg(Actor{0, std::nullopt, "test", ""}, name, "hospital", false);
    EXPECT_TRUE(id.ok());
    return id.ok() ? *id : 0;
  }

  testing::TempDir dir_;
  std::string url_;
  int n_ = 0;
  std::unique_ptr<Database> db_;
};

TEST_P(StoreSuite, MigratesToLatestAndIsIdempotent) {
  ASSERT_TRUE(db_->Migrate().ok());
  EXPECT_EQ(*db_->SchemaVersion(), Database::LatestSchemaVersion());
  ASSERT_TRUE(db_->Migrate().ok());
  EXPECT_EQ(*db_->SchemaVersion(), Database::LatestSchemaVersion());
}

TEST_P(StoreSuite, MigratesFromAnOlderSchemaKeepingData) {
  ASSERT_TRUE(db_->Migrate(1).ok());
  EXPECT_EQ(*db_->SchemaVersion(), 1);
  auth::AuthPolicy policy;
  policy.hash_cost = auth::HashCost::kMinimal;
  auth::AuthService auth(*db_, policy);
  int64_t org = MakeOrg("旧スキーマ病院");
  auth::NewUser u{org, "oldadmin", "", auth::Role::kAdmin, std::nullopt, "Old-Schema-1", false};
  ASSERT_TRUE(auth.CreateUser(Actor{org, std::nullopt, "test", ""}, u).ok());
  ASSERT_TRUE(db_->Migrate().ok());
  EXPECT_EQ(*db_->SchemaVersion(), Database::LatestSchemaVersion());
  auto users = auth.ListUsers(Actor{org, std::nullopt, "test", ""});
  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 1u);
  EXPECT_EQ((*users)[0].username, "oldadmin");
  // The newer tables work on the migrated database.
  ledger::LedgerService ledger(*db_);
  ledger::Vendor v;
  v.name = "移行後の事業者";
  EXPECT_TRUE(ledger.CreateVendor({Actor{org, std::nullopt, "test", ""}, std::nullopt}, v).ok());
  EXPECT_TRUE(store::VerifyAuditChain(*db_).ok());
}

TEST_P(StoreSuite, RefusesASchemaNewerThanTheBinary) {
  ASSERT_TRUE(db_->Migrate().ok());
  {
    auto conn = db_->Acquire();
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(
        (*conn)
            ->Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                   {int64_t{9999}, std::string("future"), int64_t{0}})
            .ok());
  }
  auto st = db_->Migrate();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().key, "store.schema_too_new");
}

TEST_P(StoreSuite, ChangesCommitWithAuditAndRollBackWithoutCommit) {
  ASSERT_TRUE(db_->Migrate().ok());
  int64_t org = MakeOrg("A病院");
  Actor actor{org, std::nullopt, "tester", "127.0.0.1"};
  {
    auto tx = Tx::Begin(*db_, actor);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(tx->Exec("INSERT INTO settings (org_id, key, value) VALUES (?, ?, ?)",
                         {org, std::string("k1"), std::string("v1")})
                    .ok());
    // No Commit: the destructor rolls back.
  }
  {
    auto tx = Tx::Begin(*db_, actor);
    ASSERT_TRUE(tx.ok());
    auto rows = tx->Query("SELECT value FROM settings WHERE org_id = ? AND key = ?",
                          {org, std::string("k1")});
    ASSERT_TRUE(rows.ok());
    EXPECT_TRUE(rows->empty());
    ASSERT_TRUE(tx->Exec("INSERT INTO settings (org_id, key, value) VALUES (?, ?, ?)",
                         {org, std::string("k1"), std::string("日本語の値")})
                    .ok());
    ASSERT_TRUE(
        tx->Audit({"setting.set", "setting", "k1", nullptr, Json{{"value", "日本語の値"}}}).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  auto tx = Tx::BeginRead(*db_, actor);
  auto rows = tx->Query("SELECT value FROM settings WHERE org_id = ?", {org});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].Str(0), "日本語の値");
}

// A savepoint undoes its part alone — also after a statement failed inside it, which in
// PostgreSQL makes the rest of the transaction unusable until then; a bulk transaction committed
// in parts keeps each part, and a part left uncommitted is rolled back alone; the audit chain
// stays whole.
TEST_P(StoreSuite, SavepointsAndPartsCommitWhatTheyKeep) {
  ASSERT_TRUE(db_->Migrate().ok());
  int64_t org = MakeOrg("D病院");
  Actor actor{org, std::nullopt, "tester", ""};
  auto put = [&](Tx& tx, const std::string& key) {
    return tx.Exec("INSERT INTO settings (org_id, key, value) VALUES (?, ?, ?)",
                   {org, key, std::string("v")});
  };
  {
    auto tx = Tx::BeginBulk(*db_, actor);
    ASSERT_TRUE(tx.ok()) << tx.error().Message(Lang::kEn);
    ASSERT_TRUE(put(*tx, "a").ok());
    ASSERT_TRUE(tx->Audit({"setting.set", "setting", "a", nullptr, Json{{"value", "v"}}}).ok());
    ASSERT_TRUE(tx->Savepoint("part").ok());
    ASSERT_TRUE(put(*tx, "b").ok());
    ASSERT_TRUE(tx->Audit({"setting.set", "setting", "b", nullptr, Json{{"value", "v"}}}).ok());
    ASSERT_FALSE(put(*tx, "a").ok());  // a duplicate key fails inside the savepoint
    ASSERT_TRUE(tx->RollbackTo("part").ok());
    ASSERT_TRUE(put(*tx, "c").ok());  // the transaction goes on
    ASSERT_TRUE(tx->Savepoint("part").ok());
    ASSERT_TRUE(put(*tx, "d").ok());
    ASSERT_TRUE(tx->Release("part").ok());
    ASSERT_TRUE(tx->CommitAndContinue().ok());  // a, c and d are kept
    // The audit rule sees through a savepoint: an audit record rolled back with its part does
    // not cover a change made after it.
    ASSERT_TRUE(tx->Savepoint("part").ok());
    ASSERT_TRUE(tx->Audit({"setting.set", "setting", "x", nullptr, Json{{"value", "v"}}}).ok());
    ASSERT_TRUE(tx->RollbackTo("part").ok());
    ASSERT_TRUE(put(*tx, "x").ok());
    EXPECT_THROW((void)tx->CommitAndContinue(), std::logic_error);
    ASSERT_TRUE(put(*tx, "e").ok());
    // e is never committed: the destructor rolls back this part only.
  }
  auto tx = Tx::BeginRead(*db_, actor);
  auto rows = tx->Query("SELECT key FROM settings WHERE org_id = ? ORDER BY key", {org});
  ASSERT_TRUE(rows.ok());
  std::vector<std::string> keys;
  for (const auto& r : *rows) keys.push_back(r.Str(0));
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "c", "d"}));
  auto chain = store::VerifyAuditChain(*db_);
  ASSERT_TRUE(chain.ok()) << chain.error().Message(Lang::kEn);
  EXPECT_THROW((void)tx->Savepoint("part"), std::logic_error);  // a read transaction
}

// A COMMIT that fails (here a deferred foreign key, checked only then) returns the error and
// leaves nothing behind: the connection goes back to the pool outside any transaction (SQLite
// keeps the transaction open after such a COMMIT), so the next transaction on it begins and sees
// nothing of the failed one, and the audit chain is whole.
TEST_P(StoreSuite, AFailedCommitLeavesNoTransactionOpen) {
  ASSERT_TRUE(db_->Migrate().ok());
  int64_t org = MakeOrg("A病院");
  {
    auto conn = db_->Acquire();
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE((*conn)
                    ->ExecScript("CREATE TABLE t_parent (id BIGINT PRIMARY KEY); CREATE TABLE "
                                 "t_child (parent BIGINT REFERENCES t_parent(id) DEFERRABLE "
                                 "INITIALLY DEFERRED)")
                    .ok());
  }
  Actor actor{org, std::nullopt, "tester", "127.0.0.1"};
  for (int round = 0; round < 3; ++round) {  // the pool hands the same connection out again
    auto tx = Tx::Begin(*db_, actor);
    ASSERT_TRUE(tx.ok()) << "round " << round << ": " << tx.error().Message(Lang::kEn);
    ASSERT_TRUE(tx->Exec("INSERT INTO t_child (parent) VALUES (?)", {int64_t{42}}).ok());
    ASSERT_TRUE(tx->Audit({"test.child", "t_child", "42", nullptr, Json::object()}).ok());
    EXPECT_FALSE(tx->Commit().ok());
  }
  auto tx = Tx::BeginRead(*db_, actor);
  ASSERT_TRUE(tx.ok()) << tx.error().Message(Lang::kEn);
  auto rows = tx->Query("SELECT COUNT(*) FROM t_child");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].Int(0), 0);
  EXPECT_TRUE(store::VerifyAuditChain(*db_).ok());
}

TEST_P(StoreSuite, ACommittedChangeWithoutAuditIsABug) {
  ASSERT_TRUE(db_->Migrate().ok());
  int64_t org = MakeOrg("B病院");
  auto tx = Tx::Begin(*db_, Actor{org, std::nullopt, "tester", ""});
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE(tx->Exec("INSERT INTO settings (org_id, key, value) VALUES (?, ?, ?)",
                       {org, std::string("k"), std::string("v")})
                  .ok());
  EXPECT_THROW((void)tx->Commit(), std::logic_error);
}

TEST_P(StoreSuite, UniqueViolationIsAConflict) {
  ASSERT_TRUE(db_->Migrate().ok());
  int64_t org = MakeOrg("C病院");
  ledger::LedgerService ledger(*db_);
  ledger::Scope scope{Actor{org, std::nullopt, "t", ""}, std::nullopt};
  ledger::Vendor v;
  v.name = "同名事業者";
  ASSERT_TRUE(ledger.CreateVendor(scope, v).ok());
  auto again = ledger.CreateVendor(scope, v);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(again.error().key, "store.duplicate");
  // The failed transaction left nothing behind.
  auto vendors = ledger.ListVendors(scope);
  EXPECT_EQ(vendors->size(), 1u);
}

TEST_P(StoreSuite, AuditChainVerifiesAndDetectsTampering) {
  ASSERT_TRUE(db_->Migrate().ok());
  int64_t org = MakeOrg("D病院");
  ledger::LedgerService ledger(*db_);
  ledger::Scope scope{Actor{org, std::nullopt, "t", "10.0.0.1"}, std::nullopt};
  for (int i = 0; i < 5; ++i) {
    ledger::Vendor v;
    v.name = "事業者" + std::to_string(i);
    ASSERT_TRUE(ledger.CreateVendor(scope, v).ok());
  }
  auto n = store::VerifyAuditChain(*db_);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 6);  // org.create + 5 vendor.create
  {
    auto conn = db_->Acquire();
    ASSERT_TRUE((*conn)->Exec("UPDATE audit_log SET username = 'mallory' WHERE id = 3").ok());
  }
  auto broken = store::VerifyAuditChain(*db_);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().key, "audit.chain_broken");
  EXPECT_EQ(broken.error().args.at(0), "3");
}

TEST_P(StoreSuite, DeletedNewestAuditRecordIsDetected) {
  ASSERT_TRUE(db_->Migrate().ok());
  int64_t org = MakeOrg("E病院");
  ledger::LedgerService ledger(*db_);
  ledger::Scope scope{Actor{org, std::nullopt, "t", ""}, std::nullopt};
  ledger::Vendor v;
  v.name = "x";
  ASSERT_TRUE(ledger.CreateVendor(scope, v).ok());
  {
    auto conn = db_->Acquire();
    ASSERT_TRUE(
        (*conn)->Exec("DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)").ok());
  }
  auto r = store::VerifyAuditChain(*db_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().key, "audit.chain_truncated");
}

TEST_P(StoreSuite, TenantsAndVendorsSeeOnlyTheirOwnRows) {
  ASSERT_TRUE(db_->Migrate().ok());
  int64_t a = MakeOrg("甲病院"), b = MakeOrg("乙病院");
  ledger::LedgerService ledger(*db_);
  ledger::Scope sa{Actor{a, std::nullopt, "t", ""}, std::nullopt};
  ledger::Scope sb{Actor{b, std::nullopt, "t", ""}, std::nullopt};
  ledger::Vendor v1, v2;
  v1.name = "事業者1";
  v2.name = "事業者2";
  auto vid1 = ledger.CreateVendor(sa, v1);
  auto vid2 = ledger.CreateVendor(sa, v2);
  ASSERT_TRUE(vid1.ok() && vid2.ok());
  ledger::Asset x;
  x.category = "server";
  x.name = "サーバ1";
  x.vendor_id = vid1->id;
  ledger::Asset y = x;
  y.name = "サーバ2";
  y.vendor_id = vid2->id;
  auto ax = ledger.CreateAsset(sa, x);
  ASSERT_TRUE(ax.ok()) << ax.error().Message(Lang::kEn);
  ASSERT_TRUE(ledger.CreateAsset(sa, y).ok());
  EXPECT_EQ(ledger.ListAssets(sa, {})->total, 2);
  EXPECT_EQ(ledger.ListAssets(sb, {})->total, 0);
  EXPECT_EQ(ledger.GetAsset(sb, ax->id).error().code, ErrorCode::kNotFound);
  ledger::Scope vendor1{sa.actor, vid1->id};
  auto seen = ledger.ListAssets(vendor1, {});
  ASSERT_EQ(seen->total, 1);
  EXPECT_EQ(seen->items[0].name, "サーバ1");
  // Another organisation cannot attach its asset to this organisation's vendor.
  ledger::Asset z = x;
  auto cross = ledger.CreateAsset(sb, z);
  ASSERT_FALSE(cross.ok());
  EXPECT_EQ(cross.error().key, "ledger.unknown_vendor");
}

TEST_P(StoreSuite, ConcurrentWritersKeepTheAuditChainIntact) {
  ASSERT_TRUE(db_->Migrate().ok());
  int64_t org = MakeOrg("並行病院");
  ledger::LedgerService ledger(*db_);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      ledger::Scope scope{Actor{org, std::nullopt, "t" + std::to_string(t), ""}, std::nullopt};
      for (int i = 0; i < 10; ++i) {
        ledger::Asset a;
        a.category = "pc";
        a.name = "PC-" + std::to_string(t) + "-" + std::to_string(i);
        if (!ledger.CreateAsset(scope, a).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto n = store::VerifyAuditChain(*db_);
  ASSERT_TRUE(n.ok()) << n.error().key;
  EXPECT_EQ(*n, 41);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreSuite, ::testing::Values("sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

TEST(SqliteOpen, AFileThatIsNotADatabaseIsReportedAndLeftUntouched) {
  testing::TempDir dir;
  std::string path = dir.File("not-a-db.db");
  const std::string content = "これはデータベースではありません\n";
  {
    std::ofstream f(path);
    f << content;
  }
  auto db = Database::Open(path, true);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().key, "store.cannot_open");
  std::ifstream f(path);
  std::string back((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  EXPECT_EQ(back, content);
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
}

TEST(SqliteOpen, AMissingFileIsNotCreatedUnlessAsked) {
  testing::TempDir dir;
  auto db = Database::Open(dir.File("missing.db"), false);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().key, "store.not_found");
  EXPECT_FALSE(std::filesystem::exists(dir.File("missing.db")));
}

}  // namespace
}  // namespace mamori
