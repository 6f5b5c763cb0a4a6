// Evaluators: each checklist item names one ("ledger.inventory"); it computes a suggested answer
// from live data, with its reasons and the evidence it used. A capability registers its
// evaluators in a Registry (the ledger's and the organisation records' are in
// builtin_evaluators.cpp; vulnerabilities, accounts, logs… add theirs when they exist). An item
// whose evaluator nobody registered is answered 「根拠データ未接続」(no_data) — never guessed.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "checklist/definitions.hpp"
#include "ledger/completeness.hpp"
#include "resilience/resilience_service.hpp"

namespace mamori::checklist {

// A sentence for a person, translated at the edge: a message key and its arguments. An argument
// written "@key" is itself a message (a role or category name) translated in the same language.
struct Text {
  std::string key;
  std::vector<std::string> args;
  [[nodiscard]] std::string Render(Lang lang) const;
};
inline Text Msg(std::string key, std::vector<std::string> args = {}) {
  return Text{std::move(key), std::move(args)};
}

// What the suggestion rests on, one click away in the UI.
struct EvidenceRef {
  std::string kind;  // ledger | report | document | contacts | bcp | drill | role | file
  Text label;
  std::string link;  // a UI route ("#/ledger?filter=incomplete") or an API path
  [[nodiscard]] Json ToJson(Lang lang) const;
};

struct Suggestion {
  std::string answer;  // yes | no | not_applicable | no_data
  std::vector<Text> reasons;
  std::vector<EvidenceRef> evidence;
  [[nodiscard]] Json ToJson(Lang lang) const;
};

// Intervals the evaluators apply (organisation settings; days).
struct EvalSettings {
  int report_interval_days = 365;  // 2-(1): management report
  int remote_confirm_days = 365;   // 2-(2): remote maintenance confirmed
  int bcp_review_days = 365;       // 3-(3): BCP reviewed
  int drill_interval_days = 365;   // 3-(3): drill held
  int log_review_days = 31;        // 2-(6): access logs reviewed and signed off
  int log_verify_days = 31;        // 2-(6): the log store verified
  [[nodiscard]] Json ToJson() const;
};

struct EvalContext {
  EvalContext(ledger::LedgerService& ledger_, resilience::ResilienceService& records_,
              ledger::Scope scope_, std::optional<int64_t> vendor_id_, const FormDef& form_,
              std::string today_, EvalSettings settings_)
      : ledger(ledger_),
        records(records_),
        scope(std::move(scope_)),
        vendor_id(vendor_id_),
        form(form_),
        today(std::move(today_)),
        settings(settings_) {}

  ledger::LedgerService& ledger;
  resilience::ResilienceService& records;
  ledger::Scope scope;               // for a vendor's form: limited to that vendor
  std::optional<int64_t> vendor_id;  // set when evaluating a 事業者確認用 form
  const FormDef& form;
  std::string today;  // YYYY-MM-DD (JST)
  EvalSettings settings;

  // Loaded once per evaluation and shared by the ledger evaluators.
  Result<const std::vector<ledger::Asset>*> Assets();
  Result<const ledger::Completeness*> Completeness();

 private:
  std::optional<std::vector<ledger::Asset>> assets_;
  std::optional<ledger::Completeness> completeness_;
};

using Evaluator =
    std::function<Result<Suggestion>(EvalContext&, const ItemDef&, const std::string& row)>;

class Registry {
 public:
  void Register(const std::string& name, Evaluator fn) { fns_[name] = std::move(fn); }
  [[nodiscard]] const Evaluator* Find(const std::string& name) const {
    auto it = fns_.find(name);
    return it == fns_.end() ? nullptr : &it->second;
  }
  [[nodiscard]] std::vector<std::string> Names() const;

 private:
  std::map<std::string, Evaluator> fns_;
};

// Helpers for evaluators of every capability.
// Up to five names, then " …(+n)".
std::string NameList(const std::vector<std::string>& names);
// The row's device category: rows named server, pc, network look at their own kind of asset
// only; any other row (general) at every asset.
bool AssetInRow(const ledger::Asset& a, const std::string& row);
// "yes" with the met conditions as reasons when nothing failed, else "no" with the failures.
Suggestion Answer(std::vector<Text> failed, std::vector<Text> met, std::vector<EvidenceRef> ev);

// The ledger's and the organisation records' evaluators: ledger.systems_in_use,
// ledger.inventory, ledger.remote_maintenance, ledger.mds_sds, org.security_officer,
// org.vendor_manager, org.contacts, org.vendor_contact, org.bcp.
void RegisterBuiltinEvaluators(Registry& r);

// Runs the item's evaluator, or answers no_data naming the capability that is not connected.
Result<Suggestion> Evaluate(const Registry& r, EvalContext& ctx, const ItemDef& item,
                            const std::string& row);

}  // namespace mamori::checklist
