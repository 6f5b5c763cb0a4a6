// NVD CVE API 2.0 records and the evaluation of their applicability statements (configurations)
// against a set of components, as NVD applies them: cpeMatch criteria with version bounds
// (versionStart/End Including/Excluding), OR/AND nodes with negation, and configurations whose
// nodes must all hold ("running on" a platform). The result is three-valued — affected, not
// affected, or needs review — and carries the evidence: which criterion, which bound, which
// comparison decided it.
#pragma once

#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/huge_pages.hpp"
#include "vuln/cpe.hpp"
#include "vuln/version.hpp"

namespace mamori::vuln {

// One cpeMatch criterion, kept small (≈ 150 bytes and one allocation where versions are short):
// a full feed holds more than a million of them in memory while matching.
struct CpeCriterion {
  Cpe cpe;  // the criteria as given (Cpe::ToString gives it back)
  // NVD gives at most one lower and one upper bound: versionStart{Including,Excluding} and
  // versionEnd{Including,Excluding}; empty where there is none.
  std::string start, end;
  bool start_including = false, end_including = false;
  bool vulnerable = true;
  // Part, vendor and product plain, every other attribute ANY, NA or plain (nearly all of NVD's
  // criteria): against a simple component (ComponentKeys::simple) the match is a few
  // comparisons and the version, not the eleven attributes taken apart (set by the reader).
  bool simple = false;
  uint8_t named_attributes = 0;  // bit k - 4: attribute k (update … other) is not ANY
  uint64_t product_key = 0;      // PlainKey(product): a cheap first test of whether it can match
  uint64_t version_key = 0;      // PlainKey(version): the second (most criteria name one version)
  uint64_t vendor_key = 0;       // PlainKey(vendor)
  // DottedOrderKey of start and end (0: none, or compare the text).
  uint64_t start_order = 0, end_order = 0;
  [[nodiscard]] bool Bounded() const { return !start.empty() || !end.empty(); }
  // "versionStartIncluding" / "versionStartExcluding", "versionEnd…"
  [[nodiscard]] const char* StartName() const {
    return start_including ? "versionStartIncluding" : "versionStartExcluding";
  }
  [[nodiscard]] const char* EndName() const {
    return end_including ? "versionEndIncluding" : "versionEndExcluding";
  }
};

struct ConfigNode {
  bool and_op = false;  // OR when false
  bool negate = false;
  std::vector<CpeCriterion> matches;
  // The criteria's keys and their index in matches, sorted: filled by the reader so that a
  // verdict looks only at the criteria about the components' products and versions (a Linux
  // kernel record names hundreds of versions of one product).
  struct Key {
    uint64_t product = 0, version = 0;
    uint32_t index = 0;
    friend bool operator<(const Key& a, const Key& b) {
      return std::tie(a.product, a.version, a.index) < std::tie(b.product, b.version, b.index);
    }
  };
  std::vector<Key> by_key;
  // The first by_key entries, those whose product has wildcards (key 0), precede the others:
  // their number, so that a verdict does not search for where they end.
  uint32_t any_product_keys = 0;
};

struct Configuration {
  bool and_op = false;  // AND: every node must hold (the "running on" form)
  bool negate = false;
  std::vector<ConfigNode> nodes;
};

struct NvdCve {
  std::string id;
  std::string published;
  std::string last_modified;
  std::string description_en;
  std::vector<std::string> cvss_vectors;  // as listed in metrics, newest version first
  std::vector<Configuration> configurations;
};

// One page of the CVE API 2.0 ({"vulnerabilities":[{"cve":…}]}) or a single {"cve":…} record.
// Errors name the file and the record/field (nvd.bad_record).
Result<std::vector<NvdCve>> ReadNvdCves(std::string_view json, const std::string& file);

// The "configurations" array of a CVE record alone, as stored by the feed loader; `where` names
// the record in errors.
Result<std::vector<Configuration>> ParseConfigurations(std::string_view json,
                                                       const std::string& where);

// A hash of a plain CPE value (lower case; no wildcard, escape or NA), 0 for any other: two
// different non-zero keys mean the values cannot match.
uint64_t PlainKey(std::string_view value);

// A component to check: its CPE (with its version) and the version scheme to compare it in.
struct Component {
  Cpe cpe;
  VersionScheme scheme = VersionScheme::kGeneric;
};

enum class Verdict { kNotAffected, kAffected, kReview };

struct Evidence {
  std::string criterion;  // the cpeMatch criteria
  std::string component;  // the component's CPE
  std::string bound;      // e.g. "versionEndExcluding 2.6.4"
  std::string key;        // a message: nvd.ev_in_range, nvd.ev_unbounded, cpe.review_unknown…
  std::vector<std::string> args;
};

struct Applicability {
  Verdict verdict = Verdict::kNotAffected;
  std::vector<Evidence> evidence;  // what made it affected or in need of review
};

// Evaluates every configuration of the CVE: affected when one holds with a vulnerable criterion
// matched, review when one could only hold by a decision a person must make (an unknown version,
// a wildcard vendor, a criterion without version bounds), else not affected.
Applicability Evaluate(const NvdCve& cve, const std::vector<Component>& components);
Applicability Evaluate(const std::vector<Configuration>& configurations,
                       const std::vector<Component>& components);
// The same over components held elsewhere (the matcher evaluates thousands of CVEs per target
// without copying its components).
Applicability Evaluate(const std::vector<Configuration>& configurations,
                       const std::vector<const Component*>& components);
// A component's product and version as PlainKey gives them (0 where the value has wildcards
// or escapes): what lets the evaluation pass over criteria about other products and versions.
struct ComponentKeys {
  uint64_t product = 0, version = 0, vendor = 0;
  // DottedOrderKey of a plain version in the generic scheme, else 0.
  uint64_t version_order = 0;
  // Part, vendor, product and version plain, every other attribute ANY, NA or plain
  // (CpeCriterion::simple).
  bool simple = false;
};
ComponentKeys KeysOf(const Component& c);
// Evaluate with keys[i] = KeysOf(*components[i]) computed by the caller (the matcher holds every
// component's keys; computing them again was a tenth of explaining a finding).
Applicability Evaluate(const std::vector<Configuration>& configurations,
                       const std::vector<const Component*>& components, const ComponentKeys* keys);

// A criterion that held, or needs review, for a component: a finding's evidence by reference
// (the criterion and the component must outlive it), written out as text by WriteEvidence when
// it is stored or shown. A million components give about a million findings: written out at
// once, their evidence took ~500 bytes each (the criterion, the component's CPE, the bound and
// the message's arguments as strings) and most of the time of matching them.
struct CriterionRef {
  const CpeCriterion* criterion = nullptr;
  const Component* component = nullptr;
  bool simple = false;  // the component's ComponentKeys::simple, as the evaluation took it
};
// A match's criteria: about one a finding, a million for a million components (on huge pages).
using CriterionRefs = HugeVector<CriterionRef>;
// Evaluate without writing the evidence out: the same verdict; the criteria whose evidence
// Evaluate writes, in its order, appended to *criteria (a caller explaining many findings keeps
// them all in one array).
Verdict EvaluateCriteria(const std::vector<Configuration>& configurations,
                         const std::vector<const Component*>& components, const ComponentKeys* keys,
                         CriterionRefs* criteria);
// The evidence of a criterion that held or needs review for the component: what Evaluate
// writes for it.
Evidence WriteEvidence(const CriterionRef& r);

// The verdict alone, as Evaluate gives it, without building the evidence: the matcher asks this
// of every candidate pair and Evaluate only of those not "not affected". keys[i] = KeysOf of
// components[i], computed once by a caller that evaluates a component against many CVEs.
Verdict EvaluateVerdict(const std::vector<Configuration>& configurations,
                        const std::vector<const Component*>& components, const ComponentKeys* keys);
// The verdicts of `count` components each evaluated alone (no platform beside it): out[i] is
// EvaluateVerdict(configurations, {components[i]}, keys + i). The criteria are read once for all
// of them — the matcher evaluates the components of one product against each CVE together.
// same_names: the caller vouches that every component bears the same vendor and product (but for
// the case of letters) — the matcher's groups do — so that a criterion's names are compared once.
void EvaluateVerdictsAlone(const std::vector<Configuration>& configurations,
                           const Component* const* components, const ComponentKeys* keys,
                           size_t count, Verdict* out, bool same_names = false);

}  // namespace mamori::vuln
