// VEX statements applied to findings, without storage: which statement decides a finding (the
// latest issued among those whose products match it) and what it does to the finding's state.
// A person's triage is never overwritten: only findings still 未評価 ("new") or last set by a
// VEX statement change.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "vuln/vex.hpp"
#include "vuln/vuln_service.hpp"

namespace mamori::vuln {

// What mamori knows of a finding's target, for statements about a whole product.
struct VexTarget {
  std::string maker, model;
  std::optional<int64_t> vendor_id;  // the asset's vendor (事業者)
  struct Sbom {
    std::string serial;   // urn:uuid:…
    std::string subject;  // "name version" of the product it describes
    std::map<std::string, std::pair<std::string, std::string>> refs;  // bom-ref → name, version
  };
  std::vector<Sbom> sboms;
  // The CPEs (2.3) of its components as matching resolved them: the platform a statement's
  // product CPE names (VexProduct::product_cpe).
  std::vector<std::string> cpes;
};

// A statement as stored: one product, and who said it.
struct StoredVex {
  int64_t id = 0;
  std::string source;      // "vex:<format>:<author>:<document id>"
  VexStatement statement;  // exactly one product
  // Loaded by a vendor's account: speaks only for that vendor's assets (none: the hospital's,
  // for all of them).
  std::optional<int64_t> vendor_id;
};

// Does the statement's (single) product hold for the finding on that target?
bool VexHolds(const VexProduct& p, const Finding& f, const VexTarget* target);

// The statement that decides the finding, or nullptr: the latest issued of those that hold (a
// vendor's statement holds only on an asset of that vendor); between statements issued at the
// same time, one about a stated version before one about a range, before one about every version
// (an advisory lists the fixed release beside the product it says is affected), then the one
// loaded last.
const StoredVex* DecidingVex(const std::vector<StoredVex>& statements, const Finding& f,
                             const VexTarget* target);

// Sets the finding's state from the statement; false when the finding keeps its state (a
// person triaged it, or it is already so).
bool ApplyVex(Finding& f, const StoredVex& v);

// "vex:csaf:Example Company ProductCERT:2022-EVD-UC-01-NA-001"
std::string VexSource(const VexDocument& d);

}  // namespace mamori::vuln
