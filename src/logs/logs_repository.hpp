// The SQL of the logs capability in the organisation's database: the log-source registry, the
// reviews and the verification runs. (The log index has its own SQLite file in the log
// directory: log_index.cpp.)
#pragma once

#include <optional>
#include <vector>

#include "logs/review.hpp"
#include "logs/sources.hpp"
#include "store/tx.hpp"

namespace mamori::logs::repo {

Result<std::vector<LogSource>> Sources(store::Tx& tx, int64_t org_id);
Result<int64_t> InsertSource(store::Tx& tx, int64_t org_id, const LogSource& s);
Status UpdateSource(store::Tx& tx, int64_t org_id, const LogSource& s);
Status DeleteSource(store::Tx& tx, int64_t org_id, int64_t id);

Result<std::vector<Review>> Reviews(store::Tx& tx, int64_t org_id, std::optional<int64_t> id);
Result<int64_t> InsertReview(store::Tx& tx, int64_t org_id, const Review& r);
Status SignReview(store::Tx& tx, int64_t org_id, const Review& r);

Status InsertVerification(store::Tx& tx, int64_t org_id, const VerificationRun& v);
Result<std::optional<VerificationRun>> LastVerification(store::Tx& tx, int64_t org_id);

}  // namespace mamori::logs::repo
