// The store's own bookkeeping: when an access key was last used, and the
// sessions STS adds.
#include "iamlocal/store/store.h"

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace iamlocal::store {
namespace {

using std::chrono::milliseconds;

class StoreTest : public ::testing::Test {
 public:
  StoreTest() {
    parseIso8601("2024-05-01T12:00:00Z", noon_);
    std::unique_lock lock(store_.mutex());
    Account& account = store_.account("123456789012");
    account.users["alice"].name = "alice";
    AccessKey& key = account.access_keys[kKey];
    key.id = kKey;
    key.user_name = "alice";
    store_.indexAccessKey(kKey, "123456789012");
  }

  const AccessKey& key() {
    std::shared_lock lock(store_.mutex());
    return store_.findAccount("123456789012")->access_keys.at(kKey);
  }

  inline static const std::string kKey = "AKIAALICEALICEALICE1";
  Store store_;
  TimePoint noon_;
};

TEST_F(StoreTest, AccessKeyUseIsNotedToTheSecondWithTheLatestServiceAndRegion) {
  store_.recordAccessKeyUse(kKey, noon_ + milliseconds(300), "iam", "us-east-1");
  ASSERT_TRUE(key().last_used_date);
  EXPECT_EQ(formatIso8601(*key().last_used_date), "2024-05-01T12:00:00Z");
  EXPECT_EQ(key().last_used_service, "iam");

  // The same second by another service and region: both are noted.
  store_.recordAccessKeyUse(kKey, noon_ + milliseconds(700), "sts", "eu-west-1");
  EXPECT_EQ(key().last_used_service, "sts");
  EXPECT_EQ(key().last_used_region, "eu-west-1");

  // A later second moves the date even when nothing else changed.
  store_.recordAccessKeyUse(kKey, noon_ + milliseconds(1200), "sts", "eu-west-1");
  EXPECT_EQ(formatIso8601(*key().last_used_date), "2024-05-01T12:00:01Z");
}

TEST_F(StoreTest, UseOfAKeyTheStoreDoesNotHoldIsIgnored) {
  store_.recordAccessKeyUse("AKIAUNKNOWNUNKNOWN00", noon_, "iam", "us-east-1");
  EXPECT_FALSE(key().last_used_date);
}

Session sessionExpiring(std::string id, TimePoint expiration) {
  Session s;
  s.access_key_id = std::move(id);
  s.secret_access_key = "secret-of-" + s.access_key_id;
  s.expiration = expiration;
  return s;
}

TEST_F(StoreTest, SessionsAddedOutOfExpiryOrderAreSweptByTheirOwnExpiry) {
  auto session = sessionExpiring;
  std::unique_lock lock(store_.mutex());
  store_.addSession(session("ASIALONG", noon_ + std::chrono::hours(12)), noon_);
  store_.addSession(session("ASIASHORT", noon_ + std::chrono::minutes(15)), noon_);
  // Past the short one's retention only: the long one, added first, stays.
  store_.addSession(session("ASIANEXT", noon_ + std::chrono::hours(14)),
                    noon_ + std::chrono::minutes(16) + kExpiredSessionRetention);
  EXPECT_EQ(store_.findSession("ASIASHORT"), nullptr);
  EXPECT_NE(store_.findSession("ASIALONG"), nullptr);
  EXPECT_NE(store_.findSession("ASIANEXT"), nullptr);
  EXPECT_EQ(store_.sessionCount(), 2u);
}

TEST_F(StoreTest, ASessionFoundBeforeItIsSweptStaysReadableForItsFinder) {
  store_.addSession(sessionExpiring("ASIAOLD", noon_), noon_);
  auto found = store_.findSession("ASIAOLD");
  ASSERT_NE(found, nullptr);
  store_.addSession(sessionExpiring("ASIANEW", noon_ + std::chrono::hours(30)),
                    noon_ + std::chrono::hours(1) + kExpiredSessionRetention);
  EXPECT_EQ(store_.findSession("ASIAOLD"), nullptr);
  EXPECT_EQ(found->secret_access_key, "secret-of-ASIAOLD");
}

// AssumeRole adds its session holding the store's mutex shared, side by
// side with other AssumeRoles and with readers authenticating sessions.
TEST_F(StoreTest, SessionsAreAddedAndFoundFromManyThreadsUnderTheSharedLock) {
  constexpr int kThreads = 4;
  constexpr int kEach = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string id = "ASIA" + std::to_string(t) + "X" + std::to_string(i);
        std::shared_lock lock(store_.mutex());
        store_.addSession(sessionExpiring(id, noon_ + std::chrono::hours(1)), noon_);
        auto found = store_.findSession(id);
        ASSERT_NE(found, nullptr);
        EXPECT_EQ(found->secret_access_key, "secret-of-" + id);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(store_.sessionCount(), static_cast<std::size_t>(kThreads * kEach));
  auto credential = store_.findAccessKey("ASIA3X499");
  ASSERT_TRUE(credential);
  EXPECT_EQ(credential->secret_access_key, "secret-of-ASIA3X499");
}

}  // namespace
}  // namespace iamlocal::store
