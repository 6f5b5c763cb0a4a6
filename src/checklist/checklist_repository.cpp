#include "checklist/checklist_repository.hpp"

namespace mamori::checklist::repo {

using store::OptValue;
using store::Params;
using store::Row;
using store::Tx;

namespace {

constexpr const char* kAnswerCols =
    "year, form, vendor_id, item_id, row_class, round, answer, checked_on, target_on, note, "
    "suggested, answered_by, answered_at";

AnswerRecord AnswerFrom(const Row& r) {
  AnswerRecord a;
  a.year = r.Str(0);
  a.form = r.Str(1);
  a.vendor_id = r.Int(2);
  a.item_id = r.Str(3);
  a.row = r.Str(4);
  a.round = r.Int(5);
  a.answer = r.Str(6);
  a.checked_on = r.Str(7);
  a.target_on = r.Str(8);
  a.note = r.Str(9);
  a.suggested = r.Str(10);
  a.answered_by = r.Str(11);
  a.answered_at = r.Int(12);
  return a;
}

}  // namespace

Result<std::vector<AnswerRecord>> Answers(Tx& tx, int64_t org_id, const std::string& year,
                                          const std::string& form,
                                          std::optional<int64_t> vendor_id) {
  Params p{org_id, year, form};
  std::string sql = std::string("SELECT ") + kAnswerCols +
                    " FROM checklist_answers WHERE org_id = ? AND year = ? AND form = ?";
  if (vendor_id) {
    sql += " AND vendor_id = ?";
    p.emplace_back(*vendor_id);
  }
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query(sql + " ORDER BY item_id, row_class, round", p));
  std::vector<AnswerRecord> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(AnswerFrom(r));
  return out;
}

Result<std::optional<AnswerRecord>> FindAnswer(Tx& tx, int64_t org_id, const AnswerRecord& key) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query(std::string("SELECT ") + kAnswerCols +
                   " FROM checklist_answers WHERE org_id = ? AND year = ? AND form = ? AND "
                   "vendor_id = ? AND item_id = ? AND row_class = ? AND round = ?",
               {org_id, key.year, key.form, key.vendor_id, key.item_id, key.row, key.round}));
  if (rows.empty()) return std::optional<AnswerRecord>();
  return std::optional<AnswerRecord>(AnswerFrom(rows[0]));
}

Status UpsertAnswer(Tx& tx, int64_t org_id, const AnswerRecord& a, bool exists) {
  if (exists) {
    MAMORI_ASSIGN_OR_RETURN(
        auto n,
        tx.Exec("UPDATE checklist_answers SET answer = ?, checked_on = ?, target_on = ?, "
                "note = ?, suggested = ?, answered_by = ?, answered_at = ? WHERE org_id = ? "
                "AND year = ? AND form = ? AND vendor_id = ? AND item_id = ? AND "
                "row_class = ? AND round = ?",
                {a.answer, a.checked_on, a.target_on, a.note, a.suggested, a.answered_by,
                 a.answered_at, org_id, a.year, a.form, a.vendor_id, a.item_id, a.row, a.round}));
    (void)n;
    return Ok();
  }
  MAMORI_ASSIGN_OR_RETURN(
      auto n,
      tx.Exec(std::string("INSERT INTO checklist_answers (org_id, ") + kAnswerCols +
                  ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {org_id, a.year, a.form, a.vendor_id, a.item_id, a.row, a.round, a.answer,
               a.checked_on, a.target_on, a.note, a.suggested, a.answered_by, a.answered_at}));
  (void)n;
  return Ok();
}

Result<std::vector<EvidenceItem>> Evidence(Tx& tx, int64_t org_id, const std::string& year,
                                           const std::string& form, int64_t vendor_id) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows, tx.Query("SELECT id, item_id, kind, file_id, link, label, added_by, added_at FROM "
                          "checklist_evidence WHERE org_id = ? AND year = ? AND form = ? AND "
                          "vendor_id = ? ORDER BY item_id, id",
                          {org_id, year, form, vendor_id}));
  std::vector<EvidenceItem> out;
  for (const auto& r : rows) {
    EvidenceItem e;
    e.id = r.Int(0);
    e.item_id = r.Str(1);
    e.kind = r.Str(2);
    e.file_id = r.OptInt(3);
    e.link = r.Str(4);
    e.label = r.Str(5);
    e.added_by = r.Str(6);
    e.added_at = r.Int(7);
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<int64_t>> EvidenceFileIds(Tx& tx, int64_t org_id, const std::string& year) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows, tx.Query("SELECT DISTINCT file_id FROM checklist_evidence WHERE org_id = ? "
                          "AND year = ? AND file_id IS NOT NULL",
                          {org_id, year}));
  std::vector<int64_t> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(r.Int(0));
  return out;
}

Result<int64_t> InsertEvidence(Tx& tx, int64_t org_id, const std::string& year,
                               const std::string& form, int64_t vendor_id, const EvidenceItem& e) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows,
      tx.ExecReturning("INSERT INTO checklist_evidence (org_id, year, form, vendor_id, item_id, "
                       "kind, file_id, link, label, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, "
                       "?, ?, ?, ?, ?) RETURNING id",
                       {org_id, year, form, vendor_id, e.item_id, e.kind, OptValue(e.file_id),
                        e.link, e.label, e.added_by, tx.now()}));
  return rows.at(0).Int(0);
}

Result<std::vector<Json>> ImportedForms(Tx& tx, int64_t org_id) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query("SELECT definition_json FROM checklist_forms WHERE org_id = ? ORDER BY year, form",
               {org_id}));
  std::vector<Json> out;
  for (const auto& r : rows) {
    Json j = Json::parse(r.Str(0), nullptr, false);
    if (j.is_discarded())
      return MakeError(ErrorCode::kCorruption, "checklist.form_corrupt", {"checklist_forms"});
    out.push_back(std::move(j));
  }
  return out;
}

Status UpsertImportedForm(Tx& tx, int64_t org_id, const std::string& year, const std::string& form,
                          const std::string& json, const std::string& source_file,
                          const std::string& sha256) {
  MAMORI_ASSIGN_OR_RETURN(
      auto n, tx.Exec("DELETE FROM checklist_forms WHERE org_id = ? AND year = ? AND form = ?",
                      {org_id, year, form}));
  (void)n;
  MAMORI_ASSIGN_OR_RETURN(
      n, tx.Exec("INSERT INTO checklist_forms (org_id, year, form, definition_json, source_file, "
                 "sha256, imported_by, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 {org_id, year, form, json, source_file, sha256, tx.actor().username, tx.now()}));
  return Ok();
}

namespace {
constexpr const char* kLinkCols =
    "id, prefix, year, note, created_by, created_at, expires_at, revoked, last_used_at, org_id";
ShareLink LinkFrom(const Row& r) {
  ShareLink l;
  l.id = r.Int(0);
  l.prefix = r.Str(1);
  l.year = r.Str(2);
  l.note = r.Str(3);
  l.created_by = r.Str(4);
  l.created_at = r.Int(5);
  l.expires_at = r.Int(6);
  l.revoked = r.Int(7) != 0;
  l.last_used_at = r.OptInt(8);
  return l;
}
}  // namespace

Result<int64_t> InsertShareLink(Tx& tx, int64_t org_id, const ShareLink& l,
                                const std::string& token_hash) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows,
      tx.ExecReturning("INSERT INTO checklist_share_links (org_id, token_hash, prefix, year, note, "
                       "created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                       "RETURNING id",
                       {org_id, token_hash, l.prefix, l.year, l.note, l.created_by, l.created_at,
                        l.expires_at}));
  return rows.at(0).Int(0);
}

Result<std::vector<ShareLink>> ShareLinks(Tx& tx, int64_t org_id) {
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + kLinkCols +
                                                  " FROM checklist_share_links WHERE org_id = ? "
                                                  "ORDER BY id DESC",
                                              {org_id}));
  std::vector<ShareLink> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(LinkFrom(r));
  return out;
}

Status RevokeShareLink(Tx& tx, int64_t org_id, int64_t id) {
  MAMORI_ASSIGN_OR_RETURN(
      auto n, tx.Exec("UPDATE checklist_share_links SET revoked = 1 WHERE org_id = ? AND id = ?",
                      {org_id, id}));
  if (n == 0)
    return MakeError(ErrorCode::kNotFound, "common.not_found", {"share_link", std::to_string(id)});
  return Ok();
}

Result<std::optional<std::pair<ShareLink, int64_t>>> ShareLinkByHash(Tx& tx,
                                                                     const std::string& hash) {
  MAMORI_ASSIGN_OR_RETURN(auto rows,
                          tx.Query(std::string("SELECT ") + kLinkCols +
                                       " FROM checklist_share_links WHERE token_hash = ?",
                                   {hash}));
  if (rows.empty()) return std::optional<std::pair<ShareLink, int64_t>>();
  return std::optional<std::pair<ShareLink, int64_t>>({LinkFrom(rows[0]), rows[0].Int(9)});
}

Status TouchShareLink(Tx& tx, int64_t id, UnixMillis at) {
  // Bookkeeping (when the link was last opened), not a change of the link.
  MAMORI_ASSIGN_OR_RETURN(
      auto n,
      tx.ExecUnaudited("UPDATE checklist_share_links SET last_used_at = ? WHERE id = ?", {at, id}));
  (void)n;
  return Ok();
}

Result<std::vector<Json>> AuditOf(Tx& tx, int64_t org_id, const std::string& entity,
                                  const std::string& entity_id) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows, tx.Query("SELECT at, username, action, after_json FROM audit_log WHERE org_id = ? "
                          "AND entity = ? AND entity_id = ? ORDER BY id",
                          {org_id, entity, entity_id}));
  std::vector<Json> out;
  for (const auto& r : rows) {
    Json after = Json::parse(r.Str(3), nullptr, false);
    out.push_back(Json{{"at", r.Int(0)},
                       {"username", r.Str(1)},
                       {"action", r.Str(2)},
                       {"after", after.is_discarded() ? Json() : after}});
  }
  return out;
}

}  // namespace mamori::checklist::repo
