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
  auto end = rest.find_first_of(", ");
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

std::string accessKeyIdOf(std::string_view authorization, std::string_view x_amz_credential) {
  auto cred = credentialOf(authorization, x_amz_credential);
  return std::string(cred.substr(0, cred.find('/')));
}

std::string scopeServiceOf(std::string_view authorization, std::string_view x_amz_credential) {
  auto cred = credentialOf(authorization, x_amz_credential);
  // key/date/region/service/aws4_request
  std::size_t start = 0;
  for (int i = 0; i < 3; ++i) {
    start = cred.find('/', start);
    if (start == std::string_view::npos) return {};
    ++start;
  }
  auto end = cred.find('/', start);
  if (end == std::string_view::npos) return {};
  return std::string(cred.substr(start, end - start));
}

}  // namespace iamlocal::auth
