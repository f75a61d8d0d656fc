// Shared fixture of the STS operation tests beside sts_test.cpp: a Store
// with every IAM and STS operation registered, a fixed time, and callers
// switched by access key as the query endpoint identifies them.
#pragma once

#include <string>
#include <string_view>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "iamlocal/auth/principal.h"
#include "iamlocal/auth/totp.h"
#include "iamlocal/core/clock.h"
#include "iamlocal/services/iam.h"
#include "iamlocal/services/operation.h"
#include "iamlocal/services/sts.h"
#include "iamlocal/store/store.h"

namespace iamlocal::services::sts_testing {

using nlohmann::json;

inline constexpr std::string_view kAccount = "123456789012";

class StsFixture : public ::testing::Test {
 public:
  StsFixture() {
    registerIamOperations(table_, store_);
    registerStsOperations(table_, store_, store_, StsOptions{"000000000000"});
    parseIso8601("2024-05-01T12:00:00Z", now_);
    caller_ = root_ = auth::rootPrincipal(kAccount, "AKIAROOTROOTROOTROOT");
  }

  // Registers the STS operations again with `options`, replacing them.
  void registerWith(StsOptions options) { registerStsOperations(table_, store_, store_, std::move(options)); }

  Result<json> call(std::string_view service, std::string_view action, const json& input) {
    const OperationHandler* handler = table_.find(service, action);
    if (handler == nullptr) {
      ADD_FAILURE() << "no handler for " << action;
      return std::unexpected(Error{ErrorCode::InvalidAction, std::string(action)});
    }
    Call c;
    c.service = std::string(service);
    c.action = std::string(action);
    c.request_id = "req";
    c.region = region_;
    c.source_ip = "127.0.0.1";
    c.caller = caller_;
    c.now = now_;
    return (*handler)(c, input);
  }

  json ok(std::string_view action, const json& input = json::object(), std::string_view service = "sts") {
    auto result = call(service, action, input);
    if (!result) {
      ADD_FAILURE() << action << " failed: " << result.error().codeName() << ": " << result.error().message;
      return json::object();
    }
    return *result;
  }

  // As root, whatever the current caller.
  json asRoot(std::string_view action, const json& input, std::string_view service = "iam") {
    auto saved = caller_;
    caller_ = root_;
    json out = ok(action, input, service);
    caller_ = saved;
    return out;
  }

  void expectError(std::string_view action, const json& input, ErrorCode code, std::string_view message) {
    auto result = call("sts", action, input);
    ASSERT_FALSE(result.has_value()) << action << " unexpectedly succeeded: " << result->dump();
    EXPECT_EQ(result.error().codeName(), errorCodeName(code)) << result.error().message;
    EXPECT_EQ(result.error().message, message);
  }

  // Becomes the principal the store names for `access_key_id`.
  void callWith(const std::string& access_key_id) {
    auto credential = store_.findAccessKey(access_key_id);
    ASSERT_TRUE(credential) << access_key_id;
    caller_ = credential->principal;
  }

  // Creates the IAM user `name` with an access key and calls as it.
  void callAsNewUser(const std::string& name) {
    asRoot("CreateUser", {{"UserName", name}});
    json key = asRoot("CreateAccessKey", {{"UserName", name}});
    callWith(key["AccessKey"]["AccessKeyId"]);
  }

  // Gives user `name` an enabled virtual MFA device; returns its serial,
  // its seed in seed_.
  std::string giveMfaDevice(const std::string& name) {
    json device = asRoot("CreateVirtualMFADevice", {{"VirtualMFADeviceName", name}})["VirtualMFADevice"];
    seed_ = auth::base32Decode(device.value("Base32StringSeed", "")).value_or("");
    const std::string serial = device.value("SerialNumber", "");
    const std::uint64_t step = auth::totpStep(now_);
    asRoot("EnableMFADevice", {{"UserName", name},
                               {"SerialNumber", serial},
                               {"AuthenticationCode1", auth::hotpCode(seed_, step - 1)},
                               {"AuthenticationCode2", auth::hotpCode(seed_, step)}});
    return serial;
  }

  std::shared_ptr<const store::Session> session(const json& credentials) {
    return store_.findSession(credentials["AccessKeyId"].get<std::string>());
  }

  store::Store store_;
  OperationTable table_;
  TimePoint now_;
  auth::Principal caller_, root_;
  std::string seed_;
  std::string region_ = "us-east-1";  // the region requests name
};

}  // namespace iamlocal::services::sts_testing
