// The access-log capability's checklist evaluator: logs.access_log — 2-(6) (令和6年度) / 2-⑩⑪
// (令和7年度〜) アクセスログを管理している.
#pragma once

#include "checklist/evaluator.hpp"
#include "logs/review.hpp"
#include "logs/sources.hpp"

namespace mamori::logs {

struct LogsCapability {
  LogsResolver logs;
  LogSourcesService& sources;
  ReviewService& reviews;
};

// "yes" only when: log sources are registered (ログリスト) and every active one is sending
// (none silent or never heard from), their clocks are within tolerance, a review was signed off
// within the configured interval (log_review_days), and the store was verified clean within
// log_verify_days.
void RegisterEvaluators(checklist::Registry& r, LogsCapability logs);

}  // namespace mamori::logs
