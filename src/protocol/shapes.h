// The compiled form of a service model: shapes linked by pointers, members
// in model order, constraints pre-parsed, element and parameter names
// resolved for the service's wire flavor. Built once from service-2.json
// (which is then dropped) and shared read-only by every request.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "iamlocal/protocol/model.h"
#include "java_regex.h"

namespace iamlocal::protocol::detail {

enum class ShapeType : std::uint8_t { Structure, List, Map, String, Integer, Long, Float, Double, Boolean, Timestamp, Blob };

struct Shape;

// A structure member, or the element of a list, or the key/value of a map.
struct MemberRef {
  std::string name;        // the model's member name: the key in the typed tree
  std::string xml_name;    // element name in responses
  std::string query_name;  // name segment in request parameters
  std::string path_name;   // lowerCamel name used in ValidationError paths
  const Shape* shape = nullptr;
  bool required = false;
  bool has_location_name = false;
  bool flattened = false;  // the reference itself says so (the shape may too)
};

struct Shape {
  std::string name;
  ShapeType type = ShapeType::String;
  bool flattened = false;
  bool sensitive = false;
  bool has_min = false;
  bool has_max = false;
  std::int64_t min = 0;  // length for strings/blobs/lists/maps, value for numbers
  std::int64_t max = 0;
  std::string pattern;
  std::vector<std::string> enum_values;
  std::string enum_text;  // "[Active, Inactive]", as AWS prints the set
  // Structure: its members. List: [element]. Map: [key, value].
  std::vector<MemberRef> members;
  // Structure: indexes into `members` in name order, to pair members with an
  // output object's (name-sorted) keys in one pass.
  std::vector<std::uint16_t> members_by_name;

  const MemberRef& element() const { return members[0]; }
  const MemberRef& key() const { return members[0]; }
  const MemberRef& value() const { return members[1]; }

  // The pattern compiled on first use (nullptr if it does not translate).
  const JavaPattern* compiledPattern() const {
    std::call_once(pattern_once_, [this] { compiled_ = JavaPattern::compile(pattern); });
    return compiled_.get();
  }

 private:
  mutable std::once_flag pattern_once_;
  mutable std::unique_ptr<JavaPattern> compiled_;
};

struct Operation {
  std::string name;
  const Shape* input = nullptr;   // may be null
  const Shape* output = nullptr;  // may be null
  std::string result_wrapper;     // "CreateRoleResult"; empty when absent
};

struct CompiledModel {
  std::string endpoint_prefix;
  std::string api_version;
  std::string xml_namespace;
  Flavor flavor = Flavor::Query;
  std::unique_ptr<Shape[]> shapes;
  std::size_t shape_count = 0;
  std::map<std::string, Operation, std::less<>> operations;

  const Operation* findOperation(std::string_view name) const {
    auto it = operations.find(name);
    return it == operations.end() ? nullptr : &it->second;
  }
};

// Compiles service-2.json text; InternalFailure describing the defect if it
// is not a model we understand.
Result<std::unique_ptr<CompiledModel>> compileModel(std::string_view json_text);

// Request parameters -> typed tree, then the model's constraints.
Result<nlohmann::json> decodeParams(const CompiledModel& model, const Operation& op, const QueryParams& params);
Status validateInput(const CompiledModel& model, const Shape& shape, const nlohmann::json& input);

// Typed tree -> the response document.
std::string writeResponse(const CompiledModel& model, const Operation& op, const nlohmann::json& output,
                          std::string_view request_id);
std::string writeError(Flavor flavor, std::string_view xml_namespace, const Error& error,
                       std::string_view request_id);

// XmlListWriter's output: a json binary value of this subtype holds list
// elements already rendered as XML, written as they are by writeResponse.
inline constexpr std::uint8_t kPreRenderedXmlSubtype = 0x58;
// Appends <element_name>...</element_name> for a structure of scalars.
void writeScalarStructure(const Shape& shape, std::string_view element_name, std::span<const ScalarField> fields,
                          std::string& out);

// Base64 (RFC 4648, padded) for blobs.
std::string base64Encode(std::string_view bytes);
bool base64Decode(std::string_view text, std::string& out);

}  // namespace iamlocal::protocol::detail
