#include "identity_test_fixture.h"

#include <map>

#include <pugixml.hpp>

#include "iamlocal/core/strings.h"
#include "iamlocal/protocol/model.h"

namespace iamlocal::services::iam::identity_testing {
namespace {

class RoleOperations : public IdentityTest {};

// ListRoles renders its page straight to XML (protocol::XmlListWriter): the
// roles as AWS's response document lists them, each as {member: text}.
std::vector<std::map<std::string, std::string>> listedRoles(const json& output) {
  std::string xml = protocol::iamModel().encodeOutput("ListRoles", output, "req");
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_string(xml.c_str())) << xml;
  std::vector<std::map<std::string, std::string>> roles;
  for (auto member : doc.child("ListRolesResponse").child("ListRolesResult").child("Roles").children("member")) {
    auto& role = roles.emplace_back();
    for (auto field : member.children()) role[field.name()] = field.text().get();
  }
  return roles;
}

TEST_F(RoleOperations, CreateRoleReturnsTheRoleWithEncodedTrustPolicy) {
  json role = ok("CreateRole", {{"RoleName", "web"},
                                {"Path", "/app/"},
                                {"AssumeRolePolicyDocument", kTrust},
                                {"Description", "d"},
                                {"MaxSessionDuration", 7200},
                                {"Tags", {{{"Key", "k"}, {"Value", "v"}}}}})["Role"];
  EXPECT_EQ(role["RoleName"], "web");
  EXPECT_EQ(role["Arn"], "arn:aws:iam::123456789012:role/app/web");
  EXPECT_EQ(role["RoleId"].get<std::string>().substr(0, 4), "AROA");
  EXPECT_EQ(role["AssumeRolePolicyDocument"], uriEncode(kTrust));
  EXPECT_EQ(role["Description"], "d");
  EXPECT_EQ(role["MaxSessionDuration"], 7200);
  EXPECT_EQ(role["Tags"], json::parse(R"([{"Key":"k","Value":"v"}])"));
  EXPECT_FALSE(role.contains("RoleLastUsed"));
}

TEST_F(RoleOperations, CreateRoleRefusesBadInput) {
  createRole("taken");
  struct Case {
    const char* name;
    json input;
    ErrorCode code;
    std::string message;
  };
  std::vector<Case> cases = {
      {"name taken in another case",
       {{"RoleName", "TAKEN"}, {"AssumeRolePolicyDocument", kTrust}},
       ErrorCode::EntityAlreadyExists,
       "Role with name TAKEN already exists."},
      {"trust policy not JSON",
       {{"RoleName", "r"}, {"AssumeRolePolicyDocument", "{not json"}},
       ErrorCode::MalformedPolicyDocument,
       "This policy contains invalid Json"},
      {"trust policy too long",
       {{"RoleName", "r"}, {"AssumeRolePolicyDocument", R"({"Version":"2012-10-17","Sid":")" + std::string(2100, 'x') + "\"}"}},
       ErrorCode::LimitExceeded,
       "Cannot exceed quota for ACLSizePerRole: 2048"},
      {"service-linked path",
       {{"RoleName", "r"}, {"Path", "/aws-service-role/x/"}, {"AssumeRolePolicyDocument", kTrust}},
       ErrorCode::InvalidInput,
       "Path prefix '/aws-service-role/' can only be used for AWS Service linked Roles"},
      {"unknown boundary",
       {{"RoleName", "r"}, {"AssumeRolePolicyDocument", kTrust}, {"PermissionsBoundary", "arn:aws:iam::aws:policy/NoSuchPolicyX"}},
       ErrorCode::NoSuchEntity,
       "Policy arn:aws:iam::aws:policy/NoSuchPolicyX does not exist or is not attachable."},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    expectError("CreateRole", c.input, c.code, c.message);
  }
  expectError("GetRole", {{"RoleName", "r"}}, ErrorCode::NoSuchEntity, "The role with name r cannot be found.");
}

TEST_F(RoleOperations, GetRoleShowsEmptyRoleLastUsedUntilUsed) {
  createRole("r");
  json role = ok("GetRole", {{"RoleName", "R"}})["Role"];
  EXPECT_EQ(role["RoleName"], "r");
  EXPECT_EQ(role["RoleLastUsed"], json::object());
  EXPECT_EQ(role["MaxSessionDuration"], 3600);
  EXPECT_FALSE(role.contains("Description"));
}

TEST_F(RoleOperations, UpdateRoleAndDescriptionChangeTheRole) {
  createRole("r");
  EXPECT_EQ(ok("UpdateRole", {{"RoleName", "r"}, {"Description", "x"}, {"MaxSessionDuration", 43200}}), json::object());
  json role = ok("GetRole", {{"RoleName", "r"}})["Role"];
  EXPECT_EQ(role["Description"], "x");
  EXPECT_EQ(role["MaxSessionDuration"], 43200);
  json updated = ok("UpdateRoleDescription", {{"RoleName", "r"}, {"Description", "y"}})["Role"];
  EXPECT_EQ(updated["Description"], "y");
  expectError("UpdateRole", {{"RoleName", "nope"}}, ErrorCode::NoSuchEntity, "The role with name nope cannot be found.");
}

TEST_F(RoleOperations, UpdateAssumeRolePolicyReplacesTheDocument) {
  createRole("r");
  const std::string doc =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:AssumeRole"}]})";
  ok("UpdateAssumeRolePolicy", {{"RoleName", "r"}, {"PolicyDocument", doc}});
  EXPECT_EQ(ok("GetRole", {{"RoleName", "r"}})["Role"]["AssumeRolePolicyDocument"], uriEncode(doc));
  expectError("UpdateAssumeRolePolicy", {{"RoleName", "r"}, {"PolicyDocument", "[1,"}}, ErrorCode::MalformedPolicyDocument,
              "This policy contains invalid Json");
}

TEST_F(RoleOperations, DeleteRoleRefusesWhileDependenciesRemain) {
  createRole("r");
  ok("PutRolePolicy", {{"RoleName", "r"}, {"PolicyName", "p"}, {"PolicyDocument", kPolicyDoc}});
  expectError("DeleteRole", {{"RoleName", "r"}}, ErrorCode::DeleteConflict, "Cannot delete entity, must delete policies first.");
  ok("DeleteRolePolicy", {{"RoleName", "r"}, {"PolicyName", "p"}});
  ok("AttachRolePolicy", {{"RoleName", "r"}, {"PolicyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess"}});
  expectError("DeleteRole", {{"RoleName", "r"}}, ErrorCode::DeleteConflict,
              "Cannot delete entity, must detach all policies first.");
  ok("DetachRolePolicy", {{"RoleName", "r"}, {"PolicyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess"}});
  ok("CreateInstanceProfile", {{"InstanceProfileName", "ip"}});
  ok("AddRoleToInstanceProfile", {{"InstanceProfileName", "ip"}, {"RoleName", "r"}});
  expectError("DeleteRole", {{"RoleName", "r"}}, ErrorCode::DeleteConflict,
              "Cannot delete entity, must remove roles from instance profile first.");
  ok("RemoveRoleFromInstanceProfile", {{"InstanceProfileName", "ip"}, {"RoleName", "r"}});
  ok("DeleteRole", {{"RoleName", "r"}});
  expectError("DeleteRole", {{"RoleName", "r"}}, ErrorCode::NoSuchEntity, "The role with name r cannot be found.");
}

TEST_F(RoleOperations, ListRolesPaginatesAndOmitsTagsBoundaryAndLastUsed) {
  std::string boundary = createPolicy("B");
  for (int i = 0; i < 5; ++i)
    ok("CreateRole", {{"RoleName", std::to_string(i).insert(0, "role")},
                      {"AssumeRolePolicyDocument", kTrust},
                      {"PermissionsBoundary", boundary},
                      {"Tags", {{{"Key", "k"}, {"Value", "v"}}}}});
  createRole("other", "/other/");
  json page = ok("ListRoles", {{"PathPrefix", "/"}, {"MaxItems", 3}});
  auto roles = listedRoles(page);
  ASSERT_EQ(roles.size(), 3u);
  EXPECT_EQ(roles[0]["RoleName"], "other");
  for (auto& role : roles) {
    EXPECT_FALSE(role.contains("Tags"));
    EXPECT_FALSE(role.contains("PermissionsBoundary"));
    EXPECT_FALSE(role.contains("RoleLastUsed"));
    EXPECT_FALSE(role.contains("Description"));
    EXPECT_EQ(role["AssumeRolePolicyDocument"], uriEncode(kTrust));
    EXPECT_EQ(role["MaxSessionDuration"], "3600");
  }
  EXPECT_TRUE(page["IsTruncated"].get<bool>());
  json rest = ok("ListRoles", {{"Marker", page["Marker"]}});
  EXPECT_EQ(listedRoles(rest).size(), 3u);
  EXPECT_FALSE(rest["IsTruncated"].get<bool>());
  EXPECT_EQ(listedRoles(ok("ListRoles", {{"PathPrefix", "/other/"}})).size(), 1u);
  EXPECT_EQ(account().boundary_counts.at(boundary), 5);
}

TEST_F(RoleOperations, ListRolesGivesTheSameMembersAsGetRoleInModelOrder) {
  ok("CreateRole", {{"RoleName", "web"},
                    {"Path", "/app/"},
                    {"AssumeRolePolicyDocument", kTrust},
                    {"Description", "a <b> & 'c'"},
                    {"MaxSessionDuration", 7200}});
  json role = ok("GetRole", {{"RoleName", "web"}})["Role"];
  auto roles = listedRoles(ok("ListRoles", json::object()));
  ASSERT_EQ(roles.size(), 1u);
  std::map<std::string, std::string> expected = {
      {"Path", "/app/"},
      {"RoleName", "web"},
      {"RoleId", role["RoleId"]},
      {"Arn", "arn:aws:iam::123456789012:role/app/web"},
      {"CreateDate", role["CreateDate"]},
      {"AssumeRolePolicyDocument", uriEncode(kTrust)},
      {"Description", "a <b> & 'c'"},
      {"MaxSessionDuration", "7200"},
  };
  EXPECT_EQ(roles[0], expected);
  // Model order (Role shape: Path, RoleName, RoleId, Arn, CreateDate, ...)
  // and escaped text.
  std::string xml = protocol::iamModel().encodeOutput("ListRoles", ok("ListRoles", json::object()), "req");
  EXPECT_NE(xml.find("<Roles><member><Path>/app/</Path><RoleName>web</RoleName><RoleId>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<Description>a &lt;b&gt; &amp; &apos;c&apos;</Description><MaxSessionDuration>7200"),
            std::string::npos)
      << xml;
}

TEST_F(RoleOperations, ListRolesWithNoRolesHasAnEmptyList) {
  std::string xml = protocol::iamModel().encodeOutput("ListRoles", ok("ListRoles", json::object()), "req");
  EXPECT_NE(xml.find("<Roles/><IsTruncated>false</IsTruncated>"), std::string::npos) << xml;
}

TEST_F(RoleOperations, RoleTagsAndBoundaries) {
  createRole("r");
  ok("TagRole", {{"RoleName", "r"}, {"Tags", {{{"Key", "b"}, {"Value", "1"}}, {{"Key", "a"}, {"Value", "2"}}}}});
  EXPECT_EQ(ok("ListRoleTags", {{"RoleName", "r"}})["Tags"],
            json::parse(R"([{"Key":"a","Value":"2"},{"Key":"b","Value":"1"}])"));
  json page = ok("ListRoleTags", {{"RoleName", "r"}, {"MaxItems", 1}});
  EXPECT_EQ(page["Tags"].size(), 1u);
  EXPECT_TRUE(page["IsTruncated"].get<bool>());
  EXPECT_EQ(ok("ListRoleTags", {{"RoleName", "r"}, {"Marker", page["Marker"]}})["Tags"][0]["Key"], "b");
  ok("UntagRole", {{"RoleName", "r"}, {"TagKeys", {"A"}}});
  EXPECT_EQ(ok("GetRole", {{"RoleName", "r"}})["Role"]["Tags"], json::parse(R"([{"Key":"b","Value":"1"}])"));

  const std::string arn = "arn:aws:iam::aws:policy/ReadOnlyAccess";
  ok("PutRolePermissionsBoundary", {{"RoleName", "r"}, {"PermissionsBoundary", arn}});
  EXPECT_EQ(ok("GetRole", {{"RoleName", "r"}})["Role"]["PermissionsBoundary"]["PermissionsBoundaryArn"], arn);
  EXPECT_EQ(account().boundary_counts.at(arn), 1);
  ok("DeleteRolePermissionsBoundary", {{"RoleName", "r"}});
  EXPECT_FALSE(ok("GetRole", {{"RoleName", "r"}})["Role"].contains("PermissionsBoundary"));
  EXPECT_TRUE(account().boundary_counts.empty());
}

}  // namespace
}  // namespace iamlocal::services::iam::identity_testing
