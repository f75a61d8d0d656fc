// Virtual MFA devices: CreateVirtualMFADevice (Base32 seed and QR code PNG),
// EnableMFADevice and ResyncMFADevice (two consecutive TOTP codes),
// DeactivateMFADevice, DeleteVirtualMFADevice, ListMFADevices,
// ListVirtualMFADevices, GetMFADevice and the device's tags. A device lives
// in its account keyed by serial number (its ARN) and names the user it is
// assigned to.
#include <algorithm>
#include <mutex>
#include <shared_mutex>

#include <openssl/rand.h>

#include "iamlocal/auth/totp.h"
#include "iamlocal/core/strings.h"
#include "identity_common.h"
#include "mfa_qr_code.h"
#include "shapes.h"
#include "tagging.h"

namespace iamlocal::services::iam {
namespace {

using store::Account;
using store::MfaDevice;

// AWS's seeds are 40 bytes: the 64-character Base32StringSeed.
constexpr std::size_t kSeedBytes = 40;
// IAM quota "MFA devices in use per user": 8.
constexpr std::size_t kMfaDevicesPerUser = 8;
// EnableMFADevice takes the two codes a user reads off the app one after the
// other, so the first may be a step or two old by the time they are sent;
// ResyncMFADevice exists for devices whose clocks drifted further (AWS
// documents no window; five minutes either way).
constexpr int kEnableWindowSteps = 2;
constexpr int kResyncWindowSteps = 10;

Error noSuchDevice(std::string_view serial) {
  return makeError(ErrorCode::NoSuchEntity, "VirtualMFADevice with serial number " + std::string(serial) +
                                                " doesn't exist.");
}

Error noSuchUserDevice(std::string_view serial) {
  return makeError(ErrorCode::NoSuchEntity, "MFA Device with serial number " + std::string(serial) +
                                                " does not exist.");
}

Error invalidCode() {
  return makeError(ErrorCode::InvalidAuthenticationCode, "Authentication code for device is not valid.");
}

// True when `code1` and `code2` are the codes of two consecutive steps near
// `now`.
bool consecutiveCodes(const MfaDevice& device, std::string_view code1, std::string_view code2, TimePoint now,
                      int window_steps) {
  const auto first = auth::matchTotpStep(device.seed, code1, now, window_steps);
  if (!first) return false;
  return auth::hotpCode(device.seed, *first + 1) == code2;
}

json mfaDeviceToJson(const MfaDevice& device) {
  json out = {{"UserName", device.user_name}, {"SerialNumber", device.serial_number}};
  if (device.enable_date) out["EnableDate"] = formatIso8601(*device.enable_date);
  return out;
}

// The user an operation with an optional UserName is about.
Result<std::string> userOrCaller(const Call& call, const json& input) {
  std::string name = inputString(input, "UserName");
  if (!name.empty()) return name;
  return callerUserName(call);
}

Result<json> createVirtualMfaDevice(store::Store& store, const Call& call, const json& input) {
  const std::string name = inputString(input, "VirtualMFADeviceName");
  const std::string path = inputString(input, "Path", "/");
  MfaDevice device;
  device.name = name;
  device.path = path;
  device.seed.resize(kSeedBytes);
  if (RAND_bytes(reinterpret_cast<unsigned char*>(device.seed.data()), static_cast<int>(kSeedBytes)) != 1)
    return fail(ErrorCode::ServiceFailure, "Could not generate a seed for the virtual MFA device.");
  if (auto tags = input.find("Tags"); tags != input.end())
    IAMLOCAL_RETURN_IF_ERROR(mergeTags(device.tags, *tags, "MFADevice"));
  const std::string base32_seed = auth::base32Encode(device.seed);

  std::unique_lock lock(store.mutex());
  Account& account = store.account(call.caller.account_id);
  device.serial_number = entityArn(account.id, "mfa", path, name);
  // Device names are unique in the account whatever their path, ignoring case.
  for (const auto& [serial, other] : account.mfa_devices)
    if (iequals(other.name, name))
      return fail(ErrorCode::EntityAlreadyExists, "MFADevice entity at the same path and name already exists.");
  const std::string account_name = account.aliases.empty() ? account.id : account.aliases.front();
  auto png = qrCodePng(mfaOtpauthUri(name, account_name, base32_seed));
  if (!png) return fail(ErrorCode::ServiceFailure, "Could not draw the QR code of the virtual MFA device.");
  // Blobs are given as raw bytes; the protocol layer base64-encodes them.
  json out_device = {{"SerialNumber", device.serial_number},
                     {"Base32StringSeed", base32_seed},
                     {"QRCodePNG", std::move(*png)}};
  if (!device.tags.empty()) out_device["Tags"] = tagsToJson(device.tags);
  std::string serial = device.serial_number;
  account.mfa_devices.emplace(std::move(serial), std::move(device));
  return json{{"VirtualMFADevice", std::move(out_device)}};
}

Result<json> enableMfaDevice(store::Store& store, const Call& call, const json& input) {
  const std::string user_name = inputString(input, "UserName");
  const std::string serial = inputString(input, "SerialNumber");
  std::unique_lock lock(store.mutex());
  Account& account = store.account(call.caller.account_id);
  auto user = account.users.find(user_name);
  if (user == account.users.end()) return fail(noSuchUser(user_name));
  auto device = account.mfa_devices.find(serial);
  if (device == account.mfa_devices.end()) return fail(noSuchDevice(serial));
  if (!device->second.user_name.empty()) return fail(ErrorCode::EntityAlreadyExists, "MFA Device is already in use.");
  const auto in_use = std::count_if(account.mfa_devices.begin(), account.mfa_devices.end(), [&](const auto& entry) {
    return iequals(entry.second.user_name, user->second.name);
  });
  if (static_cast<std::size_t>(in_use) >= kMfaDevicesPerUser)
    return fail(ErrorCode::LimitExceeded,
                "Cannot exceed quota for MFADevicesPerUser: " + std::to_string(kMfaDevicesPerUser));
  if (!consecutiveCodes(device->second, inputString(input, "AuthenticationCode1"),
                        inputString(input, "AuthenticationCode2"), call.now, kEnableWindowSteps))
    return fail(invalidCode());
  device->second.user_name = user->second.name;
  device->second.enable_date = std::chrono::time_point_cast<std::chrono::seconds>(call.now);
  return json::object();
}

// The device `serial` assigned to the named user (or the caller).
Result<MfaDevice*> findUserDevice(Account& account, const Call& call, const json& input) {
  const std::string serial = inputString(input, "SerialNumber");
  IAMLOCAL_ASSIGN_OR_RETURN(const std::string user_name, userOrCaller(call, input));
  auto user = account.users.find(user_name);
  if (user == account.users.end()) return fail(noSuchUser(user_name));
  auto device = account.mfa_devices.find(serial);
  if (device == account.mfa_devices.end() || !iequals(device->second.user_name, user->second.name))
    return fail(noSuchUserDevice(serial));
  return &device->second;
}

Result<json> deactivateMfaDevice(store::Store& store, const Call& call, const json& input) {
  std::unique_lock lock(store.mutex());
  Account& account = store.account(call.caller.account_id);
  IAMLOCAL_ASSIGN_OR_RETURN(MfaDevice * device, findUserDevice(account, call, input));
  // The virtual device stays, unassigned, until DeleteVirtualMFADevice.
  device->user_name.clear();
  device->enable_date.reset();
  return json::object();
}

Result<json> resyncMfaDevice(store::Store& store, const Call& call, const json& input) {
  std::unique_lock lock(store.mutex());
  Account& account = store.account(call.caller.account_id);
  IAMLOCAL_ASSIGN_OR_RETURN(MfaDevice * device, findUserDevice(account, call, input));
  if (!consecutiveCodes(*device, inputString(input, "AuthenticationCode1"), inputString(input, "AuthenticationCode2"),
                        call.now, kResyncWindowSteps))
    return fail(invalidCode());
  return json::object();
}

Result<json> deleteVirtualMfaDevice(store::Store& store, const Call& call, const json& input) {
  const std::string serial = inputString(input, "SerialNumber");
  std::unique_lock lock(store.mutex());
  Account& account = store.account(call.caller.account_id);
  auto device = account.mfa_devices.find(serial);
  if (device == account.mfa_devices.end()) return fail(noSuchDevice(serial));
  if (!device->second.user_name.empty())
    return fail(ErrorCode::DeleteConflict, "MFA Device is in use by user " + device->second.user_name +
                                               " and cannot be deleted; deactivate it first.");
  account.mfa_devices.erase(device);
  return json::object();
}

Result<json> listMfaDevices(store::Store& store, const Call& call, const json& input) {
  std::string user_name = inputString(input, "UserName");
  if (user_name.empty() && callerIsRoot(call)) {
    // The root has no IAM user; its own MFA is managed in the console, so
    // it has no devices here.
    return json{{"MFADevices", json::array()}, {"IsTruncated", false}};
  }
  if (user_name.empty()) {
    IAMLOCAL_ASSIGN_OR_RETURN(user_name, callerUserName(call));
  }
  std::shared_lock lock(store.mutex());
  const Account* account = store.findAccount(call.caller.account_id);
  if (!account) return fail(noSuchUser(user_name));
  auto user = account->users.find(user_name);
  if (user == account->users.end()) return fail(noSuchUser(user_name));
  json out = json::object();
  paginate(
      account->mfa_devices, input, out, "MFADevices",
      [&](const MfaDevice& device) { return iequals(device.user_name, user->second.name); }, mfaDeviceToJson);
  return out;
}

Result<json> listVirtualMfaDevices(store::Store& store, const Call& call, const json& input) {
  const std::string status = inputString(input, "AssignmentStatus", "Any");
  std::shared_lock lock(store.mutex());
  const Account* account = store.findAccount(call.caller.account_id);
  if (!account) return json{{"VirtualMFADevices", json::array()}, {"IsTruncated", false}};
  json out = json::object();
  paginate(
      account->mfa_devices, input, out, "VirtualMFADevices",
      [&](const MfaDevice& device) {
        if (status == "Assigned") return !device.user_name.empty();
        if (status == "Unassigned") return device.user_name.empty();
        return true;
      },
      [&](const MfaDevice& device) {
        // Seeds and QR codes are only ever returned by CreateVirtualMFADevice.
        json entry = {{"SerialNumber", device.serial_number}};
        if (!device.user_name.empty()) {
          if (auto user = account->users.find(device.user_name); user != account->users.end())
            entry["User"] = userToJson(user->second, ShapeView::Listed);
        }
        if (device.enable_date) entry["EnableDate"] = formatIso8601(*device.enable_date);
        if (!device.tags.empty()) entry["Tags"] = tagsToJson(device.tags);
        return entry;
      });
  return out;
}

Result<json> getMfaDevice(store::Store& store, const Call& call, const json& input) {
  const std::string serial = inputString(input, "SerialNumber");
  const std::string user_name = inputString(input, "UserName");
  std::shared_lock lock(store.mutex());
  const Account* account = store.findAccount(call.caller.account_id);
  const MfaDevice* device = nullptr;
  if (account) {
    if (auto it = account->mfa_devices.find(serial); it != account->mfa_devices.end()) device = &it->second;
  }
  // GetMFADevice describes devices in use: an unassigned one, or one of
  // another user than the one named, is not found.
  if (!device || device->user_name.empty() || (!user_name.empty() && !iequals(device->user_name, user_name)))
    return fail(noSuchUserDevice(serial));
  return mfaDeviceToJson(*device);
}

}  // namespace

void registerMfaOperations(OperationTable& table, store::Store& store) {
  auto bind = [&](std::string_view action, auto fn) {
    table.add("iam", action, [&store, fn](const Call& call, const json& input) { return fn(store, call, input); });
  };
  bind("CreateVirtualMFADevice", createVirtualMfaDevice);
  bind("EnableMFADevice", enableMfaDevice);
  bind("DeactivateMFADevice", deactivateMfaDevice);
  bind("ResyncMFADevice", resyncMfaDevice);
  bind("DeleteVirtualMFADevice", deleteVirtualMfaDevice);
  bind("ListMFADevices", listMfaDevices);
  bind("ListVirtualMFADevices", listVirtualMfaDevices);
  bind("GetMFADevice", getMfaDevice);
  registerTagOperations(table, store,
                        accountMapTaggableKind<&Account::mfa_devices, noSuchDevice>("MFADevice", "SerialNumber"));
}

}  // namespace iamlocal::services::iam
