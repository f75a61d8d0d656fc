// The SigV4 signer: signs an http::Request the way botocore and aws-c-auth
// do, so tests and benchmarks can produce requests at any time and scope.
#include <algorithm>
#include <array>

#include "iamlocal/auth/sigv4.h"
#include "iamlocal/core/strings.h"

namespace iamlocal::auth {
namespace {

// Hop-by-hop and client-identifying headers that SDKs leave unsigned
// (botocore's SIGNED_HEADERS_BLACKLIST).
constexpr std::array<std::string_view, 12> kUnsignedHeaders = {
    "authorization", "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization",
    "te",            "trailer",    "transfer-encoding",    "upgrade",          "user-agent",
    "x-amzn-trace-id"};

std::vector<std::string> headersToSign(const http::Request& request) {
  std::vector<std::string> names;
  for (const auto& [name, value] : request.headers) {
    std::string lower = toLower(name);
    if (std::find(kUnsignedHeaders.begin(), kUnsignedHeaders.end(), lower) != kUnsignedHeaders.end()) continue;
    if (std::find(names.begin(), names.end(), lower) == names.end()) names.push_back(std::move(lower));
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string joinNames(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out.push_back(';');
    out.append(names[i]);
  }
  return out;
}

SignatureInfo describe(const SigningParams& params, SigV4Form form, std::vector<std::string> signed_headers) {
  SignatureInfo info;
  info.form = form;
  info.algorithm = kSigV4Algorithm;
  info.amz_date = formatAmzDate(params.time);
  info.date_text = info.amz_date;
  info.timestamp = params.time;
  info.access_key_id = params.access_key_id;
  info.scope_date = info.amz_date.substr(0, 8);
  info.region = params.region;
  info.service = params.service;
  info.terminator = "aws4_request";
  info.credential_well_formed = true;
  info.credential = params.access_key_id + "/" + info.credentialScope();
  info.signed_headers = std::move(signed_headers);
  return info;
}

std::string computeSignature(const http::Request& request, const SignatureInfo& info, const SigningParams& params) {
  SigV4Options options;
  options.normalize_path = params.normalize_path;
  // The signer builds its own query, so the canonical query cannot be malformed.
  const std::string canonical = canonicalRequest(request, info, options).value_or(std::string());
  return signatureHex(deriveSigningKey(params.secret_access_key, info.scope_date, info.region, info.service),
                      stringToSign(info, canonical));
}

void appendParam(http::Request& request, std::string_view key, std::string_view value) {
  if (!request.query.empty()) request.query.push_back('&');
  request.query.append(key).push_back('=');
  request.query.append(uriEncode(value));
}

}  // namespace

void signRequest(http::Request& request, const SigningParams& params) {
  const std::string amz_date = formatAmzDate(params.time);
  request.headers.emplace_back("x-amz-date", amz_date);
  if (params.add_content_sha256) request.headers.emplace_back("x-amz-content-sha256", sha256Hex(request.body));
  const bool sign_token = !params.session_token.empty() && !params.omit_session_token;
  if (sign_token) request.headers.emplace_back("x-amz-security-token", params.session_token);

  SignatureInfo info = describe(params, SigV4Form::Header, headersToSign(request));
  const std::string signature = computeSignature(request, info, params);
  if (!params.session_token.empty() && !sign_token)
    request.headers.emplace_back("x-amz-security-token", params.session_token);
  request.headers.emplace_back("authorization", std::string(kSigV4Algorithm) + " Credential=" + info.credential +
                                                    ", SignedHeaders=" + joinNames(info.signed_headers) +
                                                    ", Signature=" + signature);
}

void presignRequest(http::Request& request, const SigningParams& params) {
  SignatureInfo info = describe(params, SigV4Form::Query, headersToSign(request));
  appendParam(request, "X-Amz-Algorithm", kSigV4Algorithm);
  appendParam(request, "X-Amz-Credential", info.credential);
  appendParam(request, "X-Amz-Date", info.amz_date);
  appendParam(request, "X-Amz-SignedHeaders", joinNames(info.signed_headers));
  appendParam(request, "X-Amz-Expires", std::to_string(params.expires.count()));
  const bool sign_token = !params.session_token.empty() && !params.omit_session_token;
  if (sign_token) appendParam(request, "X-Amz-Security-Token", params.session_token);

  const std::string signature = computeSignature(request, info, params);
  if (!params.session_token.empty() && !sign_token) appendParam(request, "X-Amz-Security-Token", params.session_token);
  appendParam(request, "X-Amz-Signature", signature);
  request.target = request.path + "?" + request.query;
}

}  // namespace iamlocal::auth
