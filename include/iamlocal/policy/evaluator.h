// Decides whether a request is allowed: policies are compiled once into
// immutable matchers, then each request is evaluated against the principal's
// policies, grouped by layer, and answered with a Decision and its reasons.
// Pure: no I/O, no clock (time comes in the RequestContext), no logging.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "iamlocal/core/clock.h"
#include "iamlocal/core/result.h"
#include "iamlocal/policy/document.h"

namespace iamlocal::policy {

// ---------------------------------------------------------------- requests

// The type a context value was given (simulator ContextKeyType); the
// condition operator decides how values are compared, the type only tells
// list keys from single ones.
enum class ContextKeyType { String, StringList, Numeric, NumericList, Boolean, BooleanList, Date, DateList, Ip, IpList, Binary, BinaryList };

struct ContextEntry {
  std::string key;  // lower case: condition keys are case-insensitive
  ContextKeyType type = ContextKeyType::String;
  std::vector<std::string> values;
};

// Everything the evaluator knows about one request.
struct RequestContext {
  std::string action;    // "iam:CreateUser"
  std::string resource;  // "arn:aws:iam::123456789012:user/alice" or "*"
  // Who asks. principal_arn is the caller as AWS names it: a user ARN, an
  // assumed-role session ARN (arn:aws:sts::ACCT:assumed-role/R/s), a
  // federated-user ARN or the root ARN. For sessions, role_arn is the role's
  // IAM ARN (arn:aws:iam::ACCT:role/path/R), which resource policies may name.
  std::string principal_arn;
  std::string principal_account;
  std::string role_arn;
  bool principal_is_root = false;
  std::string principal_service;  // "ec2.amazonaws.com" when a service principal asks
  // The identity provider (OIDC/SAML provider ARN or "accounts.google.com"...)
  // when a web or SAML identity asks, as trust policies' "Federated" names it.
  std::string federated_provider;
  // The account that owns the resource; empty means the principal's own.
  std::string resource_account;
  TimePoint now{};
  // Condition keys. Keys the request did not set but that follow from the
  // fields above (aws:CurrentTime, aws:EpochTime, aws:PrincipalArn,
  // aws:PrincipalAccount) are added by finalize().
  std::vector<ContextEntry> keys;

  // Sets `key` (any case) to one value or many, replacing an earlier value.
  RequestContext& set(std::string_view key, std::string value, ContextKeyType type = ContextKeyType::String);
  RequestContext& set(std::string_view key, std::vector<std::string> values, ContextKeyType type = ContextKeyType::StringList);
  // The values of `key` (already lower case), or null when absent.
  const ContextEntry* find(std::string_view lower_key) const;
  // Adds the derived global keys that are not set. Call once per request,
  // after the fields are filled and before evaluate().
  void finalize();
};

// ---------------------------------------------------------------- policies

enum class PolicyLayer { Identity, Resource, PermissionsBoundary, Session };
std::string_view layerName(PolicyLayer layer);

struct CompiledStatement;
struct ActionIndex;

// A policy document compiled for evaluation. Immutable once built; Decisions
// point into it, so it must outlive them.
class CompiledPolicy {
 public:
  CompiledPolicy();
  ~CompiledPolicy();
  CompiledPolicy(CompiledPolicy&&) noexcept;
  CompiledPolicy& operator=(CompiledPolicy&&) noexcept;

  const std::string& id() const { return id_; }
  std::size_t statementCount() const;
  const CompiledStatement& statement(std::size_t i) const;
  // For the evaluator: the statements, and which of them can match an
  // action of a given service (so a request looks only at those).
  const std::vector<CompiledStatement>& statements() const { return statements_; }
  const ActionIndex& actionIndex() const { return *index_; }

 private:
  friend Result<CompiledPolicy> compilePolicy(const Document&, std::string);
  std::string id_;
  std::vector<CompiledStatement> statements_;
  std::unique_ptr<ActionIndex> index_;
};

// Compiles a parsed document; `id` names it in decisions (a policy ARN, a
// "user/alice/inline-name" or "PolicyInputList.1"). Elements the engine does
// not understand (e.g. an unknown operator in a document that skipped
// validation) compile into statements that cannot allow and always deny,
// with the reason kept for the Decision.
Result<CompiledPolicy> compilePolicy(const Document& document, std::string id);
// Parses and compiles; fails with "Syntax errors in policy." on non-JSON.
Result<CompiledPolicy> compilePolicy(std::string_view text, std::string id);

// The policies that apply to one principal and one resource. A boundary or
// session layer that is `present` limits the identity layer even when it has
// no policies (then nothing is allowed through it).
struct PolicySet {
  std::vector<const CompiledPolicy*> identity;
  std::vector<const CompiledPolicy*> resource;
  std::vector<const CompiledPolicy*> boundary;
  bool boundary_present = false;
  std::vector<const CompiledPolicy*> session;
  bool session_present = false;
};

// ---------------------------------------------------------------- decisions

enum class DecisionType { Allowed, ExplicitDeny, ImplicitDeny };
std::string_view decisionName(DecisionType type);  // "allowed", "explicitDeny", "implicitDeny" (simulator spelling)

struct MatchedStatement {
  const CompiledPolicy* policy = nullptr;
  PolicyLayer layer = PolicyLayer::Identity;
  std::size_t statement_index = 0;
  bool allow = true;
  Position start, end;
};

struct Decision {
  DecisionType type = DecisionType::ImplicitDeny;
  // The layer that decided: the deny's layer, or the layer whose allow
  // carried the decision (Identity or Resource). For an implicit deny, the
  // layer that was missing an allow.
  PolicyLayer layer = PolicyLayer::Identity;
  // Every statement that applied to the request, allows and denies.
  std::vector<MatchedStatement> matched;
  // Condition keys the matching statements needed and the request lacked
  // (as written in the policy), each once.
  std::vector<std::string_view> missing_context_keys;
  // Why something could not be understood, when that denied.
  std::vector<std::string_view> reasons;

  bool allowed() const { return type == DecisionType::Allowed; }
};

// Evaluates `request` against `policies`. The second form reuses `out`'s
// storage: once warm it does not allocate.
Decision evaluate(const PolicySet& policies, const RequestContext& request);
void evaluate(const PolicySet& policies, const RequestContext& request, Decision& out);

}  // namespace iamlocal::policy
