#include "sessions.h"

#include "iamlocal/auth/secrets.h"
#include "iamlocal/core/ids.h"
#include "iamlocal/policy/validator.h"
#include "iamlocal/store/aws_managed_policies.h"

namespace iamlocal::services::sts {
namespace {

using std::chrono::seconds;

// The packed (compressed) size limit of session policies and tags that
// PackedPolicySize reports a percentage of.
constexpr std::size_t kPackedPolicyBytes = 2048;

// A session token has the length and alphabet AWS's have; opaque to clients.
constexpr std::string_view kSessionTokenPrefix = "IQoJb3JpZ2luX2VjE";
constexpr std::size_t kSessionTokenSize = 356;
constexpr std::size_t kSecretAccessKeySize = 40;

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
  // One draw of random characters for both the secret and the token: each
  // draw is a system call.
  const std::size_t token_random = kSessionTokenSize - kSessionTokenPrefix.size();
  const std::string random = auth::secretChars(kSecretAccessKeySize + token_random);
  session.secret_access_key.assign(random, 0, kSecretAccessKeySize);
  session.session_token.reserve(kSessionTokenSize);
  session.session_token.assign(kSessionTokenPrefix).append(random, kSecretAccessKeySize, token_random);
  session.expiration = std::chrono::time_point_cast<seconds>(now) + seconds(duration_seconds);
  return session;
}

json credentialsToJson(const store::Session& session) {
  json out;
  auto& o = newObject(out);
  o.emplace_hint(o.end(), "AccessKeyId", session.access_key_id);
  o.emplace_hint(o.end(), "Expiration", formatIso8601(session.expiration));
  o.emplace_hint(o.end(), "SecretAccessKey", session.secret_access_key);
  o.emplace_hint(o.end(), "SessionToken", session.session_token);
  return out;
}

// AWS compresses before measuring; this is an upper bound of its figure
// (the policy without insignificant whitespace, the ARNs, the tags), so a
// request AWS accepts may, near the limit, be refused here.
Result<std::optional<int>> packedPolicySize(const json& input) {
  auto policy = input.find("Policy");
  auto arns = input.find("PolicyArns");
  auto tags = input.find("Tags");
  if (policy == input.end() && arns == input.end() && tags == input.end()) return std::optional<int>();
  std::size_t bytes = 0;
  if (policy != input.end() && policy->is_string()) {
    const json document = json::parse(policy->get<std::string>(), nullptr, /*allow_exceptions=*/false);
    if (!document.is_object()) return fail(ErrorCode::MalformedPolicyDocument, "Syntax errors in policy.");
    bytes += document.dump().size();
  }
  if (arns != input.end() && arns->is_array())
    for (const auto& d : *arns) bytes += d.value("arn", std::string()).size();
  if (tags != input.end() && tags->is_array())
    for (const auto& t : *tags) bytes += t.value("Key", std::string()).size() + t.value("Value", std::string()).size();
  const int percent = static_cast<int>((bytes * 100 + kPackedPolicyBytes - 1) / kPackedPolicyBytes);
  if (percent > 100)
    return fail(ErrorCode::PackedPolicyTooLarge, "Packed policy consumes " + std::to_string(percent) +
                                                     "% of allotted space, please use smaller policy for session.");
  return std::optional<int>(percent);
}

Result<std::vector<std::shared_ptr<const policy::CompiledPolicy>>> sessionPolicies(const store::Account* account,
                                                                                   const json& input) {
  std::vector<std::shared_ptr<const policy::CompiledPolicy>> out;
  if (auto policy = input.find("Policy"); policy != input.end() && policy->is_string()) {
    const std::string& text = policy->get_ref<const std::string&>();
    IAMLOCAL_RETURN_IF_ERROR(policy::validatePolicyDocument(policy::PolicyKind::Identity, text));
    auto compiled = policy::compilePolicy(std::string_view(text), "PolicyInputList.1");
    if (!compiled) return fail(compiled.error());
    out.push_back(std::make_shared<const policy::CompiledPolicy>(std::move(*compiled)));
  }
  auto arns = input.find("PolicyArns");
  if (arns == input.end() || !arns->is_array()) return out;
  for (const auto& descriptor : *arns) {
    const std::string arn = descriptor.value("arn", std::string());
    if (store::isAwsManagedPolicyArn(arn)) {
      if (const store::AwsManagedPolicy* managed = store::findAwsManagedPolicy(arn))
        // The catalogue's compiled policies live as long as the process:
        // borrowed, not owned.
        out.push_back(std::shared_ptr<const policy::CompiledPolicy>(std::shared_ptr<void>(),
                                                                    &store::compiledAwsManagedPolicy(*managed)));
      continue;
    }
    if (account == nullptr) continue;
    auto found = account->policies.find(std::string_view(arn).substr(arn.rfind('/') + 1));
    if (found == account->policies.end() || found->second.arn != arn) continue;
    for (const auto& version : found->second.versions)
      if (version.version_id == found->second.default_version_id && version.compiled) out.push_back(version.compiled);
  }
  return out;
}

}  // namespace iamlocal::services::sts
