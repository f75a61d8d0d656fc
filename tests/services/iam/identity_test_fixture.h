// Shared fixture of the identity operation tests: a fresh Store with every
// IAM operation registered, a fixed time, and a caller that defaults to
// account 123456789012's root but can be switched to an IAM user or a role.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "iamlocal/auth/principal.h"
#include "iamlocal/core/clock.h"
#include "iamlocal/services/iam.h"
#include "iamlocal/services/operation.h"
#include "iamlocal/store/store.h"

namespace iamlocal::services::iam::identity_testing {

using nlohmann::json;

inline constexpr std::string_view kAccount = "123456789012";
inline const std::string kTrust =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})";
inline const std::string kPolicyDoc =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})";

class IdentityTest : public ::testing::Test {
 public:
  IdentityTest() {
    registerIamOperations(table_, store_);
    parseIso8601("2024-05-01T12:00:00Z", now_);
    caller_ = auth::rootPrincipal(kAccount, "AKIAROOTROOTROOTROOT");
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
    c.caller = caller_;
    c.now = now_;
    return (*handler)(c, input);
  }

  json ok(std::string_view action, const json& input = json::object()) {
    auto result = call(action, input);
    if (!result) {
      ADD_FAILURE() << action << " failed: " << result.error().codeName() << ": " << result.error().message;
      return json::object();
    }
    return *result;
  }

  void expectError(std::string_view action, const json& input, ErrorCode code, std::string_view message) {
    auto result = call(action, input);
    ASSERT_FALSE(result.has_value()) << action << " unexpectedly succeeded: " << result->dump();
    EXPECT_EQ(result.error().codeName(), errorCodeName(code)) << result.error().message;
    EXPECT_EQ(result.error().message, message);
  }

  // Makes the following calls as the IAM user `name` of kAccount.
  void callAsUser(const std::string& name) {
    caller_.type = auth::PrincipalType::User;
    caller_.account_id = kAccount;
    caller_.name = name;
    caller_.arn = "arn:aws:iam::" + std::string(kAccount) + ":user/" + name;
    caller_.user_id = "AIDAEXAMPLE";
  }

  // Makes the following calls as a session of role `name`.
  void callAsRole(const std::string& name) {
    caller_.type = auth::PrincipalType::AssumedRole;
    caller_.account_id = kAccount;
    caller_.name = name;
    caller_.arn = "arn:aws:sts::" + std::string(kAccount) + ":assumed-role/" + name + "/session";
  }

  json createRole(const std::string& name, const std::string& path = "/") {
    return ok("CreateRole", {{"RoleName", name}, {"Path", path}, {"AssumeRolePolicyDocument", kTrust}});
  }

  std::string createPolicy(const std::string& name) {
    json out = ok("CreatePolicy", {{"PolicyName", name}, {"PolicyDocument", kPolicyDoc}});
    return out["Policy"].value("Arn", "");
  }

  const store::Account& account() {
    const store::Account* a = store_.findAccount(kAccount);
    EXPECT_NE(a, nullptr);
    return *a;
  }

  store::Store store_;
  OperationTable table_;
  TimePoint now_;
  auth::Principal caller_;
};

}  // namespace iamlocal::services::iam::identity_testing
