// MFA in STS: checkMfaCode's answers for every kind of caller and request,
// and GetSessionToken with SerialNumber and TokenCode.
#include "../../../src/services/sts/mfa.h"

#include <chrono>
#include <shared_mutex>

#include "sts_fixture.h"

namespace iamlocal::services::sts {
namespace {

using sts_testing::json;
using sts_testing::StsFixture;

class MfaCheckTest : public StsFixture {
 public:
  Result<bool> check(const json& input) {
    Call c;
    c.caller = caller_;
    c.now = now_;
    std::shared_lock lock(store_.mutex());
    return checkMfaCode(store_, c, input, now_);
  }
  std::string currentCode() const { return auth::totpCode(seed_, now_); }
};

TEST_F(MfaCheckTest, NoSerialNumberMeansNoMfa) {
  callAsNewUser("alice");
  EXPECT_EQ(check(json::object()), false);
  // A TokenCode alone claims nothing.
  EXPECT_EQ(check({{"TokenCode", "123456"}}), false);
}

TEST_F(MfaCheckTest, TheCallersDeviceAndACurrentCodeAuthenticate) {
  callAsNewUser("alice");
  const std::string serial = giveMfaDevice("alice");
  EXPECT_EQ(check({{"SerialNumber", serial}, {"TokenCode", currentCode()}}), true);
  // Thirty seconds on, the previous code still counts (one step of drift).
  const std::string code = currentCode();
  now_ += std::chrono::seconds(30);
  EXPECT_EQ(check({{"SerialNumber", serial}, {"TokenCode", code}}), true);
  now_ += std::chrono::seconds(60);
  auto stale = check({{"SerialNumber", serial}, {"TokenCode", code}});
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().message, kMfaInvalidCode);
}

TEST_F(MfaCheckTest, AWrongOrMissingCodeIsAccessDeniedInvalidCode) {
  callAsNewUser("alice");
  const std::string serial = giveMfaDevice("alice");
  for (const json& input : {json{{"SerialNumber", serial}, {"TokenCode", "000000"}}, json{{"SerialNumber", serial}}}) {
    SCOPED_TRACE(input.dump());
    auto result = check(input);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::AccessDenied);
    EXPECT_EQ(result.error().message, "MultiFactorAuthentication failed with invalid MFA one time pass code. ");
  }
}

TEST_F(MfaCheckTest, ADeviceThatIsNotTheCallersIsAccessDeniedUnableToValidate) {
  callAsNewUser("alice");
  const std::string alice_serial = giveMfaDevice("alice");
  const std::string alice_code = currentCode();
  callAsNewUser("bob");
  for (const std::string& serial : {alice_serial, std::string("arn:aws:iam::123456789012:mfa/nobody")}) {
    SCOPED_TRACE(serial);
    auto result = check({{"SerialNumber", serial}, {"TokenCode", alice_code}});
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::AccessDenied);
    EXPECT_EQ(result.error().message,
              "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number "
              "is valid and associated with this user.");
  }
}

TEST_F(MfaCheckTest, AnUnassignedDeviceAuthenticatesNobody) {
  callAsNewUser("alice");
  json device = asRoot("CreateVirtualMFADevice", {{"VirtualMFADeviceName", "spare"}})["VirtualMFADevice"];
  seed_ = auth::base32Decode(device.value("Base32StringSeed", "")).value_or("");
  auto result = check({{"SerialNumber", device["SerialNumber"]}, {"TokenCode", currentCode()}});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, kMfaUnknownDevice);
}

TEST_F(MfaCheckTest, ASessionOfTheUserProvesWithTheUsersDevice) {
  callAsNewUser("alice");
  const std::string serial = giveMfaDevice("alice");
  json creds = ok("GetSessionToken")["Credentials"];
  callWith(creds["AccessKeyId"]);
  EXPECT_EQ(check({{"SerialNumber", serial}, {"TokenCode", currentCode()}}), true);
}

TEST_F(MfaCheckTest, ARoleSessionHasNoDeviceOfItsOwn) {
  callAsNewUser("alice");
  const std::string serial = giveMfaDevice("alice");
  caller_.type = auth::PrincipalType::AssumedRole;
  caller_.arn = "arn:aws:sts::123456789012:assumed-role/Ops/alice";
  auto result = check({{"SerialNumber", serial}, {"TokenCode", currentCode()}});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, kMfaUnknownDevice);
}

TEST_F(MfaCheckTest, GetSessionTokenWithMfaMarksTheSessionMfaAuthenticated) {
  callAsNewUser("alice");
  const std::string serial = giveMfaDevice("alice");
  json creds = ok("GetSessionToken", {{"SerialNumber", serial}, {"TokenCode", currentCode()}})["Credentials"];
  auto issued = session(creds);
  ASSERT_NE(issued, nullptr);
  EXPECT_TRUE(issued->mfa_authenticated);
  EXPECT_EQ(issued->issued_at, now_);
  EXPECT_EQ(issued->source_user_name, "alice");

  json plain = ok("GetSessionToken")["Credentials"];
  ASSERT_NE(session(plain), nullptr);
  EXPECT_FALSE(session(plain)->mfa_authenticated);
}

TEST_F(MfaCheckTest, GetSessionTokenWithAWrongCodeIsRefusedAndIssuesNothing) {
  callAsNewUser("alice");
  const std::string serial = giveMfaDevice("alice");
  const std::size_t before = store_.sessionCount();
  expectError("GetSessionToken", {{"SerialNumber", serial}, {"TokenCode", "000000"}}, ErrorCode::AccessDenied,
              kMfaInvalidCode);
  EXPECT_EQ(store_.sessionCount(), before);
}

}  // namespace
}  // namespace iamlocal::services::sts
