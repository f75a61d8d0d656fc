// Policy evaluation throughput: a principal with 10 policies of 10
// statements each (100 statements: actions across services, ARN patterns
// with wildcards and variables, conditions), evaluated with a reused
// Decision. Reports ns/decision (Google Benchmark) and, separately, the
// p50/p99 latency of single decisions timed one by one.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "iamlocal/policy/evaluator.h"

namespace {

using namespace iamlocal::policy;

const char* kServices[] = {"s3", "ec2", "iam", "sqs", "sns", "dynamodb", "lambda", "kms", "logs", "cloudwatch"};

std::string policyText(int p, bool one_service = false) {
  std::string text = R"({"Version":"2012-10-17","Statement":[)";
  for (int s = 0; s < 10; ++s) {
    const std::string svc = one_service ? "s3" : kServices[(p + s) % 10];
    if (s) text += ",";
    text += R"({"Sid":"S)" + std::to_string(s) + R"(","Effect":")" + (s == 9 ? "Deny" : "Allow") + R"(","Action":[")" + svc +
            ":Get" + std::to_string(p) + R"(*",")" + svc + ":List" + std::to_string(s) + R"(*",")" + svc + R"(:Describe?nstances"],)";
    text += R"("Resource":["arn:aws:)" + svc + ":us-east-1:111122223333:thing/" + std::to_string(p) + R"(/*","arn:aws:)" + svc +
            R"(:*:111122223333:home/${aws:username}/*"])";
    if (s % 3 == 0)
      text += R"(,"Condition":{"StringEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}})";
    text += "}";
  }
  return text + "]}";
}

struct Fixture {
  std::vector<CompiledPolicy> policies;
  PolicySet set;
  RequestContext request;

  explicit Fixture(bool one_service = false) {
    policies.reserve(10);
    for (int p = 0; p < 10; ++p) {
      auto compiled = compilePolicy(policyText(p, one_service), "policy-" + std::to_string(p));
      if (!compiled) std::abort();
      policies.push_back(std::move(*compiled));
      set.identity.push_back(&policies.back());
    }
    // Matches a statement of the last policy (with a condition), so every
    // statement is looked at and the decision is an allow.
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

void BM_Evaluate100Statements(benchmark::State& state) {
  Fixture f;
  Decision d;
  evaluate(f.set, f.request, d);
  if (!d.allowed()) state.SkipWithError("expected an allow");
  for (auto _ : state) {
    evaluate(f.set, f.request, d);
    benchmark::DoNotOptimize(d.type);
  }
  state.counters["decisions/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Evaluate100Statements);

void BM_Evaluate100StatementsImplicitDeny(benchmark::State& state) {
  Fixture f;
  f.request.action = "kms:Decrypt";
  Decision d;
  for (auto _ : state) {
    evaluate(f.set, f.request, d);
    benchmark::DoNotOptimize(d.type);
  }
  state.counters["decisions/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Evaluate100StatementsImplicitDeny);

// Worst case for the action index: all 100 statements name the request's
// service, so every one is matched in full.
void BM_Evaluate100StatementsOneService(benchmark::State& state) {
  Fixture f(/*one_service=*/true);
  Decision d;
  evaluate(f.set, f.request, d);
  if (d.type != DecisionType::ExplicitDeny) state.SkipWithError("expected the Deny of policy 9 to apply");
  for (auto _ : state) {
    evaluate(f.set, f.request, d);
    benchmark::DoNotOptimize(d.type);
  }
  state.counters["decisions/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Evaluate100StatementsOneService);

// Single decisions timed one at a time: the distribution, not the mean.
void BM_DecisionLatencyPercentiles(benchmark::State& state) {
  Fixture f;
  Decision d;
  constexpr int kSamples = 200000;
  std::vector<double> ns(kSamples);
  for (auto _ : state) {
    for (int i = 0; i < kSamples; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      evaluate(f.set, f.request, d);
      benchmark::DoNotOptimize(d.type);
      const auto t1 = std::chrono::steady_clock::now();
      ns[i] = std::chrono::duration<double, std::nano>(t1 - t0).count();
    }
  }
  std::sort(ns.begin(), ns.end());
  state.counters["p50_ns"] = ns[kSamples / 2];
  state.counters["p99_ns"] = ns[kSamples * 99 / 100];
  state.counters["p999_ns"] = ns[kSamples * 999 / 1000];
}
BENCHMARK(BM_DecisionLatencyPercentiles)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_CompilePolicy(benchmark::State& state) {
  const std::string text = policyText(3);
  for (auto _ : state) {
    auto p = compilePolicy(text, "p");
    benchmark::DoNotOptimize(p);
  }
}
BENCHMARK(BM_CompilePolicy);

}  // namespace

BENCHMARK_MAIN();
