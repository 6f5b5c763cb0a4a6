#include "ledger/completeness.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

namespace mamori::ledger {

std::string DaysBefore(const std::string& iso, int n) {
  using namespace std::chrono;
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  if (std::sscanf(iso.c_str(), "%d-%u-%u", &y, &m, &d) != 3) return iso;
  year_month_day ymd(sys_days(year_month_day{year(y), month(m), day(d)}) - days(n));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
                unsigned(ymd.day()));
  return buf;
}

bool SupportEnded(const Asset& a, const std::string& today) {
  return !a.support_end.empty() && a.support_end < today;
}

bool NeedsRemoteAttention(const Asset& a, const std::string& oldest_ok) {
  return (a.remote_maintenance == "unknown" && a.vendor_id) ||
         (a.remote_maintenance == "yes" &&
          (a.remote_confirmed_on.empty() || a.remote_confirmed_on < oldest_ok ||
           a.remote_source_restricted != "yes"));
}

namespace {

Json Refs(const std::vector<Completeness::SystemRef>& v) {
  Json out = Json::array();
  for (const auto& r : v) out.push_back({{"id", r.id}, {"name", r.name}});
  return out;
}

Json StateJson(const CategoryState& s) {
  return Json{{"total", s.total},
              {"incomplete", s.incomplete},
              {"missing", s.missing},
              {"support_ended", s.support_ended},
              {"remote_yes", s.remote_yes},
              {"remote_unknown", s.remote_unknown},
              {"remote_unconfirmed", s.remote_unconfirmed},
              {"remote_unrestricted", s.remote_unrestricted},
              {"complete_ratio",
               s.total == 0 ? 1.0 : static_cast<double>(s.total - s.incomplete) / s.total}};
}

}  // namespace

Json Completeness::ToJson() const {
  Json cats = Json::object();
  for (const auto& [c, s] : by_category) cats[c] = StateJson(s);
  return Json{{"today", today},
              {"confirm_interval_days", confirm_interval_days},
              {"overall", StateJson(overall)},
              {"by_category", cats},
              {"incomplete_ids", incomplete_ids},
              {"support_ended_ids", support_ended_ids},
              {"remote_attention_ids", remote_attention_ids},
              {"systems",
               {{"vendor_systems", vendor_systems},
                {"missing_mds", Refs(missing_mds)},
                {"missing_sds", Refs(missing_sds)}}},
              {"pending_discovered", pending_discovered}};
}

Result<Completeness> LedgerCompleteness(LedgerService& ledger, const Scope& scope,
                                        const std::string& today, int confirm_interval_days) {
  MAMORI_ASSIGN_OR_RETURN(auto assets, ledger.AllAssets(scope));
  return LedgerCompleteness(ledger, scope, assets, today, confirm_interval_days);
}

Result<Completeness> LedgerCompleteness(LedgerService& ledger, const Scope& scope,
                                        const std::vector<Asset>& assets, const std::string& today,
                                        int confirm_interval_days) {
  Completeness c = ComputeCompleteness(assets, today, confirm_interval_days);
  MAMORI_ASSIGN_OR_RETURN(auto systems, ledger.ListSystems(scope));
  MAMORI_ASSIGN_OR_RETURN(auto docs, ledger.ListSystemDocuments(scope));
  for (const auto& s : systems) {
    if (!s.vendor_id) continue;
    ++c.vendor_systems;
    auto has = [&](const char* kind) {
      return std::any_of(docs.begin(), docs.end(), [&](const SystemDocument& d) {
        return d.system_id == s.id && d.kind == kind;
      });
    };
    if (!has("mds")) c.missing_mds.push_back({s.id, s.name});
    if (!has("sds")) c.missing_sds.push_back({s.id, s.name});
  }
  MAMORI_ASSIGN_OR_RETURN(auto pending, ledger.ListDiscovered(scope, "pending"));
  c.pending_discovered = static_cast<int>(pending.size());
  return c;
}

Completeness ComputeCompleteness(const std::vector<Asset>& assets, const std::string& today,
                                 int confirm_interval_days) {
  Completeness c;
  c.today = today;
  c.confirm_interval_days = confirm_interval_days;
  std::string oldest_ok = DaysBefore(today, confirm_interval_days);
  for (const char* cat : {"server", "pc", "network", "medical", "cloud", "other"})
    c.by_category[cat];
  for (const auto& a : assets) {
    for (CategoryState* s : {&c.by_category[a.category], &c.overall}) {
      ++s->total;
      auto missing = MissingFields(a);
      if (!missing.empty()) ++s->incomplete;
      for (const auto& f : missing) ++s->missing[f];
      if (SupportEnded(a, today)) ++s->support_ended;
      if (a.remote_maintenance == "yes") {
        ++s->remote_yes;
        if (a.remote_confirmed_on.empty() || a.remote_confirmed_on < oldest_ok)
          ++s->remote_unconfirmed;
        if (a.remote_source_restricted != "yes") ++s->remote_unrestricted;
      }
      if (a.remote_maintenance == "unknown") ++s->remote_unknown;
    }
    if (!MissingFields(a).empty()) c.incomplete_ids.push_back(a.id);
    if (!a.support_end.empty() && a.support_end < today) c.support_ended_ids.push_back(a.id);
    bool remote_attention = (a.remote_maintenance == "unknown" && a.vendor_id) ||
                            (a.remote_maintenance == "yes" &&
                             (a.remote_confirmed_on.empty() || a.remote_confirmed_on < oldest_ok ||
                              a.remote_source_restricted != "yes"));
    if (remote_attention) c.remote_attention_ids.push_back(a.id);
  }
  return c;
}

const char* MissingFieldJa(const std::string& f) {
  static const std::map<std::string, const char*> kNames = {
      {"maker", "メーカー"},
      {"model", "機種"},
      {"os", "OS"},
      {"os_version", "OSバージョン"},
      {"software", "ソフトウェア"},
      {"ips", "IPアドレス"},
      {"computer_name", "ホスト名"},
      {"location", "設置場所"},
      {"user", "利用者"},
      {"remote_maintenance", "リモート保守の有無"}};
  auto it = kNames.find(f);
  return it == kNames.end() ? "" : it->second;
}

}  // namespace mamori::ledger
