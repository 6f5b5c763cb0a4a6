// The organisation's preparedness records the checklist asks about: 体制 (医療情報システム安全
// 管理責任者, 企画管理者, システム運用担当者, each vendor's 管理責任者; 1-(1)), 連絡体制 (the
// contact list behind the 連絡体制図 and the 院内掲示用 poster; 3-(1)), the BCP for cyber attacks
// and its drills (3-(3)), and the evidence files they point to. Backups and restore tests (3-(2))
// will join them here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/json_body.hpp"
#include "ledger/ledger_service.hpp"
#include "store/tx.hpp"

namespace mamori::resilience {

using ledger::Scope;

// An uploaded evidence file (議事録, BCP, drill report). A vendor's user sees only its own.
struct StoredFile {
  int64_t id = 0;
  std::string file_name;
  std::string content_type;
  std::string sha256;
  int64_t size = 0;
  std::optional<int64_t> vendor_id;
  std::string uploaded_by;
  UnixMillis uploaded_at = 0;
  std::string content;  // filled by GetFile only
  [[nodiscard]] Json ToJson() const;
};

struct OrgRole {
  int64_t id = 0;
  std::string role;  // security_officer | planning_manager | operations | vendor_manager
  std::string person;
  std::string title;
  std::optional<int64_t> vendor_id;  // vendor_manager: whose
  std::string appointed_on;          // YYYY-MM-DD
  std::string ended_on;
  std::string approval;  // 承認の記録: "経営会議 2026-04-10"
  std::optional<int64_t> approval_file_id;
  std::string note;
  [[nodiscard]] Json ToJson() const;
  [[nodiscard]] bool ActiveOn(const std::string& day) const;
};

// Contact categories the checklist manual names (組織内, 事業者, 厚生労働省, 警察, 都道府県/保健所,
// the MHLW initial-response desk), and others.
inline constexpr const char* kContactCategories[] = {"internal",      "vendor",   "mhlw",
                                                     "mhlw_desk",     "police",   "prefecture",
                                                     "health_center", "security", "other"};

struct Contact {
  int64_t id = 0;
  std::string category;
  std::string organisation;
  std::string department;
  std::string person;
  std::string phone;
  std::string phone_after_hours;
  std::string email;
  std::string hours;  // 受付時間
  int64_t call_order = 0;
  std::optional<int64_t> vendor_id;
  std::optional<int64_t> system_id;
  std::string note;
  UnixMillis updated_at = 0;
  [[nodiscard]] Json ToJson() const;
};

struct BcpDocument {
  int64_t id = 0;
  std::string title;
  std::string version;
  bool cyber = true;  // covers cyber attacks
  std::string approved_on;
  std::string reviewed_on;
  std::optional<int64_t> file_id;
  std::string note;
  [[nodiscard]] Json ToJson() const;
};

struct Drill {
  int64_t id = 0;
  std::string held_on;
  std::string scenario;
  std::string participants;
  std::string findings;
  std::optional<int64_t> file_id;
  [[nodiscard]] Json ToJson() const;
};

// Reads a record from a JSON body; dates in 西暦 or 和暦 become YYYY-MM-DD; errors name the field.
Status ReadRole(JsonBody& body, OrgRole& r);
Status ReadContact(JsonBody& body, Contact& c);
Status ReadBcp(JsonBody& body, BcpDocument& b);
Status ReadDrill(JsonBody& body, Drill& d);

class ResilienceService {
 public:
  explicit ResilienceService(store::Database& db) : db_(db) {}

  // Stores a file (the same bytes again return the stored one).
  Result<StoredFile> PutFile(const Scope& scope, const std::string& file_name,
                             const std::string& content_type, const std::string& bytes);
  Result<StoredFile> GetFile(const Scope& scope, int64_t id);

  Result<std::vector<OrgRole>> ListRoles(const Scope& scope);
  Result<OrgRole> AddRole(const Scope& scope, const OrgRole& r);
  Result<OrgRole> UpdateRole(const Scope& scope, int64_t id, JsonBody& body);

  // Vendors see only their own contacts (and may keep them current).
  Result<std::vector<Contact>> ListContacts(const Scope& scope);
  Result<Contact> AddContact(const Scope& scope, const Contact& c);
  Result<Contact> UpdateContact(const Scope& scope, int64_t id, JsonBody& body);
  Status DeleteContact(const Scope& scope, int64_t id);

  Result<std::vector<BcpDocument>> ListBcp(const Scope& scope);
  Result<BcpDocument> AddBcp(const Scope& scope, const BcpDocument& b);
  Result<BcpDocument> UpdateBcp(const Scope& scope, int64_t id, JsonBody& body);

  Result<std::vector<Drill>> ListDrills(const Scope& scope);
  Result<Drill> AddDrill(const Scope& scope, const Drill& d);

 private:
  store::Database& db_;
};

}  // namespace mamori::resilience
