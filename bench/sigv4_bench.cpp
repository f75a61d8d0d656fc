// SigV4 verification cost: a botocore-shaped IAM POST verified with the
// signing key already cached (the steady state of a server), the same with
// a presigned URL, and the key derivation a cache miss pays.
#include <benchmark/benchmark.h>

#include <string>

#include "iamlocal/auth/sigv4.h"

namespace {

using namespace iamlocal;
using namespace iamlocal::auth;

constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

TimePoint signedAt() {
  TimePoint t;
  parseIso8601("2024-05-01T12:00:00Z", t);
  return t;
}

SigningParams params() {
  SigningParams p;
  p.access_key_id = "AKIAIOSFODNN7EXAMPLE";
  p.secret_access_key = kSecret;
  p.region = "us-east-1";
  p.service = "iam";
  p.time = signedAt();
  return p;
}

// What aws-cli sends for `aws iam list-users --path-prefix /division_abc/`.
http::Request botocorePost() {
  http::Request r;
  r.method = "POST";
  r.path.push_back('/');  // (not = "/": GCC 12 -Wrestrict false positive)
  r.target = r.path;
  r.headers = {{"host", "localhost:4566"},
               {"accept-encoding", "identity"},
               {"content-type", "application/x-www-form-urlencoded; charset=utf-8"},
               {"user-agent", "aws-cli/1.32.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.11.7"},
               {"content-length", "65"}};
  r.body = "Action=ListUsers&PathPrefix=%2Fdivision_abc%2F&Version=2010-05-08";
  signRequest(r, params());
  return r;
}

SigV4Options options() {
  SigV4Options o;
  o.region = "us-east-1";
  o.service = "iam";
  return o;
}

void BM_ParseAndVerifyHeaderCachedKey(benchmark::State& state) {
  const http::Request request = botocorePost();
  SigningKeyCache cache;
  const SigV4Options opts = options();
  const TimePoint now = signedAt();
  for (auto _ : state) {
    auto info = parseSigV4(request);
    auto status = verifySigV4(request, *info, kSecret, now, cache, opts);
    if (!status) state.SkipWithError(status.error().message.c_str());
    benchmark::DoNotOptimize(status);
  }
}
BENCHMARK(BM_ParseAndVerifyHeaderCachedKey);

void BM_ParseHeader(benchmark::State& state) {
  const http::Request request = botocorePost();
  for (auto _ : state) benchmark::DoNotOptimize(parseSigV4(request));
}
BENCHMARK(BM_ParseHeader);

void BM_VerifyHeaderCachedKey(benchmark::State& state) {
  const http::Request request = botocorePost();
  SigningKeyCache cache;
  const SigV4Options opts = options();
  const TimePoint now = signedAt();
  const SignatureInfo info = *parseSigV4(request);
  for (auto _ : state) {
    auto status = verifySigV4(request, info, kSecret, now, cache, opts);
    benchmark::DoNotOptimize(status);
  }
}
BENCHMARK(BM_VerifyHeaderCachedKey);

void BM_ParseAndVerifyPresignedCachedKey(benchmark::State& state) {
  http::Request request;
  request.method = "GET";
  request.path.push_back('/');
  request.query = "Action=GetCallerIdentity&Version=2011-06-15";
  request.headers = {{"host", "localhost:4566"}, {"x-k8s-aws-id", "my-cluster"}};
  SigningParams p = params();
  p.service = "sts";
  p.session_token = std::string(400, 'T');
  p.expires = std::chrono::seconds(60);
  presignRequest(request, p);
  SigV4Options opts = options();
  opts.service = "sts";
  SigningKeyCache cache;
  const TimePoint now = signedAt();
  for (auto _ : state) {
    auto info = parseSigV4(request);
    auto status = verifySigV4(request, *info, kSecret, now, cache, opts);
    if (!status) state.SkipWithError(status.error().message.c_str());
    benchmark::DoNotOptimize(status);
  }
}
BENCHMARK(BM_ParseAndVerifyPresignedCachedKey);

void BM_DeriveSigningKey(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(deriveSigningKey(kSecret, "20240501", "us-east-1", "iam"));
}
BENCHMARK(BM_DeriveSigningKey);

}  // namespace

BENCHMARK_MAIN();
