// VEX in: a maker's (or a PSIRT's) statements that a product is or is not affected by a
// vulnerability, read from the three formats in use — CycloneDX VEX (1.4+ "vulnerabilities" with
// "analysis" and "affects"), CSAF 2.0 (product tree, product_status, flags, threats,
// remediations: the VEX profile and the security advisories makers publish, whose product status
// says the same) and OpenVEX (0.0.x and 0.2.x) — into one form that mamori applies to
// matching findings, keeping who said it. CycloneDX's and OpenVEX's justification words are
// mapped onto the CSAF/OpenVEX five (the CISA "minimum requirements for VEX" mapping); the
// original word is kept in the statement.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/json_body.hpp"
#include "core/result.hpp"

namespace mamori::vuln {

// What a statement is about: a component (identified by purl, CPE, or name and version), the
// product it is in (a device or application: SBOM serial number, or name and version), or both.
// A finding matches when every part given matches: the component part its component, the
// product part its target (an asset carrying the SBOM with that serial number, or whose SBOM
// subject or model is that name). A component without a product part holds on any target.
struct VexProduct {
  std::string purl, cpe, name, version;       // the component
  std::string product_name, product_version;  // the product
  // The product by its CPE (2.3 or 2.2 URI), as a CSAF relationship names the platform a
  // component is part of ("openssl … default_component_of Red Hat Enterprise Linux 9"): holds on
  // a target that has a component of that vendor and product, at that version or a release of it
  // (9 → 9.3). Given, it decides the product part alone.
  std::string product_cpe;
  std::string product_maker;  // every product of this maker (a CycloneDX VEX without "affects")
  std::string sbom_serial;    // CycloneDX BOM-Link: urn:uuid:…
  std::string bom_ref;        // a component inside that SBOM
  std::string vers;  // a version range ("vers:semver/>=2.2.0|<=2.4.0") of the component or product
  [[nodiscard]] bool HasComponent() const { return !purl.empty() || !cpe.empty() || !name.empty(); }
  [[nodiscard]] bool HasProduct() const {
    return !product_name.empty() || !sbom_serial.empty() || !product_maker.empty() ||
           !product_cpe.empty();
  }
  [[nodiscard]] std::string Describe() const;
  [[nodiscard]] Json ToJson() const;
  static VexProduct FromJson(const Json& j);  // what ToJson wrote (stored statements)
};

struct VexStatement {
  std::string vulnerability;  // CVE-… (or the source's own id when no CVE is given)
  std::vector<std::string> aliases;
  std::vector<VexProduct> products;
  std::string status;         // not_affected | affected | fixed | under_investigation
  std::string justification;  // one of kVexJustifications, for not_affected ("" if none given)
  std::string original_justification;
  std::string detail;  // impact statement / analysis detail / threat details
  std::string action;  // action statement / response / remediation
  std::string timestamp;
};

struct VexDocument {
  std::string format;  // cyclonedx | csaf | openvex
  // CSAF: the document's category — csaf_vex, csaf_security_advisory, or a publisher's own
  // ("Cisco Security Advisory"); a maker's advisory states its products' status as a VEX does.
  std::string category;
  std::string title;   // CSAF document.title, CycloneDX/OpenVEX: ""
  std::string id;      // serial number / tracking id / @id
  std::string author;  // who said it: CSAF publisher, OpenVEX author, CycloneDX manufacturer…
  std::string timestamp;
  std::vector<VexStatement> statements;
};

// "cyclonedx", "csaf", "openvex" when the JSON is a VEX document, else "".
std::string DetectVex(std::string_view bytes);

// Errors name the file and the statement's path ("vulnerabilities[2].analysis.state").
Result<VexDocument> ReadVex(std::string_view bytes, const std::string& file);

// CycloneDX analysis.justification / OpenVEX justification → the CSAF/OpenVEX five; "" when
// the word is unknown.
std::string NormaliseVexJustification(std::string_view word);

}  // namespace mamori::vuln
