// Policy evaluation throughput and latency: a principal with 10 policies of
// 10 statements each (100 statements: actions across services, ARN patterns
// with wildcards and variables, conditions), evaluated with a reused
// Decision. Each case reports decisions/s (per core: one thread), the heap
// allocations per decision once warm, and, in its Latency run, p50/p99/p999
// of single decisions timed one at a time.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "iamlocal/policy/evaluator.h"

// Every heap allocation of the process is counted, so a benchmark can tell
// how many its loop made.
// (malloc and free sit in functions that are never inlined: GCC 12 reports
// free() of a pointer from operator new otherwise.)
namespace {
std::atomic<std::uint64_t> g_allocations{0};
[[gnu::noinline]] void* countedAllocate(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
[[gnu::noinline]] void countedFree(void* p) { std::free(p); }
}  // namespace

void* operator new(std::size_t size) {
  if (void* p = countedAllocate(size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { countedFree(p); }
void operator delete(void* p, std::size_t) noexcept { countedFree(p); }

namespace {

using namespace iamlocal::policy;

const char* kServices[] = {"s3", "ec2", "iam", "sqs", "sns", "dynamodb", "lambda", "kms", "logs", "cloudwatch"};

enum class Shape {
  // Statements spread over 10 services; the request's service is named by
  // one statement per policy.
  Realistic,
  // Every statement names s3, the request's service, so the action index
  // cannot skip any; the statements of one policy repeat the same Resource
  // list and condition (as generated policies often do).
  OneService,
  // As OneService, but no two statements share a resource pattern or a
  // condition: nothing is evaluated once for several statements.
  OneServiceDistinct,
};

// The resource patterns of statement `s` in the Distinct shape: different
// texts that all match home/alice/notes.txt.
const char* kDistinctTails[] = {"*", "n*", "no*", "*.txt", "*t", "notes.*", "*s.t?t", "n?tes*", "*e*", "*o*t*"};

std::string policyText(int p, Shape shape) {
  const bool one_service = shape != Shape::Realistic;
  const bool distinct = shape == Shape::OneServiceDistinct;
  std::string text = R"({"Version":"2012-10-17","Statement":[)";
  for (int s = 0; s < 10; ++s) {
    const std::string svc = one_service ? "s3" : kServices[(p + s) % 10];
    if (s) text += ",";
    text += R"({"Sid":"S)" + std::to_string(s) + R"(","Effect":")" + (s == 9 ? "Deny" : "Allow") + R"(","Action":[")" + svc +
            ":Get" + std::to_string(p) + R"(*",")" + svc + ":List" + std::to_string(s) + R"(*",")" + svc + R"(:Describe?nstances"],)";
    const std::string tail = distinct ? kDistinctTails[s] : "*";
    text += R"("Resource":["arn:aws:)" + svc + ":us-east-1:111122223333:thing/" + std::to_string(p) + R"(/*","arn:aws:)" + svc +
            R"(:*:111122223333:home/${aws:username}/)" + tail + R"("])";
    if (s % 3 == 0) {
      const std::string extra_region = distinct ? "eu-west-" + std::to_string(s) : "eu-west-1";
      const std::string network = distinct ? "10.0.0.0/" + std::to_string(8 + s / 3) : "10.0.0.0/8";
      text += R"(,"Condition":{"StringEquals":{"aws:RequestedRegion":["us-east-1",")" + extra_region +
              R"("]},"IpAddress":{"aws:SourceIp":")" + network + R"("}})";
    }
    text += "}";
  }
  return text + "]}";
}

struct Fixture {
  std::vector<CompiledPolicy> policies;
  PolicySet set;
  RequestContext request;

  explicit Fixture(Shape shape) {
    policies.reserve(10);
    for (int p = 0; p < 10; ++p) {
      auto compiled = compilePolicy(policyText(p, shape), "policy-" + std::to_string(p));
      if (!compiled) std::abort();
      policies.push_back(std::move(*compiled));
      set.identity.push_back(&policies.back());
    }
    // Matches statements of the last policy (with conditions), so every
    // statement is looked at.
    request.action = "s3:Get9Object";
    request.resource = "arn:aws:s3:us-east-1:111122223333:home/alice/notes.txt";
    request.principal_arn = "arn:aws:iam::111122223333:user/alice";
    request.principal_account = "111122223333";
    request.set("aws:username", "alice");
    request.set("aws:RequestedRegion", "us-east-1");
    request.set("aws:SourceIp", "10.1.2.3");
    request.finalize();
  }
};

struct Case {
  Shape shape;
  const char* action;
  DecisionType expected;
  std::size_t expected_matches;
};

// Realistic: one statement of policy 9 allows. ImplicitDeny: kms is named by
// one statement per policy, none of which matches. OneService*: all ten
// statements of policy 9 match; its last one denies.
constexpr Case kRealistic{Shape::Realistic, "s3:Get9Object", DecisionType::Allowed, 1};
constexpr Case kImplicitDeny{Shape::Realistic, "kms:Decrypt", DecisionType::ImplicitDeny, 0};
constexpr Case kOneService{Shape::OneService, "s3:Get9Object", DecisionType::ExplicitDeny, 10};
constexpr Case kOneServiceDistinct{Shape::OneServiceDistinct, "s3:Get9Object", DecisionType::ExplicitDeny, 10};

bool prepare(benchmark::State& state, const Case& c, Fixture& f, Decision& d) {
  f.request.action = c.action;
  evaluate(f.set, f.request, d);
  if (d.type != c.expected || d.matched.size() != c.expected_matches) {
    state.SkipWithError("the fixture did not get its expected decision");
    return false;
  }
  return true;
}

void runThroughput(benchmark::State& state, const Case& c) {
  Fixture f(c.shape);
  Decision d;
  if (!prepare(state, c, f, d)) return;
  const std::uint64_t allocations_before = g_allocations.load(std::memory_order_relaxed);
  for (auto _ : state) {
    evaluate(f.set, f.request, d);
    benchmark::DoNotOptimize(d.type);
  }
  const auto allocations = g_allocations.load(std::memory_order_relaxed) - allocations_before;
  const auto decisions = static_cast<double>(state.iterations());
  state.counters["decisions/s"] = benchmark::Counter(decisions, benchmark::Counter::kIsRate);
  state.counters["allocs/decision"] = static_cast<double>(allocations) / decisions;
}

// Single decisions timed one at a time with steady_clock: the distribution,
// not the mean. 100,000 samples in batches of 10,000; `clock_ns` is what an
// empty timed region measures (included in every sample).
void runLatency(benchmark::State& state, const Case& c) {
  Fixture f(c.shape);
  Decision d;
  if (!prepare(state, c, f, d)) return;
  constexpr int kBatches = 10, kBatch = 10000, kSamples = kBatches * kBatch;
  std::vector<double> ns(kSamples), clock_ns(kBatch);
  for (auto _ : state) {
    for (int b = 0; b < kBatches; ++b) {
      for (int i = 0; i < kBatch; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        evaluate(f.set, f.request, d);
        benchmark::DoNotOptimize(d.type);
        const auto t1 = std::chrono::steady_clock::now();
        ns[b * kBatch + i] = std::chrono::duration<double, std::nano>(t1 - t0).count();
      }
    }
    for (int i = 0; i < kBatch; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      benchmark::ClobberMemory();
      const auto t1 = std::chrono::steady_clock::now();
      clock_ns[i] = std::chrono::duration<double, std::nano>(t1 - t0).count();
    }
  }
  std::sort(ns.begin(), ns.end());
  std::sort(clock_ns.begin(), clock_ns.end());
  state.counters["p50_ns"] = ns[kSamples / 2];
  state.counters["p99_ns"] = ns[kSamples * 99 / 100];
  state.counters["p999_ns"] = ns[kSamples * 999 / 1000];
  state.counters["clock_ns"] = clock_ns[kBatch / 2];
}

void BM_Evaluate100Statements(benchmark::State& state) { runThroughput(state, kRealistic); }
BENCHMARK(BM_Evaluate100Statements);
void BM_Evaluate100StatementsImplicitDeny(benchmark::State& state) { runThroughput(state, kImplicitDeny); }
BENCHMARK(BM_Evaluate100StatementsImplicitDeny);
// Worst case for the action index: all 100 statements name the request's
// service.
void BM_Evaluate100StatementsOneService(benchmark::State& state) { runThroughput(state, kOneService); }
BENCHMARK(BM_Evaluate100StatementsOneService);
void BM_Evaluate100StatementsOneServiceDistinct(benchmark::State& state) { runThroughput(state, kOneServiceDistinct); }
BENCHMARK(BM_Evaluate100StatementsOneServiceDistinct);

void BM_Latency100Statements(benchmark::State& state) { runLatency(state, kRealistic); }
BENCHMARK(BM_Latency100Statements)->Iterations(1)->Unit(benchmark::kMillisecond);
void BM_Latency100StatementsOneService(benchmark::State& state) { runLatency(state, kOneService); }
BENCHMARK(BM_Latency100StatementsOneService)->Iterations(1)->Unit(benchmark::kMillisecond);
void BM_Latency100StatementsOneServiceDistinct(benchmark::State& state) { runLatency(state, kOneServiceDistinct); }
BENCHMARK(BM_Latency100StatementsOneServiceDistinct)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_CompilePolicy(benchmark::State& state) {
  const std::string text = policyText(3, Shape::Realistic);
  for (auto _ : state) {
    auto p = compilePolicy(text, "p");
    benchmark::DoNotOptimize(p);
  }
}
BENCHMARK(BM_CompilePolicy);

}  // namespace

BENCHMARK_MAIN();
