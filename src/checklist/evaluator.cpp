#include "checklist/evaluator.hpp"

namespace mamori::checklist {

std::string Text::Render(Lang lang) const {
  std::vector<std::string> rendered;
  rendered.reserve(args.size());
  for (const auto& a : args)
    rendered.push_back(a.starts_with("@") ? Tr(lang, std::string_view(a).substr(1)) : a);
  return Tr(lang, key, rendered);
}

Json EvidenceRef::ToJson(Lang lang) const {
  return Json{{"kind", kind}, {"label", label.Render(lang)}, {"link", link}};
}

Json Suggestion::ToJson(Lang lang) const {
  Json reasons_json = Json::array();
  for (const auto& r : reasons) reasons_json.push_back(r.Render(lang));
  Json ev = Json::array();
  for (const auto& e : evidence) ev.push_back(e.ToJson(lang));
  return Json{{"suggested", answer}, {"reasons", reasons_json}, {"evidence", ev}};
}

Json EvalSettings::ToJson() const {
  return Json{
      {"report_interval_days", report_interval_days}, {"remote_confirm_days", remote_confirm_days},
      {"bcp_review_days", bcp_review_days},           {"drill_interval_days", drill_interval_days},
      {"log_review_days", log_review_days},           {"log_verify_days", log_verify_days}};
}

Result<const std::vector<ledger::Asset>*> EvalContext::Assets() {
  if (!assets_) {
    MAMORI_ASSIGN_OR_RETURN(auto all, ledger.AllAssets(scope));
    assets_ = std::move(all);
  }
  return &*assets_;
}

Result<const ledger::Completeness*> EvalContext::Completeness() {
  if (!completeness_) {
    MAMORI_ASSIGN_OR_RETURN(const std::vector<ledger::Asset>* all, Assets());
    MAMORI_ASSIGN_OR_RETURN(auto c, ledger::LedgerCompleteness(ledger, scope, *all, today,
                                                               settings.remote_confirm_days));
    completeness_ = std::move(c);
  }
  return &*completeness_;
}

std::vector<std::string> Registry::Names() const {
  std::vector<std::string> out;
  out.reserve(fns_.size());
  for (const auto& [name, fn] : fns_) out.push_back(name);
  return out;
}

Result<Suggestion> Evaluate(const Registry& r, EvalContext& ctx, const ItemDef& item,
                            const std::string& row) {
  if (const Evaluator* fn = r.Find(item.evaluator)) return (*fn)(ctx, item, row);
  Suggestion s;
  s.answer = "no_data";
  if (item.evaluator.starts_with("unmapped.")) {  // a new item of an imported official form
    s.reasons.push_back(Msg("checklist.r_unmapped"));
    return s;
  }
  // Not connected yet: say which capability would answer it.
  std::string capability = item.evaluator.substr(0, item.evaluator.find('.'));
  s.reasons.push_back(Msg("checklist.r_no_data", {"@capability." + capability}));
  return s;
}

}  // namespace mamori::checklist
