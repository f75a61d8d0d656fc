// The service models compiled into the binary (see embedded_models.cpp):
// botocore's service-2.json text, exactly as vendored under models/.
#pragma once

#include <string_view>

namespace iamlocal::protocol::detail {

std::string_view embeddedIamModel();
std::string_view embeddedStsModel();
// Trimmed to the instance and instance-profile operations (tools/trim_model.py).
std::string_view embeddedEc2Model();

}  // namespace iamlocal::protocol::detail
