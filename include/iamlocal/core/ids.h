// Identifiers in the shapes AWS issues them: unique ids with their type
// prefix (AIDA user, AROA role, ...), access key ids, secrets, request ids.
#pragma once

#include <string>
#include <string_view>

namespace iamlocal::ids {

// Prefixes AWS gives each kind of entity's unique id.
inline constexpr std::string_view kUserPrefix = "AIDA";
inline constexpr std::string_view kGroupPrefix = "AGPA";
inline constexpr std::string_view kRolePrefix = "AROA";
inline constexpr std::string_view kPolicyPrefix = "ANPA";
inline constexpr std::string_view kInstanceProfilePrefix = "AIPA";
inline constexpr std::string_view kAccessKeyPrefix = "AKIA";
inline constexpr std::string_view kTemporaryAccessKeyPrefix = "ASIA";
inline constexpr std::string_view kMfaPrefix = "";

// prefix + 17 characters of [A-Z2-7]: 21 characters, as AWS's unique ids.
std::string uniqueId(std::string_view prefix);
// prefix + 16 characters of [A-Z2-7]: a 20-character access key id.
std::string accessKeyId(std::string_view prefix = kAccessKeyPrefix);
// A random UUID (version 4), lower case: request ids.
std::string requestId();
// `n` lower-case hex digits (instance ids, association ids).
std::string hex(std::size_t n);

}  // namespace iamlocal::ids
