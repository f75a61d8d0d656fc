#include "iamlocal/auth/principal.h"

#include <algorithm>

namespace iamlocal::auth {
namespace {

// "AKIA.../20240101/us-east-1/iam/aws4_request" from either credential form.
std::string_view credentialOf(std::string_view authorization, std::string_view x_amz_credential) {
  if (!x_amz_credential.empty()) return x_amz_credential;
  auto pos = authorization.find("Credential=");
  if (pos == std::string_view::npos) return {};
  auto rest = authorization.substr(pos + 11);
  // Up to the next ',' or space; not find_first_of, which calls memchr per byte.
  std::size_t end = 0;
  while (end < rest.size() && rest[end] != ',' && rest[end] != ' ') ++end;
  return rest.substr(0, end);
}

}  // namespace

Principal rootPrincipal(std::string_view account_id, std::string_view access_key_id) {
  Principal p;
  p.type = PrincipalType::Root;
  p.account_id = account_id;
  p.arn = "arn:aws:iam::" + std::string(account_id) + ":root";
  p.user_id = account_id;
  p.access_key_id = access_key_id;
  return p;
}

Principal identifyByAccessKey(std::string_view access_key_id, const CredentialSource& source,
                              std::string_view default_account) {
  if (auto cred = source.findAccessKey(access_key_id)) return cred->principal;
  bool twelve_digits = access_key_id.size() == 12 &&
                       std::all_of(access_key_id.begin(), access_key_id.end(), [](char c) { return c >= '0' && c <= '9'; });
  return rootPrincipal(twelve_digits ? access_key_id : default_account, access_key_id);
}

CredentialScope credentialScopeOf(std::string_view authorization, std::string_view x_amz_credential) {
  std::string_view rest = credentialOf(authorization, x_amz_credential);
  CredentialScope scope;
  // key/date/region/service/aws4_request: a part is what precedes the next '/'.
  for (std::string_view* part : {&scope.access_key_id, &scope.date, &scope.region, &scope.service}) {
    const auto slash = rest.find('/');
    *part = rest.substr(0, slash);
    if (slash == std::string_view::npos) {
      // The key alone may stand without a scope; a part without its '/' is not a part.
      if (part != &scope.access_key_id) *part = {};
      break;
    }
    rest.remove_prefix(slash + 1);
  }
  return scope;
}

}  // namespace iamlocal::auth
