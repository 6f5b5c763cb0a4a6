#include "ledger/import/ledger_import.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/text.hpp"

namespace mamori::ledger::import {

namespace {

// Header names as hospitals write them, by field (compared after MatchKey: NFKC, no spaces,
// ASCII lower case). Documented in docs/formats/ledger-import.md.
struct Alias {
  const char* field;
  std::vector<const char*> names;
};
const std::vector<Alias>& Aliases() {
  static const std::vector<Alias> kAliases = {
      {"name", {"名称", "機器名", "機器名称", "品名", "資産名", "名前", "name"}},
      {"computer_name",
       {"ホスト名", "コンピュータ名", "コンピューター名", "端末名", "デバイス名", "hostname",
        "computername"}},
      {"category", {"区分", "種別", "分類", "機器区分", "機器種別", "category"}},
      {"maker",
       {"メーカー", "メーカ", "製造元", "製造者", "製造販売業者", "maker", "manufacturer"}},
      {"model", {"機種", "機種名", "型番", "型式", "モデル", "model"}},
      {"serial", {"シリアル", "シリアル番号", "製造番号", "s/n", "serial"}},
      {"os", {"os", "オペレーティングシステム"}},
      {"os_version", {"osバージョン", "osのバージョン", "バージョン", "osversion"}},
      {"ips", {"ipアドレス", "ip", "ipaddress"}},
      {"macs", {"macアドレス", "mac", "macaddress"}},
      {"location", {"設置場所", "場所", "設置先", "所在", "所在地", "location"}},
      {"user",
       {"利用者", "使用者", "部署", "利用部署", "使用部署", "担当部署", "管理部署", "user"}},
      {"remote_maintenance",
       {"リモート保守", "リモートメンテナンス", "リモート保守有無", "リモート保守の有無"}},
  };
  return kAliases;
}

std::string CategoryValue(std::string_view v) {
  std::string k = MatchKey(v);
  if (k.empty()) return "other";
  static const std::map<std::string, std::string> kValues = {{"サーバ", "server"},
                                                             {"サーバー", "server"},
                                                             {"server", "server"},
                                                             {"端末", "pc"},
                                                             {"端末pc", "pc"},
                                                             {"pc", "pc"},
                                                             {"パソコン", "pc"},
                                                             {"クライアント", "pc"},
                                                             {"クライアントpc", "pc"},
                                                             {"ネットワーク", "network"},
                                                             {"ネットワーク機器", "network"},
                                                             {"nw機器", "network"},
                                                             {"ルータ", "network"},
                                                             {"スイッチ", "network"},
                                                             {"network", "network"},
                                                             {"医療機器", "medical"},
                                                             {"medical", "medical"},
                                                             {"クラウド", "cloud"},
                                                             {"クラウドサービス", "cloud"},
                                                             {"cloud", "cloud"},
                                                             {"saas", "cloud"},
                                                             {"その他", "other"},
                                                             {"other", "other"}};
  auto it = kValues.find(k);
  return it == kValues.end() ? "" : it->second;
}

std::string RemoteValue(std::string_view v) {
  std::string k = MatchKey(v);
  if (k.empty() || k == "不明" || k == "?" || k == "unknown") return "unknown";
  if (k == "あり" || k == "有" || k == "有り" || k == "○" || k == "yes" || k == "y") return "yes";
  if (k == "なし" || k == "無" || k == "無し" || k == "×" || k == "-" || k == "no" || k == "n")
    return "no";
  return "";
}

std::vector<std::string> SplitList(std::string_view v) {
  std::vector<std::string> out;
  std::string cur;
  std::string n = Nfkc(v);
  // After NFKC the Japanese comma 、 is still itself: split on it too.
  for (size_t i = 0; i <= n.size(); ++i) {
    bool sep = i == n.size() || n[i] == ',' || n[i] == ';' || n[i] == ' ' || n[i] == '\n' ||
               n[i] == '\r' || n[i] == '/' || n.compare(i, 3, "、") == 0;
    if (sep) {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
      if (i < n.size() && n.compare(i, 3, "、") == 0) i += 2;
    } else {
      cur += n[i];
    }
  }
  return out;
}

// Fields an import may set; comparing them decides "unchanged".
bool SameImportedFields(const Asset& a, const Asset& b) {
  return a.category == b.category && a.name == b.name && a.computer_name == b.computer_name &&
         a.maker == b.maker && a.model == b.model && a.serial == b.serial && a.os == b.os &&
         a.os_version == b.os_version && a.ips == b.ips && a.macs == b.macs &&
         a.location == b.location && a.user_dept == b.user_dept &&
         a.remote_maintenance == b.remote_maintenance;
}

}  // namespace

std::string FieldForHeader(std::string_view header) {
  std::string k = MatchKey(header);
  for (const auto& a : Aliases())
    for (const char* n : a.names)
      if (k == MatchKey(n)) return a.field;
  return {};
}

Json ImportReport::ToJson(Lang lang) const {
  Json errs = Json::array();
  for (const auto& e : errors)
    errs.push_back({{"sheet", e.sheet},
                    {"row", e.row},
                    {"column", e.column},
                    {"message", e.error.Message(lang)},
                    {"key", e.error.key}});
  Json map = Json::object();
  for (const auto& [h, f] : mapping) map[h] = f;
  return Json{{"created", created},  {"updated", updated},       {"unchanged", unchanged},
              {"errors", errs},      {"header_row", header_row}, {"mapping", map},
              {"unmapped", unmapped}};
}

Result<ImportReport> ImportRows(LedgerService& ledger, const Scope& scope,
                                const std::vector<std::vector<std::string>>& rows,
                                const std::vector<int>& row_numbers, const ImportOptions& opt) {
  ImportReport report;
  // The header row: the first of the first 30 rows where at least two cells name a field and
  // one of them is the name or the computer name (title rows above it are skipped).
  size_t header = rows.size();
  for (size_t r = 0; r < rows.size() && r < 30; ++r) {
    std::set<std::string> fields;
    for (const auto& cell : rows[r])
      if (auto f = FieldForHeader(cell); !f.empty()) fields.insert(f);
    if (fields.size() >= 2 && (fields.contains("name") || fields.contains("computer_name"))) {
      header = r;
      break;
    }
  }
  if (header == rows.size())
    return MakeError(ErrorCode::kInvalidArgument, "import.no_header", {opt.file}, opt.file);
  report.header_row = row_numbers[header];
  std::map<size_t, std::string> columns;  // column index → field
  std::vector<std::string> header_text = rows[header];
  for (size_t c = 0; c < header_text.size(); ++c) {
    std::string f = FieldForHeader(header_text[c]);
    std::string shown = Trim(header_text[c]);
    if (f.empty() || std::any_of(columns.begin(), columns.end(),
                                 [&](const auto& kv) { return kv.second == f; })) {
      if (!shown.empty()) report.unmapped.push_back(shown);
      continue;
    }
    columns[c] = f;
    report.mapping.emplace_back(shown, f);
  }

  MAMORI_ASSIGN_OR_RETURN(auto existing, ledger.AllAssets(scope));
  std::map<std::string, size_t> by_serial, by_mac, by_host, by_name;
  for (size_t i = 0; i < existing.size(); ++i) {
    const auto& a = existing[i];
    if (!a.serial.empty()) by_serial.emplace(MatchKey(a.serial), i);
    for (const auto& m : a.macs) by_mac.emplace(m, i);
    if (!a.computer_name.empty()) by_host.emplace(MatchKey(a.computer_name), i);
    by_name.emplace(a.category + "\t" + MatchKey(a.name), i);
  }

  std::vector<LedgerService::Change> changes;
  std::set<size_t> matched;
  std::map<std::string, int> hosts_in_file;
  for (size_t r = header + 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    int line = row_numbers[r];
    // A row is blank when every mapped column is empty (a pre-numbered "No." column alone is
    // how unused rows of hospital ledgers look).
    bool blank = std::all_of(columns.begin(), columns.end(), [&](const auto& kv) {
      return kv.first >= row.size() || Trim(row[kv.first]).empty();
    });
    if (blank) continue;
    Asset a;
    a.category = "other";
    bool row_ok = true;
    auto fail = [&](size_t col, Error e) {
      report.errors.push_back(
          {opt.sheet, line, col < header_text.size() ? Trim(header_text[col]) : "", std::move(e)});
      row_ok = false;
    };
    for (const auto& [col, field] : columns) {
      // Codes and keys are NFKC-normalised (full-width "ＥＭＲ－ＰＣ０１" is EMR-PC01); free
      // text (names, places, makers) is kept as the hospital wrote it, only trimmed, so an
      // export read back changes nothing.
      bool code = field == "computer_name" || field == "serial";
      std::string raw = col < row.size() ? row[col] : "";
      std::string v = Trim(code ? Nfkc(raw) : raw);
      if (field == "category") {
        a.category = CategoryValue(v);
        if (a.category.empty())
          fail(col, MakeError(ErrorCode::kInvalidArgument, "ledger.bad_category", {v}));
      } else if (field == "remote_maintenance") {
        a.remote_maintenance = RemoteValue(v);
        if (a.remote_maintenance.empty())
          fail(col, MakeError(ErrorCode::kInvalidArgument, "import.bad_remote", {v}));
      } else if (field == "ips") {
        for (const auto& ip : SplitList(v)) {
          if (!IsValidIp(ip))
            fail(col, MakeError(ErrorCode::kInvalidArgument, "ledger.bad_ip", {ip}));
          else
            a.ips.push_back(ip);
        }
      } else if (field == "macs") {
        for (const auto& m : SplitList(v)) {
          std::string mac = NormaliseMac(m);
          if (mac.empty())
            fail(col, MakeError(ErrorCode::kInvalidArgument, "ledger.bad_mac", {m}));
          else
            a.macs.push_back(mac);
        }
      } else {
        a.*(AssetTextFields().at(field)) = v;
      }
    }
    if (a.name.empty()) a.name = a.computer_name;
    if (a.name.empty()) {
      size_t col = 0;
      for (const auto& [c, f] : columns)
        if (f == "name" || f == "computer_name") col = c;
      fail(col, MakeError(ErrorCode::kInvalidArgument, "import.no_name"));
    }
    if (!a.computer_name.empty()) {
      std::string key = MatchKey(a.computer_name);
      if (auto it = hosts_in_file.find(key); it != hosts_in_file.end()) {
        size_t col = 0;
        for (const auto& [c, f] : columns)
          if (f == "computer_name") col = c;
        fail(col, MakeError(ErrorCode::kInvalidArgument, "import.duplicate_host",
                            {a.computer_name, std::to_string(it->second)}));
      } else {
        hosts_in_file.emplace(key, line);
      }
    }
    if (!row_ok) continue;
    // Natural keys, strongest first: serial number, MAC address, computer name.
    std::optional<size_t> match;
    if (!a.serial.empty())
      if (auto it = by_serial.find(MatchKey(a.serial)); it != by_serial.end()) match = it->second;
    for (const auto& m : a.macs)
      if (!match)
        if (auto it = by_mac.find(m); it != by_mac.end()) match = it->second;
    if (!match && !a.computer_name.empty())
      if (auto it = by_host.find(MatchKey(a.computer_name)); it != by_host.end())
        match = it->second;
    // Rows with none of those keys (a CT scanner or a cloud service listed by name only) match
    // by category and name, so re-importing the same file changes nothing.
    if (!match && a.serial.empty() && a.macs.empty() && a.computer_name.empty())
      if (auto it = by_name.find(a.category + "\t" + MatchKey(a.name)); it != by_name.end())
        match = it->second;
    if (match && matched.contains(*match)) match.reset();  // two rows, one asset: keep both
    if (!match) {
      changes.push_back({std::nullopt, a});
      ++report.created;
      continue;
    }
    matched.insert(*match);
    const Asset& before = existing[*match];
    Asset after = before;  // fields the file does not have keep their stored values
    for (const auto& [col, field] : columns) {
      (void)col;
      if (field == "ips")
        after.ips = a.ips;
      else if (field == "macs")
        after.macs = a.macs;
      else
        after.*(AssetTextFields().at(field)) = a.*(AssetTextFields().at(field));
    }
    if (SameImportedFields(before, after)) {
      ++report.unchanged;
    } else {
      changes.push_back({before, after});
      ++report.updated;
    }
  }
  if (opt.strict && !report.errors.empty()) {
    report.created = report.updated = report.unchanged = 0;
    return report;
  }
  if (!opt.dry_run && !changes.empty()) {
    std::string source = opt.file + (opt.sheet.empty() ? "" : "#" + opt.sheet);
    MAMORI_RETURN_IF_ERROR(ledger.ApplyChanges(scope, changes, source));
  }
  return report;
}

}  // namespace mamori::ledger::import
