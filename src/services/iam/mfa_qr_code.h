// The QR code PNG CreateVirtualMFADevice returns: the otpauth:// URI an
// authenticator app scans to learn a virtual MFA device's seed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace iamlocal::services::iam {

// otpauth://totp/Amazon%20Web%20Services:<device>@<account>?secret=<base32>&issuer=Amazon%20Web%20Services,
// the key URI format authenticator apps read (label "issuer:account", issuer
// repeated as a parameter). `account_name` is the account alias or id.
std::string mfaOtpauthUri(std::string_view device_name, std::string_view account_name, std::string_view base32_seed);

// A greyscale PNG of `text` as a QR code (error correction level M, four
// pixels a module, the standard four-module quiet zone), or nullopt when the
// text does not fit a QR code.
std::optional<std::string> qrCodePng(std::string_view text);

}  // namespace iamlocal::services::iam
