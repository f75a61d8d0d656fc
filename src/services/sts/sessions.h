// What the STS operations share: reading their inputs and minting the
// temporary credentials every operation that issues a session returns.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "iamlocal/core/clock.h"
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

}  // namespace iamlocal::services::sts
