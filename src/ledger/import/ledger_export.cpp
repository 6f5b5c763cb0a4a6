#include "ledger/import/ledger_export.hpp"

#include <map>

#include "core/text.hpp"
#include "formats/csv_reader.hpp"

namespace mamori::ledger::import {

namespace {
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

Result<std::string> ExportCsv(const std::vector<Asset>& assets, const ExportNames& names,
                              const std::string& encoding) {
  // Headers are names the importer maps (docs/formats/ledger-import.md); 事業者 and
  // 医療情報システム are informative and not read back.
  std::string out =
      "区分,名称,ホスト名,メーカー,機種,シリアル番号,OS,OSバージョン,IPアドレス,MACアドレス,"
      "設置場所,利用者,リモート保守,事業者,医療情報システム\r\n";
  for (const auto& a : assets) {
    auto name_of = [](const std::map<int64_t, std::string>& m, const std::optional<int64_t>& id) {
      if (!id) return std::string();
      auto it = m.find(*id);
      return it == m.end() ? std::string() : it->second;
    };
    const std::string cells[] = {CategoryJa(a.category),
                                 a.name,
                                 a.computer_name,
                                 a.maker,
                                 a.model,
                                 a.serial,
                                 a.os,
                                 a.os_version,
                                 Join(a.ips),
                                 Join(a.macs),
                                 a.location,
                                 a.user_dept,
                                 RemoteJa(a.remote_maintenance),
                                 name_of(names.vendors, a.vendor_id),
                                 name_of(names.systems, a.system_id)};
    bool first = true;
    for (const auto& c : cells) {
      if (!first) out += ',';
      out += CsvField(c);
      first = false;
    }
    out += "\r\n";
  }
  if (encoding == "cp932") return formats::ToCp932(out);
  return "\xEF\xBB\xBF" + out;
}

}  // namespace mamori::ledger::import
