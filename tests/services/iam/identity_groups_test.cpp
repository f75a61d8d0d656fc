#include "identity_test_fixture.h"

namespace iamlocal::services::iam::identity_testing {
namespace {

class GroupOperations : public IdentityTest {};

TEST_F(GroupOperations, CreateGroupReturnsTheGroup) {
  json group = ok("CreateGroup", {{"GroupName", "devs"}, {"Path", "/eng/"}})["Group"];
  EXPECT_EQ(group["GroupName"], "devs");
  EXPECT_EQ(group["Arn"], "arn:aws:iam::123456789012:group/eng/devs");
  EXPECT_EQ(group["GroupId"].get<std::string>().substr(0, 4), "AGPA");
  EXPECT_EQ(group["CreateDate"], "2024-05-01T12:00:00Z");
  expectError("CreateGroup", {{"GroupName", "DEVS"}}, ErrorCode::EntityAlreadyExists, "Group with name DEVS already exists.");
}

TEST_F(GroupOperations, GetGroupListsMembersPaginated) {
  ok("CreateGroup", {{"GroupName", "g"}});
  for (std::string name : {"c", "a", "b"}) {
    ok("CreateUser", {{"UserName", name}});
    ok("AddUserToGroup", {{"GroupName", "g"}, {"UserName", name}});
  }
  json page1 = ok("GetGroup", {{"GroupName", "G"}, {"MaxItems", 2}});
  EXPECT_EQ(page1["Group"]["GroupName"], "g");
  ASSERT_EQ(page1["Users"].size(), 2u);
  EXPECT_EQ(page1["Users"][0]["UserName"], "a");
  EXPECT_EQ(page1["Users"][1]["UserName"], "b");
  EXPECT_TRUE(page1["IsTruncated"].get<bool>());
  json page2 = ok("GetGroup", {{"GroupName", "g"}, {"Marker", page1["Marker"]}});
  ASSERT_EQ(page2["Users"].size(), 1u);
  EXPECT_EQ(page2["Users"][0]["UserName"], "c");
  EXPECT_FALSE(page2["IsTruncated"].get<bool>());
}

TEST_F(GroupOperations, UnknownGroupOrUserIsNoSuchEntity) {
  ok("CreateUser", {{"UserName", "u"}});
  ok("CreateGroup", {{"GroupName", "g"}});
  expectError("GetGroup", {{"GroupName", "x"}}, ErrorCode::NoSuchEntity, "The group with name x cannot be found.");
  expectError("AddUserToGroup", {{"GroupName", "x"}, {"UserName", "u"}}, ErrorCode::NoSuchEntity,
              "The group with name x cannot be found.");
  expectError("AddUserToGroup", {{"GroupName", "g"}, {"UserName", "x"}}, ErrorCode::NoSuchEntity,
              "The user with name x cannot be found.");
  expectError("ListGroupsForUser", {{"UserName", "x"}}, ErrorCode::NoSuchEntity, "The user with name x cannot be found.");
  expectError("RemoveUserFromGroup", {{"GroupName", "g"}, {"UserName", "u"}}, ErrorCode::NoSuchEntity,
              "User u is not in group g.");
}

TEST_F(GroupOperations, AddUserToGroupTwiceKeepsOneMembership) {
  ok("CreateUser", {{"UserName", "u"}});
  ok("CreateGroup", {{"GroupName", "g"}});
  ok("AddUserToGroup", {{"GroupName", "g"}, {"UserName", "u"}});
  ok("AddUserToGroup", {{"GroupName", "G"}, {"UserName", "U"}});
  EXPECT_EQ(ok("GetGroup", {{"GroupName", "g"}})["Users"].size(), 1u);
  EXPECT_EQ(ok("ListGroupsForUser", {{"UserName", "u"}})["Groups"][0]["GroupName"], "g");
}

TEST_F(GroupOperations, AUserBelongsToAtMostTenGroups) {
  ok("CreateUser", {{"UserName", "u"}});
  for (int i = 0; i < 11; ++i) {
    std::string group = std::string("g") + static_cast<char>('a' + i);
    ok("CreateGroup", {{"GroupName", group}});
    if (i < 10) ok("AddUserToGroup", {{"GroupName", group}, {"UserName", "u"}});
  }
  expectError("AddUserToGroup", {{"GroupName", "gk"}, {"UserName", "u"}}, ErrorCode::LimitExceeded,
              "Cannot exceed quota for GroupsPerUser: 10");
  EXPECT_EQ(ok("ListGroupsForUser", {{"UserName", "u"}})["Groups"].size(), 10u);
}

TEST_F(GroupOperations, UpdateGroupRenamesAndMembersFollow) {
  ok("CreateUser", {{"UserName", "u"}});
  ok("CreateGroup", {{"GroupName", "g"}});
  ok("CreateGroup", {{"GroupName", "other"}});
  ok("AddUserToGroup", {{"GroupName", "g"}, {"UserName", "u"}});
  expectError("UpdateGroup", {{"GroupName", "g"}, {"NewGroupName", "OTHER"}}, ErrorCode::EntityAlreadyExists,
              "Group with name OTHER already exists.");
  ok("UpdateGroup", {{"GroupName", "g"}, {"NewGroupName", "renamed"}, {"NewPath", "/p/"}});
  json groups = ok("ListGroupsForUser", {{"UserName", "u"}})["Groups"];
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0]["GroupName"], "renamed");
  EXPECT_EQ(groups[0]["Arn"], "arn:aws:iam::123456789012:group/p/renamed");
  ok("RemoveUserFromGroup", {{"GroupName", "renamed"}, {"UserName", "u"}});
  EXPECT_EQ(ok("GetGroup", {{"GroupName", "renamed"}})["Users"], json::array());
}

TEST_F(GroupOperations, DeleteGroupRefusesWhileMembersOrPoliciesRemain) {
  ok("CreateUser", {{"UserName", "u"}});
  ok("CreateGroup", {{"GroupName", "g"}});
  ok("AddUserToGroup", {{"GroupName", "g"}, {"UserName", "u"}});
  expectError("DeleteGroup", {{"GroupName", "g"}}, ErrorCode::DeleteConflict,
              "Cannot delete entity, must remove users from group first.");
  ok("RemoveUserFromGroup", {{"GroupName", "g"}, {"UserName", "u"}});
  ok("PutGroupPolicy", {{"GroupName", "g"}, {"PolicyName", "p"}, {"PolicyDocument", kPolicyDoc}});
  expectError("DeleteGroup", {{"GroupName", "g"}}, ErrorCode::DeleteConflict, "Cannot delete entity, must delete policies first.");
  ok("DeleteGroupPolicy", {{"GroupName", "g"}, {"PolicyName", "p"}});
  ok("AttachGroupPolicy", {{"GroupName", "g"}, {"PolicyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess"}});
  expectError("DeleteGroup", {{"GroupName", "g"}}, ErrorCode::DeleteConflict,
              "Cannot delete entity, must detach all policies first.");
  ok("DetachGroupPolicy", {{"GroupName", "g"}, {"PolicyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess"}});
  ok("DeleteGroup", {{"GroupName", "g"}});
  expectError("DeleteGroup", {{"GroupName", "g"}}, ErrorCode::NoSuchEntity, "The group with name g cannot be found.");
}

TEST_F(GroupOperations, ListGroupsFiltersByPathPrefix) {
  ok("CreateGroup", {{"GroupName", "a"}, {"Path", "/x/"}});
  ok("CreateGroup", {{"GroupName", "b"}, {"Path", "/y/"}});
  json out = ok("ListGroups", {{"PathPrefix", "/x/"}});
  ASSERT_EQ(out["Groups"].size(), 1u);
  EXPECT_EQ(out["Groups"][0]["GroupName"], "a");
  EXPECT_EQ(ok("ListGroups")["Groups"].size(), 2u);
}

}  // namespace
}  // namespace iamlocal::services::iam::identity_testing
