#include "mfa.h"

#include "iamlocal/auth/totp.h"
#include "iamlocal/core/strings.h"
#include "sessions.h"

namespace iamlocal::services::sts {

std::string rootMfaSerial(std::string_view account_id) {
  return "arn:aws:iam::" + std::string(account_id) + ":mfa/root-account-mfa-device";
}

Result<bool> checkMfaCode(const store::Store& store, const Call& call, const nlohmann::json& input, TimePoint now) {
  const std::string serial = inputString(input, "SerialNumber");
  if (serial.empty()) return false;
  const std::string code = inputString(input, "TokenCode");

  const store::Account* account = store.findAccount(call.caller.account_id);
  const store::MfaDevice* device = nullptr;
  if (account) {
    if (auto it = account->mfa_devices.find(serial); it != account->mfa_devices.end()) device = &it->second;
  }
  // Whose device the request must name: the long-term identity behind the
  // credentials that signed it.
  bool owned = false;
  if (device != nullptr && device->enable_date) {
    switch (call.caller.type) {
      case auth::PrincipalType::Root:
        owned = device->user_name.empty() && serial == rootMfaSerial(call.caller.account_id);
        break;
      case auth::PrincipalType::User:
      case auth::PrincipalType::FederatedUser: {
        std::string user_name = call.caller.type == auth::PrincipalType::User ? call.caller.name : std::string();
        if (auto session = store.findSession(call.caller.access_key_id);
            session != nullptr && !session->source_user_name.empty())
          user_name = session->source_user_name;
        owned = !user_name.empty() && iequals(device->user_name, user_name);
        break;
      }
      case auth::PrincipalType::AssumedRole:
        // A role session has no MFA device of its own.
        owned = false;
        break;
    }
  }
  if (!owned) return fail(ErrorCode::AccessDenied, std::string(kMfaUnknownDevice));
  if (!auth::matchTotpStep(device->seed, code, now)) return fail(ErrorCode::AccessDenied, std::string(kMfaInvalidCode));
  return true;
}

}  // namespace iamlocal::services::sts
