#include "iamlocal/store/store.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <shared_mutex>
#include <string>

namespace iamlocal::store {

Account& Store::account(std::string_view account_id) {
  auto it = accounts_.find(account_id);
  if (it == accounts_.end()) {
    auto account = std::make_unique<Account>();
    account->id = account_id;
    it = accounts_.emplace(std::string(account_id), std::move(account)).first;
  }
  return *it->second;
}

const Account* Store::findAccount(std::string_view account_id) const {
  auto it = accounts_.find(account_id);
  return it == accounts_.end() ? nullptr : it->second.get();
}

void Store::indexAccessKey(std::string_view key_id, std::string_view account_id) {
  access_key_accounts_[std::string(key_id)] = account_id;
}

void Store::unindexAccessKey(std::string_view key_id) { access_key_accounts_.erase(std::string(key_id)); }

std::string Store::aliasOwner(std::string_view alias) const {
  auto it = alias_accounts_.find(std::string(alias));
  return it == alias_accounts_.end() ? std::string() : it->second;
}

void Store::indexAlias(std::string_view alias, std::string_view account_id) {
  alias_accounts_[std::string(alias)] = account_id;
}

void Store::unindexAlias(std::string_view alias) { alias_accounts_.erase(std::string(alias)); }

std::string Store::instanceOwner(std::string_view instance_id) const {
  auto it = instance_accounts_.find(instance_id);
  return it == instance_accounts_.end() ? std::string() : it->second;
}

void Store::indexInstance(std::string_view instance_id, std::string_view account_id) {
  instance_accounts_[std::string(instance_id)] = account_id;
}

StoredPolicy storePolicy(std::string text, std::string id) {
  StoredPolicy stored;
  if (auto compiled = policy::compilePolicy(std::string_view(text), std::move(id)))
    stored.compiled = std::make_shared<const policy::CompiledPolicy>(std::move(*compiled));
  stored.text = std::move(text);
  return stored;
}

std::shared_ptr<const TrustPolicy> Store::internTrustPolicy(std::string text) {
  if (auto it = trust_policies_.find(std::string_view(text)); it != trust_policies_.end()) return *it;
  if (trust_policies_.size() >= trust_policy_sweep_at_) {
    // Only the pool holds these: no role uses them any more.
    std::erase_if(trust_policies_, [](const auto& p) { return p.use_count() == 1; });
    trust_policy_sweep_at_ = std::max<std::size_t>(64, trust_policies_.size() * 2);
  }
  std::string uri = uriEncode(text);
  std::shared_ptr<const policy::CompiledPolicy> compiled = storePolicy(text, "AssumeRolePolicyDocument").compiled;
  auto policy = std::make_shared<const TrustPolicy>(TrustPolicy{std::move(text), std::move(uri), std::move(compiled)});
  trust_policies_.insert(policy);
  return policy;
}

void Store::reset() {
  std::unique_lock lock(mutex_);
  accounts_.clear();
  trust_policies_.clear();
  trust_policy_sweep_at_ = 64;
  access_key_accounts_.clear();
  alias_accounts_.clear();
  instance_accounts_.clear();
  for (auto& shard : session_shards_) {
    std::lock_guard sessions_lock(shard.mutex);
    shard.sessions.clear();
    shard.expiries.clear();
  }
}

void Store::addSession(Session session, TimePoint now) {
  const TimePoint expiration = session.expiration;
  std::string key_id = session.access_key_id;
  // Built before the lock: the copy into shared storage is the costly part.
  auto shared = std::make_shared<const Session>(std::move(session));
  std::vector<std::shared_ptr<const Session>> forgotten;  // freed after the locks
  const TimePoint forget_before = now - kExpiredSessionRetention;
  // Each add sweeps its own shard; at most once a second one sweeps them all.
  auto due = next_full_session_sweep_.load(std::memory_order_relaxed);
  const auto next = (now + std::chrono::seconds(1)).time_since_epoch().count();
  if (now.time_since_epoch().count() >= due &&
      next_full_session_sweep_.compare_exchange_strong(due, next, std::memory_order_relaxed)) {
    for (auto& other : session_shards_) {
      std::lock_guard lock(other.mutex);
      sweepSessionShard(other, forget_before, forgotten);
    }
  }
  SessionShard& shard = sessionShard(key_id);
  std::lock_guard lock(shard.mutex);
  sweepSessionShard(shard, forget_before, forgotten);
  // Sessions mostly arrive in expiry order (most last as long as the one
  // before): at the end, the hint makes the insertion O(1).
  shard.expiries.emplace_hint(shard.expiries.end(), expiration, key_id);
  shard.sessions.insert_or_assign(std::move(key_id), std::move(shared));
}

void Store::sweepSessionShard(SessionShard& shard, TimePoint forget_before,
                              std::vector<std::shared_ptr<const Session>>& forgotten) {
  // Expiries are ordered, so the sweep stops at the first one still kept.
  for (auto it = shard.expiries.begin(); it != shard.expiries.end() && it->first < forget_before;) {
    if (auto found = shard.sessions.find(it->second); found != shard.sessions.end()) {
      forgotten.push_back(std::move(found->second));
      shard.sessions.erase(found);
    }
    it = shard.expiries.erase(it);
  }
}

Store::SessionShard& Store::sessionShard(std::string_view access_key_id) const {
  return session_shards_[StringHash{}(access_key_id) % kSessionShards];
}

std::shared_ptr<const Session> Store::findSession(std::string_view access_key_id) const {
  const SessionShard& shard = sessionShard(access_key_id);
  std::lock_guard lock(shard.mutex);
  auto it = shard.sessions.find(access_key_id);
  return it == shard.sessions.end() ? nullptr : it->second;
}

std::size_t Store::sessionCount() const {
  std::size_t count = 0;
  for (const auto& shard : session_shards_) {
    std::lock_guard lock(shard.mutex);
    count += shard.sessions.size();
  }
  return count;
}

void Store::recordAccessKeyUse(std::string_view access_key_id, TimePoint when, std::string_view service,
                               std::string_view region) {
  auto find = [&]() -> AccessKey* {
    auto owner = access_key_accounts_.find(std::string(access_key_id));
    if (owner == access_key_accounts_.end()) return nullptr;
    auto account = accounts_.find(owner->second);
    if (account == accounts_.end()) return nullptr;
    auto key = account->second->access_keys.find(access_key_id);
    return key == account->second->access_keys.end() ? nullptr : &key->second;
  };
  // Every answer shows the date to the second, so the use is noted to the
  // second: most requests find it noted already, with the lock only shared.
  // Taking it unique on every signed request stalled every other reader.
  const TimePoint second = std::chrono::floor<std::chrono::seconds>(when);
  {
    std::shared_lock lock(mutex_);
    const AccessKey* key = find();
    if (key == nullptr) return;
    if (key->last_used_date == second && key->last_used_service == service && key->last_used_region == region) return;
  }
  std::unique_lock lock(mutex_);
  AccessKey* key = find();  // again: it may have gone while the lock was free
  if (key == nullptr) return;
  key->last_used_date = second;
  key->last_used_service = service;
  key->last_used_region = region;
}

std::optional<auth::Credential> Store::findAccessKey(std::string_view access_key_id) const {
  if (auto session = findSession(access_key_id)) {
    auth::Credential cred;
    cred.access_key_id = session->access_key_id;
    cred.secret_access_key = session->secret_access_key;
    cred.session_token = session->session_token;
    cred.expiration = session->expiration;
    cred.principal = session->principal;
    return cred;
  }
  std::shared_lock lock(mutex_);
  auto owner = access_key_accounts_.find(std::string(access_key_id));
  if (owner == access_key_accounts_.end()) return std::nullopt;
  const Account* account = findAccount(owner->second);
  if (!account) return std::nullopt;
  auto key = account->access_keys.find(access_key_id);
  if (key == account->access_keys.end()) return std::nullopt;
  auto user = account->users.find(key->second.user_name);
  if (user == account->users.end()) return std::nullopt;

  auth::Credential cred;
  cred.access_key_id = key->second.id;
  cred.secret_access_key = key->second.secret;
  cred.active = key->second.active;
  cred.principal.type = auth::PrincipalType::User;
  cred.principal.account_id = account->id;
  cred.principal.arn = user->second.arn;
  cred.principal.user_id = user->second.id;
  cred.principal.name = user->second.name;
  cred.principal.access_key_id = key->second.id;
  return cred;
}

}  // namespace iamlocal::store
