// Version comparison per scheme, as each ecosystem defines its order: Debian (dpkg), RPM
// (rpmvercmp), Semantic Versioning 2.0, PEP 440 (Python), Maven (ComparableVersion), and a generic
// dotted scheme for vendors' product versions (Windows builds 10.0.19045.3803, FortiOS 7.0.12,
// OpenSSL 1.1.1k, 2.0rc1). A wrong order makes a patched system "affected" or hides a vulnerable
// one, so each scheme is tested against its reference (dpkg itself for Debian).
//
// Why hand-written: these are a few dozen lines each and exactly specified; Debian ships no C++
// library for them (libapt-pkg and librpm would pull in the package managers).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace mamori::vuln {

enum class VersionScheme { kGeneric, kSemver, kDebian, kRpm, kPep440, kMaven };

// "generic", "semver", "deb"/"debian"/"dpkg", "rpm", "pep440"/"pypi", "maven".
std::optional<VersionScheme> ParseVersionScheme(std::string_view name);
// The scheme's name for people and evidence: "generic", "semver", "dpkg", "rpm", "pep440", "maven".
const char* VersionSchemeName(VersionScheme scheme);

// <0, 0 or >0 as a sorts before, equal to, or after b in the scheme.
int CompareVersions(VersionScheme scheme, std::string_view a, std::string_view b);
// The generic scheme token by token (runs of digits, runs of letters): the reference its fast
// path for versions of digits and dots alone is tested against.
int CompareGenericTokens(std::string_view a, std::string_view b);
// The generic order of a version of digits and dots alone — at most four parts, each below
// 32 768, once trailing zero parts are dropped ("1.2" = "1.2.0") — as one number: two versions
// with keys compare in the generic scheme as their keys do. 0 for any other version (compare the
// text). Most of NVD's bounds and of ledgers' versions have one, and the matcher compares each
// component's version with the bounds of every criterion about its product (a fifth of its
// instructions went to reading the same texts again).
uint64_t DottedOrderKey(std::string_view v);

// A version range in the purl "vers" notation ("vers:semver/>=2.2.0|<=2.4.0", "vers:maven/*"):
// whether the version is in it, by the specification's evaluation (= and != first, then the
// ordered constraints pairwise). nullopt when the range is malformed or its scheme is one mamori
// does not order (deb, rpm, pypi, maven, semver/npm/golang/cargo, generic are known).
std::optional<bool> InVersRange(std::string_view vers, std::string_view version);

}  // namespace mamori::vuln
