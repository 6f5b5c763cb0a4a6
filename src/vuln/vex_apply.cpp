#include "vuln/vex_apply.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "vuln/cpe.hpp"
#include "vuln/purl.hpp"
#include "vuln/resolver.hpp"
#include "vuln/version.hpp"

namespace mamori::vuln {

namespace {

bool SameVersion(const std::string& a, const std::string& b) {
  return CompareVersions(VersionScheme::kGeneric, a, b) == 0 && !b.empty();
}

// A version against the statement's range, when it gives one: only a range mamori can evaluate
// and that holds counts.
bool InRange(const VexProduct& p, const std::string& have) {
  if (p.vers.empty()) return true;
  auto in = InVersRange(p.vers, have);
  return in.has_value() && *in;
}

bool ComponentHolds(const VexProduct& p, const Finding& f) {
  if (!p.purl.empty()) {
    auto vp = ParsePurl(p.purl);
    auto fp = ParsePurl(f.component_purl);
    if (!vp.ok() || !fp.ok() || vp->PackageKey() != fp->PackageKey()) return false;
    const std::string& want = vp->version.empty() ? p.version : vp->version;
    const std::string& have = fp->version.empty() ? f.component_version : fp->version;
    if (!InRange(p, have)) return false;
    if (want.empty()) return true;  // every version of the package (or of the range)
    return CompareVersions(PurlScheme(vp->type), want, have) == 0 && !have.empty();
  }
  if (!p.cpe.empty()) {
    auto vc = ParseCpe(p.cpe);
    auto fc = ParseCpe(f.component_key);
    if (!vc.ok() || !fc.ok()) return false;
    auto lower = [](std::string_view v) {
      std::string s(v);
      std::transform(s.begin(), s.end(), s.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      return s;
    };
    if (lower(vc->Vendor()) != lower(fc->Vendor()) || lower(vc->Product()) != lower(fc->Product()))
      return false;
    const std::string have =
        fc->Version() == "*" ? f.component_version : std::string(fc->Version());
    if (!InRange(p, have)) return false;
    // The CPE's version, else the version the statement gives beside it (a CSAF product_version
    // branch whose helper CPE leaves the version open), else every version.
    std::string v(vc->Version());
    if (v == "*" || v == "-" || v.empty()) v = p.version;
    if (v.empty()) return true;
    return SameVersion(v, have);
  }
  if (!p.name.empty()) {
    if (NormaliseName(p.name) != NormaliseName(f.component_name)) return false;
    if (!InRange(p, f.component_version)) return false;
    return p.version.empty() || SameVersion(p.version, f.component_version);
  }
  return true;  // no component part
}

// The target has a component of the product CPE's vendor and product (the part aside: Red Hat
// names its streams cpe:/a:redhat:enterprise_linux:9, a ledger the OS cpe:2.3:o:…), at its
// version or a release of that version (9 → 9.3, not 9 → 90).
bool PlatformHolds(const std::string& product_cpe, const VexTarget& t) {
  auto want = product_cpe.starts_with("cpe:2.3:") ? ParseCpe(product_cpe) : ParseCpe22(product_cpe);
  if (!want.ok()) return false;
  std::string_view version = want->Version();
  for (const auto& have : t.cpes) {
    auto c = ParseCpe(have);
    if (!c.ok() || !EqualsAsciiNoCase(c->Vendor(), want->Vendor()) ||
        !EqualsAsciiNoCase(c->Product(), want->Product()))
      continue;
    std::string_view v = c->Version();
    if (version.empty() || CpeIsAny(version) || v == version ||
        (v.size() > version.size() && v.starts_with(version) && v[version.size()] == '.'))
      return true;
  }
  return false;
}

// How narrowly a statement names its component or product — a version, a range, or neither —
// read as ComponentHolds and ProductHolds read it.
int Specificity(const VexProduct& p) {
  bool version = !p.product_version.empty() || !p.version.empty();
  if (!version && !p.purl.empty()) {
    auto purl = ParsePurl(p.purl);
    version = purl.ok() && !purl->version.empty();
  } else if (!version && !p.cpe.empty()) {
    auto cpe = ParseCpe(p.cpe);
    version = cpe.ok() && !cpe->Version().empty() && !CpeIsAny(cpe->Version()) &&
              !CpeIsNa(cpe->Version());
  }
  return version ? 2 : !p.vers.empty() ? 1 : 0;
}

bool ProductHolds(const VexProduct& p, const Finding& f, const VexTarget* t) {
  if (!p.HasProduct()) return true;
  if (t == nullptr) return false;
  if (!p.product_cpe.empty()) return PlatformHolds(p.product_cpe, *t);
  if (!p.product_maker.empty())
    return !t->maker.empty() && NormaliseName(t->maker) == NormaliseName(p.product_maker);
  if (!p.sbom_serial.empty()) {
    for (const auto& s : t->sboms) {
      if (s.serial != p.sbom_serial) continue;
      if (p.bom_ref.empty()) return true;
      auto r = s.refs.find(p.bom_ref);
      if (r == s.refs.end()) return true;  // the ref is the product itself
      return NormaliseName(r->second.first) == NormaliseName(f.component_name) &&
             (r->second.second.empty() || r->second.second == f.component_version);
    }
    return false;
  }
  std::string want = NormaliseName(p.product_name + " " + p.product_version);
  std::string name_only = NormaliseName(p.product_name) + " ";
  for (const auto& s : t->sboms) {
    if (s.subject.empty()) continue;
    std::string subject = NormaliseName(s.subject);
    if (p.vers.empty() && subject == want) return true;
    // A range: the SBOM subject is "name version"; its version must be in the range.
    if (!p.vers.empty() && p.product_version.empty() && subject.starts_with(name_only) &&
        InRange(p, subject.substr(name_only.size())))
      return true;
  }
  // The ledger's model has no version: a statement about some versions of a product cannot be
  // checked against it, only a statement about the product as a whole.
  if (!p.product_version.empty() || !p.vers.empty()) return false;
  std::string name = NormaliseName(p.product_name);
  return (!t->model.empty() && NormaliseName(t->model) == name) ||
         (!t->model.empty() && NormaliseName(t->maker + " " + t->model) == name);
}

}  // namespace

bool VexHolds(const VexProduct& p, const Finding& f, const VexTarget* target) {
  if (!p.HasComponent() && !p.HasProduct()) return false;
  return ComponentHolds(p, f) && ProductHolds(p, f, target);
}

const StoredVex* DecidingVex(const std::vector<StoredVex>& statements, const Finding& f,
                             const VexTarget* target) {
  const StoredVex* best = nullptr;
  for (const auto& v : statements) {
    const VexStatement& s = v.statement;
    bool names = s.vulnerability == f.cve ||
                 std::find(s.aliases.begin(), s.aliases.end(), f.cve) != s.aliases.end();
    if (!names || s.products.empty() || !VexHolds(s.products[0], f, target)) continue;
    if (v.vendor_id && (target == nullptr || target->vendor_id != v.vendor_id)) continue;
    if (best == nullptr || s.timestamp > best->statement.timestamp) {
      best = &v;
      continue;
    }
    if (s.timestamp < best->statement.timestamp) continue;
    int mine = Specificity(s.products[0]), theirs = Specificity(best->statement.products[0]);
    if (mine > theirs || (mine == theirs && v.id > best->id)) best = &v;
  }
  return best;
}

bool ApplyVex(Finding& f, const StoredVex& v) {
  if (f.state != "new" && !f.state_source.starts_with("vex:")) return false;  // a person's
  const VexStatement& s = v.statement;
  std::string state = s.status == "not_affected" ? "not_affected"
                      : s.status == "affected"   ? "affected"
                      : s.status == "fixed"      ? "fixed"
                                                 : "new";  // under_investigation
  std::string note = s.detail;
  if (!s.action.empty()) note += (note.empty() ? "" : " / ") + s.action;
  if (s.status == "under_investigation")
    note = "under_investigation" + (note.empty() ? "" : ": " + note);
  std::string justification = state == "not_affected" ? s.justification : "";
  if (f.state == state && f.state_source == v.source && f.justification == justification &&
      f.state_note == note)
    return false;
  f.state = state;
  f.state_source = v.source;
  f.justification = justification;
  f.state_note = note;
  f.approver.clear();
  f.review_date.clear();
  return true;
}

std::string VexSource(const VexDocument& d) {
  return "vex:" + d.format + ":" + d.author + ":" + d.id;
}

}  // namespace mamori::vuln
