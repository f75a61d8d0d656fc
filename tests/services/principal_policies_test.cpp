#include "iamlocal/services/principal_policies.h"

#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "iamlocal/store/aws_managed_policies.h"

namespace iamlocal::services {
namespace {

constexpr std::string_view kAccount = "123456789012";
const std::string kAllowS3 = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})";
const std::string kAllowEc2 = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]})";
const std::string kReadOnly = "arn:aws:iam::aws:policy/ReadOnlyAccess";

class PrincipalPoliciesTest : public ::testing::Test {
 protected:
  PrincipalPoliciesTest() { parseIso8601("2024-05-01T12:00:00Z", now_); }

  store::Account& account() { return store_.account(kAccount); }

  // A customer managed policy with an old v1 and a default v2.
  std::string addManagedPolicy(const std::string& name) {
    store::ManagedPolicy p;
    p.name = name;
    p.path = "/";
    p.arn = "arn:aws:iam::123456789012:policy/" + name;
    for (const char* v : {"v1", "v2"}) {
      store::PolicyVersion version;
      version.version_id = v;
      version.document = std::string(v) == "v1" ? kAllowEc2 : kAllowS3;
      version.compiled = store::storePolicy(version.document, p.arn).compiled;
      p.versions.push_back(std::move(version));
    }
    p.default_version_id = "v2";
    const std::string arn = p.arn;
    account().policies.emplace(name, std::move(p));
    return arn;
  }
  const policy::CompiledPolicy* defaultVersion(const std::string& name) {
    return account().policies.at(name).versions[1].compiled.get();
  }
  const policy::CompiledPolicy* awsManaged(const std::string& arn) {
    return &store::compiledAwsManagedPolicy(*store::findAwsManagedPolicy(arn));
  }

  store::User& addUser(const std::string& name) {
    store::User u;
    u.name = name;
    u.path = "/";
    u.arn = "arn:aws:iam::123456789012:user/" + name;
    return account().users.emplace(name, std::move(u)).first->second;
  }
  store::Group& addGroup(const std::string& name) {
    store::Group g;
    g.name = name;
    g.arn = "arn:aws:iam::123456789012:group/" + name;
    return account().groups.emplace(name, std::move(g)).first->second;
  }
  store::Role& addRole(const std::string& name) {
    store::Role r;
    r.name = name;
    r.arn = "arn:aws:iam::123456789012:role/app/" + name;
    return account().roles.emplace(name, std::move(r)).first->second;
  }

  auth::Principal userPrincipal(const std::string& name, const std::string& key = "AKIAUSERKEY") {
    return auth::Principal{auth::PrincipalType::User, std::string(kAccount),
                           "arn:aws:iam::123456789012:user/" + name, "AIDA" + name, name, key};
  }

  // A session of `principal` under the key `key`, for the test to fill in
  // and add with addSession.
  store::Session newSession(auth::Principal principal, const std::string& key) {
    store::Session s;
    s.access_key_id = key;
    s.expiration = now_ + std::chrono::hours(1);
    principal.access_key_id = key;
    s.principal = std::move(principal);
    return s;
  }
  void addSession(store::Session s) { store_.addSession(std::move(s), now_); }

  store::Store store_;
  TimePoint now_;
};

bool contains(const std::vector<const policy::CompiledPolicy*>& layer, const policy::CompiledPolicy* p) {
  return std::find(layer.begin(), layer.end(), p) != layer.end();
}

TEST_F(PrincipalPoliciesTest, UserGetsItsOwnAndItsGroupsPoliciesAndItsBoundary) {
  const std::string customer = addManagedPolicy("Custom");
  const std::string boundary = addManagedPolicy("Boundary");
  store::User& user = addUser("alice");
  user.inline_policies.emplace("own", store::storePolicy(kAllowS3, "own"));
  user.attached_policy_arns = {customer, kReadOnly};
  user.group_names.insert("devs");
  user.permissions_boundary_arn = boundary;
  store::Group& group = addGroup("devs");
  group.inline_policies.emplace("team", store::storePolicy(kAllowEc2, "team"));
  group.attached_policy_arns = {kReadOnly};

  policy::PolicySet set;
  collectCallerPolicies(store_, userPrincipal("alice"), set);
  ASSERT_EQ(set.identity.size(), 5u);
  EXPECT_EQ(set.identity[0], user.inline_policies.at("own").compiled.get());
  EXPECT_EQ(set.identity[1], defaultVersion("Custom"));  // the default version, not v1
  EXPECT_EQ(set.identity[2], awsManaged(kReadOnly));
  EXPECT_EQ(set.identity[3], group.inline_policies.at("team").compiled.get());
  EXPECT_EQ(set.identity[4], awsManaged(kReadOnly));
  EXPECT_TRUE(set.boundary_present);
  ASSERT_EQ(set.boundary.size(), 1u);
  EXPECT_EQ(set.boundary[0], defaultVersion("Boundary"));
  EXPECT_FALSE(set.session_present);
}

TEST_F(PrincipalPoliciesTest, LeavesTheResourceLayerAndReplacesTheOthers) {
  addUser("bob");
  policy::PolicySet set;
  policy::CompiledPolicy resource_policy;
  set.resource.push_back(&resource_policy);
  set.identity.push_back(&resource_policy);
  set.boundary_present = true;
  set.session_present = true;
  collectCallerPolicies(store_, userPrincipal("bob"), set);
  EXPECT_TRUE(set.identity.empty());
  EXPECT_FALSE(set.boundary_present);
  EXPECT_FALSE(set.session_present);
  ASSERT_EQ(set.resource.size(), 1u);
  EXPECT_EQ(set.resource[0], &resource_policy);
}

TEST_F(PrincipalPoliciesTest, BoundaryThatNoLongerResolvesStillLimits) {
  store::User& user = addUser("carol");
  user.permissions_boundary_arn = "arn:aws:iam::123456789012:policy/Gone";
  policy::PolicySet set;
  collectCallerPolicies(store_, userPrincipal("carol"), set);
  EXPECT_TRUE(set.boundary_present);
  EXPECT_TRUE(set.boundary.empty());
}

TEST_F(PrincipalPoliciesTest, AssumedRoleGetsTheRolePoliciesBoundaryAndSessionPolicies) {
  const std::string boundary = addManagedPolicy("RoleBoundary");
  store::Role& role = addRole("Deployer");
  role.inline_policies.emplace("deploy", store::storePolicy(kAllowEc2, "deploy"));
  role.attached_policy_arns = {kReadOnly};
  role.permissions_boundary_arn = boundary;

  auth::Principal p{auth::PrincipalType::AssumedRole, std::string(kAccount),
                    "arn:aws:sts::123456789012:assumed-role/Deployer/s1", "AROADEPLOYER:s1", "Deployer", ""};
  store::Session session = newSession(p, "ASIASESSIONPOLICIES");
  session.role_name = "Deployer";
  session.has_session_policies = true;
  auto session_policy = store::storePolicy(kAllowS3, "session").compiled;
  session.session_policies.push_back(session_policy);
  addSession(std::move(session));
  p.access_key_id = "ASIASESSIONPOLICIES";

  policy::PolicySet set;
  collectCallerPolicies(store_, p, set);
  ASSERT_EQ(set.identity.size(), 2u);
  EXPECT_EQ(set.identity[0], role.inline_policies.at("deploy").compiled.get());
  EXPECT_EQ(set.identity[1], awsManaged(kReadOnly));
  EXPECT_TRUE(set.boundary_present);
  EXPECT_TRUE(contains(set.boundary, defaultVersion("RoleBoundary")));
  EXPECT_TRUE(set.session_present);
  ASSERT_EQ(set.session.size(), 1u);
  EXPECT_EQ(set.session[0], session_policy.get());
}

TEST_F(PrincipalPoliciesTest, AssumedRoleWithoutSessionPoliciesHasNoSessionLayer) {
  addRole("Reader").attached_policy_arns = {kReadOnly};
  auth::Principal p{auth::PrincipalType::AssumedRole, std::string(kAccount),
                    "arn:aws:sts::123456789012:assumed-role/Reader/s", "AROAREADER:s", "Reader", ""};
  store::Session session = newSession(p, "ASIANOSESSIONPOLICY");
  session.role_name = "Reader";
  addSession(std::move(session));
  p.access_key_id = "ASIANOSESSIONPOLICY";
  policy::PolicySet set;
  collectCallerPolicies(store_, p, set);
  ASSERT_EQ(set.identity.size(), 1u);
  EXPECT_FALSE(set.session_present);
  EXPECT_FALSE(set.boundary_present);
}

TEST_F(PrincipalPoliciesTest, FederatedUserIsTheSourceUserIntersectedWithTheSessionPolicies) {
  store::User& user = addUser("fed-source");
  user.inline_policies.emplace("own", store::storePolicy(kAllowS3, "own"));
  auth::Principal p{auth::PrincipalType::FederatedUser, std::string(kAccount),
                    "arn:aws:sts::123456789012:federated-user/visitor", "123456789012:visitor", "visitor", ""};
  store::Session session = newSession(p, "ASIAFEDERATED");
  session.source_user_name = "fed-source";
  session.has_session_policies = true;
  auto session_policy = store::storePolicy(kAllowS3, "session").compiled;
  session.session_policies.push_back(session_policy);
  addSession(std::move(session));
  p.access_key_id = "ASIAFEDERATED";

  policy::PolicySet set;
  collectCallerPolicies(store_, p, set);
  ASSERT_EQ(set.identity.size(), 1u);
  EXPECT_EQ(set.identity[0], user.inline_policies.at("own").compiled.get());
  EXPECT_TRUE(set.session_present);
  ASSERT_EQ(set.session.size(), 1u);
  EXPECT_EQ(set.session[0], session_policy.get());
}

TEST_F(PrincipalPoliciesTest, FederatedUserWithoutSessionPoliciesMayDoNothing) {
  addUser("fed-source").inline_policies.emplace("own", store::storePolicy(kAllowS3, "own"));
  auth::Principal p{auth::PrincipalType::FederatedUser, std::string(kAccount),
                    "arn:aws:sts::123456789012:federated-user/bare", "123456789012:bare", "bare", ""};
  store::Session session = newSession(p, "ASIAFEDERATEDBARE");
  session.source_user_name = "fed-source";
  addSession(std::move(session));
  p.access_key_id = "ASIAFEDERATEDBARE";
  policy::PolicySet set;
  collectCallerPolicies(store_, p, set);
  EXPECT_EQ(set.identity.size(), 1u);
  EXPECT_TRUE(set.session_present);  // present and empty: nothing passes
  EXPECT_TRUE(set.session.empty());
}

// A federated user made by the root (a session without a source user) has the
// root's permissions, everything, intersected with its session policies.
TEST_F(PrincipalPoliciesTest, FederatedUserOfTheRootHasEverythingTheSessionPoliciesAllow) {
  auth::Principal p{auth::PrincipalType::FederatedUser, std::string(kAccount),
                    "arn:aws:sts::123456789012:federated-user/rooted", "123456789012:rooted", "rooted", ""};
  store::Session session = newSession(p, "ASIAFEDERATEDROOT");
  session.issued_by = store::Session::IssuedBy::GetFederationToken;
  session.has_session_policies = true;
  session.session_policies.push_back(store::storePolicy(kAllowS3, "session").compiled);
  addSession(std::move(session));
  p.access_key_id = "ASIAFEDERATEDROOT";

  policy::PolicySet set;
  collectCallerPolicies(store_, p, set);
  ASSERT_EQ(set.identity.size(), 1u);
  EXPECT_TRUE(set.session_present);
  ASSERT_EQ(set.session.size(), 1u);

  struct Case {
    const char* action;
    policy::DecisionType expected;
    policy::PolicyLayer layer;
  };
  for (const Case& c : {Case{"s3:GetObject", policy::DecisionType::Allowed, policy::PolicyLayer::Identity},
                        Case{"ec2:RunInstances", policy::DecisionType::ImplicitDeny, policy::PolicyLayer::Session},
                        Case{"iam:CreateUser", policy::DecisionType::ImplicitDeny, policy::PolicyLayer::Session}}) {
    SCOPED_TRACE(c.action);
    policy::RequestContext context;
    context.action = c.action;
    context.resource = "*";
    context.principal_arn = p.arn;
    context.principal_account = std::string(kAccount);
    context.now = now_;
    context.finalize();
    const policy::Decision d = policy::evaluate(set, context);
    EXPECT_EQ(d.type, c.expected);
    if (c.expected != policy::DecisionType::Allowed) {
      EXPECT_EQ(d.layer, c.layer);
    }
  }
}

TEST_F(PrincipalPoliciesTest, FederatedUserOfTheRootWithoutSessionPoliciesMayDoNothing) {
  auth::Principal p{auth::PrincipalType::FederatedUser, std::string(kAccount),
                    "arn:aws:sts::123456789012:federated-user/rooted-bare", "123456789012:rooted-bare", "rooted-bare",
                    ""};
  store::Session session = newSession(p, "ASIAFEDERATEDROOTBARE");
  session.has_session_policies = true;
  addSession(std::move(session));
  p.access_key_id = "ASIAFEDERATEDROOTBARE";
  policy::PolicySet set;
  collectCallerPolicies(store_, p, set);
  policy::RequestContext context;
  context.action = "s3:GetObject";
  context.resource = "*";
  context.principal_arn = p.arn;
  context.principal_account = std::string(kAccount);
  context.now = now_;
  context.finalize();
  const policy::Decision d = policy::evaluate(set, context);
  EXPECT_EQ(d.type, policy::DecisionType::ImplicitDeny);
  EXPECT_EQ(d.layer, policy::PolicyLayer::Session);
}

TEST_F(PrincipalPoliciesTest, SessionTokenOfAUserHasTheUsersPolicies) {
  addUser("dave").attached_policy_arns = {kReadOnly};
  auth::Principal p = userPrincipal("dave");
  store::Session session = newSession(p, "ASIASESSIONTOKEN");
  session.source_user_name = "dave";
  addSession(std::move(session));
  p.access_key_id = "ASIASESSIONTOKEN";
  policy::PolicySet set;
  collectCallerPolicies(store_, p, set);
  ASSERT_EQ(set.identity.size(), 1u);
  EXPECT_EQ(set.identity[0], awsManaged(kReadOnly));
  EXPECT_FALSE(set.session_present);
}

TEST_F(PrincipalPoliciesTest, RootHasNoPoliciesEvenThroughASessionToken) {
  addUser("someone").attached_policy_arns = {kReadOnly};
  auth::Principal root = auth::rootPrincipal(kAccount, "ASIAROOTSESSION");
  addSession(newSession(root, "ASIAROOTSESSION"));
  policy::PolicySet set;
  collectCallerPolicies(store_, root, set);
  EXPECT_TRUE(set.identity.empty());
  EXPECT_FALSE(set.boundary_present);
  EXPECT_FALSE(set.session_present);

  collectCallerPolicies(store_, auth::rootPrincipal(kAccount, "AKIAROOTKEY"), set);
  EXPECT_TRUE(set.identity.empty());
  EXPECT_FALSE(set.session_present);
}

TEST_F(PrincipalPoliciesTest, RootSessionWithTaskPoliciesIsLimitedByThem) {
  auth::Principal root = auth::rootPrincipal(kAccount, "ASIAASSUMEROOT");
  store::Session session = newSession(root, "ASIAASSUMEROOT");
  session.has_session_policies = true;
  session.session_policies.push_back(
      std::shared_ptr<const policy::CompiledPolicy>(std::shared_ptr<void>(), awsManaged(kReadOnly)));
  addSession(std::move(session));
  policy::PolicySet set;
  collectCallerPolicies(store_, root, set);
  EXPECT_TRUE(set.identity.empty());
  EXPECT_TRUE(set.session_present);
  ASSERT_EQ(set.session.size(), 1u);
  EXPECT_EQ(set.session[0], awsManaged(kReadOnly));
}

TEST_F(PrincipalPoliciesTest, UnknownCallerGetsNothing) {
  policy::PolicySet set;
  collectCallerPolicies(store_, userPrincipal("nobody"), set);
  EXPECT_TRUE(set.identity.empty());
  EXPECT_FALSE(set.boundary_present);
}

TEST_F(PrincipalPoliciesTest, EntityPoliciesOfAUserIncludeItsGroupsAndBoundary) {
  store::User& user = addUser("erin");
  user.attached_policy_arns = {kReadOnly};
  user.group_names.insert("ops");
  user.permissions_boundary_arn = kReadOnly;
  addGroup("ops").inline_policies.emplace("g", store::storePolicy(kAllowEc2, "g"));
  policy::PolicySet set;
  ASSERT_TRUE(collectEntityPolicies(store_, "arn:aws:iam::123456789012:user/erin", set).has_value());
  EXPECT_EQ(set.identity.size(), 2u);
  EXPECT_TRUE(set.boundary_present);
  EXPECT_EQ(set.boundary.size(), 1u);
}

TEST_F(PrincipalPoliciesTest, EntityPoliciesOfAGroupAndOfARoleWithAPath) {
  addGroup("ops").attached_policy_arns = {kReadOnly};
  store::Role& role = addRole("Builder");
  role.inline_policies.emplace("b", store::storePolicy(kAllowEc2, "b"));
  policy::PolicySet set;
  ASSERT_TRUE(collectEntityPolicies(store_, "arn:aws:iam::123456789012:group/ops", set).has_value());
  ASSERT_EQ(set.identity.size(), 1u);
  EXPECT_FALSE(set.boundary_present);
  ASSERT_TRUE(collectEntityPolicies(store_, "arn:aws:iam::123456789012:role/app/Builder", set).has_value());
  ASSERT_EQ(set.identity.size(), 1u);
  EXPECT_EQ(set.identity[0], role.inline_policies.at("b").compiled.get());
}

TEST_F(PrincipalPoliciesTest, EntityThatDoesNotExistIsNoSuchEntityWithAwsText) {
  addUser("exists");
  policy::PolicySet set;
  struct Case {
    std::string arn, message;
  };
  for (const Case& c : {Case{"arn:aws:iam::123456789012:user/ghost", "The user with name ghost cannot be found."},
                        Case{"arn:aws:iam::123456789012:group/ghosts", "The group with name ghosts cannot be found."},
                        Case{"arn:aws:iam::123456789012:role/Ghost", "The role with name Ghost cannot be found."},
                        Case{"arn:aws:iam::999999999999:user/exists", "The user with name exists cannot be found."}}) {
    SCOPED_TRACE(c.arn);
    auto status = collectEntityPolicies(store_, c.arn, set);
    ASSERT_FALSE(status.has_value());
    EXPECT_EQ(status.error().code, ErrorCode::NoSuchEntity);
    EXPECT_EQ(status.error().message, c.message);
  }
}

TEST_F(PrincipalPoliciesTest, ArnThatNamesNoUserGroupOrRoleIsInvalidInput) {
  policy::PolicySet set;
  for (const char* arn : {"arn:aws:iam::123456789012:policy/Something", "not-an-arn",
                          "arn:aws:s3:::bucket/key", "arn:aws:iam::123456789012:user/"}) {
    SCOPED_TRACE(arn);
    auto status = collectEntityPolicies(store_, arn, set);
    ASSERT_FALSE(status.has_value());
    EXPECT_EQ(status.error().code, ErrorCode::InvalidInput);
  }
}

}  // namespace
}  // namespace iamlocal::services
