#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "../../src/protocol/java_regex.h"
#include "iamlocal/protocol/model.h"

namespace iamlocal::protocol {
namespace {

nlohmann::json readModel(const std::string& file) {
  std::ifstream in(std::string(IAMLOCAL_SOURCE_DIR) + "/models/" + file);
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

TEST(EmbeddedModels, BothCompileWithTheirMetadata) {
  EXPECT_EQ(iamModel().endpointPrefix(), "iam");
  EXPECT_EQ(iamModel().apiVersion(), "2010-05-08");
  EXPECT_EQ(iamModel().xmlNamespace(), "https://iam.amazonaws.com/doc/2010-05-08/");
  EXPECT_EQ(iamModel().flavor(), Flavor::Query);
  EXPECT_EQ(stsModel().endpointPrefix(), "sts");
  EXPECT_EQ(stsModel().apiVersion(), "2011-06-15");
  EXPECT_EQ(stsModel().xmlNamespace(), "https://sts.amazonaws.com/doc/2011-06-15/");
  EXPECT_TRUE(iamModel().hasOperation("CreateRole"));
  EXPECT_FALSE(iamModel().hasOperation("AssumeRole"));
  EXPECT_TRUE(stsModel().hasOperation("AssumeRole"));
}

TEST(EmbeddedModels, EmbedEveryOperationOfTheVendoredFiles) {
  for (auto [file, model] : {std::pair{"iam-2010-05-08.json", &iamModel()}, std::pair{"sts-2011-06-15.json", &stsModel()}}) {
    SCOPED_TRACE(file);
    nlohmann::json doc = readModel(file);
    EXPECT_EQ(model->operationNames().size(), doc["operations"].size());
    for (const auto& [name, op] : doc["operations"].items()) EXPECT_TRUE(model->hasOperation(name)) << name;
  }
}

TEST(EmbeddedModels, EveryOperationEncodesAnEmptyOutput) {
  for (const ServiceModel* model : {&iamModel(), &stsModel()}) {
    for (std::string_view op : model->operationNames()) {
      SCOPED_TRACE(std::string(op));
      std::string xml = model->encodeOutput(op, nlohmann::json::object(), "req");
      pugi::xml_document doc;
      ASSERT_TRUE(doc.load_string(xml.c_str())) << xml;
      pugi::xml_node root = doc.first_child();
      EXPECT_EQ(std::string(root.name()), std::string(op) + "Response");
      EXPECT_STREQ(root.child("ResponseMetadata").child_value("RequestId"), "req");
    }
  }
}

TEST(EmbeddedModels, EveryOperationDecodesAnEmptyRequestWithoutCrashing) {
  for (const ServiceModel* model : {&iamModel(), &stsModel()}) {
    for (std::string_view op : model->operationNames()) {
      SCOPED_TRACE(std::string(op));
      auto input = model->decodeInput(op, {});
      if (!input) {
        EXPECT_EQ(input.error().code, ErrorCode::ValidationError);
        EXPECT_NE(input.error().message.find("Member must not be null"), std::string::npos);
      }
    }
  }
}

TEST(EmbeddedModels, EveryPatternTranslatesAndCompiles) {
  for (const char* file : {"iam-2010-05-08.json", "sts-2011-06-15.json"}) {
    nlohmann::json doc = readModel(file);
    for (const auto& [name, shape] : doc["shapes"].items()) {
      if (!shape.contains("pattern")) continue;
      SCOPED_TRACE(name + ": " + shape["pattern"].get<std::string>());
      EXPECT_NE(detail::JavaPattern::compile(shape["pattern"].get<std::string>()), nullptr);
    }
  }
}

TEST(EmbeddedModels, FastPathPatternsAgreeWithTheRegexEngine) {
  const std::string samples[] = {"",      "a",         "a b",          "/",          "/a/b/",      "app+svc=1,x.y@z-w_",
                                 "k{",    "tab\t",     "caf\xc3\xa9",  "\xe2\x82\xac", "\xff",      "\xf0\x9f\x98\x80",
                                 "12345", "arn:aws:x", "line\nbreak", "v1.beta",    "a\xc2\xa0" "b", "UPPER_lower-09"};
  for (const char* file : {"iam-2010-05-08.json", "sts-2011-06-15.json"}) {
    nlohmann::json doc = readModel(file);
    for (const auto& [name, shape] : doc["shapes"].items()) {
      if (!shape.contains("pattern")) continue;
      std::string text = shape["pattern"].get<std::string>();
      auto fast = detail::JavaPattern::compile(text);
      auto slow = detail::JavaPattern::compile(text, /*allow_fast_path=*/false);
      ASSERT_NE(fast, nullptr) << text;
      ASSERT_NE(slow, nullptr) << text;
      for (const std::string& sample : samples) {
        SCOPED_TRACE(text + " ~ " + sample);
        EXPECT_EQ(fast->matches(sample), slow->matches(sample));
      }
    }
  }
}

}  // namespace
}  // namespace iamlocal::protocol
