// Windows EVTX through libevtx, against the inventory in ../shared/testdata/logs/PROVENANCE.md
// (each file's record count and events per channel/ID, produced with python-evtx): the same
// counts per file; logons, failures and log clearing mapped with users, IPs and logon types; a
// file whose records cannot be read reports each one by index and does not stop the rest.
#include "logs/evtx.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

namespace mamori::logs {
namespace {

std::string Shared() {
  const char* s = std::getenv("MAMORI_SHARED_DIR");
  return std::string(s != nullptr ? s : "../shared") + "/testdata/logs/";
}

struct Inventory {
  std::string path;
  int events = 0, errors = 0;
  std::map<std::string, int> by_id;  // "Security/4625" → count
};

// The "### 1a" block: "name N err E first last" then "    Channel/ID×n, …".
std::vector<Inventory> ReadInventory() {
  std::ifstream in(Shared() + "PROVENANCE.md");
  std::vector<Inventory> out;
  std::string line;
  bool block = false;
  std::regex head(R"(^(\S+\.evtx) (\d+) err (\d+) )");
  std::regex item(R"(([^,{]+)/(\d+)x(\d+))");
  while (std::getline(in, line)) {
    if (line.rfind("### 1a", 0) == 0) block = true;
    if (!block) continue;
    std::smatch m;
    if (std::regex_search(line, m, head)) {
      Inventory inv;
      std::string p = m[1];
      inv.path = (p.rfind("rules/", 0) == 0 ? "sigma/regression_data/" : "evtx/") + p;
      inv.events = std::stoi(m[2]);
      inv.errors = std::stoi(m[3]);
      out.push_back(inv);
    } else if (!out.empty() && line.rfind("    ", 0) == 0) {
      for (auto it = std::sregex_iterator(line.begin(), line.end(), item);
           it != std::sregex_iterator(); ++it) {
        std::string channel = (*it)[1];
        while (!channel.empty() && channel.front() == ' ') channel.erase(channel.begin());
        out.back().by_id[channel + "/" + (*it)[2].str()] = std::stoi((*it)[3]);
      }
    } else if (line.rfind("```", 0) == 0 && !out.empty()) {
      break;
    }
  }
  return out;
}

SyslogContext Ctx() {
  SyslogContext c;
  c.received = *ParseTime("2026-12-01T12:00:00+09:00");
  c.source = "windows";
  return c;
}

TEST(Evtx, EveryFileReadsAsManyEventsAsTheInventorySays) {
  auto inventory = ReadInventory();
  ASSERT_GE(inventory.size(), 30u);
  for (const auto& inv : inventory) {
    auto r = ReadEvtx(Shared() + inv.path, Ctx());
    ASSERT_TRUE(r.ok()) << inv.path << ": " << r.error().Message(Lang::kJa);
    if (inv.errors > 0) {
      // python-evtx could not read these records; libevtx cannot either: each is reported.
      EXPECT_FALSE(r->problems.empty()) << inv.path;
      continue;
    }
    int live = 0;
    std::map<std::string, int> by_id;
    for (const auto& e : r->events) {
      if (e.fields.value("recovered", false)) continue;
      ++live;
      by_id[e.fields["channel"].get<std::string>() + "/" +
            std::to_string(e.fields["event_id"].get<int>())]++;
    }
    EXPECT_EQ(live, inv.events) << inv.path;
    EXPECT_EQ(by_id, inv.by_id) << inv.path;
  }
}

TEST(Evtx, LogonsFailuresAndLogClearing) {
  auto r = ReadEvtx(Shared() + "evtx/deepbluecli/smb-password-guessing-security.evtx", Ctx());
  ASSERT_TRUE(r.ok());
  // 3 561 records, and 77 more that libevtx recovers from the file's free space (marked).
  ASSERT_EQ(r->records, 3561u);
  ASSERT_EQ(r->events.size(), r->records + r->recovered);
  EXPECT_TRUE(r->events.back().fields.value("recovered", false));
  const auto& f = r->events.front();
  EXPECT_EQ(f.action, "logon");
  EXPECT_EQ(f.outcome, Outcome::kFailure);
  EXPECT_EQ(f.fields["logon_type"], "3");
  EXPECT_FALSE(f.user.empty());
  EXPECT_FALSE(f.src_ip.empty());
  EXPECT_EQ(f.format, "evtx");
  EXPECT_NE(f.raw.find("<EventID>4625</EventID>"), std::string::npos);

  auto cleared =
      ReadEvtx(Shared() + "evtx/evtx-attack-samples/DE_1102_security_log_cleared.evtx", Ctx());
  ASSERT_TRUE(cleared.ok());
  int n = 0;
  for (const auto& e : cleared->events)
    if (e.action == "log_cleared") {
      ++n;
      EXPECT_FALSE(e.user.empty());
    }
  EXPECT_EQ(n, 1);
  auto system =
      ReadEvtx(Shared() + "evtx/evtx-attack-samples/DE_104_system_log_cleared.evtx", Ctx());
  ASSERT_TRUE(system.ok());
  ASSERT_EQ(system->events.size(), 1u);
  EXPECT_EQ(system->events[0].action, "log_cleared");
}

TEST(Evtx, ADamagedRecordIsSkippedAndReportedAndTheRestIsRead) {
  // The real password-spray log with the body of its 101st record overwritten: libevtx's own
  // evtxexport stops there; mamori reports that record and reads the others.
  std::ifstream in(Shared() + "evtx/deepbluecli/password-spray.evtx", std::ios::binary);
  std::string b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<size_t> records;
  for (size_t at = b.find(std::string("**\0\0", 4)); at != std::string::npos;
       at = b.find(std::string("**\0\0", 4), at + 1))
    records.push_back(at);
  ASSERT_GT(records.size(), 200u);
  b.replace(records[100] + 40, 40, std::string(40, '\xff'));
  std::string p = std::filesystem::temp_directory_path() / "mamori-damaged.evtx";
  std::ofstream(p, std::ios::binary) << b;
  auto r = ReadEvtx(p, Ctx());
  std::filesystem::remove(p);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->problems.size(), 1u);
  EXPECT_NE(r->problems[0].find("101 件目の記録を読めません"), std::string::npos) << r->problems[0];
  int live = 0;
  for (const auto& e : r->events) live += e.fields.value("recovered", false) ? 0 : 1;
  EXPECT_EQ(live, 294);  // 295 records, one damaged
}

TEST(Evtx, NotAnEvtxFileIsAnErrorNamingIt) {
  std::string p = std::filesystem::temp_directory_path() / "mamori-not.evtx";
  std::ofstream(p) << "not an event log";
  auto r = ReadEvtx(p, Ctx());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().Message(Lang::kJa).find("mamori-not.evtx"), std::string::npos);
  std::filesystem::remove(p);
}

}  // namespace
}  // namespace mamori::logs
