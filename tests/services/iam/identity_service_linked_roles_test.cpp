#include "identity_test_fixture.h"

namespace iamlocal::services::iam::identity_testing {
namespace {

class ServiceLinkedRoleOperations : public IdentityTest {};

TEST_F(ServiceLinkedRoleOperations, CreatesTheServicesNamedRoleUnderItsPath) {
  json role = ok("CreateServiceLinkedRole", {{"AWSServiceName", "elasticbeanstalk.amazonaws.com"}, {"Description", "eb"}})["Role"];
  EXPECT_EQ(role["RoleName"], "AWSServiceRoleForElasticBeanstalk");
  EXPECT_EQ(role["Path"], "/aws-service-role/elasticbeanstalk.amazonaws.com/");
  EXPECT_EQ(role["Arn"],
            "arn:aws:iam::123456789012:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk");
  EXPECT_EQ(role["Description"], "eb");
  json trust = json::parse(account().roles.at("AWSServiceRoleForElasticBeanstalk").trust_policy->text);
  EXPECT_EQ(trust["Statement"][0]["Principal"]["Service"][0], "elasticbeanstalk.amazonaws.com");
}

TEST_F(ServiceLinkedRoleOperations, NamesAndSuffixes) {
  struct Case {
    std::string service, suffix, expected;
  };
  std::vector<Case> cases = {
      {"autoscaling.amazonaws.com", "fleet", "AWSServiceRoleForAutoScaling_fleet"},
      {"spot.amazonaws.com", "", "AWSServiceRoleForEC2Spot"},
      {"my-new-thing.amazonaws.com", "", "AWSServiceRoleForMyNewThing"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.service);
    json input = {{"AWSServiceName", c.service}};
    if (!c.suffix.empty()) input["CustomSuffix"] = c.suffix;
    EXPECT_EQ(ok("CreateServiceLinkedRole", input)["Role"]["RoleName"], c.expected);
  }
}

TEST_F(ServiceLinkedRoleOperations, RefusesBadRequests) {
  ok("CreateServiceLinkedRole", {{"AWSServiceName", "ecs.amazonaws.com"}});
  expectError("CreateServiceLinkedRole", {{"AWSServiceName", "ecs.amazonaws.com"}}, ErrorCode::InvalidInput,
              "Service role name AWSServiceRoleForECS has been taken in this account, please try a different suffix.");
  expectError("CreateServiceLinkedRole", {{"AWSServiceName", "es.amazonaws.com"}, {"CustomSuffix", "x"}},
              ErrorCode::InvalidInput, "Custom suffix is not allowed for es.amazonaws.com");
  expectError("CreateServiceLinkedRole", {{"AWSServiceName", "ecs"}}, ErrorCode::InvalidInput,
              "Invalid service name ecs. Service names look like <service>.amazonaws.com.");
}

TEST_F(ServiceLinkedRoleOperations, OnlyAwsMayChangeOrDeleteTheRole) {
  ok("CreateServiceLinkedRole", {{"AWSServiceName", "ecs.amazonaws.com"}});
  const std::string message =
      "Cannot perform the operation on the protected role 'AWSServiceRoleForECS' - this role is only modifiable by AWS";
  expectError("DeleteRole", {{"RoleName", "AWSServiceRoleForECS"}}, ErrorCode::UnmodifiableEntity, message);
  expectError("UpdateAssumeRolePolicy", {{"RoleName", "AWSServiceRoleForECS"}, {"PolicyDocument", kTrust}},
              ErrorCode::UnmodifiableEntity, message);
  expectError("PutRolePermissionsBoundary",
              {{"RoleName", "AWSServiceRoleForECS"}, {"PermissionsBoundary", "arn:aws:iam::aws:policy/ReadOnlyAccess"}},
              ErrorCode::UnmodifiableEntity, message);
}

TEST_F(ServiceLinkedRoleOperations, DeleteReturnsATaskThatSucceeded) {
  ok("CreateServiceLinkedRole", {{"AWSServiceName", "ecs.amazonaws.com"}});
  std::string task = ok("DeleteServiceLinkedRole", {{"RoleName", "AWSServiceRoleForECS"}})["DeletionTaskId"];
  EXPECT_TRUE(task.starts_with("task/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS/")) << task;
  EXPECT_EQ(task.size(), std::string("task/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS/").size() + 36);
  EXPECT_EQ(ok("GetServiceLinkedRoleDeletionStatus", {{"DeletionTaskId", task}})["Status"], "SUCCEEDED");
  expectError("GetRole", {{"RoleName", "AWSServiceRoleForECS"}}, ErrorCode::NoSuchEntity,
              "The role with name AWSServiceRoleForECS cannot be found.");
  expectError("GetServiceLinkedRoleDeletionStatus", {{"DeletionTaskId", "task/aws-service-role/x/y/z"}}, ErrorCode::NoSuchEntity,
              "Deletion task task/aws-service-role/x/y/z cannot be found.");
}

TEST_F(ServiceLinkedRoleOperations, DeleteOfAnOrdinaryRoleIsRefused) {
  createRole("plain");
  expectError("DeleteServiceLinkedRole", {{"RoleName", "plain"}}, ErrorCode::NoSuchEntity,
              "Role plain is not a service-linked role.");
  expectError("DeleteServiceLinkedRole", {{"RoleName", "none"}}, ErrorCode::NoSuchEntity,
              "The role with name none cannot be found.");
}

}  // namespace
}  // namespace iamlocal::services::iam::identity_testing
