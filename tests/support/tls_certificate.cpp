#include "support/tls_certificate.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace image_resize::testing {

namespace {

template <auto Free>
struct Freer {
  template <class T>
  void operator()(T* p) const {
    Free(p);
  }
};
using Key = std::unique_ptr<EVP_PKEY, Freer<EVP_PKEY_free>>;
using Certificate = std::unique_ptr<X509, Freer<X509_free>>;
using Extension = std::unique_ptr<X509_EXTENSION, Freer<X509_EXTENSION_free>>;
using File = std::unique_ptr<BIO, Freer<BIO_free_all>>;

bool add_extension(X509* certificate, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
  Extension extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value));
  return extension && X509_add_ext(certificate, extension.get(), -1) == 1;
}

Certificate self_signed(EVP_PKEY* key) {
  Certificate certificate(X509_new());
  if (!certificate) return nullptr;
  X509* x = certificate.get();
  X509_set_version(x, 2);  // v3, for the extensions
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), -60);
  X509_gmtime_adj(X509_getm_notAfter(x), 24 * 60 * 60);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(x, name);
  // Its own CA, so a client can trust it directly; names checked by host name verification.
  const bool extended = add_extension(x, NID_basic_constraints, "critical,CA:TRUE") &&
                        add_extension(x, NID_subject_key_identifier, "hash") &&
                        add_extension(x, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
  if (!extended || X509_sign(x, key, EVP_sha256()) == 0) return nullptr;
  return certificate;
}

}  // namespace

TlsCertificate make_self_signed_certificate(const std::filesystem::path& dir,
                                            const std::string& name) {
  TlsCertificate files{dir / (name + ".crt"), dir / (name + ".key")};
  Key key(EVP_EC_gen("P-256"));
  Certificate certificate = key ? self_signed(key.get()) : nullptr;
  if (!certificate) {
    ADD_FAILURE() << "OpenSSL could not make a self-signed certificate";
    return files;
  }
  File cert_file(BIO_new_file(files.cert.c_str(), "w"));
  File key_file(BIO_new_file(files.key.c_str(), "w"));
  const bool cert_written =
      cert_file && PEM_write_bio_X509(cert_file.get(), certificate.get()) == 1;
  const bool key_written = key_file && PEM_write_bio_PrivateKey(key_file.get(), key.get(), nullptr,
                                                                nullptr, 0, nullptr, nullptr) == 1;
  const bool written = cert_written && key_written;
  if (!written) ADD_FAILURE() << "cannot write " << files.cert << " and " << files.key;
  return files;
}

}  // namespace image_resize::testing
