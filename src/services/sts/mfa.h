// MFA as STS checks it: the SerialNumber and TokenCode a request carries
// (GetSessionToken, AssumeRole) against the caller's virtual MFA device.
#pragma once

#include <nlohmann/json.hpp>

#include "iamlocal/core/clock.h"
#include "iamlocal/core/result.h"
#include "iamlocal/services/operation.h"
#include "iamlocal/store/store.h"

namespace iamlocal::services::sts {

// AWS's AccessDenied texts (the first has a trailing space, the second two
// spaces after "code.", as AWS sends them).
inline constexpr std::string_view kMfaInvalidCode = "MultiFactorAuthentication failed with invalid MFA one time pass code. ";
inline constexpr std::string_view kMfaUnknownDevice =
    "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and "
    "associated with this user.";

// The serial number of an account root's virtual MFA device.
std::string rootMfaSerial(std::string_view account_id);

// Whether the request authenticated with MFA. The caller holds the store's
// mutex (shared or unique).
//   - no SerialNumber: false (a TokenCode alone claims nothing);
//   - SerialNumber naming the virtual MFA device assigned to the caller's
//     IAM user (a session's: the user whose long-term key made it; the root:
//     arn:aws:iam::ACCT:mfa/root-account-mfa-device) and a TokenCode that
//     is that device's TOTP code within one step of `now`: true;
//   - a device that is not the caller's (or no such device, or a caller
//     without a user, such as an assumed-role session): AccessDenied
//     kMfaUnknownDevice;
//   - a wrong or missing TokenCode: AccessDenied kMfaInvalidCode.
Result<bool> checkMfaCode(const store::Store& store, const Call& call, const nlohmann::json& input, TimePoint now);

}  // namespace iamlocal::services::sts
