#include "ledger/import/ledger_export.hpp"

#include <map>

#include "core/text.hpp"
#include "formats/csv_reader.hpp"

namespace mamori::ledger::import {

const char* CategoryJa(const std::string& c) {
  static const std::map<std::string, const char*> kNames = {{"server", "サーバ"},
                                                            {"pc", "端末PC"},
                                                            {"network", "ネットワーク機器"},
                                                            {"medical", "医療機器"},
                                                            {"cloud", "クラウドサービス"},
                                                            {"other", "その他"}};
  auto it = kNames.find(c);
  return it == kNames.end() ? "その他" : it->second;
}

const char* RemoteJa(const std::string& r) {
  return r == "yes" ? "あり" : r == "no" ? "なし" : "不明";
}

namespace {

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += '\n';  // one per line inside the cell, as people type them
    out += s;
  }
  return out;
}
}  // namespace

Result<ExportNames> NamesOf(LedgerService& ledger, const Scope& scope) {
  ExportNames names;
  MAMORI_ASSIGN_OR_RETURN(auto vendors, ledger.ListVendors(scope));
  for (const auto& v : vendors) names.vendors[v.id] = v.name;
  MAMORI_ASSIGN_OR_RETURN(auto systems, ledger.ListSystems(scope));
  for (const auto& s : systems) names.systems[s.id] = s.name;
  return names;
}

namespace {

std::string NameOf(const std::map<int64_t, std::string>& m, const std::optional<int64_t>& id) {
  if (!id) return {};
  auto it = m.find(*id);
  return it == m.end() ? std::string() : it->second;
}

// The ledger's own software entries (not those from SBOMs, which have their own import), one per
// line as they were written.
std::string SoftwareCell(const Asset& a) {
  std::vector<std::string> lines;
  for (const auto& c : a.software) {
    if (c.source != "ledger" || c.via_model) continue;
    lines.push_back(!c.raw.empty() ? c.raw : Trim(c.name + " " + c.version));
  }
  return Join(lines);
}

}  // namespace

const std::vector<ExportColumn>& ExportColumns() {
  // Every header is a name the importer maps (docs/formats/ledger-import.md), so an export read
  // back changes nothing.
  using N = ExportNames;
  static const std::vector<ExportColumn> kColumns = {
      {"区分", [](const Asset& a, const N&) { return std::string(CategoryJa(a.category)); }},
      {"名称", [](const Asset& a, const N&) { return a.name; }},
      {"ホスト名", [](const Asset& a, const N&) { return a.computer_name; }},
      {"メーカー", [](const Asset& a, const N&) { return a.maker; }},
      {"機種", [](const Asset& a, const N&) { return a.model; }},
      {"シリアル番号", [](const Asset& a, const N&) { return a.serial; }},
      {"OS", [](const Asset& a, const N&) { return a.os; }},
      {"OSバージョン", [](const Asset& a, const N&) { return a.os_version; }},
      {"IPアドレス", [](const Asset& a, const N&) { return Join(a.ips); }},
      {"MACアドレス", [](const Asset& a, const N&) { return Join(a.macs); }},
      {"設置場所", [](const Asset& a, const N&) { return a.location; }},
      {"利用者", [](const Asset& a, const N&) { return a.user_dept; }},
      {"事業者", [](const Asset& a, const N& n) { return NameOf(n.vendors, a.vendor_id); }},
      {"医療情報システム",
       [](const Asset& a, const N& n) { return NameOf(n.systems, a.system_id); }},
      {"主なソフトウェア", [](const Asset& a, const N&) { return SoftwareCell(a); }},
      {"導入日", [](const Asset& a, const N&) { return a.purchase_date; }, true},
      {"サポート終了日", [](const Asset& a, const N&) { return a.support_end; }, true},
      {"リモート保守",
       [](const Asset& a, const N&) { return std::string(RemoteJa(a.remote_maintenance)); }},
      {"リモート保守方式", [](const Asset& a, const N&) { return a.remote_method; }},
      {"接続元", [](const Asset& a, const N&) { return Join(a.remote_allowed_sources); }},
      {"リモート保守確認日", [](const Asset& a, const N&) { return a.remote_confirmed_on; }, true},
      {"備考", [](const Asset& a, const N&) { return a.notes; }},
  };
  return kColumns;
}

Result<std::string> ExportCsv(const std::vector<Asset>& assets, const ExportNames& names,
                              const std::string& encoding) {
  std::string out;
  bool first = true;
  for (const auto& col : ExportColumns()) {
    if (!first) out += ',';
    out += CsvField(col.header);
    first = false;
  }
  out += "\r\n";
  for (const auto& a : assets) {
    first = true;
    for (const auto& col : ExportColumns()) {
      if (!first) out += ',';
      out += CsvField(col.get(a, names));
      first = false;
    }
    out += "\r\n";
  }
  if (encoding == "cp932") return formats::ToCp932(out);
  return "\xEF\xBB\xBF" + out;
}

}  // namespace mamori::ledger::import
