// The single source of truth: every account's IAM entities, in memory.
// Readers take the mutex shared, writers unique; entities are plain values
// so handlers can read and change them directly under the lock.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "iamlocal/auth/principal.h"
#include "iamlocal/core/clock.h"
#include "iamlocal/core/strings.h"
#include "iamlocal/policy/evaluator.h"

namespace iamlocal::store {

struct Tag {
  std::string key;
  std::string value;
};
using TagList = std::vector<Tag>;  // in the order they were added

// Names are unique per account ignoring case, and listed in that order.
template <typename T>
using ByName = std::map<std::string, T, CaseInsensitiveLess>;
using NameSet = std::set<std::string, CaseInsensitiveLess>;

// A policy document as written, and compiled for evaluation when it was
// written: requests borrow the compiled form and never parse.
struct StoredPolicy {
  std::string text;
  std::shared_ptr<const policy::CompiledPolicy> compiled;  // null only when the text is not JSON
};

// Compiles `text` as the policy that decisions name `id` (a policy ARN,
// "arn:aws:iam::ACCT:user/alice" + "/inline/NAME", ...).
StoredPolicy storePolicy(std::string text, std::string id);

struct User {
  std::string name, path, id, arn;
  TimePoint create_date;
  std::optional<TimePoint> password_last_used;
  TagList tags;
  std::string permissions_boundary_arn;          // empty: none
  ByName<StoredPolicy> inline_policies;          // by policy name
  std::vector<std::string> attached_policy_arns;  // in attach order
  NameSet group_names;
  std::vector<std::string> access_key_ids;
};

struct Group {
  std::string name, path, id, arn;
  TimePoint create_date;
  ByName<StoredPolicy> inline_policies;
  std::vector<std::string> attached_policy_arns;
  NameSet member_names;
};

// A trust policy as written, and URI-encoded as every response that carries
// it (encoding once on write rather than on every listing is a quarter of a
// ListRoles page's work). Roles with the same document share one — roles of
// a kind usually trust the same principal — so a role costs a pointer, not
// two copies of its text. Made by Store::internTrustPolicy.
struct TrustPolicy {
  std::string text;
  std::string uri;
  std::shared_ptr<const policy::CompiledPolicy> compiled;  // id "AssumeRolePolicyDocument"
};

struct Role {
  std::string name, path, id, arn;
  TimePoint create_date;
  std::shared_ptr<const TrustPolicy> trust_policy;
  std::string description;
  int max_session_duration = 3600;
  TagList tags;
  std::string permissions_boundary_arn;
  ByName<StoredPolicy> inline_policies;
  std::vector<std::string> attached_policy_arns;
  std::optional<TimePoint> last_used_date;
  std::string last_used_region;
  NameSet instance_profile_names;
};

struct PolicyVersion {
  std::string version_id;  // "v1", "v2", ...
  std::string document;    // as written
  TimePoint create_date;
  std::shared_ptr<const policy::CompiledPolicy> compiled;  // id: the policy's ARN
};

struct ManagedPolicy {  // customer managed; AWS managed ones live in the catalogue
  std::string name, path, id, arn, description;
  TimePoint create_date, update_date;
  std::vector<PolicyVersion> versions;  // oldest first
  std::string default_version_id;
  int next_version_number = 2;
  TagList tags;
};

struct InstanceProfile {
  std::string name, path, id, arn;
  TimePoint create_date;
  std::vector<std::string> role_names;  // at most one
  TagList tags;
};

struct AccessKey {
  std::string id, secret, user_name;
  bool active = true;
  TimePoint create_date;
  std::optional<TimePoint> last_used_date;
  std::string last_used_service, last_used_region;
};

struct ServiceLinkedRoleDeletion {
  std::string task_id;
  std::string status;  // SUCCEEDED, IN_PROGRESS, FAILED, NOT_STARTED
  std::string role_name;
};

// Temporary credentials issued by STS (AssumeRole, GetSessionToken). They
// live beside the accounts, keyed by their ASIA access key id, and are
// found through CredentialSource like any other key.
struct Session {
  std::string access_key_id;  // ASIA...
  std::string secret_access_key;
  std::string session_token;
  TimePoint expiration;
  auth::Principal principal;  // who a request signed with it acts as
  // Assumed-role sessions only: the role and the session name; the account
  // whose principal assumed it.
  std::string role_arn, role_name, role_id, session_name, source_account;
  // GetFederationToken and GetSessionToken: the IAM user whose long-term
  // key asked, whose policies the session's permissions start from.
  std::string source_user_name;
  // Session policies (AssumeRole's Policy and PolicyArns, GetFederationToken's):
  // when present they intersect the session's permissions, even when empty.
  bool has_session_policies = false;
  std::vector<std::shared_ptr<const policy::CompiledPolicy>> session_policies;
  // Session tags (aws:PrincipalTag/* for this session, overriding the role's
  // tags of the same key), which of them pass on when this session assumes
  // another role, and the source identity, which always passes on.
  TagList tags;
  std::vector<std::string> transitive_tag_keys;
  std::string source_identity;
  // aws:MultiFactorAuthPresent / aws:MultiFactorAuthAge, aws:TokenIssueTime.
  bool mfa_authenticated = false;
  TimePoint issued_at{};
  // The STS operation that issued the credentials: what they may call
  // depends on it ("Compare AWS STS credentials"). Role sessions minted for
  // the metadata service and containers count as AssumeRole's.
  enum class IssuedBy { AssumeRole, GetSessionToken, GetFederationToken, AssumeRoot };
  IssuedBy issued_by = IssuedBy::AssumeRole;
};

// A virtual MFA device (CreateVirtualMFADevice). Its serial number is its
// ARN; it is assigned to at most one user, who then proves possession with
// TOTP codes of its seed.
struct MfaDevice {
  std::string serial_number;  // arn:aws:iam::ACCT:mfa/path/name
  std::string name, path;
  std::string seed;  // raw secret bytes (Base32StringSeed encodes them)
  std::optional<TimePoint> enable_date;
  std::string user_name;  // empty when unassigned
  TagList tags;
};

// EC2 instances, the part iamlocal emulates: enough to carry an instance
// profile, metadata options and user data for the metadata service.
struct InstanceMetadataOptions {
  std::string http_tokens = "optional";   // optional | required
  int http_put_response_hop_limit = 1;
  std::string http_endpoint = "enabled";  // enabled | disabled
  std::string http_protocol_ipv6 = "disabled";
  std::string instance_metadata_tags = "disabled";
};

// An instance's current IAM instance profile association. The profile is
// named, not copied: what the metadata service serves follows the profile
// and its role as they are now (a declared instance may name a profile that
// is created later).
struct InstanceProfileAssociation {
  std::string id;  // iip-assoc-<17 hex>
  std::string profile_name;
  std::string profile_arn;  // as known when associated
  TimePoint timestamp{};
};

struct Instance {
  std::string id;  // i-<17 hex>
  std::string reservation_id, image_id, instance_type, key_name, client_token;
  // running, stopped or terminated: transitions complete at once and the
  // intermediate states (pending, stopping, shutting-down) are only reported
  // by the call that starts them, as AWS's answers show them.
  std::string state = "running";
  std::string state_transition_reason;
  int ami_launch_index = 0;
  TimePoint launch_time{};
  std::optional<TimePoint> terminated_at;
  std::string availability_zone, private_ip, private_dns_name, mac, subnet_id, vpc_id;
  std::vector<std::string> security_groups;  // group names
  std::string user_data;                     // base64 as given; empty when none
  TagList tags;
  InstanceMetadataOptions metadata_options;
  std::optional<InstanceProfileAssociation> profile;
};

// An expired session is still recognised (so its use answers ExpiredToken,
// as AWS does) for this long after its expiration, then forgotten.
inline constexpr std::chrono::hours kExpiredSessionRetention{12};

struct Account {
  std::string id;
  TimePoint create_date{};  // first seen; the epoch until someone sets it (GetUser as root does)
  ByName<User> users;
  ByName<Group> groups;
  ByName<Role> roles;
  ByName<ManagedPolicy> policies;  // customer managed, by name
  ByName<InstanceProfile> instance_profiles;
  std::map<std::string, AccessKey, std::less<>> access_keys;  // by key id
  std::vector<std::string> aliases;
  // Policy ARN (customer or AWS managed) -> number of users, groups and roles
  // it is attached to / used as permissions boundary by.
  std::map<std::string, int, std::less<>> attachment_counts;
  std::map<std::string, int, std::less<>> boundary_counts;
  std::map<std::string, ServiceLinkedRoleDeletion, std::less<>> slr_deletions;  // by task id
  std::map<std::string, MfaDevice, std::less<>> mfa_devices;  // virtual MFA devices by serial number
  std::map<std::string, Instance, std::less<>> instances;     // EC2 instances by id
};

class Store final : public auth::CredentialSource {
 public:
  Store() = default;

  // Shared for reads, unique for writes. Never lock it twice on one thread.
  std::shared_mutex& mutex() const { return mutex_; }

  // The account, created empty on first use. Hold the mutex unique.
  Account& account(std::string_view account_id);
  // The account or nullptr when nothing was ever written to it. Hold the mutex.
  const Account* findAccount(std::string_view account_id) const;

  // Global index of IAM access keys, kept by the access-key operations
  // (hold the mutex unique): key id -> account id.
  void indexAccessKey(std::string_view key_id, std::string_view account_id);
  void unindexAccessKey(std::string_view key_id);

  // Account aliases are unique across all accounts (hold the mutex): the
  // account owning `alias`, or "" when none does.
  std::string aliasOwner(std::string_view alias) const;
  void indexAlias(std::string_view alias, std::string_view account_id);
  void unindexAlias(std::string_view alias);

  // EC2 instance ids are unique across accounts (hold the mutex): the account
  // owning `instance_id`, or "" when none does; every instance id -> account.
  std::string instanceOwner(std::string_view instance_id) const;
  void indexInstance(std::string_view instance_id, std::string_view account_id);
  const std::map<std::string, std::string, std::less<>>& instanceOwners() const { return instance_accounts_; }

  // The shared TrustPolicy with this text (hold the mutex unique). Texts no
  // role uses any more are forgotten as new ones arrive, at amortised O(1).
  std::shared_ptr<const TrustPolicy> internTrustPolicy(std::string text);

  // Empties every account and forgets every session. Takes the mutex itself.
  void reset();

  // Temporary credentials. Sessions never change once issued and have a
  // lock of their own, so neither call needs the store's mutex (holding it,
  // shared or unique, is fine): AssumeRoles add theirs side by side with
  // every reader. Adding one also forgets the sessions expired more than
  // kExpiredSessionRetention before `now`; the sweep costs only as much as
  // there is to forget, and a session found before stays valid for its
  // finder.
  void addSession(Session session, TimePoint now);
  // The session of an ASIA key, or nullptr.
  std::shared_ptr<const Session> findSession(std::string_view access_key_id) const;
  std::size_t sessionCount() const;

  // Notes that an IAM user's access key signed a request: GetAccessKeyLastUsed's
  // LastUsedDate, ServiceName and Region. Unknown keys (the root's, sessions')
  // are ignored. Takes the mutex itself.
  void recordAccessKeyUse(std::string_view access_key_id, TimePoint when, std::string_view service,
                          std::string_view region);

  // auth::CredentialSource: IAM users' access keys and STS sessions. Takes
  // the mutex shared.
  std::optional<auth::Credential> findAccessKey(std::string_view access_key_id) const override;

 private:
  mutable std::shared_mutex mutex_;
  std::map<std::string, std::unique_ptr<Account>, std::less<>> accounts_;
  std::unordered_map<std::string, std::string> access_key_accounts_;
  std::unordered_map<std::string, std::string> alias_accounts_;
  std::map<std::string, std::string, std::less<>> instance_accounts_;
  struct TrustPolicyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    std::size_t operator()(const std::shared_ptr<const TrustPolicy>& p) const { return (*this)(p->text); }
  };
  struct TrustPolicyEqual {
    using is_transparent = void;
    static std::string_view textOf(std::string_view text) { return text; }
    static std::string_view textOf(const std::shared_ptr<const TrustPolicy>& p) { return p->text; }
    bool operator()(const auto& a, const auto& b) const { return textOf(a) == textOf(b); }
  };
  std::unordered_set<std::shared_ptr<const TrustPolicy>, TrustPolicyHash, TrustPolicyEqual> trust_policies_;
  std::size_t trust_policy_sweep_at_ = 64;
  // Sessions live in shards chosen by key id, each with its own lock (taken
  // after mutex_, never two at once): concurrent AssumeRoles rarely meet,
  // and growing a shard's table stalls only the sessions in that shard.
  struct SessionShard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, std::shared_ptr<const Session>, StringHash, std::equal_to<>>
        sessions;                                           // by access key id
    std::multimap<TimePoint, std::string> expiries;         // expiration -> access key id
  };
  static constexpr std::size_t kSessionShards = 16;
  SessionShard& sessionShard(std::string_view access_key_id) const;
  // Forgets a shard's sessions expired before `forget_before`; hold its lock.
  static void sweepSessionShard(SessionShard& shard, TimePoint forget_before,
                                std::vector<std::shared_ptr<const Session>>& forgotten);
  mutable std::array<SessionShard, kSessionShards> session_shards_;
  // When the next add sweeps every shard, not only its own (a shard nobody
  // adds to would otherwise keep its expired sessions).
  std::atomic<TimePoint::rep> next_full_session_sweep_{0};
};

}  // namespace iamlocal::store
