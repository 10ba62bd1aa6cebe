// Signed result links: the HMAC-SHA256 of "<path>\n<expires>" (vectors computed with Python's
// hmac module), the first key signs and every key verifies, tampering and expiry are refused,
// and a bad key file is refused at load.
#include "http/url_signer.h"

#include <gtest/gtest.h>

namespace image_resize::http {
namespace {

constexpr char kFirst[] = "0123456789abcdef0123456789abcdef-first";
constexpr char kSecond[] = "fedcba9876543210fedcba9876543210-second";
constexpr char kPath[] = "/api/v1/images/result/c4ac4a34-40a2-4750-a158-767c2c68164d";
constexpr std::int64_t kExpires = 1767225600;  // 2026-01-01T00:00:00Z
constexpr char kFirstSignature[] =
    "88409afdf45f606012e17407d6dd7abfef26f70ec0271f938dde90dd3efa022d";
constexpr char kSecondSignature[] =
    "b07443730141c111775fc6a665b4bb687773720170c27f3b2fe40fb7ee72963f";

UrlSigner signer(const std::string& file) {
  auto parsed = UrlSigner::parse(file);
  EXPECT_TRUE(parsed.ok()) << parsed.error().log_message();
  return parsed.ok() ? *parsed : UrlSigner{};
}

TEST(UrlSigner, SignaturesMatchAnIndependentHmac) {
  EXPECT_EQ(link_signature(kFirst, kPath, kExpires), kFirstSignature);
  EXPECT_EQ(link_signature(kSecond, kPath, kExpires), kSecondSignature);
}

TEST(UrlSigner, TheFirstKeySignsAndEveryKeyVerifies) {
  const UrlSigner rotated = signer(std::string("# new key first\n") + kFirst + "\n" + kSecond);
  EXPECT_EQ(rotated.query_for(kPath, kExpires),
            "expires=1767225600&signature=" + std::string(kFirstSignature));
  const std::int64_t before = kExpires - 10;
  EXPECT_EQ(rotated.check(kPath, "1767225600", kFirstSignature, before), UrlSigner::Verdict::valid);
  EXPECT_EQ(rotated.check(kPath, "1767225600", kSecondSignature, before),
            UrlSigner::Verdict::valid);
  // A link of a key no longer in the file is refused.
  const UrlSigner new_only = signer(kFirst);
  EXPECT_EQ(new_only.check(kPath, "1767225600", kSecondSignature, before),
            UrlSigner::Verdict::bad_signature);
}

TEST(UrlSigner, TamperedOrExpiredLinksAreRefused) {
  const UrlSigner keys = signer(kFirst);
  const std::int64_t before = kExpires - 10;
  const std::string other_path = "/api/v1/images/result/00000000-40a2-4750-a158-767c2c68164d";
  EXPECT_EQ(keys.check(other_path, "1767225600", kFirstSignature, before),
            UrlSigner::Verdict::bad_signature);
  EXPECT_EQ(keys.check(kPath, "1767225601", kFirstSignature, before),
            UrlSigner::Verdict::bad_signature);
  std::string flipped = kFirstSignature;
  flipped[0] = flipped[0] == '8' ? '9' : '8';
  EXPECT_EQ(keys.check(kPath, "1767225600", flipped, before), UrlSigner::Verdict::bad_signature);
  EXPECT_EQ(keys.check(kPath, "1767225600", std::string(kFirstSignature).substr(1), before),
            UrlSigner::Verdict::bad_signature);
  for (const char* expires : {"", "x", "1767225600x", "-1", "99999999999999999999"}) {
    EXPECT_EQ(keys.check(kPath, expires, kFirstSignature, before),
              UrlSigner::Verdict::bad_signature)
        << expires;
  }
  EXPECT_EQ(keys.check(kPath, "1767225600", kFirstSignature, kExpires),
            UrlSigner::Verdict::expired);
}

TEST(UrlSigner, AKeyFileWithAShortKeyOrNoKeyIsRefused) {
  EXPECT_FALSE(UrlSigner::parse("too-short-a-key\n").ok());
  EXPECT_FALSE(UrlSigner::parse(std::string(257, 'k')).ok());
  EXPECT_FALSE(UrlSigner::parse(std::string(40, 'k') + "\xc3\xa9").ok());
  EXPECT_FALSE(UrlSigner::parse("# only a comment\n\n")->enabled());
  EXPECT_FALSE(UrlSigner::load("/nonexistent/url-signing-key").ok());
}

}  // namespace
}  // namespace image_resize::http
