// The IAM access table: for every IAM operation, the action and resource
// the Service Authorization Reference ("Actions, resources, and condition
// keys for AWS Identity and Access Management") lists for it, and the
// condition keys its request sets. One row per operation; a few operations
// need a second check (AddRoleToInstanceProfile also passes the role).
//
// Resources are the entity's ARN with its path, as AWS authorizes them: the
// stored entity's path when it exists, the request's Path for Create*, "/"
// otherwise. Listings are authorized on the path prefix they list
// ("arn:aws:iam::ACCT:user/" for ListUsers), as AWS's denials show.
#include <array>
#include <mutex>
#include <shared_mutex>

#include "iamlocal/services/authorizer.h"
#include "operations.h"

namespace iamlocal::services {
namespace {

using nlohmann::json;
using policy::ContextEntry;
using policy::ContextKeyType;

enum class Res {
  Star,             // no resource type: "*"
  User,             // member names a user; absent: the caller
  Group,            // member names a group
  Role,             // member names a role
  InstanceProfile,  // member names an instance profile
  ServerCert,       // member names a server certificate
  Arn,              // member is the resource's ARN (PolicyArn, SerialNumber, provider ARNs, PolicySourceArn)
  NewUser,          // Create*: member is the name, the input's Path the path
  NewGroup,
  NewRole,
  NewPolicy,
  NewInstanceProfile,
  NewMfa,
  NewServerCert,
  NewOidc,         // member is the provider URL
  NewSaml,         // member is the provider name
  Listing,         // member is the ARN kind listed under the input's PathPrefix
  PolicyListing,   // ListPolicies: AWS names the resource "policy path <prefix>"
  AccessKeyOwner,  // member is an access key id: its user
  LinkedRole,      // CreateServiceLinkedRole: member is the AWSServiceName
  LinkedRoleTask,  // GetServiceLinkedRoleDeletionStatus: member is the task id
  AccessReport,    // member is the EntityPath of an Organizations access report
};

enum Flags : unsigned {
  kNone = 0,
  kRequestTags = 1,      // aws:RequestTag/<k> and aws:TagKeys from Tags
  kTagKeys = 2,          // aws:TagKeys from TagKeys
  kBoundary = 4,         // iam:PermissionsBoundary from PermissionsBoundary
  kCurrentBoundary = 8,  // iam:PermissionsBoundary: the entity's present boundary
  kPolicyArn = 16,       // iam:PolicyARN from PolicyArn
  kPassRole = 32,        // also iam:PassRole on RoleName's role
};

struct Rule {
  std::string_view operation;
  Res resource;
  std::string_view member = {};
  unsigned flags = kNone;
  // Creating with Tags also needs this action on the new entity (the
  // Service Authorization Reference's operation table: CreateUser is
  // authorized as iam:CreateUser and iam:TagUser).
  std::string_view tag_action = {};
};

// Every operation of the IAM API (the vendored model's 176), with the
// resource type the Service Authorization Reference lists for it. The
// action is "iam:" + the operation for all of them.
constexpr auto kRules = std::to_array<Rule>({
    // Users.
    {"CreateUser", Res::NewUser, "UserName", kRequestTags | kBoundary, "iam:TagUser"},
    {"GetUser", Res::User, "UserName"},
    {"UpdateUser", Res::User, "UserName"},
    {"DeleteUser", Res::User, "UserName"},
    {"ListUsers", Res::Listing, "user"},
    {"TagUser", Res::User, "UserName", kRequestTags},
    {"UntagUser", Res::User, "UserName", kTagKeys},
    {"ListUserTags", Res::User, "UserName"},
    {"PutUserPermissionsBoundary", Res::User, "UserName", kBoundary},
    {"DeleteUserPermissionsBoundary", Res::User, "UserName", kCurrentBoundary},
    {"ListGroupsForUser", Res::User, "UserName"},
    // Login profiles, passwords, keys and credentials of a user.
    {"CreateLoginProfile", Res::User, "UserName"},
    {"GetLoginProfile", Res::User, "UserName"},
    {"UpdateLoginProfile", Res::User, "UserName"},
    {"DeleteLoginProfile", Res::User, "UserName"},
    {"ChangePassword", Res::User, "UserName"},  // no UserName member: always the caller
    {"CreateAccessKey", Res::User, "UserName"},
    {"ListAccessKeys", Res::User, "UserName"},
    {"UpdateAccessKey", Res::User, "UserName"},
    {"DeleteAccessKey", Res::User, "UserName"},
    {"GetAccessKeyLastUsed", Res::AccessKeyOwner, "AccessKeyId"},
    {"UploadSigningCertificate", Res::User, "UserName"},
    {"ListSigningCertificates", Res::User, "UserName"},
    {"UpdateSigningCertificate", Res::User, "UserName"},
    {"DeleteSigningCertificate", Res::User, "UserName"},
    {"UploadSSHPublicKey", Res::User, "UserName"},
    {"GetSSHPublicKey", Res::User, "UserName"},
    {"ListSSHPublicKeys", Res::User, "UserName"},
    {"UpdateSSHPublicKey", Res::User, "UserName"},
    {"DeleteSSHPublicKey", Res::User, "UserName"},
    {"CreateServiceSpecificCredential", Res::User, "UserName"},
    {"ListServiceSpecificCredentials", Res::User, "UserName"},
    {"ResetServiceSpecificCredential", Res::User, "UserName"},
    {"UpdateServiceSpecificCredential", Res::User, "UserName"},
    {"DeleteServiceSpecificCredential", Res::User, "UserName"},
    // MFA: enabling, resyncing and listing act on the user; the device's own
    // operations on the mfa resource.
    {"EnableMFADevice", Res::User, "UserName"},
    {"ResyncMFADevice", Res::User, "UserName"},
    {"DeactivateMFADevice", Res::User, "UserName"},
    {"ListMFADevices", Res::User, "UserName"},
    {"GetMFADevice", Res::User, "UserName"},
    {"CreateVirtualMFADevice", Res::NewMfa, "VirtualMFADeviceName", kRequestTags, "iam:TagMFADevice"},
    {"DeleteVirtualMFADevice", Res::Arn, "SerialNumber"},
    {"ListVirtualMFADevices", Res::Listing, "mfa"},
    {"TagMFADevice", Res::Arn, "SerialNumber", kRequestTags},
    {"UntagMFADevice", Res::Arn, "SerialNumber", kTagKeys},
    {"ListMFADeviceTags", Res::Arn, "SerialNumber"},
    // Groups.
    {"CreateGroup", Res::NewGroup, "GroupName"},
    {"GetGroup", Res::Group, "GroupName"},
    {"UpdateGroup", Res::Group, "GroupName"},
    {"DeleteGroup", Res::Group, "GroupName"},
    {"ListGroups", Res::Listing, "group"},
    {"AddUserToGroup", Res::Group, "GroupName"},
    {"RemoveUserFromGroup", Res::Group, "GroupName"},
    // Roles.
    {"CreateRole", Res::NewRole, "RoleName", kRequestTags | kBoundary, "iam:TagRole"},
    {"GetRole", Res::Role, "RoleName", kCurrentBoundary},
    {"UpdateRole", Res::Role, "RoleName", kCurrentBoundary},
    {"UpdateRoleDescription", Res::Role, "RoleName", kCurrentBoundary},
    {"UpdateAssumeRolePolicy", Res::Role, "RoleName", kCurrentBoundary},
    {"DeleteRole", Res::Role, "RoleName", kCurrentBoundary},
    {"ListRoles", Res::Listing, "role"},
    {"TagRole", Res::Role, "RoleName", kRequestTags},
    {"UntagRole", Res::Role, "RoleName", kTagKeys},
    {"ListRoleTags", Res::Role, "RoleName"},
    {"PutRolePermissionsBoundary", Res::Role, "RoleName", kBoundary},
    {"DeleteRolePermissionsBoundary", Res::Role, "RoleName", kCurrentBoundary},
    {"ListInstanceProfilesForRole", Res::Role, "RoleName"},
    {"CreateServiceLinkedRole", Res::LinkedRole, "AWSServiceName"},
    {"DeleteServiceLinkedRole", Res::Role, "RoleName"},
    {"GetServiceLinkedRoleDeletionStatus", Res::LinkedRoleTask, "DeletionTaskId"},
    // Instance profiles.
    {"CreateInstanceProfile", Res::NewInstanceProfile, "InstanceProfileName", kRequestTags, "iam:TagInstanceProfile"},
    {"GetInstanceProfile", Res::InstanceProfile, "InstanceProfileName"},
    {"DeleteInstanceProfile", Res::InstanceProfile, "InstanceProfileName"},
    {"ListInstanceProfiles", Res::Listing, "instance-profile"},
    {"AddRoleToInstanceProfile", Res::InstanceProfile, "InstanceProfileName", kPassRole},
    {"RemoveRoleFromInstanceProfile", Res::InstanceProfile, "InstanceProfileName"},
    {"TagInstanceProfile", Res::InstanceProfile, "InstanceProfileName", kRequestTags},
    {"UntagInstanceProfile", Res::InstanceProfile, "InstanceProfileName", kTagKeys},
    {"ListInstanceProfileTags", Res::InstanceProfile, "InstanceProfileName"},
    // Managed policies and their versions.
    {"CreatePolicy", Res::NewPolicy, "PolicyName", kRequestTags, "iam:TagPolicy"},
    {"GetPolicy", Res::Arn, "PolicyArn"},
    {"DeletePolicy", Res::Arn, "PolicyArn"},
    {"ListPolicies", Res::PolicyListing},
    {"CreatePolicyVersion", Res::Arn, "PolicyArn"},
    {"GetPolicyVersion", Res::Arn, "PolicyArn"},
    {"DeletePolicyVersion", Res::Arn, "PolicyArn"},
    {"ListPolicyVersions", Res::Arn, "PolicyArn"},
    {"SetDefaultPolicyVersion", Res::Arn, "PolicyArn"},
    {"ListEntitiesForPolicy", Res::Arn, "PolicyArn"},
    {"TagPolicy", Res::Arn, "PolicyArn", kRequestTags},
    {"UntagPolicy", Res::Arn, "PolicyArn", kTagKeys},
    {"ListPolicyTags", Res::Arn, "PolicyArn"},
    // Attachments: on the principal, with the policy as iam:PolicyARN.
    {"AttachUserPolicy", Res::User, "UserName", kPolicyArn | kCurrentBoundary},
    {"DetachUserPolicy", Res::User, "UserName", kPolicyArn | kCurrentBoundary},
    {"ListAttachedUserPolicies", Res::User, "UserName"},
    {"AttachGroupPolicy", Res::Group, "GroupName", kPolicyArn},
    {"DetachGroupPolicy", Res::Group, "GroupName", kPolicyArn},
    {"ListAttachedGroupPolicies", Res::Group, "GroupName"},
    {"AttachRolePolicy", Res::Role, "RoleName", kPolicyArn | kCurrentBoundary},
    {"DetachRolePolicy", Res::Role, "RoleName", kPolicyArn | kCurrentBoundary},
    {"ListAttachedRolePolicies", Res::Role, "RoleName"},
    // Inline policies.
    {"PutUserPolicy", Res::User, "UserName", kCurrentBoundary},
    {"GetUserPolicy", Res::User, "UserName"},
    {"DeleteUserPolicy", Res::User, "UserName", kCurrentBoundary},
    {"ListUserPolicies", Res::User, "UserName"},
    {"PutGroupPolicy", Res::Group, "GroupName"},
    {"GetGroupPolicy", Res::Group, "GroupName"},
    {"DeleteGroupPolicy", Res::Group, "GroupName"},
    {"ListGroupPolicies", Res::Group, "GroupName"},
    {"PutRolePolicy", Res::Role, "RoleName", kCurrentBoundary},
    {"GetRolePolicy", Res::Role, "RoleName"},
    {"DeleteRolePolicy", Res::Role, "RoleName", kCurrentBoundary},
    {"ListRolePolicies", Res::Role, "RoleName"},
    // Server certificates.
    {"UploadServerCertificate", Res::NewServerCert, "ServerCertificateName", kRequestTags, "iam:TagServerCertificate"},
    {"GetServerCertificate", Res::ServerCert, "ServerCertificateName"},
    {"UpdateServerCertificate", Res::ServerCert, "ServerCertificateName"},
    {"DeleteServerCertificate", Res::ServerCert, "ServerCertificateName"},
    {"ListServerCertificates", Res::Listing, "server-certificate"},
    {"TagServerCertificate", Res::ServerCert, "ServerCertificateName", kRequestTags},
    {"UntagServerCertificate", Res::ServerCert, "ServerCertificateName", kTagKeys},
    {"ListServerCertificateTags", Res::ServerCert, "ServerCertificateName"},
    // Identity providers.
    {"CreateOpenIDConnectProvider", Res::NewOidc, "Url", kRequestTags, "iam:TagOpenIDConnectProvider"},
    {"GetOpenIDConnectProvider", Res::Arn, "OpenIDConnectProviderArn"},
    {"DeleteOpenIDConnectProvider", Res::Arn, "OpenIDConnectProviderArn"},
    {"AddClientIDToOpenIDConnectProvider", Res::Arn, "OpenIDConnectProviderArn"},
    {"RemoveClientIDFromOpenIDConnectProvider", Res::Arn, "OpenIDConnectProviderArn"},
    {"UpdateOpenIDConnectProviderThumbprint", Res::Arn, "OpenIDConnectProviderArn"},
    {"TagOpenIDConnectProvider", Res::Arn, "OpenIDConnectProviderArn", kRequestTags},
    {"UntagOpenIDConnectProvider", Res::Arn, "OpenIDConnectProviderArn", kTagKeys},
    {"ListOpenIDConnectProviderTags", Res::Arn, "OpenIDConnectProviderArn"},
    {"ListOpenIDConnectProviders", Res::Star},
    {"CreateSAMLProvider", Res::NewSaml, "Name", kRequestTags, "iam:TagSAMLProvider"},
    {"GetSAMLProvider", Res::Arn, "SAMLProviderArn"},
    {"UpdateSAMLProvider", Res::Arn, "SAMLProviderArn"},
    {"DeleteSAMLProvider", Res::Arn, "SAMLProviderArn"},
    {"TagSAMLProvider", Res::Arn, "SAMLProviderArn", kRequestTags},
    {"UntagSAMLProvider", Res::Arn, "SAMLProviderArn", kTagKeys},
    {"ListSAMLProviderTags", Res::Arn, "SAMLProviderArn"},
    {"ListSAMLProviders", Res::Star},
    // The account.
    {"CreateAccountAlias", Res::Star},
    {"DeleteAccountAlias", Res::Star},
    {"ListAccountAliases", Res::Star},
    {"GetAccountSummary", Res::Star},
    {"GetAccountAuthorizationDetails", Res::Star},
    {"GetAccountPasswordPolicy", Res::Star},
    {"UpdateAccountPasswordPolicy", Res::Star},
    {"DeleteAccountPasswordPolicy", Res::Star},
    {"GenerateCredentialReport", Res::Star},
    {"GetCredentialReport", Res::Star},
    {"SetSecurityTokenServicePreferences", Res::Star},
    // The policy simulator: a principal's policies are read from its ARN.
    {"SimulatePrincipalPolicy", Res::Arn, "PolicySourceArn"},
    {"GetContextKeysForPrincipalPolicy", Res::Arn, "PolicySourceArn"},
    {"SimulateCustomPolicy", Res::Star},
    {"GetContextKeysForCustomPolicy", Res::Star},
    // Access reports.
    {"GenerateServiceLastAccessedDetails", Res::Arn, "Arn"},
    {"GetServiceLastAccessedDetails", Res::Star},
    {"GetServiceLastAccessedDetailsWithEntities", Res::Star},
    {"ListPoliciesGrantingServiceAccess", Res::Arn, "Arn"},
    {"GenerateOrganizationsAccessReport", Res::AccessReport, "EntityPath"},
    {"GetOrganizationsAccessReport", Res::Star},
    // Organizations-wide features and outbound identity federation.
    {"ListOrganizationsFeatures", Res::Star},
    {"EnableOrganizationsRootCredentialsManagement", Res::Star},
    {"DisableOrganizationsRootCredentialsManagement", Res::Star},
    {"EnableOrganizationsRootSessions", Res::Star},
    {"DisableOrganizationsRootSessions", Res::Star},
    {"EnableOutboundWebIdentityFederation", Res::Star},
    {"DisableOutboundWebIdentityFederation", Res::Star},
    {"GetOutboundWebIdentityFederationInfo", Res::Star},
    {"GetHumanReadableSummary", Res::Star},
    // Delegation requests: no resource type is documented for them yet.
    {"CreateDelegationRequest", Res::Star},
    {"GetDelegationRequest", Res::Star},
    {"ListDelegationRequests", Res::Star},
    {"AcceptDelegationRequest", Res::Star},
    {"AssociateDelegationRequest", Res::Star},
    {"RejectDelegationRequest", Res::Star},
    {"UpdateDelegationRequest", Res::Star},
    {"SendDelegationToken", Res::Star},
});

std::string_view str(const json& input, std::string_view member) {
  if (member.empty()) return {};
  auto it = input.find(member);
  return it != input.end() && it->is_string() ? std::string_view(it->get_ref<const std::string&>()) : std::string_view();
}

// The path an input gives a new entity, "/" by default.
std::string_view pathOf(const json& input, std::string_view member = "Path") {
  std::string_view path = str(input, member);
  return path.empty() ? std::string_view("/") : path;
}

template <typename Map>
std::string storedArn(const store::Account* account, const Map& (*pick)(const store::Account&), std::string_view kind,
                      std::string_view account_id, std::string_view name) {
  if (account != nullptr) {
    const Map& map = pick(*account);
    if (auto it = map.find(name); it != map.end()) return it->second.arn;
  }
  return iam::entityArn(account_id, kind, "/", name);
}

const store::ByName<store::User>& usersOf(const store::Account& a) { return a.users; }
const store::ByName<store::Group>& groupsOf(const store::Account& a) { return a.groups; }
const store::ByName<store::Role>& rolesOf(const store::Account& a) { return a.roles; }
const store::ByName<store::InstanceProfile>& profilesOf(const store::Account& a) { return a.instance_profiles; }

// The caller's own ARN, for user operations whose UserName is omitted.
std::string callerResource(const Call& call) { return call.caller.arn; }

void addTagKeys(const json& input, AccessCheck& check) {
  auto keys = input.find("TagKeys");
  if (keys == input.end() || !keys->is_array()) return;
  ContextEntry entry{"aws:tagkeys", ContextKeyType::StringList, {}};
  for (const auto& k : *keys)
    if (k.is_string()) entry.values.push_back(k.get<std::string>());
  check.context.push_back(std::move(entry));
}

void describe(const store::Store& store, const Rule& rule, const Call& call, const json& input,
              std::vector<AccessCheck>& out) {
  const std::string& account_id = call.caller.account_id;
  AccessCheck check;
  check.action = "iam:";
  check.action.append(rule.operation);

  std::shared_lock lock(store.mutex());
  const store::Account* account = store.findAccount(account_id);
  const std::string_view value = str(input, rule.member);
  std::string current_boundary;
  switch (rule.resource) {
    case Res::Star:
      check.resource = "*";
      break;
    case Res::User:
      if (value.empty()) {
        check.resource = callerResource(call);
      } else {
        check.resource = storedArn(account, usersOf, "user", account_id, value);
        if (account != nullptr)
          if (auto it = account->users.find(value); it != account->users.end())
            current_boundary = it->second.permissions_boundary_arn;
      }
      break;
    case Res::Group:
      check.resource = storedArn(account, groupsOf, "group", account_id, value);
      break;
    case Res::Role:
      check.resource = storedArn(account, rolesOf, "role", account_id, value);
      if (account != nullptr)
        if (auto it = account->roles.find(value); it != account->roles.end())
          current_boundary = it->second.permissions_boundary_arn;
      break;
    case Res::InstanceProfile:
      check.resource = storedArn(account, profilesOf, "instance-profile", account_id, value);
      break;
    case Res::ServerCert:
      check.resource = iam::entityArn(account_id, "server-certificate", "/", value);
      break;
    case Res::Arn:
      check.resource = value.empty() ? std::string("*") : std::string(value);
      break;
    case Res::NewUser:
      check.resource = iam::entityArn(account_id, "user", pathOf(input), value);
      break;
    case Res::NewGroup:
      check.resource = iam::entityArn(account_id, "group", pathOf(input), value);
      break;
    case Res::NewRole:
      check.resource = iam::entityArn(account_id, "role", pathOf(input), value);
      break;
    case Res::NewPolicy:
      check.resource = iam::entityArn(account_id, "policy", pathOf(input), value);
      break;
    case Res::NewInstanceProfile:
      check.resource = iam::entityArn(account_id, "instance-profile", pathOf(input), value);
      break;
    case Res::NewMfa:
      check.resource = iam::entityArn(account_id, "mfa", pathOf(input), value);
      break;
    case Res::NewServerCert:
      check.resource = iam::entityArn(account_id, "server-certificate", pathOf(input), value);
      break;
    case Res::NewOidc: {
      std::string_view url = value;
      if (auto scheme = url.find("://"); scheme != std::string_view::npos) url.remove_prefix(scheme + 3);
      check.resource = "arn:aws:iam::" + account_id + ":oidc-provider/" + std::string(url);
      break;
    }
    case Res::NewSaml:
      check.resource = "arn:aws:iam::" + account_id + ":saml-provider/" + std::string(value);
      break;
    case Res::Listing:
      check.resource = iam::entityArn(account_id, rule.member, pathOf(input, "PathPrefix"), "");
      break;
    case Res::PolicyListing:
      check.resource = "policy path " + std::string(pathOf(input, "PathPrefix"));
      break;
    case Res::AccessKeyOwner: {
      // The key's user; a key that is not an IAM user's answers as the caller's.
      check.resource = callerResource(call);
      if (account != nullptr)
        if (auto key = account->access_keys.find(value); key != account->access_keys.end())
          check.resource = storedArn(account, usersOf, "user", account_id, key->second.user_name);
      break;
    }
    case Res::LinkedRole:
      // The role it will create, under /aws-service-role/<service>/; a name
      // that is not a service's, only the path (the handler refuses it).
      check.resource = iam::serviceLinkedRoleArn(account_id, value, str(input, "CustomSuffix"));
      if (check.resource.empty())
        check.resource = "arn:aws:iam::" + account_id + ":role/aws-service-role/" + std::string(value) + "/";
      check.context.push_back(ContextEntry{"iam:awsservicename", ContextKeyType::String, {std::string(value)}});
      break;
    case Res::LinkedRoleTask: {
      // "task/aws-service-role/<service>/<role name>/<id>": the role's ARN.
      std::string_view task = value;
      constexpr std::string_view kTask = "task/";
      const auto last = task.rfind('/');
      if (task.starts_with(kTask) && last != std::string_view::npos && last > kTask.size())
        check.resource = "arn:aws:iam::" + account_id + ":role/" + std::string(task.substr(5, last - 5));
      else
        check.resource = "*";
      break;
    }
    case Res::AccessReport:
      check.resource = "arn:aws:iam::" + account_id + ":access-report/" + std::string(value);
      break;
  }
  lock.unlock();

  if (rule.flags & kRequestTags) appendRequestTags(input, check.context);
  if (rule.flags & kTagKeys) addTagKeys(input, check);
  if (rule.flags & kBoundary) {
    if (std::string_view b = str(input, "PermissionsBoundary"); !b.empty())
      check.context.push_back(ContextEntry{"iam:permissionsboundary", ContextKeyType::String, {std::string(b)}});
  }
  if ((rule.flags & kCurrentBoundary) && !current_boundary.empty())
    check.context.push_back(ContextEntry{"iam:permissionsboundary", ContextKeyType::String, {current_boundary}});
  if (rule.flags & kPolicyArn) {
    if (std::string_view p = str(input, "PolicyArn"); !p.empty())
      check.context.push_back(ContextEntry{"iam:policyarn", ContextKeyType::String, {std::string(p)}});
  }
  out.push_back(std::move(check));
  if (!rule.tag_action.empty() && setsTags(input)) {
    AccessCheck tagging{std::string(rule.tag_action), out.back().resource, {}};
    appendRequestTags(input, tagging.context);
    out.push_back(std::move(tagging));
  }

  if (rule.flags & kPassRole) {
    // "The caller of this operation must be granted the PassRole permission
    // on the IAM role" (AddRoleToInstanceProfile); the role goes to EC2.
    AccessCheck pass;
    pass.action = "iam:PassRole";
    {
      std::shared_lock relock(store.mutex());
      pass.resource = storedArn(store.findAccount(account_id), rolesOf, "role", account_id, str(input, "RoleName"));
    }
    pass.context.push_back(ContextEntry{"iam:passedtoservice", ContextKeyType::String, {"ec2.amazonaws.com"}});
    pass.context.push_back(ContextEntry{"iam:associatedresourcearn", ContextKeyType::String,
                                        {"arn:aws:ec2:*:" + account_id + ":instance/*"}});
    out.push_back(std::move(pass));
  }
}

}  // namespace

void registerIamAccess(OperationTable& table, const store::Store& store) {
  for (const Rule& rule : kRules) {
    table.setAccess("iam", rule.operation, [&store, &rule](const Call& call, const json& input, std::vector<AccessCheck>& out) {
      describe(store, rule, call, input, out);
    });
  }
}

}  // namespace iamlocal::services
