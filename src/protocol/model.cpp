// ServiceModel: the public face of the compiled model (shapes.h), and the
// embedded IAM and STS models, compiled on first use.
#include "iamlocal/protocol/model.h"

#include <cstdio>
#include <cstdlib>

#include "embedded_models.h"
#include "shapes.h"

namespace iamlocal::protocol {

struct ServiceModel::Impl {
  std::unique_ptr<detail::CompiledModel> model;
};

ServiceModel::ServiceModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ServiceModel::~ServiceModel() = default;

Result<std::unique_ptr<ServiceModel>> ServiceModel::parse(std::string_view json_text) {
  IAMLOCAL_ASSIGN_OR_RETURN(auto compiled, detail::compileModel(json_text));
  auto impl = std::make_unique<Impl>();
  impl->model = std::move(compiled);
  return std::unique_ptr<ServiceModel>(new ServiceModel(std::move(impl)));
}

std::string_view ServiceModel::endpointPrefix() const { return impl_->model->endpoint_prefix; }
std::string_view ServiceModel::apiVersion() const { return impl_->model->api_version; }
std::string_view ServiceModel::xmlNamespace() const { return impl_->model->xml_namespace; }
Flavor ServiceModel::flavor() const { return impl_->model->flavor; }

bool ServiceModel::hasOperation(std::string_view operation) const {
  return impl_->model->findOperation(operation) != nullptr;
}

std::vector<std::string_view> ServiceModel::operationNames() const {
  std::vector<std::string_view> names;
  names.reserve(impl_->model->operations.size());
  for (const auto& [name, op] : impl_->model->operations) names.push_back(name);
  return names;
}

Result<nlohmann::json> ServiceModel::decodeInput(std::string_view operation, const QueryParams& params) const {
  const detail::Operation* op = impl_->model->findOperation(operation);
  if (op == nullptr) {
    return fail(ErrorCode::InvalidAction, "Could not find operation " + std::string(operation) + " for version " +
                                              impl_->model->api_version);
  }
  IAMLOCAL_ASSIGN_OR_RETURN(nlohmann::json input, detail::decodeParams(*impl_->model, *op, params));
  if (op->input != nullptr) IAMLOCAL_RETURN_IF_ERROR(detail::validateInput(*impl_->model, *op->input, input));
  return input;
}

std::string ServiceModel::encodeOutput(std::string_view operation, const nlohmann::json& output,
                                       std::string_view request_id) const {
  const detail::Operation* op = impl_->model->findOperation(operation);
  if (op == nullptr) {
    // Only a wiring bug gets here: answer as AWS would for a broken service.
    return encodeError(Error{ErrorCode::InternalFailure, "unknown operation " + std::string(operation)}, request_id);
  }
  return detail::writeResponse(*impl_->model, *op, output, request_id);
}

std::string ServiceModel::encodeError(const Error& error, std::string_view request_id) const {
  return detail::writeError(impl_->model->flavor, impl_->model->xml_namespace, error, request_id);
}

Result<XmlListWriter> XmlListWriter::create(const ServiceModel& model, std::string_view operation,
                                            std::string_view list_member) {
  const detail::Operation* op = model.impl_->model->findOperation(operation);
  const detail::MemberRef* list = nullptr;
  if (op != nullptr && op->output != nullptr) {
    for (const auto& member : op->output->members)
      if (member.name == list_member) list = &member;
  }
  if (list == nullptr || list->shape->type != detail::ShapeType::List ||
      list->shape->element().shape->type != detail::ShapeType::Structure) {
    return fail(ErrorCode::InternalFailure, std::string(operation) + " has no output list of structures named " +
                                                std::string(list_member));
  }
  const detail::MemberRef& element = list->shape->element();
  XmlListWriter writer;
  writer.element_ = element.shape;
  // As writeResponse names list elements: a flattened list repeats its own
  // name unless the element has a locationName.
  const bool flattened = list->flattened || list->shape->flattened;
  writer.element_name_ = flattened && !element.has_location_name ? std::string_view(list->xml_name)
                                                                 : std::string_view(element.xml_name);
  return writer;
}

void XmlListWriter::add(std::span<const ScalarField> fields) {
  if (xml_.empty()) xml_.reserve(8192);
  detail::writeScalarStructure(*static_cast<const detail::Shape*>(element_), element_name_, fields, xml_);
  ++count_;
}

nlohmann::json XmlListWriter::release() && {
  return nlohmann::json::binary(std::vector<std::uint8_t>(xml_.begin(), xml_.end()), detail::kPreRenderedXmlSubtype);
}

namespace {

std::unique_ptr<ServiceModel> compileEmbedded(std::string_view name, std::string_view text) {
  auto parsed = ServiceModel::parse(text);
  if (!parsed) {
    // The embedded models are part of the build; failing here is a build defect.
    std::fprintf(stderr, "iamlocal: embedded %.*s model does not compile: %s\n", static_cast<int>(name.size()),
                 name.data(), parsed.error().message.c_str());
    std::abort();
  }
  return std::move(*parsed);
}

}  // namespace

const ServiceModel& iamModel() {
  // C++ guarantees one thread compiles while the others wait.
  static const std::unique_ptr<ServiceModel> model = compileEmbedded("IAM", detail::embeddedIamModel());
  return *model;
}

const ServiceModel& stsModel() {
  static const std::unique_ptr<ServiceModel> model = compileEmbedded("STS", detail::embeddedStsModel());
  return *model;
}

std::string encodeError(Flavor flavor, const Error& error, std::string_view request_id) {
  return detail::writeError(flavor, "https://iam.amazonaws.com/doc/2010-05-08/", error, request_id);
}

}  // namespace iamlocal::protocol
