// The compiled form of a statement: everything parsed, lower-cased and
// converted once (numbers, dates, networks, patterns), so that evaluating a
// request only compares.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "condition_operator.h"
#include "iamlocal/policy/evaluator.h"
#include "pattern.h"

namespace iamlocal::policy {

struct CompiledValue {
  Pattern pattern;  // String/StringLike/Arn/Binary/Bool text, with variables
  double number = 0;
  std::int64_t date_millis = 0;
  IpNetwork network;
  bool boolean = false;
  bool valid = true;  // false: the value does not parse for its operator and never matches
};

struct CompiledCondition {
  ConditionOperator op;
  std::string key;      // lower case
  std::string written;  // as in the policy, for MissingContextValues
  std::vector<CompiledValue> values;
};

// How a resource policy's Principal named the caller; decides which layers
// a resource-policy allow bypasses (see the table in evaluator.cpp).
enum class PrincipalMatch : std::uint8_t {
  None,
  Account,   // the caller's account (arn:aws:iam::ACCT:root or ACCT): delegates to identity policies
  Everyone,  // "*"
  Role,      // the IAM role ARN behind an assumed-role session
  User,      // the IAM user ARN of the caller
  Session,   // the assumed-role session or federated-user ARN of the caller
  External,  // a service or federated (identity provider) principal
};

struct CompiledPrincipal {
  bool present = false;
  bool everyone = false;                  // "*" or {"AWS": "*"}
  std::vector<std::string> aws;           // ARNs; a bare account id becomes arn:aws:iam::ID:root
  std::vector<std::string> services;      // "ec2.amazonaws.com"
  std::vector<std::string> federated;     // provider ARNs or "cognito-identity.amazonaws.com"
  std::vector<std::string> canonical;     // S3 canonical user ids
};

struct CompiledStatement {
  bool allow = true;
  std::size_t index = 0;
  Position start, end;
  bool not_action = false;
  std::vector<Pattern> actions;  // lower case
  bool has_resource = false;     // trust policies have none: they apply to the role itself
  bool not_resource = false;
  std::vector<Pattern> resources;
  CompiledPrincipal principal;
  bool not_principal = false;
  std::vector<CompiledCondition> conditions;
  // Non-empty when part of the statement was not understood: the statement
  // then never allows and, if it is a Deny, always denies.
  std::string not_understood;
};

// Statements by the service their actions name, so that a request looks
// only at the statements that can match its action. Statements whose
// actions could match any service (a wildcard in the service part, or
// NotAction) are in `any_service`. Lists are in statement order.
struct ActionIndex {
  struct Bucket {
    std::string service;  // lower case
    std::vector<std::uint32_t> statements;
  };
  std::vector<Bucket> by_service;
  std::vector<std::uint32_t> any_service;

  const Bucket* find(std::string_view service) const {
    for (const auto& b : by_service)
      if (b.service == service) return &b;
    return nullptr;
  }
};

}  // namespace iamlocal::policy
