#include "auth/roles.hpp"

#include <gtest/gtest.h>

namespace mamori::auth {
namespace {

TEST(Roles, RoundTrip) {
  for (Role r : {Role::kAdmin, Role::kStaff, Role::kVendor, Role::kInspector, Role::kAuditor})
    EXPECT_EQ(ParseRole(RoleName(r)), r);
  EXPECT_FALSE(ParseRole("root"));
}

TEST(Roles, ReadOnlyRolesNeverWrite) {
  for (Resource res : {Resource::kUsers, Resource::kAudit, Resource::kLedger, Resource::kChecklist,
                       Resource::kSettings, Resource::kVuln, Resource::kLogs}) {
    EXPECT_NE(AccessFor(Role::kInspector, res), Access::kWrite);
    EXPECT_NE(AccessFor(Role::kAuditor, res), Access::kWrite);
  }
  EXPECT_EQ(AccessFor(Role::kInspector, Resource::kLedger), Access::kNone);
  EXPECT_EQ(AccessFor(Role::kInspector, Resource::kChecklist), Access::kRead);
  EXPECT_EQ(AccessFor(Role::kAuditor, Resource::kAudit), Access::kRead);
  EXPECT_EQ(AccessFor(Role::kStaff, Resource::kUsers), Access::kNone);
  EXPECT_EQ(AccessFor(Role::kVendor, Resource::kUsers), Access::kNone);
  EXPECT_EQ(AccessFor(Role::kVendor, Resource::kVuln), Access::kWrite);  // its own assets only
  EXPECT_EQ(AccessFor(Role::kVendor, Resource::kSettings), Access::kNone);
  EXPECT_EQ(AccessFor(Role::kInspector, Resource::kVuln), Access::kNone);
  EXPECT_EQ(AccessFor(Role::kStaff, Resource::kVuln), Access::kWrite);
  // Access logs name patients and staff: not for vendors or inspectors.
  EXPECT_EQ(AccessFor(Role::kVendor, Resource::kLogs), Access::kNone);
  EXPECT_EQ(AccessFor(Role::kInspector, Resource::kLogs), Access::kNone);
  EXPECT_EQ(AccessFor(Role::kStaff, Resource::kLogs), Access::kWrite);
  EXPECT_EQ(AccessFor(Role::kAuditor, Resource::kLogs), Access::kRead);
  EXPECT_TRUE(VendorScoped(Role::kVendor));
  EXPECT_FALSE(VendorScoped(Role::kStaff));
}

}  // namespace
}  // namespace mamori::auth
