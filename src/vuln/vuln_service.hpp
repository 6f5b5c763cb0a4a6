// The vulnerability capability's API, used by the CLI and the server: feeds loaded from files
// (NVD, JVN, KEV, EPSS, endoflife.date; gzip accepted; the kind found from the content), the
// ledger's components matched into findings whose triage state is kept across re-matching, a bare
// SBOM matched without storing anything, due dates by policy, and end of support per component.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/json_body.hpp"
#include "formats/sbom.hpp"
#include "ledger/ledger_service.hpp"
#include "store/tx.hpp"
#include "vuln/bundle.hpp"
#include "vuln/feed_update.hpp"
#include "vuln/matcher.hpp"
#include "vuln/resolver.hpp"
#include "vuln/vex.hpp"

namespace mamori::vuln {

struct LoadResult {
  std::string file;
  std::string kind;  // nvd | cpe | jvn | osv | kev | epss | eol
  std::string version;
  int64_t records = 0;
  int64_t added = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  [[nodiscard]] Json ToJson() const;
};

// "nvd", "cpe" (the CPE dictionary), "jvn", "osv" (JSON or YAML), "kev", "epss", "eol" from the
// first bytes; "" when unknown.
std::string DetectFeedKind(std::string_view bytes);

// Due dates (days after the finding was first seen) by severity; a KEV entry's own due date
// applies when it is earlier. 0 days: no due date.
struct DuePolicy {
  int critical_days = 30;  // the checklist training cites PCI DSS: critical within one month
  int high_days = 90;
  int medium_days = 180;
  int low_days = 0;
  bool kev_due = true;
  [[nodiscard]] Json ToJson() const;
};

struct CvssSummary {
  std::string version, vector, severity;
  double score = 0;
};

// States: new (未評価), affected (影響あり), not_affected (影響なし, with a VEX justification),
// fixed (対応済), accepted (リスク受容: reason, approver, review date).
inline constexpr const char* kFindingStates[] = {"new", "affected", "not_affected", "fixed",
                                                 "accepted"};
// CycloneDX / CSAF VEX justifications for not_affected.
inline constexpr const char* kVexJustifications[] = {
    "component_not_present", "vulnerable_code_not_present", "vulnerable_code_not_in_execute_path",
    "vulnerable_code_cannot_be_controlled_by_adversary", "inline_mitigations_already_exist"};

// An asset's security requirements: CVSS CR, IR and AR, each L, M, H or X (not defined).
struct AssetRequirements {
  int64_t asset_id = 0;
  std::string asset_name;
  std::string cr = "X", ir = "X", ar = "X";
  std::string note;
  std::string updated_by;
  UnixMillis updated_at = 0;
  // "CR:H/IR:H/AR:M" — the metrics that are defined (X left out); "" when none is.
  [[nodiscard]] std::string Vector() const;
  [[nodiscard]] Json ToJson() const;
};

struct Finding {
  int64_t id = 0;
  std::string target;
  std::optional<int64_t> asset_id;
  std::string asset_name;
  std::string asset_category;
  std::string component_key, component_name, component_version;
  std::string component_purl;  // its package URL, when known
  std::string cve;
  std::string verdict;  // affected | review
  std::vector<Evidence> evidence;
  std::string state = "new";
  std::string justification, state_note, state_source, approver, review_date;
  UnixMillis first_seen = 0, last_seen = 0;
  std::optional<UnixMillis> gone_at;
  // Joined from the feeds.
  CvssSummary cvss;
  std::string title_ja;  // JVN iPedia
  std::string jvndb;
  bool kev = false;
  std::string kev_due;
  bool ransomware = false;
  std::optional<double> epss;
  // The asset's security requirements ("CR:H/IR:H/AR:M") and the CVE's score with them (CVSS
  // v3.x environmental, v4.0 CVSS-BE); none for v2 or without requirements. The due date and
  // the severity filter follow this severity where there is one.
  std::string requirements;
  std::optional<double> environmental_score;
  std::string environmental_severity;
  [[nodiscard]] const std::string& Severity() const {
    return environmental_severity.empty() ? cvss.severity : environmental_severity;
  }
  std::string due_date;  // by policy
  bool overdue = false;
  [[nodiscard]] bool Open() const { return !gone_at && (state == "new" || state == "affected"); }
  [[nodiscard]] Json ToJson(Lang lang) const;
};

// The findings of one CVE together — one advisory, one patch, many assets: what a hospital works
// through and triages at once.
struct CveGroup {
  std::string cve;
  std::string title_ja, jvndb;
  CvssSummary cvss;      // the CVE's own score
  std::string severity;  // the gravest of its findings' (with the assets' requirements)
  bool kev = false;
  std::string kev_due;
  bool ransomware = false;
  std::optional<double> epss;
  int64_t findings = 0, assets = 0, open = 0, overdue = 0, review = 0;
  std::string due_date;                   // the earliest of its open findings'
  std::map<std::string, int64_t> states;  // state → findings
  [[nodiscard]] Json ToJson() const;
};

// Findings grouped by CVE, most urgent first: in KEV, then by severity, then by how many are open.
std::vector<CveGroup> GroupByCve(const std::vector<Finding>& list);

// The message key of a finding's state (vuln.state_new … vuln.state_accepted) for Tr.
const char* FindingStateKey(const std::string& state);

// At most this many findings triaged by one request.
inline constexpr size_t kTriageMaxFindings = 1000;

struct FindingQuery {
  std::optional<int64_t> asset_id;
  std::string cve;
  std::string state;  // one state, or "open" (new + affected)
  bool include_gone = false;
  // Views over the same list (computed fields: applied after the policy and feeds).
  std::string category;  // the asset's device class
  std::string severity;  // CRITICAL … NONE
  std::string verdict;   // affected | review
  bool only_gone = false;
  bool overdue = false;
  bool kev = false;
};

// One page of findings and how many there are in all.
struct FindingPage {
  int64_t total = 0;
  std::optional<int64_t> limit;  // as asked; nullopt: every finding
  int64_t offset = 0;
  std::vector<Finding> items;
  // {total, limit, offset (when paged), items}: the API's reply and the CLI's --json.
  [[nodiscard]] Json ToJson(Lang lang) const;
};

struct MatchSummary {
  int64_t targets = 0;
  int64_t components = 0;
  int64_t unresolved = 0;  // components without a CPE mamori could use
  int64_t candidates = 0;  // CVEs considered
  int64_t added = 0;
  int64_t still = 0;
  int64_t gone = 0;
  // The findings present after this match (not gone), whether evaluated now or kept from an
  // earlier match: an incremental match that evaluates nothing still has them.
  int64_t current = 0;
  int64_t vex_applied = 0;        // findings whose state a VEX statement set
  bool incremental = false;       // only what changed since the last match was evaluated
  int64_t evaluated_targets = 0;  // targets evaluated (in full, or against new records)
  int64_t changed_records = 0;    // CVE and OSV records loaded since the last match
  std::vector<Json> changes;      // {change: added|gone|returned, cve, asset, component, version}
  [[nodiscard]] Json ToJson() const;
};

struct VexLoadResult {
  std::string file, format, id, author;
  std::string category, title;  // CSAF: csaf_vex, csaf_security_advisory…; its title
  int64_t statements = 0;
  int64_t applied = 0;  // findings whose state changed
  [[nodiscard]] Json ToJson() const;
};

struct EolStatus {
  std::optional<int64_t> asset_id;
  std::string asset_name;
  std::string component;  // name and version
  std::string product;    // endoflife.date id
  std::string cycle;
  std::string eol;  // date, or "" with ended=true when only "ended" is known
  bool ended = false;
  int64_t days_left = 0;                // negative: ended that many days ago
  std::vector<std::string> candidates;  // ambiguous cycles
  [[nodiscard]] Json ToJson() const;
};

// A ledger name no alias or confirmation resolves: the queue a person works through.
struct UnresolvedName {
  std::string name, version, normalised;
  int64_t count = 0;                // ledger entries that carry it
  std::vector<std::string> assets;  // the first few
  std::vector<int64_t> asset_ids;   // all of them
  std::vector<NameCandidate> candidates;
  [[nodiscard]] Json ToJson() const;
};

Json ResolutionJson(const Resolution& r);

struct BundleLoadResult {
  std::string file;
  BundleManifest manifest;
  VerifiedSignature signature;
  std::string sha256;
  bool already_loaded = false;
  std::vector<LoadResult> files;
  [[nodiscard]] Json ToJson() const;
};

struct FeedUpdateResult {
  std::string source;
  bool not_modified = false;
  int64_t requests = 0;
  std::vector<std::string> files;
  std::vector<LoadResult> loaded;
  std::vector<Error> problems;
  std::optional<Error> error;
  [[nodiscard]] Json ToJson(Lang lang) const;
};

// Feed files loaded together (a directory of NVD pages, a bundle's feeds): each file is parsed,
// then written in a savepoint of its own inside a bulk transaction that is committed every
// kBatchFiles files or kBatchMillis. done(i, result) is called once a file's fate is known — at
// once for a file that cannot be parsed or written (it leaves what is stored as it was; the
// others are kept), after its batch is committed for the rest. A store error (a commit, a
// savepoint) is returned by Add or Finish after done has been told for each file of the batch it
// lost. Finish commits the last batch; a loader dropped unfinished rolls it back (and says so).
class FeedLoader {
 public:
  using Done = std::function<void(size_t i, Result<LoadResult> r)>;
  static constexpr size_t kBatchFiles = 32;
  static constexpr UnixMillis kBatchMillis = 3000;
  // A file up to this size (not gzip) is parsed on a thread of the loader's own while the one
  // before is written; a larger one (a yearly feed) alone, so that two are never held at once.
  static constexpr size_t kAheadMaxBytes = size_t{64} << 20;
  FeedLoader(store::Database& db, store::Actor actor, Done done);
  ~FeedLoader();
  FeedLoader(const FeedLoader&) = delete;
  FeedLoader& operator=(const FeedLoader&) = delete;
  // File i (gzip accepted), named for errors and the feed-file record. `done` is called once per
  // file, on the caller's thread: with the error when the file is refused, with its result when
  // its batch is committed (at a later Add or at Finish).
  Status Add(size_t i, std::string bytes, const std::string& name);
  Status Finish();

 private:
  struct Ahead;
  struct Parsed;
  Status Write(size_t i, Parsed parsed);
  Status Commit(bool last);
  Status LoseBatch(const Error& e);
  std::unique_ptr<Ahead> ahead_;  // declared first: destroyed (its thread joined) last
  store::Database& db_;
  store::Actor actor_;
  Done done_;
  std::optional<store::Tx> tx_;
  std::vector<std::pair<size_t, LoadResult>> pending_;  // written, not yet committed
  UnixMillis batch_began_ = 0;
};

class VulnService {
 public:
  VulnService(store::Database& db, ledger::LedgerService& ledger) : db_(db), ledger_(ledger) {}

  // One file (gzip accepted). A file that fails to read changes nothing.
  Result<LoadResult> Load(const store::Actor& actor, std::string bytes, const std::string& file);
  // Several files at once: FeedLoader.
  [[nodiscard]] store::Database& Store() { return db_; }
  Result<std::vector<Json>> FeedFiles(const store::Actor& actor);

  // The signed offline bundle (bundle.hpp). Keys trusted to sign bundles are the installation's,
  // like the feeds; trusting and removing one is audited.
  Result<std::vector<Json>> BundleKeys(const store::Actor& actor);
  // The same keys, read for verifying (a stored key that does not parse is left out).
  Result<std::vector<PublicKey>> TrustedBundleKeys(const store::Actor& actor);
  Result<Json> TrustBundleKey(const store::Actor& actor, const PublicKey& key,
                              const std::string& comment);
  Status DistrustBundleKey(const store::Actor& actor, const std::string& key_id);
  // Verifies the bundle with the trusted keys and extra_keys (given for this load only), refuses
  // a delta whose base was never loaded, loads each file in its own transaction (as `Load`) and
  // records the bundle. A bundle already loaded is skipped unless force.
  Result<BundleLoadResult> LoadBundle(
      const store::Actor& actor, const std::string& path, const std::vector<PublicKey>& extra_keys,
      bool force, const std::function<void(size_t, size_t, const std::string&)>& progress = {});
  Result<std::vector<Json>> Bundles(const store::Actor& actor);

  // Downloads each source (feed_update.hpp) into options.dir and loads what came unless
  // download_only; a source that fails keeps its cursor (the next run asks for the same range)
  // and does not stop the others.
  Result<std::vector<FeedUpdateResult>> UpdateFeeds(const store::Actor& actor,
                                                    const FeedUpdateOptions& options,
                                                    bool download_only);
  Result<std::vector<Json>> FeedSources(const store::Actor& actor);

  // Matches the assets of the scope; findings are added, kept (state untouched) or marked gone.
  // Incremental unless full: an asset whose resolved components are unchanged since its last
  // match is evaluated only against the CVE/OSV records loaded since; a changed one in full.
  Result<MatchSummary> MatchLedger(const ledger::Scope& scope, const std::string& today,
                                   bool full = false);
  // A bare SBOM: findings computed, nothing stored; the stored VEX statements and those of
  // vex (the maker's documents given with it) applied.
  Result<std::vector<Finding>> MatchSbom(const store::Actor& actor, const formats::Sbom& sbom,
                                         const std::string& file, const std::string& today,
                                         const std::vector<VexDocument>& vex = {});

  // A VEX document (CycloneDX VEX, CSAF VEX, OpenVEX): stored for this organisation and applied
  // to its findings that no person has triaged. Loaded by a vendor's account, its statements
  // speak for that vendor's assets only (now and at every later match).
  Result<VexLoadResult> LoadVex(const ledger::Scope& scope, std::string bytes,
                                const std::string& file);
  // The documents loaded (a vendor's account: those it loaded).
  Result<std::vector<Json>> VexDocuments(const ledger::Scope& scope);
  // VEX out for one asset: "cyclonedx" (CycloneDX 1.5 VEX) or "csaf" (CSAF 2.0 csaf_vex).
  Result<Json> ExportVex(const ledger::Scope& scope, int64_t asset_id, const std::string& format,
                         const std::string& today);

  // Security requirements per asset (CVSS CR/IR/AR) that findings are scored with: listed, set
  // (each L, M, H or X; audited) and cleared. A vendor's account sees its assets' and changes
  // none (the hospital decides what an asset's data is worth).
  Result<std::vector<AssetRequirements>> Requirements(const ledger::Scope& scope);
  Result<AssetRequirements> SetRequirements(const ledger::Scope& scope, AssetRequirements r);
  Status ClearRequirements(const ledger::Scope& scope, int64_t asset_id);

  // A page (limit 1–1000 from offset) of Findings; every finding when limit is nullopt.
  Result<FindingPage> FindingsPage(const ledger::Scope& scope, const FindingQuery& q,
                                   const std::string& today, std::optional<int64_t> limit,
                                   int64_t offset);
  Result<std::vector<Finding>> Findings(const ledger::Scope& scope, const FindingQuery& q,
                                        const std::string& today);
  // Findings grouped by CVE (the same query; GroupByCve).
  Result<std::vector<CveGroup>> FindingsByCve(const ledger::Scope& scope, const FindingQuery& q,
                                              const std::string& today);
  // {state, justification, note, approver, review_date}: the rules of each state are checked.
  Result<Finding> Triage(const ledger::Scope& scope, int64_t id, JsonBody& body,
                         const std::string& today);
  // The same decision for several findings (e.g. every PC a patch was rolled out to), in one
  // transaction: all of them or, when one is not found in scope, none; one audit record each.
  // Returns them in the order of ids.
  Result<std::vector<Finding>> TriageMany(const ledger::Scope& scope,
                                          const std::vector<int64_t>& ids, JsonBody& body,
                                          const std::string& today);

  // Free text → CPE candidates (aliases, this organisation's confirmations, the CPE dictionary).
  Result<Resolution> Resolve(const ledger::Scope& scope, const std::string& name,
                             const std::string& version);
  // with_candidates: also look up each name's candidates (slower; the queue view wants them).
  Result<std::vector<UnresolvedName>> Unresolved(const ledger::Scope& scope,
                                                 bool with_candidates = true);
  // When feeds were last loaded and the ledger last matched (ms; 0 = never).
  Result<std::pair<UnixMillis, UnixMillis>> LastLoadAndMatch(const store::Actor& actor);
  // Remembers that the name (with its version) is this CPE, for every later match.
  Result<Resolution> Confirm(const ledger::Scope& scope, const std::string& name,
                             const std::string& version, const std::string& cpe);

  Result<DuePolicy> Policy(const store::Actor& actor);
  Result<DuePolicy> SetPolicy(const store::Actor& actor, JsonBody& body);

  // Components and assets past, or within near_days of, their end of support.
  Result<std::vector<EolStatus>> Eol(const ledger::Scope& scope, const std::string& today,
                                     int near_days);

 private:
  store::Database& db_;
  ledger::LedgerService& ledger_;
};

}  // namespace mamori::vuln
