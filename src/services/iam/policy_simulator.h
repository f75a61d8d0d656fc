// The IAM policy simulator's pieces that are worth testing on their own:
// where AWS says a statement starts and ends, and how request context
// entries are read. The operations themselves are registered by
// registerPolicySimulatorOperations (policy_shapes.h).
#pragma once

#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "iamlocal/core/result.h"
#include "iamlocal/policy/document.h"
#include "iamlocal/policy/evaluator.h"

namespace iamlocal::services::iam {

// StartPosition and EndPosition of a statement as the simulator reports
// them, from the positions of its '{' and '}' in `text`. AWS reports where
// its JSON reader stood: EndPosition just after the '}'; StartPosition just
// after the token before the statement — the '[' of the Statement array
// (or the previous statement's '}'), or, for a single statement object,
// just after its own '{'.
std::pair<policy::Position, policy::Position> simulatorPositions(std::string_view text, policy::Position open,
                                                                 policy::Position close);

// Appends the simulator's ContextEntries (ContextKeyName, ContextKeyValues,
// ContextKeyType) to `request`, or InvalidInput for an entry without a name
// or with a value its type cannot hold.
Status readContextEntries(const nlohmann::json& entries, policy::RequestContext& request);

}  // namespace iamlocal::services::iam
