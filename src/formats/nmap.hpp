// nmap's XML output (-oX; -sV and -O add services, CPEs and OS guesses), read into hosts. Used by
// the ledger to find devices that are on the network but not in the ledger (台帳未登録), and to
// confirm when listed ones were last seen.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace mamori::formats {

struct NmapService {
  std::string protocol;  // tcp | udp
  int port = 0;
  std::string state;  // open | closed | filtered…
  std::string name;   // http, dicom, hl7…
  std::string product;
  std::string version;
  std::string extrainfo;
  std::vector<std::string> cpes;  // as nmap writes them (CPE 2.2 URIs, "cpe:/a:…")
  std::vector<std::pair<std::string, std::string>> scripts;  // id → output (e.g. dicom-ping)
};

struct NmapHost {
  std::string ipv4;
  std::string ipv6;
  std::string mac;  // "00:1a:…" lower case
  std::string mac_vendor;
  std::vector<std::string> hostnames;
  std::string os_guess;  // best osmatch name
  int os_accuracy = 0;
  std::vector<std::string> os_cpes;
  std::vector<NmapService> services;  // every port nmap reported (open ones first as listed)
  UnixMillis seen = 0;                // host endtime, else the scan's start
};

struct NmapScan {
  std::string version;  // nmap version
  std::string args;     // the command line
  UnixMillis started = 0;
  std::vector<NmapHost> hosts;  // hosts that were up
  int hosts_down = 0;
};

bool LooksLikeNmap(std::string_view bytes);
Result<NmapScan> ReadNmapXml(std::string_view bytes, const std::string& file);

}  // namespace mamori::formats
