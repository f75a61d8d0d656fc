// The vendored, trimmed EC2 model: it embeds, compiles, decodes the
// parameters aws-cli sends for the instance operations and answers in EC2's
// envelope.
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "iamlocal/protocol/model.h"

namespace iamlocal::protocol {
namespace {

using nlohmann::json;

TEST(Ec2Model, EmbedsTheTrimmedOperationsWithEc2Metadata) {
  const ServiceModel& model = ec2Model();
  EXPECT_EQ(model.endpointPrefix(), "ec2");
  EXPECT_EQ(model.apiVersion(), "2016-11-15");
  EXPECT_EQ(model.flavor(), Flavor::Ec2);
  EXPECT_EQ(model.xmlNamespace(), "http://ec2.amazonaws.com/doc/2016-11-15/");

  std::ifstream in(std::string(IAMLOCAL_SOURCE_DIR) + "/models/ec2-2016-11-15.json");
  std::stringstream text;
  text << in.rdbuf();
  const json doc = json::parse(text.str());
  EXPECT_EQ(model.operationNames().size(), doc["operations"].size());
  for (const char* op : {"RunInstances", "DescribeInstances", "TerminateInstances", "StartInstances", "StopInstances",
                         "AssociateIamInstanceProfile", "DescribeIamInstanceProfileAssociations",
                         "DisassociateIamInstanceProfile", "ReplaceIamInstanceProfileAssociation",
                         "ModifyInstanceMetadataOptions"})
    EXPECT_TRUE(model.hasOperation(op)) << op;
  EXPECT_FALSE(model.hasOperation("CreateVpc"));
}

TEST(Ec2Model, DecodesRunInstancesAsAwsCliSendsIt) {
  auto input = ec2Model().decodeInput("RunInstances", {{"ImageId", "ami-12345678"},
                                                       {"MinCount", "1"},
                                                       {"MaxCount", "2"},
                                                       {"InstanceType", "t3.micro"},
                                                       {"IamInstanceProfile.Name", "web"},
                                                       {"MetadataOptions.HttpTokens", "required"},
                                                       {"MetadataOptions.HttpPutResponseHopLimit", "2"},
                                                       {"UserData", "aGVsbG8="},
                                                       {"TagSpecification.1.ResourceType", "instance"},
                                                       {"TagSpecification.1.Tag.1.Key", "Name"},
                                                       {"TagSpecification.1.Tag.1.Value", "app"}});
  ASSERT_TRUE(input) << input.error().message;
  EXPECT_EQ((*input)["IamInstanceProfile"], json({{"Name", "web"}}));
  EXPECT_EQ((*input)["MetadataOptions"], json({{"HttpTokens", "required"}, {"HttpPutResponseHopLimit", 2}}));
  EXPECT_EQ((*input)["UserData"], "aGVsbG8=");  // a string in the model, still base64
  EXPECT_EQ((*input)["TagSpecifications"][0]["Tags"][0], json({{"Key", "Name"}, {"Value", "app"}}));
  EXPECT_EQ((*input)["MaxCount"], 2);
}

TEST(Ec2Model, RefusesMissingCountsAndUnknownEnumsTheEc2Way) {
  auto missing = ec2Model().decodeInput("RunInstances", {{"ImageId", "ami-1"}, {"MaxCount", "1"}});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::MissingParameter);
  EXPECT_EQ(missing.error().message, "The request must contain the parameter MinCount");

  auto tokens = ec2Model().decodeInput("ModifyInstanceMetadataOptions",
                                       {{"InstanceId", "i-0123456789abcdef0"}, {"HttpTokens", "sometimes"}});
  ASSERT_FALSE(tokens);
  EXPECT_EQ(tokens.error().code, ErrorCode::InvalidParameterValue);
}

TEST(Ec2Model, EncodesAReservationWithEc2ElementNames) {
  json reservation = {{"ReservationId", "r-0123"},
                      {"OwnerId", "000000000000"},
                      {"Instances", json::array({{{"InstanceId", "i-0123"},
                                                  {"State", {{"Code", 0}, {"Name", "pending"}}},
                                                  {"Tags", json::array({{{"Key", "k"}, {"Value", "v"}}})}}})}};
  std::string xml = ec2Model().encodeOutput("RunInstances", reservation, "req-1");
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str())) << xml;
  pugi::xml_node root = doc.child("RunInstancesResponse");
  ASSERT_TRUE(root) << xml;
  EXPECT_STREQ(root.child_value("requestId"), "req-1");
  EXPECT_STREQ(root.child_value("reservationId"), "r-0123");
  pugi::xml_node item = root.child("instancesSet").child("item");
  EXPECT_STREQ(item.child_value("instanceId"), "i-0123");
  EXPECT_STREQ(item.child("instanceState").child_value("name"), "pending");
  EXPECT_STREQ(item.child("tagSet").child("item").child_value("key"), "k");
}

TEST(Ec2Model, ErrorsUseTheEc2Envelope) {
  std::string xml =
      ec2Model().encodeError(makeError(ErrorCode::InvalidInstanceID_NotFound, "The instance ID 'i-1' does not exist"),
                             "req-2");
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str())) << xml;
  EXPECT_STREQ(doc.child("Response").child("Errors").child("Error").child_value("Code"), "InvalidInstanceID.NotFound");
  EXPECT_STREQ(doc.child("Response").child_value("RequestID"), "req-2");
}

}  // namespace
}  // namespace iamlocal::protocol
