#include "audit/audit_service.hpp"

#include <algorithm>

#include "audit/audit_repository.hpp"
#include "core/text.hpp"

namespace mamori::audit {

namespace {}  // namespace

Json Entry::ToJson() const {
  return Json{{"id", id},
              {"at", FormatJst(at)},
              {"user_id", user_id ? Json(*user_id) : Json(nullptr)},
              {"username", username},
              {"ip", ip},
              {"action", action},
              {"entity", entity},
              {"entity_id", entity_id},
              {"before", before},
              {"after", after}};
}

Result<std::vector<Entry>> AuditService::List(const store::Actor& actor, const Query& q) {
  Query bounded = q;
  bounded.limit = std::clamp<int64_t>(q.limit, 1, 1000);
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, actor));
  return repo::Entries(tx, actor.org_id, bounded);
}

Result<std::string> AuditService::ExportCsv(const store::Actor& actor, const Query& q) {
  std::string out = "\xEF\xBB\xBF";
  out += "id,日時(JST),ユーザー,接続元,操作,対象,対象ID,変更前,変更後\r\n";
  Query page = q;
  page.limit = 1000;
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, actor));
  while (true) {
    MAMORI_ASSIGN_OR_RETURN(auto entries, repo::Entries(tx, actor.org_id, page));
    for (const auto& e : entries) {
      out += std::to_string(e.id) + "," + CsvField(FormatJst(e.at)) + "," + CsvField(e.username) +
             "," + CsvField(e.ip) + "," + CsvField(e.action) + "," + CsvField(e.entity) + "," +
             CsvField(e.entity_id) + "," + CsvField(e.before.is_null() ? "" : e.before.dump()) +
             "," + CsvField(e.after.is_null() ? "" : e.after.dump()) + "\r\n";
    }
    if (static_cast<int64_t>(entries.size()) < page.limit) break;
    page.before_id = entries.back().id;
  }
  return out;
}

}  // namespace mamori::audit
