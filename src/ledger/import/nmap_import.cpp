#include "ledger/import/nmap_import.hpp"

#include <algorithm>
#include <map>

#include "core/text.hpp"

namespace mamori::ledger::import {

Json NmapImportReport::ToJson() const {
  Json list = Json::array();
  for (const auto& h : hosts)
    list.push_back({{"address", h.address},
                    {"match", h.match.empty() ? Json(nullptr) : Json(h.match)},
                    {"open_ports", h.open_ports}});
  return Json{{"format", "nmap"},
              {"nmap_version", nmap_version},
              {"args", args},
              {"hosts_up", hosts_up},
              {"hosts_down", hosts_down},
              {"matched", matched},
              {"updated", updated},
              {"unmatched", unmatched},
              {"new_pending", new_pending},
              {"hosts", list},
              {"dry_run", dry_run}};
}

namespace {

// The software a scan saw: one component per open service nmap identified a product for.
std::vector<SoftwareComponent> ServiceSoftware(const formats::NmapHost& h) {
  std::vector<SoftwareComponent> out;
  for (const auto& s : h.services) {
    if (s.state != "open" || s.product.empty()) continue;
    SoftwareComponent c;
    c.source = "nmap";
    c.name = s.product;
    c.version = s.version;
    if (!s.cpes.empty()) c.cpe = s.cpes.front();
    c.raw = s.protocol + "/" + std::to_string(s.port) + " " + s.name;
    out.push_back(std::move(c));
  }
  return out;
}

std::string ShortName(const std::string& host) {
  return MatchKey(host.substr(0, host.find('.')));
}

}  // namespace

Result<NmapImportReport> ImportNmap(LedgerService& ledger, const Scope& scope,
                                    std::string_view bytes, const NmapImportOptions& opt) {
  MAMORI_ASSIGN_OR_RETURN(auto scan, formats::ReadNmapXml(bytes, opt.file));
  NmapImportReport report;
  report.dry_run = opt.dry_run;
  report.nmap_version = scan.version;
  report.args = scan.args;
  report.hosts_up = static_cast<int>(scan.hosts.size());
  report.hosts_down = scan.hosts_down;

  MAMORI_ASSIGN_OR_RETURN(auto assets, ledger.AllAssets(scope));
  std::map<std::string, size_t> by_mac, by_ip, by_host;
  for (size_t i = 0; i < assets.size(); ++i) {
    for (const auto& m : assets[i].macs) by_mac.emplace(m, i);
    for (const auto& ip : assets[i].ips) by_ip.emplace(ip, i);
    if (!assets[i].computer_name.empty()) by_host.emplace(ShortName(assets[i].computer_name), i);
  }
  std::vector<LedgerService::Change> changes;
  std::vector<DiscoveredHost> unmatched;
  for (const auto& h : scan.hosts) {
    NmapImportReport::HostLine line;
    line.address = !h.ipv4.empty() ? h.ipv4 : !h.ipv6.empty() ? h.ipv6 : h.mac;
    line.open_ports = static_cast<int>(std::count_if(
        h.services.begin(), h.services.end(), [](const auto& s) { return s.state == "open"; }));
    // MAC first (the strongest), then IP, then the host name nmap resolved.
    const Asset* match = nullptr;
    std::string how;
    if (auto it = by_mac.find(h.mac); !h.mac.empty() && it != by_mac.end()) {
      match = &assets[it->second];
      how = "mac";
    }
    for (const auto* ip : {&h.ipv4, &h.ipv6})
      if (auto it = by_ip.find(*ip); match == nullptr && !ip->empty() && it != by_ip.end()) {
        match = &assets[it->second];
        how = "ip";
      }
    for (const auto& n : h.hostnames)
      if (auto it = by_host.find(ShortName(n)); match == nullptr && it != by_host.end()) {
        match = &assets[it->second];
        how = "hostname";
      }
    if (match == nullptr) {
      ++report.unmatched;
      DiscoveredHost d;
      d.ip = line.address == h.mac ? "" : line.address;
      d.mac = h.mac;
      d.mac_vendor = h.mac_vendor;
      d.hostnames = h.hostnames;
      d.os_guess = h.os_guess;
      for (const auto& s : h.services) {
        if (s.state != "open") continue;
        d.services.push_back({{"port", s.port},
                              {"protocol", s.protocol},
                              {"name", s.name},
                              {"product", s.product},
                              {"version", s.version},
                              {"cpe", s.cpes.empty() ? "" : s.cpes.front()}});
      }
      d.source = "nmap";
      d.first_seen = d.last_seen = h.seen;
      unmatched.push_back(std::move(d));
      report.hosts.push_back(std::move(line));
      continue;
    }
    ++report.matched;
    line.match = "asset " + std::to_string(match->id) + " " + match->name + " (" + how + ")";
    report.hosts.push_back(std::move(line));
    // What the scan adds; what the hospital wrote stays.
    Asset after = *match;
    if (std::find(after.discovery_sources.begin(), after.discovery_sources.end(), "nmap") ==
        after.discovery_sources.end())
      after.discovery_sources.emplace_back("nmap");
    after.last_seen = std::max(after.last_seen, h.seen);
    if (after.macs.empty() && !h.mac.empty()) after.macs.push_back(h.mac);
    if (after.ips.empty() && !h.ipv4.empty()) after.ips.push_back(h.ipv4);
    auto software = ServiceSoftware(h);
    std::vector<SoftwareComponent> before_nmap;
    for (const auto& c : match->software)
      if (c.source == "nmap" && !c.via_model) before_nmap.push_back(c);
    bool same = after.discovery_sources == match->discovery_sources &&
                after.last_seen == match->last_seen && after.macs == match->macs &&
                after.ips == match->ips && before_nmap == software;
    if (same) continue;
    ++report.updated;
    LedgerService::Change c;
    c.before = *match;
    c.after = std::move(after);
    c.ledger_software = std::move(software);
    c.software_source = "nmap";
    changes.push_back(std::move(c));
  }
  if (opt.dry_run) {
    // Count what would be new without writing.
    MAMORI_ASSIGN_OR_RETURN(auto known, ledger.ListDiscovered(scope, ""));
    for (const auto& d : unmatched) {
      bool seen = std::any_of(known.begin(), known.end(),
                              [&](const DiscoveredHost& k) { return SameDevice(d, k); });
      if (!seen) ++report.new_pending;
    }
    return report;
  }
  if (!changes.empty()) MAMORI_RETURN_IF_ERROR(ledger.ApplyChanges(scope, changes, opt.file));
  MAMORI_ASSIGN_OR_RETURN(auto created, ledger.RecordDiscovered(scope, unmatched, opt.file));
  report.new_pending = static_cast<int>(created);
  return report;
}

}  // namespace mamori::ledger::import
