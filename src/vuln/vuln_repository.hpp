// SQL of the vulnerability capability: the shared feed tables and the organisation's findings.
#pragma once

#include <map>
#include <memory>
#include <set>

#include "vuln/eol.hpp"
#include "vuln/feeds.hpp"
#include "vuln/jvn.hpp"
#include "vuln/nvd_feed.hpp"
#include "vuln/resolver.hpp"
#include "vuln/vex_apply.hpp"
#include "vuln/vuln_service.hpp"

namespace mamori::vuln::repo {

struct Counts {
  int64_t added = 0, updated = 0, unchanged = 0;
};

// A record older than the stored one (lastModified) is left as stored: loading last year's
// yearly feed after this week's pages does not undo them.
Result<Counts> UpsertCves(store::Tx& tx, const std::vector<CveRecord>& cves);
Result<Counts> UpsertJvn(store::Tx& tx, const std::vector<JvnEntry>& entries);
// OSV records (a newer "modified" replaces; withdrawn ones are kept, never matched); their CVE
// aliases join vuln_aliases so that KEV, EPSS and JVN apply to OSV findings too.
Result<Counts> UpsertOsv(store::Tx& tx, const std::vector<OsvRecord>& records);
// The OSV records naming any of these package keys (withdrawn ones left out).
Result<std::vector<std::unique_ptr<CandidateOsv>>> OsvCandidates(
    store::Tx& tx, const std::set<std::string>& package_keys);
// Where a JVN candidate came from, and what JVN states of each of its products' versions: the
// words, and whether they were read into ranges (else the product is matched without one).
struct JvnSource {
  struct Product {
    bool read = false;
    std::vector<std::string> texts;
  };
  std::string jvndb;
  std::map<std::pair<std::string, std::string>, Product> products;  // vendor, product (lower)
};
// JVN iPedia entries naming any of these vendor:product pairs in their CPEs, as candidates of
// one configuration under each CVE they alias (or their JVNDB id when they have none): each
// product vulnerable in the ranges JVN states for that CVE (ReadJvnVersion), or without a range
// where JVN states none or words not read (要確認); a product JVN names only for the entry's
// other CVEs is left out. A CVE whose NVD record has configurations is left to NVD. jvn_of:
// candidate id → its source.
Result<std::vector<std::unique_ptr<CandidateCve>>> JvnCandidates(
    store::Tx& tx, const std::set<std::pair<std::string, std::string>>& products,
    std::map<std::string, JvnSource>* jvn_of);
// The catalog, the daily scores and a product's releases are each complete: they replace what
// was stored.
Status ReplaceKev(store::Tx& tx, const KevCatalog& kev);
Status ReplaceEpss(store::Tx& tx, const EpssFile& epss);
Status ReplaceEol(store::Tx& tx, const EolProduct& product);
Status InsertFeedFile(store::Tx& tx, const LoadResult& r, const std::string& sha256);
Result<std::vector<Json>> FeedFiles(store::Tx& tx);

// The CVEs whose vulnerable criteria name one of the products ("*" as vendor: any vendor).
Result<std::vector<std::unique_ptr<CandidateCve>>> Candidates(
    store::Tx& tx, const std::set<std::pair<std::string, std::string>>& products);

struct CveInfo {
  CvssSummary cvss;
  std::string title_ja, jvndb;
  bool kev = false;
  std::string kev_due;
  bool ransomware = false;
  std::optional<double> epss;
};
Result<std::map<std::string, CveInfo>> CveInfos(store::Tx& tx, const std::set<std::string>& ids);

Result<std::vector<EolProduct>> EolProducts(store::Tx& tx);

// The last feed file loaded (any organisation: feeds are shared) and this organisation's last
// match (from the audit trail), ms; 0 = never.
Result<std::pair<UnixMillis, UnixMillis>> LastLoadAndMatch(store::Tx& tx, int64_t org_id);

// The offline bundle: keys trusted to sign feeds, bundles loaded, and the downloader's state.
struct TrustedKey {
  std::string key_id, public_key_b64, comment, added_by;
  UnixMillis added_at = 0;
};
Result<std::vector<TrustedKey>> TrustedKeys(store::Tx& tx);
Status PutTrustedKey(store::Tx& tx, const TrustedKey& key);
Result<bool> DeleteTrustedKey(store::Tx& tx, const std::string& key_id);
struct LoadedBundle {
  std::string bundle_id, base_id, created, producer, key_id, sha256, loaded_by;
  int64_t sequence = 0, files = 0;
  UnixMillis loaded_at = 0;
  [[nodiscard]] Json ToJson() const;
};
Result<std::optional<LoadedBundle>> FindBundle(store::Tx& tx, const std::string& bundle_id);
Status InsertBundle(store::Tx& tx, const LoadedBundle& b);
Result<std::vector<LoadedBundle>> Bundles(store::Tx& tx);
struct FeedSourceState {
  std::string source, cursor, etag, last_error;
  UnixMillis last_success = 0, last_attempt = 0;
  [[nodiscard]] Json ToJson() const;
};
Result<std::vector<FeedSourceState>> FeedSources(store::Tx& tx);
Status PutFeedSource(store::Tx& tx, const FeedSourceState& s);

Result<Counts> UpsertCpeDictionary(store::Tx& tx, const std::vector<CpeProduct>& products);
// Dictionary products whose name is one of `products` (lower case, "_" for spaces).
Result<std::vector<DictionaryEntry>> DictionaryProducts(store::Tx& tx,
                                                        const std::vector<std::string>& products);
// The organisation's confirmed names: normalised text → CPE.
Result<std::map<std::string, std::string>> NameMap(store::Tx& tx, int64_t org_id);
Status PutNameMap(store::Tx& tx, int64_t org_id, const std::string& normalised,
                  const std::string& cpe);

// The stored findings the query's stored fields select (asset, CVE, state, gone), by CVE and
// id; only `limit` of them from `offset` when a limit is given (the query's computed views —
// severity, KEV, overdue… — are the caller's).
Result<std::vector<Finding>> Findings(store::Tx& tx, int64_t org_id, const FindingQuery& q,
                                      std::optional<int64_t> vendor_id,
                                      std::optional<int64_t> limit = std::nullopt,
                                      int64_t offset = 0);
// How many Findings selects without a limit.
Result<int64_t> CountFindings(store::Tx& tx, int64_t org_id, const FindingQuery& q,
                              std::optional<int64_t> vendor_id);
Result<std::optional<Finding>> FindingById(store::Tx& tx, int64_t org_id, int64_t id,
                                           std::optional<int64_t> vendor_id);
Result<int64_t> InsertFinding(store::Tx& tx, int64_t org_id, const Finding& f);
Status RefreshFinding(store::Tx& tx, int64_t id, const Finding& f);  // verdict, evidence, seen
Status MarkFindingGone(store::Tx& tx, int64_t id, UnixMillis at);
Status UpdateFindingState(store::Tx& tx, int64_t org_id, const Finding& f);

// VEX: a document and its statements (one row per product), this organisation's statements,
// what is known of each asset for statements about whole products, the documents loaded.
// vendor_id: loaded by a vendor's account (its statements speak for its assets only).
Result<int64_t> InsertVexDocument(store::Tx& tx, int64_t org_id, std::optional<int64_t> vendor_id,
                                  const VexDocument& d, const std::string& file,
                                  const std::string& sha256);
Result<std::vector<StoredVex>> VexStatements(store::Tx& tx, int64_t org_id);
Result<std::map<int64_t, VexTarget>> VexTargets(store::Tx& tx, int64_t org_id);
// A vendor's account lists only the documents it loaded.
Result<std::vector<Json>> VexDocuments(store::Tx& tx, int64_t org_id,
                                       std::optional<int64_t> vendor_id);

// Security requirements per asset (CVSS CR/IR/AR), by asset id.
Result<std::map<int64_t, AssetRequirements>> Requirements(store::Tx& tx, int64_t org_id);
Status PutRequirements(store::Tx& tx, int64_t org_id, const AssetRequirements& r);
Result<bool> DeleteRequirements(store::Tx& tx, int64_t org_id, int64_t asset_id);
// Incremental matching: each target's fingerprint at the last match, and the feed records loaded
// since a time (CVE ids, and the ids OSV records give their findings).
Result<std::map<std::string, std::pair<std::string, UnixMillis>>> MatchState(store::Tx& tx,
                                                                             int64_t org_id);
Status PutMatchState(store::Tx& tx, int64_t org_id, const std::string& target,
                     const std::string& fingerprint);
Status DeleteMatchState(store::Tx& tx, int64_t org_id, const std::string& target);
Result<std::set<std::string>> ChangedSince(store::Tx& tx, UnixMillis since);

// The organisation's name and kind (hospital | clinic | maker | soc), for VEX out.
Result<std::pair<std::string, std::string>> OrgNameAndKind(store::Tx& tx, int64_t org_id);

}  // namespace mamori::vuln::repo
