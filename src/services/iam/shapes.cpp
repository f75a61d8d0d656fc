#include "shapes.h"

#include "iamlocal/core/clock.h"
#include "iamlocal/core/strings.h"
#include "iamlocal/services/operation.h"

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
  json out;
  auto& o = newObject(out);
  o.emplace("Path", user.path);
  o.emplace("UserName", user.name);
  o.emplace("UserId", user.id);
  o.emplace("Arn", user.arn);
  o.emplace("CreateDate", formatIso8601(user.create_date));
  if (user.password_last_used) o.emplace("PasswordLastUsed", formatIso8601(*user.password_last_used));
  if (view == ShapeView::Full) {
    if (!user.permissions_boundary_arn.empty())
      out["PermissionsBoundary"] = permissionsBoundaryToJson(user.permissions_boundary_arn);
    if (!user.tags.empty()) out["Tags"] = tagsToJson(user.tags);
  }
  return out;
}

json groupToJson(const store::Group& group) {
  json out;
  auto& o = newObject(out);
  o.emplace("Path", group.path);
  o.emplace("GroupName", group.name);
  o.emplace("GroupId", group.id);
  o.emplace("Arn", group.arn);
  o.emplace("CreateDate", formatIso8601(group.create_date));
  return out;
}

namespace {

// The Role members both forms share, appended in key order so that each
// insertion into the (sorted) object is at its end.
void addRoleBasics(json::object_t& o, const store::Role& role) {
  o.emplace_hint(o.end(), "Arn", role.arn);
  o.emplace_hint(o.end(), "AssumeRolePolicyDocument", role.trust_policy ? role.trust_policy->uri : std::string());
  o.emplace_hint(o.end(), "CreateDate", formatIso8601(role.create_date));
}

}  // namespace

json embeddedRoleToJson(const store::Role& role) {
  json out;
  auto& o = newObject(out);
  addRoleBasics(o, role);
  o.emplace_hint(o.end(), "Path", role.path);
  o.emplace_hint(o.end(), "RoleId", role.id);
  o.emplace_hint(o.end(), "RoleName", role.name);
  return out;
}

json roleToJson(const store::Role& role, ShapeView view) {
  json out;
  auto& o = newObject(out);
  addRoleBasics(o, role);
  if (!role.description.empty()) o.emplace_hint(o.end(), "Description", role.description);
  o.emplace_hint(o.end(), "MaxSessionDuration", role.max_session_duration);
  o.emplace_hint(o.end(), "Path", role.path);
  o.emplace_hint(o.end(), "RoleId", role.id);
  o.emplace_hint(o.end(), "RoleName", role.name);
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

void addListedRole(protocol::XmlListWriter& list, const store::Role& role) {
  using protocol::ScalarField;
  ScalarField fields[8] = {
      {"Path", std::string_view(role.path)},
      {"RoleName", std::string_view(role.name)},
      {"RoleId", std::string_view(role.id)},
      {"Arn", std::string_view(role.arn)},
      {"CreateDate", role.create_date},
      {"AssumeRolePolicyDocument", role.trust_policy ? std::string_view(role.trust_policy->uri) : std::string_view()},
      {"MaxSessionDuration", std::int64_t{role.max_session_duration}},
      {"Description", std::string_view(role.description)},
  };
  // Description only when set, as roleToJson.
  list.add(std::span<const ScalarField>(fields, role.description.empty() ? 7 : 8));
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
