#include "audit/audit_repository.hpp"

namespace mamori::audit::repo {

Result<std::vector<Entry>> Entries(store::Tx& tx, int64_t org_id, const Query& q) {
  std::string sql =
      "SELECT id, at, user_id, username, ip, action, entity, entity_id, before_json, after_json "
      "FROM audit_log WHERE org_id = ?";
  store::Params params{org_id};
  if (q.from) {
    sql += " AND at >= ?";
    params.emplace_back(*q.from);
  }
  if (q.to) {
    sql += " AND at < ?";
    params.emplace_back(*q.to);
  }
  if (!q.action_prefix.empty()) {
    sql += " AND substr(action, 1, ?) = ?";
    params.emplace_back(static_cast<int64_t>(q.action_prefix.size()));
    params.emplace_back(q.action_prefix);
  }
  if (!q.entity.empty()) {
    sql += " AND entity = ?";
    params.emplace_back(q.entity);
  }
  if (!q.entity_id.empty()) {
    sql += " AND entity_id = ?";
    params.emplace_back(q.entity_id);
  }
  if (!q.username.empty()) {
    sql += " AND username = ?";
    params.emplace_back(q.username);
  }
  if (q.before_id) {
    sql += " AND id < ?";
    params.emplace_back(*q.before_id);
  }
  sql += " ORDER BY id DESC LIMIT ?";
  params.emplace_back(q.limit);
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  std::vector<Entry> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    Entry e;
    e.id = r.Int(0);
    e.at = r.Int(1);
    e.user_id = r.OptInt(2);
    e.username = r.Str(3);
    e.ip = r.Str(4);
    e.action = r.Str(5);
    e.entity = r.Str(6);
    e.entity_id = r.Str(7);
    auto b = r.Str(8), a = r.Str(9);
    e.before = b.empty() ? Json(nullptr) : Json::parse(b, nullptr, false);
    e.after = a.empty() ? Json(nullptr) : Json::parse(a, nullptr, false);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace mamori::audit::repo
