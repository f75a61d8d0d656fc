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
using testing::kDemoEc2Model;

std::vector<std::string> childNames(pugi::xml_node node) {
  std::vector<std::string> names;
  for (pugi::xml_node child : node.children()) names.emplace_back(child.name());
  return names;
}

TEST(Ec2Flavor, ModelMetadata) {
  auto model = compileOrDie(kDemoEc2Model);
  ASSERT_TRUE(model);
  EXPECT_EQ(model->flavor(), Flavor::Ec2);
  // botocore's EC2 namespace lacks the trailing slash that EC2 answers with.
  EXPECT_EQ(model->xmlNamespace(), "http://ec2.amazonaws.com/doc/2016-11-15/");
}

TEST(Ec2Flavor, DecodesListsWithoutMemberAndNamesFromLocationOrQueryName) {
  auto model = compileOrDie(kDemoEc2Model);
  ASSERT_TRUE(model);
  QueryParams params = {
      {"Action", "DescribeIamInstanceProfileAssociations"},
      {"AssociationId.2", "iip-assoc-2"},
      {"AssociationId.1", "iip-assoc-1"},
      {"Filter.1.Name", "instance-id"},
      {"Filter.1.Value.1", "i-1"},
      {"Filter.1.Value.2", "i-2"},
      {"DryRun", "true"},
      {"NextToken", "tok"},
      {"Token", "client-token"},
      {"MaxResults", "5"},
  };
  auto input = model->decodeInput("DescribeIamInstanceProfileAssociations", params);
  ASSERT_TRUE(input) << input.error().message;
  json expected = {
      {"AssociationIds", {"iip-assoc-1", "iip-assoc-2"}},
      {"Filters", json::array({{{"Name", "instance-id"}, {"Values", {"i-1", "i-2"}}}})},
      {"DryRun", true},
      {"NextToken", "tok"},
      {"ClientToken", "client-token"},
      {"MaxResults", 5},
  };
  EXPECT_EQ(*input, expected);
}

TEST(Ec2Flavor, CapitalisesLowerCaseLocationNamesOnInput) {
  auto model = compileOrDie(kDemoEc2Model);
  ASSERT_TRUE(model);
  auto input = model->decodeInput("ReleaseHosts", {{"HostId.1", "h-1"}, {"hostId.2", "ignored"}});
  ASSERT_TRUE(input) << input.error().message;
  EXPECT_EQ(*input, json({{"HostIds", {"h-1"}}}));
}

TEST(Ec2Flavor, ReportsMissingParameterAndInvalidValueTheEc2Way) {
  auto model = compileOrDie(kDemoEc2Model);
  ASSERT_TRUE(model);
  struct Case {
    std::string label;
    std::string operation;
    QueryParams params;
    ErrorCode code;
    std::string message;
  };
  const Case cases[] = {
      {"missing", "AssociateIamInstanceProfile", {{"IamInstanceProfile.Name", "p"}}, ErrorCode::MissingParameter,
       "The request must contain the parameter InstanceId"},
      {"below minimum", "DescribeIamInstanceProfileAssociations", {{"MaxResults", "4"}},
       ErrorCode::InvalidParameterValue,
       "Value (4) for parameter MaxResults is invalid. Member must have value greater than or equal to 5"},
      {"not a number", "DescribeIamInstanceProfileAssociations", {{"MaxResults", "many"}},
       ErrorCode::InvalidParameterValue, "Invalid value 'many' for parameter MaxResults: expected an integer"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    auto input = model->decodeInput(c.operation, c.params);
    ASSERT_FALSE(input);
    EXPECT_EQ(input.error().code, c.code);
    EXPECT_EQ(input.error().message, c.message);
  }
}

TEST(Ec2Flavor, ResponseHasRequestIdFirstAndItemWrappedLists) {
  auto model = compileOrDie(kDemoEc2Model);
  ASSERT_TRUE(model);
  json association = {
      {"State", "associated"},
      {"IamInstanceProfile", {{"Id", "AIPAEXAMPLE"}, {"Arn", "arn:aws:iam::000000000000:instance-profile/p"}}},
      {"InstanceId", "i-1"},
      {"AssociationId", "iip-assoc-1"},
  };
  std::string xml = model->encodeOutput("DescribeIamInstanceProfileAssociations",
                                        {{"IamInstanceProfileAssociations", {association, association}}}, "ec2-req");
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 0), 0u);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str())) << xml;
  pugi::xml_node response = doc.child("DescribeIamInstanceProfileAssociationsResponse");
  EXPECT_STREQ(response.attribute("xmlns").value(), "http://ec2.amazonaws.com/doc/2016-11-15/");
  EXPECT_EQ(childNames(response), (std::vector<std::string>{"requestId", "iamInstanceProfileAssociationSet"}));
  EXPECT_STREQ(response.child_value("requestId"), "ec2-req");
  pugi::xml_node set = response.child("iamInstanceProfileAssociationSet");
  EXPECT_EQ(childNames(set), (std::vector<std::string>{"item", "item"}));
  EXPECT_EQ(childNames(set.child("item")),
            (std::vector<std::string>{"associationId", "instanceId", "iamInstanceProfile", "state"}));
  EXPECT_EQ(childNames(set.child("item").child("iamInstanceProfile")), (std::vector<std::string>{"arn", "id"}));
}

TEST(Ec2Flavor, ModelErrorIsTheEc2Envelope) {
  auto model = compileOrDie(kDemoEc2Model);
  ASSERT_TRUE(model);
  std::string xml = model->encodeError(Error{ErrorCode::IncorrectInstanceState, "bad state"}, "r");
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str())) << xml;
  EXPECT_STREQ(doc.child("Response").child("Errors").child("Error").child_value("Code"), "IncorrectInstanceState");
  EXPECT_STREQ(doc.child("Response").child_value("RequestID"), "r");
}

}  // namespace
}  // namespace iamlocal::protocol
