// The vulnerability capability's checklist evaluator: vuln.patches — 2-(7) (令和6年度) / 2-⑥
// (令和7年度〜) セキュリティパッチの適用 — per device class (サーバ / 端末PC / ネットワーク機器).
#pragma once

#include "checklist/evaluator.hpp"
#include "vuln/vuln_service.hpp"

namespace mamori::vuln {

// "yes" only when, for the row's assets: vulnerability feeds are loaded and the ledger has been
// matched, no open finding is past its due date, no component or asset is past its end of
// support, and every component could be identified (no name waiting in the unresolved queue).
void RegisterEvaluators(checklist::Registry& r, VulnService& vuln);

}  // namespace mamori::vuln
