// The catalogue of AWS managed policies (arn:aws:iam::aws:policy/...), the
// same in every account. It is compiled into the binary at build time from
// data/aws-managed-policies.json, so nothing is parsed at start-up.
#pragma once

#include <span>
#include <string_view>

#include "iamlocal/policy/evaluator.h"

namespace iamlocal::store {

struct AwsManagedPolicy {
  std::string_view name;                // "ReadOnlyAccess"
  std::string_view arn;                 // "arn:aws:iam::aws:policy/ReadOnlyAccess"
  std::string_view path;                // "/", "/service-role/", ...
  std::string_view id;                  // "ANPA" + 17 of [A-Z2-7], derived from the ARN (stable)
  std::string_view default_version_id;  // "v12"
  std::string_view create_date;         // ISO 8601 as formatIso8601 writes it: "2026-02-12T17:59:49Z"
  std::string_view update_date;
  std::string_view document;  // the default version's document, compact JSON, keys in AWS's order
  bool deprecated;
};

// Every AWS managed policy, ordered by name as IAM orders names
// (ASCII case-insensitively, see CaseInsensitiveLess).
std::span<const AwsManagedPolicy> awsManagedPolicies();

// The policy with this ARN (exact match), or nullptr. O(log n).
const AwsManagedPolicy* findAwsManagedPolicy(std::string_view arn);

// True for ARNs in AWS's managed-policy namespace ("arn:aws:iam::aws:policy/"),
// whether or not the catalogue knows them.
bool isAwsManagedPolicyArn(std::string_view arn);

// The policy's document compiled for evaluation (id: its ARN). Compiled on
// first use, once per process, and immutable after; safe from any thread.
const policy::CompiledPolicy& compiledAwsManagedPolicy(const AwsManagedPolicy& policy);

}  // namespace iamlocal::store
