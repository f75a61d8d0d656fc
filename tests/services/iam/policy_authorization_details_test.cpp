#include "policy_test_fixture.h"

namespace iamlocal::services::iam::testing {
namespace {

using AuthorizationDetails = PolicyOperationsTest;

TEST_F(AuthorizationDetails, ListsEveryPrincipalWithItsPoliciesAndOnlyUsedAwsPolicies) {
  const std::string mine = createPolicy("mine");
  const std::string v2 = R"({"Statement":{"Effect":"Deny","Action":"*","Resource":"*"}})";
  ok("CreatePolicyVersion", {{"PolicyArn", mine}, {"PolicyDocument", v2}, {"SetAsDefault", true}});
  store::User& alice = addUser("alice");
  alice.group_names.insert("devs");
  addGroup("devs").member_names.insert("alice");
  addRole("app");
  ok("PutUserPolicy", {{"UserName", "alice"}, {"PolicyName", "inline"}, {"PolicyDocument", kDoc}});
  ok("AttachUserPolicy", {{"UserName", "alice"}, {"PolicyArn", kAdminArn}});
  ok("PutGroupPolicy", {{"GroupName", "devs"}, {"PolicyName", "g"}, {"PolicyDocument", kDoc}});
  ok("AttachGroupPolicy", {{"GroupName", "devs"}, {"PolicyArn", mine}});
  ok("PutRolePolicy", {{"RoleName", "app"}, {"PolicyName", "r"}, {"PolicyDocument", kDoc}});
  ok("AttachRolePolicy", {{"RoleName", "app"}, {"PolicyArn", kReadOnlyArn}});

  json out = ok("GetAccountAuthorizationDetails", json::object());
  EXPECT_EQ(out["IsTruncated"], false);
  ASSERT_EQ(out["UserDetailList"].size(), 1u);
  const json& user = out["UserDetailList"][0];
  EXPECT_EQ(user["UserName"], "alice");
  EXPECT_EQ(user["UserPolicyList"], json::array({{{"PolicyName", "inline"}, {"PolicyDocument", uriEncode(kDoc)}}}));
  EXPECT_EQ(user["GroupList"], json::array({"devs"}));
  EXPECT_EQ(user["AttachedManagedPolicies"],
            json::array({{{"PolicyName", "AdministratorAccess"}, {"PolicyArn", kAdminArn}}}));

  ASSERT_EQ(out["GroupDetailList"].size(), 1u);
  EXPECT_EQ(out["GroupDetailList"][0]["GroupPolicyList"][0]["PolicyName"], "g");
  EXPECT_EQ(out["GroupDetailList"][0]["AttachedManagedPolicies"][0]["PolicyArn"], mine);

  ASSERT_EQ(out["RoleDetailList"].size(), 1u);
  const json& role = out["RoleDetailList"][0];
  EXPECT_EQ(role["RoleName"], "app");
  EXPECT_EQ(role["RolePolicyList"][0]["PolicyName"], "r");
  EXPECT_EQ(role["InstanceProfileList"], json::array());
  EXPECT_EQ(role["AttachedManagedPolicies"][0]["PolicyArn"], kReadOnlyArn);
  EXPECT_FALSE(role.contains("MaxSessionDuration"));

  // The customer policy with both versions, then the two AWS policies in use.
  std::vector<std::string> arns;
  for (const auto& p : out["Policies"]) arns.push_back(p["Arn"]);
  EXPECT_EQ(arns, (std::vector<std::string>{mine, kAdminArn, kReadOnlyArn}));
  const json& local = out["Policies"][0];
  EXPECT_EQ(local["DefaultVersionId"], "v2");
  EXPECT_EQ(local["AttachmentCount"], 1);
  ASSERT_EQ(local["PolicyVersionList"].size(), 2u);
  EXPECT_EQ(local["PolicyVersionList"][0], json({{"Document", uriEncode(v2)},
                                                  {"VersionId", "v2"},
                                                  {"IsDefaultVersion", true},
                                                  {"CreateDate", "2024-05-01T12:00:00Z"}}));
  EXPECT_EQ(local["PolicyVersionList"][1]["Document"], uriEncode(kDoc));
  const json& admin = out["Policies"][1];
  ASSERT_EQ(admin["PolicyVersionList"].size(), 1u);
  EXPECT_EQ(admin["PolicyVersionList"][0]["IsDefaultVersion"], true);
}

TEST_F(AuthorizationDetails, FilterSelectsTheLists) {
  createPolicy("mine");
  addUser("alice");
  addRole("app");
  ok("AttachRolePolicy", {{"RoleName", "app"}, {"PolicyArn", kAdminArn}});
  json roles = ok("GetAccountAuthorizationDetails", {{"Filter", json::array({"Role"})}});
  EXPECT_EQ(roles["UserDetailList"], json::array());
  EXPECT_EQ(roles["RoleDetailList"].size(), 1u);
  EXPECT_EQ(roles["Policies"], json::array());
  json aws = ok("GetAccountAuthorizationDetails", {{"Filter", json::array({"AWSManagedPolicy"})}});
  ASSERT_EQ(aws["Policies"].size(), 1u);
  EXPECT_EQ(aws["Policies"][0]["Arn"], kAdminArn);
  json local = ok("GetAccountAuthorizationDetails", {{"Filter", json::array({"LocalManagedPolicy", "User"})}});
  EXPECT_EQ(local["Policies"].size(), 1u);
  EXPECT_EQ(local["UserDetailList"].size(), 1u);
  EXPECT_EQ(local["RoleDetailList"], json::array());
}

TEST_F(AuthorizationDetails, PagesRunAcrossTheConcatenatedLists) {
  for (const char* name : {"u1", "u2", "u3"}) addUser(name);
  addGroup("g1");
  addRole("r1");
  createPolicy("p1");
  std::vector<std::string> seen;
  json input = {{"MaxItems", 2}};
  int pages = 0;
  for (; pages < 10; ++pages) {
    json out = ok("GetAccountAuthorizationDetails", input);
    std::size_t items = 0;
    for (const auto& u : out["UserDetailList"]) seen.push_back(u["UserName"]), ++items;
    for (const auto& g : out["GroupDetailList"]) seen.push_back(g["GroupName"]), ++items;
    for (const auto& r : out["RoleDetailList"]) seen.push_back(r["RoleName"]), ++items;
    for (const auto& p : out["Policies"]) seen.push_back(p["PolicyName"]), ++items;
    EXPECT_LE(items, 2u);
    if (!out["IsTruncated"].get<bool>()) break;
    input["Marker"] = out["Marker"];
  }
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(seen, (std::vector<std::string>{"u1", "u2", "u3", "g1", "r1", "p1"}));
}

TEST_F(AuthorizationDetails, AnUntouchedAccountHasEmptyLists) {
  json out = ok("GetAccountAuthorizationDetails", json::object());
  EXPECT_EQ(out["UserDetailList"], json::array());
  EXPECT_EQ(out["Policies"], json::array());
  EXPECT_EQ(out["IsTruncated"], false);
}

}  // namespace
}  // namespace iamlocal::services::iam::testing
