#include "vuln/vuln_evaluators.hpp"

#include <map>
#include <set>

namespace mamori::vuln {

namespace {

using checklist::EvidenceRef;
using checklist::Msg;
using checklist::Text;

std::string Num(int64_t n) {
  return std::to_string(n);
}

Result<checklist::Suggestion> Patches(VulnService& vuln, checklist::EvalContext& ctx,
                                      const std::string& row) {
  std::vector<EvidenceRef> ev{{"vuln", Msg("checklist.ev_vuln"), "#/vuln"}};
  MAMORI_ASSIGN_OR_RETURN(auto times, vuln.LastLoadAndMatch(ctx.scope.actor));
  if (times.first == 0 || times.second == 0) {
    checklist::Suggestion s;
    s.answer = "no_data";
    s.reasons.push_back(
        Msg(times.first == 0 ? "checklist.r_vuln_no_feeds" : "checklist.r_vuln_not_matched"));
    s.evidence = std::move(ev);
    return s;
  }
  MAMORI_ASSIGN_OR_RETURN(const std::vector<ledger::Asset>* assets, ctx.Assets());
  std::map<int64_t, const ledger::Asset*> in_row;
  for (const auto& a : *assets)
    if (checklist::AssetInRow(a, row)) in_row.emplace(a.id, &a);

  FindingQuery open;
  open.state = "open";
  MAMORI_ASSIGN_OR_RETURN(auto findings, vuln.Findings(ctx.scope, open, ctx.today));
  std::set<std::string> overdue_assets;
  int overdue = 0, overdue_kev = 0, open_in_row = 0;
  for (const auto& f : findings) {
    if (!f.asset_id || !in_row.count(*f.asset_id)) continue;
    ++open_in_row;
    if (!f.overdue) continue;
    ++overdue;
    if (f.kev) ++overdue_kev;
    overdue_assets.insert(f.asset_name);
  }
  MAMORI_ASSIGN_OR_RETURN(auto eol, vuln.Eol(ctx.scope, ctx.today, 0));
  std::set<std::string> ended;
  for (const auto& e : eol)
    if (e.ended && e.asset_id && in_row.count(*e.asset_id))
      ended.insert(e.asset_name + "（" + e.component + "）");
  MAMORI_ASSIGN_OR_RETURN(auto queue, vuln.Unresolved(ctx.scope, false));
  int unresolved = 0;
  for (const auto& u : queue)
    for (int64_t id : u.asset_ids)
      if (in_row.count(id)) ++unresolved;

  std::vector<Text> failed, met;
  if (overdue > 0) {
    failed.push_back(Msg("checklist.r_vuln_overdue",
                         {Num(overdue), Num(overdue_kev),
                          checklist::NameList({overdue_assets.begin(), overdue_assets.end()})}));
    ev.push_back({"vuln", Msg("checklist.ev_vuln_overdue"), "#/vuln/findings/overdue"});
  }
  if (!ended.empty()) {
    failed.push_back(
        Msg("checklist.r_vuln_eol", {Num(static_cast<int64_t>(ended.size())),
                                     checklist::NameList({ended.begin(), ended.end()})}));
    ev.push_back({"vuln", Msg("checklist.ev_vuln_eol"), "#/vuln/eol"});
  }
  if (unresolved > 0) {
    failed.push_back(Msg("checklist.r_vuln_unresolved", {Num(unresolved)}));
    ev.push_back({"vuln", Msg("checklist.ev_vuln_unresolved"), "#/vuln/unresolved"});
  }
  if (failed.empty())
    met.push_back(Msg("checklist.r_vuln_ok", {Num(static_cast<int64_t>(in_row.size())),
                                              Num(open_in_row), FormatDateJst(times.second)}));
  return checklist::Answer(std::move(failed), std::move(met), std::move(ev));
}

}  // namespace

void RegisterEvaluators(checklist::Registry& r, VulnService& vuln) {
  r.Register("vuln.patches", [&vuln](checklist::EvalContext& ctx, const checklist::ItemDef&,
                                     const std::string& row) { return Patches(vuln, ctx, row); });
}

}  // namespace mamori::vuln
