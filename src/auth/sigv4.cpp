// SigV4 verification: reading the signature parameters and checking them in
// the order AWS's front end does, with AWS's codes and message texts.
#include "iamlocal/auth/sigv4.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <charconv>

#include "iamlocal/core/strings.h"

namespace iamlocal::auth {
namespace {

constexpr std::string_view kMissingToken = "Request is missing Authentication Token";
constexpr std::string_view kSignatureMismatch =
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access "
    "Key and signing method. Consult the service documentation for details.";
constexpr std::string_view kInvalidToken = "The security token included in the request is invalid.";
constexpr std::string_view kExpiredToken = "The security token included in the request is expired";
// A presigned URL cannot outlive its signing key's week (AWS's S3 wording).
constexpr std::int64_t kMaxExpiresSeconds = 604800;

// Equal contents, compared in time independent of where they differ (only
// the lengths may be told apart).
bool constantTimeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool allDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int number(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

std::optional<TimePoint> makeTime(int y, unsigned mo, unsigned d, int h, int mi, int s) {
  using namespace std::chrono;
  const year_month_day ymd{year{y}, month{mo}, day{d}};
  // system_clock counts nanoseconds: years past 2262 would overflow it.
  if (!ymd.ok() || y < 1900 || y > 2200 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  return sys_days{ymd} + hours{h} + minutes{mi} + seconds{s};
}

// "20150830T123600Z": the only form X-Amz-Date may take.
std::optional<TimePoint> parseAmzDate(std::string_view t) {
  if (t.size() != 16 || t[8] != 'T' || t[15] != 'Z' || !allDigits(t.substr(0, 8)) || !allDigits(t.substr(9, 6)))
    return std::nullopt;
  return makeTime(number(t.substr(0, 4)), static_cast<unsigned>(number(t.substr(4, 2))),
                  static_cast<unsigned>(number(t.substr(6, 2))), number(t.substr(9, 2)), number(t.substr(11, 2)),
                  number(t.substr(13, 2)));
}

// "Sun, 30 Aug 2015 12:36:00 GMT" (RFC 7231 IMF-fixdate), which a Date
// header may carry instead of the basic ISO form; botocore writes the
// RFC 2822 variant ending in "-0000".
std::optional<TimePoint> parseHttpDate(std::string_view t) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (t.size() < 29 || t[3] != ',' || t[4] != ' ' || t[7] != ' ' || t[11] != ' ' || t[16] != ' ' ||
      t[19] != ':' || t[22] != ':')
    return std::nullopt;
  const std::string_view zone = t.substr(25);
  if (zone != " GMT" && zone != " UTC" && zone != " +0000" && zone != " -0000") return std::nullopt;
  if (!allDigits(t.substr(5, 2)) || !allDigits(t.substr(12, 4)) || !allDigits(t.substr(17, 2)) ||
      !allDigits(t.substr(20, 2)) || !allDigits(t.substr(23, 2)))
    return std::nullopt;
  unsigned month = 0;
  for (unsigned i = 0; i < 12; ++i)
    if (t.substr(8, 3) == kMonths[i]) month = i + 1;
  if (month == 0) return std::nullopt;
  return makeTime(number(t.substr(12, 4)), month, static_cast<unsigned>(number(t.substr(5, 2))),
                  number(t.substr(17, 2)), number(t.substr(20, 2)), number(t.substr(23, 2)));
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Lenient decoding for reading the X-Amz-* parameters: a malformed escape
// is kept as sent (the canonical query reports MalformedQueryString later).
std::string decodeLenient(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && s[i] != '%' && s[i] != '+') ++i;
  std::string out(s);
  char* w = out.data() + i;
  for (; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hexValue(s[i + 1]) >= 0 && hexValue(s[i + 2]) >= 0) {
      *w++ = static_cast<char>(hexValue(s[i + 1]) * 16 + hexValue(s[i + 2]));
      i += 2;
    } else {
      *w++ = s[i] == '+' ? ' ' : s[i];
    }
  }
  out.resize(static_cast<std::size_t>(w - out.data()));
  return out;
}

// The X-Amz-* parameters of a query string (first occurrence of each wins).
struct AuthQuery {
  std::optional<std::string> algorithm, credential, date, signed_headers, signature, token, expires;
};

AuthQuery readAuthQuery(std::string_view query) {
  AuthQuery q;
  std::size_t pos = 0;
  while (pos < query.size()) {
    std::size_t amp = query.find('&', pos);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view pair = query.substr(pos, amp - pos);
    pos = amp + 1;
    // All our keys are plain ASCII, so they are recognised undecoded.
    if (pair.size() < 6 || pair.substr(0, 6) != "X-Amz-") continue;
    std::size_t eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    std::string_view raw = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    std::optional<std::string>* slot = nullptr;
    if (key == "X-Amz-Algorithm") slot = &q.algorithm;
    else if (key == "X-Amz-Credential") slot = &q.credential;
    else if (key == "X-Amz-Date") slot = &q.date;
    else if (key == "X-Amz-SignedHeaders") slot = &q.signed_headers;
    else if (key == "X-Amz-Signature") slot = &q.signature;
    else if (key == "X-Amz-Security-Token") slot = &q.token;
    else if (key == "X-Amz-Expires") slot = &q.expires;
    if (slot && !*slot) *slot = decodeLenient(raw);
  }
  return q;
}

void setCredential(SignatureInfo& info, std::string credential) {
  info.credential = std::move(credential);
  std::string_view cred = info.credential;
  info.access_key_id = std::string(cred.substr(0, cred.find('/')));
  // AWS ignores trailing slashes when counting the elements.
  while (!cred.empty() && cred.back() == '/') cred.remove_suffix(1);
  std::vector<std::string_view> parts;
  std::size_t pos = 0;
  while (true) {
    std::size_t slash = cred.find('/', pos);
    parts.push_back(cred.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos));
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  if (parts.size() != 5) return;
  info.credential_well_formed = true;
  info.scope_date = parts[1];
  info.region = parts[2];
  info.service = parts[3];
  info.terminator = parts[4];
}

void setSignedHeaders(SignatureInfo& info, std::string_view list) {
  info.signed_headers.reserve(static_cast<std::size_t>(std::count(list.begin(), list.end(), ';')) + 1);
  std::size_t pos = 0;
  while (pos <= list.size()) {
    std::size_t semi = list.find(';', pos);
    if (semi == std::string_view::npos) semi = list.size();
    std::string_view name = trim(list.substr(pos, semi - pos));
    const bool lower = std::none_of(name.begin(), name.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    if (!name.empty()) info.signed_headers.push_back(lower ? std::string(name) : toLower(name));
    pos = semi + 1;
  }
  // SDKs send them sorted already.
  if (!std::is_sorted(info.signed_headers.begin(), info.signed_headers.end()))
    std::sort(info.signed_headers.begin(), info.signed_headers.end());
}

void setDate(SignatureInfo& info, std::string date_text, bool http_date_allowed) {
  info.date_text = std::move(date_text);
  info.timestamp = parseAmzDate(info.date_text);
  if (info.timestamp) {
    info.amz_date = info.date_text;  // already the canonical form
  } else if (http_date_allowed && (info.timestamp = parseHttpDate(info.date_text))) {
    info.amz_date = formatAmzDate(*info.timestamp);
  }
}

// The next space, tab (or comma) at or after `pos`; a plain loop, since
// find_first_of calls memchr once per byte.
std::size_t findSeparator(std::string_view s, std::size_t pos, bool comma) {
  for (; pos < s.size(); ++pos)
    if (s[pos] == ' ' || s[pos] == '\t' || (comma && s[pos] == ',')) return pos;
  return std::string_view::npos;
}

// The headers SigV4 reads, found in one pass over the request's headers
// (first occurrence of each).
struct AuthHeaders {
  std::optional<std::string_view> authorization, amz_date, date, token;
};

AuthHeaders readAuthHeaders(const http::Request& request) {
  AuthHeaders h;
  for (const auto& [name, value] : request.headers) {
    std::optional<std::string_view>* slot = nullptr;
    if (name == "authorization") slot = &h.authorization;
    else if (name == "x-amz-date") slot = &h.amz_date;
    else if (name == "date") slot = &h.date;
    else if (name == "x-amz-security-token") slot = &h.token;
    if (slot && !*slot) *slot = value;
  }
  return h;
}

Result<SignatureInfo> parseHeaderForm(const AuthHeaders& headers, std::string_view authorization) {
  // "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...":
  // the algorithm, then key=value pairs separated by commas or spaces.
  std::size_t alg_end = findSeparator(authorization, 0, false);
  std::string_view algorithm = authorization.substr(0, alg_end);
  std::string_view rest = alg_end == std::string_view::npos ? std::string_view{} : authorization.substr(alg_end);

  std::optional<std::string_view> credential, signed_headers, signature;
  std::size_t pos = 0;
  while (pos < rest.size()) {
    std::size_t end = findSeparator(rest, pos, true);
    if (end == std::string_view::npos) end = rest.size();
    std::string_view token = rest.substr(pos, end - pos);
    pos = end + 1;
    if (token.empty()) continue;
    std::size_t eq = token.find('=');
    if (eq == std::string_view::npos) {
      return fail(ErrorCode::IncompleteSignature,
                  "'" + std::string(token) + "' not a valid key=value pair (missing equal-sign) in Authorization header: '" +
                      std::string(authorization) + "'.");
    }
    std::string_view key = token.substr(0, eq), value = token.substr(eq + 1);
    if (key == "Credential") credential = value;
    else if (key == "SignedHeaders") signed_headers = value;
    else if (key == "Signature") signature = value;
  }

  const bool has_date = headers.amz_date || headers.date;

  std::string missing;
  if (!credential || credential->empty()) missing += "Authorization header requires 'Credential' parameter. ";
  if (!signature || signature->empty()) missing += "Authorization header requires 'Signature' parameter. ";
  if (!signed_headers) missing += "Authorization header requires 'SignedHeaders' parameter. ";
  if (!has_date) missing += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  if (!missing.empty()) return fail(ErrorCode::IncompleteSignature, missing + "Authorization=" + std::string(authorization));

  SignatureInfo info;
  info.form = SigV4Form::Header;
  info.algorithm = algorithm;
  setCredential(info, std::string(*credential));
  setSignedHeaders(info, *signed_headers);
  info.signature = *signature;
  if (headers.amz_date) setDate(info, std::string(trim(*headers.amz_date)), false);
  else setDate(info, std::string(trim(*headers.date)), true);
  if (headers.token) info.session_token = trim(*headers.token);
  return info;
}

Result<SignatureInfo> parseQueryForm(AuthQuery q) {
  std::string missing;
  auto require = [&missing](const std::optional<std::string>& v, std::string_view name) {
    if (!v || v->empty()) missing += "AWS query-string parameters must include '" + std::string(name) + "'. ";
  };
  require(q.algorithm, "X-Amz-Algorithm");
  require(q.credential, "X-Amz-Credential");
  require(q.signature, "X-Amz-Signature");
  require(q.signed_headers, "X-Amz-SignedHeaders");
  require(q.date, "X-Amz-Date");
  if (!missing.empty()) return fail(ErrorCode::IncompleteSignature, missing + "Re-examine the query-string parameters.");

  SignatureInfo info;
  info.form = SigV4Form::Query;
  info.algorithm = std::move(*q.algorithm);
  setCredential(info, std::move(*q.credential));
  setSignedHeaders(info, *q.signed_headers);
  info.signature = std::move(*q.signature);
  setDate(info, std::move(*q.date), false);
  if (q.token) info.session_token = std::move(*q.token);
  if (q.expires) info.expires_text = std::move(*q.expires);
  return info;
}

Status checkTime(const SignatureInfo& info, TimePoint now, const SigV4Options& options) {
  using namespace std::chrono;
  const TimePoint signed_at = *info.timestamp;
  const TimePoint now_s = floor<seconds>(now);
  const auto skew_min = duration_cast<minutes>(options.max_skew).count();
  if (signed_at < now_s - options.max_skew) {
    return fail(ErrorCode::SignatureDoesNotMatch,
                "Signature expired: " + info.amz_date + " is now earlier than " +
                    formatAmzDate(now_s - options.max_skew) + " (" + formatAmzDate(now_s) + " - " +
                    std::to_string(skew_min) + " min.)");
  }
  if (signed_at > now_s + options.max_skew) {
    return fail(ErrorCode::SignatureDoesNotMatch,
                "Signature not yet current: " + info.amz_date + " is still later than " +
                    formatAmzDate(now_s + options.max_skew) + " (" + formatAmzDate(now_s) + " + " +
                    std::to_string(skew_min) + " min.)");
  }
  if (!info.presigned() || info.expires_text.empty()) return {};

  // X-Amz-Expires can shorten a presigned request's life below the skew
  // window (non-S3 services never extend it beyond the window).
  std::string_view expires = info.expires_text;
  if (expires.front() == '-' && allDigits(expires.substr(1)))
    return fail(ErrorCode::IncompleteSignature, "X-Amz-Expires must be non-negative");
  if (!allDigits(expires)) return fail(ErrorCode::IncompleteSignature, "X-Amz-Expires should be a number");
  std::int64_t seconds_valid = 0;
  auto [ptr, ec] = std::from_chars(expires.data(), expires.data() + expires.size(), seconds_valid);
  if (ec != std::errc{} || seconds_valid > kMaxExpiresSeconds)
    return fail(ErrorCode::IncompleteSignature, "X-Amz-Expires must be less than a week (in seconds) that is 604800");
  if (now_s > signed_at + seconds{seconds_valid}) {
    return fail(ErrorCode::SignatureDoesNotMatch,
                "Signature expired: " + info.amz_date + " is now earlier than " +
                    formatAmzDate(now_s - seconds{seconds_valid}) + " (" + formatAmzDate(now_s) + " - " +
                    std::to_string(seconds_valid) + " sec.)");
  }
  return {};
}

}  // namespace

Result<SignatureInfo> parseSigV4(const http::Request& request) {
  const AuthHeaders headers = readAuthHeaders(request);
  const std::string_view authorization = trim(headers.authorization.value_or(std::string_view{}));
  AuthQuery query = readAuthQuery(request.query);

  if (!authorization.empty() && query.algorithm) {
    return fail(ErrorCode::SignatureDoesNotMatch,
                "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
  }
  if (!authorization.empty()) {
    // Anything that is not a SigV4 family header (SigV2's "AWS key:sig",
    // bearer tokens) counts as no signature at all.
    if (!startsWith(authorization, "AWS4-")) return fail(ErrorCode::MissingAuthenticationToken, std::string(kMissingToken));
    return parseHeaderForm(headers, authorization);
  }
  if (query.algorithm) return parseQueryForm(std::move(query));
  return fail(ErrorCode::MissingAuthenticationToken, std::string(kMissingToken));
}

Status checkSigV4Scope(const SignatureInfo& info, TimePoint now, const SigV4Options& options) {
  if (!info.timestamp) {
    return fail(ErrorCode::IncompleteSignature, "Date must be in ISO-8601 'basic format'. Got '" + info.date_text +
                                                    "'. See http://en.wikipedia.org/wiki/ISO_8601");
  }
  IAMLOCAL_RETURN_IF_ERROR(checkTime(info, now, options));

  const bool host_signed =
      std::any_of(info.signed_headers.begin(), info.signed_headers.end(),
                  [](const std::string& h) { return h == "host" || h == ":authority"; });
  if (!host_signed) {
    return fail(ErrorCode::SignatureDoesNotMatch,
                "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  if (info.algorithm != kSigV4Algorithm) {
    return fail(ErrorCode::IncompleteSignature,
                "Unsupported AWS 'algorithm': '" + info.algorithm + "' (only AWS4-HMAC-SHA256 for now). ");
  }
  if (!info.credential_well_formed) {
    return fail(ErrorCode::IncompleteSignature,
                "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '" +
                    info.credential + "'");
  }

  // AWS reports every scope problem at once, each sentence followed by a space.
  std::string problems;
  const bool region_ok = options.region.empty() ? !info.region.empty() : info.region == options.region;
  if (!region_ok) problems += "Credential should be scoped to a valid region, not '" + info.region + "'. ";
  const bool service_ok = options.service.empty() ? !info.service.empty() : info.service == options.service;
  if (!service_ok) problems += "Credential should be scoped to correct service: '" + options.service + "'. ";
  if (info.terminator != "aws4_request")
    problems += "Credential should be scoped with a valid terminator: 'aws4_request', not '" + info.terminator + "'. ";
  const std::string_view http_day = std::string_view(info.amz_date).substr(0, 8);
  if (info.scope_date != http_day) {
    problems += "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
                info.scope_date + "' != '" + std::string(http_day) + "', from '" + info.amz_date + "'. ";
  }
  if (!problems.empty()) return fail(ErrorCode::SignatureDoesNotMatch, std::move(problems));
  return {};
}

Status checkSigV4Signature(const http::Request& request, const SignatureInfo& info, std::string_view secret,
                           SigningKeyCache& cache, const SigV4Options& options) {
  const SigningKey key = cache.get(secret, info.scope_date, info.region, info.service);
  auto matches = [&info](const std::string& expected) { return constantTimeEquals(expected, info.signature); };

  IAMLOCAL_ASSIGN_OR_RETURN(std::string canonical, canonicalRequest(request, info, options));
  std::string to_sign = stringToSign(info, canonical);
  if (matches(signatureHex(key, to_sign))) return {};

  // Some signers (aws-c-auth's omit_session_token, used for IoT-style
  // presigned URLs) append X-Amz-Security-Token after signing.
  if (info.presigned() && !info.session_token.empty()) {
    IAMLOCAL_ASSIGN_OR_RETURN(std::string without_token, canonicalRequest(request, info, options, false));
    if (matches(signatureHex(key, stringToSign(info, without_token)))) return {};
  }

  // AWS's query-protocol services show what they computed, to help callers
  // find the difference.
  std::string message(kSignatureMismatch);
  message += "\n\nThe Canonical String for this request should have been\n'" + canonical +
             "'\n\nThe String-to-Sign should have been\n'" + to_sign + "'\n";
  return fail(ErrorCode::SignatureDoesNotMatch, std::move(message));
}

Status verifySigV4(const http::Request& request, const SignatureInfo& info, std::string_view secret, TimePoint now,
                   SigningKeyCache& cache, const SigV4Options& options) {
  IAMLOCAL_RETURN_IF_ERROR(checkSigV4Scope(info, now, options));
  return checkSigV4Signature(request, info, secret, cache, options);
}

Result<Principal> authenticateSigV4(const http::Request& request, const CredentialSource& credentials, TimePoint now,
                                    SigningKeyCache& cache, const SigV4Options& options) {
  IAMLOCAL_ASSIGN_OR_RETURN(SignatureInfo info, parseSigV4(request));
  IAMLOCAL_RETURN_IF_ERROR(checkSigV4Scope(info, now, options));
  std::optional<Credential> credential = credentials.findAccessKey(info.access_key_id);
  if (!credential || !credential->active) return fail(ErrorCode::InvalidClientTokenId, std::string(kInvalidToken));
  IAMLOCAL_RETURN_IF_ERROR(checkSigV4Signature(request, info, credential->secret_access_key, cache, options));
  // The token is checked last, as AWS does: a temporary key needs exactly
  // its own token, a long-term key none.
  if (!constantTimeEquals(info.session_token, credential->session_token))
    return fail(ErrorCode::InvalidClientTokenId, std::string(kInvalidToken));
  if (credential->expiration && now >= *credential->expiration)
    return fail(ErrorCode::ExpiredToken, std::string(kExpiredToken));
  return credential->principal;
}

}  // namespace iamlocal::auth
