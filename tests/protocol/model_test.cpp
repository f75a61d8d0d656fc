#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <pugixml.hpp>

#include "iamlocal/protocol/model.h"

namespace iamlocal::protocol {
namespace {

using nlohmann::json;

TEST(ServiceModel, RejectsDocumentsItCannotCompile) {
  struct Case {
    std::string label;
    std::string text;
    std::string message;
  };
  const Case cases[] = {
      {"not json", "{", "service model: not a JSON object"},
      {"no metadata", R"({"shapes": {}, "operations": {}})", "service model: no metadata"},
      {"rest protocol", R"({"metadata": {"protocol": "rest-json"}, "shapes": {}, "operations": {}})",
       "service model: unsupported protocol 'rest-json'"},
      {"dangling shape",
       R"({"metadata": {"protocol": "query"}, "operations": {},
           "shapes": {"A": {"type": "structure", "members": {"B": {"shape": "Missing"}}}}})",
       "service model: unknown shape 'Missing'"},
      {"unknown type", R"({"metadata": {"protocol": "query"}, "operations": {}, "shapes": {"A": {"type": "union"}}})",
       "service model: unsupported shape type 'union'"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    auto model = ServiceModel::parse(c.text);
    ASSERT_FALSE(model);
    EXPECT_EQ(model.error().code, ErrorCode::InternalFailure);
    EXPECT_EQ(model.error().message, c.message);
  }
}

TEST(ServiceModel, DerivesTheNamespaceWhenTheModelHasNone) {
  auto model = ServiceModel::parse(
      R"({"metadata": {"protocol": "query", "endpointPrefix": "demo", "apiVersion": "2020-01-01"},
          "operations": {}, "shapes": {}})");
  ASSERT_TRUE(model) << model.error().message;
  EXPECT_EQ((*model)->xmlNamespace(), "https://demo.amazonaws.com/doc/2020-01-01/");
}

TEST(ServiceModel, WritesWideStructuresInModelOrder) {
  // More members than the writer's on-stack slots; declared in reverse name order.
  json members = json::object();
  json output = json::object();
  std::vector<std::string> names;
  for (int i = 40; i >= 1; --i) {
    std::string name = "M";
    name += std::to_string(100 + i);
    names.push_back(name);
    output[name] = i;
  }
  std::string text = R"({"metadata": {"protocol": "query", "endpointPrefix": "w", "apiVersion": "1"},
    "operations": {"Get": {"name": "Get", "output": {"shape": "Out", "resultWrapper": "GetResult"}}},
    "shapes": {"Int": {"type": "integer"}, "Out": {"type": "structure", "members": {)";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += ", ";
    text += "\"";
    text += names[i];
    text += "\": {\"shape\": \"Int\"}";
  }
  text += "}}}}";
  auto model = ServiceModel::parse(text);
  ASSERT_TRUE(model) << model.error().message;
  std::string xml = (*model)->encodeOutput("Get", output, "r");
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str())) << xml;
  std::vector<std::string> written;
  for (pugi::xml_node child : doc.child("GetResponse").child("GetResult").children()) written.emplace_back(child.name());
  EXPECT_EQ(written, names);
}

TEST(ServiceModel, ConcurrentFirstUseCompilesPatternsOnce) {
  // A fresh model: every thread races to compile the same patterns lazily.
  auto model = ServiceModel::parse(R"json({"metadata": {"protocol": "query", "endpointPrefix": "c", "apiVersion": "1"},
    "operations": {"Put": {"name": "Put", "input": {"shape": "In"}}},
    "shapes": {"In": {"type": "structure", "members": {"Name": {"shape": "Name"}, "Text": {"shape": "Text"}}},
               "Name": {"type": "string", "pattern": "[\\w+=,.@-]+"},
               "Text": {"type": "string", "pattern": "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)"}}})json");
  ASSERT_TRUE(model) << model.error().message;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        bool good = (i + t) % 2 == 0;
        auto input = (*model)->decodeInput("Put", {{"Name", good ? "ok" : "not ok"}, {"Text", "/a/"}});
        if (static_cast<bool>(input) != good) failures.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace iamlocal::protocol
