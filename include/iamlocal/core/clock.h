// The one source of time. Production uses SystemClock (real time plus an
// adjustable offset, for tests that watch credentials expire); unit tests
// inject a ManualClock.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace iamlocal {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override {
    return std::chrono::system_clock::now() + std::chrono::seconds(offset_seconds_.load(std::memory_order_relaxed));
  }
  void setOffsetSeconds(std::int64_t seconds) { offset_seconds_.store(seconds, std::memory_order_relaxed); }
  std::int64_t offsetSeconds() const { return offset_seconds_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> offset_seconds_{0};
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_(start) {}
  TimePoint now() const override { return now_; }
  void advance(std::chrono::system_clock::duration by) { now_ += by; }
  void set(TimePoint t) { now_ = t; }

 private:
  TimePoint now_;
};

// "2024-05-01T12:00:00Z": the form AWS's query APIs return timestamps in.
std::string formatIso8601(TimePoint t);
// "20240501T120000Z": the SigV4 X-Amz-Date form.
std::string formatAmzDate(TimePoint t);
// Parses ISO 8601 ("2024-05-01T12:00:00Z", with optional fraction and
// "+00:00"-style offsets) or returns false.
bool parseIso8601(std::string_view text, TimePoint& out);

}  // namespace iamlocal
