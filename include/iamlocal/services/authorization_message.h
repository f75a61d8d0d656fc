// The encoded authorization failure messages iamlocal issues (EC2's
// UnauthorizedOperation carries one) and sts:DecodeAuthorizationMessage decodes.
// The text is sealed with a process-wide random key, so clients can neither
// read nor forge it without asking STS.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace iamlocal::services {

struct AuthorizationFailure {
  bool allowed = false;
  bool explicit_deny = false;
  std::string principal_id, principal_name, principal_arn;
  std::string action, resource;
  std::vector<std::pair<std::string, std::vector<std::string>>> conditions;  // context keys and values
  std::vector<std::string> matched_statements;  // policy ids of the statements that decided (explicit deny)
};

// Opaque, URL-safe text (AES-256-GCM under a key made at process start).
std::string encodeAuthorizationMessage(const AuthorizationFailure& failure);

// The DecodedMessage JSON AWS returns for `encoded`, or nullopt when the text
// was not issued by this process or was altered.
std::optional<std::string> decodeAuthorizationMessage(std::string_view encoded);

}  // namespace iamlocal::services
