#include "policy_test_fixture.h"

namespace iamlocal::services::iam::testing {
namespace {

struct Kind {
  std::string kind, lower;
  std::size_t limit;
};
const Kind kKinds[] = {{"User", "user", 2048}, {"Group", "group", 5120}, {"Role", "role", 10240}};
const std::string kDenyAll = R"({ "Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"} })";

class InlinePolicies : public PolicyOperationsTest {
 protected:
  void addPrincipal(const std::string& kind, const std::string& name) {
    if (kind == "User") addUser(name);
    if (kind == "Group") addGroup(name);
    if (kind == "Role") addRole(name);
  }
  // A valid policy of exactly `size` characters without whitespace (padded
  // through its Id).
  static std::string documentOfSize(std::size_t size) {
    return R"({"Id":")" + std::string(size - 68, 'x') + R"(","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}})";
  }
};

TEST_F(InlinePolicies, PutGetListAndDeleteRoundTrip) {
  for (const auto& k : kKinds) {
    SCOPED_TRACE(k.kind);
    addPrincipal(k.kind, "x");
    const std::string member = k.kind + "Name";
    ok("Put" + k.kind + "Policy", {{member, "x"}, {"PolicyName", "b-policy"}, {"PolicyDocument", kDoc}});
    ok("Put" + k.kind + "Policy", {{member, "x"}, {"PolicyName", "a-policy"}, {"PolicyDocument", kDenyAll}});
    json got = ok("Get" + k.kind + "Policy", {{member, "x"}, {"PolicyName", "b-policy"}});
    EXPECT_EQ(got[member], "x");
    EXPECT_EQ(got["PolicyName"], "b-policy");
    EXPECT_EQ(got["PolicyDocument"], uriEncode(kDoc));

    json listed = ok("List" + k.kind + "Policies", {{member, "x"}});
    EXPECT_EQ(listed["PolicyNames"], json::array({"a-policy", "b-policy"}));
    EXPECT_EQ(listed["IsTruncated"], false);
    json page = ok("List" + k.kind + "Policies", {{member, "x"}, {"MaxItems", 1}});
    EXPECT_EQ(page["PolicyNames"], json::array({"a-policy"}));
    EXPECT_EQ(page["IsTruncated"], true);
    json next = ok("List" + k.kind + "Policies", {{member, "x"}, {"MaxItems", 1}, {"Marker", page["Marker"]}});
    EXPECT_EQ(next["PolicyNames"], json::array({"b-policy"}));
    EXPECT_EQ(next["IsTruncated"], false);

    // Putting again replaces the document.
    ok("Put" + k.kind + "Policy", {{member, "x"}, {"PolicyName", "b-policy"}, {"PolicyDocument", kDenyAll}});
    EXPECT_EQ(ok("Get" + k.kind + "Policy", {{member, "x"}, {"PolicyName", "b-policy"}})["PolicyDocument"], uriEncode(kDenyAll));

    ok("Delete" + k.kind + "Policy", {{member, "x"}, {"PolicyName", "b-policy"}});
    EXPECT_EQ(ok("List" + k.kind + "Policies", {{member, "x"}})["PolicyNames"], json::array({"a-policy"}));
  }
}

TEST_F(InlinePolicies, MissingPrincipalsAndPoliciesAreNoSuchEntity) {
  for (const auto& k : kKinds) {
    SCOPED_TRACE(k.kind);
    addPrincipal(k.kind, "x");
    const std::string member = k.kind + "Name";
    const std::string no_principal = "The " + k.lower + " with name nobody cannot be found.";
    expectError("Put" + k.kind + "Policy", {{member, "nobody"}, {"PolicyName", "p"}, {"PolicyDocument", kDoc}},
                ErrorCode::NoSuchEntity, no_principal);
    expectError("Get" + k.kind + "Policy", {{member, "nobody"}, {"PolicyName", "p"}}, ErrorCode::NoSuchEntity,
                no_principal);
    expectError("List" + k.kind + "Policies", {{member, "nobody"}}, ErrorCode::NoSuchEntity, no_principal);
    expectError("Get" + k.kind + "Policy", {{member, "x"}, {"PolicyName", "absent"}}, ErrorCode::NoSuchEntity,
                "The " + k.lower + " policy with name absent cannot be found.");
    expectError("Delete" + k.kind + "Policy", {{member, "x"}, {"PolicyName", "absent"}}, ErrorCode::NoSuchEntity,
                "The " + k.lower + " policy with name absent cannot be found.");
  }
}

TEST_F(InlinePolicies, DocumentsMustBeJson) {
  addUser("x");
  expectError("PutUserPolicy", {{"UserName", "x"}, {"PolicyName", "p"}, {"PolicyDocument", "{\"a\":"}},
              ErrorCode::MalformedPolicyDocument, "Syntax errors in policy.");
}

TEST_F(InlinePolicies, SizeQuotaCoversAllOfAPrincipalsInlinePolicies) {
  for (const auto& k : kKinds) {
    SCOPED_TRACE(k.kind);
    addPrincipal(k.kind, "x");
    const std::string member = k.kind + "Name";
    const std::string error = "Maximum policy size of " + std::to_string(k.limit) + " bytes exceeded for " + k.lower + " x";
    expectError("Put" + k.kind + "Policy",
                {{member, "x"}, {"PolicyName", "big"}, {"PolicyDocument", documentOfSize(k.limit + 1)}},
                ErrorCode::LimitExceeded, error);
    ok("Put" + k.kind + "Policy", {{member, "x"}, {"PolicyName", "half"}, {"PolicyDocument", documentOfSize(k.limit / 2)}});
    ok("Put" + k.kind + "Policy", {{member, "x"}, {"PolicyName", "rest"}, {"PolicyDocument", documentOfSize(k.limit / 2)}});
    expectError("Put" + k.kind + "Policy", {{member, "x"}, {"PolicyName", "one-more"}, {"PolicyDocument", "{}"}},
                ErrorCode::LimitExceeded, error);
    // Replacing a policy counts the new document instead of the old one.
    ok("Put" + k.kind + "Policy", {{member, "x"}, {"PolicyName", "rest"}, {"PolicyDocument", documentOfSize(k.limit / 2)}});
  }
}

TEST_F(InlinePolicies, ServiceLinkedRolesCannotBeChanged) {
  addRole("AWSServiceRoleForTest", "/aws-service-role/test.amazonaws.com/");
  auto result = call("PutRolePolicy", {{"RoleName", "AWSServiceRoleForTest"}, {"PolicyName", "p"}, {"PolicyDocument", kDoc}});
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::UnmodifiableEntity);
}

}  // namespace
}  // namespace iamlocal::services::iam::testing
