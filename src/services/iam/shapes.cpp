#include "shapes.h"

#include "iamlocal/core/clock.h"
#include "iamlocal/core/strings.h"

namespace iamlocal::services::iam {

using nlohmann::json;

json tagsToJson(const store::TagList& tags) {
  json out = json::array();
  for (const auto& tag : tags) out.push_back(json{{"Key", tag.key}, {"Value", tag.value}});
  return out;
}

json permissionsBoundaryToJson(std::string_view policy_arn) {
  return json{{"PermissionsBoundaryType", "Policy"}, {"PermissionsBoundaryArn", policy_arn}};
}

json userToJson(const store::User& user, ShapeView view) {
  json out = {{"Path", user.path},
              {"UserName", user.name},
              {"UserId", user.id},
              {"Arn", user.arn},
              {"CreateDate", formatIso8601(user.create_date)}};
  if (user.password_last_used) out["PasswordLastUsed"] = formatIso8601(*user.password_last_used);
  if (view == ShapeView::Full) {
    if (!user.permissions_boundary_arn.empty())
      out["PermissionsBoundary"] = permissionsBoundaryToJson(user.permissions_boundary_arn);
    if (!user.tags.empty()) out["Tags"] = tagsToJson(user.tags);
  }
  return out;
}

json groupToJson(const store::Group& group) {
  return json{{"Path", group.path},
              {"GroupName", group.name},
              {"GroupId", group.id},
              {"Arn", group.arn},
              {"CreateDate", formatIso8601(group.create_date)}};
}

json embeddedRoleToJson(const store::Role& role) {
  return json{{"Path", role.path},
              {"RoleName", role.name},
              {"RoleId", role.id},
              {"Arn", role.arn},
              {"CreateDate", formatIso8601(role.create_date)},
              {"AssumeRolePolicyDocument", uriEncode(role.assume_role_policy)}};
}

json roleToJson(const store::Role& role, ShapeView view) {
  json out = embeddedRoleToJson(role);
  if (!role.description.empty()) out["Description"] = role.description;
  out["MaxSessionDuration"] = role.max_session_duration;
  if (view == ShapeView::Full) {
    if (!role.permissions_boundary_arn.empty())
      out["PermissionsBoundary"] = permissionsBoundaryToJson(role.permissions_boundary_arn);
    if (!role.tags.empty()) out["Tags"] = tagsToJson(role.tags);
    json last_used = json::object();
    if (role.last_used_date) {
      last_used["LastUsedDate"] = formatIso8601(*role.last_used_date);
      if (!role.last_used_region.empty()) last_used["Region"] = role.last_used_region;
    }
    out["RoleLastUsed"] = std::move(last_used);
  }
  return out;
}

json instanceProfileToJson(const store::Account& account, const store::InstanceProfile& profile) {
  json roles = json::array();
  for (const auto& name : profile.role_names) {
    auto it = account.roles.find(name);
    if (it != account.roles.end()) roles.push_back(embeddedRoleToJson(it->second));
  }
  json out = {{"Path", profile.path},
              {"InstanceProfileName", profile.name},
              {"InstanceProfileId", profile.id},
              {"Arn", profile.arn},
              {"CreateDate", formatIso8601(profile.create_date)},
              {"Roles", std::move(roles)}};
  if (!profile.tags.empty()) out["Tags"] = tagsToJson(profile.tags);
  return out;
}

}  // namespace iamlocal::services::iam
