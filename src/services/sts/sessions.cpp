#include "sessions.h"

#include "iamlocal/core/ids.h"

namespace iamlocal::services::sts {
namespace {

using std::chrono::seconds;

// A session token of the length and alphabet AWS's have; opaque to clients.
std::string newSessionToken() {
  std::string token = "IQoJb3JpZ2luX2VjE";
  while (token.size() < 356) token += ids::secretAccessKey();
  token.resize(356);
  return token;
}

}  // namespace

std::string inputString(const json& input, std::string_view member) {
  auto it = input.find(member);
  return it != input.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<int> inputInt(const json& input, std::string_view member) {
  auto it = input.find(member);
  if (it == input.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int>();
}

bool isSessionCaller(const Call& call) {
  return call.caller.type == auth::PrincipalType::AssumedRole ||
         call.caller.access_key_id.starts_with(ids::kTemporaryAccessKeyPrefix);
}

store::Session newSession(TimePoint now, int duration_seconds) {
  store::Session session;
  session.access_key_id = ids::accessKeyId(ids::kTemporaryAccessKeyPrefix);
  session.secret_access_key = ids::secretAccessKey();
  session.session_token = newSessionToken();
  session.expiration = std::chrono::time_point_cast<seconds>(now) + seconds(duration_seconds);
  return session;
}

json credentialsToJson(const store::Session& session) {
  return json{{"AccessKeyId", session.access_key_id},
              {"SecretAccessKey", session.secret_access_key},
              {"SessionToken", session.session_token},
              {"Expiration", formatIso8601(session.expiration)}};
}

}  // namespace iamlocal::services::sts
