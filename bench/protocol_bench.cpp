// Hot paths of the query protocol: decoding a CreateRole form into its typed
// input and encoding a ListRoles page of 100 roles.
#include <benchmark/benchmark.h>

#include <string>

#include <nlohmann/json.hpp>

#include "iamlocal/core/strings.h"
#include "iamlocal/protocol/model.h"

namespace {

using iamlocal::protocol::iamModel;
using iamlocal::protocol::QueryParams;

constexpr const char* kTrust =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})";

void BM_DecodeCreateRole(benchmark::State& state) {
  const auto& model = iamModel();
  QueryParams params = {{"Action", "CreateRole"},
                        {"Version", "2010-05-08"},
                        {"RoleName", "bench-role-12345"},
                        {"Path", "/service/"},
                        {"AssumeRolePolicyDocument", kTrust},
                        {"Tags.member.1.Key", "team"},
                        {"Tags.member.1.Value", "platform"}};
  for (auto _ : state) {
    auto input = model.decodeInput("CreateRole", params);
    benchmark::DoNotOptimize(input);
  }
}
BENCHMARK(BM_DecodeCreateRole);

void BM_EncodeListRolesPage(benchmark::State& state) {
  const auto& model = iamModel();
  nlohmann::json roles = nlohmann::json::array();
  const std::string encoded_trust = iamlocal::uriEncode(kTrust);
  for (int i = 0; i < state.range(0); ++i) {
    roles.push_back({{"Path", "/"},
                     {"RoleName", "role-" + std::to_string(i)},
                     {"RoleId", "AROAEXAMPLEEXAMPLE" + std::to_string(i % 10)},
                     {"Arn", "arn:aws:iam::000000000000:role/role-" + std::to_string(i)},
                     {"CreateDate", "2026-11-23T00:00:00Z"},
                     {"AssumeRolePolicyDocument", encoded_trust},
                     {"MaxSessionDuration", 3600}});
  }
  nlohmann::json output = {{"Roles", roles}, {"IsTruncated", true}, {"Marker", "role-99"}};
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string xml = model.encodeOutput("ListRoles", output, "8f0e6c0e-2a42-4d6f-9a8e-123456789abc");
    bytes += xml.size();
    benchmark::DoNotOptimize(xml);
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_EncodeListRolesPage)->Arg(100);

}  // namespace

BENCHMARK_MAIN();
