#include "identity_test_fixture.h"

namespace iamlocal::services::iam::identity_testing {
namespace {

class InstanceProfileOperations : public IdentityTest {};

TEST_F(InstanceProfileOperations, CreateAndGetShowTheProfileWithItsRole) {
  json created = ok("CreateInstanceProfile", {{"InstanceProfileName", "ip"}, {"Path", "/p/"}, {"Tags", {{{"Key", "k"}, {"Value", "v"}}}}});
  EXPECT_EQ(created["InstanceProfile"]["Arn"], "arn:aws:iam::123456789012:instance-profile/p/ip");
  EXPECT_EQ(created["InstanceProfile"]["InstanceProfileId"].get<std::string>().substr(0, 4), "AIPA");
  EXPECT_EQ(created["InstanceProfile"]["Roles"], json::array());
  expectError("CreateInstanceProfile", {{"InstanceProfileName", "IP"}}, ErrorCode::EntityAlreadyExists,
              "Instance Profile IP already exists.");

  createRole("r");
  ok("AddRoleToInstanceProfile", {{"InstanceProfileName", "ip"}, {"RoleName", "r"}});
  json profile = ok("GetInstanceProfile", {{"InstanceProfileName", "ip"}})["InstanceProfile"];
  ASSERT_EQ(profile["Roles"].size(), 1u);
  EXPECT_EQ(profile["Roles"][0]["RoleName"], "r");
  EXPECT_TRUE(profile["Roles"][0].contains("AssumeRolePolicyDocument"));
  EXPECT_FALSE(profile["Roles"][0].contains("RoleLastUsed"));
  EXPECT_EQ(profile["Tags"], json::parse(R"([{"Key":"k","Value":"v"}])"));
}

TEST_F(InstanceProfileOperations, HoldsAtMostOneRole) {
  ok("CreateInstanceProfile", {{"InstanceProfileName", "ip"}});
  createRole("a");
  createRole("b");
  ok("AddRoleToInstanceProfile", {{"InstanceProfileName", "ip"}, {"RoleName", "a"}});
  for (std::string role : {"a", "b"}) {
    SCOPED_TRACE(role);
    expectError("AddRoleToInstanceProfile", {{"InstanceProfileName", "ip"}, {"RoleName", role}}, ErrorCode::LimitExceeded,
                "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
  }
}

TEST_F(InstanceProfileOperations, DeleteRefusesWhileItHasARole) {
  ok("CreateInstanceProfile", {{"InstanceProfileName", "ip"}});
  createRole("r");
  ok("AddRoleToInstanceProfile", {{"InstanceProfileName", "ip"}, {"RoleName", "r"}});
  expectError("DeleteInstanceProfile", {{"InstanceProfileName", "ip"}}, ErrorCode::DeleteConflict,
              "Cannot delete entity, must remove roles from instance profile first.");
  ok("RemoveRoleFromInstanceProfile", {{"InstanceProfileName", "ip"}, {"RoleName", "r"}});
  expectError("RemoveRoleFromInstanceProfile", {{"InstanceProfileName", "ip"}, {"RoleName", "r"}}, ErrorCode::NoSuchEntity,
              "The role with name r cannot be found in instance profile ip.");
  ok("DeleteInstanceProfile", {{"InstanceProfileName", "ip"}});
  expectError("GetInstanceProfile", {{"InstanceProfileName", "ip"}}, ErrorCode::NoSuchEntity, "Instance Profile ip cannot be found.");
  EXPECT_EQ(ok("ListInstanceProfilesForRole", {{"RoleName", "r"}})["InstanceProfiles"], json::array());
}

TEST_F(InstanceProfileOperations, ListsByPathAndByRole) {
  createRole("r");
  for (std::string name : {"a", "b", "c"}) {
    ok("CreateInstanceProfile", {{"InstanceProfileName", name}, {"Path", name == "c" ? "/c/" : "/"}});
    ok("AddRoleToInstanceProfile", {{"InstanceProfileName", name}, {"RoleName", "r"}});
  }
  EXPECT_EQ(ok("ListInstanceProfiles", {{"PathPrefix", "/c/"}})["InstanceProfiles"].size(), 1u);
  json page = ok("ListInstanceProfilesForRole", {{"RoleName", "r"}, {"MaxItems", 2}});
  ASSERT_EQ(page["InstanceProfiles"].size(), 2u);
  EXPECT_EQ(page["InstanceProfiles"][0]["InstanceProfileName"], "a");
  EXPECT_TRUE(page["IsTruncated"].get<bool>());
  json rest = ok("ListInstanceProfilesForRole", {{"RoleName", "r"}, {"Marker", page["Marker"]}});
  ASSERT_EQ(rest["InstanceProfiles"].size(), 1u);
  EXPECT_EQ(rest["InstanceProfiles"][0]["InstanceProfileName"], "c");
  expectError("ListInstanceProfilesForRole", {{"RoleName", "x"}}, ErrorCode::NoSuchEntity, "The role with name x cannot be found.");
}

TEST_F(InstanceProfileOperations, Tags) {
  ok("CreateInstanceProfile", {{"InstanceProfileName", "ip"}});
  ok("TagInstanceProfile", {{"InstanceProfileName", "ip"}, {"Tags", {{{"Key", "x"}, {"Value", "1"}}}}});
  EXPECT_EQ(ok("ListInstanceProfileTags", {{"InstanceProfileName", "ip"}})["Tags"], json::parse(R"([{"Key":"x","Value":"1"}])"));
  ok("UntagInstanceProfile", {{"InstanceProfileName", "ip"}, {"TagKeys", {"X"}}});
  EXPECT_EQ(ok("ListInstanceProfileTags", {{"InstanceProfileName", "ip"}})["Tags"], json::array());
  expectError("TagInstanceProfile", {{"InstanceProfileName", "nope"}, {"Tags", json::array()}}, ErrorCode::NoSuchEntity,
              "Instance Profile nope cannot be found.");
}

}  // namespace
}  // namespace iamlocal::services::iam::identity_testing
