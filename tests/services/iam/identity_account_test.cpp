#include "identity_test_fixture.h"

namespace iamlocal::services::iam::identity_testing {
namespace {

class AccountOperations : public IdentityTest {};

TEST_F(AccountOperations, AliasesAreOnePerAccountAndGloballyUnique) {
  EXPECT_EQ(ok("ListAccountAliases")["AccountAliases"], json::array());
  ok("CreateAccountAlias", {{"AccountAlias", "first"}});
  ok("CreateAccountAlias", {{"AccountAlias", "first"}});
  ok("CreateAccountAlias", {{"AccountAlias", "second"}});
  EXPECT_EQ(ok("ListAccountAliases")["AccountAliases"], json::parse(R"(["second"])"));

  caller_ = auth::rootPrincipal("210987654321");
  expectError("CreateAccountAlias", {{"AccountAlias", "second"}}, ErrorCode::EntityAlreadyExists,
              "The account alias second already exists.");
  // The replaced alias is free again.
  ok("CreateAccountAlias", {{"AccountAlias", "first"}});

  caller_ = auth::rootPrincipal(kAccount);
  expectError("DeleteAccountAlias", {{"AccountAlias", "first"}}, ErrorCode::NoSuchEntity,
              "The account alias first cannot be found.");
  ok("DeleteAccountAlias", {{"AccountAlias", "second"}});
  EXPECT_EQ(ok("ListAccountAliases")["AccountAliases"], json::array());
  EXPECT_EQ(store_.aliasOwner("second"), "");
}

TEST_F(AccountOperations, SummaryCountsEntitiesAndReportsQuotas) {
  ok("CreateUser", {{"UserName", "u"}});
  ok("CreateGroup", {{"GroupName", "g"}});
  createRole("r1");
  createRole("r2");
  ok("CreateInstanceProfile", {{"InstanceProfileName", "ip"}});
  createPolicy("p");
  ok("AttachRolePolicy", {{"RoleName", "r1"}, {"PolicyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess"}});
  json summary = ok("GetAccountSummary")["SummaryMap"];
  struct Case {
    const char* key;
    int value;
  };
  for (const auto& c : std::vector<Case>{{"Users", 1},
                                         {"Groups", 1},
                                         {"Roles", 2},
                                         {"InstanceProfiles", 1},
                                         {"Policies", 1},
                                         {"PolicyVersionsInUse", 1},
                                         {"UsersQuota", 5000},
                                         {"GroupsQuota", 300},
                                         {"RolesQuota", 1000},
                                         {"PoliciesQuota", 1500},
                                         {"InstanceProfilesQuota", 1000},
                                         {"AccessKeysPerUserQuota", 2},
                                         {"GroupsPerUserQuota", 10},
                                         {"AttachedPoliciesPerUserQuota", 10},
                                         {"PolicySizeQuota", 6144},
                                         {"VersionsPerPolicyQuota", 5},
                                         {"AssumeRolePolicySizeQuota", 2048},
                                         {"MFADevices", 0},
                                         {"GlobalEndpointTokenVersion", 1}}) {
    SCOPED_TRACE(c.key);
    ASSERT_TRUE(summary.contains(c.key));
    EXPECT_EQ(summary[c.key], c.value);
  }
}

TEST_F(AccountOperations, SummaryOfAnUntouchedAccountHasZeroCounts) {
  json summary = ok("GetAccountSummary")["SummaryMap"];
  EXPECT_EQ(summary["Users"], 0);
  EXPECT_EQ(summary["Roles"], 0);
  EXPECT_EQ(summary["UsersQuota"], 5000);
}

}  // namespace
}  // namespace iamlocal::services::iam::identity_testing
