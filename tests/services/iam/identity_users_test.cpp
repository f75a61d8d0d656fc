#include "identity_test_fixture.h"

namespace iamlocal::services::iam::identity_testing {
namespace {

class UserOperations : public IdentityTest {};

TEST_F(UserOperations, CreateUserReturnsTheUserWithArnIncludingPath) {
  json out = ok("CreateUser", {{"UserName", "alice"}, {"Path", "/eng/"}, {"Tags", {{{"Key", "team"}, {"Value", "a"}}}}});
  const json& user = out["User"];
  EXPECT_EQ(user["UserName"], "alice");
  EXPECT_EQ(user["Path"], "/eng/");
  EXPECT_EQ(user["Arn"], "arn:aws:iam::123456789012:user/eng/alice");
  EXPECT_EQ(user["CreateDate"], "2024-05-01T12:00:00Z");
  EXPECT_EQ(user["UserId"].get<std::string>().substr(0, 4), "AIDA");
  EXPECT_EQ(user["UserId"].get<std::string>().size(), 21u);
  EXPECT_EQ(user["Tags"], json::parse(R"([{"Key":"team","Value":"a"}])"));
  EXPECT_FALSE(user.contains("PermissionsBoundary"));
}

TEST_F(UserOperations, CreateUserDefaultsPathToSlash) {
  json out = ok("CreateUser", {{"UserName", "bob"}});
  EXPECT_EQ(out["User"]["Path"], "/");
  EXPECT_EQ(out["User"]["Arn"], "arn:aws:iam::123456789012:user/bob");
  EXPECT_FALSE(out["User"].contains("Tags"));
}

TEST_F(UserOperations, CreateUserRefusesANameTakenInAnotherCase) {
  ok("CreateUser", {{"UserName", "Alice"}});
  expectError("CreateUser", {{"UserName", "alice"}}, ErrorCode::EntityAlreadyExists, "User with name alice already exists.");
}

TEST_F(UserOperations, GetUserOfUnknownNameIsNoSuchEntity) {
  expectError("GetUser", {{"UserName", "ghost"}}, ErrorCode::NoSuchEntity, "The user with name ghost cannot be found.");
}

TEST_F(UserOperations, GetUserFindsNamesIgnoringCaseAndReturnsTagsAndBoundary) {
  std::string arn = createPolicy("Boundary");
  ok("CreateUser", {{"UserName", "Alice"}, {"PermissionsBoundary", arn}});
  json user = ok("GetUser", {{"UserName", "ALICE"}})["User"];
  EXPECT_EQ(user["UserName"], "Alice");
  EXPECT_EQ(user["PermissionsBoundary"]["PermissionsBoundaryType"], "Policy");
  EXPECT_EQ(user["PermissionsBoundary"]["PermissionsBoundaryArn"], arn);
  EXPECT_EQ(account().boundary_counts.at(arn), 1);
}

TEST_F(UserOperations, GetUserWithoutNameAsRootDescribesTheRoot) {
  json user = ok("GetUser")["User"];
  EXPECT_EQ(user["UserId"], "123456789012");
  EXPECT_EQ(user["Arn"], "arn:aws:iam::123456789012:root");
  EXPECT_EQ(user["CreateDate"], "2024-05-01T12:00:00Z");
  EXPECT_FALSE(user.contains("UserName"));
}

TEST_F(UserOperations, GetUserWithoutNameAsUserDescribesThatUser) {
  ok("CreateUser", {{"UserName", "alice"}});
  callAsUser("alice");
  EXPECT_EQ(ok("GetUser")["User"]["UserName"], "alice");
}

TEST_F(UserOperations, GetUserWithoutNameAsRoleSessionIsValidationError) {
  callAsRole("worker");
  expectError("GetUser", json::object(), ErrorCode::ValidationError,
              "Must specify userName when calling with non-User credentials");
}

TEST_F(UserOperations, UpdateUserRenamesAndRipplesIntoGroupsAndKeys) {
  ok("CreateUser", {{"UserName", "alice"}});
  ok("CreateGroup", {{"GroupName", "devs"}});
  ok("AddUserToGroup", {{"GroupName", "devs"}, {"UserName", "alice"}});
  std::string key_id = ok("CreateAccessKey", {{"UserName", "alice"}})["AccessKey"]["AccessKeyId"];

  ok("UpdateUser", {{"UserName", "alice"}, {"NewUserName", "alicia"}, {"NewPath", "/x/"}});

  expectError("GetUser", {{"UserName", "alice"}}, ErrorCode::NoSuchEntity, "The user with name alice cannot be found.");
  json user = ok("GetUser", {{"UserName", "alicia"}})["User"];
  EXPECT_EQ(user["Arn"], "arn:aws:iam::123456789012:user/x/alicia");
  json members = ok("GetGroup", {{"GroupName", "devs"}})["Users"];
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0]["UserName"], "alicia");
  EXPECT_EQ(ok("ListAccessKeys", {{"UserName", "alicia"}})["AccessKeyMetadata"][0]["UserName"], "alicia");
  auto cred = store_.findAccessKey(key_id);
  ASSERT_TRUE(cred.has_value());
  EXPECT_EQ(cred->principal.arn, "arn:aws:iam::123456789012:user/x/alicia");
}

TEST_F(UserOperations, UpdateUserToATakenNameIsEntityAlreadyExists) {
  ok("CreateUser", {{"UserName", "alice"}});
  ok("CreateUser", {{"UserName", "bob"}});
  expectError("UpdateUser", {{"UserName", "alice"}, {"NewUserName", "BOB"}}, ErrorCode::EntityAlreadyExists,
              "User with name BOB already exists.");
}

TEST_F(UserOperations, DeleteUserRefusesWhileDependenciesRemain) {
  struct Case {
    const char* name;
    std::function<void(IdentityTest&)> setup;
    std::function<void(IdentityTest&)> cleanup;
    const char* message;
  };
  std::vector<Case> cases = {
      {"access key",
       [](IdentityTest& t) { t.ok("CreateAccessKey", {{"UserName", "u"}}); },
       [](IdentityTest& t) {
         auto id = t.ok("ListAccessKeys", {{"UserName", "u"}})["AccessKeyMetadata"][0]["AccessKeyId"];
         t.ok("DeleteAccessKey", {{"UserName", "u"}, {"AccessKeyId", id}});
       },
       "Cannot delete entity, must delete access keys first."},
      {"inline policy",
       [](IdentityTest& t) { t.ok("PutUserPolicy", {{"UserName", "u"}, {"PolicyName", "p"}, {"PolicyDocument", kPolicyDoc}}); },
       [](IdentityTest& t) { t.ok("DeleteUserPolicy", {{"UserName", "u"}, {"PolicyName", "p"}}); },
       "Cannot delete entity, must delete policies first."},
      {"attached policy",
       [](IdentityTest& t) {
         t.ok("AttachUserPolicy", {{"UserName", "u"}, {"PolicyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess"}});
       },
       [](IdentityTest& t) {
         t.ok("DetachUserPolicy", {{"UserName", "u"}, {"PolicyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess"}});
       },
       "Cannot delete entity, must detach all policies first."},
      {"group membership",
       [](IdentityTest& t) {
         t.ok("CreateGroup", {{"GroupName", "g"}});
         t.ok("AddUserToGroup", {{"GroupName", "g"}, {"UserName", "u"}});
       },
       [](IdentityTest& t) { t.ok("RemoveUserFromGroup", {{"GroupName", "g"}, {"UserName", "u"}}); },
       "Cannot delete entity, must remove users from group first."},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ok("CreateUser", {{"UserName", "u"}});
    c.setup(*this);
    expectError("DeleteUser", {{"UserName", "u"}}, ErrorCode::DeleteConflict, c.message);
    c.cleanup(*this);
    ok("DeleteUser", {{"UserName", "u"}});
    expectError("GetUser", {{"UserName", "u"}}, ErrorCode::NoSuchEntity, "The user with name u cannot be found.");
  }
}

TEST_F(UserOperations, DeleteUserReleasesItsBoundary) {
  std::string arn = createPolicy("B");
  ok("CreateUser", {{"UserName", "u"}, {"PermissionsBoundary", arn}});
  ok("DeleteUser", {{"UserName", "u"}});
  EXPECT_FALSE(account().boundary_counts.contains(arn));
}

TEST_F(UserOperations, ListUsersFiltersByPathPrefixPaginatesAndOmitsTags) {
  for (std::string name : {"a", "b", "c", "d"})
    ok("CreateUser", {{"UserName", name}, {"Path", name == "d" ? "/other/" : "/team/"}, {"Tags", {{{"Key", "k"}, {"Value", "v"}}}}});
  json page1 = ok("ListUsers", {{"PathPrefix", "/team/"}, {"MaxItems", 2}});
  ASSERT_EQ(page1["Users"].size(), 2u);
  EXPECT_EQ(page1["Users"][0]["UserName"], "a");
  EXPECT_FALSE(page1["Users"][0].contains("Tags"));
  EXPECT_TRUE(page1["IsTruncated"].get<bool>());
  json page2 = ok("ListUsers", {{"PathPrefix", "/team/"}, {"MaxItems", 2}, {"Marker", page1["Marker"]}});
  ASSERT_EQ(page2["Users"].size(), 1u);
  EXPECT_EQ(page2["Users"][0]["UserName"], "c");
  EXPECT_FALSE(page2["IsTruncated"].get<bool>());
  EXPECT_FALSE(page2.contains("Marker"));
  EXPECT_EQ(ok("ListUsers")["Users"].size(), 4u);
}

TEST_F(UserOperations, ListUsersOfAnUntouchedAccountIsEmpty) {
  json out = ok("ListUsers");
  EXPECT_EQ(out["Users"], json::array());
  EXPECT_FALSE(out["IsTruncated"].get<bool>());
}

TEST_F(UserOperations, TagUserMergesKeysIgnoringCaseAndListUserTagsSortsByKey) {
  ok("CreateUser", {{"UserName", "u"}, {"Tags", {{{"Key", "Team"}, {"Value", "a"}}}}});
  ok("TagUser", {{"UserName", "u"}, {"Tags", {{{"Key", "team"}, {"Value", "b"}}, {{"Key", "Env"}, {"Value", "prod"}}}}});
  json tags = ok("ListUserTags", {{"UserName", "u"}});
  EXPECT_EQ(tags["Tags"], json::parse(R"([{"Key":"Env","Value":"prod"},{"Key":"team","Value":"b"}])"));
  EXPECT_FALSE(tags["IsTruncated"].get<bool>());
  ok("UntagUser", {{"UserName", "u"}, {"TagKeys", {"TEAM", "absent"}}});
  EXPECT_EQ(ok("ListUserTags", {{"UserName", "u"}})["Tags"], json::parse(R"([{"Key":"Env","Value":"prod"}])"));
}

TEST_F(UserOperations, TagUserRefusesBadTagSets) {
  ok("CreateUser", {{"UserName", "u"}});
  struct Case {
    const char* name;
    json tags;
    ErrorCode code;
    std::string message;
  };
  json fifty_one = json::array();
  for (int i = 0; i < 51; ++i) {
    std::string key(2, 'a');
    key[0] = static_cast<char>('a' + i / 26);
    key[1] = static_cast<char>('a' + i % 26);
    fifty_one.push_back({{"Key", key}, {"Value", "v"}});
  }
  std::vector<Case> cases = {
      {"duplicate keys", {{{"Key", "a"}, {"Value", "1"}}, {{"Key", "A"}, {"Value", "2"}}}, ErrorCode::InvalidInput,
       "Duplicate tag keys found. Please note that Tag keys are case insensitive."},
      {"aws prefix", {{{"Key", "aws:x"}, {"Value", "1"}}}, ErrorCode::InvalidInput,
       "Tag keys starting with 'aws:' are reserved for internal use"},
      {"over fifty", fifty_one, ErrorCode::LimitExceeded, "Cannot exceed quota for TagsPerUser: 50"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    expectError("TagUser", {{"UserName", "u"}, {"Tags", c.tags}}, c.code, c.message);
    EXPECT_EQ(ok("ListUserTags", {{"UserName", "u"}})["Tags"], json::array());
  }
}

TEST_F(UserOperations, TagOperationsOnUnknownUserAreNoSuchEntity) {
  for (std::string action : {"TagUser", "UntagUser", "ListUserTags"}) {
    SCOPED_TRACE(action);
    expectError(action, {{"UserName", "x"}, {"Tags", json::array()}, {"TagKeys", json::array()}}, ErrorCode::NoSuchEntity,
                "The user with name x cannot be found.");
  }
}

TEST_F(UserOperations, PutUserPermissionsBoundaryChecksThePolicyAndCounts) {
  ok("CreateUser", {{"UserName", "u"}});
  std::string arn = createPolicy("B");
  expectError("PutUserPermissionsBoundary", {{"UserName", "u"}, {"PermissionsBoundary", "arn:aws:iam::123456789012:policy/none"}},
              ErrorCode::NoSuchEntity, "Policy arn:aws:iam::123456789012:policy/none does not exist or is not attachable.");
  expectError("PutUserPermissionsBoundary", {{"UserName", "u"}, {"PermissionsBoundary", "not-an-arn"}},
              ErrorCode::InvalidInput, "ARN not-an-arn is not valid.");
  ok("PutUserPermissionsBoundary", {{"UserName", "u"}, {"PermissionsBoundary", arn}});
  EXPECT_EQ(account().boundary_counts.at(arn), 1);
  ok("PutUserPermissionsBoundary", {{"UserName", "u"}, {"PermissionsBoundary", "arn:aws:iam::aws:policy/ReadOnlyAccess"}});
  EXPECT_FALSE(account().boundary_counts.contains(arn));
  EXPECT_EQ(account().boundary_counts.at("arn:aws:iam::aws:policy/ReadOnlyAccess"), 1);
  ok("DeleteUserPermissionsBoundary", {{"UserName", "u"}});
  EXPECT_TRUE(account().boundary_counts.empty());
  EXPECT_FALSE(ok("GetUser", {{"UserName", "u"}})["User"].contains("PermissionsBoundary"));
}

}  // namespace
}  // namespace iamlocal::services::iam::identity_testing
