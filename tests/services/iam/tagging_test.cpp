// The Tag/Untag/List*Tags family behaves the same for every taggable kind;
// only the entity's name, its input member and its NoSuchEntity text differ.
#include <string>
#include <vector>

#include "identity_test_fixture.h"

namespace iamlocal::services::iam::identity_testing {
namespace {

class TagOperations : public IdentityTest {};

struct KindCase {
  std::string name;        // "User": TagUser, UntagUser, ListUserTags, TagsPerUser
  std::string key_member;  // the input member naming the entity
  std::string missing;     // a key naming no entity
  std::string not_found;   // AWS's NoSuchEntity text for it
};

const std::vector<KindCase>& kinds() {
  static const std::vector<KindCase> cases = {
      {"User", "UserName", "ghost", "The user with name ghost cannot be found."},
      {"Role", "RoleName", "ghost", "The role with name ghost cannot be found."},
      {"InstanceProfile", "InstanceProfileName", "ghost", "Instance Profile ghost cannot be found."},
      {"MFADevice", "SerialNumber", "arn:aws:iam::123456789012:mfa/ghost",
       "VirtualMFADevice with serial number arn:aws:iam::123456789012:mfa/ghost doesn't exist."},
      {"Policy", "PolicyArn", "arn:aws:iam::123456789012:policy/ghost",
       "Policy arn:aws:iam::123456789012:policy/ghost was not found."},
  };
  return cases;
}

json tag(const std::string& key, const std::string& value) { return {{"Key", key}, {"Value", value}}; }

class TagOperationsForEveryKind : public TagOperations {
 protected:
  // Creates one entity of `kind` and returns the key naming it.
  std::string create(const KindCase& kind) {
    if (kind.name == "User") return ok("CreateUser", {{"UserName", "u"}})["User"].value("UserName", "");
    if (kind.name == "Role") return createRole("r")["Role"].value("RoleName", "");
    if (kind.name == "InstanceProfile")
      return ok("CreateInstanceProfile", {{"InstanceProfileName", "ip"}})["InstanceProfile"].value("InstanceProfileName", "");
    if (kind.name == "MFADevice")
      return ok("CreateVirtualMFADevice", {{"VirtualMFADeviceName", "phone"}})["VirtualMFADevice"].value("SerialNumber", "");
    return createPolicy("p");
  }
  json listTags(const KindCase& kind, const std::string& key, json extra = json::object()) {
    extra[kind.key_member] = key;
    return ok("List" + kind.name + "Tags", extra);
  }
};

TEST_F(TagOperationsForEveryKind, TagMergesKeysIgnoringCaseListSortsAndPagesAndUntagIgnoresCase) {
  for (const auto& kind : kinds()) {
    SCOPED_TRACE(kind.name);
    const std::string key = create(kind);
    ASSERT_FALSE(key.empty());
    EXPECT_EQ(ok("Tag" + kind.name, {{kind.key_member, key}, {"Tags", {tag("team", "a"), tag("Env", "prod")}}}),
              json::object());
    // The new spelling and value of an existing key replace the old ones.
    ok("Tag" + kind.name, {{kind.key_member, key}, {"Tags", {tag("Team", "b")}}});
    EXPECT_EQ(listTags(kind, key)["Tags"], json::array({tag("Env", "prod"), tag("Team", "b")}));

    const json page = listTags(kind, key, {{"MaxItems", 1}});
    EXPECT_EQ(page["Tags"], json::array({tag("Env", "prod")}));
    EXPECT_EQ(page["IsTruncated"], true);
    const json rest = listTags(kind, key, {{"Marker", page["Marker"]}});
    EXPECT_EQ(rest["Tags"], json::array({tag("Team", "b")}));
    EXPECT_EQ(rest["IsTruncated"], false);
    EXPECT_FALSE(rest.contains("Marker"));

    EXPECT_EQ(ok("Untag" + kind.name, {{kind.key_member, key}, {"TagKeys", {"TEAM", "absent"}}}), json::object());
    EXPECT_EQ(listTags(kind, key)["Tags"], json::array({tag("Env", "prod")}));
  }
}

TEST_F(TagOperationsForEveryKind, RefusedTagRequestsChangeNothingAndNameTheKindsQuota) {
  for (const auto& kind : kinds()) {
    SCOPED_TRACE(kind.name);
    const std::string key = create(kind);
    json fifty = json::array();
    for (int i = 0; i < 50; ++i) fifty.push_back(tag(std::string("k").append(std::to_string(i)), "v"));
    ok("Tag" + kind.name, {{kind.key_member, key}, {"Tags", fifty}});
    // Re-tagging existing keys stays within the quota; one new key does not.
    ok("Tag" + kind.name, {{kind.key_member, key}, {"Tags", {tag("K0", "w")}}});
    expectError("Tag" + kind.name, {{kind.key_member, key}, {"Tags", {tag("k1", "x"), tag("new", "v")}}},
                ErrorCode::LimitExceeded, "Cannot exceed quota for TagsPer" + kind.name + ": 50");
    expectError("Tag" + kind.name, {{kind.key_member, key}, {"Tags", {tag("dup", "1"), tag("DUP", "2")}}},
                ErrorCode::InvalidInput, "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
    expectError("Tag" + kind.name, {{kind.key_member, key}, {"Tags", {tag("AWS:x", "1")}}}, ErrorCode::InvalidInput,
                "Tag keys starting with 'aws:' are reserved for internal use");
    const json tags = listTags(kind, key)["Tags"];
    ASSERT_EQ(tags.size(), 50u);
    // Sorted by key as bytes: "K0" < "k1" < "k10".
    EXPECT_EQ(tags[0], tag("K0", "w"));
    EXPECT_EQ(tags[1], tag("k1", "v"));
    EXPECT_EQ(tags[2], tag("k10", "v"));
  }
}

TEST_F(TagOperationsForEveryKind, UnknownEntityIsTheKindsNoSuchEntityInAllThreeOperations) {
  for (const auto& kind : kinds()) {
    SCOPED_TRACE(kind.name);
    expectError("Tag" + kind.name, {{kind.key_member, kind.missing}, {"Tags", {tag("a", "b")}}}, ErrorCode::NoSuchEntity,
                kind.not_found);
    expectError("Untag" + kind.name, {{kind.key_member, kind.missing}, {"TagKeys", {"a"}}}, ErrorCode::NoSuchEntity,
                kind.not_found);
    expectError("List" + kind.name + "Tags", {{kind.key_member, kind.missing}}, ErrorCode::NoSuchEntity,
                kind.not_found);
  }
}

TEST_F(TagOperations, ListingTagsInAnAccountNothingWasWrittenToIsNoSuchEntity) {
  expectError("ListUserTags", {{"UserName", "u"}}, ErrorCode::NoSuchEntity, "The user with name u cannot be found.");
  expectError("ListMFADeviceTags", {{"SerialNumber", "arn:aws:iam::123456789012:mfa/d"}}, ErrorCode::NoSuchEntity,
              "VirtualMFADevice with serial number arn:aws:iam::123456789012:mfa/d doesn't exist.");
}

TEST_F(TagOperations, AwsManagedPoliciesListNoTagsAndCannotBeTagged) {
  const std::string arn = "arn:aws:iam::aws:policy/AdministratorAccess";
  // Listing needs no account state: it is answered before anything is written.
  EXPECT_EQ(ok("ListPolicyTags", {{"PolicyArn", arn}})["Tags"], json::array());
  const std::string denied = "User: arn:aws:iam::123456789012:root is not authorized to perform: iam:";
  expectError("TagPolicy", {{"PolicyArn", arn}, {"Tags", {tag("a", "b")}}}, ErrorCode::AccessDenied,
              denied + "TagPolicy on resource: policy " + arn);
  expectError("UntagPolicy", {{"PolicyArn", arn}, {"TagKeys", {"a"}}}, ErrorCode::AccessDenied,
              denied + "UntagPolicy on resource: policy " + arn);
  // The refusal comes before the store is touched: no account was created.
  EXPECT_EQ(store_.findAccount(kAccount), nullptr);
  expectError("ListPolicyTags", {{"PolicyArn", "arn:aws:iam::aws:policy/NoSuchPolicy"}}, ErrorCode::NoSuchEntity,
              "Policy arn:aws:iam::aws:policy/NoSuchPolicy was not found.");
}

}  // namespace
}  // namespace iamlocal::services::iam::identity_testing
