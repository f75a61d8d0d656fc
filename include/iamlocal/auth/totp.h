// Time-based one-time passwords as virtual MFA devices (authenticator apps)
// compute them: RFC 6238 TOTP over RFC 4226 HOTP with HMAC-SHA1, 30-second
// steps, 6 digits; and the Base32 text (RFC 4648) the seed is shared in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "iamlocal/core/clock.h"

namespace iamlocal::auth {

inline constexpr int kTotpStepSeconds = 30;
inline constexpr int kTotpDigits = 6;

// The HOTP value of `counter` under `seed`: exactly kTotpDigits decimal
// digits, zero-padded ("004217").
std::string hotpCode(std::string_view seed, std::uint64_t counter);

// The TOTP step `t` falls in: floor(unix seconds / 30).
std::uint64_t totpStep(TimePoint t);

// The TOTP code current at `t`.
std::string totpCode(std::string_view seed, TimePoint t);

// The step within one step either side of `t`'s (authenticator clocks
// drift) whose code is `code`, or nullopt. Codes are compared in constant
// time.
std::optional<std::uint64_t> matchTotpStep(std::string_view seed, std::string_view code, TimePoint t,
                                           int window_steps = 1);

// RFC 4648 Base32, upper case with '=' padding (what AWS's Base32StringSeed
// carries).
std::string base32Encode(std::string_view bytes);
// Decodes Base32, ignoring case, spaces and padding; nullopt for any other
// character.
std::optional<std::string> base32Decode(std::string_view text);

}  // namespace iamlocal::auth
