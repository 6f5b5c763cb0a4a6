// Package URLs (https://github.com/package-url/purl-spec): pkg:type/namespace/name@version
// ?qualifiers#subpath, parsed and normalised as the specification says per type (pypi names
// lower case with "-", npm/deb/apk/gem names lower case…), and the bridge to OSV: which OSV
// ecosystem a purl type is, and which version order it uses.
//
// Why hand-written: Debian ships no C or C++ purl library; the grammar is a page long.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "vuln/version.hpp"

namespace mamori::vuln {

struct Purl {
  std::string type;        // lower case: pypi, maven, npm, deb, rpm, golang, cargo, gem…
  std::string namespace_;  // decoded, "" when none ("org.apache.logging.log4j", "@angular")
  std::string name;        // decoded
  std::string version;     // decoded, "" when none
  std::map<std::string, std::string> qualifiers;  // keys lower case ("distro", "arch")
  std::string subpath;

  // type/namespace/name normalised: the key OSV packages and components meet under.
  [[nodiscard]] std::string PackageKey() const;
  [[nodiscard]] std::string ToString() const;  // canonical form
};

// Error names the text and what is wrong with it.
Result<Purl> ParsePurl(std::string_view text);

// The purl package key of an OSV (ecosystem, name): "PyPI", "Django" → "pypi/django";
// "Maven", "org.apache.logging.log4j:log4j-core" → "maven/org.apache.logging.log4j/log4j-core";
// "Debian:12", "openssl" → "deb/debian/openssl". nullopt for an ecosystem mamori does not map.
std::optional<std::string> OsvPackageKey(std::string_view ecosystem, std::string_view name);

// The version order of an OSV ecosystem ("PyPI" → PEP 440, "Maven", "Debian:12" → dpkg…);
// nullopt when mamori cannot order its versions (ranges are then only "review").
std::optional<VersionScheme> OsvEcosystemScheme(std::string_view ecosystem);

// The version order of a purl type (pkg:pypi → PEP 440, pkg:maven → Maven, pkg:deb → dpkg…).
VersionScheme PurlScheme(std::string_view type);

// The distribution release a deb/rpm/apk purl names in its "distro" qualifier, as OSV writes
// the ecosystem's suffix: distro=debian-12 / bookworm → "12"; "" when not stated.
std::string PurlDistroRelease(const Purl& p);

}  // namespace mamori::vuln
