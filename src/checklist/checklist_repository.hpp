// SQL for checklist assessments, their evidence and imported forms.
#pragma once

#include <map>

#include "checklist/checklist_service.hpp"

namespace mamori::checklist::repo {

// Answers of one form; vendor_id nullopt: every vendor's (for comparing with the hospital's).
Result<std::vector<AnswerRecord>> Answers(store::Tx& tx, int64_t org_id, const std::string& year,
                                          const std::string& form,
                                          std::optional<int64_t> vendor_id);
Result<std::optional<AnswerRecord>> FindAnswer(store::Tx& tx, int64_t org_id,
                                               const AnswerRecord& key);
Status UpsertAnswer(store::Tx& tx, int64_t org_id, const AnswerRecord& a, bool exists);

Result<std::vector<EvidenceItem>> Evidence(store::Tx& tx, int64_t org_id, const std::string& year,
                                           const std::string& form, int64_t vendor_id);
// Files attached as evidence to any form of the year.
Result<std::vector<int64_t>> EvidenceFileIds(store::Tx& tx, int64_t org_id,
                                             const std::string& year);
Result<int64_t> InsertEvidence(store::Tx& tx, int64_t org_id, const std::string& year,
                               const std::string& form, int64_t vendor_id, const EvidenceItem& e);

// Imported forms: (year, form) → definition JSON.
Result<std::vector<Json>> ImportedForms(store::Tx& tx, int64_t org_id);

Status UpsertImportedForm(store::Tx& tx, int64_t org_id, const std::string& year,
                          const std::string& form, const std::string& json,
                          const std::string& source_file, const std::string& sha256);

Result<int64_t> InsertShareLink(store::Tx& tx, int64_t org_id, const ShareLink& l,
                                const std::string& token_hash);
Result<std::vector<ShareLink>> ShareLinks(store::Tx& tx, int64_t org_id);
Status RevokeShareLink(store::Tx& tx, int64_t org_id, int64_t id);
// The link of a token hash: org_id, year, id, expires_at, revoked.
Result<std::optional<std::pair<ShareLink, int64_t>>> ShareLinkByHash(store::Tx& tx,
                                                                     const std::string& hash);
Status TouchShareLink(store::Tx& tx, int64_t id, UnixMillis at);

// Audit records of one entity id, oldest first: {at, username, action, after}.
Result<std::vector<Json>> AuditOf(store::Tx& tx, int64_t org_id, const std::string& entity,
                                  const std::string& entity_id);

}  // namespace mamori::checklist::repo
