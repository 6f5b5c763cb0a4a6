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
Result<int64_t> InsertEvidence(store::Tx& tx, int64_t org_id, const std::string& year,
                               const std::string& form, int64_t vendor_id, const EvidenceItem& e);

// Imported forms: (year, form) → definition JSON.
Result<std::vector<Json>> ImportedForms(store::Tx& tx, int64_t org_id);

// Organisation settings whose key starts with `prefix`.
Result<std::map<std::string, std::string>> Settings(store::Tx& tx, int64_t org_id,
                                                    const std::string& prefix);

// Audit records of one entity id, oldest first: {at, username, action, after}.
Result<std::vector<Json>> AuditOf(store::Tx& tx, int64_t org_id, const std::string& entity,
                                  const std::string& entity_id);

}  // namespace mamori::checklist::repo
