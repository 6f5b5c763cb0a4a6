#include "ledger/import/ledger_import.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/text.hpp"
#include "formats/csv_reader.hpp"
#include "formats/nmap.hpp"
#include "formats/sbom.hpp"
#include "formats/xlsx_reader.hpp"

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
      {"serial",
       {"シリアル", "シリアル番号", "シリアルno", "シリアルno.", "製造番号", "製造no", "製造no.",
        "s/n", "sn", "serial", "serialnumber"}},
      {"os", {"os", "オペレーティングシステム"}},
      {"os_version", {"osバージョン", "osのバージョン", "バージョン", "osversion"}},
      {"ips", {"ipアドレス", "ip", "ipaddress"}},
      {"macs", {"macアドレス", "mac", "macaddress"}},
      {"location", {"設置場所", "場所", "設置先", "所在", "所在地", "location"}},
      {"user",
       {"利用者", "使用者", "部署", "利用部署", "使用部署", "担当部署", "管理部署", "user"}},
      {"remote_maintenance",
       {"リモート保守", "リモートメンテナンス", "リモート保守有無", "リモート保守の有無",
        "リモートメンテナンス有無", "リモート"}},
      {"remote_method",
       {"リモート保守方式", "リモート保守の方法", "接続方式", "リモート接続方式",
        "リモート接続方法", "保守回線"}},
      {"remote_allowed_sources", {"接続元", "許可接続元", "接続元ip", "接続元制限"}},
      {"remote_confirmed_on", {"リモート保守確認日", "確認日", "最終確認日"}},
      {"software",
       {"主なソフトウェア", "ソフトウェア", "主要ソフトウェア", "導入ソフト", "導入ソフトウェア",
        "インストールソフト", "アプリケーション", "software"}},
      {"purchase_date", {"導入日", "購入日", "導入年月日", "購入年月日", "設置日", "納入日"}},
      {"support_end",
       {"サポート終了日", "サポート期限", "保守期限", "保守終了日", "保守契約終了日",
        "サポート終了", "eos", "eol", "supportend"}},
      {"vendor",
       {"保守業者", "保守事業者", "事業者", "ベンダー", "ベンダ", "保守会社", "販売業者",
        "納入業者", "vendor"}},
      {"system",
       {"医療情報システム", "システム", "システム名", "所属システム", "関連システム", "system"}},
      {"notes", {"備考", "メモ", "notes"}},
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
  auto is_sep = [&](size_t i) {
    return i == n.size() || n[i] == ',' || n[i] == ';' || n[i] == ' ' || n[i] == '\n' ||
           n[i] == '\r' || n[i] == '/' || n.compare(i, 3, "、") == 0;
  };
  // "/" separates items ("PC/サーバ") except in a network's prefix length (198.51.100.0/24).
  auto is_prefix = [&](size_t i) {
    if (n[i] != '/' || cur.find_first_of(".:") == std::string::npos) return false;
    size_t j = i + 1;
    while (j < n.size() && j - i <= 3 && std::isdigit(static_cast<unsigned char>(n[j]))) ++j;
    return j > i + 1 && j - i <= 4 && (j == n.size() || (n[j] != '/' && is_sep(j)));
  };
  for (size_t i = 0; i <= n.size(); ++i) {
    bool sep = is_sep(i) && !(i < n.size() && is_prefix(i));
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

std::vector<SoftwareComponent> FromSource(const std::vector<SoftwareComponent>& all,
                                          const std::string& source) {
  std::vector<SoftwareComponent> out;
  for (const auto& c : all)
    if (c.source == source && !c.via_model) out.push_back(c);
  return out;
}

// Comparing what an import may set decides "unchanged" (timestamps and where the asset was
// seen aside: being listed in the ledger again is not a change).
bool SameAsset(const Asset& a, const Asset& b) {
  Json ja = a.ToJson();
  Json jb = b.ToJson();
  for (auto* j : {&ja, &jb}) {
    j->erase("updated_at");
    j->erase("software");
    j->erase("discovery_sources");
    j->erase("last_seen");
  }
  return ja == jb && FromSource(a.software, "ledger") == FromSource(b.software, "ledger");
}

}  // namespace

std::string FieldForHeader(std::string_view header) {
  std::string k = MatchKey(header);
  for (const auto& a : Aliases())
    for (const char* n : a.names)
      if (k == MatchKey(n)) return a.field;
  return {};
}

const std::vector<std::string>& ImportFields() {
  static const std::vector<std::string> kFields = [] {
    std::vector<std::string> v;
    for (const auto& a : Aliases()) v.emplace_back(a.field);
    return v;
  }();
  return kFields;
}

Result<std::map<std::string, std::string>> ParseMappingArgs(const std::vector<std::string>& args) {
  std::map<std::string, std::string> out;
  for (const auto& arg : args) {
    auto eq = arg.rfind('=');
    std::string header = eq == std::string::npos ? "" : Trim(arg.substr(0, eq));
    std::string field = eq == std::string::npos ? "" : Trim(arg.substr(eq + 1));
    bool known = field.empty() || std::find(ImportFields().begin(), ImportFields().end(), field) !=
                                      ImportFields().end();
    if (header.empty() || !known) {
      std::string fields;
      for (const auto& f : ImportFields()) fields += (fields.empty() ? "" : ", ") + f;
      return MakeError(ErrorCode::kInvalidArgument, "import.bad_mapping", {arg, fields}, "--map");
    }
    out[header] = field;
  }
  return out;
}

Json ImportReport::ToJson(Lang lang) const {
  Json errs = Json::array();
  for (const auto& e : errors)
    errs.push_back({{"sheet", e.sheet},
                    {"row", e.row},
                    {"column", e.column},
                    {"message", e.error.Message(lang)},
                    {"key", e.error.key}});
  Json sheet_list = Json::array();
  for (const auto& t : tables) {
    Json map = Json::object();
    for (const auto& [h, f] : t.mapping) map[h] = f;
    Json cols = Json::array();
    for (const auto& [h, f] : t.columns) cols.push_back({{"header", h}, {"field", f}});
    sheet_list.push_back({{"sheet", t.sheet},
                          {"columns", cols},
                          {"header_row", t.header_row},
                          {"mapping", map},
                          {"unmapped", t.unmapped},
                          {"rows", t.rows}});
  }
  Json first_map = Json::object();
  if (!tables.empty())
    for (const auto& [h, f] : tables[0].mapping) first_map[h] = f;
  Json j{{"created", created},
         {"updated", updated},
         {"unchanged", unchanged},
         {"errors", errs},
         {"new_vendors", new_vendors},
         {"new_systems", new_systems},
         {"format", format},
         {"dry_run", dry_run},
         {"tables", sheet_list},
         // The first table's header, for files with one (CSV).
         {"header_row", tables.empty() ? 0 : tables[0].header_row},
         {"mapping", first_map},
         {"unmapped", tables.empty() ? Json::array() : Json(tables[0].unmapped)}};
  Json ch = Json::array();
  for (const auto& c : changed)
    ch.push_back({{"asset_id", c.asset_id}, {"name", c.name}, {"fields", c.fields}});
  j["changed"] = ch;
  if (!encoding.empty()) j["encoding"] = encoding;
  if (!preview.empty()) {
    Json p = Json::array();
    for (const auto& a : preview) p.push_back(a.ToJsonWithCompleteness());
    j["preview"] = p;
  }
  return j;
}

namespace {

std::string FieldFor(const std::string& header, const std::map<std::string, std::string>& over) {
  if (auto it = over.find(Trim(header)); it != over.end()) return it->second;
  return FieldForHeader(header);
}

std::optional<size_t> FindHeader(const std::vector<std::vector<std::string>>& rows,
                                 const std::map<std::string, std::string>& over) {
  for (size_t r = 0; r < rows.size() && r < 30; ++r) {
    std::set<std::string> fields;
    for (const auto& cell : rows[r])
      if (auto f = FieldFor(cell, over); !f.empty()) fields.insert(f);
    if (fields.size() >= 2 && (fields.contains("name") || fields.contains("computer_name")))
      return r;
  }
  return std::nullopt;
}

// One import: the ledger as it was, what the file's rows make of it, and the report.
class Importer {
 public:
  Importer(LedgerService& ledger, const Scope& scope, const ImportOptions& opt)
      : ledger_(ledger), scope_(scope), opt_(opt) {}

  Status Load() {
    MAMORI_ASSIGN_OR_RETURN(existing_, ledger_.AllAssets(scope_));
    for (size_t i = 0; i < existing_.size(); ++i) {
      const auto& a = existing_[i];
      if (!a.serial.empty()) by_serial_.emplace(MatchKey(a.serial), i);
      for (const auto& m : a.macs) by_mac_.emplace(m, i);
      if (!a.computer_name.empty()) by_host_.emplace(MatchKey(a.computer_name), i);
      by_name_.emplace(a.category + "\t" + MatchKey(a.name), i);
    }
    // Vendors and systems are named in the file; names not yet in the ledger are created with
    // the import (and listed in the report).
    MAMORI_ASSIGN_OR_RETURN(auto vendors, ledger_.ListVendors(scope_));
    MAMORI_ASSIGN_OR_RETURN(auto systems, ledger_.ListSystems(scope_));
    for (const auto& v : vendors) vendor_ids_.emplace(MatchKey(v.name), v.id);
    for (const auto& x : systems) system_ids_.emplace(MatchKey(x.name), x.id);
    return Ok();
  }

  // False when the table has no header row.
  bool Table(const std::string& sheet, const std::vector<std::vector<std::string>>& rows,
             const std::vector<int>& numbers) {
    auto found = FindHeader(rows, opt_.mapping);
    if (!found) return false;
    size_t header = *found;
    ImportReport::TableInfo info;
    info.sheet = sheet;
    info.header_row = numbers[header];
    header_text_ = rows[header];
    columns_.clear();
    for (size_t c = 0; c < header_text_.size(); ++c) {
      std::string f = FieldFor(header_text_[c], opt_.mapping);
      std::string shown = Trim(header_text_[c]);
      if (f.empty() || std::any_of(columns_.begin(), columns_.end(),
                                   [&](const auto& kv) { return kv.second == f; })) {
        if (!shown.empty()) {
          info.unmapped.push_back(shown);
          info.columns.emplace_back(shown, "");
        }
        continue;
      }
      columns_[c] = f;
      info.mapping.emplace_back(shown, f);
      info.columns.emplace_back(shown, f);
    }
    sheet_ = sheet;
    for (size_t r = header + 1; r < rows.size(); ++r)
      if (Row(rows[r], numbers[r])) ++info.rows;
    report_.tables.push_back(std::move(info));
    return true;
  }

  ImportReport& Report() { return report_; }
  std::vector<LedgerService::Change>& Changes() { return changes_; }

 private:
  size_t ColumnOf(const std::string& field) const {
    for (const auto& [c, f] : columns_)
      if (f == field) return c;
    return 0;
  }

  // False for a blank row.
  bool Row(const std::vector<std::string>& row, int line) {
    // A row is blank when every mapped column is empty (a pre-numbered "No." column alone is
    // how unused rows of hospital ledgers look).
    bool blank = std::all_of(columns_.begin(), columns_.end(), [&](const auto& kv) {
      return kv.first >= row.size() || Trim(row[kv.first]).empty();
    });
    if (blank) return false;
    Asset a;
    a.category = "other";
    std::optional<std::vector<SoftwareComponent>> software;
    std::string vendor_name, system_name;
    bool row_ok = true;
    auto fail = [&](size_t col, Error e) {
      report_.errors.push_back(
          {sheet_, line, col < header_text_.size() ? Trim(header_text_[col]) : "", std::move(e)});
      row_ok = false;
    };
    for (const auto& [col, field] : columns_) {
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
      } else if (field == "remote_allowed_sources") {
        a.remote_allowed_sources = SplitList(v);
      } else if (field == "software") {
        software = ParseSoftwareCell(v);
      } else if (field == "vendor") {
        vendor_name = v;
      } else if (field == "system") {
        system_name = v;
      } else if (AssetDateFields().contains(field)) {
        if (v.empty()) continue;
        if (auto d = ParseCalendarDate(v))
          a.*(AssetDateFields().at(field)) = *d;
        else
          fail(col, MakeError(ErrorCode::kInvalidArgument, "ledger.bad_date", {v}));
      } else if (AssetTextFields().contains(field)) {
        a.*(AssetTextFields().at(field)) = v;
      }
    }
    if (a.name.empty()) a.name = a.computer_name;
    if (a.name.empty()) {
      bool has_name = std::any_of(columns_.begin(), columns_.end(),
                                  [](const auto& kv) { return kv.second == "name"; });
      fail(ColumnOf(has_name ? "name" : "computer_name"),
           MakeError(ErrorCode::kInvalidArgument, "import.no_name"));
    }
    if (!a.computer_name.empty()) {
      std::string key = MatchKey(a.computer_name);
      if (auto it = hosts_in_file_.find(key); it != hosts_in_file_.end())
        fail(ColumnOf("computer_name"),
             MakeError(ErrorCode::kInvalidArgument, "import.duplicate_host",
                       {a.computer_name, it->second}));
      else
        hosts_in_file_.emplace(key, (sheet_.empty() ? "" : sheet_ + " ") + std::to_string(line));
    }
    if (!vendor_name.empty()) {
      std::string key = MatchKey(vendor_name);
      if (auto it = vendor_ids_.find(key); it != vendor_ids_.end()) {
        a.vendor_id = it->second;
      } else if (scope_.vendor_id) {
        fail(ColumnOf("vendor"), MakeError(ErrorCode::kPermissionDenied,
                                           "import.unknown_vendor_scoped", {vendor_name}));
      } else if (row_ok && new_vendor_keys_.insert(key).second) {
        report_.new_vendors.push_back(vendor_name);
      }
    }
    if (!system_name.empty()) {
      std::string key = MatchKey(system_name);
      if (auto it = system_ids_.find(key); it != system_ids_.end())
        a.system_id = it->second;
      else if (row_ok && new_system_keys_.insert(key).second)
        report_.new_systems.push_back(system_name);
    }
    if (!row_ok) return true;
    if (software) a.software = *software;
    a.discovery_sources = {"ledger"};

    // Natural keys, strongest first: serial number, MAC address, computer name. (An index with
    // a "none" value rather than std::optional: GCC 12 warns falsely on the optional here.)
    constexpr size_t kNone = SIZE_MAX;
    size_t match = kNone;
    auto lookup = [&](const std::map<std::string, size_t>& index, const std::string& key) {
      if (match != kNone) return;
      if (auto it = index.find(key); it != index.end()) match = it->second;
    };
    if (!a.serial.empty()) lookup(by_serial_, MatchKey(a.serial));
    for (const auto& m : a.macs) lookup(by_mac_, m);
    if (!a.computer_name.empty()) lookup(by_host_, MatchKey(a.computer_name));
    // Rows with none of those keys (a CT scanner or a cloud service listed by name only) match
    // by category and name, so re-importing the same file changes nothing.
    if (a.serial.empty() && a.macs.empty() && a.computer_name.empty())
      lookup(by_name_, a.category + "\t" + MatchKey(a.name));
    if (match != kNone && matched_.contains(match)) match = kNone;  // two rows, one asset

    LedgerService::Change change;
    change.ledger_software = software;
    change.vendor_name = a.vendor_id ? "" : vendor_name;
    change.system_name = a.system_id ? "" : system_name;
    if (match == kNone) {
      change.after = a;
      report_.preview.push_back(a);
      changes_.push_back(std::move(change));
      ++report_.created;
      return true;
    }
    matched_.insert(match);
    const Asset& before = existing_[match];
    Asset after = before;  // fields the file does not have keep their stored values
    for (const auto& [col, field] : columns_) {
      (void)col;
      if (field == "ips") {
        after.ips = a.ips;
      } else if (field == "macs") {
        after.macs = a.macs;
      } else if (field == "remote_allowed_sources") {
        after.remote_allowed_sources = a.remote_allowed_sources;
      } else if (field == "software") {
        after.software = FromSource(before.software, "sbom");
        for (const auto& c : a.software) after.software.push_back(c);
      } else if (field == "vendor") {
        after.vendor_id = a.vendor_id;
      } else if (field == "system") {
        after.system_id = a.system_id;
      } else if (AssetDateFields().contains(field)) {
        after.*(AssetDateFields().at(field)) = a.*(AssetDateFields().at(field));
      } else if (AssetTextFields().contains(field)) {
        after.*(AssetTextFields().at(field)) = a.*(AssetTextFields().at(field));
      }
    }
    if (std::find(after.discovery_sources.begin(), after.discovery_sources.end(), "ledger") ==
        after.discovery_sources.end())
      after.discovery_sources.emplace_back("ledger");
    if (SameAsset(before, after) && change.vendor_name.empty() && change.system_name.empty()) {
      ++report_.unchanged;
    } else {
      // Which fields changed, by their JSON names (software compared as the ledger's entries).
      Json jb = before.ToJson();
      Json ja = after.ToJson();
      std::vector<std::string> fields;
      for (const auto& [k, v] : ja.items())
        if (k != "updated_at" && k != "software" && k != "discovery_sources" && k != "last_seen" &&
            jb[k] != v)
          fields.push_back(k);
      if (FromSource(before.software, "ledger") != FromSource(after.software, "ledger"))
        fields.emplace_back("software");
      if (!change.vendor_name.empty()) fields.emplace_back("vendor_id");
      if (!change.system_name.empty()) fields.emplace_back("system_id");
      report_.changed.push_back({before.id, before.name, std::move(fields)});
      change.before = before;
      change.after = after;
      report_.preview.push_back(after);
      changes_.push_back(std::move(change));
      ++report_.updated;
    }
    return true;
  }

  LedgerService& ledger_;
  const Scope& scope_;
  const ImportOptions& opt_;
  ImportReport report_;
  std::vector<Asset> existing_;
  std::map<std::string, size_t> by_serial_, by_mac_, by_host_, by_name_;
  std::map<std::string, int64_t> vendor_ids_, system_ids_;
  std::set<std::string> new_vendor_keys_, new_system_keys_;
  std::vector<LedgerService::Change> changes_;
  std::set<size_t> matched_;
  std::map<std::string, std::string> hosts_in_file_;  // key → "sheet row" first seen
  // The table being read.
  std::string sheet_;
  std::vector<std::string> header_text_;
  std::map<size_t, std::string> columns_;  // column index → field
};

}  // namespace

std::string DetectFormat(std::string_view bytes) {
  if (formats::LooksLikeZip(bytes) || bytes.starts_with("\xD0\xCF\x11\xE0")) return "xlsx";
  size_t i = bytes.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  while (i < bytes.size() && std::isspace(static_cast<unsigned char>(bytes[i]))) ++i;
  if (i < bytes.size() && (bytes[i] == '<' || bytes[i] == '{' || bytes[i] == '[')) {
    if (formats::LooksLikeNmap(bytes)) return "nmap";
    return formats::DetectSbomFormat(bytes);
  }
  return "csv";
}

Result<ImportReport> ImportTables(LedgerService& ledger, const Scope& scope,
                                  const std::vector<SheetRows>& tables, const ImportOptions& opt) {
  Importer imp(ledger, scope, opt);
  MAMORI_RETURN_IF_ERROR(imp.Load());
  for (const auto& t : tables) imp.Table(t.sheet, *t.rows, *t.row_numbers);
  ImportReport& report = imp.Report();
  report.dry_run = opt.dry_run;
  if (report.tables.empty()) {
    if (tables.size() == 1) {
      std::string where = opt.file + (tables[0].sheet.empty() ? "" : " [" + tables[0].sheet + "]");
      return MakeError(ErrorCode::kInvalidArgument, "import.no_header", {where}, opt.file);
    }
    return MakeError(ErrorCode::kInvalidArgument, "import.no_header_in_workbook", {opt.file},
                     opt.file);
  }
  if (opt.strict && !report.errors.empty()) {
    report.created = report.updated = report.unchanged = 0;
    report.new_vendors.clear();
    report.new_systems.clear();
    report.preview.clear();
    report.changed.clear();
    return std::move(report);
  }
  if (!opt.dry_run && !imp.Changes().empty())
    MAMORI_RETURN_IF_ERROR(ledger.ApplyChanges(scope, imp.Changes(), opt.file));
  if (!opt.preview) report.preview.clear();
  return std::move(report);
}

Result<ImportReport> ImportFile(LedgerService& ledger, const Scope& scope, std::string_view bytes,
                                const ImportOptions& opt) {
  std::string format = opt.format == "auto" ? DetectFormat(bytes) : opt.format;
  if (format == "csv") {
    MAMORI_ASSIGN_OR_RETURN(auto table, formats::ReadCsv(bytes, opt.file));
    MAMORI_ASSIGN_OR_RETURN(auto report,
                            ImportTables(ledger, scope, {{"", &table.rows, &table.lines}}, opt));
    report.format = "csv";
    report.encoding = formats::EncodingName(table.encoding);
    return report;
  }
  if (format != "xlsx")
    return MakeError(ErrorCode::kInvalidArgument, "import.unknown_format", {opt.file}, opt.file);
  MAMORI_ASSIGN_OR_RETURN(auto wb, formats::ReadXlsx(bytes, opt.file, opt.sheet));
  // Hospital workbooks have a cover sheet, the ledger (often one sheet per kind of device), a
  // change log…: without --sheet every visible sheet with a ledger header row is read.
  std::vector<SheetRows> tables;
  for (const auto& s : wb.sheets)
    if (opt.sheet.empty() ? !s.hidden : s.name == opt.sheet)
      tables.push_back({s.name, &s.rows, &s.row_numbers});
  MAMORI_ASSIGN_OR_RETURN(auto report, ImportTables(ledger, scope, tables, opt));
  report.format = "xlsx";
  return report;
}

}  // namespace mamori::ledger::import
