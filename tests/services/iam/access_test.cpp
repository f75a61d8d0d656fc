// The IAM and STS access tables: every operation of the models has a rule,
// and the rules name AWS's actions, resources (with paths) and condition
// keys.
#include <algorithm>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "iamlocal/protocol/model.h"
#include "iamlocal/services/authorizer.h"
#include "iamlocal/services/iam.h"
#include "iamlocal/services/sts.h"

namespace iamlocal::services {
namespace {

using nlohmann::json;

constexpr std::string_view kAccount = "123456789012";

class AccessTableTest : public ::testing::Test {
 public:
  AccessTableTest() {
    registerIamOperations(table_, store_);
    registerStsOperations(table_, store_, store_, StsOptions{"000000000000"});
    registerIamAccess(table_, store_);
    registerStsAccess(table_);
    parseIso8601("2024-05-01T12:00:00Z", now_);
    run("CreateUser", {{"UserName", "alice"}, {"Path", "/dev/"}});
    run("CreateRole", {{"RoleName", "web"}, {"Path", "/app/"},
                       {"AssumeRolePolicyDocument", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                         "Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})"}});
    run("CreateInstanceProfile", {{"InstanceProfileName", "web-profile"}, {"Path", "/app/"}});
  }

  Call call(std::string_view service, std::string_view action, auth::Principal caller) const {
    Call c;
    c.service = std::string(service);
    c.action = std::string(action);
    c.region = "us-east-1";
    c.caller = std::move(caller);
    c.now = now_;
    return c;
  }
  auth::Principal root() const { return auth::rootPrincipal(kAccount, "AKIAROOT"); }
  auth::Principal alice() const {
    auth::Principal p;
    p.type = auth::PrincipalType::User;
    p.account_id = std::string(kAccount);
    p.arn = "arn:aws:iam::123456789012:user/dev/alice";
    p.name = "alice";
    return p;
  }

  void run(std::string_view action, const json& input) {
    auto r = (*table_.find("iam", action))(call("iam", action, root()), input);
    ASSERT_TRUE(r) << action << ": " << r.error().message;
  }

  std::vector<AccessCheck> describe(std::string_view service, std::string_view action, const json& input,
                                    const auth::Principal& caller) {
    std::vector<AccessCheck> out;
    const AccessDescriber* d = table_.findAccess(service, action);
    if (d == nullptr) {
      ADD_FAILURE() << "no access rule for " << service << ":" << action;
      return out;
    }
    (*d)(call(service, action, caller), input, out);
    return out;
  }
  AccessCheck one(std::string_view action, const json& input, const auth::Principal& caller) {
    auto checks = describe("iam", action, input, caller);
    EXPECT_EQ(checks.size(), 1u) << action;
    return checks.empty() ? AccessCheck{} : checks.front();
  }
  AccessCheck one(std::string_view action, const json& input) { return one(action, input, alice()); }

  static std::vector<std::string> values(const AccessCheck& check, std::string_view key) {
    for (const auto& e : check.context)
      if (e.key == key) return e.values;
    return {"<absent>"};
  }

  OperationTable table_;
  store::Store store_;
  TimePoint now_;
};

TEST_F(AccessTableTest, EveryIamOperationOfTheModelHasAnAccessRule) {
  for (std::string_view op : protocol::iamModel().operationNames()) {
    SCOPED_TRACE(op);
    EXPECT_NE(table_.findAccess("iam", op), nullptr);
  }
}

TEST_F(AccessTableTest, EveryStsOperationWithAHandlerHasAnAccessRule) {
  int handled = 0;
  for (std::string_view op : protocol::stsModel().operationNames()) {
    if (table_.find("sts", op) == nullptr) continue;
    ++handled;
    SCOPED_TRACE(op);
    EXPECT_NE(table_.findAccess("sts", op), nullptr);
  }
  EXPECT_GE(handled, 5);
}

TEST_F(AccessTableTest, IamActionIsThePrefixedOperationName) {
  for (std::string_view op : {"GetAccountSummary", "ListPolicies", "GetUser", "AttachRolePolicy"}) {
    SCOPED_TRACE(op);
    EXPECT_EQ(one(op, json::object()).action, "iam:" + std::string(op));
  }
}

TEST_F(AccessTableTest, ExistingEntitiesAreNamedWithTheirPath) {
  EXPECT_EQ(one("GetUser", {{"UserName", "alice"}}).resource, "arn:aws:iam::123456789012:user/dev/alice");
  EXPECT_EQ(one("GetRole", {{"RoleName", "WEB"}}).resource, "arn:aws:iam::123456789012:role/app/web");
  EXPECT_EQ(one("GetInstanceProfile", {{"InstanceProfileName", "web-profile"}}).resource,
            "arn:aws:iam::123456789012:instance-profile/app/web-profile");
  // Unknown: authorized at the root path, answered NoSuchEntity afterwards.
  EXPECT_EQ(one("DeleteUser", {{"UserName", "nobody"}}).resource, "arn:aws:iam::123456789012:user/nobody");
}

TEST_F(AccessTableTest, OmittedUserNameMeansTheCaller) {
  EXPECT_EQ(one("ListAccessKeys", json::object()).resource, "arn:aws:iam::123456789012:user/dev/alice");
  EXPECT_EQ(one("GetUser", json::object(), root()).resource, "arn:aws:iam::123456789012:root");
  EXPECT_EQ(one("ChangePassword", {{"OldPassword", "a"}, {"NewPassword", "b"}}).resource,
            "arn:aws:iam::123456789012:user/dev/alice");
}

TEST_F(AccessTableTest, ListingsAreAuthorizedOnTheirPathPrefix) {
  EXPECT_EQ(one("ListUsers", json::object()).resource, "arn:aws:iam::123456789012:user/");
  EXPECT_EQ(one("ListRoles", {{"PathPrefix", "/app/"}}).resource, "arn:aws:iam::123456789012:role/app/");
  EXPECT_EQ(one("ListInstanceProfiles", json::object()).resource, "arn:aws:iam::123456789012:instance-profile/");
  EXPECT_EQ(one("ListPolicies", json::object()).resource, "policy path /");
  EXPECT_EQ(one("GetAccountSummary", json::object()).resource, "*");
}

TEST_F(AccessTableTest, CreateUsesThePathAndSetsTagAndBoundaryKeys) {
  auto check = one("CreateUser", {{"UserName", "bob"},
                                  {"Path", "/ops/"},
                                  {"PermissionsBoundary", "arn:aws:iam::123456789012:policy/b"}});
  EXPECT_EQ(check.resource, "arn:aws:iam::123456789012:user/ops/bob");
  EXPECT_EQ(values(check, "iam:permissionsboundary"), std::vector<std::string>{"arn:aws:iam::123456789012:policy/b"});
}

TEST_F(AccessTableTest, CreatingWithTagsAlsoNeedsTheTagActionOnTheNewEntity) {
  const json tags = {{{"Key", "Team"}, {"Value", "blue"}}, {{"Key", "cc"}, {"Value", "42"}}};
  auto checks = describe("iam", "CreateUser", {{"UserName", "bob"}, {"Path", "/ops/"}, {"Tags", tags}}, alice());
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_EQ(checks[1].action, "iam:TagUser");
  for (const auto& check : checks) {
    SCOPED_TRACE(check.action);
    EXPECT_EQ(check.resource, "arn:aws:iam::123456789012:user/ops/bob");
    EXPECT_EQ(values(check, "aws:requesttag/team"), std::vector<std::string>{"blue"});
    EXPECT_EQ(values(check, "aws:requesttag/cc"), std::vector<std::string>{"42"});
    EXPECT_EQ(values(check, "aws:tagkeys"), (std::vector<std::string>{"Team", "cc"}));
  }
  const std::vector<std::pair<std::string_view, json>> creates = {
      {"CreateRole", {{"RoleName", "r"}}},
      {"CreatePolicy", {{"PolicyName", "p"}}},
      {"CreateInstanceProfile", {{"InstanceProfileName", "ip"}}},
      {"CreateVirtualMFADevice", {{"VirtualMFADeviceName", "m"}}},
      {"UploadServerCertificate", {{"ServerCertificateName", "c"}}},
      {"CreateOpenIDConnectProvider", {{"Url", "https://idp.example.com"}}},
      {"CreateSAMLProvider", {{"Name", "saml"}}}};
  const std::vector<std::string> tag_actions = {"iam:TagRole",          "iam:TagPolicy",
                                                "iam:TagInstanceProfile", "iam:TagMFADevice",
                                                "iam:TagServerCertificate", "iam:TagOpenIDConnectProvider",
                                                "iam:TagSAMLProvider"};
  for (std::size_t i = 0; i < creates.size(); ++i) {
    SCOPED_TRACE(creates[i].first);
    json input = creates[i].second;
    EXPECT_EQ(describe("iam", creates[i].first, input, alice()).size(), 1u);  // no tags, no tagging
    input["Tags"] = tags;
    auto tagged = describe("iam", creates[i].first, input, alice());
    ASSERT_EQ(tagged.size(), 2u);
    EXPECT_EQ(tagged[1].action, tag_actions[i]);
    EXPECT_EQ(tagged[1].resource, tagged[0].resource);
  }
}

TEST_F(AccessTableTest, CreateServiceLinkedRoleIsAuthorizedOnTheRoleItWillCreate) {
  auto check = one("CreateServiceLinkedRole", {{"AWSServiceName", "autoscaling.amazonaws.com"}});
  EXPECT_EQ(check.resource,
            "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling");
  EXPECT_EQ(values(check, "iam:awsservicename"), std::vector<std::string>{"autoscaling.amazonaws.com"});
  EXPECT_EQ(one("CreateServiceLinkedRole", {{"AWSServiceName", "autoscaling.amazonaws.com"}, {"CustomSuffix", "x"}})
                .resource,
            "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling_x");
  // A service not in the catalogue: the name is derived as the handler derives it.
  auto made = describe("iam", "CreateServiceLinkedRole", {{"AWSServiceName", "foo-bar.amazonaws.com"}}, root());
  ASSERT_EQ(made.size(), 1u);
  run("CreateServiceLinkedRole", {{"AWSServiceName", "foo-bar.amazonaws.com"}});
  EXPECT_EQ(made[0].resource, one("GetRole", {{"RoleName", "AWSServiceRoleForFooBar"}}).resource);
  // Not a service name: the handler refuses it; the check names only the path.
  EXPECT_EQ(one("CreateServiceLinkedRole", {{"AWSServiceName", "nope"}}).resource,
            "arn:aws:iam::123456789012:role/aws-service-role/nope/");
}

TEST_F(AccessTableTest, ActionsOnAUserOrRoleSeeItsPresentPermissionsBoundary) {
  const std::string boundary = "arn:aws:iam::aws:policy/ReadOnlyAccess";
  run("PutRolePermissionsBoundary", {{"RoleName", "web"}, {"PermissionsBoundary", boundary}});
  run("PutUserPermissionsBoundary", {{"UserName", "alice"}, {"PermissionsBoundary", boundary}});
  for (std::string_view op : {"GetRole", "UpdateRole", "UpdateRoleDescription", "UpdateAssumeRolePolicy", "DeleteRole",
                              "AttachRolePolicy", "DetachRolePolicy", "PutRolePolicy", "DeleteRolePolicy",
                              "DeleteRolePermissionsBoundary"}) {
    SCOPED_TRACE(op);
    EXPECT_EQ(values(one(op, {{"RoleName", "web"}}), "iam:permissionsboundary"), std::vector<std::string>{boundary});
  }
  for (std::string_view op : {"AttachUserPolicy", "DetachUserPolicy", "PutUserPolicy", "DeleteUserPolicy",
                              "DeleteUserPermissionsBoundary"}) {
    SCOPED_TRACE(op);
    EXPECT_EQ(values(one(op, {{"UserName", "alice"}}), "iam:permissionsboundary"), std::vector<std::string>{boundary});
  }
  // Operations the reference gives no boundary key do not set it.
  EXPECT_EQ(values(one("ListRoleTags", {{"RoleName", "web"}}), "iam:permissionsboundary"),
            std::vector<std::string>{"<absent>"});
}

TEST_F(AccessTableTest, UntagSetsTagKeysAndAttachSetsPolicyArn) {
  EXPECT_EQ(values(one("UntagRole", {{"RoleName", "web"}, {"TagKeys", {"a", "b"}}}), "aws:tagkeys"),
            (std::vector<std::string>{"a", "b"}));
  auto attach = one("AttachRolePolicy", {{"RoleName", "web"}, {"PolicyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess"}});
  EXPECT_EQ(attach.resource, "arn:aws:iam::123456789012:role/app/web");
  EXPECT_EQ(values(attach, "iam:policyarn"), std::vector<std::string>{"arn:aws:iam::aws:policy/ReadOnlyAccess"});
  EXPECT_EQ(one("GetPolicy", {{"PolicyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess"}}).resource,
            "arn:aws:iam::aws:policy/ReadOnlyAccess");
}

TEST_F(AccessTableTest, AddRoleToInstanceProfileAlsoPassesTheRoleToEc2) {
  auto checks = describe("iam", "AddRoleToInstanceProfile", {{"InstanceProfileName", "web-profile"}, {"RoleName", "web"}},
                         alice());
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_EQ(checks[0].action, "iam:AddRoleToInstanceProfile");
  EXPECT_EQ(checks[0].resource, "arn:aws:iam::123456789012:instance-profile/app/web-profile");
  EXPECT_EQ(checks[1].action, "iam:PassRole");
  EXPECT_EQ(checks[1].resource, "arn:aws:iam::123456789012:role/app/web");
  EXPECT_EQ(values(checks[1], "iam:passedtoservice"), std::vector<std::string>{"ec2.amazonaws.com"});
}

TEST_F(AccessTableTest, StsIdentityAndSessionOperationsNeedNoPermission) {
  for (std::string_view op : {"GetCallerIdentity", "GetSessionToken", "AssumeRole"}) {
    SCOPED_TRACE(op);
    EXPECT_TRUE(describe("sts", op, json::object(), alice()).empty());
  }
  auto info = describe("sts", "GetAccessKeyInfo", {{"AccessKeyId", "AKIAX"}}, alice());
  ASSERT_EQ(info.size(), 1u);
  EXPECT_EQ(info[0].action, "sts:GetAccessKeyInfo");
  EXPECT_EQ(info[0].resource, "*");
  auto fed = describe("sts", "GetFederationToken", {{"Name", "bob"}}, alice());
  ASSERT_EQ(fed.size(), 1u);
  EXPECT_EQ(fed[0].resource, "arn:aws:sts::123456789012:federated-user/bob");
  // Session tags need sts:TagSession on the federated user too.
  fed = describe("sts", "GetFederationToken", {{"Name", "bob"}, {"Tags", {{{"Key", "Team"}, {"Value", "blue"}}}}},
                 alice());
  ASSERT_EQ(fed.size(), 2u);
  EXPECT_EQ(fed[1].action, "sts:TagSession");
  EXPECT_EQ(fed[1].resource, fed[0].resource);
  EXPECT_EQ(values(fed[1], "aws:requesttag/team"), std::vector<std::string>{"blue"});
}

}  // namespace
}  // namespace iamlocal::services
