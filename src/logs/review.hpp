// The periodic review of access logs (定期的な確認, checklist 2-(6)): for a period, what a
// reviewer must look at — volume per source, sources silent, clocks off, failed logons (and
// bursts of them), logons outside the facility's working hours (its calendar with Japanese public
// holidays), administrator actions, log clearing (EventID 1102/104), one patient's record opened
// by many users and one user opening many patients, remote-maintenance logons — as a Japanese PDF
// report and a JSON summary. The review is recorded with the state of the log store it read
// (checkpoint size and Merkle root), and the reviewer's sign-off is signed with the node key and
// kept as evidence.
//
// Which events are logons, administrator actions, log clearing or remote access is data:
// `rules/review.yaml` (embedded), matched on format, action, event ID, logon type, application
// and message text.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "logs/calendar.hpp"
#include "logs/logs_service.hpp"
#include "logs/sources.hpp"
#include "resilience/resilience_service.hpp"
#include "store/tx.hpp"

namespace mamori::logs {

// A rule of rules/review.yaml: every condition given must hold (lists: any of them).
struct ReviewRule {
  std::string category;  // logon | admin | log_cleared | remote | service_account
  std::vector<std::string> formats, actions, action_contains, apps, message_contains, logon_types,
      user_prefixes, user_suffixes;
  std::vector<int64_t> event_ids;
};

class EventClassifier {
 public:
  static Result<EventClassifier> FromYaml(std::string_view text, const std::string& file);
  static const EventClassifier& Builtin();
  [[nodiscard]] std::set<std::string> Categories(const LogEvent& e) const;

 private:
  std::vector<ReviewRule> rules_;
};

struct ReviewOptions {
  UnixMillis from = 0, to = 0;  // [from, to)
  UnixMillis now = 0;  // when the review is computed: silence is measured up to min(to, now)
  std::string period_from, period_to;  // as the reviewer named them (YYYY-MM-DD, inclusive)
  WorkCalendar calendar = WorkCalendar::Default();
  std::vector<LogSource> sources;            // the registry
  std::vector<std::string> remote_networks;  // the ledger's remote-maintenance source addresses
  int patient_many_users_day = 10;  // a patient opened by at least this many users in one day
  int user_many_patients_day = 50;  // a user opening at least this many patients in one day
  int failed_burst = 5;             // failed logons of one user within 10 minutes
  size_t list_limit = 500;          // rows kept per list (counts stay exact)
};

// What the review found, as data (also the summary stored with the review).
Result<Json> ComputeReview(LogsService& logs, const ReviewOptions& o,
                           const EventClassifier& classifier = EventClassifier::Builtin());

// The Japanese PDF report of a computed review.
Result<std::string> RenderReviewPdf(const Json& review, const std::string& org_name);

struct Review {
  int64_t id = 0;
  std::string period_from, period_to;
  Json summary;
  std::optional<int64_t> report_file_id;
  std::string report_sha256;
  uint64_t store_size = 0;
  std::string store_root;
  UnixMillis created_at = 0;
  std::string created_by;
  std::string signed_by;
  std::optional<UnixMillis> signed_at;
  std::string signoff_comment;
  std::string signature;
  [[nodiscard]] Json ToJson(bool with_summary) const;
  // The text the sign-off signature covers.
  [[nodiscard]] std::string SignedText() const;
};

struct VerificationRun {
  UnixMillis verified_at = 0;
  bool ok = false;
  uint64_t events = 0, checkpoints = 0;
  int64_t problems = 0;
  std::string verified_by;
  [[nodiscard]] Json ToJson() const;
};

class ReviewService {
 public:
  ReviewService(store::Database& db, resilience::ResilienceService& files)
      : db_(db), files_(files) {}

  // Computes the review of [from, to] (JST dates, inclusive), renders the PDF, stores it as an
  // evidence file and records the review with the store's last checkpoint. The ledger gives the
  // addresses vendors maintain systems from (logons from them are remote maintenance).
  Result<Review> Create(const store::Actor& actor, LogsService& logs, LogSourcesService& sources,
                        ledger::LedgerService& ledger, const std::string& from,
                        const std::string& to, const std::string& org_name);
  Result<std::vector<Review>> List(const store::Actor& actor);
  Result<Review> Get(const store::Actor& actor, int64_t id);
  // The reviewer's sign-off: who, when, a comment; signed with the log node key.
  Result<Review> SignOff(const store::Actor& actor, LogsService& logs, int64_t id,
                         const std::string& comment);

  // Verification runs (the checklist asks that verification is clean and recent).
  Status RecordVerification(const store::Actor& actor, const VerifyReport& report);
  Result<std::optional<VerificationRun>> LastVerification(const store::Actor& actor);

 private:
  store::Database& db_;
  resilience::ResilienceService& files_;
};

}  // namespace mamori::logs
