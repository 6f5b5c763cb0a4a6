// The matching engine, without storage: components grouped by target (an asset, a product
// model, a bare SBOM) against the CVEs whose vulnerable criteria name their vendor:product. Each
// (component, CVE) pair is evaluated with the component itself and the target's other
// components as possible platforms ("running on"), so a criterion about Windows counts only
// where Windows is on the same asset.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/huge_pages.hpp"
#include "vuln/nvd.hpp"
#include "vuln/osv.hpp"
#include "vuln/purl.hpp"

namespace mamori::vuln {

struct MatchComponent {
  // The finding's component key: its CPE, else its package URL — built when asked, so that a
  // million components do not hold each CPE twice.
  [[nodiscard]] std::string Key() const;
  std::string name;
  std::string version;
  Component component;  // cpe empty (ProductOf "") when only a package URL is known
  // Matched against OSV; most components of a hospital's ledger have none, and an empty
  // std::optional<Purl> would take 200 bytes for each of a million.
  std::shared_ptr<const Purl> purl;
};

struct MatchTarget {
  std::string target;  // "asset:12", "product:maker\tmodel", "sbom:<file>"
  std::optional<int64_t> asset_id;
  std::string label;  // the asset's name, for people
  std::vector<MatchComponent> components;
};

struct Match {
  const MatchTarget* target = nullptr;
  const MatchComponent* component = nullptr;
  std::string cve;
  Verdict verdict = Verdict::kReview;
  std::vector<Evidence> evidence;
};

// What the engine needs of a CVE: its parsed configurations and the vulnerable products.
struct CandidateCve {
  std::string id;
  std::vector<Configuration> configurations;
  std::vector<std::pair<std::string, std::string>> products;  // vendor, product (lower case)
  // Filled by BuildIndex: the products (lower case, sorted) any criterion names, and those of
  // the vulnerable criteria — a component can only take part in the evaluation when its product
  // is one of the first, and serves as a platform only when it is not one of the second.
  std::vector<std::string> criteria_products, vulnerable_products;
  // criteria_products less vulnerable_products: the platforms ("running on") it names, and
  // their hashes (ProductHash) in the same order.
  std::vector<std::string> platform_products;
  std::vector<size_t> platform_hashes;
};

// vendor:product (lower case) → the CVEs that name it, and what the matcher looks them up by.
struct CandidateIndex {
  using Key = std::pair<std::string, std::string>;
  using List = std::vector<const CandidateCve*>;
  std::map<Key, List> by_product;
  // Filled by BuildIndex from by_product: (hash of vendor and product, entry) and (hash of the
  // product alone, entry), sorted by hash — a million components are looked up in arrays that
  // fit the cache, not in a tree of strings.
  struct Entry {
    size_t hash = 0;
    const Key* key = nullptr;
    const List* cves = nullptr;
    uint32_t name = 0;  // the key's record in names
    friend bool operator<(const Entry& a, const Entry& b) { return a.hash < b.hash; }
  };
  std::vector<Entry> by_hash, by_product_hash;
  // Open addressing over by_hash (vendor and product) and over the first entry of each product
  // in by_product_hash: a lookup reads one or two cache lines where a binary search over tens of
  // thousands of entries missed the cache at most of its sixteen steps (a fresh process matching
  // ten thousand components spent a tenth of its time there).
  // The slot holds where the key's names are, so that a lookup reads the slot and the names —
  // two cache lines — and not the entry, the map's node and its strings.
  struct Slot {
    size_t hash = 0;
    uint32_t at = 0;    // position in its array + 1; 0: empty
    uint32_t name = 0;  // the entry's record in names
  };
  std::vector<Slot> pair_table, product_table;  // sizes are powers of two
  // Every key's vendor and product, one record each: their lengths (4 bytes each) and bytes.
  std::string names;
  // A bit per ProductHash (mod 65 536) of the products any CVE names as a platform ("running
  // on"): the matcher keeps a target's components by product only where one may be — a
  // million components' platform entries were 16 MiB and a fifth of setting the matcher up.
  std::vector<uint64_t> platform_bits;
  [[nodiscard]] bool MayBePlatform(size_t product_hash) const {
    return !platform_bits.empty() &&
           ((platform_bits[(product_hash >> 6) & 1023] >> (product_hash & 63)) & 1) != 0;
  }
  [[nodiscard]] std::string_view NameVendor(uint32_t name) const;
  [[nodiscard]] std::string_view NameProduct(uint32_t name) const;
  // The entry of vendor:product (in any case), or nullptr.
  [[nodiscard]] const Entry* Find(std::string_view vendor, std::string_view product) const;
  // The same with the names' hashes given (FNV-1a of the lower-cased bytes, as PlainKey gives
  // them for plain values).
  [[nodiscard]] const Entry* Find(std::string_view vendor, std::string_view product,
                                  size_t vendor_hash, size_t product_hash) const;
  // The first entry (by by_product's order) of a product of that name, any vendor, or nullptr.
  [[nodiscard]] const Entry* FindAnyVendor(std::string_view product) const;
  // Every CVE of a product whatever its vendor, in by_product's order.
  [[nodiscard]] List AnyVendor(std::string_view product) const;
};

CandidateIndex BuildIndex(const std::vector<std::unique_ptr<CandidateCve>>& cves);

// A (component, CVE) pair found affected or in need of review, before its evidence is built.
struct Verdicted {  // 16 bytes: a million components give more than a million of them
  const CandidateCve* cve = nullptr;
  uint32_t slot = 0;  // the component's position over all targets, in order
  Verdict verdict = Verdict::kReview;
};

// The criteria that made each finding, in one list per core (as the matcher finds them).
struct FoundCriteria {
  struct Where {
    uint32_t at = 0;  // counted across the lists, in their order
    uint32_t count = 0;
  };
  HugeVector<Where> where;   // per finding, in the verdicts' order
  std::vector<size_t> base;  // where each list starts in that count
  std::vector<CriterionRefs> refs;
  // Finding i's.
  [[nodiscard]] std::span<const CriterionRef> Of(size_t i) const;
};

// The engine over a set of targets and an index (both must outlive it). A verdict comes first,
// without evidence — most candidate pairs are not affected — and for a finding the criteria that
// made it (references, not text: a million components give about a million findings, whose
// evidence's text a caller writes as it stores or shows them).
class Matcher {
 public:
  Matcher(const std::vector<MatchTarget>& targets, const CandidateIndex& index);
  ~Matcher();
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;

  // Every pair whose verdict is affected or review, in target order, each component's CVEs in
  // the index's order; the cores share the work product by product.
  // With criteria, also the criteria that made each (what Criteria gives), found in the same pass.
  // (The arrays of a million components' match are on huge pages: HugeVector.)
  [[nodiscard]] HugeVector<Verdicted> Verdicts(FoundCriteria* criteria = nullptr) const;
  // The pair without its evidence.
  [[nodiscard]] Match Pair(const Verdicted& v) const;
  // The criteria that made the pair's verdict, appended to *out; the verdict (the same).
  Verdict Criteria(const Verdicted& v, CriterionRefs* out) const;

 private:
  struct Data;
  std::unique_ptr<Data> d_;
};

// Every finding of a match, held compactly: a million components give about a million, and as
// Match records with their evidence written out they took ~600 bytes each (a fifth of a second
// per 100 MB of fresh memory on a small VM). Here a finding is its pair (16 bytes), where its
// criteria are (8) and the criteria as references (24 each, one or two a finding); the Match
// records are written when asked. The targets and the index (with its CVEs) must outlive it.
class Matches {
 public:
  [[nodiscard]] size_t size() const { return verdicts_.size(); }
  [[nodiscard]] Verdict VerdictOf(size_t i) const { return verdicts_[i].verdict; }
  // The criteria that made finding i, by reference.
  [[nodiscard]] std::span<const CriterionRef> Criteria(size_t i) const;
  // Every finding with its evidence written out as text (WriteEvidence of each criterion).
  [[nodiscard]] std::vector<Match> Written() const;

 private:
  friend Matches MatchTargets(const std::vector<MatchTarget>&, const CandidateIndex&);
  std::unique_ptr<Matcher> matcher_;
  HugeVector<Verdicted> verdicts_;
  FoundCriteria criteria_;
};

// Every (component, CVE) whose verdict is affected or review, with the criteria that made it, in
// target order, each component's CVEs in the index's order.
Matches MatchTargets(const std::vector<MatchTarget>& targets, const CandidateIndex& index);

// What the engine needs of an OSV record: the id findings carry and its affected packages.
struct CandidateOsv {
  std::string id;          // PYSEC-…, GHSA-…, DSA-…
  std::string finding_id;  // the CVE it aliases, else id
  std::vector<OsvAffected> affected;
};

// package key (Purl::PackageKey) → the OSV records that name it.
using OsvIndex = std::map<std::string, std::vector<const CandidateOsv*>>;

OsvIndex BuildOsvIndex(const std::vector<std::unique_ptr<CandidateOsv>>& records);

// Every (component with a package URL, OSV record) whose verdict is affected or review.
std::vector<Match> MatchOsvTargets(const std::vector<MatchTarget>& targets, const OsvIndex& index);

// One match per (target, component, vulnerability) when NVD and OSV both found it: the
// stronger verdict (affected over review) and the evidence of both.
std::vector<Match> MergeMatches(std::vector<Match> matches);

// The vendor:product key of a component, lower case ("" when it has no usable CPE).
std::pair<std::string, std::string> ProductOf(const Component& c);

}  // namespace mamori::vuln
