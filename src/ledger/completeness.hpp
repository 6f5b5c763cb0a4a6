// The ledger's state as evidence (checklist 2-(1)…2-(3)): per category and overall, which of
// the fields the checklist manual expects are missing, remote maintenance unknown or not
// confirmed, support ended; computed from the assets, never stored, so it is always current.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ledger/ledger_service.hpp"

namespace mamori::ledger {

struct CategoryState {
  int total = 0;
  int incomplete = 0;                  // assets with at least one missing field
  std::map<std::string, int> missing;  // field → assets missing it
  int support_ended = 0;               // support_end before today
  int remote_yes = 0;
  int remote_unknown = 0;       // remote maintenance status 不明 (with a vendor or not)
  int remote_unconfirmed = 0;   // remote yes, not confirmed within the interval
  int remote_unrestricted = 0;  // remote yes, source not restricted (or unknown)
};

struct Completeness {
  std::string today;  // YYYY-MM-DD (JST) the figures are for
  int confirm_interval_days = 365;
  std::map<std::string, CategoryState> by_category;  // server, pc, …
  CategoryState overall;
  // Assets behind the figures (ids), for the evidence links.
  std::vector<int64_t> incomplete_ids;
  std::vector<int64_t> support_ended_ids;
  std::vector<int64_t> remote_attention_ids;  // unknown, unconfirmed or unrestricted
  // 2-(3): systems provided by a vendor, and those without an MDS / SDS on file.
  struct SystemRef {
    int64_t id;
    std::string name;
  };
  int vendor_systems = 0;
  std::vector<SystemRef> missing_mds;
  std::vector<SystemRef> missing_sds;
  int pending_discovered = 0;  // 台帳未登録
  [[nodiscard]] Json ToJson() const;
};

// Everything above from the store, for the scope's organisation (the checklist evaluators for
// 2-(1)…2-(3) call this).
Result<Completeness> LedgerCompleteness(LedgerService& ledger, const Scope& scope,
                                        const std::string& today, int confirm_interval_days = 365);
// The same over assets the caller has already loaded.
Result<Completeness> LedgerCompleteness(LedgerService& ledger, const Scope& scope,
                                        const std::vector<Asset>& assets, const std::string& today,
                                        int confirm_interval_days);

// The per-asset conditions behind the figures (also the ledger list's filters).
bool SupportEnded(const Asset& a, const std::string& today);
// Remote maintenance status unknown for a vendor's asset, or "yes" but not confirmed since
// `oldest_ok` or not restricted to known sources.
bool NeedsRemoteAttention(const Asset& a, const std::string& oldest_ok);
// The Japanese name of a field MissingFields() reports ("ips" → "IPアドレス"); "" if unknown.
const char* MissingFieldJa(const std::string& field);

// "YYYY-MM-DD" minus n days.
std::string DaysBefore(const std::string& iso, int n);

// `today` is "YYYY-MM-DD"; remote maintenance counts as confirmed when remote_confirmed_on is
// within `confirm_interval_days` before it.
Completeness ComputeCompleteness(const std::vector<Asset>& assets, const std::string& today,
                                 int confirm_interval_days = 365);

}  // namespace mamori::ledger
