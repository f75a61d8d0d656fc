#include "policy_test_fixture.h"

namespace iamlocal::services::iam::testing {
namespace {

using PolicyAttachments = PolicyOperationsTest;

struct Principal {
  std::string kind;  // "User", "Group", "Role"
  std::string quota;
  std::string not_found;
};

const Principal kPrincipals[] = {
    {"User", "PoliciesPerUser", "The user with name nobody cannot be found."},
    {"Group", "PoliciesPerGroup", "The group with name nobody cannot be found."},
    {"Role", "PoliciesPerRole", "The role with name nobody cannot be found."},
};

class PolicyAttachmentsPerKind : public PolicyOperationsTest {
 protected:
  void addPrincipal(const std::string& kind, const std::string& name) {
    if (kind == "User") addUser(name);
    if (kind == "Group") addGroup(name);
    if (kind == "Role") addRole(name);
  }
};

TEST_F(PolicyAttachmentsPerKind, AttachListAndDetachKeepTheCountsRight) {
  const std::string mine = createPolicy("mine", "/team/");
  for (const auto& p : kPrincipals) {
    SCOPED_TRACE(p.kind);
    addPrincipal(p.kind, "x");
    const json who = {{p.kind + "Name", "x"}};
    auto with = [&](const std::string& arn) {
      json in = who;
      in["PolicyArn"] = arn;
      return in;
    };
    ok("Attach" + p.kind + "Policy", with(kAdminArn));
    ok("Attach" + p.kind + "Policy", with(mine));
    ok("Attach" + p.kind + "Policy", with(mine));  // a second attach changes nothing
    json listed = ok("ListAttached" + p.kind + "Policies", who);
    EXPECT_EQ(listed["AttachedPolicies"],
              json::array({{{"PolicyName", "AdministratorAccess"}, {"PolicyArn", kAdminArn}},
                           {{"PolicyName", "mine"}, {"PolicyArn", mine}}}));
    EXPECT_EQ(listed["IsTruncated"], false);
    json prefixed = who;
    prefixed["PathPrefix"] = "/team/";
    EXPECT_EQ(ok("ListAttached" + p.kind + "Policies", prefixed)["AttachedPolicies"].size(), 1u);
    EXPECT_EQ(ok("GetPolicy", {{"PolicyArn", mine}})["Policy"]["AttachmentCount"], 1);

    ok("Detach" + p.kind + "Policy", with(mine));
    ok("Detach" + p.kind + "Policy", with(kAdminArn));
    EXPECT_EQ(ok("ListAttached" + p.kind + "Policies", who)["AttachedPolicies"], json::array());
    EXPECT_EQ(ok("GetPolicy", {{"PolicyArn", mine}})["Policy"]["AttachmentCount"], 0);
    EXPECT_FALSE(account().attachment_counts.contains(kAdminArn));
  }
}

TEST_F(PolicyAttachmentsPerKind, ErrorsNameTheMissingPieceInAwsWords) {
  const std::string missing = "arn:aws:iam::123456789012:policy/missing";
  const std::string no_aws = "arn:aws:iam::aws:policy/NoSuchAwsPolicy";
  for (const auto& p : kPrincipals) {
    SCOPED_TRACE(p.kind);
    addPrincipal(p.kind, "x");
    expectError("Attach" + p.kind + "Policy", {{p.kind + "Name", "nobody"}, {"PolicyArn", kAdminArn}},
                ErrorCode::NoSuchEntity, p.not_found);
    expectError("Attach" + p.kind + "Policy", {{p.kind + "Name", "x"}, {"PolicyArn", missing}}, ErrorCode::NoSuchEntity,
                "Policy " + missing + " does not exist or is not attachable.");
    expectError("Attach" + p.kind + "Policy", {{p.kind + "Name", "x"}, {"PolicyArn", no_aws}}, ErrorCode::NoSuchEntity,
                "Policy " + no_aws + " does not exist or is not attachable.");
    expectError("Detach" + p.kind + "Policy", {{p.kind + "Name", "x"}, {"PolicyArn", kAdminArn}},
                ErrorCode::NoSuchEntity, "Policy " + kAdminArn + " was not found.");
    expectError("Detach" + p.kind + "Policy", {{p.kind + "Name", "nobody"}, {"PolicyArn", kAdminArn}},
                ErrorCode::NoSuchEntity, p.not_found);
    expectError("ListAttached" + p.kind + "Policies", {{p.kind + "Name", "nobody"}}, ErrorCode::NoSuchEntity,
                p.not_found);
  }
}

TEST_F(PolicyAttachmentsPerKind, AtMostTenManagedPoliciesPerPrincipal) {
  std::vector<std::string> arns;
  for (int i = 0; i < 11; ++i) arns.push_back(createPolicy("p" + std::to_string(i)));
  for (const auto& p : kPrincipals) {
    SCOPED_TRACE(p.kind);
    addPrincipal(p.kind, "x");
    for (int i = 0; i < 10; ++i) ok("Attach" + p.kind + "Policy", {{p.kind + "Name", "x"}, {"PolicyArn", arns[i]}});
    expectError("Attach" + p.kind + "Policy", {{p.kind + "Name", "x"}, {"PolicyArn", arns[10]}},
                ErrorCode::LimitExceeded, "Cannot exceed quota for " + p.quota + ": 10");
    // Re-attaching one already attached is still fine at the quota.
    ok("Attach" + p.kind + "Policy", {{p.kind + "Name", "x"}, {"PolicyArn", arns[0]}});
    json page = ok("ListAttached" + p.kind + "Policies", {{p.kind + "Name", "x"}, {"MaxItems", 4}});
    EXPECT_EQ(page["AttachedPolicies"].size(), 4u);
    EXPECT_EQ(page["IsTruncated"], true);
    json rest = ok("ListAttached" + p.kind + "Policies",
                   {{p.kind + "Name", "x"}, {"MaxItems", 100}, {"Marker", page["Marker"]}});
    EXPECT_EQ(rest["AttachedPolicies"].size(), 6u);
    EXPECT_EQ(rest["AttachedPolicies"][0]["PolicyName"], "p4");
  }
  EXPECT_EQ(ok("GetPolicy", {{"PolicyArn", arns[0]}})["Policy"]["AttachmentCount"], 3);
}

TEST_F(PolicyAttachments, ServiceLinkedRolesCannotBeChanged) {
  addRole("AWSServiceRoleForTest", "/aws-service-role/test.amazonaws.com/");
  auto result = call("AttachRolePolicy", {{"RoleName", "AWSServiceRoleForTest"}, {"PolicyArn", kAdminArn}});
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::UnmodifiableEntity);
}

TEST_F(PolicyAttachments, ListEntitiesForPolicyFindsAttachedPrincipalsAndBoundaryUsers) {
  const std::string arn = createPolicy("p");
  addUser("alice");
  addUser("bob", "/ops/");
  addGroup("devs");
  addRole("app");
  store::User& carol = addUser("carol");
  ok("AttachUserPolicy", {{"UserName", "alice"}, {"PolicyArn", arn}});
  ok("AttachUserPolicy", {{"UserName", "bob"}, {"PolicyArn", arn}});
  ok("AttachGroupPolicy", {{"GroupName", "devs"}, {"PolicyArn", arn}});
  ok("AttachRolePolicy", {{"RoleName", "app"}, {"PolicyArn", arn}});
  carol.permissions_boundary_arn = arn;
  account().boundary_counts[arn] = 1;

  json all = ok("ListEntitiesForPolicy", {{"PolicyArn", arn}});
  EXPECT_EQ(all["PolicyGroups"], json::array({{{"GroupName", "devs"}, {"GroupId", "AGPAdevs"}}}));
  EXPECT_EQ(all["PolicyUsers"], json::array({{{"UserName", "alice"}, {"UserId", "AIDAalice"}},
                                             {{"UserName", "bob"}, {"UserId", "AIDAbob"}},
                                             {{"UserName", "carol"}, {"UserId", "AIDAcarol"}}}));
  EXPECT_EQ(all["PolicyRoles"], json::array({{{"RoleName", "app"}, {"RoleId", "AROAapp"}}}));
  EXPECT_EQ(all["IsTruncated"], false);

  auto users = [&](json input) {
    input["PolicyArn"] = arn;
    std::vector<std::string> names;
    const json out = ok("ListEntitiesForPolicy", input);  // keep the output alive while iterating
    for (const auto& u : out["PolicyUsers"]) names.push_back(u["UserName"]);
    return names;
  };
  EXPECT_EQ(users({{"PolicyUsageFilter", "PermissionsBoundary"}}), std::vector<std::string>{"carol"});
  EXPECT_EQ(users({{"PolicyUsageFilter", "PermissionsPolicy"}}), (std::vector<std::string>{"alice", "bob"}));
  EXPECT_EQ(users({{"PathPrefix", "/ops/"}}), std::vector<std::string>{"bob"});
  json roles_only = ok("ListEntitiesForPolicy", {{"PolicyArn", arn}, {"EntityFilter", "Role"}});
  EXPECT_EQ(roles_only["PolicyUsers"], json::array());
  EXPECT_EQ(roles_only["PolicyRoles"].size(), 1u);

  // Pages of two over groups, users, roles in that order.
  std::vector<std::string> seen;
  json input = {{"PolicyArn", arn}, {"MaxItems", 2}};
  for (int i = 0; i < 10; ++i) {
    json out = ok("ListEntitiesForPolicy", input);
    for (const auto& g : out["PolicyGroups"]) seen.push_back(g["GroupName"]);
    for (const auto& u : out["PolicyUsers"]) seen.push_back(u["UserName"]);
    for (const auto& r : out["PolicyRoles"]) seen.push_back(r["RoleName"]);
    if (!out["IsTruncated"].get<bool>()) break;
    input["Marker"] = out["Marker"];
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"devs", "alice", "bob", "carol", "app"}));

  const std::string missing = "arn:aws:iam::123456789012:policy/missing";
  expectError("ListEntitiesForPolicy", {{"PolicyArn", missing}}, ErrorCode::NoSuchEntity,
              "Policy " + missing + " was not found.");
  EXPECT_EQ(ok("ListEntitiesForPolicy", {{"PolicyArn", kReadOnlyArn}})["PolicyUsers"], json::array());
}

}  // namespace
}  // namespace iamlocal::services::iam::testing
