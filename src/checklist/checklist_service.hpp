// Assessments against the MHLW checklist: per organisation, fiscal year, form (and, for the
// 事業者確認用, per vendor), each item and device-class row has a suggested answer computed from
// live data (evaluator.hpp) beside the human answers of the first and second check, with their
// dates, target dates, notes and evidence. A suggestion never becomes an answer by itself: a
// person confirms it, and every answer is in the audit trail.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "checklist/definitions.hpp"
#include "checklist/evaluator.hpp"
#include "checklist/official_import.hpp"

namespace mamori::checklist {

inline constexpr const char* kAnswers[] = {"yes", "no", "unknown", "not_applicable"};

struct AnswerRecord {
  std::string year;
  std::string form;
  int64_t vendor_id = 0;  // 0: the hospital's own form
  std::string item_id;
  std::string row = "general";
  int64_t round = 1;       // 1回目 / 2回目
  std::string answer;      // yes | no | unknown | not_applicable
  std::string checked_on;  // 確認日
  std::string target_on;   // 目標日 (required for no)
  std::string note;
  std::string suggested;  // the evaluator's suggestion when the answer was given
  std::string answered_by;
  UnixMillis answered_at = 0;
  [[nodiscard]] Json ToJson() const;
};

struct EvidenceItem {
  int64_t id = 0;
  std::string item_id;
  std::string kind;  // file | link
  std::optional<int64_t> file_id;
  std::string link;
  std::string label;
  std::string added_by;
  UnixMillis added_at = 0;
  [[nodiscard]] Json ToJson() const;
};

struct Disagreement {
  std::string item_id;
  std::string row;
  int64_t vendor_id = 0;
  std::string vendor_name;
  std::string hospital_answer;
  std::string vendor_answer;
  [[nodiscard]] Json ToJson() const;
};

// One item × row of an assessment.
struct RowState {
  const ItemDef* item = nullptr;
  std::string row;
  bool reference = false;  // 参考項目 that year
  Suggestion suggestion;
  std::optional<AnswerRecord> first;
  std::optional<AnswerRecord> second;
  // The answer that counts: the second check's when given, else the first's.
  [[nodiscard]] const AnswerRecord* Current() const {
    return second ? &*second : (first ? &*first : nullptr);
  }
};

struct Assessment {
  FormDef form;
  int64_t vendor_id = 0;
  std::string vendor_name;
  std::string today;
  std::vector<RowState> rows;
  std::vector<EvidenceItem> evidence;
  std::vector<Disagreement> disagreements;
  struct Summary {
    int rows = 0;
    int answered = 0;
    int yes = 0;
    int no = 0;
    int unknown = 0;
    int not_applicable = 0;
    int target_soon = 0;     // いいえ with a target date within 30 days
    int target_overdue = 0;  // いいえ past its target date
    int suggested_yes = 0;
    int suggested_no = 0;
    int no_data = 0;
    int differs = 0;  // the current answer differs from the suggestion (yes/no)
  } summary;
  [[nodiscard]] Json ToJson(Lang lang) const;
};

// A time-limited read-only link to one fiscal year's forms, for an inspector without an account.
struct ShareLink {
  int64_t id = 0;
  std::string token;  // only when created; never stored
  std::string prefix;
  std::string year;
  std::string note;
  std::string created_by;
  UnixMillis created_at = 0;
  UnixMillis expires_at = 0;
  bool revoked = false;
  std::optional<UnixMillis> last_used_at;
  [[nodiscard]] Json ToJson() const;
};

// What a valid link grants: the organisation and the year.
struct ShareGrant {
  int64_t org_id = 0;
  std::string year;
  int64_t link_id = 0;
};

struct AssessQuery {
  std::string year;  // "R8"; empty: the fiscal year of today
  std::string form = "hospital";
  std::optional<int64_t> vendor_id;  // 事業者確認用: whose (a vendor's own user: always its own)
};

class ChecklistService {
 public:
  ChecklistService(store::Database& db, ledger::LedgerService& ledger,
                   resilience::ResilienceService& records, const Registry& registry)
      : db_(db), ledger_(ledger), records_(records), registry_(registry) {}

  // Bundled definitions, with the organisation's imported ones in place of the same year/form.
  Result<std::vector<FormDef>> Forms(const ledger::Scope& scope);
  Result<FormDef> Form(const ledger::Scope& scope, const std::string& year,
                       const std::string& form);

  // Loads a form from the MHLW workbook (official_import.hpp); it replaces the bundled definition
  // of that year and form for this organisation. Vendors cannot.
  Result<OfficialImport> ImportOfficial(const ledger::Scope& scope, std::string_view bytes,
                                        const OfficialImportOptions& opt, bool dry_run);

  Result<Assessment> Assess(const ledger::Scope& scope, AssessQuery q, const std::string& today);

  // The intervals the evaluators apply (days; organisation settings "checklist.*").
  Result<EvalSettings> Settings(const ledger::Scope& scope);
  // Changes the fields present in the body (1…3650 days each); audited.
  Result<EvalSettings> UpdateSettings(const ledger::Scope& scope, JsonBody& body);

  // Records a human answer (created or replaced). Checks the item, row, round, dates (目標日
  // required for いいえ and within the fiscal year) and who may answer which form.
  Result<AnswerRecord> SetAnswer(const ledger::Scope& scope, AnswerRecord a,
                                 const std::string& today);
  // An item's answers over time, from the audit trail.
  Result<std::vector<Json>> History(const ledger::Scope& scope, const AssessQuery& q,
                                    const std::string& item_id);

  // Links last at most 30 days; vendors cannot create them.
  Result<ShareLink> CreateShareLink(const ledger::Scope& scope, const std::string& year,
                                    int64_t days, const std::string& note);
  Result<std::vector<ShareLink>> ListShareLinks(const ledger::Scope& scope);
  Status RevokeShareLink(const ledger::Scope& scope, int64_t id);
  // An unknown, expired or revoked token is kUnauthenticated (the same answer for each).
  Result<ShareGrant> ResolveShareLink(const std::string& token, const std::string& ip);

  // The evidence files a year's forms point to: attached to an item, or behind an evaluator's
  // evidence (appointment approvals, BCP documents, drill reports). A share link opens only these.
  Result<std::set<int64_t>> EvidenceFileIds(const ledger::Scope& scope, const std::string& year);

  Result<EvidenceItem> AddEvidence(const ledger::Scope& scope, const AssessQuery& q,
                                   EvidenceItem e);

 private:
  // The vendor a query is about: a vendor's user is limited to its own.
  Result<int64_t> VendorOf(const ledger::Scope& scope, const AssessQuery& q);

  store::Database& db_;
  ledger::LedgerService& ledger_;
  resilience::ResilienceService& records_;
  const Registry& registry_;
};

}  // namespace mamori::checklist
