// Signs instance identity documents as EC2 does: an RSA key and a
// self-signed certificate made once per process, a base64 RSA-SHA256
// signature (/signature) and a detached PKCS #7 (/pkcs7, /rsa2048) that
// `openssl smime -verify -certfile <certificate>` accepts.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace iamlocal::services::imds {

class IdentitySigner {
 public:
  IdentitySigner();  // generates the key and certificate; never throws
  ~IdentitySigner();
  IdentitySigner(const IdentitySigner&) = delete;
  IdentitySigner& operator=(const IdentitySigner&) = delete;

  bool ok() const;  // false when OpenSSL could not make the key
  const std::string& certificatePem() const;
  // Base64 of the RSA-SHA256 signature of `document`.
  std::string signature(std::string_view document) const;
  // Base64 (64-column lines, no PEM armour, as EC2 serves it) of a detached
  // PKCS #7 signature of `document` without certificates.
  std::string pkcs7(std::string_view document) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace iamlocal::services::imds
