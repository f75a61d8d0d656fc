// The compiled form of a statement: everything parsed, lower-cased and
// converted once (numbers, dates, networks, patterns), so that evaluating a
// request only compares.
#pragma once

#include <cstdint>
#include <cstring>
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
  std::uint64_t key_hash = 0;  // contextKeyHash(key)
  std::string written;  // as in the policy, for MissingContextValues
  std::vector<CompiledValue> values;
  std::uint32_t memo = 0;  // 0, or 1 + its memo slot when other statements repeat it
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
  // Per resource pattern: 0, or 1 + the memo slot of a pattern that other
  // statements of the policy repeat (see ActionIndex::memo_slots).
  std::vector<std::uint32_t> resource_memo;
  CompiledPrincipal principal;
  bool not_principal = false;
  std::vector<CompiledCondition> conditions;
  // Non-empty when part of the statement was not understood: the statement
  // then never allows and, if it is a Deny, always denies.
  std::string not_understood;
};

// Which statements' actions match a request's action, found without
// trying the statements one by one.
//
// An action pattern whose service part is literal ("s3:Get*") is filed
// under its service, keyed by the literal text of its action name up to the
// first wildcard: an exact name ("getobject"), a prefix ("get" of "get*") or
// the literal start of any other glob ("describe" of "describe?nstances",
// "" of "*object"). A request's action name then matches the patterns keyed
// by its own prefixes: one hash probe per distinct key length, with the
// hashes of the name's prefixes computed once per request. Only globs are
// matched character by character, and only when their key matched.
// Patterns whose service part has a wildcard ("*", "s3*:Get*") are tried
// directly (`generic`). The evaluator gets a bitset of the statements where
// some pattern matched; NotAction statements are those whose bit is clear.
struct ActionIndex {
  enum class Kind : std::uint8_t { Exact, Prefix, Glob };
  struct Entry {
    std::uint32_t statement;
    std::uint32_t action;  // index into the statement's `actions` (for globs)
    Kind kind;
  };
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t key_offset = 0;  // into Bucket::keys
    std::uint32_t key_size = 0;
    std::uint32_t first = 0;  // entries [first, first + count) of Bucket::entries
    std::uint32_t count = 0;  // 0: the slot is empty
  };
  struct Bucket {
    std::string service;  // lower case
    std::uint64_t service_hash = 0;
    std::string keys;                     // the slots' key texts, back to back
    std::vector<Slot> slots;              // open addressing; size a power of two
    std::vector<Entry> entries;           // grouped by key
    std::vector<std::uint32_t> lengths;   // distinct key lengths of Prefix and Glob entries, ascending
    bool has_exact = false;

    const Slot* find(std::uint64_t hash, std::string_view key) const {
      const std::size_t mask = slots.size() - 1;
      for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
        const Slot& s = slots[i];
        if (s.count == 0) return nullptr;
        if (s.hash == hash && s.key_size == key.size() && sameBytes(keys.data() + s.key_offset, key.data(), key.size()))
          return &s;
      }
    }
  };
  struct Generic {
    std::uint32_t statement;
    std::uint32_t action;
  };

  std::vector<Bucket> by_service;
  // Open addressing over by_service by service hash: index + 1, 0 = empty.
  std::vector<std::uint32_t> service_slots;
  std::vector<Generic> generic;
  // One bit per statement: set for NotAction statements.
  std::vector<std::uint64_t> not_action;
  // Resource patterns and conditions that several statements of the policy
  // repeat word for word (one Resource list or one region condition on many
  // statements) share a memo slot: a request evaluates each once per policy.
  // Their outcome depends only on the request, and what they report missing
  // is reported once anyway, so reusing it changes nothing but the time.
  std::uint32_t memo_slots = 0;

  const Bucket* find(std::string_view service, std::uint64_t hash) const {
    if (service_slots.empty()) return nullptr;
    const std::size_t mask = service_slots.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      const std::uint32_t slot = service_slots[i];
      if (slot == 0) return nullptr;
      const Bucket& b = by_service[slot - 1];
      if (b.service_hash == hash && sameText(b.service, service)) return &b;
    }
  }
};

// The hash of the action-name keys above: FNV-1a, so that the hashes of all
// prefixes of a name come from one pass over it.
inline constexpr std::uint64_t kActionHashSeed = 14695981039346656037ull;
inline std::uint64_t actionHashStep(std::uint64_t h, char c) {
  return (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
}

}  // namespace iamlocal::policy
