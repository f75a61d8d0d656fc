// Embeds models/*.json with the assembler's .incbin, so the binary needs no
// data files at run time and the text sits in read-only pages that are only
// touched when a model is first compiled. IAMLOCAL_MODELS_DIR is set by
// src/CMakeLists.txt, which also makes this object depend on the JSON files.
#include "embedded_models.h"

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "iamlocal/protocol/model.h"

#ifndef IAMLOCAL_MODELS_DIR
#error "IAMLOCAL_MODELS_DIR must name the directory of the vendored service models"
#endif

#define IAMLOCAL_EMBED(symbol, file)                  \
  asm(".section .rodata\n"                             \
      ".global " #symbol "\n"                          \
      ".hidden " #symbol "\n"                          \
      ".balign 16\n" #symbol ":\n"                     \
      ".incbin \"" IAMLOCAL_MODELS_DIR "/" file "\"\n" \
      ".global " #symbol "_end\n"                      \
      ".hidden " #symbol "_end\n" #symbol "_end:\n"    \
      ".byte 0\n"                                      \
      ".previous\n")

IAMLOCAL_EMBED(iamlocal_model_iam, "iam-2010-05-08.json");
IAMLOCAL_EMBED(iamlocal_model_sts, "sts-2011-06-15.json");
IAMLOCAL_EMBED(iamlocal_model_ec2, "ec2-2016-11-15.json");

extern "C" {
extern const char iamlocal_model_iam[];
extern const char iamlocal_model_iam_end[];
extern const char iamlocal_model_sts[];
extern const char iamlocal_model_sts_end[];
extern const char iamlocal_model_ec2[];
extern const char iamlocal_model_ec2_end[];
}

namespace iamlocal::protocol::detail {

std::string_view embeddedIamModel() {
  return {iamlocal_model_iam, static_cast<std::size_t>(iamlocal_model_iam_end - iamlocal_model_iam)};
}

std::string_view embeddedStsModel() {
  return {iamlocal_model_sts, static_cast<std::size_t>(iamlocal_model_sts_end - iamlocal_model_sts)};
}

std::string_view embeddedEc2Model() {
  return {iamlocal_model_ec2, static_cast<std::size_t>(iamlocal_model_ec2_end - iamlocal_model_ec2)};
}

}  // namespace iamlocal::protocol::detail

namespace iamlocal::protocol {

// Defined here rather than beside iamModel() in model.cpp so that the EC2
// model's wiring stays in one file.
const ServiceModel& ec2Model() {
  static const std::unique_ptr<ServiceModel> model = [] {
    auto parsed = ServiceModel::parse(detail::embeddedEc2Model());
    if (!parsed) {
      // The embedded models are part of the build; failing here is a build defect.
      std::fprintf(stderr, "iamlocal: embedded EC2 model does not compile: %s\n", parsed.error().message.c_str());
      std::abort();
    }
    return std::move(*parsed);
  }();
  return *model;
}

}  // namespace iamlocal::protocol
