// Vulnerability intelligence files read offline (a hospital's closed network gets them on a USB
// stick): the CISA Known Exploited Vulnerabilities catalog (JSON) and the FIRST EPSS daily scores
// (CSV, "#model_version:…,score_date:…" then "cve,epss,percentile"). Errors name the file and the
// entry index or line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace mamori::vuln {

struct KevEntry {
  std::string cve;
  std::string vendor_project;
  std::string product;
  std::string name;
  std::string date_added;  // YYYY-MM-DD
  std::string short_description;
  std::string required_action;
  std::string due_date;     // YYYY-MM-DD: the remediation deadline CISA set
  bool ransomware = false;  // knownRansomwareCampaignUse == "Known"
  std::string notes;
  std::vector<std::string> cwes;
};

struct KevCatalog {
  std::string version;
  std::string released;
  std::vector<KevEntry> entries;
};

Result<KevCatalog> ReadKev(std::string_view json, const std::string& file);

struct EpssScore {
  std::string cve;
  double epss = 0;        // probability of exploitation in the next 30 days, 0…1
  double percentile = 0;  // 0…1
};

struct EpssFile {
  std::string model_version;
  std::string score_date;
  std::vector<EpssScore> scores;
};

Result<EpssFile> ReadEpss(std::string_view csv, const std::string& file);

}  // namespace mamori::vuln
