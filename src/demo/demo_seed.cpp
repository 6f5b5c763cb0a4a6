#include "demo/demo_seed.hpp"

#include <array>
#include <cstdio>
#include <random>

#include "ledger/completeness.hpp"
#include "ledger/ledger_service.hpp"
#include "resilience/resilience_service.hpp"
#include "store/tx.hpp"
#include "vuln/vuln_service.hpp"

namespace mamori::demo {

namespace {

struct EmbeddedFile {
  const char* name;
  const char* content;
};
#include "demo/eol_embedded.inc"
#include "demo/feeds_embedded.inc"

struct VendorDef {
  const char* name;
  const char* contact;
  const char* phone;
};
// Fictional companies (.example addresses); any likeness to real vendors is not intended.
constexpr std::array<VendorDef, 8> kVendors = {{
    {"デモ医療システムズ株式会社", "保守窓口 田中", "03-0000-1001"},
    {"サンプル画像技研株式会社", "サポートセンター", "03-0000-1002"},
    {"架空ラボシステム株式会社", "技術部 佐藤", "06-0000-1003"},
    {"例示メディカル情報株式会社", "医事サポート", "03-0000-1004"},
    {"テストネットワーク株式会社", "NOC 鈴木", "03-0000-1005"},
    {"見本医用機器株式会社", "サービス課 高橋", "052-000-1006"},
    {"模擬薬剤システム株式会社", "コールセンター", "03-0000-1007"},
    {"仮想クラウドサービス株式会社", "カスタマーサクセス", "050-0000-1008"},
}};

struct SystemDef {
  const char* name;
  const char* kind;
  int vendor;  // index into kVendors
  int priority;
};
constexpr std::array<SystemDef, 9> kSystems = {{
    {"電子カルテシステム", "電子カルテ", 0, 1},
    {"オーダリング・部門連携", "部門システム", 0, 1},
    {"PACS（医用画像管理）", "PACS", 1, 2},
    {"RIS（放射線情報）", "RIS", 1, 2},
    {"臨床検査システム", "検査", 2, 2},
    {"医事会計システム", "医事会計", 3, 2},
    {"院内ネットワーク", "ネットワーク", 4, 1},
    {"薬剤部門システム", "部門システム", 6, 3},
    {"グループウェア（クラウド）", "クラウド", 7, 4},
}};

constexpr std::array<const char*, 12> kWards = {
    "本館1F 外来受付", "本館1F 医事課",   "本館2F 外来診察室", "本館3F 3東病棟",
    "本館3F 3西病棟",  "本館4F 4東病棟",  "本館4F 4西病棟",    "本館5F 5東病棟",
    "本館2F 検査部",   "本館B1 放射線部", "本館2F 薬剤部",     "管理棟2F 事務部"};

ledger::Asset MakeAsset(const char* category, std::string name, std::string computer,
                        const char* maker, const char* model, const char* os, const char* osver,
                        std::string ip, std::string location, std::string user,
                        std::optional<int64_t> system, std::optional<int64_t> vendor,
                        const char* remote) {
  ledger::Asset a;
  a.category = category;
  a.name = std::move(name);
  a.computer_name = std::move(computer);
  a.maker = maker;
  a.model = model;
  a.os = os;
  a.os_version = osver;
  if (!ip.empty()) a.ips.push_back(std::move(ip));
  a.location = std::move(location);
  a.user_dept = std::move(user);
  a.system_id = system;
  a.vendor_id = vendor;
  a.remote_maintenance = remote;
  a.discovery_sources = {"ledger"};
  return a;
}

std::string Mac(std::mt19937& rng) {
  char buf[18];
  std::snprintf(buf, sizeof buf, "52:54:%02x:%02x:%02x:%02x", static_cast<unsigned>(rng() & 0xff),
                static_cast<unsigned>(rng() & 0xff), static_cast<unsigned>(rng() & 0xff),
                static_cast<unsigned>(rng() & 0xff));
  return buf;
}

ledger::SoftwareComponent Sw(const std::string& entry) {
  return ledger::ParseSoftwareCell(entry).at(0);
}

// What a maintained ledger also records: software, purchase and maintenance-contract dates,
// how vendors connect for remote maintenance and when someone last checked. Gaps are left on
// purpose (a few PCs without software listed, remote access never confirmed, a PACS line open
// to any source) so the completeness and checklist views have something to show.
void Enrich(std::vector<ledger::Asset>& assets) {
  int i = 0;
  for (auto& a : assets) {
    ++i;
    if (a.category == "server") {
      a.purchase_date = i % 3 == 0 ? "2019-04-01" : "2020-04-01";
      a.support_end = a.os_version.starts_with("2012") ? "2025-03-31" : "2027-03-31";
      if (a.os == "Windows Server") {
        a.software.push_back(Sw("ウイルスバスター Corp. XG 14.0"));
        a.software.push_back(Sw(".NET Framework 4.8"));
        if (a.computer_name.find("DB") != std::string::npos)
          a.software.push_back(Sw("SQL Server 2019 15.0.4345.5"));
        if (a.computer_name.starts_with("PACS")) a.software.push_back(Sw("Apache Tomcat 9.0.65"));
      } else {
        a.software.push_back(Sw("OpenSSH 8.0p1"));
        a.software.push_back(Sw("PostgreSQL 13.7"));
      }
    } else if (a.category == "pc") {
      a.purchase_date = i % 2 == 0 ? "2019-10-01" : "2021-04-01";
      a.support_end = i % 2 == 0 ? "2024-09-30" : "2028-03-31";
      if (i % 13 != 0) {
        a.software.push_back(Sw("Microsoft Office 2019 16.0"));
        a.software.push_back(Sw("Adobe Acrobat Reader DC 23.008"));
      }
    } else if (a.category == "network") {
      a.purchase_date = "2021-04-01";
      a.support_end = "2028-03-31";
    } else if (a.category == "medical") {
      a.purchase_date = i % 2 == 0 ? "2016-11-01" : "2020-02-01";
      a.support_end = i % 4 == 0 ? "2026-10-31" : "2030-03-31";
    }
    if (a.remote_maintenance == "yes") {
      bool pacs = a.computer_name.starts_with("PACS") || a.computer_name.starts_with("RIS");
      a.remote_method = pacs ? "インターネットVPN" : "閉域網VPN";
      // One vendor line accepts any source: the finding the 2022 Osaka incident was about.
      a.remote_source_restricted = pacs ? "no" : "yes";
      if (!pacs) a.remote_allowed_sources = {"198.51.100.10", "198.51.100.11"};
      a.remote_confirmed_on = i % 4 == 0 ? "" : (i % 3 == 0 ? "2025-06-20" : "2026-04-15");
      if (!a.remote_confirmed_on.empty()) a.remote_evidence = "保守業者との年次確認書（デモ）";
    }
  }
}

// The records the checklist asks about, in the state a hospital part-way through its
// preparations is in: the officer appointed by the board, a contact list that still lacks some
// vendors, a BCP approved but not yet exercised (so 3-(1) and 3-(3) are suggested いいえ).
Status SeedOrganisationRecords(store::Database& db, const ledger::Scope& scope,
                               const std::vector<int64_t>& vendor_ids) {
  resilience::ResilienceService records(db);
  resilience::OrgRole officer;
  officer.role = "security_officer";
  officer.person = "守山 一郎（DEMO・架空）";
  officer.title = "副院長";
  officer.appointed_on = "2026-04-01";
  officer.approval = "経営会議 2026-03-18（議事録 第12号）";
  MAMORI_RETURN_IF_ERROR(records.AddRole(scope, officer));
  resilience::OrgRole ops;
  ops.role = "operations";
  ops.person = "情報 花子（DEMO・架空）";
  ops.title = "医療情報室 主任";
  ops.appointed_on = "2026-04-01";
  MAMORI_RETURN_IF_ERROR(records.AddRole(scope, ops));
  struct C {
    const char* category;
    const char* organisation;
    const char* person;
    const char* phone;
    int vendor;
  };
  // The MHLW number is the public one from the MHLW training material; the rest is fictional.
  const C contacts[] = {
      {"internal", "デモ総合病院 医療情報室", "情報 花子", "内線 2101", -1},
      {"internal", "デモ総合病院 副院長（安全管理責任者）", "守山 一郎", "内線 1001", -1},
      {"vendor", "デモ医療システムズ株式会社 保守センター", "保守窓口", "0120-000-001", 0},
      {"vendor", "サンプル画像技研株式会社 サービス窓口", "サービス窓口", "0120-000-002", 1},
      {"mhlw", "厚生労働省 医政局 特定医薬品開発支援・医療情報担当参事官室", "", "03-6812-7837",
       -1},
      {"police", "デモ県警察本部 サイバー犯罪対策課（架空）", "", "000-000-0110", -1},
      {"prefecture", "デモ県 医療政策課（架空）", "", "000-000-0001", -1},
  };
  int64_t order = 1;
  for (const auto& c : contacts) {
    resilience::Contact x;
    x.category = c.category;
    x.organisation = c.organisation;
    x.person = c.person;
    x.phone = c.phone;
    x.call_order = order++;
    x.hours = c.category == std::string("vendor") ? "24時間" : "平日 8:30-17:15";
    if (c.vendor >= 0) x.vendor_id = vendor_ids[static_cast<size_t>(c.vendor)];
    MAMORI_RETURN_IF_ERROR(records.AddContact(scope, x));
  }
  resilience::BcpDocument bcp;
  bcp.title = "サイバー攻撃を想定した事業継続計画（DEMO・架空）";
  bcp.version = "第1版";
  bcp.approved_on = "2026-06-20";
  MAMORI_RETURN_IF_ERROR(records.AddBcp(scope, bcp));
  return Ok();
}

}  // namespace

// Real NVD, KEV and endoflife.date records for the demo ledger's software (an extract, see
// feeds/PROVENANCE.md), matched, and two findings triaged the way a hospital would.
Status SeedVulnerabilities(store::Database& db, const ledger::Scope& scope,
                           ledger::LedgerService& ledger) {
  vuln::VulnService vuln(db, ledger);
  auto load = [&](const EmbeddedFile& f) -> Status {
    MAMORI_ASSIGN_OR_RETURN(auto r, vuln.Load(scope.actor, f.content, f.name));
    (void)r;
    return Ok();
  };
  for (const auto& f : kDemoFeeds) MAMORI_RETURN_IF_ERROR(load(f));
  for (const auto& f : kDemoEol) MAMORI_RETURN_IF_ERROR(load(f));
  std::string today = FormatDateJst(SystemClock().Now());
  MAMORI_ASSIGN_OR_RETURN(auto matched, vuln.MatchLedger(scope, today));
  (void)matched;
  vuln::FindingQuery q;
  MAMORI_ASSIGN_OR_RETURN(auto findings, vuln.Findings(scope, q, today));
  bool tomcat = false, postgres = false;
  for (const auto& f : findings) {
    std::string body;
    if (!tomcat && f.cve == "CVE-2023-46589") {
      tomcat = true;
      body =
          R"({"state":"affected","note":"保守業者に修正版（Tomcat 9.0.83 以降）の適用を依頼済み"})";
    } else if (!postgres && f.cve == "CVE-2023-5869") {
      postgres = true;
      body = Json{{"state", "accepted"},
                  {"note", "閉域網内で利用者は院内の業務端末のみ。業者の検証済み版の提供待ち"},
                  {"approver", "医療情報システム安全管理責任者"},
                  {"review_date", ledger::DaysBefore(today, -90)}}
                 .dump();
    } else {
      continue;
    }
    MAMORI_ASSIGN_OR_RETURN(auto jb, JsonBody::Parse(body));
    MAMORI_ASSIGN_OR_RETURN(auto t, vuln.Triage(scope, f.id, jb, today));
    (void)t;
  }
  return Ok();
}

Result<SeedSummary> SeedDemoHospital(store::Database& db, auth::HashCost cost, int64_t extra_assets,
                                     bool with_feeds) {
  auth::AuthPolicy policy;
  policy.hash_cost = cost;
  auth::AuthService auth(db, policy);
  ledger::LedgerService ledger(db);
  SeedSummary sum;
  sum.org_name = "デモ総合病院（DEMO・架空）";
  sum.password = "Mamori-Demo-2026";
  store::Actor system{0, std::nullopt, "demo-seed", "127.0.0.1"};
  MAMORI_ASSIGN_OR_RETURN(sum.org_id, auth.CreateOrg(system, sum.org_name, "hospital", true));
  store::Actor actor{sum.org_id, std::nullopt, "demo-seed", "127.0.0.1"};
  ledger::Scope scope{actor, std::nullopt};

  std::vector<int64_t> vendor_ids;
  for (const auto& v : kVendors) {
    ledger::Vendor vendor;
    vendor.name = v.name;
    vendor.contact = v.contact;
    vendor.phone = v.phone;
    vendor.email = "support@vendor" + std::to_string(vendor_ids.size() + 1) + ".example";
    MAMORI_ASSIGN_OR_RETURN(auto created, ledger.CreateVendor(scope, vendor));
    vendor_ids.push_back(created.id);
  }
  std::vector<int64_t> system_ids;
  for (const auto& s : kSystems) {
    ledger::System sys;
    sys.name = s.name;
    sys.kind = s.kind;
    sys.vendor_id = vendor_ids[static_cast<size_t>(s.vendor)];
    sys.recovery_priority = s.priority;
    MAMORI_ASSIGN_OR_RETURN(auto created, ledger.CreateSystem(scope, sys));
    system_ids.push_back(created.id);
  }
  // MDS/SDS on file for some systems (placeholder documents marked DEMO; the rest are missing,
  // which is what 2-(3) should show).
  for (size_t i = 0; i < system_ids.size(); ++i) {
    for (const char* kind : {"mds", "sds"}) {
      if ((std::string(kind) == "mds" && i > 4) || (std::string(kind) == "sds" && i > 2)) continue;
      ledger::SystemDocument d;
      d.system_id = system_ids[i];
      d.kind = kind;
      d.file_name = std::string(kind) + "_" + kSystems[i].kind + "_DEMO.txt";
      d.content = std::string("デモ用の") + (std::string(kind) == "mds" ? "MDS" : "SDS") +
                  "（架空・内容なし） / DEMO placeholder " + kSystems[i].name;
      d.jahis_version = "第2版";
      d.received_on = "2025-04-01";
      d.blank_answers = static_cast<int64_t>(i % 3);
      MAMORI_RETURN_IF_ERROR(ledger.AddSystemDocument(scope, d));
    }
  }
  auto sys = [&](int i) { return std::optional<int64_t>(system_ids[static_cast<size_t>(i)]); };
  auto ven = [&](int i) { return std::optional<int64_t>(vendor_ids[static_cast<size_t>(i)]); };

  std::mt19937 rng(20261122);  // fixed seed: the same demo every time
  std::vector<ledger::Asset> assets;
  // Servers in the server room (本館B1 サーバ室), most maintained remotely by their vendor.
  struct ServerDef {
    const char* name;
    const char* host;
    const char* os;
    const char* ver;
    int system;
    int vendor;
    const char* remote;
  };
  const ServerDef servers[] = {
      {"電子カルテ DBサーバ#1", "EMR-DB01", "Windows Server", "2019 Standard (1809)", 0, 0, "yes"},
      {"電子カルテ DBサーバ#2", "EMR-DB02", "Windows Server", "2019 Standard (1809)", 0, 0, "yes"},
      {"電子カルテ APサーバ#1", "EMR-AP01", "Windows Server", "2019 Standard (1809)", 0, 0, "yes"},
      {"電子カルテ APサーバ#2", "EMR-AP02", "Windows Server", "2019 Standard (1809)", 0, 0, "yes"},
      {"オーダ連携サーバ", "ORD-GW01", "Red Hat Enterprise Linux", "8.6", 1, 0, "yes"},
      {"PACS 画像サーバ", "PACS-SV01", "Windows Server", "2016 Standard (1607)", 2, 1, "yes"},
      {"PACS 配信サーバ", "PACS-WEB01", "Windows Server", "2016 Standard (1607)", 2, 1, "yes"},
      {"RIS サーバ", "RIS-SV01", "Windows Server", "2012 R2 Standard", 3, 1, "yes"},
      {"検査システム サーバ", "LAB-SV01", "Windows Server", "2019 Standard (1809)", 4, 2, "yes"},
      {"医事会計 サーバ", "IJI-SV01", "Windows Server", "2022 Standard (21H2)", 5, 3, "unknown"},
      {"薬剤部門 サーバ", "PHA-SV01", "Windows Server", "2016 Standard (1607)", 7, 6, "yes"},
      {"ファイルサーバ", "FS01", "Windows Server", "2019 Standard (1809)", -1, -1, "no"},
      {"Active Directory #1", "DC01", "Windows Server", "2019 Standard (1809)", -1, -1, "no"},
      {"Active Directory #2", "DC02", "Windows Server", "2019 Standard (1809)", -1, -1, "no"},
      {"ウイルス対策管理サーバ", "AV-MGR01", "Windows Server", "2019 Standard (1809)", -1, -1,
       "no"},
      {"バックアップサーバ", "BK-SV01", "Windows Server", "2022 Standard (21H2)", -1, -1, "no"},
      {"WSUS サーバ", "WSUS01", "Windows Server", "2019 Standard (1809)", -1, -1, "no"},
      {"ログ収集サーバ", "LOG01", "Debian GNU/Linux", "12", -1, -1, "no"},
  };
  int n = 0;
  for (const auto& s : servers) {
    auto a = MakeAsset("server", s.name, s.host, "架空サーバ製作所",
                       n % 2 == 0 ? "DEMO-RX2530" : "DEMO-TX1330", s.os, s.ver,
                       "10.10.0." + std::to_string(11 + n), "本館B1 サーバ室", "情報システム室",
                       s.system >= 0 ? sys(s.system) : std::nullopt,
                       s.vendor >= 0 ? ven(s.vendor) : std::nullopt, s.remote);
    a.serial = "SRV" + std::to_string(100200 + n);
    a.macs.push_back(Mac(rng));
    assets.push_back(std::move(a));
    ++n;
  }
  // Network equipment.
  const char* net_models[] = {"DEMO-RTX1210", "DEMO-FG60F", "DEMO-SW2960", "DEMO-AP310"};
  for (int i = 0; i < 28; ++i) {
    const char* model = i == 0   ? net_models[0]
                        : i == 1 ? net_models[1]
                        : i < 20 ? net_models[2]
                                 : net_models[3];
    std::string name = i == 0   ? "VPNルータ（保守回線）"
                       : i == 1 ? "ファイアウォール（インターネット境界）"
                       : i < 20 ? "フロアスイッチ " + std::to_string(i - 1)
                                : "無線LANアクセスポイント " + std::to_string(i - 19);
    auto a = MakeAsset("network", name, "NW-" + std::to_string(100 + i), "架空ネットワーク機器",
                       model, i < 2 ? "DemoOS" : "", i < 2 ? "14.01.38" : "",
                       "10.10.1." + std::to_string(1 + i),
                       i < 2 ? "本館B1 サーバ室" : kWards[static_cast<size_t>(i) % kWards.size()],
                       "情報システム室", sys(6), ven(4), i < 2 ? "yes" : "unknown");
    a.macs.push_back(Mac(rng));
    assets.push_back(std::move(a));
  }
  // Medical devices.
  struct DevDef {
    const char* name;
    const char* maker;
    const char* os;
    const char* ver;
    int count;
    int system;
    int vendor;
    const char* location;
  };
  const DevDef devices[] = {
      {"CT装置", "見本医用機器", "Windows 10 IoT Enterprise LTSC", "2019 (1809)", 2, 3, 5,
       "本館B1 放射線部"},
      {"MRI装置", "見本医用機器", "Windows 10 IoT Enterprise LTSC", "2019 (1809)", 1, 3, 5,
       "本館B1 放射線部"},
      {"一般撮影装置（FPD）", "見本医用機器", "Windows 7 Embedded", "SP1", 3, 3, 5,
       "本館B1 放射線部"},
      {"超音波診断装置", "見本医用機器", "Linux (組込み)", "", 6, 2, 5, "本館2F 外来診察室"},
      {"生化学自動分析装置", "架空ラボ機器", "Windows 10 IoT Enterprise LTSC", "2016 (1607)", 2, 4,
       2, "本館2F 検査部"},
      {"血球計数装置", "架空ラボ機器", "Windows 7 Embedded", "SP1", 2, 4, 2, "本館2F 検査部"},
      {"生体情報モニタ セントラル", "見本医用機器", "Windows 10 IoT Enterprise LTSC", "2019 (1809)",
       4, -1, 5, "本館3F 3東病棟"},
      {"輸液ポンプ管理端末", "見本医用機器", "", "", 4, -1, 5, "本館4F 4東病棟"},
      {"内視鏡システム", "見本医用機器", "Windows 10 IoT Enterprise LTSC", "2019 (1809)", 2, 2, 5,
       "本館2F 外来診察室"},
      {"調剤監査システム端末", "模擬薬剤機器", "Windows 10 Pro", "22H2", 2, 7, 6, "本館2F 薬剤部"},
  };
  int dev_no = 0;
  for (const auto& d : devices) {
    for (int i = 0; i < d.count; ++i) {
      std::string name = std::string(d.name) + (d.count > 1 ? " #" + std::to_string(i + 1) : "");
      auto a = MakeAsset("medical", name, "MD-" + std::to_string(300 + dev_no), d.maker,
                         dev_no % 2 == 0 ? "DEMO-MD10" : "DEMO-MD20", d.os, d.ver,
                         "10.10.3." + std::to_string(10 + dev_no), d.location, "臨床工学室",
                         d.system >= 0 ? sys(d.system) : std::nullopt, ven(d.vendor),
                         dev_no % 5 == 0 ? "unknown" : "yes");
      a.serial = "MD" + std::to_string(500300 + dev_no);
      a.macs.push_back(Mac(rng));
      assets.push_back(std::move(a));
      ++dev_no;
    }
  }
  // Client PCs: electronic medical record terminals on every ward, and office PCs.
  int pcs = 230 + static_cast<int>(extra_assets);
  for (int i = 0; i < pcs; ++i) {
    const char* ward = kWards[static_cast<size_t>(i) % kWards.size()];
    bool emr = i % 4 != 3;
    std::string host = std::string(emr ? "EMR-PC" : "OFC-PC") + std::to_string(1000 + i);
    // A realistic ledger has gaps: a few PCs without an IP address or a user recorded.
    std::string ip =
        i % 37 == 5 ? "" : "10.20." + std::to_string(i / 250) + "." + std::to_string(10 + i % 240);
    auto a =
        MakeAsset("pc", std::string(emr ? "電子カルテ端末 " : "事務PC ") + std::to_string(i + 1),
                  host, i % 3 == 0 ? "架空PCメーカー" : "見本コンピュータ",
                  i % 2 == 0 ? "DEMO-BOOK 15" : "DEMO-DESK S", "Windows 10 Pro",
                  i % 11 == 0 ? "21H2" : "22H2", ip, ward, i % 29 == 7 ? "" : ward,
                  emr ? sys(0) : std::nullopt, emr ? ven(0) : std::nullopt, "no");
    a.macs.push_back(Mac(rng));
    assets.push_back(std::move(a));
  }
  // Cloud services.
  const char* clouds[] = {"グループウェア（クラウド）", "Web予約サービス",
                          "地域医療連携ネットワーク", "オンライン資格確認", "画像外部保管サービス"};
  for (int i = 0; i < 5; ++i) {
    assets.push_back(MakeAsset("cloud", clouds[i], "", "仮想クラウドサービス", "SaaS", "", "", "",
                               "外部（クラウド）", "事務部", i == 0 ? sys(8) : std::nullopt, ven(7),
                               "no"));
  }
  Enrich(assets);
  MAMORI_ASSIGN_OR_RETURN(sum.assets, ledger.CreateAssets(scope, assets, "demo.seed_assets"));
  sum.vendors = static_cast<int64_t>(vendor_ids.size());
  sum.systems = static_cast<int64_t>(system_ids.size());

  // Hosts a (fictional) scan found that the ledger does not have: what 台帳未登録 looks like.
  {
    UnixMillis seen = SystemClock().Now() - 3LL * 3600 * 1000;
    auto host = [&](const char* ip, const char* mac, const char* vendor, const char* name,
                    const char* os, Json services) {
      ledger::DiscoveredHost h;
      h.ip = ip;
      h.mac = mac;
      h.mac_vendor = vendor;
      if (*name != '\0') h.hostnames = {name};
      h.os_guess = os;
      h.services = std::move(services);
      h.source = "nmap";
      h.first_seen = h.last_seen = seen;
      return h;
    };
    std::vector<ledger::DiscoveredHost> found = {
        host("10.20.3.77", "52:54:00:aa:10:77", "DEMO Vendor", "", "Microsoft Windows 10",
             Json::array({{{"port", 3389},
                           {"protocol", "tcp"},
                           {"name", "ms-wbt-server"},
                           {"product", "Microsoft Terminal Services"},
                           {"version", ""},
                           {"cpe", "cpe:/o:microsoft:windows"}}})),
        host("10.10.3.99", "52:54:00:aa:10:99", "DEMO Vendor", "us-cart-02", "Linux 4.X",
             Json::array({{{"port", 104},
                           {"protocol", "tcp"},
                           {"name", "dicom"},
                           {"product", ""},
                           {"version", ""},
                           {"cpe", ""}}})),
        host("10.10.1.250", "52:54:00:aa:12:50", "DEMO Vendor", "", "embedded",
             Json::array({{{"port", 443},
                           {"protocol", "tcp"},
                           {"name", "https"},
                           {"product", "lighttpd"},
                           {"version", "1.4.59"},
                           {"cpe", "cpe:/a:lighttpd:lighttpd:1.4.59"}}})),
    };
    MAMORI_RETURN_IF_ERROR(ledger.RecordDiscovered(scope, found, "demo-scan.xml（DEMO・架空）"));
  }

  struct UserDef {
    const char* name;
    const char* display;
    auth::Role role;
    int vendor;
  };
  const UserDef users[] = {
      {"admin", "安全管理責任者（デモ）", auth::Role::kAdmin, -1},
      {"staff", "情報システム担当（デモ）", auth::Role::kStaff, -1},
      {"vendor-emr", "デモ医療システムズ 保守担当", auth::Role::kVendor, 0},
      {"vendor-pacs", "サンプル画像技研 保守担当", auth::Role::kVendor, 1},
      {"inspector", "保健所 立入検査（デモ）", auth::Role::kInspector, -1},
      {"auditor", "監査担当（デモ）", auth::Role::kAuditor, -1},
  };
  for (const auto& u : users) {
    auth::NewUser nu;
    nu.username = u.name;
    nu.display_name = u.display;
    nu.role = u.role;
    if (u.vendor >= 0) nu.vendor_id = vendor_ids[static_cast<size_t>(u.vendor)];
    nu.password = sum.password;
    MAMORI_RETURN_IF_ERROR(auth.CreateUser(actor, nu));
    ++sum.users;
  }
  MAMORI_RETURN_IF_ERROR(SeedOrganisationRecords(db, scope, vendor_ids));
  if (with_feeds) MAMORI_RETURN_IF_ERROR(SeedVulnerabilities(db, scope, ledger));
  return sum;
}

}  // namespace mamori::demo
