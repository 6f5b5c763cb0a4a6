// The real mamori binary: exit codes, --json, global options in any position, languages, and
// bad databases left untouched.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <tuple>

#include "core/time.hpp"
#include "support/pg_server.hpp"

namespace mamori::testing {
namespace {

// The shared test data and the source tree, as ctest passes them: a missing one fails the test
// that reads it instead of crashing the run.
std::string EnvDir(const char* name) {
  const char* v = std::getenv(name);
  EXPECT_NE(v, nullptr) << name;
  return v != nullptr ? std::string(v) : std::string();
}
std::string SharedDir() {
  return EnvDir("MAMORI_SHARED_DIR");
}
std::string SourceDir() {
  return EnvDir("MAMORI_SOURCE_DIR");
}

struct RunResult {
  int code = -1;
  std::string out;
  std::string err;
};

class Cli : public ::testing::Test {
 protected:
  // Runs `mamori ARGS` in the temp dir with optional stdin; captures stdout and stderr.
  RunResult Mamori(const std::string& args, const std::string& input = "") {
    std::string in = dir_.File("stdin"), err = dir_.File("stderr");
    {
      std::ofstream f(in);
      f << input;
    }
    std::string cmd =
        "cd " + dir_.path() + " && " + MAMORI_BINARY + " " + args + " < " + in + " 2> " + err;
    RunResult r;
    FILE* p = popen(cmd.c_str(), "r");
    std::array<char, 4096> buf{};
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
    int status = pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream e(err);
    r.err.assign((std::istreambuf_iterator<char>(e)), std::istreambuf_iterator<char>());
    return r;
  }
  TempDir dir_;
};

TEST_F(Cli, InitCreatesTheDatabaseOnceAndTheAdmin) {
  auto r = Mamori("init --org 市立テスト病院 --admin root1 --password-stdin", "Admin-Pass-1\n");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("初期化しました"), std::string::npos);
  auto again = Mamori("init --json");
  EXPECT_EQ(again.code, 0);
  EXPECT_EQ(nlohmann::json::parse(again.out)["initialised"], false);
  auto users = Mamori("user list --json");
  ASSERT_EQ(users.code, 0) << users.err;
  auto j = nlohmann::json::parse(users.out);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["username"], "root1");
  EXPECT_EQ(j[0]["role"], "admin");
  EXPECT_EQ(users.out.find("argon2"), std::string::npos);
}

TEST_F(Cli, GlobalOptionsWorkBeforeAndAfterTheSubcommand) {
  ASSERT_EQ(Mamori("--db x.db init --org A").code, 0);
  auto before = Mamori("--json --db x.db user list");
  auto after = Mamori("user list --db x.db --json");
  ASSERT_EQ(before.code, 0) << before.err;
  ASSERT_EQ(after.code, 0) << after.err;
  EXPECT_EQ(before.out, after.out);
  EXPECT_TRUE(nlohmann::json::parse(after.out).is_array());
  EXPECT_FALSE(std::ifstream(dir_.File("mamori.db")).good());  // the default was not touched
}

TEST_F(Cli, MamoriDbEnvironmentSelectsTheDatabase) {
  ASSERT_EQ(Mamori("init --db env.db").code, 0);
  auto r = Mamori("user list --json");  // no ./mamori.db: a clear error, nothing created
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("mamori init"), std::string::npos);
  EXPECT_FALSE(std::ifstream(dir_.File("mamori.db")).good());
  auto env = Mamori("");  // no subcommand: usage error
  EXPECT_EQ(env.code, 1);
}

TEST_F(Cli, UserErrorsExitWithOneInTheChosenLanguage) {
  ASSERT_EQ(Mamori("init").code, 0);
  auto weak = Mamori("user add nurse1 --role staff --password-stdin", "weak\n");
  EXPECT_EQ(weak.code, 1);
  EXPECT_NE(weak.err.find("パスワードは8文字以上"), std::string::npos) << weak.err;
  auto en = Mamori("--lang en user add nurse1 --role staff --password-stdin", "weak\n");
  EXPECT_EQ(en.code, 1);
  EXPECT_NE(en.err.find("at least 8 characters"), std::string::npos) << en.err;
  auto role = Mamori("user add nurse1 --role superuser --password-stdin", "Good-Pass-1\n");
  EXPECT_EQ(role.code, 1);
  auto vendor = Mamori("user add vendor1 --role vendor --password-stdin", "Good-Pass-1\n");
  EXPECT_EQ(vendor.code, 1);
  EXPECT_NE(vendor.err.find("--vendor"), std::string::npos);
  auto novendor = Mamori("user add vendor1 --role vendor --vendor 存在しない社 --password-stdin",
                         "Good-Pass-1\n");
  EXPECT_EQ(novendor.code, 1);
  // Passwords are never taken from the command line.
  auto cmdline = Mamori("user add nurse1 --role staff --password Good-Pass-1");
  EXPECT_EQ(cmdline.code, 1);
  EXPECT_NE(cmdline.err.find("解釈できない引数があります"), std::string::npos) << cmdline.err;
  EXPECT_NE(cmdline.err.find("--password"), std::string::npos) << cmdline.err;
  // CLI11's own usage errors are said in the chosen language too, its detail beside.
  auto missing = Mamori("vuln");
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("指定が足りません"), std::string::npos) << missing.err;
  EXPECT_NE(missing.err.find("--help"), std::string::npos) << missing.err;
  auto bad_number = Mamori("vuln findings --limit abc");
  EXPECT_EQ(bad_number.code, 1);
  EXPECT_NE(bad_number.err.find("値が正しくありません"), std::string::npos) << bad_number.err;
  EXPECT_NE(bad_number.err.find("--limit"), std::string::npos) << bad_number.err;
  auto missing_en = Mamori("--lang en vuln");
  EXPECT_NE(missing_en.err.find("A subcommand is required"), std::string::npos) << missing_en.err;
  EXPECT_EQ(missing_en.err.find("指定が足りません"), std::string::npos) << missing_en.err;
  // --help's frame in the chosen language too (exit code 0), the Japanese lines still in column.
  auto help = Mamori("user add --help");
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("使い方: "), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("\nオプション:\n"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("この説明を表示して終了"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("  --role TEXT （必須）        admin|staff"), std::string::npos)
      << help.out;
  EXPECT_NE(Mamori("vuln --help").out.find("\nサブコマンド:\n"), std::string::npos);
  auto help_en = Mamori("--lang en user add --help");
  EXPECT_EQ(help_en.code, 0);
  EXPECT_NE(help_en.out.find("Usage: "), std::string::npos) << help_en.out;
  EXPECT_NE(help_en.out.find("  --role TEXT REQUIRED        admin|staff"), std::string::npos)
      << help_en.out;
  EXPECT_EQ(help_en.out.find("使い方"), std::string::npos) << help_en.out;
  auto json = Mamori("user add nurse1 --role staff --password-stdin --json", "weak\n");
  EXPECT_EQ(nlohmann::json::parse(json.out)["error"]["key"], "auth.password_too_short");
}

TEST_F(Cli, UserLifecycle) {
  ASSERT_EQ(Mamori("init").code, 0);
  ASSERT_EQ(
      Mamori("user add nurse1 --role staff --display-name 看護師 --password-stdin", "Good-Pass-1\n")
          .code,
      0);
  ASSERT_EQ(Mamori("user add admin2 --role admin --password-stdin", "Good-Pass-1\n").code, 0);
  ASSERT_EQ(Mamori("user passwd nurse1 --password-stdin", "Better-Pass-2\n").code, 0);
  ASSERT_EQ(Mamori("user disable nurse1").code, 0);
  auto list = nlohmann::json::parse(Mamori("user list --json").out);
  EXPECT_EQ(list[0]["disabled"], true);
  EXPECT_EQ(list[0]["display_name"], "看護師");
  auto audit = nlohmann::json::parse(Mamori("audit list --json").out);
  std::vector<std::string> actions;
  for (const auto& e : audit) actions.push_back(e["action"]);
  EXPECT_EQ(actions, (std::vector<std::string>{"user.update", "user.password_set", "user.create",
                                               "user.create", "org.create"}));
  // On a terminal: a header line, then a line per entry (a column without a value is "-").
  auto audit_text = Mamori("audit list").out;
  EXPECT_EQ(audit_text.substr(0, audit_text.find('\n')), "ID\t日時\t利用者\tIP\t操作\t対象");
  EXPECT_EQ(std::count(audit_text.begin(), audit_text.end(), '\n'), 6) << audit_text;
  EXPECT_EQ(audit_text.find("\t\t"), std::string::npos) << audit_text;
  auto verify = Mamori("audit verify --json");
  EXPECT_EQ(verify.code, 0);
  EXPECT_EQ(nlohmann::json::parse(verify.out)["records"], 5);
  EXPECT_EQ(Mamori("user disable nobody").code, 1);
}

TEST_F(Cli, ABadDatabaseFileIsReportedAndLeftUntouched) {
  const std::string content = "Excelの台帳をここに保存してしまった\n";
  {
    std::ofstream f(dir_.File("ledger.db"));
    f << content;
  }
  auto r = Mamori("--db ledger.db init");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("ledger.db"), std::string::npos) << r.err;
  std::ifstream f(dir_.File("ledger.db"));
  std::string back((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  EXPECT_EQ(back, content);
}

TEST_F(Cli, TamperedAuditTrailFailsVerification) {
  ASSERT_EQ(Mamori("init --admin a1b2 --password-stdin", "Admin-Pass-1\n").code, 0);
  ASSERT_EQ(std::system(("sqlite3 " + dir_.File("mamori.db") +
                         " \"UPDATE audit_log SET ip = '203.0.113.9' WHERE id = 2\"")
                            .c_str()),
            0);
  auto r = Mamori("audit verify --json");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(nlohmann::json::parse(r.out)["ok"], false);
}

TEST_F(Cli, PostgresqlUrlsSelectThePostgresBackend) {
  auto url = SharedPgServer().CreateDatabase();
  ASSERT_TRUE(url.ok());
  auto init =
      Mamori("init --org PG病院 --admin pgadmin --password-stdin --db " + *url, "Pg-Admin-2026\n");
  ASSERT_EQ(init.code, 0) << init.err;
  EXPECT_NE(init.out.find("postgresql://mamori@127.0.0.1"), std::string::npos) << init.out;
  auto users = Mamori("user list --json --db " + *url);
  ASSERT_EQ(users.code, 0) << users.err;
  EXPECT_EQ(nlohmann::json::parse(users.out)[0]["username"], "pgadmin");
  EXPECT_EQ(Mamori("audit verify --db " + *url).code, 0);
  auto bad = Mamori("user list --db postgresql://mamori@127.0.0.1:1/none");
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("postgresql://mamori@127.0.0.1:1/none"), std::string::npos) << bad.err;
}

// The whole ledger path on PostgreSQL: the demo, the workbook and its twin, an SBOM, a scan,
// an MDS, the report, the exports read back — the same results as on SQLite.
TEST_F(Cli, LedgerOnPostgresql) {
  auto url = SharedPgServer().CreateDatabase();
  ASSERT_TRUE(url.ok());
  std::string db = " --db " + *url;
  std::string data = SourceDir() + "/tests/data/ledger/";
  std::string shared = SharedDir() + "/testdata/";
  ASSERT_EQ(Mamori("demo seed" + db).code, 0);
  auto x = nlohmann::json::parse(
      Mamori("ledger import --json" + db + " " + data + "hospital_ledger.xlsx").out);
  EXPECT_EQ(x["errors"].size(), 4u);
  auto again = nlohmann::json::parse(
      Mamori("ledger import --json" + db + " " + data + "hospital_ledger_twin_cp932.csv").out);
  EXPECT_EQ(again["created"], 0);
  EXPECT_EQ(again["updated"], 0);
  auto s = Mamori("ledger import --product 見本医用機器/DEMO-MD10" + db + " " + shared +
                  "vuln/sbom/medical/narrow.sbom.json");
  EXPECT_EQ(s.code, 0) << s.err;
  auto n = nlohmann::json::parse(
      Mamori("ledger import --json" + db + " " + shared + "net/nmap/libnmap_full_sudo6.xml").out);
  EXPECT_EQ(n["new_pending"], 4);
  EXPECT_EQ(Mamori("ledger discovered accept 1 --category pc" + db).code, 0);
  std::ofstream(dir_.File("mds.txt")) << "MDS";
  EXPECT_EQ(
      Mamori("ledger doc add --system 1 --kind mds --file mds.txt --blank-answers 0" + db).code, 0);
  auto rep = Mamori("ledger report -o pg.pdf" + db);
  EXPECT_EQ(rep.code, 0) << rep.err;
  auto list = nlohmann::json::parse(Mamori("ledger report --list --json" + db).out);
  EXPECT_EQ(list.size(), 1u);
  ASSERT_EQ(Mamori("ledger export --format xlsx -o pg.xlsx" + db).code, 0);
  auto back = nlohmann::json::parse(Mamori("ledger import --json pg.xlsx" + db).out);
  EXPECT_EQ(back["created"], 0);
  EXPECT_EQ(back["updated"], 0);
  auto comp = nlohmann::json::parse(Mamori("ledger completeness --json" + db).out);
  EXPECT_EQ(comp["pending_discovered"], 6);  // 3 of the demo, 4 of the scan, 1 accepted
  // On a terminal the missing fields are named as the ledger's columns (Japanese), or as --json
  // names them with --lang en.
  EXPECT_NE(Mamori("ledger completeness" + db).out.find("\n  IPアドレス\t"), std::string::npos);
  EXPECT_NE(Mamori("--lang en ledger completeness" + db).out.find("\n  ips\t"), std::string::npos);
  EXPECT_EQ(Mamori("audit verify" + db).code, 0);
}

// The checklist path on a real PostgreSQL: records, answers with the suggestion kept, settings,
// a share link, the official-form import refusing a workbook without a form, exports.
TEST_F(Cli, ChecklistOnPostgresql) {
  auto url = SharedPgServer().CreateDatabase();
  ASSERT_TRUE(url.ok());
  std::string db = " --db " + *url;
  ASSERT_EQ(Mamori("demo seed" + db).code, 0);
  auto forms = nlohmann::json::parse(Mamori("checklist forms --json" + db).out);
  EXPECT_EQ(forms.size(), 6u);
  // The demo lacks the MHLW support desk and a drill: 3-(1) and 3-(3) are suggested no.
  auto ev = nlohmann::json::parse(Mamori("checklist evaluate --json --year R8" + db).out);
  auto row = [&](const nlohmann::json& a, const std::string& id) {
    for (const auto& it : a["items"])
      if (it["id"] == id) return it;
    return nlohmann::json();
  };
  EXPECT_EQ(row(ev, "1-1")["suggested"], "yes");
  EXPECT_EQ(row(ev, "3-1")["suggested"], "no");
  EXPECT_EQ(row(ev, "3-3")["reasons"][0], "BCPの訓練の記録がありません");
  ASSERT_EQ(Mamori("org drill add --date 2026-10-15 --scenario 電子カルテ停止" + db).code, 0);
  ASSERT_EQ(Mamori("org contact add --category mhlw_desk --organisation 初動対応支援 --phone "
                   "03-0000-0000" +
                   db)
                .code,
            0);
  // The listings' text: a header line in the chosen language, "-" for a cell without a value.
  EXPECT_EQ(Mamori("org drill list" + db).out, "実施日\t想定\n2026-10-15\t電子カルテ停止\n");
  EXPECT_EQ(Mamori("--lang en org drill list" + db).out.substr(0, 17), "HELD ON\tSCENARIO\n");
  std::string contacts = Mamori("org contact list" + db).out;
  EXPECT_EQ(contacts.substr(0, contacts.find('\n')), "連絡順\t区分\t組織\t担当者\t電話");
  EXPECT_NE(contacts.find("\tmhlw_desk\t初動対応支援\t-\t03-0000-0000\n"), std::string::npos)
      << contacts;
  std::string evaluated = Mamori("checklist evaluate --year R8" + db).out;
  EXPECT_NE(evaluated.find("\n項目\t区分\t判定案\t回答\t根拠\n"), std::string::npos) << evaluated;
  EXPECT_NE(evaluated.find("\n1-①\t医療情報システム全般\tはい\t-\t"), std::string::npos)
      << evaluated;
  std::string evaluated_en = Mamori("--lang en checklist evaluate --year R8" + db).out;
  EXPECT_NE(evaluated_en.find("\n1-①\tMedical information systems\tYes\t-\t"), std::string::npos)
      << evaluated_en;
  auto settings =
      nlohmann::json::parse(Mamori("checklist settings --drill-days 3650 --json" + db).out);
  EXPECT_EQ(settings["drill_interval_days"], 3650);
  ev = nlohmann::json::parse(Mamori("checklist evaluate --json --year R8" + db).out);
  EXPECT_EQ(row(ev, "3-3")["suggested"], "yes") << row(ev, "3-3").dump();
  auto bad = Mamori("checklist answer 3-3 --answer no --date 2026-11-01 --year R8" + db);
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("「いいえ」には目標日が必要です"), std::string::npos) << bad.err;
  auto ans = nlohmann::json::parse(
      Mamori("checklist answer 3-3 --answer yes --date 2026-11-01 --year R8 --json" + db).out);
  EXPECT_EQ(ans["suggested"], "yes");
  EXPECT_EQ(nlohmann::json::parse(Mamori("checklist history 3-3 --year R8 --json" + db).out).size(),
            1u);
  auto vendor =
      Mamori("checklist evaluate --form vendor --vendor デモ医療システムズ株式会社 --year R8" + db);
  EXPECT_EQ(vendor.code, 0) << vendor.err;
  EXPECT_NE(vendor.out.find("事業者確認用"), std::string::npos);
  std::ofstream(dir_.File("empty.csv")) << "a,b\n";
  auto notxlsx = Mamori("checklist import-official empty.csv" + db);
  EXPECT_EQ(notxlsx.code, 1);
  ASSERT_EQ(Mamori("checklist export --format xlsx -o pg_checklist.xlsx --year R8" + db).code, 0);
  ASSERT_EQ(Mamori("checklist export --format pdf -o pg_checklist.pdf --year R8" + db).code, 0);
  ASSERT_EQ(Mamori("org contact chart -o pg_chart.svg" + db).code, 0);
  EXPECT_EQ(Mamori("audit verify" + db).code, 0);
}

TEST_F(Cli, CvssCalculatorScoresAndNamesTheBadMetric) {
  auto ok = Mamori("vuln cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
  EXPECT_EQ(ok.code, 0);
  EXPECT_EQ(ok.out, "9.8\tCRITICAL\tCVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\n");
  auto bad = Mamori("vuln cvss CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:X/SC:N/SI:N/SA:N");
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("CVSS の「VA」に「X」は指定できません"), std::string::npos) << bad.err;
}

// The vulnerability engine end to end on real feeds: load (bad files change nothing), match the
// ledger's components, triage with the rules of each state, re-match (states kept; a patched
// component's finding is gone), a bare SBOM matched without storing, end of support.
void VulnFlow(Cli& t, const std::function<RunResult(const std::string&)>& mamori,
              const std::string& db, const std::string& dir) {
  std::string shared = SharedDir() + "/testdata/vuln/";
  std::string data = SourceDir() + "/tests/data/vuln/";
  ASSERT_EQ(mamori("demo seed --no-feeds" + db).code, 0);
  ASSERT_EQ(mamori("ledger import --asset EMR-DB01 " + data + "ward-pc.cdx.json" + db).code, 0);
  // 2-(7) per device class: no data before any feed is loaded.
  auto item27 = [&](const std::string& row) {
    auto ev = nlohmann::json::parse(mamori("checklist evaluate --json --year R6" + db).out);
    for (const auto& it : ev["items"])
      if (it["id"] == "2-7" && it["row"] == row) return it;
    return nlohmann::json();
  };
  EXPECT_EQ(item27("server")["suggested"], "no_data");
  EXPECT_NE(
      item27("server")["reasons"][0].get<std::string>().find("脆弱性情報が読み込まれていません"),
      std::string::npos);
  auto load = mamori("vuln load --json " + shared + "nvd/osvdev-nvdcve-2.0 " + shared +
                     "kev/known_exploited_vulnerabilities.json " + shared + "eol " + shared +
                     "jvn/hnd/getVulnDetailInfo_hnd_JVNDB-2022-000097.xml" + db);
  ASSERT_EQ(load.code, 0) << load.err;
  auto loaded = nlohmann::json::parse(load.out);
  EXPECT_EQ(loaded.size(), 23u + 1 + 37 + 1);
  int nvd_added = 0;
  for (const auto& f : loaded)
    if (f["kind"] == "nvd") nvd_added += f["added"].get<int>();
  EXPECT_EQ(nvd_added, 23);

  // A broken record: the file is refused naming file, record and field; nothing changes.
  {
    std::ifstream in(shared + "nvd/osvdev-nvdcve-2.0/CVE-2024-3094.json");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t at = text.find("\"lastModified\"");
    ASSERT_NE(at, std::string::npos);
    text.replace(text.find("cpe:2.3:a:tukaani"), 9, "cpe:2.3:q");
    std::ofstream(dir + "/broken.json") << text;
  }
  auto broken = mamori("vuln load broken.json" + db);
  EXPECT_EQ(broken.code, 1);
  EXPECT_NE(
      broken.err.find("broken.json: vulnerabilities[0] CVE-2024-3094 configurations[0] nodes[0] "
                      "cpeMatch[0] の「criteria cpe:2.3:q"),
      std::string::npos)
      << broken.err;
  EXPECT_EQ(nlohmann::json::parse(mamori("vuln feeds --json" + db).out).size(), loaded.size());
  // Loaded together (one transaction, a savepoint per file): the broken file among two good
  // ones is reported and the two are kept.
  {
    // A record about AppArmor, which nothing in this ledger runs: the later matches stay as they
    // are.
    std::ifstream in(shared + "nvd/osvdev-nvdcve-2.0/CVE-2014-1424.json");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const char* id : {"CVE-2099-0001", "CVE-2099-0002"}) {
      std::string copy = text;
      for (size_t at = copy.find("CVE-2014-1424"); at != std::string::npos;
           at = copy.find("CVE-2014-1424", at))
        copy.replace(at, 13, id);
      std::ofstream(dir + "/" + id + ".json") << copy;
    }
  }
  auto mixed = mamori("vuln load --json CVE-2099-0001.json broken.json CVE-2099-0002.json" + db);
  EXPECT_EQ(mixed.code, 1);
  auto mixed_out = nlohmann::json::parse(mixed.out);
  ASSERT_EQ(mixed_out.size(), 3u) << mixed.out;
  // Listed in the order loaded (names sorted): CVE-2099-0001, CVE-2099-0002, broken.
  EXPECT_EQ(mixed_out[0]["file"], "CVE-2099-0001.json");
  EXPECT_EQ(mixed_out[0]["added"], 1);
  EXPECT_EQ(mixed_out[1]["added"], 1);
  EXPECT_EQ(mixed_out[2]["file"], "broken.json");
  EXPECT_NE(mixed_out[2].value("error", "").find("broken.json: vulnerabilities[0]"),
            std::string::npos)
      << mixed.out;
  EXPECT_EQ(nlohmann::json::parse(mamori("vuln feeds --json" + db).out).size(), loaded.size() + 2);
  // The same JVN record from MyJVN's JSON API (OKA, a CSAF-shaped document): read as JVN, not
  // taken for a VEX.
  auto oka = mamori("vuln load --json " + shared +
                    "jvn/oka/getVulnDetailInfo_oka_JVNDB-2022-000097.json" + db);
  ASSERT_EQ(oka.code, 0) << oka.err;
  EXPECT_EQ(nlohmann::json::parse(oka.out)[0]["kind"], "jvn");
  EXPECT_EQ(nlohmann::json::parse(oka.out)[0]["records"], 1);
  EXPECT_EQ(nlohmann::json::parse(oka.out)[0]["added"], 0);  // HND brought it already

  auto m = nlohmann::json::parse(mamori("vuln match --json --summary" + db).out);
  EXPECT_EQ(m["added"], 4);
  // The demo ledger's free-text names resolve through the aliases; what does not waits in the
  // queue with its candidates until a person confirms it.
  auto queue = nlohmann::json::parse(mamori("vuln unresolved --json" + db).out);
  EXPECT_EQ(m["unresolved"].get<int>(), [&] {
    int n = 0;
    for (const auto& u : queue) n += u["count"].get<int>();
    return n;
  }());
  bool board = false;
  for (const auto& u : queue) board = board || u["name"] == "院内掲示板ソフト";
  EXPECT_TRUE(board) << queue.dump(1);
  auto resolved =
      nlohmann::json::parse(mamori("vuln resolve --json \"Windows10 Pro 22H2\"" + db).out);
  EXPECT_EQ(resolved["status"], "resolved");
  EXPECT_EQ(resolved["cpe"], "cpe:2.3:o:microsoft:windows_10_22h2:*:*:*:*:*:*:*:*");
  auto confirm = nlohmann::json::parse(
      mamori("vuln confirm --json 院内掲示板ソフト cpe:2.3:a:example:board_soft --version 3.2" + db)
          .out);
  EXPECT_EQ(confirm["status"], "resolved");
  EXPECT_EQ(confirm["candidates"][0]["source"], "confirmed");
  auto rematched = nlohmann::json::parse(mamori("vuln match --json --summary" + db).out);
  EXPECT_EQ(rematched["unresolved"].get<int>(), m["unresolved"].get<int>() - 1);

  auto findings = nlohmann::json::parse(mamori("vuln findings --json" + db).out);
  ASSERT_EQ(findings.size(), 4u) << findings.dump(1);
  // Paged as the API pages them: the second page of three holds the fourth finding; filters
  // are views over the same list; a limit out of range is refused by name.
  auto page = nlohmann::json::parse(mamori("vuln findings --json --limit 3 --offset 3" + db).out);
  EXPECT_EQ(page["total"], 4);
  ASSERT_EQ(page["items"].size(), 1u) << page.dump(1);
  EXPECT_EQ(page["items"][0]["id"], findings[3]["id"]);
  auto kev = nlohmann::json::parse(mamori("vuln findings --json --kev" + db).out);
  size_t kev_expected = 0;
  for (const auto& f : findings) kev_expected += f["kev"].get<bool>() ? 1 : 0;
  EXPECT_EQ(kev.size(), kev_expected);
  EXPECT_GT(kev_expected, 0u);
  auto page_text = mamori("vuln findings --limit 2" + db);
  EXPECT_NE(page_text.err.find("1–2 件目を表示（全 4 件）"), std::string::npos) << page_text.err;
  // A line per finding, its verdict and state in the words the UI uses (in English on request).
  for (const auto& [lang, verdicts, state] :
       {std::tuple{std::string(""), std::set<std::string>{"該当", "要確認"}, "未評価"},
        std::tuple{std::string(" --lang en"), std::set<std::string>{"Affected", "Needs review"},
                   "Not assessed"}}) {
    auto text = mamori(std::string("vuln findings").append(lang).append(db));
    std::istringstream lines(text.out);
    std::string header;
    std::getline(lines, header);
    EXPECT_EQ(header, lang.empty() ? "CVE\tCVSS\tKEV\t判定\t状態\t機器\t構成要素\t期限"
                                   : "CVE\tCVSS\tKEV\tVERDICT\tSTATE\tASSET\tCOMPONENT\tDUE");
    size_t n = 0, not_assessed = 0;
    for (std::string line; std::getline(lines, line); ++n) {
      std::vector<std::string> cols;
      std::istringstream fields(line);
      for (std::string c; std::getline(fields, c, '\t');) cols.push_back(c);
      ASSERT_EQ(cols.size(), 8u) << line;
      EXPECT_TRUE(verdicts.count(cols[3])) << line;
      not_assessed += cols[4] == state ? 1 : 0;
    }
    EXPECT_EQ(n, 4u) << text.out;
    EXPECT_GT(not_assessed, 0u) << text.out;
  }
  auto bad = mamori("vuln findings --limit 5000" + db);
  EXPECT_NE(bad.code, 0);
  EXPECT_NE(bad.err.find("limit"), std::string::npos) << bad.err;
  // `vuln match --json` of the whole ledger: the current findings, each in the issue's shape.
  auto matched = nlohmann::json::parse(mamori("vuln match --json" + db).out);
  ASSERT_TRUE(matched.is_array());
  EXPECT_EQ(matched.size(), findings.size());
  for (const char* key :
       {"asset", "component", "version", "cve", "cvss", "kev", "epss", "state", "evidence"})
    EXPECT_TRUE(matched[0].contains(key)) << key;
  EXPECT_TRUE(matched[0]["cvss"].contains("vector"));
  // The server row now fails on the overdue KEV finding and the ended support of its software.
  auto server = item27("server");
  EXPECT_EQ(server["suggested"], "no");
  EXPECT_NE(
      server["reasons"][0].get<std::string>().find(
          "対応期限を過ぎた未対応の脆弱性が2件あります（うち KEV 2件）: 電子カルテ DBサーバ#1"),
      std::string::npos)
      << server.dump(1);
  EXPECT_NE(server.dump().find("サポートが終了したソフトウェア・機器が"), std::string::npos)
      << server.dump(1);
  auto find = [&](const nlohmann::json& list, const std::string& component) {
    for (const auto& f : list)
      if (f["component"] == component) return f;
    return nlohmann::json();
  };
  auto chrome = find(findings, "Google Chrome");
  EXPECT_EQ(chrome["cve"], "CVE-2023-4863");
  EXPECT_EQ(chrome["verdict"], "affected");
  EXPECT_EQ(chrome["asset"], "電子カルテ DBサーバ#1");
  EXPECT_EQ(chrome["cvss"]["version"], "3.1");
  EXPECT_EQ(chrome["cvss"]["score"], 8.8);
  EXPECT_EQ(chrome["kev"], true);
  EXPECT_EQ(chrome["kev_due"], "2023-10-04");
  EXPECT_EQ(chrome["due_date"], "2023-10-04");
  EXPECT_EQ(chrome["overdue"], true);
  EXPECT_EQ(chrome["state"], "new");
  EXPECT_EQ(chrome["evidence"][0]["bound"], "versionEndExcluding 116.0.5845.187");
  EXPECT_EQ(chrome["evidence"][0]["criterion"], "cpe:2.3:a:google:chrome:*:*:*:*:*:*:*:*");
  EXPECT_EQ(find(findings, "libwebp")["verdict"], "affected");  // the component's version used
  EXPECT_EQ(find(findings, "xz")["cve"], "CVE-2024-3094");
  auto unknown = find(findings, "xz (vendor unknown)");
  EXPECT_EQ(unknown["verdict"], "review");
  EXPECT_NE(unknown["evidence"][0]["reason"].get<std::string>().find("vendor"), std::string::npos);
  EXPECT_TRUE(find(findings, "Mozilla Firefox").is_null());  // 117.0.1 is the excluded bound
  EXPECT_TRUE(find(findings, "xz-legacy").is_null());
  // Critical without KEV: due one month after it was first seen (the default policy).
  EXPECT_EQ(find(findings, "xz")["cvss"]["severity"], "CRITICAL");

  // The asset's security requirements (CVSS CR/IR/AR): its findings scored again, as the CVSS
  // calculator scores the vector with them; cleared, the base severity is back.
  std::string emr = std::to_string(chrome["asset_id"].get<int>());
  auto bad_req = mamori("vuln requirements set " + emr + " --cr Q" + db);
  EXPECT_EQ(bad_req.code, 1);
  EXPECT_NE(bad_req.err.find("cr は L・M・H・X"), std::string::npos) << bad_req.err;
  auto req =
      mamori("vuln requirements set --json " + emr + " --cr L --ir L --ar L --note 検証" + db);
  ASSERT_EQ(req.code, 0) << req.err;
  EXPECT_EQ(nlohmann::json::parse(req.out)["vector"], "CR:L/IR:L/AR:L");
  auto calc = nlohmann::json::parse(
      mamori("vuln cvss --json CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H/CR:L/IR:L/AR:L").out);
  auto rescored =
      find(nlohmann::json::parse(mamori("vuln findings --json" + db).out), "Google Chrome");
  EXPECT_EQ(rescored["cvss"]["environmental_score"], calc[0]["environmental_score"]);
  EXPECT_EQ(rescored["severity"], calc[0]["environmental_severity"]);
  EXPECT_EQ(rescored["severity"], "MEDIUM");
  EXPECT_EQ(rescored["due_date"], "2023-10-04");  // KEV's date still comes first
  EXPECT_EQ(nlohmann::json::parse(mamori("vuln requirements --json" + db).out).size(), 1u);
  ASSERT_EQ(mamori("vuln requirements clear " + emr + db).code, 0);
  EXPECT_EQ(nlohmann::json::parse(mamori("vuln requirements --json" + db).out).size(), 0u);
  EXPECT_EQ(find(nlohmann::json::parse(mamori("vuln findings --json" + db).out),
                 "Google Chrome")["severity"],
            "HIGH");
  EXPECT_EQ(mamori("vuln requirements clear " + emr + db).code, 1);

  // Triage rules.
  std::string id = std::to_string(find(findings, "xz")["id"].get<int>());
  auto nojust = mamori("vuln triage " + id + " --state not_affected" + db);
  EXPECT_EQ(nojust.code, 1);
  EXPECT_NE(nojust.err.find("justification"), std::string::npos) << nojust.err;
  auto noapprover =
      mamori("vuln triage " + id +
             " --state accepted --note 業者の修正版待ち --review-date 2099-01-01" + db);
  EXPECT_EQ(noapprover.code, 1);
  EXPECT_NE(noapprover.err.find("承認者"), std::string::npos) << noapprover.err;
  auto accepted = mamori("vuln triage --json " + id +
                         " --state accepted --note 業者の修正版待ち --approver 院長 "
                         "--review-date 2099-01-01" +
                         db);
  ASSERT_EQ(accepted.code, 0) << accepted.err;
  EXPECT_EQ(nlohmann::json::parse(accepted.out)["state_label"], "リスク受容");
  std::string cid = std::to_string(chrome["id"].get<int>());
  ASSERT_EQ(mamori("vuln triage " + cid + " --state affected --note 更新予定" + db).code, 0);
  // Several at once: all or none — an id that is not there changes neither.
  auto partly = mamori("vuln triage " + cid + " 999999 --state fixed" + db);
  EXPECT_EQ(partly.code, 1);
  EXPECT_NE(partly.err.find("999999"), std::string::npos) << partly.err;
  EXPECT_EQ(find(nlohmann::json::parse(mamori("vuln findings --json" + db).out),
                 "Google Chrome")["state"],
            "affected");

  // Re-matching is incremental: nothing changed, nothing evaluated; --full re-evaluates all and
  // keeps the states.
  auto again = nlohmann::json::parse(mamori("vuln match --json --summary" + db).out);
  EXPECT_EQ(again["incremental"], true);
  EXPECT_EQ(again["evaluated_targets"], 0);
  EXPECT_EQ(again["added"], 0);
  EXPECT_EQ(again["gone"], 0);
  // ... and says so: the findings kept from the last match are still counted as there.
  EXPECT_EQ(again["still"], 0);
  EXPECT_EQ(again["current"], 4);
  auto again_text = mamori("vuln match" + db);
  EXPECT_NE(again_text.out.find("現在の検出 4"), std::string::npos) << again_text.out;
  EXPECT_NE(again_text.out.find("差分照合"), std::string::npos) << again_text.out;
  auto full = nlohmann::json::parse(mamori("vuln match --json --summary --full" + db).out);
  EXPECT_EQ(full["incremental"], false);
  EXPECT_EQ(full["still"], 4);
  EXPECT_EQ(full["current"], 4);
  EXPECT_EQ(mamori("vuln match --full" + db).out.find("差分照合"), std::string::npos);
  // A feed delta: one CVE record updated is evaluated again on every asset, and only it.
  {
    std::ifstream in(shared + "nvd/osvdev-nvdcve-2.0/CVE-2024-3094.json");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string was = "\"lastModified\": \"2026-06-17T07:43:17.830\"";
    ASSERT_NE(text.find(was), std::string::npos);
    text.replace(text.find(was), was.size(), "\"lastModified\": \"2099-01-01T00:00:00.000\"");
    std::ofstream(dir + "/delta.json") << text;
  }
  auto delta_load = nlohmann::json::parse(mamori("vuln load --json delta.json" + db).out);
  EXPECT_EQ(delta_load[0]["updated"], 1);
  auto delta = nlohmann::json::parse(mamori("vuln match --json --summary" + db).out);
  EXPECT_EQ(delta["changed_records"], 1);
  EXPECT_EQ(delta["still"], 2);  // xz (its state, accepted, kept) and the xz of unknown vendor
  EXPECT_EQ(delta["added"], 0);
  EXPECT_EQ(delta["gone"], 0);
  EXPECT_EQ(delta["current"], 4);
  // A patched Chrome (a ledger change): that asset is evaluated in full; its finding is "gone"
  // and the change is reported.
  ASSERT_EQ(mamori("ledger import --asset EMR-DB01 " + data + "ward-pc-patched.cdx.json" + db).code,
            0);
  auto patched = nlohmann::json::parse(mamori("vuln match --json --summary" + db).out);
  EXPECT_EQ(patched["gone"], 1);
  EXPECT_EQ(patched["still"], 3);
  EXPECT_EQ(patched["current"], 3);
  ASSERT_EQ(patched["changes"].size(), 1u);
  EXPECT_EQ(patched["changes"][0]["change"], "gone");
  EXPECT_EQ(patched["changes"][0]["cve"], "CVE-2023-4863");
  auto open = nlohmann::json::parse(mamori("vuln findings --json --state open" + db).out);
  EXPECT_EQ(open.size(), 2u);  // libwebp (new) and the unknown xz (new); xz is accepted
  auto all = nlohmann::json::parse(mamori("vuln findings --json --all" + db).out);
  EXPECT_EQ(all.size(), 4u);
  EXPECT_FALSE(find(all, "Google Chrome")["gone_at"].is_null());
  EXPECT_EQ(find(all, "xz")["state"], "accepted");
  EXPECT_EQ(find(all, "xz")["approver"], "院長");

  // By CVE: each group counts the CVE's findings (the gone one with --all); several triaged in
  // one command, one line each.
  auto groups = nlohmann::json::parse(mamori("vuln cves --json --all" + db).out);
  size_t grouped = 0;
  for (const auto& g : groups) {
    size_t n = 0;
    for (const auto& f : all) n += f["cve"] == g["cve"] ? 1 : 0;
    EXPECT_EQ(g["findings"], n) << g.dump();
    grouped += n;
  }
  EXPECT_EQ(grouped, all.size());
  std::string lid = std::to_string(find(all, "libwebp")["id"].get<int>());
  std::string xid = std::to_string(find(all, "xz")["id"].get<int>());
  auto both = mamori("vuln triage " + lid + " " + xid + " --state affected --note 更新予定" + db);
  ASSERT_EQ(both.code, 0) << both.err;
  EXPECT_EQ(std::count(both.out.begin(), both.out.end(), '\n'), 2) << both.out;
  EXPECT_EQ(nlohmann::json::parse(mamori("vuln cves --json --state affected" + db).out).size(), 2u);

  // A bare SBOM: matched, nothing stored.
  auto bare = nlohmann::json::parse(
      mamori("vuln match --json --sbom " + data + "ward-pc.cdx.json" + db).out);
  EXPECT_EQ(bare.size(), 4u);
  EXPECT_EQ(nlohmann::json::parse(mamori("vuln findings --json --all" + db).out).size(), 4u);

  // Policy: critical within 7 days.
  auto pol = nlohmann::json::parse(mamori("vuln policy --json --set critical_days=7" + db).out);
  EXPECT_EQ(pol["critical_days"], 7);

  // End of support: OpenSSL 1.1.1 (2023-09-11) on the asset.
  auto eol = nlohmann::json::parse(mamori("vuln eol --json" + db).out);
  bool openssl = false;
  for (const auto& e : eol)
    if (e["product"] == "openssl") {
      openssl = true;
      EXPECT_EQ(e["cycle"], "1.1.1");
      EXPECT_EQ(e["eol"], "2023-09-11");
      EXPECT_EQ(e["ended"], true);
    }
  EXPECT_TRUE(openssl) << eol.dump(1);
  // A date from the ledger's own 保守期限 column is said as such on a terminal.
  bool from_ledger = false;
  for (const auto& e : eol) from_ledger = from_ledger || e["product"] == "ledger";
  ASSERT_TRUE(from_ledger) << eol.dump(1);
  auto eol_text = mamori("vuln eol" + db).out;
  EXPECT_NE(eol_text.find("\t台帳の保守期限\t"), std::string::npos) << eol_text;
  EXPECT_EQ(eol_text.find("\tledger "), std::string::npos) << eol_text;
  EXPECT_EQ(mamori("audit verify" + db).code, 0);
  (void)t;
}

// OSV by package URL and a maker's VEX, end to end: an SBOM on an asset, an OSV record, the
// finding, the maker's CycloneDX VEX (BOM-Link to that SBOM's serial number) making it 影響なし
// with who said it, a person's later decision kept when the VEX is loaded again, VEX out, and
// the bare-SBOM path with the VEX given beside it.
void OsvVexFlow(const std::function<RunResult(const std::string&)>& mamori, const std::string& db,
                const std::string& dir) {
  std::string shared = SharedDir() + "/testdata/vuln/";
  std::string data = SourceDir() + "/tests/data/vuln/";
  ASSERT_EQ(mamori("demo seed --no-feeds" + db).code, 0);
  ASSERT_EQ(mamori("ledger import --asset EMR-DB01 " + data + "acme-product-1.cdx.json" + db).code,
            0);
  auto load = mamori("vuln load --json " + data + "GHSA-288c-cq4h-88gq.json " + shared +
                     "osv/pypi/requests" + db);
  ASSERT_EQ(load.code, 0) << load.err;
  auto loaded = nlohmann::json::parse(load.out);
  ASSERT_EQ(loaded.size(), 6u);
  for (const auto& l : loaded) EXPECT_EQ(l["kind"], "osv");
  auto m = nlohmann::json::parse(mamori("vuln match --json --summary" + db).out);
  EXPECT_EQ(m["added"], 1);
  auto findings = nlohmann::json::parse(mamori("vuln findings --json" + db).out);
  ASSERT_EQ(findings.size(), 1u) << findings.dump(1);
  auto f = findings[0];
  EXPECT_EQ(f["cve"], "CVE-2020-25649");
  EXPECT_EQ(f["verdict"], "affected");
  EXPECT_EQ(f["component_purl"],
            "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar");
  EXPECT_EQ(f["evidence"][0]["bound"], "introduced 2.10.0, fixed 2.10.5.1");
  EXPECT_NE(f["evidence"][0]["reason"].get<std::string>().find("maven"), std::string::npos);
  EXPECT_EQ(f["cvss"]["score"], 7.5);  // from the OSV record: no NVD record is loaded

  // A malformed VEX is refused naming file and path; nothing changes.
  {
    std::ofstream(dir + "/bad-vex.json")
        << R"({"bomFormat":"CycloneDX","specVersion":"1.4","vulnerabilities":[{"id":"CVE-2020-25649","analysis":{"state":"probably_fine"},"affects":[{"ref":"x"}]}]})";
  }
  auto bad = mamori("vuln load bad-vex.json" + db);
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("bad-vex.json: vulnerabilities[0]"), std::string::npos) << bad.err;
  EXPECT_EQ(nlohmann::json::parse(mamori("vuln vex list --json" + db).out).size(), 0u);

  std::string case6 = shared + "vex/cyclonedx/Use-Cases/Case-6/vex.json";
  auto vex = nlohmann::json::parse(mamori("vuln load --json " + case6 + db).out);
  ASSERT_EQ(vex.size(), 1u);
  EXPECT_EQ(vex[0]["kind"], "vex");
  EXPECT_EQ(vex[0]["applied"], 1);
  f = nlohmann::json::parse(mamori("vuln findings --json" + db).out)[0];
  EXPECT_EQ(f["state"], "not_affected");
  EXPECT_EQ(f["justification"], "vulnerable_code_not_in_execute_path");
  // Who said it: the document has no author, so its file name stands in.
  EXPECT_TRUE(f["state_source"].get<std::string>().starts_with("vex:cyclonedx:vex.json:"))
      << f["state_source"];
  EXPECT_NE(f["note"].get<std::string>().find("not reachable"), std::string::npos);
  // Re-matching keeps the VEX state; a person's decision is never overwritten by a VEX.
  EXPECT_EQ(nlohmann::json::parse(mamori("vuln match --json --summary --full" + db).out)["still"],
            1);
  EXPECT_EQ(nlohmann::json::parse(mamori("vuln findings --json" + db).out)[0]["state"],
            "not_affected");
  std::string id = std::to_string(f["id"].get<int>());
  ASSERT_EQ(mamori("vuln triage " + id + " --state affected --note 院内で再評価" + db).code, 0);
  vex = nlohmann::json::parse(mamori("vuln load --json " + case6 + db).out);
  EXPECT_EQ(vex[0]["applied"], 0);
  EXPECT_EQ(nlohmann::json::parse(mamori("vuln findings --json" + db).out)[0]["state"], "affected");
  auto docs = nlohmann::json::parse(mamori("vuln vex list --json" + db).out);
  EXPECT_EQ(docs.size(), 2u);

  // VEX out (CycloneDX) names the finding's component by its purl.
  auto out = mamori("vuln vex export --asset 1 --format cyclonedx" + db);
  ASSERT_EQ(out.code, 0) << out.err;
  auto cdx = nlohmann::json::parse(out.out);
  EXPECT_EQ(cdx["vulnerabilities"][0]["analysis"]["state"], "exploitable");
  EXPECT_EQ(cdx["components"][0]["purl"],
            "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar");
  EXPECT_EQ(mamori("vuln vex export --asset 2 --format csaf" + db).code, 1);  // no findings
  EXPECT_EQ(mamori("vuln vex export --asset 1 --format spdx" + db).code, 1);

  // A bare SBOM with the maker's VEX beside it: computed, nothing stored.
  auto bare = nlohmann::json::parse(
      mamori("vuln match --json --sbom " + data + "acme-product-1.cdx.json --vex " + case6 + db)
          .out);
  ASSERT_EQ(bare.size(), 1u);
  EXPECT_EQ(bare[0]["state"], "not_affected");
  EXPECT_EQ(bare[0]["target"], "sbom:" + data + "acme-product-1.cdx.json");
  auto other = mamori("vuln match --json --sbom " + data + "acme-product-1.cdx.json --vex " +
                      shared + "vex/cyclonedx/Use-Cases/Case-9/bom-2.json" + db);
  EXPECT_EQ(other.code, 1);  // an SBOM given as VEX: an error, not a silent pass
  EXPECT_NE(other.err.find("bom-2.json"), std::string::npos) << other.err;
  EXPECT_EQ(mamori("vuln match --json --vex " + case6 + db).code, 1);  // --vex needs --sbom

  // A maker's CSAF security advisory is read as the maker's word too: with the bare SBOM, the
  // component of that product is affected, with the vendor's fix as the note; stored, it is
  // listed and leaves the person's decision alone.
  std::string advisory = data + "acme-sa-2026-01.csaf.json";
  bare = nlohmann::json::parse(
      mamori("vuln match --json --sbom " + data + "acme-product-1.cdx.json --vex " + advisory + db)
          .out);
  ASSERT_EQ(bare.size(), 1u);
  EXPECT_EQ(bare[0]["state"], "affected");
  EXPECT_EQ(bare[0]["state_source"], "vex:csaf:Acme PSIRT:ACME-SA-2026-01");
  EXPECT_NE(bare[0]["note"].get<std::string>().find("vendor_fix: Update Acme Product 1 to 1.1"),
            std::string::npos)
      << bare[0]["note"];
  vex = nlohmann::json::parse(mamori("vuln load --json " + advisory + db).out);
  ASSERT_EQ(vex.size(), 1u);
  EXPECT_EQ(vex[0]["kind"], "vex");
  EXPECT_EQ(vex[0]["format"], "csaf");
  EXPECT_EQ(vex[0]["statements"], 1);
  EXPECT_EQ(vex[0]["applied"], 0);
  EXPECT_EQ(vex[0]["category"], "csaf_security_advisory");
  docs = nlohmann::json::parse(mamori("vuln vex list --json" + db).out);
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_EQ(docs[0]["doc_id"], "ACME-SA-2026-01");  // newest first
  EXPECT_EQ(docs[0]["category"], "csaf_security_advisory");
  EXPECT_EQ(docs[0]["title"], "Acme Product 1: jackson-databind (CVE-2020-25649)");
  EXPECT_EQ(docs[1]["category"], "");  // CycloneDX
  auto info = mamori("vuln load " + shared + "csaf/oasis/rhsa-2019_1862.json" + db);
  EXPECT_EQ(info.code, 1);
  EXPECT_NE(info.err.find("csaf_informational_advisory"), std::string::npos) << info.err;
}

TEST_F(Cli, OsvAndVexFromAMakerReachFindings) {
  OsvVexFlow([&](const std::string& a) { return Mamori(a); }, " --db vex.db", dir_.path());
}

TEST_F(Cli, OsvAndVexOnPostgresql) {
  auto url = SharedPgServer().CreateDatabase();
  ASSERT_TRUE(url.ok());
  OsvVexFlow([&](const std::string& a) { return Mamori(a); }, " --db " + *url, dir_.path());
}

// JVN iPedia's products as candidates: a Japanese maker's router (NEC Aterm) and JP1/VERITAS
// NetBackup, which NVD gives no configurations for in the data loaded, are found from the real
// JVN detail feed — 要確認 only (JVN states versions in words), with JVN's entry as evidence, its
// Japanese title and its CVSS; a CVE NVD has analysed (FortiWeb) is decided by NVD's bounds alone,
// on each side of them. Stored on an asset, a JVN entry loaded later reaches it incrementally.
void JvnFlow(const std::function<RunResult(const std::string&)>& mamori, const std::string& db) {
  const char* shared_dir = std::getenv("MAMORI_SHARED_DIR");
  const char* source_dir = std::getenv("MAMORI_SOURCE_DIR");
  ASSERT_TRUE(shared_dir != nullptr && source_dir != nullptr);
  std::string shared = std::string(shared_dir) + "/testdata/vuln/";
  std::string data = std::string(source_dir) + "/tests/data/vuln/";
  std::string sbom = data + "router-and-servers.cdx.json";
  ASSERT_EQ(mamori("demo seed --no-feeds" + db).code, 0);
  ASSERT_EQ(mamori("vuln load " + data + "CVE-2024-55593.nvd.json" + db).code, 0);
  ASSERT_EQ(mamori("ledger import --asset EMR-DB01 " + sbom + db).code, 0);
  auto m = nlohmann::json::parse(mamori("vuln match --json --summary" + db).out);
  EXPECT_EQ(m["added"], 1);  // FortiWeb 7.6.1, from NVD; nothing from JVN before it is loaded
  ASSERT_EQ(mamori("vuln load " + shared + "jvn/hnd/dataFeed_jvndb_detail_hnd.xml" + db).code, 0);
  m = nlohmann::json::parse(mamori("vuln match --json --summary" + db).out);
  EXPECT_TRUE(m["incremental"].get<bool>()) << m.dump();
  EXPECT_EQ(m["added"], 5) << m.dump();  // the JVN entries, reaching the unchanged asset

  auto bare = mamori("vuln match --json --sbom " + sbom + db);
  ASSERT_EQ(bare.code, 0) << bare.err;
  std::map<std::string, nlohmann::json> by;
  for (const auto& f : nlohmann::json::parse(bare.out))
    by[f["cve"].get<std::string>() + " " + f["version"].get<std::string>()] = f;
  ASSERT_EQ(by.size(), 6U) << bare.out;
  // JVN states each Aterm's versions per CVE: WG1200CR below 1.5.0 for CVE-2025-0355 alone,
  // WG2600HS below 1.7.2 for -0354 and -0355; read into ranges, they decide as NVD's would.
  const auto& wg = by["CVE-2025-0355 1.2.0"];
  EXPECT_EQ(wg["verdict"], "affected");
  EXPECT_EQ(wg["component"], "Aterm WG1200CR firmware");
  EXPECT_EQ(wg["jvndb"], "JVNDB-2025-000002");
  EXPECT_EQ(wg["title_ja"], "NEC Atermシリーズにおける複数の脆弱性（NV25-003）");
  EXPECT_EQ(wg["cvss"]["score"], 7.5);  // JVN's score: NVD has none for it
  ASSERT_EQ(wg["evidence"].size(), 2U);
  EXPECT_EQ(wg["evidence"][0]["criterion"],
            "cpe:2.3:o:nec:aterm_wg1200cr_firmware:*:*:*:*:*:*:*:*");
  EXPECT_EQ(wg["evidence"][0]["bound"], "versionEndExcluding 1.5.0");
  EXPECT_NE(wg["evidence"][1]["reason"].get<std::string>().find(
                "JVN iPedia JVNDB-2025-000002 "
                "の記載「Ver.1.5.0より前のバージョン（CVE-2025-0355）」から"),
            std::string::npos)
      << wg["evidence"][1];
  EXPECT_EQ(by.count("CVE-2025-0354 1.2.0") + by.count("CVE-2025-0356 1.2.0"), 0U);
  for (const char* cve : {"CVE-2025-0354", "CVE-2025-0355"}) {
    EXPECT_EQ(by[std::string(cve) + " 1.7.1"]["verdict"], "affected") << cve;
    EXPECT_EQ(by[std::string(cve) + " 1.7.1"]["component"], "Aterm WG2600HS firmware");
  }
  EXPECT_EQ(by.count("CVE-2025-0356 1.7.1"), 0U);
  for (const char* cve : {"CVE-2025-0354", "CVE-2025-0355", "CVE-2025-0356"})
    EXPECT_EQ(by.count(std::string(cve) + " 1.7.2"), 0U) << cve;
  // Words not read leave the finding to a person, with the words.
  const auto& sp = by["CVE-2021-36745 5.8"];
  EXPECT_EQ(sp["verdict"], "review");
  ASSERT_EQ(sp["evidence"].size(), 2U);
  EXPECT_NE(sp["evidence"][1]["reason"].get<std::string>().find(
                "「for Windows 5.8 (Build 1575) 未満」は版の範囲として読み取れない"),
            std::string::npos)
      << sp["evidence"][1];
  // An entry without a CVE is its own finding, by its JVNDB id; JVN lists 8.0 among its versions.
  const auto& nb = by["JVNDB-2018-009328 8.0"];
  EXPECT_EQ(nb["verdict"], "affected");
  EXPECT_EQ(nb["evidence"][0]["criterion"],
            "cpe:2.3:a:hitachi:jp1_veritas_netbackup:8.0:*:*:*:*:*:*:*");
  EXPECT_EQ(nb["title_ja"], "JP1/VERITAS 製品における複数の脆弱性");
  // An overview list of the same entry (no versions in it) keeps the versions the detail gave.
  ASSERT_EQ(mamori("vuln load " + data + "jvn-overview-aterm.rdf" + db).code, 0);
  auto again = nlohmann::json::parse(mamori("vuln match --json --sbom " + sbom + db).out);
  EXPECT_EQ(again.size(), 6U) << again.dump();
  int kept = 0;
  for (const auto& f : again)
    kept += f["cve"] == "CVE-2025-0355" && f["version"] == "1.2.0" && f["verdict"] == "affected";
  EXPECT_EQ(kept, 1);
  // NVD analysed CVE-2024-55593: 7.6.1 inside its bounds, 7.6.2 outside; JVN adds nothing.
  const auto& fw = by["CVE-2024-55593 7.6.1"];
  EXPECT_EQ(fw["verdict"], "affected");
  ASSERT_EQ(fw["evidence"].size(), 1U);
  EXPECT_EQ(fw["evidence"][0]["bound"], "versionStartIncluding 7.6.0, versionEndExcluding 7.6.2");
  EXPECT_EQ(fw["title_ja"], "FortiWebにおけるSQLインジェクションの脆弱性");
  EXPECT_EQ(by.count("CVE-2024-55593 7.6.2"), 0U);

  // VEX out names an entry without a CVE by its JVN id (CSAF's cve field takes CVE ids only).
  auto out = mamori("vuln vex export --asset 1 --format csaf" + db);
  ASSERT_EQ(out.code, 0) << out.err;
  bool jvn_id = false;
  auto csaf =
      nlohmann::json::parse(out.out);  // kept: a range-for over a temporary's member dangles
  for (const auto& v : csaf["vulnerabilities"])
    if (v.contains("ids") && v["ids"][0]["system_name"] == "JVN iPedia" &&
        v["ids"][0]["text"] == "JVNDB-2018-009328")
      jvn_id = !v.contains("cve");
  EXPECT_TRUE(jvn_id) << out.out;
}

// OKA (MyJVN API 4.0) gives the versions as fields: IPA's jvncsaf example states 8.1.2, below
// 1.0.6, 2.1.0 to 2.1.3 and 3.1.1a up to 3.1.1d, and its product tree names 4.0.0 by a CPE of
// its own; each decides, and the versions outside them have no finding.
TEST_F(Cli, OkaVersionFieldsDecideTheMatch) {
  const char* shared_dir = std::getenv("MAMORI_SHARED_DIR");
  const char* source_dir = std::getenv("MAMORI_SOURCE_DIR");
  ASSERT_TRUE(shared_dir != nullptr && source_dir != nullptr);
  std::string db = " --db oka.db";
  ASSERT_EQ(Mamori("demo seed --no-feeds" + db).code, 0);
  ASSERT_EQ(Mamori("vuln load " + std::string(shared_dir) +
                   "/testdata/vuln/jvn/oka/getVulnDetailInfo_oka_jvncsaf.json" + db)
                .code,
            0);
  auto r = Mamori("vuln match --json --sbom " + std::string(source_dir) +
                  "/tests/data/vuln/myjvn-api-versions.cdx.json" + db);
  ASSERT_EQ(r.code, 0) << r.err;
  std::map<std::string, std::string> verdicts;
  for (const auto& f : nlohmann::json::parse(r.out)) {
    EXPECT_EQ(f["cve"], "CVE-2025-0000");
    verdicts[f["version"]] = f["verdict"];
  }
  EXPECT_EQ(verdicts, (std::map<std::string, std::string>{{"1.0.5", "affected"},
                                                          {"2.1.3", "affected"},
                                                          {"3.1.1b", "affected"},
                                                          {"4.0.0", "affected"},
                                                          {"8.1.2", "affected"}}));
}

// A maker's advisory stored and applied at load and at every match: Red Hat's RHSA-2025:23414
// states bind 9.8.2-0.68.rc1.el6_10.17 fixed as a component of RHEL 6 ELS (its platform by CPE);
// the finding on a server whose OS is RHEL 6.10 ELS becomes 対応済 with Red Hat as its source,
// and stays so when matched again.
TEST_F(Cli, AnAdvisoryDecidesAPackageOnItsPlatform) {
  const char* shared_dir = std::getenv("MAMORI_SHARED_DIR");
  const char* source_dir = std::getenv("MAMORI_SOURCE_DIR");
  ASSERT_TRUE(shared_dir != nullptr && source_dir != nullptr);
  std::string data = std::string(source_dir) + "/tests/data/vuln/";
  std::string db = " --db rhsa.db";
  ASSERT_EQ(Mamori("demo seed --no-feeds" + db).code, 0);
  ASSERT_EQ(Mamori("vuln load " + data + "CVE-2021-25220.nvd.json" + db).code, 0);
  ASSERT_EQ(Mamori("ledger import --asset EMR-DB01 " + data + "rhel6-server.cdx.json" + db).code,
            0);
  ASSERT_EQ(Mamori("vuln match" + db).code, 0);
  auto before = nlohmann::json::parse(Mamori("vuln findings --json --cve CVE-2021-25220" + db).out);
  ASSERT_EQ(before.size(), 1U) << before.dump(1);
  EXPECT_EQ(before[0]["state"], "new");
  auto load = Mamori("vuln load --json " + std::string(shared_dir) +
                     "/testdata/vuln/csaf/redhat/rhsa-2025_23414.json" + db);
  ASSERT_EQ(load.code, 0) << load.err;
  EXPECT_EQ(nlohmann::json::parse(load.out)[0]["applied"], 1);
  for (int round = 0; round < 2; ++round) {
    auto f = nlohmann::json::parse(Mamori("vuln findings --json --cve CVE-2021-25220" + db).out);
    ASSERT_EQ(f.size(), 1U);
    EXPECT_EQ(f[0]["state"], "fixed") << round;
    EXPECT_EQ(f[0]["state_source"], "vex:csaf:Red Hat Product Security:RHSA-2025:23414");
    ASSERT_EQ(Mamori("vuln match --full" + db).code, 0);
  }
}

TEST_F(Cli, JvnProductsFindWhatNvdHasNotAnalysed) {
  JvnFlow([&](const std::string& a) { return Mamori(a); }, " --db jvn.db");
}

TEST_F(Cli, JvnProductsOnPostgresql) {
  auto url = SharedPgServer().CreateDatabase();
  ASSERT_TRUE(url.ok());
  JvnFlow([&](const std::string& a) { return Mamori(a); }, " --db " + *url);
}

TEST_F(Cli, VulnerabilitiesFromFeedsToTriage) {
  VulnFlow(
      *this, [&](const std::string& a) { return Mamori(a); }, " --db vuln.db", dir_.path());
}

TEST_F(Cli, VulnerabilitiesOnPostgresql) {
  auto url = SharedPgServer().CreateDatabase();
  ASSERT_TRUE(url.ok());
  VulnFlow(
      *this, [&](const std::string& a) { return Mamori(a); }, " --db " + *url, dir_.path());
}

// The signed offline bundle: built from downloaded feeds, checked by the real minisign and
// sha256sum, refused when untrusted, tampered, truncated or a delta without its base — each
// leaving what is stored as it was — and loaded (full, then delta) into findings.
void BundleFlow(const std::function<RunResult(const std::string&)>& mamori, const std::string& db,
                const std::string& dir) {
  std::string shared = SharedDir() + "/testdata/vuln/";
  auto sh = [&](const std::string& cmd) {
    return std::system(("cd " + dir + " && " + cmd + " > /dev/null 2>&1").c_str());
  };
  auto feed_count = [&] {
    return nlohmann::json::parse(mamori("vuln feeds --json" + db).out).size();
  };
  std::string data = SourceDir() + "/tests/data/vuln/";
  ASSERT_EQ(mamori("demo seed --no-feeds" + db).code, 0);
  ASSERT_EQ(mamori("ledger import --asset EMR-DB01 " + data + "ward-pc.cdx.json" + db).code, 0);
  ASSERT_EQ(mamori("vuln bundle keygen --out isac").code, 0);
  EXPECT_EQ(mamori("vuln bundle keygen --out isac").code, 1);  // never overwrites a key
  // Feeds as a connected machine downloaded them: NVD records (all but three) and KEV.
  ASSERT_EQ(sh("rm -rf feeds && mkdir -p feeds/nvd && cp " + shared +
               "nvd/osvdev-nvdcve-2.0/*.json feeds/nvd/ && cp " + shared +
               "kev/known_exploited_vulnerabilities.json feeds/ && mkdir later && mv "
               "feeds/nvd/CVE-2024-3094.json feeds/nvd/CVE-2023-4863.json "
               "feeds/nvd/CVE-2022-0090.json later/"),
            0);
  auto b1 = mamori("vuln bundle build --json --key isac.key -o b1.mamori feeds");
  ASSERT_EQ(b1.code, 0) << b1.err;
  auto m1 = nlohmann::json::parse(b1.out);
  EXPECT_EQ(m1["files"].size(), 21u);
  EXPECT_EQ(m1["sequence"], 1);
  // A day later: three new records; the delta holds only them.
  ASSERT_EQ(sh("mv later/*.json feeds/nvd/"), 0);
  auto b2 = mamori("vuln bundle build --json --key isac.key -o b2.mamori --base b1.mamori feeds");
  ASSERT_EQ(b2.code, 0) << b2.err;
  auto m2 = nlohmann::json::parse(b2.out);
  EXPECT_EQ(m2["files"].size(), 3u);
  EXPECT_EQ(m2["unchanged"].size(), 21u);
  EXPECT_EQ(m2["sequence"], 2);
  EXPECT_EQ(m2["base"]["id"], m1["id"]);

  // Peers: minisign verifies the manifest's signature with mamori's public key; sha256sum
  // agrees with the manifest's hash of a member.
  ASSERT_EQ(sh("mkdir x1 && tar --zstd -xf b1.mamori -C x1"), 0);
  EXPECT_EQ(sh("minisign -V -p isac.pub -m x1/manifest.json"), 0);
  std::string kev_sha;
  for (const auto& f : m1["files"])
    if (f["name"] == "known_exploited_vulnerabilities.json") kev_sha = f["sha256"];
  EXPECT_EQ(
      sh("echo '" + kev_sha + "  x1/feeds/known_exploited_vulnerabilities.json' | sha256sum -c"),
      0);

  // Refusals; nothing is stored by any of them.
  auto untrusted = mamori("vuln bundle load b1.mamori" + db);
  EXPECT_EQ(untrusted.code, 1);
  EXPECT_NE(untrusted.err.find("信頼されていない鍵"), std::string::npos) << untrusted.err;
  ASSERT_EQ(mamori("vuln bundle trust isac.pub --comment 地域ISAC" + db).code, 0);
  auto orphan = mamori("vuln bundle load b2.mamori" + db);
  EXPECT_EQ(orphan.code, 1);
  EXPECT_NE(orphan.err.find("差分バンドル"), std::string::npos) << orphan.err;
  // A changed byte in one feed file, repacked with the original signed manifest.
  ASSERT_EQ(sh("cp -r x1 x2 && sed -i 's/CVE-2014-1424/CVE-2014-1425/' "
               "x2/feeds/nvd/CVE-2014-1424.json && tar --zstd -cf altered.mamori -C x2 feeds "
               "manifest.json manifest.json.minisig"),
            0);
  auto altered = mamori("vuln bundle load altered.mamori" + db);
  EXPECT_EQ(altered.code, 1);
  EXPECT_NE(
      altered.err.find("nvd/CVE-2014-1424.json の内容が署名された目録のハッシュと一致しません"),
      std::string::npos)
      << altered.err;
  // A manifest edited to match the altered file: the signature no longer holds.
  ASSERT_EQ(sh("sha=$(sha256sum x2/feeds/nvd/CVE-2014-1424.json | cut -c1-64) && python3 -c "
               "\"import json,sys; m=json.load(open('x2/manifest.json')); "
               "[f.update(sha256=sys.argv[1]) for f in m['files'] if f['name']=='nvd/"
               "CVE-2014-1424.json']; open('x2/manifest.json','w').write(json.dumps(m, "
               "indent=2)+'\\n')\" $sha && tar --zstd -cf resigned.mamori -C x2 feeds "
               "manifest.json manifest.json.minisig"),
            0);
  auto resigned = mamori("vuln bundle load resigned.mamori" + db);
  EXPECT_EQ(resigned.code, 1);
  EXPECT_NE(resigned.err.find("署名が一致しません"), std::string::npos) << resigned.err;
  // An extra file slipped in.
  ASSERT_EQ(sh("cp -r x1 x3 && echo '{}' > x3/feeds/extra.json && tar --zstd -cf extra.mamori -C "
               "x3 feeds manifest.json manifest.json.minisig"),
            0);
  auto extra = mamori("vuln bundle load extra.mamori" + db);
  EXPECT_EQ(extra.code, 1);
  EXPECT_NE(extra.err.find("extra.json は署名された目録にありません"), std::string::npos)
      << extra.err;
  // Cut short on the way.
  ASSERT_EQ(sh("head -c 60000 b1.mamori > short.mamori"), 0);
  auto cut = mamori("vuln bundle load short.mamori" + db);
  EXPECT_EQ(cut.code, 1);
  EXPECT_NE(cut.err.find("short.mamori"), std::string::npos) << cut.err;
  EXPECT_EQ(feed_count(), 0u);

  // Loaded: the full bundle, again (skipped), then the delta.
  auto l1 = mamori("vuln bundle load --json b1.mamori" + db);
  ASSERT_EQ(l1.code, 0) << l1.err;
  auto j1 = nlohmann::json::parse(l1.out);
  EXPECT_EQ(j1[0]["files"].size(), 21u);
  EXPECT_EQ(j1[0]["key_id"], m1["key_id"]);
  // The bundle's own digest (kept with the load) is the file's, as sha256sum gives it.
  EXPECT_EQ(
      sh("echo '" + j1[0]["sha256"].get<std::string>() + "  b1.mamori' | sha256sum -c --quiet"), 0)
      << j1[0].dump();
  EXPECT_EQ(feed_count(), 21u);
  auto again = nlohmann::json::parse(mamori("vuln bundle load --json b1.mamori" + db).out);
  EXPECT_TRUE(again[0]["already_loaded"].get<bool>());
  EXPECT_EQ(feed_count(), 21u);
  auto l2 = mamori("vuln bundle load --json b2.mamori" + db);
  ASSERT_EQ(l2.code, 0) << l2.err;
  EXPECT_EQ(feed_count(), 24u);
  auto list = nlohmann::json::parse(mamori("vuln bundle list --json" + db).out);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[1]["base"], m1["id"]);
  auto m = nlohmann::json::parse(mamori("vuln match --json --summary" + db).out);
  EXPECT_GT(m["added"].get<int>(), 0);
  // The key removed: its bundles are refused again.
  auto keys = nlohmann::json::parse(mamori("vuln bundle keys --json" + db).out);
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0]["comment"], "地域ISAC");
  ASSERT_EQ(mamori("vuln bundle untrust " + keys[0]["key_id"].get<std::string>() + db).code, 0);
  EXPECT_EQ(mamori("vuln bundle load --force b1.mamori" + db).code, 1);
}

TEST_F(Cli, SignedOfflineBundleFullAndDelta) {
  BundleFlow([&](const std::string& a) { return Mamori(a); }, " --db bundle.db", dir_.path());
}

TEST_F(Cli, SignedOfflineBundleOnPostgresql) {
  auto url = SharedPgServer().CreateDatabase();
  ASSERT_TRUE(url.ok());
  BundleFlow([&](const std::string& a) { return Mamori(a); }, " --db " + *url, dir_.path());
}

TEST_F(Cli, LedgerListShowsEveryAssetWithWhatIsMissing) {
  auto seed = Mamori("--db demo.db demo seed --json");
  ASSERT_EQ(seed.code, 0) << seed.err;
  auto r = Mamori("--db demo.db ledger list --json");
  ASSERT_EQ(r.code, 0) << r.err;
  auto assets = nlohmann::json::parse(r.out);
  ASSERT_EQ(assets.size(), nlohmann::json::parse(seed.out)["assets"].get<size_t>());
  for (const char* key : {"id", "category", "name", "computer_name", "maker", "model", "os",
                          "os_version", "ips", "macs", "location", "user", "system", "vendor",
                          "remote_maintenance", "software", "missing"})
    EXPECT_TRUE(assets[0].contains(key)) << key;
  // The demo ledger has realistic gaps: some PCs without an IP address or a user recorded.
  int no_ip = 0, no_user = 0, remote_unknown = 0;
  for (const auto& a : assets) {
    for (const auto& m : a["missing"]) {
      if (m == "ips") {
        ++no_ip;
        EXPECT_TRUE(a["ips"].empty());
      }
      if (m == "user") ++no_user;
      if (m == "remote_maintenance") ++remote_unknown;
    }
  }
  EXPECT_GT(no_ip, 0);
  EXPECT_GT(no_user, 0);
  EXPECT_GT(remote_unknown, 0);
  auto servers =
      nlohmann::json::parse(Mamori("--db demo.db ledger list --json --category server").out);
  for (const auto& a : servers) EXPECT_EQ(a["category"], "server");
  auto text = Mamori("--db demo.db ledger list --search PACS");
  EXPECT_NE(text.out.find("PACS 画像サーバ"), std::string::npos);
  EXPECT_EQ(Mamori("--db demo.db ledger list --category toaster").code, 1);
}

TEST_F(Cli, LedgerImportFromAHospitalCsvAndItsCp932Twin) {
  std::string src = SourceDir() + "/tests/data/ledger/hospital_ledger.csv";
  ASSERT_EQ(Mamori("init").code, 0);
  auto dry = Mamori("ledger import --dry-run --json " + src);
  EXPECT_EQ(dry.code, 1);  // bad rows are reported
  auto dj = nlohmann::json::parse(dry.out);
  EXPECT_EQ(dj["created"], 5);
  EXPECT_EQ(nlohmann::json::parse(Mamori("ledger list --json").out).size(), 0u);  // nothing saved

  auto strict = nlohmann::json::parse(Mamori("ledger import --strict --json " + src).out);
  EXPECT_EQ(strict["created"], 0);
  EXPECT_EQ(nlohmann::json::parse(Mamori("ledger list --json").out).size(), 0u);

  auto r = Mamori("ledger import --json " + src);
  EXPECT_EQ(r.code, 1);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["encoding"], "utf-8-bom");
  EXPECT_EQ(j["header_row"], 4);
  EXPECT_EQ(j["created"], 5);
  EXPECT_EQ(j["updated"], 0);
  EXPECT_EQ(j["mapping"]["ｺﾝﾋﾟｭｰﾀ名"], "computer_name");
  EXPECT_EQ(j["mapping"]["IPｱﾄﾞﾚｽ"], "ips");
  EXPECT_EQ(j["mapping"]["ＯＳ"], "os");
  EXPECT_EQ(j["unmapped"], nlohmann::json::array({"No."}));
  ASSERT_EQ(j["errors"].size(), 2u);
  EXPECT_EQ(j["errors"][0]["row"], 10);
  EXPECT_EQ(j["errors"][0]["column"], "IPｱﾄﾞﾚｽ");
  EXPECT_EQ(j["errors"][0]["message"], "IPアドレス「10.20.0.300」が正しくありません");
  EXPECT_EQ(j["errors"][1]["row"], 11);
  EXPECT_EQ(j["errors"][1]["column"], "ｺﾝﾋﾟｭｰﾀ名");
  EXPECT_EQ(j["errors"][1]["key"], "import.duplicate_host");

  auto assets = nlohmann::json::parse(Mamori("ledger list --json").out);
  ASSERT_EQ(assets.size(), 5u);
  std::map<std::string, nlohmann::json> by_name;
  for (const auto& a : assets) by_name[a["name"]] = a;
  EXPECT_EQ(by_name["電子カルテ DBサーバ"]["ips"],
            nlohmann::json::array({"10.10.0.11"}));  // full-width digits
  EXPECT_EQ(by_name["電子カルテ DBサーバ"]["category"], "server");
  EXPECT_EQ(by_name["電子カルテ端末 1"]["ips"],
            nlohmann::json::array({"10.20.0.10", "10.20.0.11"}));
  EXPECT_EQ(by_name["CT装置"]["category"], "medical");
  EXPECT_EQ(by_name["Web予約"]["category"], "cloud");

  // The same ledger saved by Excel as Shift_JIS (CP932) changes nothing.
  std::ifstream f(src, std::ios::binary);
  std::string utf8((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::string sjis_path = dir_.File("hospital_ledger_sjis.csv");
  ASSERT_EQ(
      std::system(("tail -c +4 " + src + " | iconv -f UTF-8 -t CP932 > " + sjis_path).c_str()), 0);
  auto twin = nlohmann::json::parse(Mamori("ledger import --json " + sjis_path).out);
  EXPECT_EQ(twin["encoding"], "cp932");
  EXPECT_EQ(twin["created"], 0);
  EXPECT_EQ(twin["updated"], 0);
  EXPECT_EQ(twin["unchanged"], 5);
  EXPECT_EQ(twin["errors"].size(), 2u);

  // A newer file updates the matching asset by its computer name, and the change is audited.
  std::string newer = dir_.File("newer.csv");
  {
    std::ofstream out(newer);
    out << "ホスト名,設置場所,利用者,IPアドレス\nEMR-DB01,本館B1 "
           "新サーバ室,情報システム室,10.10.0.11\n";
  }
  auto upd = nlohmann::json::parse(Mamori("ledger import --json " + newer).out);
  EXPECT_EQ(upd["updated"], 1);
  EXPECT_EQ(upd["created"], 0);
  auto again = nlohmann::json::parse(Mamori("ledger list --json --search EMR-DB01").out);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0]["location"], "本館B1 新サーバ室");
  EXPECT_EQ(again[0]["maker"], "架空サーバ製作所");  // not in the newer file: kept
  auto audit = nlohmann::json::parse(Mamori("audit list --json --entity asset").out);
  EXPECT_EQ(audit[0]["action"], "asset.import_update");
  EXPECT_EQ(audit[0]["before"]["location"], "本館B1 サーバ室");
  EXPECT_EQ(audit[0]["after"]["source"], "newer.csv");

  auto xlsx = Mamori("ledger import " + dir_.File("book.xlsx"));
  EXPECT_EQ(xlsx.code, 1);
  auto nohead = dir_.File("nohead.csv");
  {
    std::ofstream out(nohead);
    out << "a,b,c\n1,2,3\n";
  }
  auto nh = Mamori("ledger import " + nohead);
  EXPECT_EQ(nh.code, 1);
  EXPECT_NE(nh.err.find("見出し行が見つかりません"), std::string::npos) << nh.err;
}

namespace {
// The ledger as `ledger list --json` shows it, without ids and timestamps, keyed by name.
std::map<std::string, nlohmann::json> Comparable(const std::string& list_json) {
  std::map<std::string, nlohmann::json> out;
  for (auto a : nlohmann::json::parse(list_json)) {
    for (const char* k : {"id", "updated_at", "vendor_id", "system_id"}) a.erase(k);
    out[a["name"].get<std::string>() + "/" + a["computer_name"].get<std::string>()] = a;
  }
  return out;
}
}  // namespace

TEST_F(Cli, LedgerImportFromAHospitalWorkbookEqualsItsCp932CsvTwin) {
  std::string dir = SourceDir() + "/tests/data/ledger/";
  ASSERT_EQ(Mamori("--db a.db init").code, 0);
  ASSERT_EQ(Mamori("--db b.db init").code, 0);
  auto x = Mamori("--db a.db ledger import --json " + dir + "hospital_ledger.xlsx");
  EXPECT_EQ(x.code, 1) << x.err;  // four bad rows
  auto xj = nlohmann::json::parse(x.out);
  EXPECT_EQ(xj["format"], "xlsx");
  EXPECT_EQ(xj["created"], 9);
  // Only the ledger sheet has a header: the cover, the change log and the hidden sheet are
  // not read.
  ASSERT_EQ(xj["tables"].size(), 1u);
  EXPECT_EQ(xj["tables"][0]["sheet"], "機器台帳");
  EXPECT_EQ(xj["tables"][0]["header_row"], 4);
  EXPECT_EQ(xj["unmapped"], nlohmann::json::array({"No."}));
  EXPECT_EQ(xj["new_vendors"].size(), 5u);
  EXPECT_EQ(xj["new_systems"], nlohmann::json::array({"電子カルテ", "PACS", "院内ネットワーク"}));
  ASSERT_EQ(xj["errors"].size(), 4u);
  const std::vector<std::tuple<int, std::string, std::string>> want = {
      {14, "IPｱﾄﾞﾚｽ", "ledger.bad_ip"},
      {15, "MACアドレス", "ledger.bad_mac"},
      {16, "導入日", "ledger.bad_date"},
      {17, "ｺﾝﾋﾟｭｰﾀ名", "import.duplicate_host"}};
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(xj["errors"][i]["sheet"], "機器台帳");
    EXPECT_EQ(xj["errors"][i]["row"], std::get<0>(want[i]));
    EXPECT_EQ(xj["errors"][i]["column"], std::get<1>(want[i]));
    EXPECT_EQ(xj["errors"][i]["key"], std::get<2>(want[i]));
  }

  auto c = Mamori("--db b.db ledger import --json " + dir + "hospital_ledger_twin_cp932.csv");
  auto cj = nlohmann::json::parse(c.out);
  EXPECT_EQ(cj["encoding"], "cp932");
  EXPECT_EQ(cj["created"], 9);
  EXPECT_EQ(cj["errors"].size(), 4u);

  auto a = Comparable(Mamori("--db a.db ledger list --json").out);
  auto b = Comparable(Mamori("--db b.db ledger list --json").out);
  ASSERT_EQ(a.size(), 9u);
  EXPECT_EQ(a, b);

  const auto& db = a.at("電子カルテ DBサーバ/EMR-DB01");
  EXPECT_EQ(db["serial"], "SV2019001");  // full-width, NFKC
  EXPECT_EQ(db["purchase_date"], "2020-04-01");
  EXPECT_EQ(db["support_end"], "2027-03-31");
  EXPECT_EQ(db["remote_maintenance"], "yes");
  EXPECT_EQ(db["remote"]["method"], "閉域網VPN");
  EXPECT_EQ(db["vendor"], "架空電子カルテ株式会社");
  EXPECT_EQ(db["system"], "電子カルテ");
  ASSERT_EQ(db["software"].size(), 2u);
  EXPECT_EQ(db["software"][0]["name"], "SQL Server 2019");
  EXPECT_EQ(db["software"][0]["version"], "15.0.4345.5");
  EXPECT_EQ(db["software"][1]["name"], "ウイルスバスター Corp. XG");
  EXPECT_EQ(db["macs"], nlohmann::json::array({"00:1a:2b:3c:4d:01"}));
  // The merged 設置場所 applies to both rows.
  EXPECT_EQ(a.at("電子カルテ APサーバ/EMR-AP01")["location"], "本館B1 サーバ室");
  EXPECT_EQ(a.at("電子カルテ APサーバ/EMR-AP01")["software"].size(), 2u);  // split on 、
  // 令和元年5月1日 in a 和暦 date format.
  EXPECT_EQ(a.at("PACS 画像サーバ/PACS-SV01")["purchase_date"], "2019-05-01");
  EXPECT_EQ(a.at("電子カルテ端末 3東-2/EMR-PC0002")["ips"], nlohmann::json::array({"10.20.0.12"}));
  EXPECT_EQ(a.at("電子カルテ端末 3東-1/EMR-PC0001")["ips"],
            nlohmann::json::array({"10.20.0.10", "10.20.0.11"}));
  EXPECT_EQ(a.at("CT装置/")["missing"], nlohmann::json::array({"remote_maintenance"}));

  // Importing the workbook again changes nothing; importing the twin into it neither.
  auto again = nlohmann::json::parse(
      Mamori("--db a.db ledger import --json " + dir + "hospital_ledger.xlsx").out);
  EXPECT_EQ(again["created"], 0);
  EXPECT_EQ(again["updated"], 0);
  EXPECT_EQ(again["unchanged"], 9);
  EXPECT_EQ(again["new_vendors"].size(), 0u);
  auto cross = nlohmann::json::parse(
      Mamori("--db a.db ledger import --json " + dir + "hospital_ledger_twin_cp932.csv").out);
  EXPECT_EQ(cross["unchanged"], 9);

  // A newer ledger: the server moved and its OS was updated; matched by computer name, and the
  // report says which fields changed.
  std::ofstream(dir_.File("newer.csv")) << "機器名,ホスト名,設置場所,OSバージョン\r\n電子カルテ "
                                           "DBサーバ,EMR-DB01,新館B1 サーバ室,2022 Standard\r\n";
  auto newer = nlohmann::json::parse(Mamori("--db a.db ledger import --json newer.csv").out);
  EXPECT_EQ(newer["updated"], 1);
  ASSERT_EQ(newer["changed"].size(), 1u);
  EXPECT_EQ(newer["changed"][0]["fields"], nlohmann::json::array({"location", "os_version"}));
  auto moved = Comparable(Mamori("--db a.db ledger list --json").out);
  EXPECT_EQ(moved.at("電子カルテ DBサーバ/EMR-DB01")["location"], "新館B1 サーバ室");
  EXPECT_EQ(moved.at("電子カルテ DBサーバ/EMR-DB01")["software"].size(), 2u);  // kept

  // --sheet names a sheet; a wrong one lists those there are.
  auto wrong = Mamori("--db a.db ledger import --sheet 台帳 " + dir + "hospital_ledger.xlsx");
  EXPECT_EQ(wrong.code, 1);
  EXPECT_NE(wrong.err.find("表紙, 機器台帳, 変更履歴, 作業用"), std::string::npos) << wrong.err;
  // The hidden sheet is read when asked for by name.
  auto hidden =
      nlohmann::json::parse(Mamori("--db a.db ledger import --dry-run --json --sheet 作業用 " +
                                   dir + "hospital_ledger.xlsx")
                                .out);
  EXPECT_EQ(hidden["created"], 1);
}

TEST_F(Cli, ImportMappingOverridesAndBrokenWorkbooks) {
  ASSERT_EQ(Mamori("init").code, 0);
  std::ofstream(dir_.File("own.csv")) << "端末識別子,設置フロア,IP\r\nWARD-PC1,3F,10.0.0.1\r\n";
  auto none = Mamori("ledger import own.csv");
  EXPECT_EQ(none.code, 1);
  EXPECT_NE(none.err.find("見出し行"), std::string::npos);
  auto mapped = nlohmann::json::parse(
      Mamori(
          "ledger import --json --map 端末識別子=computer_name --map 設置フロア=location own.csv")
          .out);
  EXPECT_EQ(mapped["created"], 1);
  auto list = nlohmann::json::parse(Mamori("ledger list --json").out);
  EXPECT_EQ(list[0]["computer_name"], "WARD-PC1");
  EXPECT_EQ(list[0]["location"], "3F");
  // A saved profile does the same next time.
  ASSERT_EQ(Mamori("ledger profile save 当院形式 --map 端末識別子=computer_name --map "
                   "設置フロア=location --map IP=")
                .code,
            0);
  auto profiles = nlohmann::json::parse(Mamori("ledger profile list --json").out);
  ASSERT_EQ(profiles.size(), 1u);
  EXPECT_EQ(profiles[0]["mapping"]["IP"], "");
  std::ofstream(dir_.File("own2.csv")) << "端末識別子,設置フロア,IP\r\nWARD-PC2,4F,10.0.0.2\r\n";
  auto with_profile =
      nlohmann::json::parse(Mamori("ledger import --json --profile 当院形式 own2.csv").out);
  EXPECT_EQ(with_profile["created"], 1);
  EXPECT_EQ(with_profile["unmapped"], nlohmann::json::array({"IP"}));  // skipped by the profile
  EXPECT_EQ(Mamori("ledger import --profile 無い own2.csv").code, 1);
  auto bad_map = Mamori("ledger import --map 端末識別子=toaster own.csv");
  EXPECT_EQ(bad_map.code, 1);
  EXPECT_NE(bad_map.err.find("toaster"), std::string::npos);

  // Not a workbook, a truncated one, an old .xls / protected one: named errors, nothing stored.
  std::ofstream(dir_.File("fake.xlsx")) << "これはExcelではありません";
  auto fake = Mamori("ledger import --format xlsx fake.xlsx");
  EXPECT_EQ(fake.code, 1);
  EXPECT_NE(fake.err.find("fake.xlsx"), std::string::npos);
  std::string dir = SourceDir() + "/tests/data/ledger/";
  std::ifstream in(dir + "hospital_ledger.xlsx", std::ios::binary);
  std::string whole((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ofstream(dir_.File("cut.xlsx"), std::ios::binary) << whole.substr(0, whole.size() - 200);
  auto cut = Mamori("ledger import cut.xlsx");
  EXPECT_EQ(cut.code, 1);
  EXPECT_NE(cut.err.find("cut.xlsx"), std::string::npos);
  std::ofstream(dir_.File("old.xls"), std::ios::binary)
      << std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) << std::string(600, '\0');
  auto old = Mamori("ledger import --format xlsx old.xls");
  EXPECT_EQ(old.code, 1);
  EXPECT_NE(old.err.find("パスワード"), std::string::npos) << old.err;
  EXPECT_EQ(nlohmann::json::parse(Mamori("ledger list --json").out).size(), 2u);
}

TEST_F(Cli, SbomImportOntoAProductModelAndAnAsset) {
  std::string sbom = SharedDir() + "/testdata/vuln/sbom/";
  ASSERT_EQ(Mamori("--db demo.db demo seed").code, 0);
  // The medical-device SBOM names no product the ledger knows: the target must be given.
  auto need = Mamori("--db demo.db ledger import " + sbom + "medical/narrow.sbom.json");
  EXPECT_EQ(need.code, 1);
  EXPECT_NE(need.err.find("--product"), std::string::npos);

  auto dry = nlohmann::json::parse(
      Mamori("--db demo.db ledger import --json --dry-run --product 見本医用機器/DEMO-MD10 " +
             sbom + "medical/narrow.sbom.json")
          .out);
  EXPECT_EQ(dry["components"], 55);
  EXPECT_EQ(nlohmann::json::parse(Mamori("--db demo.db ledger sbom list --json").out).size(), 0u);

  auto r = Mamori("--db demo.db ledger import --json --product 見本医用機器/DEMO-MD10 " + sbom +
                  "medical/narrow.sbom.json");
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["format"], "cyclonedx");
  EXPECT_EQ(j["spec_version"], "1.4");
  EXPECT_EQ(j["minimum_elements"]["without_identifier"], 0);
  EXPECT_EQ(j["minimum_elements"]["author"], true);

  // Every asset of that maker and model now lists the components, marked as from the model.
  auto assets = nlohmann::json::parse(Mamori("--db demo.db ledger list --json").out);
  int with_model_sw = 0;
  for (const auto& a : assets) {
    // Same model name from another maker is another product.
    if (a["maker"] != "見本医用機器" || a["model"] != "DEMO-MD10") {
      for (const auto& c : a["software"]) EXPECT_FALSE(c.contains("via_model"));
      continue;
    }
    ASSERT_EQ(a["software"].size(), 55u) << a["name"];
    EXPECT_EQ(a["software"][0]["via_model"], true);
    EXPECT_EQ(a["software"][0]["cpe"], "cpe:2.3:h:qualcomm:atheros_qca9563:*:*:*:*:*:*:*:*");
    ++with_model_sw;
  }
  EXPECT_GE(with_model_sw, 5);

  // The same file again changes nothing; the extended SBOM of the same product replaces it.
  auto again = nlohmann::json::parse(
      Mamori("--db demo.db ledger import --json --product 見本医用機器/DEMO-MD10 " + sbom +
             "medical/narrow.sbom.json")
          .out);
  EXPECT_EQ(again["unchanged"], true);
  auto ext = nlohmann::json::parse(
      Mamori("--db demo.db ledger import --json --product 見本医用機器/DEMO-MD10 " + sbom +
             "medical/extended.sbom.json")
          .out);
  EXPECT_EQ(ext["replaced"], 55);
  EXPECT_EQ(ext["components"], 65);

  // An SPDX document onto one asset by its computer name; the XML CycloneDX too.
  auto spdx = Mamori("--db demo.db ledger import --json --asset EMR-DB01 " + sbom +
                     "spdx/examplemaven-0.0.1-enriched.spdx.json");
  ASSERT_EQ(spdx.code, 0) << spdx.err;
  auto xml = Mamori("--db demo.db ledger import --asset PACS-SV01 " + sbom +
                    "cyclonedx/laravel-7.12.0/bom.1.4.xml");
  ASSERT_EQ(xml.code, 0) << xml.err;
  auto docs = nlohmann::json::parse(Mamori("--db demo.db ledger sbom list --json").out);
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_EQ(docs[1]["format"], "spdx");
  EXPECT_EQ(docs[1]["author"], "Gary O'Neall");
  EXPECT_EQ(docs[2]["component_count"], 62);
  EXPECT_EQ(
      Mamori("--db demo.db ledger import --asset NO-SUCH-HOST " + sbom + "medical/narrow.sbom.json")
          .code,
      1);
  // The ledger's own software of EMR-DB01 is still there beside the SBOM's.
  auto all = nlohmann::json::parse(Mamori("--db demo.db ledger list --json --search EMR-DB01").out);
  ASSERT_EQ(all.size(), 1u);
  int ledger_sw = 0, sbom_sw = 0;
  for (const auto& c : all[0]["software"]) (c["source"] == "ledger" ? ledger_sw : sbom_sw)++;
  EXPECT_EQ(ledger_sw, 3);
  EXPECT_EQ(sbom_sw, 5);
  // Unsupported: SPDX 3.
  auto v3 = Mamori("--db demo.db ledger import --asset EMR-DB01 " + sbom +
                   "spdx/appbomination.spdx3.json");
  EXPECT_EQ(v3.code, 1);
  EXPECT_NE(v3.err.find("SPDX 3"), std::string::npos);
}

// A process the test starts in the background (a peer service) and stops at the end.
class Background {
 public:
  Background(const std::string& dir, const std::string& name, const std::string& cmd)
      : pid_file_(dir + "/" + name + ".pid") {
    std::string line =
        "cd " + dir + " && (" + cmd + " > " + name + ".log 2>&1 & echo $! > " + pid_file_ + ")";
    if (std::system(line.c_str()) != 0) ADD_FAILURE() << line;
  }
  ~Background() {
    std::ifstream f(pid_file_);
    int pid = 0;
    if (f >> pid && pid > 0) kill(pid, SIGTERM);
  }
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

 private:
  std::string pid_file_;
};

bool WaitForPort(int port) {
  for (int i = 0; i < 100; ++i) {
    std::string cmd =
        "bash -c 'exec 3<>/dev/tcp/127.0.0.1/" + std::to_string(port) + "' 2>/dev/null";
    if (std::system(cmd.c_str()) == 0) return true;
    usleep(100'000);
  }
  return false;
}

TEST_F(Cli, NmapScanOfRealLoopbackServicesFindsTheUnlistedAndConfirmsTheListed) {
  // Peers: Python's http.server and DCMTK's storescp, scanned by a real nmap -sV with the
  // dicom-ping script. nmap only runs that script on ports it believes are DICOM, so a private
  // nmap data directory adds the test's free port to its services table.
  int http_port = testing::FreePort();
  int dicom_port = testing::FreePort();
  Background http(dir_.path(), "http",
                  "python3 -m http.server " + std::to_string(http_port) + " --bind 127.0.0.1");
  Background dicom(dir_.path(), "storescp",
                   "storescp -aet PACS_TEST " + std::to_string(dicom_port));
  ASSERT_TRUE(WaitForPort(http_port));
  ASSERT_TRUE(WaitForPort(dicom_port));
  std::string datadir = dir_.File("nmapdata");
  // nmap's table names many high ports "unknown" (about 1 in 30 of the ephemeral range); a free
  // port that is one of them must lose that line, or nmap may keep its name instead of ours.
  std::string port_field = std::to_string(dicom_port) + "/tcp";
  std::string prep = "mkdir -p " + datadir + " && grep -v -P '\\t" + port_field +
                     "\\t' /usr/share/nmap/nmap-services > " + datadir +
                     "/nmap-services && printf 'dicom\\t" + port_field + "\\t0.5\\n' >> " +
                     datadir + "/nmap-services";
  ASSERT_EQ(std::system(prep.c_str()), 0);
  auto scan = [&](const std::string& out) {
    std::string cmd = "nmap -sV --version-light -Pn -n --datadir " + datadir +
                      " --script dicom-ping -p " + std::to_string(http_port) + "," +
                      std::to_string(dicom_port) + " -oX " + dir_.File(out) +
                      " 127.0.0.1 > /dev/null 2>&1";
    return std::system(cmd.c_str());
  };
  ASSERT_EQ(scan("scan1.xml"), 0);

  ASSERT_EQ(Mamori("init").code, 0);
  auto r = Mamori("ledger import --json scan1.xml");  // detected as nmap XML
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["format"], "nmap");
  EXPECT_EQ(j["hosts_up"], 1);
  EXPECT_EQ(j["unmatched"], 1);
  EXPECT_EQ(j["new_pending"], 1);
  auto pending = nlohmann::json::parse(Mamori("ledger discovered list --json").out);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0]["ip"], "127.0.0.1");
  std::map<int, nlohmann::json> svc;
  for (const auto& s : pending[0]["services"]) svc[s["port"].get<int>()] = s;
  ASSERT_EQ(svc.size(), 2u);
  EXPECT_EQ(svc[http_port]["name"], "http");
  EXPECT_EQ(svc[http_port]["product"], "SimpleHTTPServer");
  EXPECT_EQ(svc[http_port]["cpe"].get<std::string>().rfind("cpe:/a:python:simplehttpserver", 0),
            0u);
  EXPECT_EQ(svc[dicom_port]["name"], "dicom");

  // Accepting puts it in the ledger with what the scan saw.
  int64_t id = pending[0]["id"];
  auto acc = Mamori("ledger discovered accept " + std::to_string(id) +
                    " --category medical --name 検査用DICOMノード");
  ASSERT_EQ(acc.code, 0) << acc.err;
  auto assets = nlohmann::json::parse(Mamori("ledger list --json").out);
  ASSERT_EQ(assets.size(), 1u);
  EXPECT_EQ(assets[0]["name"], "検査用DICOMノード");
  EXPECT_EQ(assets[0]["ips"], nlohmann::json::array({"127.0.0.1"}));
  EXPECT_EQ(assets[0]["discovery_sources"], nlohmann::json::array({"nmap"}));
  ASSERT_EQ(assets[0]["software"].size(), 1u);
  EXPECT_EQ(assets[0]["software"][0]["name"], "SimpleHTTPServer");
  EXPECT_EQ(Mamori("ledger discovered list --json").out.find("127.0.0.1"), std::string::npos);
  EXPECT_EQ(Mamori("ledger discovered accept " + std::to_string(id) + " --category pc").code, 1);

  // The next scan matches the asset by IP: a sighting, not a new unlisted host.
  ASSERT_EQ(scan("scan2.xml"), 0);
  auto again = nlohmann::json::parse(Mamori("ledger import --json scan2.xml").out);
  EXPECT_EQ(again["matched"], 1);
  EXPECT_EQ(again["unmatched"], 0);
  EXPECT_NE(again["hosts"][0]["match"].get<std::string>().find("(ip)"), std::string::npos);
}

TEST_F(Cli, NmapFilesFromOtherScansAndTheReviewOfUnlistedHosts) {
  std::string dir = SharedDir() + "/testdata/net/nmap/";
  ASSERT_EQ(Mamori("init").code, 0);
  // A ledger that knows one of the four hosts by its MAC (written with dashes, upper case).
  std::ofstream(dir_.File("l.csv"))
      << "名称,ホスト名,MACアドレス\r\n既知ルータ,GW1,6C-2E-85-19-AF-00\r\n";
  ASSERT_EQ(Mamori("ledger import l.csv").code, 0);
  auto j =
      nlohmann::json::parse(Mamori("ledger import --json " + dir + "libnmap_full_sudo6.xml").out);
  EXPECT_EQ(j["hosts_up"], 4);
  EXPECT_EQ(j["matched"], 1);
  EXPECT_EQ(j["updated"], 1);
  EXPECT_EQ(j["new_pending"], 3);
  auto list = nlohmann::json::parse(Mamori("ledger list --json").out);
  EXPECT_EQ(list[0]["discovery_sources"], nlohmann::json::array({"ledger", "nmap"}));
  EXPECT_FALSE(list[0]["last_seen"].is_null());
  EXPECT_EQ(list[0]["ips"], nlohmann::json::array({"192.168.1.1"}));  // the ledger had none

  auto pending = nlohmann::json::parse(Mamori("ledger discovered list --json").out);
  ASSERT_EQ(pending.size(), 3u);
  int64_t ignore_id = pending[0]["id"];
  EXPECT_EQ(Mamori("ledger discovered ignore " + std::to_string(ignore_id) +
                   " --note 来院者Wi-Fiの私物端末")
                .code,
            0);
  // The same scan again: nothing new, the decision stays.
  auto again =
      nlohmann::json::parse(Mamori("ledger import --json " + dir + "libnmap_full_sudo6.xml").out);
  EXPECT_EQ(again["new_pending"], 0);
  EXPECT_EQ(again["updated"], 0);
  EXPECT_EQ(nlohmann::json::parse(Mamori("ledger discovered list --json").out).size(), 2u);
  auto ignored =
      nlohmann::json::parse(Mamori("ledger discovered list --status ignored --json").out);
  ASSERT_EQ(ignored.size(), 1u);
  EXPECT_EQ(ignored[0]["note"], "来院者Wi-Fiの私物端末");
  // Every real nmap file of the shared set reads; a broken one is named.
  for (const char* f :
       {"libnmap_1_os_banner_scripts.xml", "libnmap_2_hosts_version.xml",
        "libnmap_dionaea_scan.xml", "libnmap_os_scan6.xml", "nmap_loopback_dicom_sV_O.xml"})
    EXPECT_EQ(Mamori("ledger import --dry-run " + dir + f).code, 0) << f;
  std::ofstream(dir_.File("cut.xml")) << "<?xml version=\"1.0\"?><nmaprun><host><status state=";
  auto cut = Mamori("ledger import --format nmap cut.xml");
  EXPECT_EQ(cut.code, 1);
  EXPECT_NE(cut.err.find("cut.xml"), std::string::npos);
}

TEST_F(Cli, ManagementReportPdfReadByPoppler) {
  ASSERT_EQ(Mamori("--db demo.db demo seed").code, 0);
  auto r = Mamori("--db demo.db --json ledger report -o report1.pdf");
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["summary"]["completeness"]["overall"]["total"], 309);
  EXPECT_TRUE(j["since"].is_null());  // the first report
  // poppler's pdftotext and pdffonts (peers): Japanese text, the date in 和暦 and 西暦, the
  // CJK font embedded.
  auto text = [&](const std::string& pdf) {
    std::string cmd = "pdftotext -layout " + dir_.File(pdf) + " " + dir_.File(pdf + ".txt");
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    std::ifstream f(dir_.File(pdf + ".txt"));
    return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  };
  std::string t1 = text("report1.pdf");
  UnixMillis now = SystemClock().Now();
  EXPECT_NE(t1.find("機器台帳 状況報告"), std::string::npos);
  EXPECT_NE(t1.find("デモ総合病院"), std::string::npos);
  EXPECT_NE(t1.find(FormatWarekiJst(now)), std::string::npos) << t1.substr(0, 400);
  EXPECT_NE(t1.find(FormatDateJst(now)), std::string::npos);
  EXPECT_NE(t1.find("初回の報告"), std::string::npos);
  EXPECT_NE(t1.find("309"), std::string::npos);
  EXPECT_NE(t1.find("制限なし"), std::string::npos);  // the PACS line open to any source
  std::string fonts_cmd = "pdffonts " + dir_.File("report1.pdf") + " > " + dir_.File("fonts.txt");
  ASSERT_EQ(std::system(fonts_cmd.c_str()), 0);
  std::ifstream ff(dir_.File("fonts.txt"));
  std::string fonts((std::istreambuf_iterator<char>(ff)), std::istreambuf_iterator<char>());
  EXPECT_NE(fonts.find("NotoSansCJKjp"), std::string::npos) << fonts;
  EXPECT_EQ(fonts.find(" no "), std::string::npos) << fonts;  // every font embedded

  // A change, then the next report counts it and names the previous one.
  std::ofstream(dir_.File("add.csv")) << "名称,ホスト名,区分\r\n新しい端末,NEW-PC01,端末PC\r\n";
  ASSERT_EQ(Mamori("--db demo.db ledger import add.csv").code, 0);
  auto r2 = nlohmann::json::parse(Mamori("--db demo.db --json ledger report -o report2.pdf").out);
  EXPECT_EQ(r2["summary"]["created_since"], 1);
  EXPECT_FALSE(r2["since"].is_null());
  std::string t2 = text("report2.pdf");
  EXPECT_NE(t2.find("前回報告"), std::string::npos);
  EXPECT_NE(t2.find("新たに登録した機器: 1台"), std::string::npos);

  // Both are kept as evidence, each with the hash of the file that was written.
  auto list = nlohmann::json::parse(Mamori("--db demo.db --json ledger report --list").out);
  ASSERT_EQ(list.size(), 2u);
  std::string sum_cmd = "sha256sum " + dir_.File("report2.pdf") + " > " + dir_.File("sum.txt");
  ASSERT_EQ(std::system(sum_cmd.c_str()), 0);
  std::ifstream sf(dir_.File("sum.txt"));
  std::string sum;
  sf >> sum;
  EXPECT_EQ(list[0]["sha256"], sum);
  auto audit = Mamori("--db demo.db --json audit list");
  EXPECT_NE(audit.out.find("ledger.report"), std::string::npos);
}

TEST_F(Cli, MdsSdsDocumentsAndCompletenessEvidence) {
  ASSERT_EQ(Mamori("--db demo.db demo seed").code, 0);
  auto before = nlohmann::json::parse(Mamori("--db demo.db ledger completeness --json").out);
  EXPECT_EQ(before["overall"]["total"], 309);
  EXPECT_EQ(before["systems"]["vendor_systems"], 9);
  size_t missing_sds = before["systems"]["missing_sds"].size();
  ASSERT_GT(missing_sds, 0u);
  std::string name = before["systems"]["missing_sds"][0]["name"];
  std::ofstream(dir_.File("sds.xlsx")) << "SDS";
  auto add = Mamori("--db demo.db ledger doc add --system '" + name +
                    "' --kind sds --file sds.xlsx --received 令和7年4月1日 --blank-answers 2");
  ASSERT_EQ(add.code, 0) << add.err;
  auto after = nlohmann::json::parse(Mamori("--db demo.db ledger completeness --json").out);
  EXPECT_EQ(after["systems"]["missing_sds"].size(), missing_sds - 1);
  auto docs = nlohmann::json::parse(Mamori("--db demo.db ledger doc list --json").out);
  EXPECT_EQ(docs.back()["received_on"], "2025-04-01");
  EXPECT_EQ(docs.back()["blank_answers"], 2);
  EXPECT_EQ(Mamori("--db demo.db ledger doc add --system '" + name +
                   "' --kind sds --file sds.xlsx --received 2025/2/30")
                .code,
            1);
  EXPECT_EQ(
      Mamori("--db demo.db ledger doc add --system 無いシステム --kind mds --file sds.xlsx").code,
      1);
  // The per-asset ids behind each figure are there for the evidence links.
  EXPECT_EQ(after["support_ended_ids"].size(), after["overall"]["support_ended"].get<size_t>());
}

TEST_F(Cli, LedgerExportsReadBackUnchanged) {
  ASSERT_EQ(Mamori("--db demo.db demo seed").code, 0);
  for (const char* enc : {"utf-8-bom", "cp932"}) {
    std::string file = std::string("ledger-") + enc + ".csv";
    auto r = Mamori("--db demo.db ledger export --format csv --encoding " + std::string(enc) +
                    " -o " + file);
    ASSERT_EQ(r.code, 0) << r.err;
    auto back = Mamori("--db demo.db ledger import --json " + file);
    ASSERT_EQ(back.code, 0) << back.err << back.out;
    auto j = nlohmann::json::parse(back.out);
    EXPECT_EQ(j["encoding"], enc);
    EXPECT_EQ(j["created"], 0) << enc;
    EXPECT_EQ(j["updated"], 0) << enc;
    EXPECT_EQ(j["unchanged"], 309) << enc;
    EXPECT_EQ(j["unmapped"], nlohmann::json::array());
  }
  ASSERT_EQ(Mamori("--db demo.db ledger export --format json -o ledger.json").code, 0);
  std::ifstream f(dir_.File("ledger.json"));
  auto j = nlohmann::json::parse(f);
  EXPECT_EQ(j.size(), 309u);
  ASSERT_EQ(Mamori("--db demo.db ledger export --format xlsx -o x.xlsx").code, 0);
  auto xb = nlohmann::json::parse(Mamori("--db demo.db ledger import --json x.xlsx").out);
  EXPECT_EQ(xb["format"], "xlsx");
  EXPECT_EQ(xb["unchanged"], 309);
  EXPECT_EQ(xb["created"], 0);
  EXPECT_EQ(xb["updated"], 0);
  EXPECT_EQ(xb["tables"].size(), 6u);  // one sheet per category; the summary has no header
}

// `vuln feed update` through libcurl against a stand-in publisher (tests/support/feed_server.py
// serving the real sample files): NVD pages, KEV with its ETag, endoflife.date products; the
// next run asks NVD only for what changed, in windows NVD accepts; a proxy from the environment
// is used; a proxy that is down fails the source, names the proxy and keeps the cursor.
TEST_F(Cli, FeedUpdateDownloadsLoadsAndAsksOnlyForChanges) {
  std::string shared = SharedDir() + "/testdata/vuln";
  std::string server = SourceDir() + "/tests/support/feed_server.py";
  int port = testing::FreePort();
  std::string base = "http://127.0.0.1:" + std::to_string(port);
  std::string data = SourceDir() + "/tests/data/vuln/";
  Background feeds(dir_.path(), "feeds",
                   "python3 " + server + " --port " + std::to_string(port) + " --root " + shared +
                       " --log requests.log --jvn-extra " + data + "jvn-overview-aterm.rdf");
  ASSERT_TRUE(WaitForPort(port));
  std::string db = " --db feeds.db";
  ASSERT_EQ(
      Mamori("init --org テスト病院 --admin admin --password-stdin" + db, "Passw0rd!Passw0rd!\n")
          .code,
      0);
  auto requests = [&] {
    std::ifstream in(dir_.File("requests.log"));
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    std::ofstream truncated(dir_.File("requests.log"), std::ios::trunc);
    return lines;
  };
  std::string urls = " --url kev=" + base + "/kev.json --url nvd=" + base +
                     "/nvd --url eol=" + base + "/eol/{product}.md --url epss=" + base +
                     "/epss.csv.gz --url osv=" + base +
                     "/osv/{ecosystem}/all.zip --url jvn=" + base +
                     "/myjvn --nvd-pause-ms 0 --jvn-pause-ms 0 --jvn-page-size 1";
  auto first = Mamori(
      "vuln feed update --json --dir fd --nvd-page-size 10 --eol-product windows "
      "--eol-product no-such-product --osv-ecosystem Debian --osv-ecosystem 'No Such' "
      "--jvn-since 2000-01-01" +
      urls + db);
  EXPECT_EQ(first.code, 1) << first.err << first.out;  // EPSS failed (below)
  auto j = nlohmann::json::parse(first.out);
  ASSERT_EQ(j.size(), 6u);  // nvd, kev, epss, eol, osv, jvn
  std::map<std::string, nlohmann::json> by;
  for (const auto& s : j) by[s["source"]] = s;
  EXPECT_EQ(by["nvd"]["files"].size(), 3u);  // 23 records, 10 a page
  int nvd_records = 0;
  for (const auto& l : by["nvd"]["loaded"]) nvd_records += l["records"].get<int>();
  EXPECT_EQ(nvd_records, 23);
  EXPECT_EQ(by["kev"]["loaded"][0]["records"], 1404);
  EXPECT_EQ(by["eol"]["files"].size(), 1u);
  ASSERT_EQ(by["eol"]["problems"].size(), 1u);  // the product the publisher does not have
  EXPECT_NE(by["eol"]["problems"][0].get<std::string>().find("no-such-product.md"),
            std::string::npos);
  // The publisher has no EPSS file: that source fails alone, named, and the exit code says so.
  EXPECT_FALSE(by["epss"]["ok"].get<bool>());
  EXPECT_NE(by["epss"]["error"].get<std::string>().find("HTTP 404"), std::string::npos);
  // OSV: the ecosystem's all.zip, its four JSON records loaded (the README member skipped); an
  // ecosystem the publisher does not have is a problem of that ecosystem alone.
  ASSERT_EQ(by["osv"]["files"].size(), 1u);
  EXPECT_EQ(by["osv"]["loaded"][0]["kind"], "osv");
  EXPECT_EQ(by["osv"]["loaded"][0]["records"], 4);
  ASSERT_EQ(by["osv"]["problems"].size(), 1u);
  EXPECT_NE(by["osv"]["problems"][0].get<std::string>().find("/osv/No%20Such/all.zip"),
            std::string::npos);
  // JVN iPedia: the listed entries updated since the date, a page each (page size 1), loaded
  // with their Japanese titles; then the details of the three, in one request (up to ten ids),
  // of which the publisher has the Aterm entry's — with its versions, which decide the match.
  ASSERT_EQ(by["jvn"]["files"].size(), 4u) << by["jvn"].dump();
  int jvn_records = 0;
  for (const auto& l : by["jvn"]["loaded"]) jvn_records += l["records"].get<int>();
  EXPECT_EQ(jvn_records, 4);
  int detail_requests = 0;
  for (const auto& line : requests())
    if (line.find("method=getVulnDetailInfo") != std::string::npos) {
      ++detail_requests;
      EXPECT_NE(line.find("vulnId=JVNDB-2025-002953+JVNDB-2025-002884+JVNDB-2025-000002"),
                std::string::npos)
          << line;
    }
  EXPECT_EQ(detail_requests, 1);
  auto aterm = nlohmann::json::parse(
      Mamori("vuln match --json --sbom " + data + "router-and-servers.cdx.json" + db).out);
  int affected = 0;
  for (const auto& f : aterm)
    affected +=
        f["cve"] == "CVE-2025-0355" && f["version"] == "1.2.0" && f["verdict"] == "affected";
  EXPECT_EQ(affected, 1) << aterm.dump();
  auto jvn_again = Mamori("vuln feed update --json --dir fd --source jvn" + urls + db);
  ASSERT_EQ(jvn_again.code, 0) << jvn_again.err;
  EXPECT_TRUE(nlohmann::json::parse(jvn_again.out)[0]["files"].empty());
  auto jvn_lines = requests();
  ASSERT_EQ(jvn_lines.size(), 1u);
  EXPECT_EQ(jvn_lines[0].find("datePublishedStartY=2000"), std::string::npos) << jvn_lines[0];
  EXPECT_NE(jvn_lines[0].find("rangeDatePublished=n&"), std::string::npos) << jvn_lines[0];
  auto osv_again =
      Mamori("vuln feed update --json --dir fd --source osv --osv-ecosystem Debian" + urls + db);
  ASSERT_EQ(osv_again.code, 0) << osv_again.err;
  EXPECT_TRUE(nlohmann::json::parse(osv_again.out)[0]["not_modified"].get<bool>());  // ETag
  (void)requests();
  // A damaged archive names itself; a broken member names the member.
  ASSERT_EQ(std::system(("cd " + dir_.path() +
                         " && python3 -c \"import zipfile; z = zipfile.ZipFile('broken.zip', "
                         "'w'); z.writestr('GHSA-x.json', '{broken'); z.close()\" && head -c 30 "
                         "fd/osv/Debian-all.zip > cut.zip")
                            .c_str()),
            0);
  auto broken = Mamori("vuln load broken.zip" + db);
  EXPECT_EQ(broken.code, 1);
  EXPECT_NE(broken.err.find("broken.zip:GHSA-x.json"), std::string::npos) << broken.err;
  auto cut = Mamori("vuln load cut.zip" + db);
  EXPECT_EQ(cut.code, 1);
  EXPECT_NE(cut.err.find("cut.zip"), std::string::npos) << cut.err;

  auto second = Mamori("vuln feed update --json --dir fd --source kev --source nvd" + urls + db);
  ASSERT_EQ(second.code, 0) << second.err;
  auto j2 = nlohmann::json::parse(second.out);
  EXPECT_TRUE(j2[0]["not_modified"].get<bool>());  // KEV: same ETag
  auto lines = requests();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[1].find("lastModStartDate="), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find("%2B00:00&lastModEndDate="), std::string::npos) << lines[1];

  // Since a date two years back: windows of at most 120 days (the publisher refuses longer ones
  // as NVD does), and the records modified in them.
  auto since = Mamori(
      "vuln feed update --json --dir fd --source nvd --nvd-since "
      "2024-06-01T00:00:00Z" +
      urls + db);
  ASSERT_EQ(since.code, 0) << since.err << since.out;
  lines = requests();
  EXPECT_GE(lines.size(), 7u);
  auto j3 = nlohmann::json::parse(since.out);
  EXPECT_FALSE(j3[0]["files"].empty());

  // A proxy from the environment (libcurl reads http_proxy) carries the request.
  setenv("http_proxy", base.c_str(), 1);
  auto proxied = Mamori(
      "vuln feed update --json --dir fd2 --source kev --url "
      "kev=http://feeds.example.invalid/kev.json" +
      db);
  unsetenv("http_proxy");
  EXPECT_EQ(proxied.code, 0) << proxied.out << proxied.err;
  lines = requests();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "PROXY http://feeds.example.invalid/kev.json");
  // A proxy that is down: the source fails naming URL and proxy; its state keeps the error.
  auto down = Mamori(
      "vuln feed update --dir fd3 --source kev --retries 1 --proxy http://127.0.0.1:1 --url "
      "kev=http://feeds.example.invalid/kev.json" +
      db);
  EXPECT_EQ(down.code, 1);
  EXPECT_NE(down.err.find("プロキシ http://127.0.0.1:1 経由"), std::string::npos) << down.err;
  auto status = nlohmann::json::parse(Mamori("vuln feed status --json" + db).out);
  for (const auto& s : status)
    if (s["source"] == "kev") {
      EXPECT_FALSE(s["last_error"].get<std::string>().empty());
    }
}

// Access logs end to end: device syslog and JSON lines ingested (bad lines named by file and
// line), searched with paging, proven by `logs verify`; a checkpoint checked by the real
// minisign; a changed byte found; a kill -9 in the middle of an ingest loses no committed event.
TEST_F(Cli, LogsIngestSearchVerifyAndTamper) {
  std::string wazuh = SharedDir() + "/testdata/logs/syslog/wazuh-ruleset-tests/";
  auto sh = [&](const std::string& cmd) {
    return std::system(("cd " + dir_.path() + " && " + cmd).c_str());
  };
  ASSERT_EQ(sh("grep -h '^log' " + wazuh + "fortigate.ini " + wazuh + "sshd.ini " + wazuh +
               "cisco_asa.ini | sed 's/^log [0-9]* [a-z]* = //' > devices.log && echo 'not a "
               "log line' >> devices.log"),
            0);
  {
    std::ofstream j(dir_.File("emr.jsonl"));
    j << R"({"time":"2026-11-30T09:00:00+09:00","user":"dr.sato","action":"view","patient_id":"P0001","outcome":"success","message":"カルテ参照"})"
      << "\n"
      << R"({"time":"2026-11-30T09:05:00+09:00","user":"dr.sato","action":"print","patient_id":"P0002"})"
      << "\n{broken\n"
      << R"({"time":"2026-11-30T23:30:00+09:00","user":"ns.suzuki","action":"view","patient_id":"P0001"})"
      << "\n";
  }
  std::string db = " --db logs.db";
  auto in = Mamori("logs ingest --json devices.log emr.jsonl --source 基幹系" + db);
  ASSERT_EQ(in.code, 0) << in.err;
  auto ij = nlohmann::json::parse(in.out);
  EXPECT_EQ(ij["rejected"], 2);
  EXPECT_GT(ij["accepted"].get<int>(), 150);
  ASSERT_EQ(ij["errors"].size(), 2u);
  EXPECT_NE(ij["errors"][0]["error"].get<std::string>().find("devices.log の"), std::string::npos);
  EXPECT_EQ(ij["errors"][1]["line"], 3);
  EXPECT_TRUE(std::filesystem::exists(dir_.File("logs-logs/segments/00000001.seg")));

  auto p1 = nlohmann::json::parse(Mamori("logs search --json --object P0001" + db).out);
  EXPECT_EQ(p1["total"], 2);
  EXPECT_EQ(p1["events"][0]["user"], "ns.suzuki");  // newest first
  EXPECT_EQ(p1["events"][0]["time"], "2026-11-30T23:30:00+09:00");
  auto fails =
      nlohmann::json::parse(Mamori("logs search --json --outcome failure --limit 10" + db).out);
  EXPECT_GT(fails["total"].get<int>(), 10);
  ASSERT_FALSE(fails["next_before"].is_null());
  auto page2 =
      nlohmann::json::parse(Mamori("logs search --json --outcome failure --limit 10 --before " +
                                   std::to_string(fails["next_before"].get<int64_t>()) + db)
                                .out);
  EXPECT_LT(page2["events"][0]["seq"].get<int64_t>(), fails["events"][9]["seq"].get<int64_t>());
  auto range = nlohmann::json::parse(
      Mamori("logs search --json --from 2026-11-30T09:01:00+09:00 --to 2026-11-30T10:00:00+09:00" +
             db)
          .out);
  EXPECT_EQ(range["total"], 1);

  auto v = Mamori("logs verify --json" + db);
  ASSERT_EQ(v.code, 0) << v.out << v.err;
  auto vj = nlohmann::json::parse(v.out);
  EXPECT_TRUE(vj["ok"].get<bool>());
  EXPECT_EQ(vj["events"], ij["accepted"]);
  EXPECT_GE(vj["checkpoints"].get<int>(), 1);

  // The real minisign checks the last checkpoint with the node's public key.
  ASSERT_EQ(Mamori("logs key" + db).code, 0);
  ASSERT_EQ(sh(std::string(MAMORI_BINARY) +
               " logs key --db logs.db > node.pub && tail -n 10 logs-logs/checkpoints.log | head "
               "-n 5 > cp.txt && tail -n 10 logs-logs/checkpoints.log | sed -n 6,9p > "
               "cp.txt.minisig && minisign -V -p node.pub -m cp.txt > /dev/null"),
            0);

  // Proofs for an auditor, checked by tests/support/verify_proof.py — RFC 6962/9162 written
  // from the RFC, not from mamori — and the checkpoint's signature by minisign.
  std::string verifier = SourceDir() + "/tests/support/verify_proof.py";
  auto p = Mamori("logs proof --event 3" + db);
  ASSERT_EQ(p.code, 0) << p.err;
  std::ofstream(dir_.File("inclusion.json")) << p.out;
  EXPECT_EQ(sh("python3 " + verifier + " inclusion.json > /dev/null"), 0);
  auto pj = nlohmann::json::parse(p.out);
  std::ofstream(dir_.File("proof-cp.txt")) << pj["checkpoint"]["signed_text"].get<std::string>();
  std::ofstream(dir_.File("proof-cp.txt.minisig"))
      << pj["checkpoint"]["signature"].get<std::string>();
  EXPECT_EQ(sh("minisign -V -p node.pub -m proof-cp.txt > /dev/null"), 0);
  std::vector<uint64_t> sizes;
  {
    std::ifstream cp(dir_.File("logs-logs/checkpoints.log"));
    for (std::string line; std::getline(cp, line);)
      if (line.rfind("size ", 0) == 0) sizes.push_back(std::stoull(line.substr(5)));
  }
  ASSERT_GE(sizes.size(), 2u);  // one per ingested file
  auto c = Mamori("logs proof --from " + std::to_string(sizes.front()) + " --to " +
                  std::to_string(sizes.back()) + db);
  ASSERT_EQ(c.code, 0) << c.err;
  std::ofstream(dir_.File("consistency.json")) << c.out;
  EXPECT_EQ(sh("python3 " + verifier + " consistency.json > /dev/null"), 0);
  // A tampered proof does not verify.
  std::string forged = p.out;
  forged.replace(forged.find("\"leaf_index\": 3"), 15, "\"leaf_index\": 4");
  std::ofstream(dir_.File("forged.json")) << forged;
  EXPECT_NE(sh("python3 " + verifier + " forged.json > /dev/null 2>&1"), 0);

  // A changed byte: found, with the event and where; exit code 1.
  ASSERT_EQ(
      sh("python3 -c \"p='logs-logs/segments/00000001.seg'; b=bytearray(open(p,'rb').read()); "
         "i=b.find(b'dr.sato'); b[i]=ord('D'); open(p,'wb').write(b)\""),
      0);
  auto bad = Mamori("logs verify --json" + db);
  EXPECT_EQ(bad.code, 1);
  auto bj = nlohmann::json::parse(bad.out);
  EXPECT_FALSE(bj["ok"].get<bool>());
  ASSERT_FALSE(bj["problems"].empty());
  EXPECT_EQ(bj["problems"][0]["kind"], "changed");
  EXPECT_EQ(bj["problems"][0]["segment"], 1);
}

TEST_F(Cli, LogsSurviveKillDuringIngest) {
  std::string wazuh = SharedDir() + "/testdata/logs/syslog/wazuh-ruleset-tests/";
  auto sh = [&](const std::string& cmd) {
    return std::system(("cd " + dir_.path() + " && " + cmd).c_str());
  };
  // 300 000 real device lines (the samples repeated): long enough to be killed mid-way.
  ASSERT_EQ(sh("grep -h '^log' " + wazuh +
               "*.ini | sed 's/^log [0-9]* [a-z]* = //' | grep -v "
               "'^May 00' > one.log && for i in $(seq 1 1000); do cat one.log; done > big.log && "
               "head -n 20 one.log > small.log"),
            0);
  std::string bin = MAMORI_BINARY;
  ASSERT_EQ(
      sh("{ " + bin + " --db k.db logs ingest big.log > /dev/null 2>&1 & echo $! > ingest.pid; }"),
      0);
  // Wait until some events are committed (a checkpoint exists), then kill -9.
  bool started = false;
  for (int i = 0; i < 200 && !started; ++i) {
    usleep(50'000);
    std::error_code ec;
    started = std::filesystem::file_size(dir_.File("k-logs/checkpoints.log"), ec) > 0 && !ec;
  }
  ASSERT_TRUE(started);
  usleep(300'000);
  ASSERT_EQ(sh("kill -9 $(cat ingest.pid)"), 0);
  usleep(200'000);
  // What was committed before the kill: the last checkpoint's size at least.
  uint64_t committed = 0;
  {
    std::ifstream cp(dir_.File("k-logs/checkpoints.log"));
    for (std::string line; std::getline(cp, line);)
      if (line.rfind("size ", 0) == 0) committed = std::stoull(line.substr(5));
  }
  ASSERT_GT(committed, 0u);
  auto again = Mamori("logs ingest --json small.log --db k.db");
  ASSERT_EQ(again.code, 0) << again.err;
  auto v = Mamori("logs verify --json --db k.db");
  auto vj = nlohmann::json::parse(v.out);
  EXPECT_TRUE(vj["ok"].get<bool>()) << v.out;
  EXPECT_GE(vj["events"].get<uint64_t>(), committed + 20);
  // A search catches the index up with the store (its total stops at 10 000: the status says
  // how far the index goes).
  ASSERT_EQ(Mamori("logs search --json --limit 1 --db k.db").code, 0);
  auto s = nlohmann::json::parse(Mamori("logs status --json --db k.db").out);
  EXPECT_EQ(s["indexed"], vj["events"]);
}

// `mamori logs serve` with real senders: util-linux logger over UDP and TCP (RFC 5424 with octet
// counting, RFC 3164 with LF framing), openssl s_client over TLS with and without a client
// certificate (mutual TLS required), and rsyslog forwarding over TLS (gtls) to mamori.
// `logs serve --stats MS --json`: a JSON line of the receivers' counters while they change —
// `stored` counts events appended durably (what monitoring and the benchmark read), and
// `logs status` says `appended` beside `indexed`. `--expire-at 00:00`: the daily retention run,
// due at once (a receiver started after the time runs that day), over the registered sources,
// printed like `logs expire --json` (the removal itself: tests/unit/log_expiry_test.cpp).
TEST_F(Cli, LogsServeStatsLinesAndTheDailyExpiry) {
  auto sh = [&](const std::string& cmd) {
    return std::system(("cd " + dir_.path() + " && " + cmd).c_str());
  };
  ASSERT_EQ(Mamori("init --db s.db").code, 0);
  ASSERT_EQ(Mamori("logs sources add FW --transport tcp --retention 3 --db s.db").code, 0);
  EXPECT_EQ(Mamori("logs serve --tcp 127.0.0.1:0 --expire-at 25:00 --db s.db").code, 1);
  int tcp = testing::FreePort();
  std::string bin = MAMORI_BINARY;
  ASSERT_EQ(sh("{ " + bin +
               " --db s.db --json logs serve --stats 50 --expire-at 00:00 --tcp "
               "127.0.0.1:" +
               std::to_string(tcp) + " > serve.out 2> serve.err & echo $! > serve.pid; }"),
            0);
  ASSERT_TRUE(WaitForPort(tcp));
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(sh("logger --tcp --rfc3164 --server 127.0.0.1 --port " + std::to_string(tcp) +
                 " -t app 'stats line " + std::to_string(i) + "'"),
              0);
  nlohmann::json last, expiry;
  for (int i = 0; i < 100 && !(last.contains("stats") && last["stats"]["stored"] == 3); ++i) {
    usleep(100'000);
    std::ifstream in(dir_.File("serve.out"));
    for (std::string line; std::getline(in, line);) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_object() && j.contains("stats")) last = j;
      if (j.is_object() && j.contains("expiry")) {
        EXPECT_TRUE(expiry.is_null()) << "twice the same day: " << line;
        expiry = j;
      }
    }
  }
  ASSERT_TRUE(expiry.contains("expiry")) << expiry.dump();
  ASSERT_EQ(expiry["expiry"]["due"].size(), 1u) << expiry.dump();
  EXPECT_EQ(expiry["expiry"]["due"][0]["source"], "FW");
  EXPECT_EQ(expiry["expiry"]["due"][0]["retention_years"], 3);
  EXPECT_EQ(expiry["expiry"]["due"][0]["due"], 0);
  EXPECT_TRUE(expiry["expiry"]["record"].is_null());
  EXPECT_FALSE(expiry["expiry"]["dry_run"].get<bool>());
  ASSERT_TRUE(last.contains("stats")) << last.dump();
  EXPECT_EQ(last["stats"]["stored"], 3);
  EXPECT_EQ(last["stats"]["received"], 3);
  EXPECT_NE(last["at"].get<std::string>().find("+09:00"), std::string::npos);
  auto status = Mamori("--json logs status --db s.db");
  ASSERT_EQ(status.code, 0) << status.err;
  EXPECT_EQ(nlohmann::json::parse(status.out)["appended"], 3);
  ASSERT_EQ(sh("kill -TERM $(cat serve.pid) && while kill -0 $(cat serve.pid) 2>/dev/null; do "
               "sleep 0.1; done"),
            0);
}

TEST_F(Cli, LogsReceiveFromLoggerOpensslAndRsyslog) {
  auto sh = [&](const std::string& cmd) {
    return std::system(("cd " + dir_.path() + " && " + cmd).c_str());
  };
  // A CA, mamori's server certificate and a device's client certificate (openssl).
  ASSERT_EQ(sh("openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 "
               "-subj '/CN=Hospital Test CA' > /dev/null 2>&1 && "
               "openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "
               "'/CN=mamori.test' > /dev/null 2>&1 && printf "
               "'subjectAltName=DNS:mamori.test,IP:127.0.0.1' "
               "> san.ext && openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key "
               "-CAcreateserial -out server.pem -days 2 -extfile san.ext > /dev/null 2>&1 && "
               "openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj "
               "'/CN=ward-fw01' > /dev/null 2>&1 && openssl x509 -req -in client.csr -CA ca.pem "
               "-CAkey ca.key -CAcreateserial -out client.pem -days 2 > /dev/null 2>&1"),
            0);
  int udp = testing::FreePort(), tcp = testing::FreePort(), tls = testing::FreePort();
  std::string bin = MAMORI_BINARY;
  ASSERT_EQ(
      sh("{ " + bin + " --db r.db logs serve --json --udp 127.0.0.1:" + std::to_string(udp) +
         " --tcp 127.0.0.1:" + std::to_string(tcp) + " --tls 127.0.0.1:" + std::to_string(tls) +
         " --tls-cert server.pem --tls-key server.key --tls-ca ca.pem --source 病棟FW "
         "> serve.out 2> serve.err & echo $! > serve.pid; }"),
      0);
  ASSERT_TRUE(WaitForPort(tcp));  // all listeners are bound before any accepts (a probe of the
                                  // TLS port would count as a refused handshake)
  std::string to = " --server 127.0.0.1 --port ";
  EXPECT_EQ(sh("logger --udp --rfc5424" + to + std::to_string(udp) +
               " -t emr --msgid LOGIN 'udp 5424 ログイン成功 user=dr.sato'"),
            0);
  EXPECT_EQ(sh("logger --udp --rfc3164" + to + std::to_string(udp) + " -t sshd 'udp 3164 line'"),
            0);
  EXPECT_EQ(sh("logger --tcp --rfc5424 --octet-count" + to + std::to_string(tcp) +
               " -t emr 'tcp counted one' && logger --tcp --rfc5424 --octet-count" + to +
               std::to_string(tcp) + " -t emr 'tcp counted two'"),
            0);
  EXPECT_EQ(sh("logger --tcp --rfc3164" + to + std::to_string(tcp) + " -t app 'tcp lf line'"), 0);
  // TLS with the device's certificate: delivered, with the certificate's subject kept.
  EXPECT_EQ(
      sh("printf '<13>1 2026-12-01T10:00:00+09:00 ward-fw01 fw - - - tls with cert\\n' | "
         "timeout 10 openssl s_client -quiet -no_ign_eof -connect 127.0.0.1:" +
         std::to_string(tls) + " -cert client.pem -key client.key -CAfile ca.pem > /dev/null 2>&1"),
      0);
  // Without one: refused at the handshake; nothing stored.
  sh("printf '<13>1 2026-12-01T10:00:00+09:00 intruder fw - - - tls without cert\\n' | timeout 10 "
     "openssl s_client -quiet -no_ign_eof -connect 127.0.0.1:" +
     std::to_string(tls) + " -CAfile ca.pem > /dev/null 2>&1");
  // rsyslog (gtls) forwarding what it receives to mamori over TLS, as a hospital relay would.
  int relay = testing::FreePort();
  {
    std::ofstream c(dir_.File("rsyslog.conf"));
    c << "global(workDirectory=\"" << dir_.path() << "\" DefaultNetstreamDriverCAFile=\""
      << dir_.File("ca.pem") << "\" DefaultNetstreamDriverCertFile=\"" << dir_.File("client.pem")
      << "\" DefaultNetstreamDriverKeyFile=\"" << dir_.File("client.key") << "\")\n"
      << "module(load=\"imtcp\")\ninput(type=\"imtcp\" port=\"" << relay << "\")\n"
      << "action(type=\"omfwd\" target=\"127.0.0.1\" port=\"" << tls
      << "\" protocol=\"tcp\" StreamDriver=\"gtls\" StreamDriverMode=\"1\" "
         "StreamDriverAuthMode=\"x509/name\" StreamDriverPermittedPeers=\"mamori.test\" "
         "template=\"RSYSLOG_SyslogProtocol23Format\")\n";
  }
  ASSERT_EQ(sh("{ rsyslogd -n -f rsyslog.conf -i " + dir_.File("rsyslog.pid") +
               " > rsyslog.out 2>&1 & }"),
            0);
  ASSERT_TRUE(WaitForPort(relay));
  EXPECT_EQ(sh("logger --tcp --rfc3164 --server 127.0.0.1 --port " + std::to_string(relay) +
               " -t relay 'via rsyslog gtls'"),
            0);
  // Wait until rsyslog delivered, then stop both.
  bool seen = false;
  for (int i = 0; i < 100 && !seen; ++i) {
    usleep(100'000);
    auto r = Mamori("logs search --json --text 'via rsyslog' --db r.db");
    seen = r.code == 0 && nlohmann::json::parse(r.out)["total"] == 1;
  }
  sh("kill $(cat rsyslog.pid) 2>/dev/null");
  EXPECT_TRUE(seen) << [&] {
    std::ifstream in(dir_.File("rsyslog.out"));
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }();
  for (int i = 0; i < 20; ++i) {
    usleep(100'000);
    auto r = Mamori("logs search --json --text 'tcp lf line' --db r.db");
    if (r.code == 0 && nlohmann::json::parse(r.out)["total"] == 1) break;
  }
  ASSERT_EQ(sh("kill -TERM $(cat serve.pid) && while kill -0 $(cat serve.pid) 2>/dev/null; do "
               "sleep 0.1; done"),
            0);
  std::ifstream so(dir_.File("serve.out"));
  std::string first, second;
  std::getline(so, first, '}');
  std::string rest((std::istreambuf_iterator<char>(so)), std::istreambuf_iterator<char>());
  auto stopped = nlohmann::json::parse(rest.substr(rest.find('{')));
  EXPECT_EQ(stopped["stopped"]["tls_rejected"], 1) << rest;
  EXPECT_EQ(stopped["stopped"]["dropped_udp"], 0);

  auto all = nlohmann::json::parse(Mamori("logs search --json --limit 50 --db r.db").out);
  std::map<std::string, nlohmann::json> by_text;
  for (const auto& e : all["events"]) by_text[e["message"].get<std::string>()] = e;
  ASSERT_TRUE(by_text.count("udp 5424 ログイン成功 user=dr.sato")) << all.dump(1);
  EXPECT_EQ(by_text["udp 5424 ログイン成功 user=dr.sato"]["format"], "rfc5424");
  EXPECT_EQ(by_text["udp 5424 ログイン成功 user=dr.sato"]["fields"]["msgid"], "LOGIN");
  EXPECT_EQ(by_text["udp 5424 ログイン成功 user=dr.sato"]["source"], "病棟FW");
  ASSERT_TRUE(by_text.count("udp 3164 line"));
  EXPECT_EQ(by_text["udp 3164 line"]["app"], "sshd");
  EXPECT_TRUE(by_text.count("tcp counted one"));
  EXPECT_TRUE(by_text.count("tcp counted two"));
  EXPECT_TRUE(by_text.count("tcp lf line"));
  ASSERT_TRUE(by_text.count("tls with cert"));
  EXPECT_NE(by_text["tls with cert"]["fields"]["tls_subject"].get<std::string>().find("ward-fw01"),
            std::string::npos);
  EXPECT_FALSE(by_text.count("tls without cert"));
  // rsyslog keeps the space that starts an RFC 3164 message when it rewrites it as RFC 5424.
  EXPECT_TRUE(by_text.count(" via rsyslog gtls")) << all.dump(1);
  auto v = nlohmann::json::parse(Mamori("logs verify --json --db r.db").out);
  EXPECT_TRUE(v["ok"].get<bool>());
  EXPECT_EQ(v["events"], all["total"]);
}

// The log-source registry (ログリスト) with silent and skewed sources, and the periodic review:
// its counts from real EVTX samples (per-ID counts in ../shared/testdata/logs/PROVENANCE.md) and
// hand-written fixtures (tests/data/logs/review/PROVENANCE.md), the PDF read by poppler, and the
// sign-off signature checked by the real minisign.
TEST_F(Cli, LogsRegistryReviewAndSignOff) {
  std::string shared = SharedDir() + "/testdata/logs/evtx/";
  std::string data = SourceDir() + "/tests/data/logs/review/";
  auto sh = [&](const std::string& cmd) {
    return std::system(("cd " + dir_.path() + " && " + cmd).c_str());
  };
  std::string db = " --db r.db";
  ASSERT_EQ(Mamori("init --org テスト病院" + db).code, 0);
  ASSERT_EQ(Mamori("ledger import" + db + " " + data + "ledger.csv").code, 0);
  ASSERT_EQ(
      Mamori("logs sources add emr-db01 --hosts emr-db01 --transport file --interval 1440" + db)
          .code,
      0);
  ASSERT_EQ(Mamori("logs sources add dc01 --kind evtx --transport file --interval 1440" + db).code,
            0);
  ASSERT_EQ(Mamori("logs sources add EHR --kind jsonl --transport file --interval 1440" + db).code,
            0);
  ASSERT_EQ(Mamori("logs sources add ward-fw --hosts 127.0.0.1 --interval 60 --skew 60 "
                   "--description 病棟ファイアウォール" +
                   db)
                .code,
            0);
  auto dup = Mamori("logs sources add dc01" + db);
  EXPECT_EQ(dup.code, 1);
  EXPECT_NE(dup.err.find("dc01"), std::string::npos) << dup.err;
  auto bad = Mamori("logs sources add x --kind pdf" + db);
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("kind"), std::string::npos) << bad.err;
  // Nothing received yet: every source alerts.
  EXPECT_EQ(Mamori("logs sources --check" + db).code, 2);
  auto sources_text = Mamori("logs sources --lang en" + db).out;
  EXPECT_EQ(sources_text.substr(0, sources_text.find('\n')),
            "SOURCE\tSTATE\tEVENTS 24H\tLAST RECEIVED\tCLOCK SKEW");

  ASSERT_EQ(Mamori("logs ingest --source emr-db01 " + data + "auth.log" + db).code, 0);
  ASSERT_EQ(Mamori("logs ingest --source EHR " + data + "emr-access.jsonl" + db).code, 0);
  std::string evtx;
  for (const char* f :
       {"evtx-attack-samples/DE_1102_security_log_cleared.evtx",
        "evtx-attack-samples/DE_104_system_log_cleared.evtx",
        "evtx-attack-samples/DE_RDP_Tunneling_4624.evtx",
        "evtx-attack-samples/kerberos_pwd_spray_4771.evtx", "deepbluecli/new-user-security.evtx",
        "deepbluecli/smb-password-guessing-security.evtx"})
    evtx += " " + shared + f;
  ASSERT_EQ(Mamori("logs ingest --source dc01" + evtx + db).code, 0);

  // The firewall sends live over UDP from 127.0.0.1: recorded under its registered name; its
  // last message is an hour behind (a clock that drifted) and the registry says so.
  int udp = testing::FreePort();
  std::string bin = MAMORI_BINARY;
  ASSERT_EQ(sh("{ " + bin + db + " logs serve --json --reload 1 --udp 127.0.0.1:" +
               std::to_string(udp) + " > serve.out 2> serve.err & echo $! > serve.pid; }"),
            0);
  usleep(500'000);
  std::string send =
      "/usr/bin/python3 -c 'import socket,sys,datetime as d; s=socket.socket(socket.AF_INET,"
      "socket.SOCK_DGRAM); t=d.datetime.now(d.timezone.utc)+d.timedelta(seconds=int(sys.argv[1])); "
      "s.sendto((\"<134>1 \"+t.isoformat(timespec=\"seconds\")+\" fw01 fw - - - \"+sys.argv[2])"
      ".encode(), (\"127.0.0.1\", " +
      std::to_string(udp) + "))' ";
  EXPECT_EQ(sh(send + "0 'clock right'"), 0);
  usleep(200'000);
  EXPECT_EQ(sh(send + "-3600 'clock an hour behind'"), 0);
  // Waits up to 5 s for a search to find exactly one event.
  auto found_one = [&](const std::string& query) {
    for (int i = 0; i < 50; ++i) {
      usleep(100'000);
      std::string args = "logs search --json ";
      args += query;
      auto r = Mamori(args + db);
      if (r.code == 0 && nlohmann::json::parse(r.out)["total"] == 1) return true;
    }
    return false;
  };
  ASSERT_TRUE(found_one("--text 'hour behind'"));
  // A source registered while the receiver runs is matched from then on (no restart): a
  // second firewall sending from 127.0.0.2 lands under its new name.
  ASSERT_EQ(Mamori("logs sources add ward-fw2 --hosts 127.0.0.2 --interval 60" + db).code, 0);
  usleep(2'500'000);  // the receiver re-reads the registry every second (--reload 1)
  std::string send2 =
      "/usr/bin/python3 -c 'import socket; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); "
      "s.bind((\"127.0.0.2\", 0)); "
      "s.sendto(b\"<134>1 - fw02 fw - - - registered while serving\", (\"127.0.0.1\", " +
      std::to_string(udp) + "))'";
  EXPECT_EQ(sh(send2), 0);
  EXPECT_TRUE(found_one("--source ward-fw2"));
  ASSERT_EQ(sh("kill -TERM $(cat serve.pid) && while kill -0 $(cat serve.pid) 2>/dev/null; do "
               "sleep 0.1; done"),
            0);
  auto st = nlohmann::json::parse(Mamori("logs sources --json" + db).out);
  std::map<std::string, nlohmann::json> by_name;
  for (const auto& s : st["sources"]) by_name[s["name"].get<std::string>()] = s;
  ASSERT_EQ(by_name.size(), 5u) << st.dump(1);
  EXPECT_EQ(by_name["ward-fw"]["state"], "skew") << st.dump(1);
  EXPECT_EQ(by_name["ward-fw"]["events_total"], 2);
  EXPECT_NEAR(by_name["ward-fw"]["last_skew_ms"].get<double>(), -3600000.0, 60000.0);
  EXPECT_EQ(by_name["ward-fw"]["skewed_24h"], 1);
  EXPECT_EQ(by_name["dc01"]["state"], "ok");  // files just ingested
  // smb-password-guessing holds 3561 records and 77 recovered from its free space (evtxinfo).
  EXPECT_EQ(by_name["dc01"]["events_total"], 1 + 112 + 18 + 12 + 4 + 3561 + 77);
  EXPECT_TRUE(st["unregistered"].empty()) << st.dump(1);
  EXPECT_TRUE(st["alerting"].get<bool>());

  auto rv = Mamori("logs review --json --from 2013-01-01 --to 2026-11-30 -o review.pdf" + db);
  ASSERT_EQ(rv.code, 0) << rv.err;
  auto review = nlohmann::json::parse(rv.out);
  const auto& sum = review["summary"];
  const auto& t = sum["totals"];
  EXPECT_EQ(t["log_cleared"], 3) << t.dump(1);       // 1102 ×2 (Security), 104 ×1 (System)
  EXPECT_EQ(t["admin_actions"], 4 + 1);              // 4720, 4728, 4732 ×2; sudo
  EXPECT_EQ(t["logons_failed"], 3561 + 77 + 2 + 7);  // 4625 (+ recovered), 4771, sshd
  EXPECT_EQ(t["remote_logons"], 2);  // 4624 logon type 10; vendor-se from the ledger's
                                     // remote-maintenance network
  EXPECT_EQ(t["patients_many_users"], 1);
  EXPECT_EQ(t["users_many_patients"], 1);
  EXPECT_EQ(sum["patients_many_users"][0]["object"], "P0420");
  EXPECT_EQ(sum["patients_many_users"][0]["users"], 12);
  EXPECT_EQ(sum["users_many_patients"][0]["user"], "dr.kato");
  EXPECT_EQ(sum["users_many_patients"][0]["patients"], 60);
  bool burst = false;
  for (const auto& b : sum["failed_logons"]["bursts"])
    if (b["user"] == "admin" && b["count"].get<int>() >= 5) burst = true;
  EXPECT_TRUE(burst) << sum["failed_logons"].dump(1);
  bool holiday = false, working = false;
  for (const auto& e : sum["off_hours_logons"]["events"]) {
    if (e["user"] == "vendor-se" && e["reason"] == "祝日: 勤労感謝の日") holiday = true;
    if (e["user"] == "it.kobayashi") working = true;
    EXPECT_EQ(e["user"].get<std::string>().find("NT AUTHORITY"), std::string::npos) << e.dump();
  }
  EXPECT_TRUE(holiday) << sum["off_hours_logons"].dump(1);
  EXPECT_FALSE(working);
  bool maintenance = false;
  for (const auto& e : sum["remote_logons"]["events"])
    if (e["user"] == "vendor-se" && e["reason"] == "remote_maintenance_source") maintenance = true;
  EXPECT_TRUE(maintenance) << sum["remote_logons"].dump(1);
  EXPECT_GT(review["store_size"].get<int>(), 3700);
  EXPECT_EQ(review["store_root"].get<std::string>().size(), 64u);
  EXPECT_FALSE(review["signed"].get<bool>());
  ASSERT_EQ(sh("pdftotext review.pdf review.txt"), 0);
  std::ifstream txt(dir_.File("review.txt"));
  std::string text((std::istreambuf_iterator<char>(txt)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("アクセスログ定期確認報告書"), std::string::npos);
  EXPECT_NE(text.find("テスト病院"), std::string::npos);
  EXPECT_NE(text.find("勤労感謝の日"), std::string::npos);
  EXPECT_NE(text.find("P0420"), std::string::npos);

  // Sign-off: once; signed with the node key, which the real minisign checks.
  int64_t id = review["id"].get<int64_t>();
  auto so = Mamori("logs signoff --json " + std::to_string(id) + " --comment 確認済み" + db);
  ASSERT_EQ(so.code, 0) << so.err;
  auto signed_review = nlohmann::json::parse(so.out);
  EXPECT_TRUE(signed_review["signed"].get<bool>());
  {
    std::ofstream(dir_.File("signed.txt")) << signed_review["signed_text"].get<std::string>();
    std::ofstream(dir_.File("signed.txt.minisig")) << signed_review["signature"].get<std::string>();
  }
  EXPECT_EQ(sh("minisign -Vq -m signed.txt -p r-logs/node.pub"), 0);
  EXPECT_EQ(sh("sed -i 's/確認済み/改ざん/' signed.txt && minisign -Vq -m signed.txt -p "
               "r-logs/node.pub 2>/dev/null"),
            256);
  EXPECT_EQ(Mamori("logs signoff " + std::to_string(id) + db).code, 1);
  auto list = nlohmann::json::parse(Mamori("logs reviews --json" + db).out);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["signoff_comment"], "確認済み");
  auto bad_period = Mamori("logs review --from 2026-12-01 --to 2026-11-01" + db);
  EXPECT_EQ(bad_period.code, 1);

  // A range for an auditor: the events of 23–25 November with their proofs, checked by a verifier
  // written from RFC 9162 alone; one changed byte and it fails.
  auto ex = Mamori("logs export --json --from 2026-11-23 --to 2026-11-26 -o range.json" + db);
  ASSERT_EQ(ex.code, 0) << ex.err;
  EXPECT_EQ(nlohmann::json::parse(ex.out)["events"], 10 + 12);  // auth.log; P0420's twelve
  std::string verify = SourceDir() + "/tests/support/verify_proof.py";
  EXPECT_EQ(sh("python3 " + verify + " range.json > /dev/null"), 0);
  std::string tamper = SourceDir() + "/tests/support/tamper_export.py";
  EXPECT_EQ(sh("python3 " + tamper + " range.json it.kobayashi it.kobayashy && python3 " + verify +
               " range.json > /dev/null 2>&1"),
            256);

  // Retention counts from receipt: files imported today are kept their sources' full years
  // (removal itself: tests/unit/log_expiry_test.cpp).
  auto due = Mamori("logs expire --dry-run --json" + db);
  ASSERT_EQ(due.code, 0) << due.err;
  auto plan = nlohmann::json::parse(due.out);
  ASSERT_EQ(plan["due"].size(), 5u) << plan.dump(1);
  for (const auto& d : plan["due"]) {
    EXPECT_EQ(d["due"], 0) << d.dump();
    EXPECT_EQ(d["retention_years"], 5);
  }
  auto none = Mamori("logs expire" + db);
  ASSERT_EQ(none.code, 0) << none.err;
  EXPECT_NE(none.out.find("保存期間を過ぎたログはありません"), std::string::npos) << none.out;
  EXPECT_EQ(nlohmann::json::parse(Mamori("logs expiries --json" + db).out).size(), 0u);
}

// EHR audit trails exported as CSV: CP932 with a title row read by its Japanese headers; another
// product's columns named once with --mapping, saved for its source and used for its next file.
TEST_F(Cli, LogsCsvAuditTrailsWithASavedMapping) {
  auto sh = [&](const std::string& cmd) {
    return std::system(("cd " + dir_.path() + " && " + cmd).c_str());
  };
  ASSERT_EQ(sh("/usr/bin/python3 -c \"import sys; open('emr.csv','wb').write("
               "('電子カルテ 操作ログ出力\\r\\n操作日時,利用者ID,端末名,患者ID,操作,結果\\r\\n'"
               "'2026/11/30 9:05:07,dr.sato,WS-3E-01,P0001,カルテ参照,成功\\r\\n'"
               "'2026/11/31 9:07,ns.suzuki,WS-3E-02,P0003,カルテ参照,成功\\r\\n'"
               "'令和8年11月30日 "
               "23:10:00,dr.kato,WS-ER-01,P0001,カルテ参照,OK\\r\\n').encode('cp932'))\""),
            0);
  {
    std::ofstream(dir_.File("lab1.csv")) << "日付,時刻,職員番号,カルテ番号,処理内容\n"
                                         << "2026-11-29,08:15,1001,K-77,参照\n";
    std::ofstream(dir_.File("lab2.csv")) << "日付,時刻,職員番号,カルテ番号,処理内容\n"
                                         << "2026-11-30,10:00,1002,K-78,更新\n"
                                         << "2026-11-30,10:01,1003,K-78,参照\n";
  }
  std::string db = " --db c.db";
  ASSERT_EQ(Mamori("init" + db).code, 0);
  auto r = Mamori("logs ingest --json --source EHR emr.csv" + db);
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["accepted"], 2);
  EXPECT_EQ(j["rejected"], 1);
  EXPECT_EQ(j["errors"][0]["line"], 4);
  EXPECT_NE(j["errors"][0]["error"].get<std::string>().find("操作日時"), std::string::npos);
  EXPECT_EQ(j["files"][0]["csv_mapping"]["object"], "患者ID");
  auto found = nlohmann::json::parse(Mamori("logs search --json --object P0001" + db).out);
  ASSERT_EQ(found["total"], 2);
  EXPECT_EQ(found["events"][0]["user"], "dr.kato");  // newest first
  EXPECT_EQ(found["events"][0]["charset"], "CP932");
  EXPECT_EQ(found["events"][0]["time"], "2026-11-30T23:10:00+09:00");

  // Saving a mapping needs a registered source.
  EXPECT_EQ(Mamori("logs ingest --source 検査 --save-mapping lab1.csv" + db).code, 1);
  ASSERT_EQ(Mamori("logs sources add 検査 --kind csv --transport file" + db).code, 0);
  r = Mamori(
      "logs ingest --json --source 検査 --save-mapping lab1.csv --mapping "
      "'{\"user\":\"職員番号\",\"object\":\"カルテ番号\",\"action\":\"処理内容\"}'" +
      db);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["mapping_saved"]["user"], "職員番号");
  r = Mamori("logs ingest --json --source 検査 lab2.csv" + db);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["accepted"], 2);
  auto lab = nlohmann::json::parse(Mamori("logs search --json --object K-78" + db).out);
  ASSERT_EQ(lab["total"], 2);
  EXPECT_EQ(lab["events"][0]["user"], "1003");
  EXPECT_EQ(lab["events"][0]["action"], "参照");
  auto sources = nlohmann::json::parse(Mamori("logs sources --json" + db).out);
  EXPECT_EQ(sources["sources"][0]["csv_mapping"]["object"], "カルテ番号");
  // A file without a time column stores nothing and names the file.
  { std::ofstream(dir_.File("bad.csv")) << "a,b\n1,2\n"; }
  r = Mamori("logs ingest --json --source 検査 --format csv bad.csv" + db);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("bad.csv"), std::string::npos) << r.out;
}

TEST_F(Cli, Version) {
  auto r = Mamori("version --json");
  EXPECT_EQ(r.code, 0);
  EXPECT_GE(nlohmann::json::parse(r.out)["schema_version"].get<int>(), 2);
}

}  // namespace
}  // namespace mamori::testing
