// Runs the table-driven corpus in tests/fixtures/policy/*.json: each case is
// policies + a request + the decision AWS documents for it.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "iamlocal/policy/evaluator.h"

namespace iamlocal::policy {
namespace {

using nlohmann::json;

std::vector<std::filesystem::path> corpusFiles() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(IAMLOCAL_SOURCE_DIR "/tests/fixtures/policy"))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

RequestContext requestFrom(const json& r) {
  RequestContext ctx;
  ctx.action = r.value("action", "");
  ctx.resource = r.value("resource", "*");
  ctx.principal_arn = r.value("principal_arn", "arn:aws:iam::111122223333:user/alice");
  ctx.principal_account = r.value("principal_account", "111122223333");
  ctx.role_arn = r.value("role_arn", "");
  ctx.principal_is_root = r.value("root", false);
  ctx.resource_account = r.value("resource_account", "");
  ctx.principal_service = r.value("service", "");
  ctx.federated_provider = r.value("federated", "");
  if (!ctx.principal_service.empty()) {
    ctx.principal_arn.clear();
    ctx.principal_account.clear();
  }
  EXPECT_TRUE(parseIso8601(r.value("now", "2024-05-01T12:00:00Z"), ctx.now));
  const json context = r.value("context", json::object());
  for (const auto& [key, value] : context.items()) {
    if (value.is_array())
      ctx.set(key, value.get<std::vector<std::string>>());
    else
      ctx.set(key, value.get<std::string>());
  }
  ctx.finalize();
  return ctx;
}

TEST(PolicyEvaluationCorpus, EveryCaseGetsTheDocumentedDecision) {
  int cases = 0;
  for (const auto& file : corpusFiles()) {
    std::ifstream in(file);
    const json corpus = json::parse(in);
    for (const auto& c : corpus.at("cases")) {
      ++cases;
      SCOPED_TRACE(file.filename().string() + ": " + c.at("name").get<std::string>() + " [" + c.at("doc").get<std::string>() + "]");
      std::vector<CompiledPolicy> storage;
      storage.reserve(16);
      PolicySet set;
      const json& policies = c.at("policies");
      auto load = [&](const char* layer, std::vector<const CompiledPolicy*>& into) {
        if (!policies.contains(layer)) return false;
        int n = 0;
        for (const auto& p : policies.at(layer)) {
          auto compiled = compilePolicy(p.dump(2), std::string(layer) + "." + std::to_string(++n));
          EXPECT_TRUE(compiled.has_value());
          if (!compiled) continue;
          storage.push_back(std::move(*compiled));
          into.push_back(&storage.back());
        }
        return true;
      };
      load("identity", set.identity);
      load("resource", set.resource);
      set.boundary_present = load("boundary", set.boundary);
      set.session_present = load("session", set.session);

      const Decision d = evaluate(set, requestFrom(c.at("request")));
      EXPECT_EQ(decisionName(d.type), c.at("expect").get<std::string>());
      if (c.contains("layer")) {
        EXPECT_EQ(layerName(d.layer), c.at("layer").get<std::string>());
      }
      if (c.contains("missing")) {
        std::vector<std::string> missing(d.missing_context_keys.begin(), d.missing_context_keys.end());
        EXPECT_EQ(missing, c.at("missing").get<std::vector<std::string>>());
      }
      // Every decision that is not an implicit deny names the statements
      // behind it (except the root's, which needs none).
      if (d.type != DecisionType::ImplicitDeny && !c.at("request").value("root", false)) {
        EXPECT_FALSE(d.matched.empty());
      }
    }
  }
  EXPECT_GE(cases, 80);
}

}  // namespace
}  // namespace iamlocal::policy
