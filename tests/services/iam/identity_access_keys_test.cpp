#include "identity_test_fixture.h"

namespace iamlocal::services::iam::identity_testing {
namespace {

class AccessKeyOperations : public IdentityTest {};

TEST_F(AccessKeyOperations, CreateAccessKeyIssuesAnIndexedActiveKey) {
  ok("CreateUser", {{"UserName", "u"}});
  json key = ok("CreateAccessKey", {{"UserName", "u"}})["AccessKey"];
  std::string id = key["AccessKeyId"];
  EXPECT_EQ(id.size(), 20u);
  EXPECT_EQ(id.substr(0, 4), "AKIA");
  EXPECT_EQ(key["SecretAccessKey"].get<std::string>().size(), 40u);
  EXPECT_EQ(key["Status"], "Active");
  EXPECT_EQ(key["UserName"], "u");
  EXPECT_EQ(key["CreateDate"], "2024-05-01T12:00:00Z");
  auto cred = store_.findAccessKey(id);
  ASSERT_TRUE(cred.has_value());
  EXPECT_EQ(cred->secret_access_key, key["SecretAccessKey"]);
  EXPECT_EQ(cred->principal.name, "u");
}

TEST_F(AccessKeyOperations, AUserHasAtMostTwoKeys) {
  ok("CreateUser", {{"UserName", "u"}});
  ok("CreateAccessKey", {{"UserName", "u"}});
  ok("CreateAccessKey", {{"UserName", "u"}});
  expectError("CreateAccessKey", {{"UserName", "u"}}, ErrorCode::LimitExceeded, "Cannot exceed quota for AccessKeysPerUser: 2");
  expectError("CreateAccessKey", {{"UserName", "x"}}, ErrorCode::NoSuchEntity, "The user with name x cannot be found.");
}

TEST_F(AccessKeyOperations, UpdateListAndDeleteKeys) {
  ok("CreateUser", {{"UserName", "u"}});
  ok("CreateUser", {{"UserName", "other"}});
  std::string id = ok("CreateAccessKey", {{"UserName", "u"}})["AccessKey"]["AccessKeyId"];
  ok("UpdateAccessKey", {{"UserName", "u"}, {"AccessKeyId", id}, {"Status", "Inactive"}});
  json listed = ok("ListAccessKeys", {{"UserName", "u"}});
  ASSERT_EQ(listed["AccessKeyMetadata"].size(), 1u);
  EXPECT_EQ(listed["AccessKeyMetadata"][0]["Status"], "Inactive");
  EXPECT_FALSE(listed["AccessKeyMetadata"][0].contains("SecretAccessKey"));
  EXPECT_FALSE(store_.findAccessKey(id)->active);
  const std::string missing = "The Access Key with id " + id + " cannot be found.";
  expectError("DeleteAccessKey", {{"UserName", "other"}, {"AccessKeyId", id}}, ErrorCode::NoSuchEntity, missing);
  expectError("UpdateAccessKey", {{"UserName", "u"}, {"AccessKeyId", id}, {"Status", "Expired"}}, ErrorCode::InvalidInput,
              "Status Expired is not valid; it must be Active or Inactive.");
  ok("DeleteAccessKey", {{"UserName", "u"}, {"AccessKeyId", id}});
  EXPECT_FALSE(store_.findAccessKey(id).has_value());
  EXPECT_EQ(ok("ListAccessKeys", {{"UserName", "u"}})["AccessKeyMetadata"], json::array());
  expectError("DeleteAccessKey", {{"UserName", "u"}, {"AccessKeyId", id}}, ErrorCode::NoSuchEntity, missing);
}

TEST_F(AccessKeyOperations, UserNameDefaultsToTheCallingUser) {
  ok("CreateUser", {{"UserName", "u"}});
  callAsUser("u");
  std::string id = ok("CreateAccessKey")["AccessKey"]["AccessKeyId"];
  EXPECT_EQ(ok("ListAccessKeys")["AccessKeyMetadata"][0]["AccessKeyId"], id);
  ok("UpdateAccessKey", {{"AccessKeyId", id}, {"Status", "Inactive"}});
  ok("DeleteAccessKey", {{"AccessKeyId", id}});
  EXPECT_EQ(ok("ListAccessKeys")["AccessKeyMetadata"], json::array());
}

TEST_F(AccessKeyOperations, RoleSessionsMustNameTheUser) {
  callAsRole("r");
  const char* message = "Must specify userName when calling with non-User credentials";
  expectError("CreateAccessKey", json::object(), ErrorCode::ValidationError, message);
  expectError("ListAccessKeys", json::object(), ErrorCode::ValidationError, message);
}

TEST_F(AccessKeyOperations, RootKeysAreListedButNotManagedThroughIam) {
  json listed = ok("ListAccessKeys");
  ASSERT_EQ(listed["AccessKeyMetadata"].size(), 1u);
  EXPECT_EQ(listed["AccessKeyMetadata"][0]["AccessKeyId"], "AKIAROOTROOTROOTROOT");
  auto created = call("CreateAccessKey", json::object());
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error().code, ErrorCode::InvalidInput);
  auto deleted = call("DeleteAccessKey", {{"AccessKeyId", "AKIAROOTROOTROOTROOT"}});
  ASSERT_FALSE(deleted.has_value());
  EXPECT_EQ(deleted.error().code, ErrorCode::InvalidInput);
}

TEST_F(AccessKeyOperations, GetAccessKeyLastUsedReportsNeverUsedAndUsage) {
  ok("CreateUser", {{"UserName", "u"}});
  std::string id = ok("CreateAccessKey", {{"UserName", "u"}})["AccessKey"]["AccessKeyId"];
  json out = ok("GetAccessKeyLastUsed", {{"AccessKeyId", id}});
  EXPECT_EQ(out["UserName"], "u");
  EXPECT_EQ(out["AccessKeyLastUsed"], json::parse(R"({"ServiceName":"N/A","Region":"N/A"})"));

  {
    auto& key = store_.account(kAccount).access_keys.at(id);
    key.last_used_date = now_;
    key.last_used_service = "iam";
    key.last_used_region = "us-east-1";
  }
  out = ok("GetAccessKeyLastUsed", {{"AccessKeyId", id}});
  EXPECT_EQ(out["AccessKeyLastUsed"],
            json::parse(R"({"LastUsedDate":"2024-05-01T12:00:00Z","ServiceName":"iam","Region":"us-east-1"})"));

  expectError("GetAccessKeyLastUsed", {{"AccessKeyId", "AKIANOTAKEYNOTAKEY00"}}, ErrorCode::AccessDenied,
              "User: arn:aws:iam::123456789012:root is not authorized to perform: iam:GetAccessKeyLastUsed on "
              "resource: access key AKIANOTAKEYNOTAKEY00");
}

}  // namespace
}  // namespace iamlocal::services::iam::identity_testing
