// 機器台帳 core: vendors (事業者), medical information systems and assets of one organisation.
// A vendor-scoped caller (role vendor) sees and edits only the rows of its own vendor
// organisation. The full ledger (imports, software components, completeness, reports) grows here.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/json_body.hpp"
#include "store/tx.hpp"

namespace mamori::ledger {

// The caller: whose organisation, and, for a vendor user, which vendor it is limited to.
struct Scope {
  store::Actor actor;
  std::optional<int64_t> vendor_id;
};

struct Vendor {
  int64_t id = 0;
  std::string name;
  std::string contact;
  std::string phone;
  std::string email;
  std::string contract_state = "active";
  [[nodiscard]] Json ToJson() const;
};

struct System {
  int64_t id = 0;
  std::optional<int64_t> vendor_id;
  std::string name;
  std::string kind;
  int64_t recovery_priority = 3;
  std::string notes;
  [[nodiscard]] Json ToJson() const;
};

// A piece of software on an asset, or on a product model (every asset of that maker and model):
// the CISA SBOM minimum elements a component has (supplier, name, version, identifiers, hashes,
// dependencies); the document-level ones (author, timestamp) are on its SBOM document.
struct SoftwareComponent {
  int64_t id = 0;
  std::string source;  // ledger | sbom | nmap | manual
  std::string name;
  std::string version;
  std::string supplier;
  std::string cpe;
  std::string purl;
  std::vector<std::string> hashes;  // "SHA-256:hex"
  std::string bom_ref;
  std::vector<std::string> depends_on;
  std::string raw;  // the ledger cell entry it was read from
  std::optional<int64_t> sbom_id;
  bool via_model = false;  // inherited from the product model's SBOM
  [[nodiscard]] Json ToJson() const;
  bool operator==(const SoftwareComponent& o) const {
    return source == o.source && name == o.name && version == o.version && supplier == o.supplier &&
           cpe == o.cpe && purl == o.purl && hashes == o.hashes && bom_ref == o.bom_ref &&
           depends_on == o.depends_on && raw == o.raw;
  }
};

// "maker\tmodel" (matched after NFKC and case folding) — the key of a product model.
std::string ProductKey(const std::string& maker, const std::string& model);

// "SQL Server 2019 15.0.4345.5; ウイルスバスター Corp. XG、Java 8 Update 202" → components
// (source "ledger"): entries split on ";", "；", "、" and line breaks; the version is the last
// word when it starts with a digit (or "v" and a digit).
std::vector<SoftwareComponent> ParseSoftwareCell(std::string_view cell);

struct Asset {
  int64_t id = 0;
  std::string category;  // server | pc | network | medical | cloud | other
  std::string name;
  std::string computer_name;
  std::string maker;
  std::string model;
  std::string serial;
  std::string os;
  std::string os_version;
  std::vector<std::string> ips;
  std::vector<std::string> macs;
  std::string location;
  std::string user_dept;
  std::optional<int64_t> system_id;
  std::optional<int64_t> vendor_id;
  std::string remote_maintenance = "unknown";  // yes | no | unknown
  std::string remote_method;  // 閉域網VPN, インターネットVPN, リモートデスクトップ…
  std::string remote_source_restricted = "unknown";  // yes | no | unknown
  std::vector<std::string> remote_allowed_sources;   // addresses or networks
  std::string remote_confirmed_on;                   // YYYY-MM-DD
  std::string remote_evidence;
  std::string purchase_date;  // YYYY-MM-DD
  std::string support_end;    // YYYY-MM-DD
  std::string notes;
  std::vector<std::string> discovery_sources;  // ledger, nmap, sbom…
  UnixMillis last_seen = 0;
  std::vector<SoftwareComponent> software;  // loaded with the asset
  UnixMillis updated_at = 0;
  [[nodiscard]] Json ToJson() const;
  // ToJson() plus "missing": the fields the checklist manual expects for this kind of asset
  // (2-(1): maker, OS, IP address, computer name, location, user…) that are empty.
  [[nodiscard]] Json ToJsonWithCompleteness() const;
};

// The asset's text fields by their API/JSON names ("user" is user_dept): one table for
// completeness checks and imports.
const std::map<std::string, std::string Asset::*>& AssetTextFields();

// The asset's date fields by their JSON names (YYYY-MM-DD or empty).
const std::map<std::string, std::string Asset::*>& AssetDateFields();

// IPv4 or IPv6 address text.
bool IsValidIp(const std::string& s);
// "00-1A-2b-..", "001a.2b3c.4d5e" → "00:1a:2b:3c:4d:5e"; empty when not a MAC address.
std::string NormaliseMac(const std::string& s);

// The expected fields of an asset that are empty, by category; "remote_maintenance" when the
// asset has a vendor and its remote-maintenance status is unknown (2-(2)).
std::vector<std::string> MissingFields(const Asset& a);

struct AssetQuery {
  std::string text;      // matches name, computer name, maker, model, location, IP
  std::string category;  // empty: all
  std::string sort;      // category (default) | name | host | location | updated
  // Computed conditions (evaluated over the whole ledger): incomplete | support_ended |
  // remote_attention (unknown, unconfirmed for a year, or not source-restricted).
  std::string filter;
  int64_t limit = 100;
  int64_t offset = 0;
};

struct AssetPage {
  std::vector<Asset> items;
  int64_t total = 0;
};

// Reads the fields of a JSON body into an asset/system/vendor (updates start from the stored row;
// absent fields keep their value). Errors name the field.
Status ReadAsset(JsonBody& body, Asset& a, bool create);
Status ReadSystem(JsonBody& body, System& s, bool create);
Status ReadVendor(JsonBody& body, Vendor& v, bool create);

// An SBOM stored for an asset or a product model (the document; its components are
// SoftwareComponents with source "sbom").
struct SbomDocument {
  int64_t id = 0;
  std::optional<int64_t> asset_id;
  std::string product_key;  // "maker\tmodel" when it describes a product model
  std::string format;
  std::string spec_version;
  std::string serial_number;
  std::string subject;
  std::string author;
  std::string created;
  std::string file_name;
  std::string sha256;
  int64_t component_count = 0;
  UnixMillis imported_at = 0;
  [[nodiscard]] Json ToJson() const;
};

// A device seen on the network that matched no asset (台帳未登録).
struct DiscoveredHost {
  int64_t id = 0;
  std::string ip;
  std::string mac;
  std::string mac_vendor;
  std::vector<std::string> hostnames;
  std::string os_guess;
  Json services = Json::array();  // [{port, protocol, name, product, version, cpe}]
  std::string source;
  std::string source_file;
  UnixMillis first_seen = 0;
  UnixMillis last_seen = 0;
  std::string status = "pending";  // pending | accepted | ignored
  std::optional<int64_t> asset_id;
  std::string note;
  std::string decided_by;
  UnixMillis decided_at = 0;
  [[nodiscard]] Json ToJson() const;
};

// An MDS or SDS on file for a system (checklist 2-(3)).
struct SystemDocument {
  int64_t id = 0;
  int64_t system_id = 0;
  std::string kind;  // mds | sds
  std::string file_name;
  std::string sha256;
  std::string content;  // filled by GetSystemDocument only
  std::string jahis_version;
  std::string received_on;  // YYYY-MM-DD
  std::optional<int64_t> blank_answers;
  std::string note;
  std::string uploaded_by;
  UnixMillis uploaded_at = 0;
  [[nodiscard]] Json ToJson() const;
};

// A generated management report (経営層への報告), kept as evidence.
struct LedgerReportRecord {
  int64_t id = 0;
  UnixMillis generated_at = 0;
  std::string generated_by;
  UnixMillis since = 0;  // the previous report's time; 0 for the first
  std::string file_name;
  std::string sha256;
  Json summary;
  std::string pdf;  // filled by GetReport only
  [[nodiscard]] Json ToJson() const;
};

// Whether two sightings are the same device: the same MAC, or (when either has no MAC) the same
// IP address.
bool SameDevice(const DiscoveredHost& a, const DiscoveredHost& b);

// A saved header mapping for imports (the wizard's result, reused for next year's file).
struct ImportProfile {
  int64_t id = 0;
  std::string name;
  std::map<std::string, std::string> mapping;  // header text → field ("" skips the column)
  [[nodiscard]] Json ToJson() const;
};

class LedgerService {
 public:
  explicit LedgerService(store::Database& db) : db_(db) {}

  Result<std::vector<Vendor>> ListVendors(const Scope& scope);
  Result<Vendor> CreateVendor(const Scope& scope, const Vendor& v);

  Result<std::vector<System>> ListSystems(const Scope& scope);
  Result<System> GetSystem(const Scope& scope, int64_t id);
  Result<System> CreateSystem(const Scope& scope, const System& s);
  Result<System> UpdateSystem(const Scope& scope, int64_t id, JsonBody& body);

  Result<AssetPage> ListAssets(const Scope& scope, const AssetQuery& q);
  Result<Asset> GetAsset(const Scope& scope, int64_t id);
  Result<Asset> CreateAsset(const Scope& scope, const Asset& a);
  Result<Asset> UpdateAsset(const Scope& scope, int64_t id, JsonBody& body);
  // Every asset the scope can see (imports match against them).
  Result<std::vector<Asset>> AllAssets(const Scope& scope);
  // Creates (before empty) and updates in one transaction, each with its own audit record
  // ("asset.import_create" / "asset.import_update", naming the source file).
  struct Change {
    std::optional<Asset> before;
    Asset after;
    // When set, the asset's software components from `software_source` become these.
    std::optional<std::vector<SoftwareComponent>> ledger_software;
    std::string software_source = "ledger";
    // Named in the file but not in the ledger yet: created (or found, if an earlier change of
    // the same batch created it) in the same transaction.
    std::string vendor_name;
    std::string system_name;
  };
  Status ApplyChanges(const Scope& scope, const std::vector<Change>& changes,
                      const std::string& source);
  // Stores an SBOM for an asset or a product model. The same document again (same SHA-256, same
  // target) changes nothing; an SBOM of the same subject for the same target replaces the one
  // before it (a device's new software version). Returns the stored document and how many
  // components the replaced documents had; `unchanged` when nothing was written.
  struct SbomAttach {
    SbomDocument doc;
    int64_t replaced = 0;
    bool unchanged = false;
  };
  Result<SbomAttach> AttachSbom(const Scope& scope, const SbomDocument& doc,
                                const std::vector<SoftwareComponent>& components, bool dry_run);
  Result<std::vector<SbomDocument>> ListSbomDocuments(const Scope& scope);

  // 台帳未登録: hosts seen on the network that match no asset. Vendors see none.
  Result<std::vector<DiscoveredHost>> ListDiscovered(const Scope& scope, const std::string& status);
  // Records hosts a scan saw (new ones as pending; known ones get their last sighting, and a
  // decision once taken stays). Returns how many were new.
  Result<int64_t> RecordDiscovered(const Scope& scope, const std::vector<DiscoveredHost>& hosts,
                                   const std::string& source_file);
  // Accept: the host becomes an asset (category and name given by the person; IP, MAC,
  // computer name and the services' software from the sighting). Ignore: stays out of the
  // ledger, with the reason, and is not listed as pending again.
  Result<Asset> AcceptDiscovered(const Scope& scope, int64_t id, const std::string& category,
                                 const std::string& name);
  Result<DiscoveredHost> IgnoreDiscovered(const Scope& scope, int64_t id, const std::string& note);

  // MDS/SDS: a vendor may add documents for its own systems.
  Result<SystemDocument> AddSystemDocument(const Scope& scope, const SystemDocument& d);
  Result<std::vector<SystemDocument>> ListSystemDocuments(const Scope& scope);
  Result<SystemDocument> GetSystemDocument(const Scope& scope, int64_t id);

  // Management reports; vendors have none.
  Result<std::vector<LedgerReportRecord>> ListReports(const Scope& scope);
  Result<LedgerReportRecord> GetReport(const Scope& scope, int64_t id);
  Result<LedgerReportRecord> StoreReport(const Scope& scope, const LedgerReportRecord& r);
  // How many asset changes of each kind ("asset.create", "asset.import_update"…) the audit
  // trail holds after `since`.
  Result<std::map<std::string, int64_t>> AssetChangesSince(const Scope& scope, UnixMillis since);

  Result<std::vector<ImportProfile>> ListProfiles(const Scope& scope);
  Result<std::optional<ImportProfile>> FindProfile(const Scope& scope, const std::string& name);
  // Creates or replaces the profile of that name.
  Result<ImportProfile> SaveProfile(const Scope& scope, const ImportProfile& p);

  // Many assets in one transaction with one audit record (demo seed, imports).
  Result<int64_t> CreateAssets(const Scope& scope, const std::vector<Asset>& assets,
                               const std::string& action);

 private:
  store::Database& db_;
};

}  // namespace mamori::ledger
