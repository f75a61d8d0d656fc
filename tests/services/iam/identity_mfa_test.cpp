// Virtual MFA devices through the IAM handlers: creation (serial, Base32
// seed, QR code PNG), enabling with two consecutive TOTP codes, listing by
// assignment, deactivation and deletion rules, tags, and what DeleteUser and
// GetAccountSummary make of devices.
#include <chrono>

#include "iamlocal/auth/totp.h"
#include "identity_test_fixture.h"

namespace iamlocal::services::iam {
namespace {

using identity_testing::IdentityTest;
using identity_testing::json;
using identity_testing::kAccount;
using std::chrono::seconds;

class MfaTest : public IdentityTest {
 public:
  // Creates a device and returns its serial number; its seed in seed_.
  std::string createDevice(const std::string& name, const std::string& path = "/") {
    json out = ok("CreateVirtualMFADevice", {{"VirtualMFADeviceName", name}, {"Path", path}});
    const json& device = out["VirtualMFADevice"];
    auto seed = auth::base32Decode(device.value("Base32StringSeed", ""));
    EXPECT_TRUE(seed.has_value());
    seed_ = seed.value_or("");
    return device.value("SerialNumber", "");
  }

  // The codes of the previous and the current step, as a user reads them.
  json enableInput(const std::string& user, const std::string& serial) {
    const std::uint64_t step = auth::totpStep(now_);
    return {{"UserName", user},
            {"SerialNumber", serial},
            {"AuthenticationCode1", auth::hotpCode(seed_, step - 1)},
            {"AuthenticationCode2", auth::hotpCode(seed_, step)}};
  }

  std::string seed_;
};

TEST_F(MfaTest, CreateReturnsSerialArnFortyByteSeedAndPngQrCode) {
  json out = ok("CreateVirtualMFADevice", {{"VirtualMFADeviceName", "alice-phone"}, {"Path", "/team/"}});
  const json& device = out["VirtualMFADevice"];
  EXPECT_EQ(device["SerialNumber"], "arn:aws:iam::123456789012:mfa/team/alice-phone");
  const std::string seed_text = device["Base32StringSeed"];
  EXPECT_EQ(seed_text.size(), 64u);
  auto seed = auth::base32Decode(seed_text);
  ASSERT_TRUE(seed);
  EXPECT_EQ(seed->size(), 40u);
  const std::string png = device["QRCodePNG"];
  ASSERT_GT(png.size(), 8u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
}

TEST_F(MfaTest, EverySeedIsDifferent) {
  createDevice("a");
  const std::string first = seed_;
  createDevice("b");
  EXPECT_NE(first, seed_);
}

TEST_F(MfaTest, CreateRefusesANameInUseIgnoringCaseAndPath) {
  createDevice("Phone");
  expectError("CreateVirtualMFADevice", {{"VirtualMFADeviceName", "phone"}, {"Path", "/other/"}},
              ErrorCode::EntityAlreadyExists, "MFADevice entity at the same path and name already exists.");
}

TEST_F(MfaTest, EnableAssignsTheDeviceWithTwoConsecutiveCodes) {
  ok("CreateUser", {{"UserName", "alice"}});
  const std::string serial = createDevice("alice");
  ok("EnableMFADevice", enableInput("alice", serial));
  json listed = ok("ListMFADevices", {{"UserName", "alice"}});
  ASSERT_EQ(listed["MFADevices"].size(), 1u);
  EXPECT_EQ(listed["MFADevices"][0]["SerialNumber"], serial);
  EXPECT_EQ(listed["MFADevices"][0]["UserName"], "alice");
  EXPECT_EQ(listed["MFADevices"][0]["EnableDate"], "2024-05-01T12:00:00Z");
  json got = ok("GetMFADevice", {{"SerialNumber", serial}});
  EXPECT_EQ(got["UserName"], "alice");
}

TEST_F(MfaTest, EnableRefusesWrongOrNonConsecutiveCodes) {
  ok("CreateUser", {{"UserName", "alice"}});
  const std::string serial = createDevice("alice");
  const std::uint64_t step = auth::totpStep(now_);
  for (const auto& [code1, code2] : {std::pair{std::string("000000"), std::string("000000")},
                                     std::pair{auth::hotpCode(seed_, step), auth::hotpCode(seed_, step)},
                                     std::pair{auth::hotpCode(seed_, step), auth::hotpCode(seed_, step - 1)},
                                     std::pair{auth::hotpCode(seed_, step - 10), auth::hotpCode(seed_, step - 9)}}) {
    SCOPED_TRACE(code1 + " " + code2);
    expectError("EnableMFADevice",
                {{"UserName", "alice"}, {"SerialNumber", serial}, {"AuthenticationCode1", code1},
                 {"AuthenticationCode2", code2}},
                ErrorCode::InvalidAuthenticationCode, "Authentication code for device is not valid.");
  }
  EXPECT_EQ(errorHttpStatus(ErrorCode::InvalidAuthenticationCode), 403);
}

TEST_F(MfaTest, EnableRefusesUnknownUserUnknownDeviceAndADeviceInUse) {
  ok("CreateUser", {{"UserName", "alice"}});
  ok("CreateUser", {{"UserName", "bob"}});
  const std::string serial = createDevice("shared");
  expectError("EnableMFADevice", enableInput("carol", serial), ErrorCode::NoSuchEntity,
              "The user with name carol cannot be found.");
  const std::string missing = "arn:aws:iam::123456789012:mfa/missing";
  expectError("EnableMFADevice", enableInput("alice", missing), ErrorCode::NoSuchEntity,
              "VirtualMFADevice with serial number " + missing + " doesn't exist.");
  ok("EnableMFADevice", enableInput("alice", serial));
  expectError("EnableMFADevice", enableInput("bob", serial), ErrorCode::EntityAlreadyExists,
              "MFA Device is already in use.");
}

TEST_F(MfaTest, ListVirtualDevicesFiltersByAssignmentAndNamesTheUser) {
  ok("CreateUser", {{"UserName", "alice"}});
  const std::string assigned = createDevice("a-assigned");
  ok("EnableMFADevice", enableInput("alice", assigned));
  const std::string free_device = createDevice("b-free");

  json any = ok("ListVirtualMFADevices");
  ASSERT_EQ(any["VirtualMFADevices"].size(), 2u);
  EXPECT_EQ(any["VirtualMFADevices"][0]["User"]["UserName"], "alice");
  EXPECT_FALSE(any["VirtualMFADevices"][0].contains("Base32StringSeed"));
  EXPECT_FALSE(any["VirtualMFADevices"][1].contains("User"));

  json only_assigned = ok("ListVirtualMFADevices", {{"AssignmentStatus", "Assigned"}});
  ASSERT_EQ(only_assigned["VirtualMFADevices"].size(), 1u);
  EXPECT_EQ(only_assigned["VirtualMFADevices"][0]["SerialNumber"], assigned);
  json unassigned = ok("ListVirtualMFADevices", {{"AssignmentStatus", "Unassigned"}});
  ASSERT_EQ(unassigned["VirtualMFADevices"].size(), 1u);
  EXPECT_EQ(unassigned["VirtualMFADevices"][0]["SerialNumber"], free_device);
}

TEST_F(MfaTest, ListVirtualDevicesPaginates) {
  createDevice("d1");
  createDevice("d2");
  createDevice("d3");
  json first = ok("ListVirtualMFADevices", {{"MaxItems", 2}});
  ASSERT_EQ(first["VirtualMFADevices"].size(), 2u);
  EXPECT_TRUE(first["IsTruncated"]);
  json second = ok("ListVirtualMFADevices", {{"MaxItems", 2}, {"Marker", first["Marker"]}});
  ASSERT_EQ(second["VirtualMFADevices"].size(), 1u);
  EXPECT_FALSE(second["IsTruncated"]);
  EXPECT_EQ(second["VirtualMFADevices"][0]["SerialNumber"], "arn:aws:iam::123456789012:mfa/d3");
}

TEST_F(MfaTest, ListMfaDevicesDefaultsToTheCallingUser) {
  ok("CreateUser", {{"UserName", "alice"}});
  const std::string serial = createDevice("alice");
  ok("EnableMFADevice", enableInput("alice", serial));
  callAsUser("alice");
  json listed = ok("ListMFADevices");
  ASSERT_EQ(listed["MFADevices"].size(), 1u);
  EXPECT_EQ(listed["MFADevices"][0]["SerialNumber"], serial);
  callAsRole("Ops");
  expectError("ListMFADevices", json::object(), ErrorCode::ValidationError,
              "Must specify userName when calling with non-User credentials");
}

TEST_F(MfaTest, DeleteIsRefusedWhileAssignedAndAllowedAfterDeactivation) {
  ok("CreateUser", {{"UserName", "alice"}});
  const std::string serial = createDevice("alice");
  ok("EnableMFADevice", enableInput("alice", serial));
  auto refused = call("DeleteVirtualMFADevice", {{"SerialNumber", serial}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::DeleteConflict);
  ok("DeactivateMFADevice", {{"UserName", "alice"}, {"SerialNumber", serial}});
  EXPECT_TRUE(ok("ListMFADevices", {{"UserName", "alice"}})["MFADevices"].empty());
  ok("DeleteVirtualMFADevice", {{"SerialNumber", serial}});
  EXPECT_TRUE(ok("ListVirtualMFADevices")["VirtualMFADevices"].empty());
  expectError("DeleteVirtualMFADevice", {{"SerialNumber", serial}}, ErrorCode::NoSuchEntity,
              "VirtualMFADevice with serial number " + serial + " doesn't exist.");
}

TEST_F(MfaTest, DeactivateRefusesADeviceOfAnotherUser) {
  ok("CreateUser", {{"UserName", "alice"}});
  ok("CreateUser", {{"UserName", "bob"}});
  const std::string serial = createDevice("alice");
  ok("EnableMFADevice", enableInput("alice", serial));
  expectError("DeactivateMFADevice", {{"UserName", "bob"}, {"SerialNumber", serial}}, ErrorCode::NoSuchEntity,
              "MFA Device with serial number " + serial + " does not exist.");
}

TEST_F(MfaTest, GetMfaDeviceDoesNotFindAnUnassignedDevice) {
  const std::string serial = createDevice("free");
  expectError("GetMFADevice", {{"SerialNumber", serial}}, ErrorCode::NoSuchEntity,
              "MFA Device with serial number " + serial + " does not exist.");
}

TEST_F(MfaTest, ResyncAcceptsCodesFromADriftedClock) {
  ok("CreateUser", {{"UserName", "alice"}});
  const std::string serial = createDevice("alice");
  ok("EnableMFADevice", enableInput("alice", serial));
  const std::uint64_t step = auth::totpStep(now_);
  ok("ResyncMFADevice", {{"UserName", "alice"},
                         {"SerialNumber", serial},
                         {"AuthenticationCode1", auth::hotpCode(seed_, step - 6)},
                         {"AuthenticationCode2", auth::hotpCode(seed_, step - 5)}});
  expectError("ResyncMFADevice",
              {{"UserName", "alice"},
               {"SerialNumber", serial},
               {"AuthenticationCode1", "123456"},
               {"AuthenticationCode2", "654321"}},
              ErrorCode::InvalidAuthenticationCode, "Authentication code for device is not valid.");
}

TEST_F(MfaTest, TagsAreAddedListedSortedAndRemoved) {
  const std::string serial = createDevice("tagged");
  ok("TagMFADevice", {{"SerialNumber", serial},
                      {"Tags", json::array({{{"Key", "team"}, {"Value", "ops"}}, {{"Key", "env"}, {"Value", "prod"}}})}});
  json tags = ok("ListMFADeviceTags", {{"SerialNumber", serial}});
  ASSERT_EQ(tags["Tags"].size(), 2u);
  EXPECT_EQ(tags["Tags"][0]["Key"], "env");
  ok("UntagMFADevice", {{"SerialNumber", serial}, {"TagKeys", json::array({"ENV"})}});
  tags = ok("ListMFADeviceTags", {{"SerialNumber", serial}});
  ASSERT_EQ(tags["Tags"].size(), 1u);
  EXPECT_EQ(tags["Tags"][0]["Key"], "team");
  expectError("ListMFADeviceTags", {{"SerialNumber", "arn:aws:iam::123456789012:mfa/none"}}, ErrorCode::NoSuchEntity,
              "VirtualMFADevice with serial number arn:aws:iam::123456789012:mfa/none doesn't exist.");
}

TEST_F(MfaTest, DeleteUserIsRefusedWhileTheUserHasAnMfaDevice) {
  ok("CreateUser", {{"UserName", "alice"}});
  const std::string serial = createDevice("alice");
  ok("EnableMFADevice", enableInput("alice", serial));
  expectError("DeleteUser", {{"UserName", "alice"}}, ErrorCode::DeleteConflict,
              "Cannot delete entity, must delete MFA device first.");
  ok("DeactivateMFADevice", {{"UserName", "alice"}, {"SerialNumber", serial}});
  ok("DeleteUser", {{"UserName", "alice"}});
}

TEST_F(MfaTest, RenamingAUserKeepsItsDevice) {
  ok("CreateUser", {{"UserName", "alice"}});
  const std::string serial = createDevice("alice");
  ok("EnableMFADevice", enableInput("alice", serial));
  ok("UpdateUser", {{"UserName", "alice"}, {"NewUserName", "alicia"}});
  EXPECT_EQ(ok("GetMFADevice", {{"SerialNumber", serial}})["UserName"], "alicia");
}

TEST_F(MfaTest, AccountSummaryCountsDevicesAndThoseInUse) {
  ok("CreateUser", {{"UserName", "alice"}});
  const std::string serial = createDevice("alice");
  ok("EnableMFADevice", enableInput("alice", serial));
  createDevice("spare");
  json summary = ok("GetAccountSummary")["SummaryMap"];
  EXPECT_EQ(summary["MFADevices"], 2);
  EXPECT_EQ(summary["MFADevicesInUse"], 1);
}

}  // namespace
}  // namespace iamlocal::services::iam
