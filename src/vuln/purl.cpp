#include "vuln/purl.hpp"

#include <algorithm>
#include <cctype>

#include "core/text.hpp"

namespace mamori::vuln {

namespace {

Error Bad(std::string_view text, const char* what) {
  return MakeError(ErrorCode::kInvalidArgument, "purl.bad", {std::string(text), what}, "purl");
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> Decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    int h = Hex(s[i + 1]);
    int l = Hex(s[i + 2]);
    if (h < 0 || l < 0) return std::nullopt;
    out += static_cast<char>(h * 16 + l);
    i += 2;
  }
  return out;
}

// PEP 503: lower case, runs of "-", "_" and "." as one "-".
std::string PypiName(std::string_view n) {
  std::string out;
  for (char c : n) {
    if (c == '-' || c == '_' || c == '.') {
      if (out.empty() || out.back() != '-') out += '-';
    } else {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

// Types whose namespace and name the purl specification makes case-insensitive.
bool LowerCaseType(std::string_view t) {
  return t == "npm" || t == "deb" || t == "apk" || t == "golang" || t == "github" ||
         t == "bitbucket" || t == "composer" || t == "nuget" || t == "pypi" || t == "alpm";
}

}  // namespace

Result<Purl> ParsePurl(std::string_view text) {
  std::string_view s = text;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  if (s.size() < 4 || Lower(std::string(s.substr(0, 4))) != "pkg:") return Bad(text, "pkg:");
  s.remove_prefix(4);
  while (!s.empty() && s.front() == '/') s.remove_prefix(1);
  Purl p;
  if (size_t hash = s.find('#'); hash != std::string_view::npos) {
    auto sub = Decode(s.substr(hash + 1));
    if (!sub) return Bad(text, "subpath");
    p.subpath = *sub;
    while (!p.subpath.empty() && p.subpath.front() == '/') p.subpath.erase(0, 1);
    while (!p.subpath.empty() && p.subpath.back() == '/') p.subpath.pop_back();
    s = s.substr(0, hash);
  }
  if (size_t q = s.find('?'); q != std::string_view::npos) {
    std::string_view qs = s.substr(q + 1);
    s = s.substr(0, q);
    while (!qs.empty()) {
      size_t amp = qs.find('&');
      std::string_view kv = qs.substr(0, amp);
      qs = amp == std::string_view::npos ? std::string_view() : qs.substr(amp + 1);
      if (kv.empty()) continue;
      size_t eq = kv.find('=');
      if (eq == std::string_view::npos || eq == 0) return Bad(text, "qualifier");
      auto value = Decode(kv.substr(eq + 1));
      if (!value) return Bad(text, "qualifier");
      if (!value->empty()) p.qualifiers[Lower(std::string(kv.substr(0, eq)))] = *value;
    }
  }
  size_t slash = s.find('/');
  if (slash == std::string_view::npos || slash == 0) return Bad(text, "type");
  p.type = Lower(std::string(s.substr(0, slash)));
  for (char c : p.type)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '+' && c != '-')
      return Bad(text, "type");
  s.remove_prefix(slash + 1);
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  // The version follows the last "@" after the last "/" (an npm scope's "@" precedes a "/").
  size_t last_slash = s.rfind('/');
  size_t at = s.rfind('@');
  if (at != std::string_view::npos && (last_slash == std::string_view::npos || at > last_slash)) {
    auto v = Decode(s.substr(at + 1));
    if (!v) return Bad(text, "version");
    p.version = *v;
    s = s.substr(0, at);
    last_slash = s.rfind('/');
  }
  std::string_view name = last_slash == std::string_view::npos ? s : s.substr(last_slash + 1);
  std::string_view ns = last_slash == std::string_view::npos ? "" : s.substr(0, last_slash);
  auto dn = Decode(name);
  // A decoded segment may not hold a "/" (the specification; it would split on the way back).
  if (!dn || dn->empty() || dn->find('/') != std::string::npos) return Bad(text, "name");
  p.name = *dn;
  std::string nsd;
  for (size_t i = 0; !ns.empty();) {
    size_t next = ns.find('/', i);
    std::string_view seg = ns.substr(i, next == std::string_view::npos ? ns.npos : next - i);
    if (!seg.empty()) {
      auto d = Decode(seg);
      if (!d || d->find('/') != std::string::npos) return Bad(text, "namespace");
      nsd += (nsd.empty() ? "" : "/") + *d;
    }
    if (next == std::string_view::npos) break;
    i = next + 1;
  }
  p.namespace_ = nsd;
  if (p.type == "pypi") p.name = PypiName(p.name);
  if (LowerCaseType(p.type)) {
    p.name = Lower(p.name);
    p.namespace_ = Lower(p.namespace_);
  }
  return p;
}

std::string Purl::PackageKey() const {
  return type + "/" + (namespace_.empty() ? "" : namespace_ + "/") + name;
}

std::string Purl::ToString() const {
  std::string out = "pkg:" + type + "/";
  if (!namespace_.empty()) out += PercentEncode(namespace_, "/") + "/";
  out += PercentEncode(name);
  if (!version.empty()) out += "@" + PercentEncode(version);
  bool first = true;
  for (const auto& [k, v] : qualifiers) {
    out += (first ? "?" : "&") + k + "=" + PercentEncode(v);
    first = false;
  }
  if (!subpath.empty()) out += "#" + PercentEncode(subpath, "/");
  return out;
}

namespace {

// "Debian:12" → ("Debian", "12"); "Ubuntu:22.04:LTS" → ("Ubuntu", "22.04:LTS").
std::pair<std::string_view, std::string_view> SplitEcosystem(std::string_view e) {
  size_t colon = e.find(':');
  if (colon == std::string_view::npos) return {e, {}};
  return {e.substr(0, colon), e.substr(colon + 1)};
}

}  // namespace

std::optional<std::string> OsvPackageKey(std::string_view ecosystem, std::string_view name) {
  auto [base, release] = SplitEcosystem(ecosystem);
  (void)release;
  std::string n(name);
  if (n.empty()) return std::nullopt;
  if (base == "PyPI") return "pypi/" + PypiName(n);
  if (base == "Maven") {
    size_t colon = n.find(':');
    if (colon == std::string::npos) return std::nullopt;
    return "maven/" + n.substr(0, colon) + "/" + n.substr(colon + 1);
  }
  if (base == "npm") return "npm/" + Lower(n);
  if (base == "Go") return "golang/" + Lower(n);
  if (base == "crates.io") return "cargo/" + n;
  if (base == "RubyGems") return "gem/" + n;
  if (base == "NuGet") return "nuget/" + Lower(n);
  if (base == "Packagist") return "composer/" + Lower(n);
  if (base == "Debian") return "deb/debian/" + Lower(n);
  if (base == "Ubuntu") return "deb/ubuntu/" + Lower(n);
  if (base == "Alpine") return "apk/alpine/" + Lower(n);
  if (base == "Red Hat") return "rpm/redhat/" + n;
  if (base == "Rocky Linux") return "rpm/rocky-linux/" + n;
  if (base == "AlmaLinux") return "rpm/almalinux/" + n;
  return std::nullopt;
}

std::optional<VersionScheme> OsvEcosystemScheme(std::string_view ecosystem) {
  auto base = SplitEcosystem(ecosystem).first;
  if (base == "PyPI") return VersionScheme::kPep440;
  if (base == "Maven") return VersionScheme::kMaven;
  if (base == "npm" || base == "Go" || base == "crates.io") return VersionScheme::kSemver;
  if (base == "Debian" || base == "Ubuntu") return VersionScheme::kDebian;
  if (base == "Red Hat" || base == "Rocky Linux" || base == "AlmaLinux") return VersionScheme::kRpm;
  // RubyGems, NuGet, Packagist, Alpine… have orders of their own that mamori does not implement
  // yet: their ranges give "review", never a guess.
  return std::nullopt;
}

VersionScheme PurlScheme(std::string_view type) {
  if (type == "deb") return VersionScheme::kDebian;
  if (type == "rpm") return VersionScheme::kRpm;
  if (type == "pypi") return VersionScheme::kPep440;
  if (type == "maven") return VersionScheme::kMaven;
  if (type == "npm" || type == "cargo" || type == "golang") return VersionScheme::kSemver;
  return VersionScheme::kGeneric;
}

std::string PurlDistroRelease(const Purl& p) {
  auto it = p.qualifiers.find("distro");
  if (it == p.qualifiers.end()) return "";
  std::string d = Lower(it->second);
  static const std::pair<const char*, const char*> kCodenames[] = {
      {"jessie", "8"},    {"stretch", "9"},   {"buster", "10"},
      {"bullseye", "11"}, {"bookworm", "12"}, {"trixie", "13"},
      {"focal", "20.04"}, {"jammy", "22.04"}, {"noble", "24.04"}};
  for (const auto& [code, release] : kCodenames)
    if (d == code || d.ends_with(std::string("-") + code)) return release;
  // debian-12, ubuntu-22.04, debian-12.5 → the major release (Debian) or the release (Ubuntu)
  size_t dash = d.rfind('-');
  std::string r = dash == std::string::npos ? d : d.substr(dash + 1);
  if (d.starts_with("debian")) r = r.substr(0, r.find('.'));
  return r;
}

}  // namespace mamori::vuln
