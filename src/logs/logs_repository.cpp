#include "logs/logs_repository.hpp"

namespace mamori::logs::repo {

using store::OptValue;
using store::Params;
using store::Row;
using store::Tx;

namespace {

constexpr const char* kSourceCols =
    "name, description, kind, transport, hosts, system_id, asset_id, expected_interval_minutes, "
    "skew_tolerance_seconds, retention_years, utc_offset_minutes, csv_mapping, active";

Params SourceValues(const LogSource& s) {
  return {s.name,
          s.description,
          s.kind,
          s.transport,
          Json(s.hosts).dump(),
          OptValue(s.system_id),
          OptValue(s.asset_id),
          s.expected_interval_minutes,
          s.skew_tolerance_seconds,
          s.retention_years,
          s.utc_offset_minutes,
          s.csv_mapping,
          int64_t{s.active ? 1 : 0}};
}

constexpr const char* kReviewCols =
    "id, period_from, period_to, summary, report_file_id, report_sha256, store_size, store_root, "
    "created_at, created_by, signed_by, signed_at, signoff_comment, signature";

}  // namespace

Result<std::vector<LogSource>> Sources(Tx& tx, int64_t org_id) {
  MAMORI_ASSIGN_OR_RETURN(auto rows,
                          tx.Query(std::string("SELECT id, ") + kSourceCols +
                                       ", created_at, updated_at FROM log_sources WHERE org_id = ? "
                                       "ORDER BY name",
                                   {org_id}));
  std::vector<LogSource> out;
  out.reserve(rows.size());
  for (const Row& r : rows) {
    LogSource s;
    s.id = r.Int(0);
    s.name = r.Str(1);
    s.description = r.Str(2);
    s.kind = r.Str(3);
    s.transport = r.Str(4);
    Json hosts = Json::parse(r.Str(5), nullptr, false);
    if (hosts.is_array())
      for (const auto& h : hosts)
        if (h.is_string()) s.hosts.push_back(h.get<std::string>());
    s.system_id = r.OptInt(6);
    s.asset_id = r.OptInt(7);
    s.expected_interval_minutes = r.Int(8);
    s.skew_tolerance_seconds = r.Int(9);
    s.retention_years = r.Int(10);
    s.utc_offset_minutes = r.Int(11);
    s.csv_mapping = r.Str(12);
    s.active = r.Int(13) != 0;
    s.created_at = r.Int(14);
    s.updated_at = r.Int(15);
    out.push_back(std::move(s));
  }
  return out;
}

Result<int64_t> InsertSource(Tx& tx, int64_t org_id, const LogSource& s) {
  Params p = SourceValues(s);
  p.insert(p.begin(), org_id);
  p.emplace_back(tx.now());
  p.emplace_back(tx.now());
  MAMORI_ASSIGN_OR_RETURN(
      auto rows,
      tx.ExecReturning(std::string("INSERT INTO log_sources (org_id, ") + kSourceCols +
                           ", created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                           "?, ?, ?, ?, ?) RETURNING id",
                       p));
  return rows.at(0).Int(0);
}

Status UpdateSource(Tx& tx, int64_t org_id, const LogSource& s) {
  Params p = SourceValues(s);
  p.emplace_back(tx.now());
  p.emplace_back(org_id);
  p.emplace_back(s.id);
  MAMORI_ASSIGN_OR_RETURN(
      auto n, tx.Exec("UPDATE log_sources SET name = ?, description = ?, kind = ?, transport = ?, "
                      "hosts = ?, system_id = ?, asset_id = ?, expected_interval_minutes = ?, "
                      "skew_tolerance_seconds = ?, retention_years = ?, utc_offset_minutes = ?, "
                      "csv_mapping = ?, active = ?, updated_at = ? WHERE org_id = ? AND id = ?",
                      p));
  (void)n;
  return Ok();
}

Status DeleteSource(Tx& tx, int64_t org_id, int64_t id) {
  MAMORI_ASSIGN_OR_RETURN(
      auto n, tx.Exec("DELETE FROM log_sources WHERE org_id = ? AND id = ?", {org_id, id}));
  (void)n;
  return Ok();
}

Result<std::vector<Review>> Reviews(Tx& tx, int64_t org_id, std::optional<int64_t> id) {
  Params p{org_id};
  std::string sql = std::string("SELECT ") + kReviewCols + " FROM log_reviews WHERE org_id = ?";
  if (id) {
    sql += " AND id = ?";
    p.emplace_back(*id);
  }
  sql += " ORDER BY period_to DESC, id DESC";
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, p));
  std::vector<Review> out;
  out.reserve(rows.size());
  for (const Row& r : rows) {
    Review v;
    v.id = r.Int(0);
    v.period_from = r.Str(1);
    v.period_to = r.Str(2);
    v.summary = Json::parse(r.Str(3), nullptr, false);
    v.report_file_id = r.OptInt(4);
    v.report_sha256 = r.Str(5);
    v.store_size = static_cast<uint64_t>(r.Int(6));
    v.store_root = r.Str(7);
    v.created_at = r.Int(8);
    v.created_by = r.Str(9);
    v.signed_by = r.Str(10);
    v.signed_at = r.OptInt(11);
    v.signoff_comment = r.Str(12);
    v.signature = r.Str(13);
    out.push_back(std::move(v));
  }
  return out;
}

Result<int64_t> InsertReview(Tx& tx, int64_t org_id, const Review& r) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows,
      tx.ExecReturning(
          "INSERT INTO log_reviews (org_id, period_from, period_to, summary, report_file_id, "
          "report_sha256, store_size, store_root, created_at, created_by) VALUES (?, ?, ?, ?, ?, "
          "?, ?, ?, ?, ?) RETURNING id",
          {org_id, r.period_from, r.period_to, r.summary.dump(), OptValue(r.report_file_id),
           r.report_sha256, static_cast<int64_t>(r.store_size), r.store_root, tx.now(),
           r.created_by}));
  return rows.at(0).Int(0);
}

Status SignReview(Tx& tx, int64_t org_id, const Review& r) {
  MAMORI_ASSIGN_OR_RETURN(
      auto n,
      tx.Exec("UPDATE log_reviews SET signed_by = ?, signed_at = ?, signoff_comment = ?, "
              "signature = ? WHERE org_id = ? AND id = ?",
              {r.signed_by, OptValue(r.signed_at), r.signoff_comment, r.signature, org_id, r.id}));
  (void)n;
  return Ok();
}

Status InsertVerification(Tx& tx, int64_t org_id, const VerificationRun& v) {
  MAMORI_ASSIGN_OR_RETURN(
      auto n, tx.Exec("INSERT INTO log_verifications (org_id, verified_at, ok, events, "
                      "checkpoints, problems, verified_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                      {org_id, v.verified_at, int64_t{v.ok ? 1 : 0}, static_cast<int64_t>(v.events),
                       static_cast<int64_t>(v.checkpoints), v.problems, v.verified_by}));
  (void)n;
  return Ok();
}

Result<std::optional<VerificationRun>> LastVerification(Tx& tx, int64_t org_id) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows, tx.Query("SELECT verified_at, ok, events, checkpoints, problems, verified_by FROM "
                          "log_verifications WHERE org_id = ? ORDER BY verified_at DESC, id DESC "
                          "LIMIT 1",
                          {org_id}));
  if (rows.empty()) return std::optional<VerificationRun>();
  VerificationRun v;
  v.verified_at = rows[0].Int(0);
  v.ok = rows[0].Int(1) != 0;
  v.events = static_cast<uint64_t>(rows[0].Int(2));
  v.checkpoints = static_cast<uint64_t>(rows[0].Int(3));
  v.problems = rows[0].Int(4);
  v.verified_by = rows[0].Str(5);
  return std::optional<VerificationRun>(v);
}

}  // namespace mamori::logs::repo
