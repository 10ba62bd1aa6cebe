// Where requests go: path-style or virtual-host addressing chosen as the AWS SDKs choose, and
// endpoints and bucket names checked before anything is sent.
#include "storage/s3/s3_endpoint.h"

#include <gtest/gtest.h>

namespace image_resize::storage::s3 {
namespace {

S3Config config(std::string endpoint, std::string bucket = "images",
                Addressing addressing = Addressing::automatic) {
  S3Config c;
  c.endpoint = std::move(endpoint);
  c.bucket = std::move(bucket);
  c.addressing = addressing;
  return c;
}

TEST(S3Endpoint, AwsByDefaultWithVirtualHostAddressing) {
  S3Config c = config("");
  c.region = "eu-west-3";
  auto endpoint = S3Endpoint::make(c);
  ASSERT_TRUE(endpoint.ok()) << endpoint.error().log_message();
  EXPECT_FALSE(endpoint->path_style());
  const Target target = endpoint->target("p/inputs/id");
  EXPECT_EQ(target.url, "https://images.s3.eu-west-3.amazonaws.com/p/inputs/id");
  EXPECT_EQ(target.host, "images.s3.eu-west-3.amazonaws.com");
  EXPECT_EQ(target.path, "/p/inputs/id");
  EXPECT_EQ(endpoint->target("").url, "https://images.s3.eu-west-3.amazonaws.com/");
}

TEST(S3Endpoint, PathStyleForAnIpAddressAPortOrAOneLabelHost) {
  for (const char* url : {"http://127.0.0.1:9000", "http://[::1]:9000", "https://10.0.0.5",
                          "http://minio:9000", "http://minio", "https://s3.example.com:8443"}) {
    auto endpoint = S3Endpoint::make(config(url));
    ASSERT_TRUE(endpoint.ok()) << url << ": " << endpoint.error().log_message();
    EXPECT_TRUE(endpoint->path_style()) << url;
  }
  auto endpoint = S3Endpoint::make(config("http://127.0.0.1:9000/"));
  ASSERT_TRUE(endpoint.ok());
  EXPECT_EQ(endpoint->target("inputs/x").url, "http://127.0.0.1:9000/images/inputs/x");
  EXPECT_EQ(endpoint->target("inputs/x").host, "127.0.0.1:9000");
  // The bucket itself has no trailing slash: S3 servers refuse "/images/" for some requests.
  EXPECT_EQ(endpoint->target("").url, "http://127.0.0.1:9000/images");
}

TEST(S3Endpoint, PathStyleForADottedBucketOnAwsAndWhenAsked) {
  auto dotted = S3Endpoint::make(config("https://s3.amazonaws.com", "my.images"));
  ASSERT_TRUE(dotted.ok());
  EXPECT_TRUE(dotted->path_style());
  auto asked = S3Endpoint::make(config("https://s3.amazonaws.com", "images", Addressing::path));
  ASSERT_TRUE(asked.ok());
  EXPECT_EQ(asked->target("k").url, "https://s3.amazonaws.com/images/k");
  auto forced = S3Endpoint::make(config("http://minio:9000", "images", Addressing::virtual_host));
  ASSERT_TRUE(forced.ok());
  EXPECT_EQ(forced->target("k").url, "http://images.minio:9000/k");
}

TEST(S3Endpoint, KeysAreSentEncoded) {
  auto endpoint = S3Endpoint::make(config("http://127.0.0.1:9000"));
  ASSERT_TRUE(endpoint.ok());
  const Target target = endpoint->target("a b/c+d");
  EXPECT_EQ(target.url, "http://127.0.0.1:9000/images/a%20b/c%2Bd");
  EXPECT_EQ(target.path, "/images/a b/c+d");
}

TEST(S3Endpoint, RefusesBadEndpointsAndBucketNames) {
  for (const char* url :
       {"127.0.0.1:9000", "ftp://host", "http://", "http://host/path", "http://host?x=1",
        "http://user@host", "http://host:0", "http://host:99999", "http://host:x", "http://[::1"}) {
    auto endpoint = S3Endpoint::make(config(url));
    EXPECT_FALSE(endpoint.ok()) << url;
    if (!endpoint.ok()) {
      EXPECT_NE(endpoint.error().log_message().find("--s3-endpoint"), std::string::npos) << url;
    }
  }
  for (const char* bucket : {"ab", "Images", "-images", "images-", "im_ages", ""}) {
    EXPECT_FALSE(S3Endpoint::make(config("http://127.0.0.1:9000", bucket)).ok()) << bucket;
  }
  EXPECT_FALSE(
      S3Endpoint::make(config("http://127.0.0.1:9000", "images", Addressing::virtual_host)).ok());
}

}  // namespace
}  // namespace image_resize::storage::s3
