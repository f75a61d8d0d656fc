// Who is calling: the principal a request's credentials belong to, and the
// interface through which auth looks credentials up without knowing the store.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "iamlocal/core/clock.h"

namespace iamlocal::auth {

enum class PrincipalType { Root, User, AssumedRole, FederatedUser };

struct Principal {
  PrincipalType type = PrincipalType::Root;
  std::string account_id;
  std::string arn;      // arn:aws:iam::ACCT:root, arn:aws:iam::ACCT:user/path/name, ...
  std::string user_id;  // ACCT for root, AIDA... for users, AROA...:session for roles
  std::string name;     // user name, role name or federated user name; empty for root
  std::string access_key_id;
};

// What a store knows about one access key.
struct Credential {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
  bool active = true;
  std::optional<TimePoint> expiration;
  Principal principal;
};

class CredentialSource {
 public:
  virtual ~CredentialSource() = default;
  virtual std::optional<Credential> findAccessKey(std::string_view access_key_id) const = 0;
};

// The account root's principal: arn:aws:iam::ACCT:root.
Principal rootPrincipal(std::string_view account_id, std::string_view access_key_id = {});

// Before signatures are verified the caller is named by the access key alone:
// a key the source knows is its owner; a 12-digit key is that account's root;
// any other key is the root of `default_account`.
Principal identifyByAccessKey(std::string_view access_key_id, const CredentialSource& source,
                              std::string_view default_account);

// What a request's SigV4 credential "KEY/DATE/REGION/SERVICE/aws4_request"
// (Authorization header or X-Amz-Credential query parameter) names, read
// before anything is verified; views into the arguments. A part the
// credential lacks is "".
struct CredentialScope {
  std::string_view access_key_id, date, region, service;
};
CredentialScope credentialScopeOf(std::string_view authorization_header, std::string_view x_amz_credential);

}  // namespace iamlocal::auth
