// An nmap scan (XML) merged into the ledger: hosts that match an asset (by MAC, then IP, then
// computer name) get their sighting (discovery source "nmap", last seen, a MAC or IP the ledger
// lacked, the services' software with CPEs); hosts that match none become 台帳未登録 for a
// person to accept or ignore. Nothing the hospital wrote in the ledger is overwritten.
#pragma once

#include <string>
#include <string_view>

#include "formats/nmap.hpp"
#include "ledger/ledger_service.hpp"

namespace mamori::ledger::import {

struct NmapImportOptions {
  std::string file;
  bool dry_run = false;
};

struct NmapImportReport {
  std::string nmap_version;
  std::string args;
  int hosts_up = 0;
  int hosts_down = 0;
  int matched = 0;
  int updated = 0;
  int unmatched = 0;
  int new_pending = 0;
  struct HostLine {
    std::string address;
    std::string match;  // "asset 12 EMR-DB01 (mac)" or "" for 台帳未登録
    int open_ports = 0;
  };
  std::vector<HostLine> hosts;
  bool dry_run = false;
  [[nodiscard]] Json ToJson() const;
};

Result<NmapImportReport> ImportNmap(LedgerService& ledger, const Scope& scope,
                                    std::string_view bytes, const NmapImportOptions& opt);

}  // namespace mamori::ledger::import
