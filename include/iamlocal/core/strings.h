// Small string helpers shared by every layer: ASCII case folding, the URL
// encodings AWS uses, and case-insensitive ordering for entity names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace iamlocal {

std::string toLower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool startsWith(std::string_view s, std::string_view prefix);

// RFC 3986 percent-encoding of everything but unreserved characters
// (A-Z a-z 0-9 - _ . ~): what AWS returns for policy documents and what
// SigV4 canonicalisation uses.
std::string uriEncode(std::string_view s, bool encode_slash = true);
// Decodes %XX (and '+' as space when `plus_is_space`); false on a bad escape.
bool uriDecode(std::string_view s, std::string& out, bool plus_is_space = true);

// Splits application/x-www-form-urlencoded text into decoded pairs, in order.
// Returns false if any escape is malformed.
bool parseFormEncoded(std::string_view body, std::vector<std::pair<std::string, std::string>>& out);

// Hashes std::string keys so that unordered containers can be searched
// with a string_view, without building a string per lookup. Deliberately
// not noexcept: libstdc++ then keeps each node's hash, so growing a large
// table does not hash every key again and a lookup compares hashes before
// keys.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Orders names as IAM compares them: ASCII case-insensitively.
struct CaseInsensitiveLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const;
};

// Escapes text for XML character data and attribute values.
void appendXmlEscaped(std::string& out, std::string_view s);

}  // namespace iamlocal
