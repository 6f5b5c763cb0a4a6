#include "demo/demo_logs.hpp"

#include <algorithm>
#include <random>

#include "logs/calendar.hpp"
#include "logs/sources.hpp"

namespace mamori::demo {

namespace {

constexpr int64_t kMinute = int64_t{60} * 1000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kJst = 9 * kHour;

const char* const kStaff[] = {"ns.yamada",    "ns.kobayashi", "ns.ito",     "ns.watanabe",
                              "ns.nakamura",  "dr.sato",      "dr.suzuki",  "dr.takahashi",
                              "dr.tanaka",    "ph.kato",      "rt.yoshida", "ct.yamamoto",
                              "mc.matsumoto", "mc.inoue",     "ns.kimura",  "ns.hayashi"};

struct Gen {
  std::mt19937 rng{20261201};
  UnixMillis start = 0, now = 0;
  std::vector<logs::LogEvent> out;

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); }
  // JST midnight of `day` days before today.
  [[nodiscard]] UnixMillis Day(int days_ago) const {
    UnixMillis local = now + kJst;
    return local - local % kDay - kJst - days_ago * kDay;
  }
  logs::LogEvent& Add(const std::string& source, const std::string& format, UnixMillis time,
                      int64_t skew_ms = 0, bool live = false) {
    logs::LogEvent e;
    e.source = source;
    e.format = format;
    e.time = time + skew_ms;
    e.received = time + 150;
    e.offset_minutes = 540;
    e.charset = "UTF-8";
    if (live) e.fields["peer"] = "demo";
    out.push_back(std::move(e));
    return out.back();
  }
};

void Windows(Gen& g, const std::string& src) {
  auto logon = [&](UnixMillis t, const std::string& user, int type, bool ok,
                   const std::string& ip) {
    auto& e = g.Add(src, "evtx", t);
    e.host = "DC01.demo-hospital.local";
    e.user = "DEMO\\" + user;
    e.action = "logon";
    e.outcome = ok ? logs::Outcome::kSuccess : logs::Outcome::kFailure;
    e.src_ip = ip;
    e.fields = {{"event_id", ok ? 4624 : 4625},
                {"channel", "Security"},
                {"provider", "Microsoft-Windows-Security-Auditing"},
                {"logon_type", std::to_string(type)}};
    e.message = std::string(ok ? "アカウントが正常にログオンしました"
                               : "アカウントがログオンに失敗しました") +
                "（デモ）";
  };
  const auto calendar = logs::WorkCalendar::Default();
  for (int d = 29; d >= 0; --d) {
    UnixMillis day = g.Day(d);
    // Working days: the day's logons within 08:30–17:30; Sundays and holidays: the ward on duty.
    bool open = calendar.Working(day + 10 * kHour);
    for (int i = 0; i < (open ? 60 : 6); ++i) {
      UnixMillis t =
          day + 8 * kHour + 30 * kMinute + g.Pick(9 * 60) * kMinute + g.Pick(60) * int64_t{1000};
      if (t > g.now || (open && !calendar.Working(t))) continue;  // Saturdays end at 12:30
      logon(t, kStaff[g.Pick(16)], i % 5 == 0 ? 3 : 2, true,
            "10.20.0." + std::to_string(10 + g.Pick(90)));
    }
    // Night shift: a nurse logs on after hours.
    UnixMillis night = day + 22 * kHour + g.Pick(90) * kMinute;
    if (night <= g.now) logon(night, kStaff[g.Pick(5)], 2, true, "10.20.1.20");
    for (int i = 0; i < 4; ++i) {
      UnixMillis t = day + 9 * kHour + g.Pick(8 * 60) * kMinute;
      if (t <= g.now)
        logon(t, kStaff[g.Pick(16)], 2, false, "10.20.0." + std::to_string(10 + g.Pick(90)));
    }
  }
  // 6 days ago at 02:13: twelve failed logons of "administrator" from one ward PC in a minute.
  for (int i = 0; i < 12; ++i)
    logon(g.Day(6) + 2 * kHour + 13 * kMinute + i * int64_t{4000}, "administrator", 3, false,
          "10.20.5.77");
  // 4 days ago at 03:02: the Security log cleared.
  {
    auto& e = g.Add(src, "evtx", g.Day(4) + 3 * kHour + 2 * kMinute);
    e.host = "DC01.demo-hospital.local";
    e.user = "DEMO\\it-admin";
    e.action = "log_cleared";
    e.outcome = logs::Outcome::kSuccess;
    e.fields = {
        {"event_id", 1102}, {"channel", "Security"}, {"provider", "Microsoft-Windows-Eventlog"}};
    e.message = "監査ログが消去されました（デモ）";
  }
  // 10 days ago: an account created.
  {
    auto& e = g.Add(src, "evtx", g.Day(10) + 10 * kHour + 5 * kMinute);
    e.host = "DC01.demo-hospital.local";
    e.user = "DEMO\\it-admin";
    e.action = "account_created";
    e.outcome = logs::Outcome::kSuccess;
    e.object = "DEMO\\ns.newcomer";
    e.fields = {{"event_id", 4720},
                {"channel", "Security"},
                {"provider", "Microsoft-Windows-Security-Auditing"}};
    e.message = "ユーザー アカウントが作成されました（デモ）";
  }
  // 2 days ago at 21:30: the EHR vendor's remote desktop session from its maintenance network.
  logon(g.Day(2) + 21 * kHour + 30 * kMinute, "vendor-demo", 10, true, "198.51.100.10");
}

void Utm(Gen& g, const std::string& src) {
  for (UnixMillis t = g.start; t <= g.now; t += 10 * kMinute) {
    auto& e = g.Add(src, "fortigate", t, 800, true);
    e.host = "FGT-CORE";
    e.action = "traffic";
    e.outcome = logs::Outcome::kSuccess;
    e.src_ip = "10.20.0." + std::to_string(10 + g.Pick(90));
    e.message = "type=traffic action=accept（デモ）";
  }
  auto& vpn = g.Add(src, "fortigate", g.Day(2) + 21 * kHour + 28 * kMinute, 800, true);
  vpn.host = "FGT-CORE";
  vpn.user = "vendor-demo";
  vpn.action = "SSL VPN tunnel up";
  vpn.outcome = logs::Outcome::kSuccess;
  vpn.src_ip = "198.51.100.10";
  vpn.message = "SSL VPN tunnel up（デモ: 電子カルテ保守）";
}

void Ehr(Gen& g, const std::string& src) {
  auto view = [&](UnixMillis t, const std::string& user, const std::string& patient) {
    auto& e = g.Add(src, "fhir", t);
    e.host = "EMR-AP01";
    e.user = user;
    e.action = "read";
    e.object = patient;
    e.outcome = logs::Outcome::kSuccess;
    e.message = "カルテ参照（デモ）";
  };
  for (int d = 29; d >= 0; --d)
    for (int i = 0; i < 150; ++i) {
      UnixMillis t = g.Day(d) + 8 * kHour + g.Pick(12 * 60) * kMinute;
      if (t <= g.now) view(t, kStaff[g.Pick(16)], "P-" + std::to_string(100000 + g.Pick(400)));
    }
  // 3 days ago: one patient's record opened by fourteen staff (a well-known person admitted?).
  for (int i = 0; i < 14; ++i)
    view(g.Day(3) + 10 * kHour + int64_t{i} * 17 * kMinute, kStaff[i], "P-000777");
  // 5 days ago: one doctor opening eighty patients' records.
  for (int i = 0; i < 80; ++i)
    view(g.Day(5) + 13 * kHour + int64_t{i} * 2 * kMinute, "dr.suzuki",
         "P-" + std::to_string(200000 + i));
}

void Pacs(Gen& g, const std::string& src) {
  // Hourly until three days ago, then nothing: the source went silent.
  for (UnixMillis t = g.start; t <= g.Day(3); t += kHour) {
    auto& e = g.Add(src, "rfc5424", t, 300, true);
    e.host = "PACS-SV01";
    e.app = "pacs";
    e.action = "store";
    e.outcome = logs::Outcome::kSuccess;
    e.message = "C-STORE 完了（デモ）";
  }
}

void Switch(Gen& g, const std::string& src) {
  // Its clock runs seven minutes behind.
  for (UnixMillis t = g.start; t <= g.now; t += 30 * kMinute) {
    auto& e = g.Add(src, "cisco", t, -7 * kMinute, true);
    e.host = "SW-WARD3";
    e.action = "LINK-3-UPDOWN";
    e.message = "Interface GigabitEthernet1/0/" + std::to_string(1 + g.Pick(24)) +
                ", changed state to up（デモ）";
  }
}

}  // namespace

Result<uint64_t> SeedDemoLogs(store::Database& db, int64_t org_id, logs::LogsService& logs,
                              UnixMillis now) {
  logs::LogSourcesService sources(db);
  store::Actor actor{org_id, std::nullopt, "demo", ""};
  struct Def {
    const char* name;
    const char* description;
    const char* kind;
    const char* transport;
    std::vector<std::string> hosts;
    int64_t interval;
    void (*gen)(Gen&, const std::string&);
  };
  const std::vector<Def> defs = {
      {"ドメインコントローラ DC01",
       "Windows Security ログ（EVTX、日次回収）（デモ）",
       "evtx",
       "file",
       {"DC01.demo-hospital.local"},
       1440,
       Windows},
      {"UTM（FortiGate）",
       "通信・VPN・管理者ログイン（syslog）（デモ）",
       "syslog",
       "udp",
       {"10.10.0.1", "FGT-CORE"},
       60,
       Utm},
      {"電子カルテ 監査ログ",
       "カルテ参照・更新（FHIR AuditEvent）（デモ）",
       "fhir",
       "http",
       {"EMR-AP01"},
       1440,
       Ehr},
      {"PACS サーバ",
       "画像保存・参照（syslog）（デモ）",
       "syslog",
       "udp",
       {"PACS-SV01"},
       120,
       Pacs},
      {"病棟L3スイッチ",
       "ポートの状態変化（syslog）（デモ）",
       "syslog",
       "udp",
       {"SW-WARD3"},
       120,
       Switch},
  };
  Gen g;
  g.now = now;
  g.start = now - 30 * kDay;
  for (const auto& d : defs) {
    logs::LogSource s;
    s.name = d.name;
    s.description = d.description;
    s.kind = d.kind;
    s.transport = d.transport;
    s.hosts = d.hosts;
    s.expected_interval_minutes = d.interval;
    s.skew_tolerance_seconds = 60;
    MAMORI_ASSIGN_OR_RETURN(auto added, sources.Add(actor, s));
    (void)added;
    d.gen(g, d.name);
  }
  std::stable_sort(
      g.out.begin(), g.out.end(),
      [](const logs::LogEvent& a, const logs::LogEvent& b) { return a.received < b.received; });
  for (size_t i = 0; i < g.out.size(); i += 5000) {
    std::vector<logs::LogEvent> batch(
        g.out.begin() + static_cast<ptrdiff_t>(i),
        g.out.begin() + static_cast<ptrdiff_t>(std::min(i + 5000, g.out.size())));
    for (auto& e : batch) e.raw = e.message;
    MAMORI_RETURN_IF_ERROR(logs.Append(batch));
  }
  MAMORI_RETURN_IF_ERROR(logs.Checkpoint());
  return static_cast<uint64_t>(g.out.size());
}

}  // namespace mamori::demo
