#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <pugixml.hpp>

#include "iamlocal/protocol/model.h"
#include "test_models.h"

namespace iamlocal::protocol {
namespace {

using nlohmann::json;
using testing::compileOrDie;
using testing::kDemoQueryModel;

pugi::xml_document parseXml(const std::string& text) {
  pugi::xml_document doc;
  pugi::xml_parse_result result = doc.load_string(text.c_str());
  EXPECT_TRUE(result) << result.description() << "\n" << text;
  return doc;
}

std::vector<std::string> childNames(pugi::xml_node node) {
  std::vector<std::string> names;
  for (pugi::xml_node child : node.children()) names.emplace_back(child.name());
  return names;
}

// (Built by appending: GCC 12 warns falsely on "literal" + std::string temporaries.)
std::string numbered(std::string prefix, int i) {
  prefix += std::to_string(i);
  return prefix;
}

json sampleRole(std::string name) {
  // Deliberately not in model order: the writer must follow the model.
  return {
      {"Tags", json::array({{{"Value", "core"}, {"Key", "team"}}})},
      {"MaxSessionDuration", 3600},
      {"CreateDate", "2024-01-02T03:04:05Z"},
      {"Arn", "arn:aws:iam::000000000000:role/" + name},
      {"RoleId", "AROAEXAMPLE000000001"},
      {"RoleName", name},
      {"Path", "/"},
      {"AssumeRolePolicyDocument", "%7B%22Version%22%3A%222012-10-17%22%7D"},
      {"Description", nullptr},
  };
}

TEST(XmlWriter, CreateRoleFollowsModelOrderInsideResultWrapper) {
  std::string xml = iamModel().encodeOutput("CreateRole", {{"Role", sampleRole("app")}}, "req-1");
  auto doc = parseXml(xml);
  pugi::xml_node response = doc.child("CreateRoleResponse");
  ASSERT_TRUE(response);
  EXPECT_STREQ(response.attribute("xmlns").value(), "https://iam.amazonaws.com/doc/2010-05-08/");
  EXPECT_EQ(childNames(response), (std::vector<std::string>{"CreateRoleResult", "ResponseMetadata"}));
  pugi::xml_node role = response.child("CreateRoleResult").child("Role");
  EXPECT_EQ(childNames(role), (std::vector<std::string>{"Path", "RoleName", "RoleId", "Arn", "CreateDate",
                                                         "AssumeRolePolicyDocument", "MaxSessionDuration", "Tags"}));
  EXPECT_STREQ(role.child_value("RoleName"), "app");
  EXPECT_STREQ(role.child_value("CreateDate"), "2024-01-02T03:04:05Z");
  EXPECT_STREQ(role.child_value("MaxSessionDuration"), "3600");
  pugi::xml_node tag = role.child("Tags").child("member");
  EXPECT_EQ(childNames(tag), (std::vector<std::string>{"Key", "Value"}));
  EXPECT_STREQ(tag.child_value("Key"), "team");
  EXPECT_STREQ(response.child("ResponseMetadata").child_value("RequestId"), "req-1");
}

TEST(XmlWriter, ListRolesWrapsEachRoleInMember) {
  json roles = json::array();
  for (int i = 0; i < 3; ++i) roles.push_back(sampleRole(numbered("r", i)));
  std::string xml =
      iamModel().encodeOutput("ListRoles", {{"Marker", "m2"}, {"IsTruncated", true}, {"Roles", roles}}, "req-2");
  auto doc = parseXml(xml);
  pugi::xml_node result = doc.child("ListRolesResponse").child("ListRolesResult");
  EXPECT_EQ(childNames(result), (std::vector<std::string>{"Roles", "IsTruncated", "Marker"}));
  EXPECT_EQ(childNames(result.child("Roles")), (std::vector<std::string>{"member", "member", "member"}));
  int i = 0;
  for (pugi::xml_node member : result.child("Roles").children("member")) {
    EXPECT_EQ(std::string(member.child_value("RoleName")), numbered("r", i++));
  }
  EXPECT_STREQ(result.child_value("IsTruncated"), "true");
}

TEST(XmlListWriter, RendersElementsLikeTheJsonTreeWould) {
  // The same three roles through json and through XmlListWriter (fields
  // given out of model order) give the same document.
  json roles = json::array();
  auto writer = XmlListWriter::create(iamModel(), "ListRoles", "Roles");
  ASSERT_TRUE(writer.has_value());
  TimePoint created{std::chrono::seconds(1704164645)};  // 2024-01-02T03:04:05Z
  for (int i = 0; i < 3; ++i) {
    std::string name = numbered("r", i);
    roles.push_back({{"RoleName", name},
                     {"Arn", "arn:aws:iam::123456789012:role/" + name},
                     {"Path", "/"},
                     {"RoleId", "AROAEXAMPLE"},
                     {"CreateDate", "2024-01-02T03:04:05Z"},
                     {"AssumeRolePolicyDocument", "%7B%7D"},
                     {"MaxSessionDuration", 3600},
                     {"Description", "x < y & \"z\""}});
    std::string arn = "arn:aws:iam::123456789012:role/" + name;
    ScalarField fields[] = {{"MaxSessionDuration", std::int64_t{3600}},
                            {"RoleName", std::string_view(name)},
                            {"Arn", std::string_view(arn)},
                            {"Description", std::string_view("x < y & \"z\"")},
                            {"Path", std::string_view("/")},
                            {"NotAMember", true},
                            {"RoleId", std::string_view("AROAEXAMPLE")},
                            {"CreateDate", created},
                            {"AssumeRolePolicyDocument", std::string_view("%7B%7D")}};
    writer->add(fields);
  }
  EXPECT_EQ(writer->size(), 3u);
  std::string from_json =
      iamModel().encodeOutput("ListRoles", {{"Roles", roles}, {"IsTruncated", true}, {"Marker", "m"}}, "req");
  std::string from_writer = iamModel().encodeOutput(
      "ListRoles", {{"Roles", std::move(*writer).release()}, {"IsTruncated", true}, {"Marker", "m"}}, "req");
  EXPECT_EQ(from_writer, from_json);
}

TEST(XmlListWriter, EmptyWriterIsAnEmptyList) {
  auto writer = XmlListWriter::create(iamModel(), "ListRoles", "Roles");
  ASSERT_TRUE(writer.has_value());
  std::string xml =
      iamModel().encodeOutput("ListRoles", {{"Roles", std::move(*writer).release()}, {"IsTruncated", false}}, "r");
  EXPECT_NE(xml.find("<ListRolesResult><Roles/><IsTruncated>false</IsTruncated></ListRolesResult>"),
            std::string::npos)
      << xml;
}

TEST(XmlListWriter, RefusesWhatIsNotAnOutputListOfStructures) {
  EXPECT_EQ(XmlListWriter::create(iamModel(), "ListRoles", "Marker").error().code, ErrorCode::InternalFailure);
  EXPECT_EQ(XmlListWriter::create(iamModel(), "ListRoles", "NoSuchMember").error().code, ErrorCode::InternalFailure);
  EXPECT_EQ(XmlListWriter::create(iamModel(), "NoSuchOperation", "Roles").error().code, ErrorCode::InternalFailure);
  EXPECT_EQ(XmlListWriter::create(iamModel(), "ListRoleTags", "Tags").has_value(), true);
}

TEST(XmlWriter, EmptyListIsAnEmptyElement) {
  std::string xml = iamModel().encodeOutput("ListRoles", {{"Roles", json::array()}, {"IsTruncated", false}}, "r");
  EXPECT_NE(xml.find("<ListRolesResult><Roles/><IsTruncated>false</IsTruncated></ListRolesResult>"),
            std::string::npos)
      << xml;
}

TEST(XmlWriter, GetAccountSummaryWritesMapEntries) {
  json summary = {{"Users", 2}, {"RolesQuota", 1000}};
  std::string xml = iamModel().encodeOutput("GetAccountSummary", {{"SummaryMap", summary}}, "r");
  auto doc = parseXml(xml);
  pugi::xml_node map = doc.child("GetAccountSummaryResponse").child("GetAccountSummaryResult").child("SummaryMap");
  ASSERT_TRUE(map);
  EXPECT_EQ(childNames(map), (std::vector<std::string>{"entry", "entry"}));
  std::vector<std::pair<std::string, std::string>> entries;
  for (pugi::xml_node entry : map.children("entry")) {
    EXPECT_EQ(childNames(entry), (std::vector<std::string>{"key", "value"}));
    entries.emplace_back(entry.child_value("key"), entry.child_value("value"));
  }
  EXPECT_EQ(entries, (std::vector<std::pair<std::string, std::string>>{{"RolesQuota", "1000"}, {"Users", "2"}}));
}

TEST(XmlWriter, DeleteRoleHasNoResultElement) {
  std::string xml = iamModel().encodeOutput("DeleteRole", json::object(), "req-3");
  EXPECT_EQ(xml,
            "<DeleteRoleResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><ResponseMetadata><RequestId>"
            "req-3</RequestId></ResponseMetadata></DeleteRoleResponse>");
}

TEST(XmlWriter, StsUsesItsOwnNamespace) {
  json output = {{"Account", "000000000000"}, {"UserId", "AIDAEXAMPLE"}, {"Arn", "arn:aws:iam::000000000000:user/u"}};
  std::string xml = stsModel().encodeOutput("GetCallerIdentity", output, "r");
  auto doc = parseXml(xml);
  pugi::xml_node response = doc.child("GetCallerIdentityResponse");
  EXPECT_STREQ(response.attribute("xmlns").value(), "https://sts.amazonaws.com/doc/2011-06-15/");
  EXPECT_EQ(childNames(response.child("GetCallerIdentityResult")),
            (std::vector<std::string>{"UserId", "Account", "Arn"}));
}

TEST(XmlWriter, EscapesText) {
  struct Case {
    std::string raw;
    std::string escaped;
  };
  const Case cases[] = {
      {"a&b", "a&amp;b"},
      {"<tag>", "&lt;tag&gt;"},
      {"\"quoted\" 'single'", "&quot;quoted&quot; &apos;single&apos;"},
      {"cr\rlf\n", "cr&#xD;lf\n"},
      {"plain caf\xc3\xa9", "plain caf\xc3\xa9"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.raw);
    std::string xml = stsModel().encodeOutput("GetCallerIdentity", {{"UserId", c.raw}}, "r");
    EXPECT_NE(xml.find("<UserId>" + c.escaped + "</UserId>"), std::string::npos) << xml;
    auto doc = parseXml(xml);
    EXPECT_EQ(std::string(doc.first_child().first_child().child_value("UserId")), c.raw);
  }
}

TEST(XmlWriter, WritesEveryScalarTypeAndListFlavor) {
  auto model = compileOrDie(kDemoQueryModel);
  ASSERT_TRUE(model);
  json output = {
      {"Data", std::string("\x00\xff hi", 5)},
      {"When", 1709209800},
      {"Enabled", false},
      {"Ratio", 0.5},
      {"Count", -7},
      {"Labels", {{"color", "blue"}}},
      {"Attrs", {{"n", 1}}},
      {"Named", {"t1", "t2"}},
      {"Flat", {"f1", "f2"}},
      {"Items", json::array({{{"Key", "k"}, {"Values", {"v"}}}})},
      {"Alpha", "a"},
      {"Zeta", "z"},
      {"NotInModel", "dropped"},
  };
  std::string xml = model->encodeOutput("Put", output, "rid");
  auto doc = parseXml(xml);
  pugi::xml_node result = doc.child("PutResponse").child("PutResult");
  EXPECT_EQ(childNames(result),
            (std::vector<std::string>{"Zeta", "alphaName", "Items", "Flat", "Flat", "Thing", "Thing", "Attrs", "Labels",
                                      "Count", "Ratio", "Enabled", "When", "Data"}));
  EXPECT_STREQ(result.child("Items").child("member").child("Values").child_value("member"), "v");
  EXPECT_STREQ(result.child("Labels").child("entry").child_value("Name"), "color");
  EXPECT_STREQ(result.child("Labels").child("entry").child_value("Text"), "blue");
  EXPECT_STREQ(result.child_value("Count"), "-7");
  EXPECT_STREQ(result.child_value("Ratio"), "0.5");
  EXPECT_STREQ(result.child_value("Enabled"), "false");
  EXPECT_STREQ(result.child_value("When"), "2024-02-29T12:30:00Z");
  EXPECT_STREQ(result.child_value("Data"), "AP8gaGk=");
}

TEST(XmlWriter, OperationWithoutOutputShapeStillAnswers) {
  auto model = compileOrDie(kDemoQueryModel);
  ASSERT_TRUE(model);
  EXPECT_EQ(model->encodeOutput("Ping", json::object(), "x"),
            "<PingResponse xmlns=\"https://demo.amazonaws.com/doc/2020-01-01/\"><ResponseMetadata><RequestId>x"
            "</RequestId></ResponseMetadata></PingResponse>");
}

TEST(XmlWriter, QueryErrorDocument) {
  struct Case {
    Error error;
    std::string type;
  };
  const Case cases[] = {
      {Error{ErrorCode::NoSuchEntity, "The role with name x cannot be found."}, "Sender"},
      {Error{ErrorCode::ServiceFailure, "boom <&>"}, "Receiver"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.error.message);
    std::string xml = encodeError(Flavor::Query, c.error, "rid-9");
    auto doc = parseXml(xml);
    pugi::xml_node root = doc.child("ErrorResponse");
    EXPECT_STREQ(root.attribute("xmlns").value(), "https://iam.amazonaws.com/doc/2010-05-08/");
    EXPECT_EQ(childNames(root), (std::vector<std::string>{"Error", "RequestId"}));
    EXPECT_EQ(childNames(root.child("Error")), (std::vector<std::string>{"Type", "Code", "Message"}));
    EXPECT_EQ(root.child("Error").child_value("Type"), c.type);
    EXPECT_EQ(root.child("Error").child_value("Code"), std::string(c.error.codeName()));
    EXPECT_EQ(root.child("Error").child_value("Message"), c.error.message);
    EXPECT_STREQ(root.child_value("RequestId"), "rid-9");
  }
}

TEST(XmlWriter, ModelErrorDocumentUsesTheServiceNamespace) {
  std::string xml = stsModel().encodeError(Error{ErrorCode::ExpiredToken, "expired"}, "r");
  auto doc = parseXml(xml);
  EXPECT_STREQ(doc.child("ErrorResponse").attribute("xmlns").value(), "https://sts.amazonaws.com/doc/2011-06-15/");
  EXPECT_STREQ(doc.child("ErrorResponse").child("Error").child_value("Code"), "ExpiredToken");
}

TEST(XmlWriter, Ec2ErrorDocument) {
  std::string xml =
      encodeError(Flavor::Ec2, Error{ErrorCode::InvalidInstanceID_NotFound, "The instance ID 'i-1' does not exist"}, "r1");
  auto doc = parseXml(xml);
  pugi::xml_node root = doc.child("Response");
  EXPECT_EQ(childNames(root), (std::vector<std::string>{"Errors", "RequestID"}));
  EXPECT_EQ(childNames(root.child("Errors").child("Error")), (std::vector<std::string>{"Code", "Message"}));
  EXPECT_STREQ(root.child("Errors").child("Error").child_value("Code"), "InvalidInstanceID.NotFound");
  EXPECT_STREQ(root.child_value("RequestID"), "r1");
}

}  // namespace
}  // namespace iamlocal::protocol
