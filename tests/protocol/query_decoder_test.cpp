#include <gtest/gtest.h>

#include "iamlocal/protocol/model.h"
#include "test_models.h"

namespace iamlocal::protocol {
namespace {

using nlohmann::json;
using testing::compileOrDie;
using testing::kDemoQueryModel;

TEST(QueryDecoder, DecodesCreateRoleWithTagsInIndexOrder) {
  QueryParams params = {
      {"Action", "CreateRole"},
      {"Version", "2010-05-08"},
      {"RoleName", "app"},
      {"AssumeRolePolicyDocument", "{\"Version\":\"2012-10-17\"}"},
      {"Path", "/svc/"},
      {"MaxSessionDuration", "7200"},
      {"Tags.member.2.Key", "team"},
      {"Tags.member.2.Value", "core"},
      {"Tags.member.1.Key", "env"},
      {"Tags.member.1.Value", "prod"},
  };
  auto input = iamModel().decodeInput("CreateRole", params);
  ASSERT_TRUE(input) << input.error().message;
  json expected = {
      {"RoleName", "app"},
      {"AssumeRolePolicyDocument", "{\"Version\":\"2012-10-17\"}"},
      {"Path", "/svc/"},
      {"MaxSessionDuration", 7200},
      {"Tags", json::array({{{"Key", "env"}, {"Value", "prod"}}, {{"Key", "team"}, {"Value", "core"}}})},
  };
  EXPECT_EQ(*input, expected);
  EXPECT_TRUE((*input)["MaxSessionDuration"].is_number_integer());
}

TEST(QueryDecoder, ListIndexGapsCollapseInNumericOrder) {
  QueryParams params = {
      {"RoleName", "r"},
      {"TagKeys.member.10", "ten"},
      {"TagKeys.member.2", "two"},
      {"TagKeys.member.7", "seven"},
  };
  auto input = iamModel().decodeInput("UntagRole", params);
  ASSERT_TRUE(input) << input.error().message;
  EXPECT_EQ((*input)["TagKeys"], json::array({"two", "seven", "ten"}));
}

TEST(QueryDecoder, EmptyListParameterIsAnEmptyList) {
  // botocore sends "Tags=" for Tags=[].
  auto input = iamModel().decodeInput("CreateRole", {{"RoleName", "r"}, {"AssumeRolePolicyDocument", "{}"}, {"Tags", ""}});
  ASSERT_TRUE(input) << input.error().message;
  EXPECT_EQ((*input)["Tags"], json::array());
}

TEST(QueryDecoder, IgnoresUnknownParametersActionAndVersion) {
  auto input = iamModel().decodeInput(
      "GetRole", {{"Action", "GetRole"}, {"Version", "2010-05-08"}, {"RoleName", "r"}, {"Bogus", "x"}, {"RoleName.x", "y"}});
  ASSERT_TRUE(input) << input.error().message;
  EXPECT_EQ(*input, json({{"RoleName", "r"}}));
}

TEST(QueryDecoder, OperationWithoutInputDecodesToEmptyObject) {
  auto model = compileOrDie(kDemoQueryModel);
  ASSERT_TRUE(model);
  auto input = model->decodeInput("Ping", {{"Anything", "1"}});
  ASSERT_TRUE(input);
  EXPECT_EQ(*input, json::object());
}

TEST(QueryDecoder, UnknownOperationIsInvalidAction) {
  auto input = iamModel().decodeInput("CreateRoll", {});
  ASSERT_FALSE(input);
  EXPECT_EQ(input.error().code, ErrorCode::InvalidAction);
  EXPECT_EQ(input.error().message, "Could not find operation CreateRoll for version 2010-05-08");
}

TEST(QueryDecoder, DecodesNestedStructuresListsAndMaps) {
  auto model = compileOrDie(kDemoQueryModel);
  ASSERT_TRUE(model);
  QueryParams params = {
      {"Name", "n"},
      {"Alias", "renamed by locationName"},
      {"Renamed", "ignored: the wire name is Alias"},
      {"Inner.Key", "k"},
      {"Inner.Values.member.1", "a"},
      {"Inner.Values.member.2", "b"},
      {"Inner.Deeper.Level", "3"},
      {"Items.member.1.Key", "first"},
      {"Items.member.1.Values.member.1", "x"},
      {"Items.member.2.Key", "second"},
      {"Items.member.2.Deeper.Level", "-4"},
      {"Flat.1", "f1"},
      {"Flat.2", "f2"},
      {"Named.Thing.1", "t1"},
      {"Attrs.entry.1.key", "one"},
      {"Attrs.entry.1.value", "1"},
      {"Attrs.entry.2.key", "two"},
      {"Attrs.entry.2.value", "2"},
      {"Labels.entry.1.Name", "color"},
      {"Labels.entry.1.Text", "blue"},
  };
  auto input = model->decodeInput("Put", params);
  ASSERT_TRUE(input) << input.error().message;
  json expected = {
      {"Name", "n"},
      {"Renamed", "renamed by locationName"},
      {"Inner", {{"Key", "k"}, {"Values", {"a", "b"}}, {"Deeper", {{"Level", 3}}}}},
      {"Items", json::array({{{"Key", "first"}, {"Values", {"x"}}}, {{"Key", "second"}, {"Deeper", {{"Level", -4}}}}})},
      {"Flat", {"f1", "f2"}},
      {"Named", {"t1"}},
      {"Attrs", {{"one", 1}, {"two", 2}}},
      {"Labels", {{"color", "blue"}}},
  };
  EXPECT_EQ(*input, expected);
}

TEST(QueryDecoder, DecodesScalarsByShapeType) {
  auto model = compileOrDie(kDemoQueryModel);
  ASSERT_TRUE(model);
  QueryParams params = {
      {"Name", "n"},
      {"Count", "+42"},
      {"Big", "9007199254740993"},
      {"Ratio", "0.25"},
      {"Enabled", "TRUE"},
      {"When", "2024-02-29T12:30:00Z"},
      {"Data", "aGVsbG8="},
  };
  auto input = model->decodeInput("Put", params);
  ASSERT_TRUE(input) << input.error().message;
  EXPECT_EQ((*input)["Count"], 42);
  EXPECT_EQ((*input)["Big"].get<std::int64_t>(), 9007199254740993LL);
  EXPECT_DOUBLE_EQ((*input)["Ratio"].get<double>(), 0.25);
  EXPECT_EQ((*input)["Enabled"], true);
  EXPECT_EQ((*input)["When"], "2024-02-29T12:30:00Z");
  EXPECT_EQ((*input)["Data"], "hello");
}

TEST(QueryDecoder, EpochSecondsTimestampBecomesIso8601) {
  auto model = compileOrDie(kDemoQueryModel);
  ASSERT_TRUE(model);
  auto input = model->decodeInput("Put", {{"Name", "n"}, {"When", "1709209800"}});
  ASSERT_TRUE(input) << input.error().message;
  EXPECT_EQ((*input)["When"], "2024-02-29T12:30:00Z");
}

TEST(QueryDecoder, MalformedScalarsAreInvalidParameterValue) {
  struct Case {
    std::string name;
    std::string value;
    std::string message;
  };
  const Case cases[] = {
      {"Count", "abc", "Invalid value 'abc' for parameter Count: expected an integer"},
      {"Count", "2147483648", "Invalid value '2147483648' for parameter Count: expected an integer"},
      {"Count", "", "Invalid value '' for parameter Count: expected an integer"},
      {"Count", "1.5", "Invalid value '1.5' for parameter Count: expected an integer"},
      {"Big", "12x", "Invalid value '12x' for parameter Big: expected a long integer"},
      {"Ratio", "nan", "Invalid value 'nan' for parameter Ratio: expected a number"},
      {"Enabled", "yes", "Invalid value 'yes' for parameter Enabled: expected true or false"},
      {"When", "yesterday", "Invalid value 'yesterday' for parameter When: expected an ISO 8601 timestamp"},
      {"Data", "not base64!", "Invalid value 'not base64!' for parameter Data: expected base64-encoded data"},
      {"Items.member.2.Deeper.Level", "x",
       "Invalid value 'x' for parameter Items.member.2.Deeper.Level: expected an integer"},
      {"Attrs.entry.1.value", "one", "Invalid value 'one' for parameter Attrs.entry.1.value: expected an integer"},
  };
  auto model = compileOrDie(kDemoQueryModel);
  ASSERT_TRUE(model);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name + "=" + c.value);
    QueryParams params = {{"Name", "n"}, {c.name, c.value}};
    if (c.name.starts_with("Attrs")) params.emplace_back("Attrs.entry.1.key", "k");
    auto input = model->decodeInput("Put", params);
    ASSERT_FALSE(input);
    EXPECT_EQ(input.error().code, ErrorCode::InvalidParameterValue);
    EXPECT_EQ(input.error().httpStatus(), 400);
    EXPECT_EQ(input.error().message, c.message);
  }
}

TEST(QueryDecoder, MaxItemsThatIsNotANumberIsRejectedNotCrashed) {
  auto input = iamModel().decodeInput("ListRoles", {{"MaxItems", "abc"}});
  ASSERT_FALSE(input);
  EXPECT_EQ(input.error().code, ErrorCode::InvalidParameterValue);
  EXPECT_EQ(input.error().message, "Invalid value 'abc' for parameter MaxItems: expected an integer");
}

TEST(QueryDecoder, StsAssumeRoleDecodesPolicyArnsAndTransitiveTagKeys) {
  QueryParams params = {
      {"RoleArn", "arn:aws:iam::000000000000:role/r"},
      {"RoleSessionName", "sess"},
      {"DurationSeconds", "900"},
      {"PolicyArns.member.1.arn", "arn:aws:iam::aws:policy/ReadOnlyAccess"},
      {"TransitiveTagKeys.member.1", "team"},
  };
  auto input = stsModel().decodeInput("AssumeRole", params);
  ASSERT_TRUE(input) << input.error().message;
  EXPECT_EQ((*input)["DurationSeconds"], 900);
  EXPECT_EQ((*input)["PolicyArns"], json::array({{{"arn", "arn:aws:iam::aws:policy/ReadOnlyAccess"}}}));
  EXPECT_EQ((*input)["TransitiveTagKeys"], json::array({"team"}));
}

}  // namespace
}  // namespace iamlocal::protocol
