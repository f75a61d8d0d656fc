#include "identity_signer.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

namespace iamlocal::services::imds {
namespace {

struct Free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(PKCS7* p) const { PKCS7_free(p); }
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
template <typename T>
using Owned = std::unique_ptr<T, Free>;

std::string base64(const unsigned char* data, std::size_t size) {
  std::string out(4 * ((size + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
  return out;
}

std::string wrap64(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 64) {
    if (i) out += '\n';
    out += text.substr(i, 64);
  }
  return out;
}

}  // namespace

struct IdentitySigner::Impl {
  Owned<EVP_PKEY> key;
  Owned<X509> certificate;
  std::string pem;
};

IdentitySigner::IdentitySigner() : impl_(std::make_unique<Impl>()) {
  Owned<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) <= 0 || EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), 2048) <= 0 ||
      EVP_PKEY_keygen(ctx.get(), &raw) <= 0)
    return;
  impl_->key.reset(raw);

  Owned<X509> cert(X509_new());
  if (!cert) return;
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -24 * 3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 3600);
  X509_set_pubkey(cert.get(), impl_->key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("iamlocal"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("iamlocal instance identity"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (X509_sign(cert.get(), impl_->key.get(), EVP_sha256()) <= 0) return;

  Owned<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert.get()) != 1) return;
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  impl_->pem.assign(data, static_cast<std::size_t>(size));
  impl_->certificate = std::move(cert);
}

IdentitySigner::~IdentitySigner() = default;

bool IdentitySigner::ok() const { return impl_->certificate != nullptr; }
const std::string& IdentitySigner::certificatePem() const { return impl_->pem; }

std::string IdentitySigner::signature(std::string_view document) const {
  if (!ok()) return {};
  Owned<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  std::size_t size = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, impl_->key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, reinterpret_cast<const unsigned char*>(document.data()),
                     document.size()) != 1)
    return {};
  std::string sig(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &size,
                     reinterpret_cast<const unsigned char*>(document.data()), document.size()) != 1)
    return {};
  return base64(reinterpret_cast<const unsigned char*>(sig.data()), size);
}

std::string IdentitySigner::pkcs7(std::string_view document) const {
  if (!ok()) return {};
  Owned<BIO> in(BIO_new_mem_buf(document.data(), static_cast<int>(document.size())));
  if (!in) return {};
  Owned<PKCS7> p7(PKCS7_sign(impl_->certificate.get(), impl_->key.get(), nullptr, in.get(),
                             PKCS7_BINARY | PKCS7_DETACHED | PKCS7_NOCERTS));
  if (!p7) return {};
  int size = i2d_PKCS7(p7.get(), nullptr);
  if (size <= 0) return {};
  std::string der(static_cast<std::size_t>(size), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  i2d_PKCS7(p7.get(), &out);
  return wrap64(base64(reinterpret_cast<const unsigned char*>(der.data()), der.size()));
}

}  // namespace iamlocal::services::imds
