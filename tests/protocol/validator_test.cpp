#include <string>

#include <gtest/gtest.h>

#include "iamlocal/protocol/model.h"
#include "test_models.h"

namespace iamlocal::protocol {
namespace {

struct Case {
  std::string label;
  std::string operation;
  QueryParams params;
  std::string message;  // expected ValidationError text
};

void expectValidationError(const ServiceModel& model, const Case& c) {
  SCOPED_TRACE(c.label);
  auto input = model.decodeInput(c.operation, c.params);
  ASSERT_FALSE(input) << input->dump();
  EXPECT_EQ(input.error().code, ErrorCode::ValidationError);
  EXPECT_EQ(input.error().httpStatus(), 400);
  EXPECT_EQ(input.error().message, c.message);
}

QueryParams tooManyTagKeys() {
  QueryParams params = {{"RoleName", "r"}};
  for (int i = 1; i <= 51; ++i) {
    std::string name = "TagKeys.member.";
    name += std::to_string(i);
    std::string key = "k";
    key += std::to_string(i);
    params.emplace_back(std::move(name), std::move(key));
  }
  return params;
}

std::string tagKeyListText() {
  std::string text;
  for (int i = 1; i <= 51; ++i) {
    text += i > 1 ? ", k" : "k";
    text += std::to_string(i);
  }
  return text;
}

const std::string kPolicy = R"({"Version":"2012-10-17","Statement":[]})";

TEST(Validator, ReportsEachConstraintKindInAwsWords) {
  const Case cases[] = {
      {"pattern",
       "CreateRole",
       {{"RoleName", "a b"}, {"AssumeRolePolicyDocument", kPolicy}},
       "1 validation error detected: Value 'a b' at 'roleName' failed to satisfy constraint: Member must satisfy "
       "regular expression pattern: [\\w+=,.@-]+"},
      {"missing required member",
       "CreateRole",
       {{"AssumeRolePolicyDocument", kPolicy}},
       "1 validation error detected: Value null at 'roleName' failed to satisfy constraint: Member must not be null"},
      {"maximum length",
       "CreateRole",
       {{"RoleName", std::string(65, 'r')}, {"AssumeRolePolicyDocument", kPolicy}},
       "1 validation error detected: Value '" + std::string(65, 'r') +
           "' at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64"},
      {"minimum length",
       "GetRole",
       {{"RoleName", ""}},
       "2 validation errors detected: Value '' at 'roleName' failed to satisfy constraint: Member must have length "
       "greater than or equal to 1; Value '' at 'roleName' failed to satisfy constraint: Member must satisfy regular "
       "expression pattern: [\\w+=,.@-]+"},
      {"maximum value",
       "ListRoles",
       {{"MaxItems", "1001"}},
       "1 validation error detected: Value '1001' at 'maxItems' failed to satisfy constraint: Member must have value "
       "less than or equal to 1000"},
      {"minimum value",
       "ListRoles",
       {{"MaxItems", "0"}},
       "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value "
       "greater than or equal to 1"},
      {"enum",
       "UpdateAccessKey",
       {{"AccessKeyId", "AKIAIOSFODNN7EXAMPLE"}, {"Status", "Enabled"}},
       "1 validation error detected: Value 'Enabled' at 'status' failed to satisfy constraint: Member must satisfy "
       "enum value set: [Active, Inactive, Expired]"},
      {"list minimum length",
       "ListPoliciesGrantingServiceAccess",
       {{"Arn", "arn:aws:iam::000000000000:role/r"}, {"ServiceNamespaces", ""}},
       "1 validation error detected: Value '[]' at 'serviceNamespaces' failed to satisfy constraint: Member must have "
       "length greater than or equal to 1"},
      {"list maximum length",
       "UntagRole",
       tooManyTagKeys(),
       "1 validation error detected: Value '[" + tagKeyListText() +
           "]' at 'tagKeys' failed to satisfy constraint: Member must have length less than or equal to 50"},
      {"nested list element member",
       "TagRole",
       {{"RoleName", "r"}, {"Tags.member.1.Key", "ok"}, {"Tags.member.1.Value", "v"}, {"Tags.member.2.Key", "k{"},
        {"Tags.member.2.Value", "v"}},
       "1 validation error detected: Value 'k{' at 'tags.2.member.key' failed to satisfy constraint: Member must "
       "satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+"},
      {"null inside a list element",
       "TagRole",
       {{"RoleName", "r"}, {"Tags.member.1.Key", "k"}},
       "1 validation error detected: Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not "
       "be null"},
      {"scalar list element",
       "UntagRole",
       {{"RoleName", "r"}, {"TagKeys.member.1", std::string(129, 'k')}},
       "1 validation error detected: Value '" + std::string(129, 'k') +
           "' at 'tagKeys.1.member' failed to satisfy constraint: Member must have length less than or equal to 128"},
      {"sensitive value is not echoed",
       "CreateLoginProfile",
       {{"UserName", "u"}, {"Password", "caf\xc3\xa9\xe2\x82\xac"}},
       "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular "
       "expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"},
  };
  for (const Case& c : cases) expectValidationError(iamModel(), c);
}

TEST(Validator, ReportsAllProblemsAtOnceInMemberOrder) {
  Case c{"multi",
         "CreateRole",
         {{"Path", "no-slash"}, {"RoleName", "bad name"}, {"MaxSessionDuration", "60"}},
         "4 validation errors detected: "
         "Value 'no-slash' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: "
         "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F); "
         "Value 'bad name' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression "
         "pattern: [\\w+=,.@-]+; "
         "Value null at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null; "
         "Value '60' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or "
         "equal to 3600"};
  expectValidationError(iamModel(), c);
}

TEST(Validator, AcceptsValidInputs) {
  struct Ok {
    std::string label;
    std::string operation;
    QueryParams params;
  };
  const Ok cases[] = {
      {"plain role", "CreateRole", {{"RoleName", "app+svc=1,x.y@z-w_"}, {"AssumeRolePolicyDocument", kPolicy}}},
      {"unicode tag", "TagRole", {{"RoleName", "r"}, {"Tags.member.1.Key", "\xc3\xa9quipe"}, {"Tags.member.1.Value", "\xe6\x97\xa5\xe6\x9c\xac \xd9\xa3"}}},
      {"empty tag value", "TagRole", {{"RoleName", "r"}, {"Tags.member.1.Key", "k"}, {"Tags.member.1.Value", ""}}},
      {"latin-1 description", "CreateRole",
       {{"RoleName", "r"}, {"AssumeRolePolicyDocument", kPolicy}, {"Description", "r\xc3\xb4le"}}},
      {"no optional members", "ListRoles", {}},
      {"bounds inclusive", "ListRoles", {{"MaxItems", "1000"}}},
  };
  for (const Ok& c : cases) {
    SCOPED_TRACE(c.label);
    auto input = iamModel().decodeInput(c.operation, c.params);
    EXPECT_TRUE(input) << input.error().message;
  }
}

TEST(Validator, LengthCountsCharactersNotBytes) {
  // 100 two-byte letters: 200 bytes, but 100 characters, within tagKeyType's 128.
  std::string key;
  for (int i = 0; i < 100; ++i) key += "\xc3\xa9";
  auto input = iamModel().decodeInput("TagRole", {{"RoleName", "r"}, {"Tags.member.1.Key", key}, {"Tags.member.1.Value", "v"}});
  EXPECT_TRUE(input) << input.error().message;
  key += std::string(29, 'k');  // 129 characters
  input = iamModel().decodeInput("TagRole", {{"RoleName", "r"}, {"Tags.member.1.Key", key}, {"Tags.member.1.Value", "v"}});
  ASSERT_FALSE(input);
  EXPECT_NE(input.error().message.find("Member must have length less than or equal to 128"), std::string::npos);
}

TEST(Validator, InvalidUtf8FailsThePattern) {
  Case c{"invalid utf-8", "TagRole", {{"RoleName", "r"}, {"Tags.member.1.Key", "k\xff"}, {"Tags.member.1.Value", "v"}},
         "1 validation error detected: Value 'k\xff' at 'tags.1.member.key' failed to satisfy constraint: Member must "
         "satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+"};
  expectValidationError(iamModel(), c);
}

TEST(Validator, StsMessagesUseLowerCamelPaths) {
  Case c{"sts",
         "AssumeRole",
         {{"RoleArn", "arn:aws:iam::000000000000:role/r"}, {"RoleSessionName", "sess"}, {"DurationSeconds", "899"},
          {"PolicyArns.member.1.arn", "short"}},
         "2 validation errors detected: Value 'short' at 'policyArns.1.member.arn' failed to satisfy constraint: Member "
         "must have length greater than or equal to 20; Value '899' at 'durationSeconds' failed to satisfy constraint: "
         "Member must have value greater than or equal to 900"};
  expectValidationError(stsModel(), c);
}

TEST(Validator, MapKeyAndValueProblemsAreFoldedPerMap) {
  auto model = ServiceModel::parse(R"json({
    "metadata": {"apiVersion": "2020-01-01", "endpointPrefix": "demo", "protocol": "query"},
    "operations": {"Put": {"name": "Put", "input": {"shape": "In"}}},
    "shapes": {
      "In": {"type": "structure", "members": {"Labels": {"shape": "Labels"}}},
      "Labels": {"type": "map", "key": {"shape": "Key"}, "value": {"shape": "Val"}, "max": 1},
      "Key": {"type": "string", "min": 2},
      "Val": {"type": "string", "enum": ["on", "off"]}
    }})json");
  ASSERT_TRUE(model) << model.error().message;
  Case c{"map",
         "Put",
         {{"Labels.entry.1.key", "a"}, {"Labels.entry.1.value", "dim"}, {"Labels.entry.2.key", "bb"},
          {"Labels.entry.2.value", "on"}},
         "3 validation errors detected: "
         "Value '{a=dim, bb=on}' at 'labels' failed to satisfy constraint: Member must have length less than or equal "
         "to 1; "
         "Value '{a=dim, bb=on}' at 'labels' failed to satisfy constraint: Map keys must satisfy constraint: [Member "
         "must have length greater than or equal to 2]; "
         "Value '{a=dim, bb=on}' at 'labels' failed to satisfy constraint: Map value must satisfy constraint: [Member "
         "must satisfy enum value set: [on, off]]"};
  expectValidationError(**model, c);
}

}  // namespace
}  // namespace iamlocal::protocol
