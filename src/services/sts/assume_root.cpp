// AssumeRoot: a short privileged session as the root of a member account,
// scoped to one of AWS's root task policies. iamlocal has no
// organizations, so any account may be the target; the task policy is the
// session's only permission.
#include <algorithm>
#include <array>
#include <mutex>
#include <shared_mutex>

#include "iamlocal/store/aws_managed_policies.h"
#include "sessions.h"
#include "sts_operations.h"

namespace iamlocal::services::sts {
namespace {

// At most (and by default) 15 minutes.
constexpr int kRootSessionMaxSeconds = 900;

// The AWS managed policies AssumeRoot accepts as TaskPolicyArn (AssumeRoot
// API reference).
constexpr std::array<std::string_view, 5> kRootTaskPolicies = {
    "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials",
    "arn:aws:iam::aws:policy/root-task/IAMCreateRootUserPassword",
    "arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials",
    "arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy",
    "arn:aws:iam::aws:policy/root-task/SQSUnlockQueuePolicy",
};

bool isAccountId(std::string_view text) {
  return text.size() == 12 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// TargetPrincipal is "the member account principal ARN or account ID".
std::optional<std::string> targetAccount(std::string_view target) {
  if (isAccountId(target)) return std::string(target);
  constexpr std::string_view kPrefix = "arn:aws:iam::";
  constexpr std::string_view kSuffix = ":root";
  if (target.starts_with(kPrefix) && target.ends_with(kSuffix)) {
    std::string_view id = target.substr(kPrefix.size(), target.size() - kPrefix.size() - kSuffix.size());
    if (isAccountId(id)) return std::string(id);
  }
  return std::nullopt;
}

Result<json> assumeRoot(store::Store& store, const Call& call, const json& input) {
  // "You cannot use root user credentials to make this call."
  if (call.caller.type == auth::PrincipalType::Root)
    return fail(ErrorCode::AccessDenied, "User: " + call.caller.arn +
                                             " is not authorized to perform: sts:AssumeRoot; root user credentials "
                                             "cannot call AssumeRoot");
  const std::string target_principal = inputString(input, "TargetPrincipal");
  const auto account_id = targetAccount(target_principal);
  if (!account_id)
    return fail(ErrorCode::ValidationError, "1 validation error detected: Value '" + target_principal +
                                                "' at 'targetPrincipal' failed to satisfy constraint: Member must be "
                                                "an account ID or an account root principal ARN");
  std::string task_arn;
  if (auto it = input.find("TaskPolicyArn"); it != input.end() && it->is_object())
    task_arn = it->value("arn", std::string());
  const store::AwsManagedPolicy* task_policy = nullptr;
  if (std::find(kRootTaskPolicies.begin(), kRootTaskPolicies.end(), task_arn) != kRootTaskPolicies.end())
    task_policy = store::findAwsManagedPolicy(task_arn);
  if (task_policy == nullptr)
    return fail(ErrorCode::ValidationError, "The TaskPolicyArn " + task_arn +
                                                " is not a root task policy: use one of the AWS managed policies "
                                                "under arn:aws:iam::aws:policy/root-task/.");
  const int duration = inputInt(input, "DurationSeconds").value_or(kRootSessionMaxSeconds);

  store::Session session = newSession(call.now, duration);
  session.source_account = call.caller.account_id;
  session.issued_at = call.now;
  session.issued_by = store::Session::IssuedBy::AssumeRoot;
  session.has_session_policies = true;
  // The catalogue's compiled policy lives as long as the process: borrowed.
  session.session_policies.push_back(std::shared_ptr<const policy::CompiledPolicy>(
      std::shared_ptr<void>(), &store::compiledAwsManagedPolicy(*task_policy)));
  // CloudTrail names the caller as the session's source identity.
  session.source_identity = call.caller.arn;
  session.principal = auth::rootPrincipal(*account_id, session.access_key_id);

  json out = {{"Credentials", credentialsToJson(session)}, {"SourceIdentity", session.source_identity}};
  std::unique_lock lock(store.mutex());
  store.addSession(std::move(session), call.now);
  return out;
}

}  // namespace

void registerAssumeRootOperation(OperationTable& table, store::Store& store) {
  table.add("sts", "AssumeRoot",
            [&store](const Call& call, const json& input) { return assumeRoot(store, call, input); });
}

}  // namespace iamlocal::services::sts
