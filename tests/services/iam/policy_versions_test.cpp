#include "policy_test_fixture.h"

namespace iamlocal::services::iam::testing {
namespace {

using PolicyVersions = PolicyOperationsTest;

const std::string kDoc2 = R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]})";

TEST_F(PolicyVersions, CreatePolicyVersionAddsVersionsAndOptionallyMakesThemDefault) {
  const std::string arn = createPolicy("p");
  now_ += std::chrono::hours(1);
  json v2 = ok("CreatePolicyVersion", {{"PolicyArn", arn}, {"PolicyDocument", kDoc2}})["PolicyVersion"];
  EXPECT_EQ(v2, json({{"VersionId", "v2"}, {"IsDefaultVersion", false}, {"CreateDate", "2024-05-01T13:00:00Z"}}));
  json v3 = ok("CreatePolicyVersion", {{"PolicyArn", arn}, {"PolicyDocument", kDoc2}, {"SetAsDefault", true}})["PolicyVersion"];
  EXPECT_EQ(v3["VersionId"], "v3");
  EXPECT_EQ(v3["IsDefaultVersion"], true);
  json p = ok("GetPolicy", {{"PolicyArn", arn}})["Policy"];
  EXPECT_EQ(p["DefaultVersionId"], "v3");
  EXPECT_EQ(p["CreateDate"], "2024-05-01T12:00:00Z");
  EXPECT_EQ(p["UpdateDate"], "2024-05-01T13:00:00Z");
}

TEST_F(PolicyVersions, APolicyHasAtMostFiveVersionsAndIdsAreNeverReused) {
  const std::string arn = createPolicy("p");
  for (int i = 2; i <= 5; ++i) ok("CreatePolicyVersion", {{"PolicyArn", arn}, {"PolicyDocument", kDoc}});
  expectError("CreatePolicyVersion", {{"PolicyArn", arn}, {"PolicyDocument", kDoc}}, ErrorCode::LimitExceeded,
              "A managed policy can have up to 5 versions. Before you create a new version, you must delete an "
              "existing version.");
  ok("DeletePolicyVersion", {{"PolicyArn", arn}, {"VersionId", "v5"}});
  EXPECT_EQ(ok("CreatePolicyVersion", {{"PolicyArn", arn}, {"PolicyDocument", kDoc}})["PolicyVersion"]["VersionId"], "v6");
}

TEST_F(PolicyVersions, CreatePolicyVersionChecksPolicyAndDocument) {
  const std::string arn = createPolicy("p");
  const std::string missing = "arn:aws:iam::123456789012:policy/missing";
  expectError("CreatePolicyVersion", {{"PolicyArn", missing}, {"PolicyDocument", kDoc}}, ErrorCode::NoSuchEntity,
              "Policy " + missing + " was not found.");
  expectError("CreatePolicyVersion", {{"PolicyArn", arn}, {"PolicyDocument", "{"}}, ErrorCode::MalformedPolicyDocument,
              "Syntax errors in policy.");
}

TEST_F(PolicyVersions, GetPolicyVersionReturnsTheDocumentUrlEncoded) {
  const std::string arn = createPolicy("p");
  const std::string pretty =
      "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Deny\", \"Action\": \"*\", \"Resource\": \"*\"}]\n}";
  ok("CreatePolicyVersion", {{"PolicyArn", arn}, {"PolicyDocument", pretty}});
  json v1 = ok("GetPolicyVersion", {{"PolicyArn", arn}, {"VersionId", "v1"}})["PolicyVersion"];
  EXPECT_EQ(v1["Document"], uriEncode(kDoc));
  EXPECT_EQ(v1["IsDefaultVersion"], true);
  json v2 = ok("GetPolicyVersion", {{"PolicyArn", arn}, {"VersionId", "v2"}})["PolicyVersion"];
  // As written, whitespace and all.
  EXPECT_EQ(v2["Document"], "%7B%0A%20%20%22Version%22%3A%20%222012-10-17%22%2C%0A%20%20%22Statement%22%3A%20%5B%7B%22Effect%22%3A%20%22Deny%22%2C%20%22Action%22%3A%20%22%2A%22%2C%20%22Resource%22%3A%20%22%2A%22%7D%5D%0A%7D");
  EXPECT_EQ(v2["IsDefaultVersion"], false);
  expectError("GetPolicyVersion", {{"PolicyArn", arn}, {"VersionId", "v9"}}, ErrorCode::NoSuchEntity,
              "Policy " + arn + " version v9 does not exist or is not attachable.");
}

TEST_F(PolicyVersions, AwsManagedPoliciesShowTheirDefaultVersion) {
  const store::AwsManagedPolicy* admin = store::findAwsManagedPolicy(kAdminArn);
  ASSERT_NE(admin, nullptr);
  const std::string version(admin->default_version_id);
  json v = ok("GetPolicyVersion", {{"PolicyArn", kAdminArn}, {"VersionId", version}})["PolicyVersion"];
  EXPECT_EQ(v["Document"], uriEncode(admin->document));
  EXPECT_EQ(v["IsDefaultVersion"], true);
  std::string decoded;
  ASSERT_TRUE(uriDecode(v["Document"].get<std::string>(), decoded));
  EXPECT_EQ(json::parse(decoded)["Statement"][0]["Action"], "*");

  json list = ok("ListPolicyVersions", {{"PolicyArn", kAdminArn}});
  ASSERT_EQ(list["Versions"].size(), 1u);
  EXPECT_EQ(list["Versions"][0]["VersionId"], version);
  EXPECT_FALSE(list["Versions"][0].contains("Document"));
  expectError("GetPolicyVersion", {{"PolicyArn", kAdminArn}, {"VersionId", "v999"}}, ErrorCode::NoSuchEntity,
              "Policy " + kAdminArn + " version v999 does not exist or is not attachable.");
}

TEST_F(PolicyVersions, ListPolicyVersionsListsNewestFirstAndPages) {
  const std::string arn = createPolicy("p");
  ok("CreatePolicyVersion", {{"PolicyArn", arn}, {"PolicyDocument", kDoc}});
  ok("CreatePolicyVersion", {{"PolicyArn", arn}, {"PolicyDocument", kDoc}, {"SetAsDefault", true}});
  json page1 = ok("ListPolicyVersions", {{"PolicyArn", arn}, {"MaxItems", 2}});
  ASSERT_EQ(page1["Versions"].size(), 2u);
  EXPECT_EQ(page1["Versions"][0]["VersionId"], "v3");
  EXPECT_EQ(page1["Versions"][0]["IsDefaultVersion"], true);
  EXPECT_EQ(page1["Versions"][1]["VersionId"], "v2");
  EXPECT_EQ(page1["IsTruncated"], true);
  json page2 = ok("ListPolicyVersions", {{"PolicyArn", arn}, {"MaxItems", 2}, {"Marker", page1["Marker"]}});
  ASSERT_EQ(page2["Versions"].size(), 1u);
  EXPECT_EQ(page2["Versions"][0]["VersionId"], "v1");
  EXPECT_EQ(page2["IsTruncated"], false);
  EXPECT_FALSE(page2.contains("Marker"));
}

TEST_F(PolicyVersions, DeletePolicyVersionRefusesTheDefaultAndUnknownVersions) {
  const std::string arn = createPolicy("p");
  ok("CreatePolicyVersion", {{"PolicyArn", arn}, {"PolicyDocument", kDoc}});
  expectError("DeletePolicyVersion", {{"PolicyArn", arn}, {"VersionId", "v1"}}, ErrorCode::DeleteConflict,
              "Cannot delete the default version of a policy.");
  expectError("DeletePolicyVersion", {{"PolicyArn", arn}, {"VersionId", "v7"}}, ErrorCode::NoSuchEntity,
              "Policy " + arn + " version v7 does not exist or is not attachable.");
  ok("DeletePolicyVersion", {{"PolicyArn", arn}, {"VersionId", "v2"}});
  EXPECT_EQ(ok("ListPolicyVersions", {{"PolicyArn", arn}})["Versions"].size(), 1u);
}

TEST_F(PolicyVersions, SetDefaultPolicyVersionSwitchesTheDefault) {
  const std::string arn = createPolicy("p");
  ok("CreatePolicyVersion", {{"PolicyArn", arn}, {"PolicyDocument", kDoc2}});
  ok("SetDefaultPolicyVersion", {{"PolicyArn", arn}, {"VersionId", "v2"}});
  EXPECT_EQ(ok("GetPolicy", {{"PolicyArn", arn}})["Policy"]["DefaultVersionId"], "v2");
  // The old default may now be deleted.
  ok("DeletePolicyVersion", {{"PolicyArn", arn}, {"VersionId", "v1"}});
  expectError("SetDefaultPolicyVersion", {{"PolicyArn", arn}, {"VersionId", "v1"}}, ErrorCode::NoSuchEntity,
              "Policy " + arn + " version v1 does not exist or is not attachable.");
}

}  // namespace
}  // namespace iamlocal::services::iam::testing
