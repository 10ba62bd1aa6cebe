// The signer against the worked examples of the S3 API reference ("Signature Calculations for
// the Authorization Header: Transferring Payload in a Single Chunk" and "Authenticating
// Requests: Using Query Parameters"): same credentials, requests and time, same signatures.
#include "storage/s3/sigv4.h"

#include <gtest/gtest.h>

#include <chrono>

namespace image_resize::storage::s3 {
namespace {

const Credentials kExampleCredentials{
    .access_key_id = "AKIAIOSFODNN7EXAMPLE",
    .secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    .session_token = ""};
const SigningScope kScope{.region = "us-east-1"};
constexpr char kEmptyHash[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

std::chrono::system_clock::time_point may_24_2013() {
  return std::chrono::sys_days{std::chrono::year{2013} / 5 / 24};
}

std::string signature_of(const std::string& authorization) {
  return authorization.substr(authorization.find("Signature=") + 10);
}

TEST(SigV4, GetObjectWithARange) {
  const SignedRequest request{.method = "GET",
                              .path = "/test.txt",
                              .query = {},
                              .headers = {{"Host", "examplebucket.s3.amazonaws.com"},
                                          {"Range", "bytes=0-9"},
                                          {"x-amz-content-sha256", kEmptyHash},
                                          {"x-amz-date", "20130524T000000Z"}},
                              .payload_hash = kEmptyHash};
  const std::string header = authorization(request, kExampleCredentials, kScope);
  EXPECT_EQ(header,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4, PutObjectWithAPayloadAndAKeyThatNeedsEncoding) {
  const std::string body = "Welcome to Amazon S3.";
  const std::string hash = sha256_hex(body);
  EXPECT_EQ(hash, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  const SignedRequest request{.method = "PUT",
                              .path = "/test$file.text",
                              .query = {},
                              .headers = {{"Host", "examplebucket.s3.amazonaws.com"},
                                          {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                                          {"x-amz-date", "20130524T000000Z"},
                                          {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
                                          {"x-amz-content-sha256", hash}},
                              .payload_hash = hash};
  EXPECT_EQ(signature_of(authorization(request, kExampleCredentials, kScope)),
            "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST(SigV4, GetWithASubresourceQuery) {
  const SignedRequest request{.method = "GET",
                              .path = "/",
                              .query = {{"lifecycle", ""}},
                              .headers = {{"Host", "examplebucket.s3.amazonaws.com"},
                                          {"x-amz-date", "20130524T000000Z"},
                                          {"x-amz-content-sha256", kEmptyHash}},
                              .payload_hash = kEmptyHash};
  EXPECT_EQ(signature_of(authorization(request, kExampleCredentials, kScope)),
            "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

TEST(SigV4, QueryParametersAreSortedBeforeSigning) {
  const SignedRequest request{.method = "GET",
                              .path = "/",
                              .query = {{"prefix", "J"}, {"max-keys", "2"}},
                              .headers = {{"Host", "examplebucket.s3.amazonaws.com"},
                                          {"x-amz-date", "20130524T000000Z"},
                                          {"x-amz-content-sha256", kEmptyHash}},
                              .payload_hash = kEmptyHash};
  EXPECT_EQ(signature_of(authorization(request, kExampleCredentials, kScope)),
            "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(SigV4, PresignedGet) {
  const std::string query =
      presigned_query("/test.txt", "examplebucket.s3.amazonaws.com", {}, kExampleCredentials,
                      kScope, may_24_2013(), std::chrono::seconds(86400));
  EXPECT_EQ(query,
            "X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

TEST(SigV4, HeaderValuesAreSignedTrimmedAndNamesInLowercase) {
  SignedRequest loose{.method = "GET",
                      .path = "/test.txt",
                      .query = {},
                      .headers = {{"HOST", "examplebucket.s3.amazonaws.com"},
                                  {"Range", "  bytes=0-9  "},
                                  {"X-Amz-Content-Sha256", kEmptyHash},
                                  {"X-AMZ-DATE", "20130524T000000Z"}},
                      .payload_hash = kEmptyHash};
  EXPECT_EQ(signature_of(authorization(loose, kExampleCredentials, kScope)),
            "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4, UriEncodingKeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(uri_encode("a-b_c.d~e/f g+h=i&j%k", true), "a-b_c.d~e/f%20g%2Bh%3Di%26j%25k");
  EXPECT_EQ(uri_encode("a/b", false), "a%2Fb");
  EXPECT_EQ(uri_encode("\xc3\xa9", false), "%C3%A9");
}

TEST(SigV4, AmzDateIsUtcWithoutSeparators) {
  EXPECT_EQ(amz_date(may_24_2013() + std::chrono::hours(13) + std::chrono::seconds(5)),
            "20130524T130005Z");
}

TEST(SigV4, IncrementalSha256MatchesTheOneShot) {
  Sha256 sha;
  sha.update("Welcome to ");
  sha.update("Amazon S3.");
  EXPECT_EQ(sha.hex_digest(), sha256_hex("Welcome to Amazon S3."));
  sha.restart();
  EXPECT_EQ(sha.hex_digest(), kEmptyHash);
}

}  // namespace
}  // namespace image_resize::storage::s3
