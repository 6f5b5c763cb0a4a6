// OSV (https://ossf.github.io/osv-schema/): advisories per package ecosystem (PyPI, Maven, npm,
// Go, crates.io, Debian, Ubuntu…), in JSON or YAML, one record per file or an array of them.
// A record's affected ranges are evaluated against a component's package URL and version in the
// ecosystem's own order (PEP 440, Maven, SemVer, dpkg, rpm). As with NVD criteria, what cannot
// be decided from the data (no version, commit-only ranges, an unordered ecosystem, a
// distribution release the component does not state) is "review", never "affected".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "vuln/nvd.hpp"
#include "vuln/purl.hpp"

namespace mamori::vuln {

struct OsvEvent {
  std::string kind;  // introduced | fixed | last_affected | limit
  std::string value;
};

struct OsvRange {
  std::string type;  // SEMVER | ECOSYSTEM | GIT
  std::vector<OsvEvent> events;
};

struct OsvAffected {
  std::string ecosystem;  // "PyPI", "Debian:12"
  std::string name;
  std::string purl;
  std::string package_key;  // OsvPackageKey(); "" when the ecosystem is not mapped
  std::vector<OsvRange> ranges;
  std::vector<std::string> versions;  // listed affected versions
};

struct OsvRecord {
  std::string id;  // PYSEC-2021-63, GHSA-…, DSA-3029-1, CVE-…
  std::string modified, published, withdrawn;
  std::vector<std::string> aliases;
  std::string summary;
  std::string cvss_vector;  // the record's CVSS (v3 preferred, then v4, then v2), "" when none
  std::vector<OsvAffected> affected;

  // The id findings carry: the CVE the record is or aliases (one finding per CVE whichever
  // source found it), else the record's own id.
  [[nodiscard]] std::string FindingId() const;
};

// JSON (an object or an array of objects) or YAML (the PyPA advisory database's form). Errors
// name the file and the path of the field ("affected[0].ranges[1].events[2]").
Result<std::vector<OsvRecord>> ReadOsv(std::string_view bytes, const std::string& file);

// OSV's per-ecosystem archive (https://osv-vulnerabilities.storage.googleapis.com/<ecosystem>/
// all.zip: one JSON record per member), read with libarchive. Errors name the file and member
// ("PyPI-all.zip:PYSEC-2024-1.json: …"); members other than *.json are skipped.
bool IsZip(std::string_view bytes);
Result<std::vector<OsvRecord>> ReadOsvZip(std::string_view bytes, const std::string& file);

// The affected entries as mamori stores them, and back.
std::string OsvAffectedToJson(const std::vector<OsvAffected>& affected);
Result<std::vector<OsvAffected>> OsvAffectedFromJson(std::string_view json, const std::string& id);

// One affected entry against one component (its parsed purl and version). distro_release: the
// component's distribution release ("12"), "" when unknown.
Applicability EvaluateOsv(const OsvAffected& a, const std::string& osv_id, const Purl& component,
                          const std::string& version);

}  // namespace mamori::vuln
