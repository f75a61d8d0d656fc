// Service-linked roles: CreateServiceLinkedRole, DeleteServiceLinkedRole,
// GetServiceLinkedRoleDeletionStatus. The roles live under
// /aws-service-role/<service>/, trust only their service, and only these
// operations may change or delete them.
#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>
#include <shared_mutex>

#include "iamlocal/core/ids.h"
#include "iamlocal/store/aws_managed_policies.h"
#include "identity_common.h"
#include "shapes.h"

namespace iamlocal::services::iam {
namespace {

using store::Account;
using store::Role;

struct ServiceLinkedRoleSpec {
  std::string_view service;      // AWSServiceName
  std::string_view role_name;    // the role AWS creates
  std::string_view policy_name;  // its AWS managed permissions policy (under /aws-service-role/), or ""
  bool custom_suffix_allowed;
};

// Role names and permissions policies as each service documents them ("AWS
// services that work with IAM", the "Service-linked role" column). Services
// missing here get a name derived from the service name.
constexpr std::array kKnownServices = {
    ServiceLinkedRoleSpec{"autoscaling.amazonaws.com", "AWSServiceRoleForAutoScaling", "AutoScalingServiceRolePolicy", true},
    ServiceLinkedRoleSpec{"ecs.amazonaws.com", "AWSServiceRoleForECS", "AmazonECSServiceRolePolicy", false},
    ServiceLinkedRoleSpec{"eks.amazonaws.com", "AWSServiceRoleForAmazonEKS", "AmazonEKSServiceRolePolicy", false},
    ServiceLinkedRoleSpec{"eks-nodegroup.amazonaws.com", "AWSServiceRoleForAmazonEKSNodegroup", "AWSServiceRoleForAmazonEKSNodegroup", false},
    ServiceLinkedRoleSpec{"elasticbeanstalk.amazonaws.com", "AWSServiceRoleForElasticBeanstalk", "AWSElasticBeanstalkServiceRolePolicy", false},
    ServiceLinkedRoleSpec{"elasticloadbalancing.amazonaws.com", "AWSServiceRoleForElasticLoadBalancing", "AWSElasticLoadBalancingServiceRolePolicy", false},
    ServiceLinkedRoleSpec{"elasticache.amazonaws.com", "AWSServiceRoleForElastiCache", "ElastiCacheServiceRolePolicy", false},
    ServiceLinkedRoleSpec{"es.amazonaws.com", "AWSServiceRoleForAmazonElasticsearchService", "AmazonElasticsearchServiceRolePolicy", false},
    ServiceLinkedRoleSpec{"opensearchservice.amazonaws.com", "AWSServiceRoleForAmazonOpenSearchService", "AmazonOpenSearchServiceRolePolicy", false},
    ServiceLinkedRoleSpec{"rds.amazonaws.com", "AWSServiceRoleForRDS", "AmazonRDSServiceRolePolicy", false},
    ServiceLinkedRoleSpec{"redshift.amazonaws.com", "AWSServiceRoleForRedshift", "AmazonRedshiftServiceLinkedRolePolicy", false},
    ServiceLinkedRoleSpec{"spot.amazonaws.com", "AWSServiceRoleForEC2Spot", "AWSEC2SpotServiceRolePolicy", false},
    ServiceLinkedRoleSpec{"spotfleet.amazonaws.com", "AWSServiceRoleForEC2SpotFleet", "AWSEC2SpotFleetServiceRolePolicy", false},
    ServiceLinkedRoleSpec{"organizations.amazonaws.com", "AWSServiceRoleForOrganizations", "AWSOrganizationsServiceTrustPolicy", false},
    ServiceLinkedRoleSpec{"guardduty.amazonaws.com", "AWSServiceRoleForAmazonGuardDuty", "AmazonGuardDutyServiceRolePolicy", false},
    ServiceLinkedRoleSpec{"securityhub.amazonaws.com", "AWSServiceRoleForSecurityHub", "AWSSecurityHubServiceRolePolicy", false},
    ServiceLinkedRoleSpec{"config.amazonaws.com", "AWSServiceRoleForConfig", "AWSConfigServiceRolePolicy", false},
    ServiceLinkedRoleSpec{"support.amazonaws.com", "AWSServiceRoleForSupport", "AWSSupportServiceRolePolicy", false},
    ServiceLinkedRoleSpec{"trustedadvisor.amazonaws.com", "AWSServiceRoleForTrustedAdvisor", "AWSTrustedAdvisorServiceRolePolicy", false},
    ServiceLinkedRoleSpec{"ssm.amazonaws.com", "AWSServiceRoleForAmazonSSM", "AmazonSSMServiceRolePolicy", false},
    ServiceLinkedRoleSpec{"cloudtrail.amazonaws.com", "AWSServiceRoleForCloudTrail", "CloudTrailServiceRolePolicy", false},
    ServiceLinkedRoleSpec{"kafka.amazonaws.com", "AWSServiceRoleForKafka", "KafkaServiceRolePolicy", false},
    ServiceLinkedRoleSpec{"transitgateway.amazonaws.com", "AWSServiceRoleForVPCTransitGateway", "AWSVPCTransitGatewayServiceRolePolicy", false},
    ServiceLinkedRoleSpec{"dynamodb.application-autoscaling.amazonaws.com", "AWSServiceRoleForApplicationAutoScaling_DynamoDBTable", "AWSApplicationAutoscalingDynamoDBTablePolicy", false},
    ServiceLinkedRoleSpec{"ecs.application-autoscaling.amazonaws.com", "AWSServiceRoleForApplicationAutoScaling_ECSService", "AWSApplicationAutoscalingECSServicePolicy", false},
    ServiceLinkedRoleSpec{"replicator.lambda.amazonaws.com", "AWSServiceRoleForLambdaReplicator", "AWSLambdaReplicator", false},
    ServiceLinkedRoleSpec{"access-analyzer.amazonaws.com", "AWSServiceRoleForAccessAnalyzer", "AccessAnalyzerServiceRolePolicy", false},
    ServiceLinkedRoleSpec{"backup.amazonaws.com", "AWSServiceRoleForBackup", "AWSBackupServiceLinkedRolePolicyForBackup", false},
    ServiceLinkedRoleSpec{"sso.amazonaws.com", "AWSServiceRoleForSSO", "AWSSSOServiceRolePolicy", false},
    ServiceLinkedRoleSpec{"events.amazonaws.com", "AWSServiceRoleForCloudWatchEvents", "CloudWatchEventsServiceRolePolicy", false},
    ServiceLinkedRoleSpec{"elasticmapreduce.amazonaws.com", "AWSServiceRoleForEMRCleanup", "AmazonEMRCleanupPolicy", false},
    ServiceLinkedRoleSpec{"batch.amazonaws.com", "AWSServiceRoleForBatch", "BatchServiceRolePolicy", false},
    ServiceLinkedRoleSpec{"apigateway.amazonaws.com", "AWSServiceRoleForAPIGateway", "APIGatewayServiceRolePolicy", false},
    ServiceLinkedRoleSpec{"globalaccelerator.amazonaws.com", "AWSServiceRoleForGlobalAccelerator", "AWSGlobalAcceleratorSLRPolicy", false},
    ServiceLinkedRoleSpec{"elasticfilesystem.amazonaws.com", "AWSServiceRoleForAmazonElasticFileSystem", "AmazonElasticFileSystemServiceRolePolicy", false},
    ServiceLinkedRoleSpec{"inspector2.amazonaws.com", "AWSServiceRoleForAmazonInspector2", "AmazonInspector2ServiceRolePolicy", false},
    ServiceLinkedRoleSpec{"lex.amazonaws.com", "AWSServiceRoleForLexBots", "AmazonLexBotPolicy", true},
};

constexpr std::string_view kServiceSuffix = ".amazonaws.com";

const ServiceLinkedRoleSpec* findSpec(std::string_view service) {
  auto it = std::find_if(kKnownServices.begin(), kKnownServices.end(),
                         [&](const ServiceLinkedRoleSpec& spec) { return spec.service == service; });
  return it == kKnownServices.end() ? nullptr : &*it;
}

// "AWSServiceRoleFor" + the service's label in CamelCase, e.g.
// "foo-bar.amazonaws.com" -> "AWSServiceRoleForFooBar".
std::string derivedRoleName(std::string_view service) {
  std::string name = "AWSServiceRoleFor";
  bool upper = true;
  for (char c : service.substr(0, service.size() - kServiceSuffix.size())) {
    if (c == '.' || c == '-') {
      upper = true;
      continue;
    }
    name.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    upper = false;
  }
  return name;
}

bool isValidServiceName(std::string_view service) {
  if (service.size() <= kServiceSuffix.size() || !service.ends_with(kServiceSuffix)) return false;
  auto label = service.substr(0, service.size() - kServiceSuffix.size());
  if (label.front() == '.' || label.back() == '.' || label.front() == '-') return false;
  return std::all_of(label.begin(), label.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

// /aws-service-role/<service>/: where a service's linked roles live.
std::string linkedRolePath(std::string_view service) {
  return std::string(kServiceLinkedRolePath) + std::string(service) + "/";
}

// The known role name of the service, or one derived from it, with the suffix.
std::string roleName(const ServiceLinkedRoleSpec* spec, std::string_view service, std::string_view suffix) {
  std::string name = spec ? std::string(spec->role_name) : derivedRoleName(service);
  if (!suffix.empty()) {
    name.push_back('_');
    name.append(suffix);
  }
  return name;
}

std::string trustPolicyFor(std::string_view service) {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":[")" + std::string(service) +
         R"("]},"Action":["sts:AssumeRole"]}]})";
}

Result<json> createServiceLinkedRole(store::Store& store, const Call& call, const json& input) {
  const std::string service = inputString(input, "AWSServiceName");
  const std::string suffix = inputString(input, "CustomSuffix");
  if (!isValidServiceName(service))
    return fail(ErrorCode::InvalidInput, "Invalid service name " + service + ". Service names look like <service>.amazonaws.com.");
  const ServiceLinkedRoleSpec* spec = findSpec(service);
  if (!suffix.empty() && spec && !spec->custom_suffix_allowed)
    return fail(ErrorCode::InvalidInput, "Custom suffix is not allowed for " + service);
  const std::string name = roleName(spec, service, suffix);
  const std::string path = linkedRolePath(service);

  std::unique_lock lock(store.mutex());
  Account& account = store.account(call.caller.account_id);
  if (account.roles.contains(name))
    return fail(ErrorCode::InvalidInput,
                "Service role name " + name + " has been taken in this account, please try a different suffix.");
  Role role;
  role.name = name;
  role.path = path;
  role.id = ids::uniqueId(ids::kRolePrefix);
  role.arn = entityArn(account.id, "role", path, name);
  role.create_date = call.now;
  role.trust_policy = store.internTrustPolicy(trustPolicyFor(service));
  role.description = inputString(input, "Description");
  // The service's permissions policy comes attached, when the catalogue has it.
  if (spec && !spec->policy_name.empty()) {
    std::string arn = "arn:aws:iam::aws:policy/aws-service-role/" + std::string(spec->policy_name);
    if (store::findAwsManagedPolicy(arn) != nullptr) {
      ++account.attachment_counts[arn];
      role.attached_policy_arns.push_back(std::move(arn));
    }
  }
  json out = roleToJson(role);
  out.erase("RoleLastUsed");
  account.roles.emplace(name, std::move(role));
  return json{{"Role", std::move(out)}};
}

Result<json> deleteServiceLinkedRole(store::Store& store, const Call& call, const json& input) {
  const std::string name = inputString(input, "RoleName");
  std::unique_lock lock(store.mutex());
  Account& account = store.account(call.caller.account_id);
  auto it = account.roles.find(name);
  if (it == account.roles.end()) return fail(noSuchRole(name));
  Role& role = it->second;
  if (!isServiceLinkedRole(role))
    return fail(ErrorCode::NoSuchEntity, "Role " + role.name + " is not a service-linked role.");
  // AWS deletes asynchronously; here the deletion is done by the time the
  // task id is returned, so its status is SUCCEEDED at once. A role still in
  // an instance profile cannot be deleted: the task records FAILED.
  store::ServiceLinkedRoleDeletion deletion;
  deletion.task_id = "task" + role.path + role.name + "/" + ids::requestId();
  deletion.role_name = role.name;
  if (!role.instance_profile_names.empty()) {
    deletion.status = "FAILED";
  } else {
    deletion.status = "SUCCEEDED";
    for (const auto& arn : role.attached_policy_arns) {
      auto count = account.attachment_counts.find(arn);
      if (count != account.attachment_counts.end() && --count->second <= 0) account.attachment_counts.erase(count);
    }
    setBoundary(account, role.permissions_boundary_arn, {});
    account.roles.erase(it);
  }
  json out = {{"DeletionTaskId", deletion.task_id}};
  account.slr_deletions.emplace(deletion.task_id, std::move(deletion));
  return out;
}

Result<json> getServiceLinkedRoleDeletionStatus(store::Store& store, const Call& call, const json& input) {
  const std::string task_id = inputString(input, "DeletionTaskId");
  if (!startsWith(task_id, "task/aws-service-role/"))
    return fail(ErrorCode::InvalidInput, "Invalid deletion task id " + task_id + ".");
  std::shared_lock lock(store.mutex());
  const Account* account = store.findAccount(call.caller.account_id);
  const store::ServiceLinkedRoleDeletion* deletion = nullptr;
  if (account) {
    auto it = account->slr_deletions.find(task_id);
    if (it != account->slr_deletions.end()) deletion = &it->second;
  }
  if (!deletion) return fail(ErrorCode::NoSuchEntity, "Deletion task " + task_id + " cannot be found.");
  json out = {{"Status", deletion->status}};
  if (deletion->status == "FAILED") {
    // Reason.RoleUsageList names the resources still using the role.
    json usage = json::array();
    auto role = account->roles.find(deletion->role_name);
    if (role != account->roles.end()) {
      json resources = json::array();
      for (const auto& profile_name : role->second.instance_profile_names) {
        auto profile = account->instance_profiles.find(profile_name);
        if (profile != account->instance_profiles.end()) resources.push_back(profile->second.arn);
      }
      usage.push_back(json{{"Region", call.region.empty() ? "us-east-1" : call.region}, {"Resources", resources}});
    }
    out["Reason"] = json{{"Reason", "The role is still used by instance profiles."}, {"RoleUsageList", usage}};
  }
  return out;
}

}  // namespace

std::string serviceLinkedRoleArn(std::string_view account_id, std::string_view service, std::string_view suffix) {
  if (!isValidServiceName(service)) return {};
  return entityArn(account_id, "role", linkedRolePath(service), roleName(findSpec(service), service, suffix));
}

void registerServiceLinkedRoleOperations(OperationTable& table, store::Store& store) {
  auto bind = [&](std::string_view action, auto fn) {
    table.add("iam", action, [&store, fn](const Call& call, const json& input) { return fn(store, call, input); });
  };
  bind("CreateServiceLinkedRole", createServiceLinkedRole);
  bind("DeleteServiceLinkedRole", deleteServiceLinkedRole);
  bind("GetServiceLinkedRoleDeletionStatus", getServiceLinkedRoleDeletionStatus);
}

}  // namespace iamlocal::services::iam
