#include "auth/roles.hpp"

namespace mamori::auth {

std::optional<Role> ParseRole(std::string_view s) {
  if (s == "admin") return Role::kAdmin;
  if (s == "staff") return Role::kStaff;
  if (s == "vendor") return Role::kVendor;
  if (s == "inspector") return Role::kInspector;
  if (s == "auditor") return Role::kAuditor;
  return std::nullopt;
}

const char* RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kStaff:
      return "staff";
    case Role::kVendor:
      return "vendor";
    case Role::kInspector:
      return "inspector";
    case Role::kAuditor:
      return "auditor";
  }
  return "unknown";
}

Access AccessFor(Role role, Resource resource) {
  using enum Access;
  switch (role) {
    case Role::kAdmin:
      return kWrite;
    case Role::kStaff:
      switch (resource) {
        case Resource::kUsers:
        case Resource::kAudit:
          return kNone;
        case Resource::kSettings:
          return kRead;
        default:
          return kWrite;
      }
    case Role::kVendor:
      // A vendor edits its own systems, answers the 事業者確認用 form for them and triages the
      // findings on them.
      return (resource == Resource::kLedger || resource == Resource::kChecklist ||
              resource == Resource::kVuln)
                 ? kWrite
                 : kNone;
    case Role::kInspector:
      return resource == Resource::kChecklist ? kRead : kNone;
    case Role::kAuditor:
      return kRead;
  }
  return kNone;
}

}  // namespace mamori::auth
