// What the STS operations share: reading their inputs and minting the
// temporary credentials every operation that issues a session returns.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "iamlocal/core/clock.h"
#include "iamlocal/core/result.h"
#include "iamlocal/policy/evaluator.h"
#include "iamlocal/services/operation.h"
#include "iamlocal/store/store.h"

namespace iamlocal::services::sts {

using nlohmann::json;

// A string member of the input, or "" when absent.
std::string inputString(const json& input, std::string_view member);
// An integer member of the input, or nullopt when absent.
std::optional<int> inputInt(const json& input, std::string_view member);

// True when the caller signed with temporary credentials.
bool isSessionCaller(const Call& call);

// Fresh ASIA credentials expiring `duration_seconds` after `now`; the
// caller fills in whose they are.
store::Session newSession(TimePoint now, int duration_seconds);

// The Credentials member of every session-issuing output.
json credentialsToJson(const store::Session& session);

// PackedPolicySize of a request with session policies (Policy, PolicyArns)
// or Tags: their size as a percentage of the packed limit, nullopt when the
// request has none of them; PackedPolicyTooLarge above 100 %, and
// MalformedPolicyDocument when Policy is not JSON.
Result<std::optional<int>> packedPolicySize(const json& input);

// The session policies of a request, compiled: Policy (validated as an
// identity policy: MalformedPolicyDocument with AWS's text) then each
// PolicyArns entry, a customer managed policy of `account` (its default
// version) or an AWS managed one. An ARN that names no policy adds nothing
// (the session is only ever narrowed by its policies). Hold the store's
// mutex.
Result<std::vector<std::shared_ptr<const policy::CompiledPolicy>>> sessionPolicies(const store::Account* account,
                                                                                   const json& input);

}  // namespace iamlocal::services::sts
