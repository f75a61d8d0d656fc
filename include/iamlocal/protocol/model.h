// AWS service models (botocore's service-2.json), embedded in the binary and
// walked to decode requests into typed trees, validate them as AWS does, and
// serialize outputs and errors exactly as the service's wire protocol wants.
//
// The typed tree is nlohmann::json: structure -> object keyed by member name,
// list -> array, map -> object, string/timestamp -> string (timestamps in
// ISO 8601), integer/long -> integer, boolean -> bool, double -> number,
// blob -> string of raw bytes (base64 on the wire).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "iamlocal/core/clock.h"
#include "iamlocal/core/result.h"

namespace iamlocal::protocol {

// The query protocol (IAM, STS) and EC2's variant of it differ in list
// encoding on input, list wrappers on output, and the error envelope.
enum class Flavor { Query, Ec2 };

using QueryParams = std::vector<std::pair<std::string, std::string>>;

class XmlListWriter;

class ServiceModel {
 public:
  ~ServiceModel();
  ServiceModel(const ServiceModel&) = delete;
  ServiceModel& operator=(const ServiceModel&) = delete;

  // Compiles a service-2.json document; the JSON itself is not kept.
  static Result<std::unique_ptr<ServiceModel>> parse(std::string_view json_text);

  std::string_view endpointPrefix() const;  // "iam", "sts", "ec2"
  std::string_view apiVersion() const;      // "2010-05-08"
  std::string_view xmlNamespace() const;    // "https://iam.amazonaws.com/doc/2010-05-08/"
  Flavor flavor() const;
  bool hasOperation(std::string_view operation) const;
  // Every operation of the model, in name order.
  std::vector<std::string_view> operationNames() const;

  // Turns request parameters (Action and Version already removed or not;
  // both are ignored) into the operation's input tree, validated against the
  // model: ValidationError with AWS's text, or InvalidParameterValue /
  // MissingParameter for EC2. A value that does not parse as its type
  // (MaxItems=abc, a bad boolean or base64) is InvalidParameterValue; an
  // operation the model lacks is InvalidAction.
  Result<nlohmann::json> decodeInput(std::string_view operation, const QueryParams& params) const;

  // The whole XML response document for a successful call.
  std::string encodeOutput(std::string_view operation, const nlohmann::json& output,
                           std::string_view request_id) const;

  // AWS's XML error document in this service's flavor and namespace
  // (IAM and STS each answer with their own xmlns).
  std::string encodeError(const Error& error, std::string_view request_id) const;

 private:
  friend class XmlListWriter;
  struct Impl;
  explicit ServiceModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// One scalar member of a structure, for XmlListWriter: the model's member
// name and its value (a TimePoint is written as ISO 8601).
struct ScalarField {
  std::string_view member;
  std::variant<std::string_view, std::int64_t, bool, TimePoint> value;
};

// The elements of one list in an operation's output, rendered to XML as they
// are added, for listings of many flat entities (a ListRoles page is 100
// roles): no json tree per element. The element shape, names, member order
// and escaping still come from the model, and encodeOutput writes the list
// where the model puts it. Elements with nested members are not supported:
// build those as json.
class XmlListWriter {
 public:
  // For output member `list_member` of `operation` (e.g. "ListRoles",
  // "Roles"); InternalFailure when the model has no such list of structures.
  static Result<XmlListWriter> create(const ServiceModel& model, std::string_view operation,
                                      std::string_view list_member);

  // Appends one element. Members are written in model order whatever the
  // order of `fields`; names the element shape lacks are skipped.
  void add(std::span<const ScalarField> fields);
  std::size_t size() const { return count_; }

  // The list as a value of the output tree (a json binary value of a subtype
  // only encodeOutput reads), to be put under `list_member`.
  nlohmann::json release() &&;

 private:
  XmlListWriter() = default;
  const void* element_ = nullptr;  // detail::Shape of the list's elements
  std::string_view element_name_;  // "member" for IAM and STS
  std::string xml_;
  std::size_t count_ = 0;
};

// The embedded models, compiled on first use (thread-safe).
const ServiceModel& iamModel();
const ServiceModel& stsModel();
// EC2, trimmed to the instance and instance-profile operations iamlocal serves.
const ServiceModel& ec2Model();

// AWS's XML error document for `error` in the given flavor; the Query flavor
// uses IAM's namespace (prefer ServiceModel::encodeError when the service is known).
std::string encodeError(Flavor flavor, const Error& error, std::string_view request_id);

}  // namespace iamlocal::protocol
