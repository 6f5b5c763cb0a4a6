// The contact list as the documents the checklist (3-(1)) and the MHLW notice of 2018 ask for:
// the 連絡体制図 as a diagram (SVG) and as a table (PDF), and the 院内掲示用 poster "サイバー攻撃を
// 受けた場合の対応について" with the vendors' emergency numbers and the MHLW contact.
#pragma once

#include <string>
#include <vector>

#include "resilience/resilience_service.hpp"

namespace mamori::resilience {

struct ContactDocInput {
  std::string org_name;
  std::string today;  // YYYY-MM-DD
  std::vector<Contact> contacts;
  std::vector<ledger::Vendor> vendors;
  std::vector<ledger::System> systems;
};

// The internal chain top to bottom in call order; every external party beside it, grouped by
// category, each reached from the end of the internal chain (the person who decides).
std::string ContactChartSvg(const ContactDocInput& in);
// The same as a table, one section per category (A4, Japanese fonts).
Result<std::string> ContactChartPdf(const ContactDocInput& in);
// The poster for the wards (A4).
Result<std::string> IncidentPosterPdf(const ContactDocInput& in);

}  // namespace mamori::resilience
