// Reading the audit trail (writing happens only through store::Tx::Audit): listing with filters
// and paging, CSV export, and verification of the hash chain. Never editable through any API.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/json_body.hpp"
#include "store/tx.hpp"

namespace mamori::audit {

struct Entry {
  int64_t id = 0;
  UnixMillis at = 0;
  std::optional<int64_t> user_id;
  std::string username;
  std::string ip;
  std::string action;
  std::string entity;
  std::string entity_id;
  Json before;
  Json after;
  [[nodiscard]] Json ToJson() const;
};

struct Query {
  std::optional<UnixMillis> from;
  std::optional<UnixMillis> to;
  std::string action_prefix;  // "auth." → all authentication events
  std::string entity;
  std::string entity_id;
  std::string username;
  int64_t limit = 100;
  std::optional<int64_t> before_id;  // keyset paging: entries older than this id
};

class AuditService {
 public:
  explicit AuditService(store::Database& db) : db_(db) {}
  Result<std::vector<Entry>> List(const store::Actor& actor, const Query& q);
  // RFC 4180 CSV with a UTF-8 BOM (Excel opens it in Japanese correctly), times in JST.
  Result<std::string> ExportCsv(const store::Actor& actor, const Query& q);

 private:
  store::Database& db_;
};

}  // namespace mamori::audit
