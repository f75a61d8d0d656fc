// Session tags and source identity as AssumeRole takes them: the request's
// Tags and TransitiveTagKeys checked with AWS's rules, merged with what the
// calling session passes on in a role chain (its transitive tags and its
// source identity), and the condition keys they put in the request context.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "iamlocal/core/result.h"
#include "iamlocal/policy/evaluator.h"
#include "iamlocal/store/store.h"

namespace iamlocal::services::sts {

// What a request asks for, and what the new session will carry.
struct SessionTagging {
  store::TagList requested;                        // the request's Tags, as written
  std::vector<std::string> requested_transitive;  // the request's TransitiveTagKeys, as written
  store::TagList tags;                             // the new session's: inherited transitive tags, then requested
  std::vector<std::string> transitive_keys;        // the new session's transitive keys
};

// Reads Tags and TransitiveTagKeys (the model has already checked counts,
// lengths and characters) and applies the rules the model cannot express,
// in AWS's order, each an InvalidParameterValue (400):
//   - tag keys are unique ignoring case;
//   - a tag cannot set a key the calling session passes on as transitive;
//   - every transitive key names one of the request's tags.
// `caller` is the calling session, or null for long-term credentials.
Result<SessionTagging> readSessionTags(const nlohmann::json& input, const store::Session* caller);

// The source identity of the new session: the one the calling session
// carries (it cannot change along a chain: asking for another is refused as
// AWS refuses it, AccessDenied for sts:SetSourceIdentity on `role_arn`), else
// the request's SourceIdentity, else "".
Result<std::string> resolveSourceIdentity(const nlohmann::json& input, const store::Session* caller,
                                          const std::string& caller_arn, const std::string& role_arn);

// The condition keys AssumeRole's request sets for the trust evaluation:
// aws:RequestTag/<key> for each requested tag, aws:TagKeys, and
// sts:TransitiveTagKeys (each only when the request has them).
void appendTagContext(const SessionTagging& tagging, std::vector<policy::ContextEntry>& out);

}  // namespace iamlocal::services::sts
