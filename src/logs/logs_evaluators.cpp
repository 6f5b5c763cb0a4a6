#include "logs/logs_evaluators.hpp"

namespace mamori::logs {

namespace {

using checklist::EvidenceRef;
using checklist::Msg;
using checklist::Text;

std::string Num(int64_t n) {
  return std::to_string(n);
}

constexpr int64_t kDayMs = int64_t{24} * 3600 * 1000;

Result<checklist::Suggestion> AccessLog(LogsCapability& c, checklist::EvalContext& ctx) {
  const auto& actor = ctx.scope.actor;
  std::vector<EvidenceRef> ev{{"logs", Msg("checklist.ev_log_sources"), "#/logs/sources"}};
  std::vector<Text> failed, met;
  UnixMillis now = SystemClock().Now();
  LogsService* logs = c.logs(actor.org_id);
  if (logs == nullptr) {
    checklist::Suggestion s;
    s.answer = "no_data";
    s.reasons.push_back(Msg("checklist.r_log_no_store"));
    return s;
  }
  MAMORI_ASSIGN_OR_RETURN(auto report, c.sources.Report(actor, *logs, now));
  std::vector<std::string> silent, skewed;
  size_t active = 0;
  for (const auto& s : report.sources) {
    if (!s.source.active) continue;
    ++active;
    if (s.state == "silent" || s.state == "never") silent.push_back(s.source.name);
    if (s.state == "skew") skewed.push_back(s.source.name);
  }
  if (active == 0) {
    failed.push_back(Msg("checklist.r_log_no_sources"));
  } else {
    if (!silent.empty())
      failed.push_back(Msg("checklist.r_log_silent", {Num(static_cast<int64_t>(silent.size())),
                                                      checklist::NameList(silent)}));
    if (!skewed.empty())
      failed.push_back(Msg("checklist.r_log_skew", {Num(static_cast<int64_t>(skewed.size())),
                                                    checklist::NameList(skewed)}));
    if (silent.empty() && skewed.empty())
      met.push_back(Msg("checklist.r_log_sources_ok", {Num(static_cast<int64_t>(active))}));
  }

  MAMORI_ASSIGN_OR_RETURN(auto reviews, c.reviews.List(actor));
  const Review* last_signed = nullptr;
  for (const auto& r : reviews)
    if (r.signed_at && (last_signed == nullptr || *r.signed_at > *last_signed->signed_at))
      last_signed = &r;
  ev.push_back({"logs", Msg("checklist.ev_log_reviews"), "#/logs/reviews"});
  if (last_signed == nullptr) {
    failed.push_back(Msg("checklist.r_log_no_review"));
  } else if (now - *last_signed->signed_at > ctx.settings.log_review_days * kDayMs) {
    failed.push_back(Msg("checklist.r_log_review_old", {FormatDateJst(*last_signed->signed_at),
                                                        Num(ctx.settings.log_review_days)}));
  } else {
    met.push_back(Msg("checklist.r_log_review_ok",
                      {last_signed->period_from, last_signed->period_to, last_signed->signed_by,
                       FormatDateJst(*last_signed->signed_at)}));
    if (last_signed->report_file_id)
      ev.push_back({"file", Msg("checklist.ev_log_review_report", {last_signed->period_to}),
                    "/api/v1/logs/reviews/" + std::to_string(last_signed->id) + "/report"});
  }

  MAMORI_ASSIGN_OR_RETURN(auto verified, c.reviews.LastVerification(actor));
  if (!verified) {
    failed.push_back(Msg("checklist.r_log_not_verified"));
  } else if (!verified->ok) {
    failed.push_back(Msg("checklist.r_log_verify_failed",
                         {FormatDateJst(verified->verified_at), Num(verified->problems)}));
  } else if (now - verified->verified_at > ctx.settings.log_verify_days * kDayMs) {
    failed.push_back(Msg("checklist.r_log_verify_old", {FormatDateJst(verified->verified_at),
                                                        Num(ctx.settings.log_verify_days)}));
  } else {
    met.push_back(Msg("checklist.r_log_verify_ok", {FormatDateJst(verified->verified_at),
                                                    Num(static_cast<int64_t>(verified->events))}));
  }
  return checklist::Answer(std::move(failed), std::move(met), std::move(ev));
}

}  // namespace

void RegisterEvaluators(checklist::Registry& r, LogsCapability logs) {
  r.Register("logs.access_log",
             [logs](checklist::EvalContext& ctx, const checklist::ItemDef&,
                    const std::string&) mutable { return AccessLog(logs, ctx); });
}

}  // namespace mamori::logs
