// The IAM output shapes built from store entities (User, Group, Role,
// InstanceProfile, Tag lists), shared by the identity operations and
// GetAccountAuthorizationDetails. Member names are the model's.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "iamlocal/protocol/model.h"
#include "iamlocal/store/store.h"

namespace iamlocal::services::iam {

// [{Key, Value}, ...] in the order the tags were added.
nlohmann::json tagsToJson(const store::TagList& tags);

// {PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: arn}.
nlohmann::json permissionsBoundaryToJson(std::string_view policy_arn);

// AWS's listing operations return a subset of each entity's members
// (ListUsers and ListRoles document that they omit PermissionsBoundary,
// Tags and RoleLastUsed); Get*/Create* return the full shape.
enum class ShapeView {
  Full,    // GetUser, GetRole, CreateUser, CreateRole, Update*
  Listed,  // ListUsers, ListRoles, GetGroup's Users, ListInstanceProfiles' Roles
};

// The `User` shape: Path, UserName, UserId, Arn, CreateDate, PasswordLastUsed
// (when the user ever signed in), and in the Full view PermissionsBoundary
// (when set) and Tags (when any).
nlohmann::json userToJson(const store::User& user, ShapeView view = ShapeView::Full);

// The `Group` shape: Path, GroupName, GroupId, Arn, CreateDate.
nlohmann::json groupToJson(const store::Group& group);

// The `Role` shape. AssumeRolePolicyDocument is URL-encoded as AWS returns
// it. Description when non-empty, MaxSessionDuration always. The Full view
// adds PermissionsBoundary (when set), Tags (when any) and RoleLastUsed
// (always present, empty until the role is used, as GetRole shows it).
nlohmann::json roleToJson(const store::Role& role, ShapeView view = ShapeView::Full);

// Appends the role's Listed view (the members roleToJson gives it) to a
// ListRoles page without building a json tree; `role` need only outlive the
// call.
void addListedRole(protocol::XmlListWriter& list, const store::Role& role);

// The role as AWS embeds it in an InstanceProfile's Roles: Path, RoleName,
// RoleId, Arn, CreateDate, AssumeRolePolicyDocument only.
nlohmann::json embeddedRoleToJson(const store::Role& role);

// The `InstanceProfile` shape with its Roles (looked up in `account`) and
// Tags (when any).
nlohmann::json instanceProfileToJson(const store::Account& account, const store::InstanceProfile& profile);

}  // namespace iamlocal::services::iam
