// Shared fixture of the policy operation tests: a fresh Store with every IAM
// operation registered, a fixed caller (account 123456789012's root) and a
// fixed time, and helpers to seed principals directly into the store so these
// tests do not depend on the identity operations.
#pragma once

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "iamlocal/auth/principal.h"
#include "iamlocal/core/clock.h"
#include "iamlocal/core/strings.h"
#include "iamlocal/services/iam.h"
#include "iamlocal/services/operation.h"
#include "iamlocal/store/aws_managed_policies.h"
#include "iamlocal/store/store.h"

namespace iamlocal::services::iam::testing {

using nlohmann::json;

inline constexpr std::string_view kAccount = "123456789012";
inline const std::string kDoc = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})";
inline const std::string kAdminArn = "arn:aws:iam::aws:policy/AdministratorAccess";
inline const std::string kReadOnlyArn = "arn:aws:iam::aws:policy/ReadOnlyAccess";

class PolicyOperationsTest : public ::testing::Test {
 protected:
  PolicyOperationsTest() {
    registerIamOperations(table_, store_);
    TimePoint t;
    parseIso8601("2024-05-01T12:00:00Z", t);
    now_ = t;
  }

  Result<json> call(std::string_view action, const json& input) {
    const OperationHandler* handler = table_.find("iam", action);
    if (handler == nullptr) {
      ADD_FAILURE() << "no handler for " << action;
      return std::unexpected(Error{ErrorCode::InvalidAction, std::string(action)});
    }
    Call c;
    c.service = "iam";
    c.action = std::string(action);
    c.request_id = "req";
    c.region = "us-east-1";
    c.caller = auth::rootPrincipal(kAccount);
    c.now = now_;
    return (*handler)(c, input);
  }

  // Runs `action` and returns its output, failing the test on an error.
  json ok(std::string_view action, const json& input) {
    auto result = call(action, input);
    if (!result) {
      ADD_FAILURE() << action << " failed: " << result.error().codeName() << ": " << result.error().message;
      return json::object();
    }
    return *result;
  }

  // Runs `action` expecting the error `code` with exactly `message`.
  void expectError(std::string_view action, const json& input, ErrorCode code, std::string_view message) {
    auto result = call(action, input);
    ASSERT_FALSE(result.has_value()) << action << " unexpectedly succeeded: " << result->dump();
    EXPECT_EQ(result.error().codeName(), errorCodeName(code)) << result.error().message;
    EXPECT_EQ(result.error().message, message);
  }

  std::string createPolicy(std::string_view name, std::string_view path = "/") {
    json out = ok("CreatePolicy", {{"PolicyName", name}, {"Path", path}, {"PolicyDocument", kDoc}});
    return out["Policy"].value("Arn", "");
  }

  store::Account& account() { return store_.account(kAccount); }

  store::User& addUser(const std::string& name, const std::string& path = "/") {
    store::User u;
    u.name = name;
    u.path = path;
    u.id = "AIDA" + name;
    u.arn = "arn:aws:iam::123456789012:user" + path + name;
    u.create_date = now_;
    return account().users.emplace(name, std::move(u)).first->second;
  }
  store::Group& addGroup(const std::string& name, const std::string& path = "/") {
    store::Group g;
    g.name = name;
    g.path = path;
    g.id = "AGPA" + name;
    g.arn = "arn:aws:iam::123456789012:group" + path + name;
    g.create_date = now_;
    return account().groups.emplace(name, std::move(g)).first->second;
  }
  store::Role& addRole(const std::string& name, const std::string& path = "/") {
    store::Role r;
    r.name = name;
    r.path = path;
    r.id = "AROA" + name;
    r.arn = "arn:aws:iam::123456789012:role" + path + name;
    r.create_date = now_;
    r.trust_policy = store_.internTrustPolicy(R"({"Version":"2012-10-17","Statement":[]})");
    return account().roles.emplace(name, std::move(r)).first->second;
  }

  store::Store store_;
  OperationTable table_;
  TimePoint now_;
};

}  // namespace iamlocal::services::iam::testing
