// VEX out: an asset's findings and their triage as a CycloneDX 1.5 VEX or a CSAF 2.0 document of
// the csaf_vex profile — what a hospital hands to its inspector or ISAC, and what a maker's PSIRT
// publishes for a product. The CSAF output is checked in tests by the OASIS TC's validator
// (@secvisogram/csaf-validator-lib: schema, mandatory tests, the csaf_vex profile tests).
#pragma once

#include <string>
#include <vector>

#include "core/json_body.hpp"
#include "vuln/vuln_service.hpp"

namespace mamori::vuln {

struct VexExportInput {
  std::string publisher;            // the organisation's name
  std::string publisher_category;   // CSAF: "user" (a hospital) or "vendor" (a maker)
  std::string publisher_namespace;  // CSAF: a URI naming the publisher
  int64_t asset_id = 0;
  std::string asset_name, maker, model;
  std::string now;  // RFC 3339 UTC, e.g. 2026-12-01T05:00:00Z
  std::string tool_version;
  std::vector<Finding> findings;  // the asset's current findings (gone ones left out)
};

Json CycloneDxVex(const VexExportInput& in);
Json CsafVex(const VexExportInput& in);

// mamori's state → CycloneDX analysis.state; the CSAF/OpenVEX justification → CycloneDX's.
std::string CycloneDxState(const std::string& state);
std::string CycloneDxJustification(const std::string& justification);

}  // namespace mamori::vuln
