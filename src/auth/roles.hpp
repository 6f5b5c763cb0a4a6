// The roles of mamori's users and what each may do, declared once. The server checks every
// endpoint against this table; tests/api/authz_matrix_test.cpp walks it role by role.
#pragma once

#include <optional>
#include <string_view>

namespace mamori::auth {

enum class Role {
  kAdmin,  // 医療情報システム安全管理責任者: everything in the organisation
  kStaff,  // システム運用担当者: operates the ledger and the capabilities, no user management
  kVendor,     // 事業者: only the systems and assets of its own vendor organisation
  kInspector,  // 保健所: read-only view of checklist results and their evidence
  kAuditor,    // read-only everything, including the audit trail
};

std::optional<Role> ParseRole(std::string_view s);
const char* RoleName(Role role);

enum class Resource {
  kUsers,      // mamori's user accounts
  kAudit,      // the audit trail
  kLedger,     // vendors, systems, assets
  kChecklist,  // checklist forms, answers and evidence
  kSettings,   // organisation settings
  kVuln,       // vulnerability findings and their triage
  kLogs,       // access logs: sources, search, reviews (they name patients and staff)
};

enum class Access { kNone, kRead, kWrite };

// What `role` may do with `resource`. For kVendor, kLedger access is further limited to rows of
// its own vendor organisation (VendorScoped()).
Access AccessFor(Role role, Resource resource);
inline bool VendorScoped(Role role) {
  return role == Role::kVendor;
}

}  // namespace mamori::auth
