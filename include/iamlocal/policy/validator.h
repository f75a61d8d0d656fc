// Checks a policy document against IAM's grammar the way IAM's write APIs
// do, collecting every problem with its place; the first problem in AWS's
// own checking order decides the MalformedPolicyDocument message returned.
#pragma once

#include <string_view>
#include <vector>

#include "iamlocal/core/result.h"
#include "iamlocal/policy/document.h"

namespace iamlocal::policy {

// Where a document is used decides its grammar: identity-based policies
// (managed, inline, permissions boundaries, session policies) must not name a
// principal; resource-based policies must; role trust policies must, may
// only use the STS actions that assume a role or decorate the session, and
// have no Resource.
enum class PolicyKind { Identity, Resource, Trust };

// Every problem of `document` as `kind`, sorted by rank (AWS's order).
std::vector<Diagnostic> validateDocument(const Document& document, PolicyKind kind);

// Parses and validates; all problems, syntax errors included, sorted.
std::vector<Diagnostic> validatePolicyText(std::string_view text, PolicyKind kind);

// What IAM's write paths call: OK, or MalformedPolicyDocument with AWS's
// message for the first problem.
Status validatePolicyDocument(PolicyKind kind, std::string_view text);

// The actions a role trust policy may contain.
bool isTrustPolicyAction(std::string_view action);

}  // namespace iamlocal::policy
