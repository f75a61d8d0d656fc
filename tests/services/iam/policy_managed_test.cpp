#include "policy_test_fixture.h"

namespace iamlocal::services::iam::testing {
namespace {

using ManagedPolicies = PolicyOperationsTest;

TEST_F(ManagedPolicies, CreatePolicyReturnsThePolicyWithItsArnAndFirstVersion) {
  json out = ok("CreatePolicy", {{"PolicyName", "s3-all"},
                                 {"Path", "/team/"},
                                 {"PolicyDocument", kDoc},
                                 {"Description", "all of S3"},
                                 {"Tags", json::array({{{"Key", "env"}, {"Value", "prod"}}})}});
  const json& p = out["Policy"];
  EXPECT_EQ(p["PolicyName"], "s3-all");
  EXPECT_EQ(p["Arn"], "arn:aws:iam::123456789012:policy/team/s3-all");
  EXPECT_EQ(p["Path"], "/team/");
  EXPECT_EQ(p["DefaultVersionId"], "v1");
  EXPECT_EQ(p["AttachmentCount"], 0);
  EXPECT_EQ(p["PermissionsBoundaryUsageCount"], 0);
  EXPECT_EQ(p["IsAttachable"], true);
  EXPECT_EQ(p["CreateDate"], "2024-05-01T12:00:00Z");
  EXPECT_EQ(p["UpdateDate"], "2024-05-01T12:00:00Z");
  EXPECT_EQ(p["Tags"], json::array({{{"Key", "env"}, {"Value", "prod"}}}));
  const std::string id = p["PolicyId"];
  EXPECT_EQ(id.size(), 21u);
  EXPECT_TRUE(id.starts_with("ANPA"));
}

TEST_F(ManagedPolicies, CreatePolicyDefaultsThePathToRoot) {
  EXPECT_EQ(ok("CreatePolicy", {{"PolicyName", "p"}, {"PolicyDocument", kDoc}})["Policy"]["Arn"],
            "arn:aws:iam::123456789012:policy/p");
}

TEST_F(ManagedPolicies, CreatePolicyRejectsDuplicateNamesIgnoringCase) {
  createPolicy("Deploy");
  expectError("CreatePolicy", {{"PolicyName", "deploy"}, {"PolicyDocument", kDoc}}, ErrorCode::EntityAlreadyExists,
              "A policy called deploy already exists. Duplicate names are not allowed.");
}

TEST_F(ManagedPolicies, CreatePolicyChecksTheDocument) {
  struct Case {
    std::string document;
    ErrorCode code;
    std::string message;
  };
  // Valid policies padded through their Id: 6,144 characters without whitespace, and one more.
  const std::string statement = R"(","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}})";
  const std::string big_but_fits = R"({"Id":")" + std::string(6144 - 68, 'x') + statement;
  const std::string too_big = R"({"Id":")" + std::string(6144 - 67, 'x') + statement;
  const Case cases[] = {
      {"{not json", ErrorCode::MalformedPolicyDocument, "Syntax errors in policy."},
      {R"({"Version":"2012-10-17",})", ErrorCode::MalformedPolicyDocument, "Syntax errors in policy."},
      {"null", ErrorCode::MalformedPolicyDocument, "Syntax errors in policy."},
      {"[1,2]", ErrorCode::MalformedPolicyDocument, "Syntax errors in policy."},
      {too_big, ErrorCode::LimitExceeded, "Cannot exceed quota for PolicySize: 6144"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.document.substr(0, 40));
    expectError("CreatePolicy", {{"PolicyName", "p"}, {"PolicyDocument", c.document}}, c.code, c.message);
  }
  // Whitespace does not count towards the quota.
  std::string spaced = big_but_fits;
  spaced.insert(1, std::string(500, ' '));
  EXPECT_TRUE(call("CreatePolicy", {{"PolicyName", "fits"}, {"PolicyDocument", spaced}}).has_value());
}

TEST_F(ManagedPolicies, GetPolicyReturnsDescriptionTagsAndCounts) {
  ok("CreatePolicy", {{"PolicyName", "p"},
                      {"PolicyDocument", kDoc},
                      {"Description", "desc"},
                      {"Tags", json::array({{{"Key", "k"}, {"Value", "v"}}})}});
  const std::string arn = "arn:aws:iam::123456789012:policy/p";
  addUser("alice").attached_policy_arns.push_back(arn);
  account().attachment_counts[arn] = 1;
  account().boundary_counts[arn] = 2;
  json p = ok("GetPolicy", {{"PolicyArn", arn}})["Policy"];
  EXPECT_EQ(p["Description"], "desc");
  EXPECT_EQ(p["Tags"], json::array({{{"Key", "k"}, {"Value", "v"}}}));
  EXPECT_EQ(p["AttachmentCount"], 1);
  EXPECT_EQ(p["PermissionsBoundaryUsageCount"], 2);
}

TEST_F(ManagedPolicies, GetPolicyFindsAwsManagedPoliciesWithPerAccountCounts) {
  account().attachment_counts[kAdminArn] = 3;
  json p = ok("GetPolicy", {{"PolicyArn", kAdminArn}})["Policy"];
  EXPECT_EQ(p["PolicyName"], "AdministratorAccess");
  EXPECT_EQ(p["Path"], "/");
  EXPECT_EQ(p["AttachmentCount"], 3);
  EXPECT_EQ(p["IsAttachable"], true);
  EXPECT_TRUE(p["PolicyId"].get<std::string>().starts_with("ANPA"));
  EXPECT_FALSE(p.contains("Tags"));
}

TEST_F(ManagedPolicies, GetPolicyOfUnknownArnsIsNoSuchEntity) {
  createPolicy("p");
  for (std::string arn : {"arn:aws:iam::123456789012:policy/missing", "arn:aws:iam::123456789012:policy/other/p",
                          "arn:aws:iam::999999999999:policy/p", "arn:aws:iam::aws:policy/NoSuchAwsPolicy"}) {
    SCOPED_TRACE(arn);
    expectError("GetPolicy", {{"PolicyArn", arn}}, ErrorCode::NoSuchEntity, "Policy " + arn + " was not found.");
  }
}

TEST_F(ManagedPolicies, DeletePolicyRemovesIt) {
  const std::string arn = createPolicy("p");
  EXPECT_TRUE(call("DeletePolicy", {{"PolicyArn", arn}}).has_value());
  expectError("GetPolicy", {{"PolicyArn", arn}}, ErrorCode::NoSuchEntity, "Policy " + arn + " was not found.");
  expectError("DeletePolicy", {{"PolicyArn", arn}}, ErrorCode::NoSuchEntity, "Policy " + arn + " was not found.");
  // The name is free again.
  EXPECT_EQ(createPolicy("p"), arn);
}

TEST_F(ManagedPolicies, DeletePolicyConflictsWhileInUseOrVersioned) {
  const std::string arn = createPolicy("p");
  addRole("r");
  ok("AttachRolePolicy", {{"RoleName", "r"}, {"PolicyArn", arn}});
  expectError("DeletePolicy", {{"PolicyArn", arn}}, ErrorCode::DeleteConflict,
              "Cannot delete a policy attached to entities.");
  ok("DetachRolePolicy", {{"RoleName", "r"}, {"PolicyArn", arn}});

  account().boundary_counts[arn] = 1;  // in use as a permissions boundary
  expectError("DeletePolicy", {{"PolicyArn", arn}}, ErrorCode::DeleteConflict,
              "Cannot delete a policy attached to entities.");
  account().boundary_counts.erase(arn);

  ok("CreatePolicyVersion", {{"PolicyArn", arn}, {"PolicyDocument", kDoc}});
  expectError("DeletePolicy", {{"PolicyArn", arn}}, ErrorCode::DeleteConflict,
              "This policy has more than one version. Before you delete a policy, you must delete the policy's "
              "versions. The default version is deleted with the policy.");
  ok("DeletePolicyVersion", {{"PolicyArn", arn}, {"VersionId", "v2"}});
  EXPECT_TRUE(call("DeletePolicy", {{"PolicyArn", arn}}).has_value());
}

TEST_F(ManagedPolicies, AwsManagedPoliciesCannotBeChanged) {
  const json cases[] = {
      {{"action", "DeletePolicy"}, {"input", {{"PolicyArn", kAdminArn}}}},
      {{"action", "CreatePolicyVersion"}, {"input", {{"PolicyArn", kAdminArn}, {"PolicyDocument", kDoc}}}},
      {{"action", "DeletePolicyVersion"}, {"input", {{"PolicyArn", kAdminArn}, {"VersionId", "v1"}}}},
      {{"action", "SetDefaultPolicyVersion"}, {"input", {{"PolicyArn", kAdminArn}, {"VersionId", "v1"}}}},
      {{"action", "TagPolicy"}, {"input", {{"PolicyArn", kAdminArn}, {"Tags", json::array({{{"Key", "k"}, {"Value", "v"}}})}}}},
      {{"action", "UntagPolicy"}, {"input", {{"PolicyArn", kAdminArn}, {"TagKeys", json::array({"k"})}}}},
  };
  for (const auto& c : cases) {
    const std::string action = c["action"];
    SCOPED_TRACE(action);
    expectError(action, c["input"], ErrorCode::AccessDenied,
                "User: arn:aws:iam::123456789012:root is not authorized to perform: iam:" + action +
                    " on resource: policy " + kAdminArn);
  }
}

TEST_F(ManagedPolicies, ListPoliciesScopesFilterTheTwoSources) {
  createPolicy("AdministratorAccess");  // a customer policy may share an AWS managed policy's name
  createPolicy("zeta");
  json local = ok("ListPolicies", {{"Scope", "Local"}});
  ASSERT_EQ(local["Policies"].size(), 2u);
  EXPECT_EQ(local["Policies"][0]["Arn"], "arn:aws:iam::123456789012:policy/AdministratorAccess");
  EXPECT_EQ(local["Policies"][1]["PolicyName"], "zeta");
  EXPECT_EQ(local["IsTruncated"], false);
  EXPECT_FALSE(local["Policies"][0].contains("Description"));

  json aws = ok("ListPolicies", {{"Scope", "AWS"}, {"MaxItems", 1000}});
  EXPECT_EQ(aws["Policies"].size(), 1000u);
  EXPECT_EQ(aws["IsTruncated"], true);
  for (const auto& p : aws["Policies"]) ASSERT_TRUE(p["Arn"].get<std::string>().starts_with("arn:aws:iam::aws:policy/"));
}

TEST_F(ManagedPolicies, ListPoliciesPagesThroughBothSourcesInNameOrderWithoutRepeats) {
  createPolicy("AdministratorAccess");
  createPolicy("aaa-first");
  createPolicy("zzz-last");
  std::vector<std::string> arns;
  json input = {{"MaxItems", 137}};
  for (int pages = 0; pages < 100; ++pages) {
    json out = ok("ListPolicies", input);
    for (const auto& p : out["Policies"]) arns.push_back(p["Arn"]);
    if (!out["IsTruncated"].get<bool>()) break;
    input["Marker"] = out["Marker"];
  }
  EXPECT_EQ(arns.size(), store::awsManagedPolicies().size() + 3);
  EXPECT_EQ(std::set<std::string>(arns.begin(), arns.end()).size(), arns.size());
  EXPECT_EQ(arns.front(), "arn:aws:iam::123456789012:policy/aaa-first");
  EXPECT_EQ(arns.back(), "arn:aws:iam::123456789012:policy/zzz-last");
  // The AWS managed AdministratorAccess comes right before the customer one.
  auto it = std::find(arns.begin(), arns.end(), kAdminArn);
  ASSERT_NE(it, arns.end());
  EXPECT_EQ(*(it + 1), "arn:aws:iam::123456789012:policy/AdministratorAccess");
}

TEST_F(ManagedPolicies, ListPoliciesFiltersByPathAttachmentAndUsage) {
  const std::string team = createPolicy("team-policy", "/team/");
  createPolicy("other");
  addUser("u");
  ok("AttachUserPolicy", {{"UserName", "u"}, {"PolicyArn", kReadOnlyArn}});
  ok("AttachUserPolicy", {{"UserName", "u"}, {"PolicyArn", team}});
  account().boundary_counts[kAdminArn] = 1;

  auto names = [&](const json& input) {
    std::vector<std::string> out;
    const json listed = ok("ListPolicies", input);  // keep the output alive while iterating
    for (const auto& p : listed["Policies"]) out.push_back(p["PolicyName"]);
    return out;
  };
  EXPECT_EQ(names({{"PathPrefix", "/team/"}}), std::vector<std::string>{"team-policy"});
  EXPECT_EQ(names({{"OnlyAttached", true}}), (std::vector<std::string>{"ReadOnlyAccess", "team-policy"}));
  EXPECT_EQ(names({{"OnlyAttached", true}, {"Scope", "Local"}}), std::vector<std::string>{"team-policy"});
  EXPECT_EQ(names({{"PolicyUsageFilter", "PermissionsBoundary"}}), std::vector<std::string>{"AdministratorAccess"});
  EXPECT_EQ(names({{"PathPrefix", "/job-function/"}, {"Scope", "AWS"}}).size(), 11u);
  json attached = ok("ListPolicies", {{"OnlyAttached", true}, {"Scope", "AWS"}});
  ASSERT_EQ(attached["Policies"].size(), 1u);
  EXPECT_EQ(attached["Policies"][0]["AttachmentCount"], 1);
}

TEST_F(ManagedPolicies, ListPoliciesOfAnUntouchedAccountListsTheCatalogue) {
  json out = ok("ListPolicies", {{"Scope", "Local"}});
  EXPECT_EQ(out["Policies"], json::array());
  EXPECT_EQ(out["IsTruncated"], false);
  EXPECT_EQ(ok("ListPolicies", json::object())["Policies"].size(), 100u);
}

TEST_F(ManagedPolicies, TagsCanBeAddedListedAndRemoved) {
  const std::string arn = createPolicy("p");
  ok("TagPolicy", {{"PolicyArn", arn},
                   {"Tags", json::array({{{"Key", "b"}, {"Value", "2"}}, {{"Key", "a"}, {"Value", "1"}}})}});
  json tags = ok("ListPolicyTags", {{"PolicyArn", arn}});
  EXPECT_EQ(tags["Tags"], json::array({{{"Key", "a"}, {"Value", "1"}}, {{"Key", "b"}, {"Value", "2"}}}));
  EXPECT_EQ(tags["IsTruncated"], false);
  ok("UntagPolicy", {{"PolicyArn", arn}, {"TagKeys", json::array({"a", "absent"})}});
  EXPECT_EQ(ok("ListPolicyTags", {{"PolicyArn", arn}})["Tags"], json::array({{{"Key", "b"}, {"Value", "2"}}}));
  EXPECT_EQ(ok("ListPolicyTags", {{"PolicyArn", kAdminArn}})["Tags"], json::array());
  const std::string missing = "arn:aws:iam::123456789012:policy/missing";
  expectError("TagPolicy", {{"PolicyArn", missing}, {"Tags", json::array({{{"Key", "k"}, {"Value", "v"}}})}},
              ErrorCode::NoSuchEntity, "Policy " + missing + " was not found.");
  expectError("ListPolicyTags", {{"PolicyArn", missing}}, ErrorCode::NoSuchEntity,
              "Policy " + missing + " was not found.");
}

}  // namespace
}  // namespace iamlocal::services::iam::testing
