// SBOM documents: CycloneDX 1.2–1.6 (JSON and XML) and SPDX 2.2/2.3 (JSON), read into one
// neutral form. The ledger attaches them to an asset or a product model; the vulnerability engine
// (issue 5) reads a bare SBOM file through the same function.
//
// Kept: the CISA 2021 minimum elements — supplier, component name, version, other unique
// identifiers (CPE, PURL, hashes), dependency relationships, author of the SBOM data, timestamp —
// and which of them each component lacks, because a hospital or a PSIRT needs to know how far
// the SBOM can be trusted for vulnerability matching.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace mamori::formats {

struct SbomComponent {
  std::string name;  // CycloneDX "group/name" when there is a group
  std::string version;
  std::string supplier;
  std::string type;  // library, application, operating-system, firmware, device…
  std::string cpe;
  std::string purl;
  std::vector<std::string> hashes;  // "SHA-256:hex"
  std::string bom_ref;              // CycloneDX bom-ref / SPDX SPDXID
  std::vector<std::string> depends_on;
  std::vector<std::string> licenses;
  std::string end_of_support;  // FDA-style property "End-of-Support", when given
};

struct SbomMinimumElements {
  int components = 0;
  int without_supplier = 0;
  int without_version = 0;
  int without_identifier = 0;  // no CPE, PURL or hash
  bool has_author = false;
  bool has_timestamp = false;
  bool has_dependencies = false;
};

struct Sbom {
  std::string format;        // cyclonedx | spdx
  std::string encoding;      // json | xml
  std::string spec_version;  // "1.4", "2.3"
  std::string serial_number;
  std::string subject_name;  // the product the SBOM describes
  std::string subject_version;
  std::string subject_supplier;
  std::string author;
  std::string created;  // as written (ISO 8601)
  std::vector<SbomComponent> components;
  [[nodiscard]] SbomMinimumElements MinimumElements() const;
};

// "cyclonedx", "spdx", or "" from the first bytes (JSON keys, XML root).
std::string DetectSbomFormat(std::string_view bytes);

// `file` names the input in error messages; errors name the component ("components[12]").
Result<Sbom> ReadSbom(std::string_view bytes, const std::string& file);

}  // namespace mamori::formats
