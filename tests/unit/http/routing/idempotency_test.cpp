// The Idempotency-Key header's rules and the fingerprint of an upload (http/handlers/
// idempotency.h): what makes two uploads "the same" for a retry.
#include "http/handlers/idempotency.h"

#include <gtest/gtest.h>

namespace image_resize::http {
namespace {

FormPart part(std::string name, std::string_view data, std::string filename = "",
              std::string content_type = "") {
  return FormPart{std::move(name), std::move(filename), std::move(content_type), data};
}

Request upload_with_key(std::optional<std::string> key) {
  Request request{boost::beast::http::verb::post, "/api/v1/images/resize", 11};
  if (key) request.set("Idempotency-Key", *key);
  return request;
}

TEST(IdempotencyKey, AbsentIsNoKey) {
  auto key = idempotency_key(upload_with_key(std::nullopt));
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(*key, std::nullopt);
}

TEST(IdempotencyKey, PrintableAsciiUpTo255IsAKey) {
  const std::string longest(255, '~');
  for (const std::string& text : {std::string("5b0c8f0e-7f43"), longest, std::string("a b")}) {
    auto key = idempotency_key(upload_with_key(text));
    ASSERT_TRUE(key.ok()) << text;
    EXPECT_EQ(*key, text);
  }
}

TEST(IdempotencyKey, EmptyTooLongOrNotPrintableIsRefused) {
  for (const std::string& text :
       {std::string(), std::string(256, 'k'), std::string("caf\xc3\xa9"), std::string("a\tb")}) {
    auto key = idempotency_key(upload_with_key(text));
    ASSERT_FALSE(key.ok()) << text;
    EXPECT_EQ(key.error().code, core::ErrorCode::invalid_idempotency_key);
  }
}

TEST(UploadFingerprint, TheSamePartsAndAcceptGiveTheSameFingerprint) {
  const std::string image = "\x89PNG...";
  const std::vector<FormPart> parts = {part("file", image, "a.png", "image/png"),
                                       part("width", "64")};
  EXPECT_EQ(upload_fingerprint(parts, "image/webp"), upload_fingerprint(parts, "image/webp"));
}

TEST(UploadFingerprint, AnyDifferenceGivesAnotherFingerprint) {
  const std::vector<FormPart> base = {part("file", "bytes", "a.png", "image/png"),
                                      part("width", "64")};
  const std::string fingerprint = upload_fingerprint(base, "");
  const std::vector<std::vector<FormPart>> others = {
      {part("file", "bytes!", "a.png", "image/png"), part("width", "64")},
      {part("file", "bytes", "b.png", "image/png"), part("width", "64")},
      {part("file", "bytes", "a.png", "image/jpeg"), part("width", "64")},
      {part("file", "bytes", "a.png", "image/png"), part("width", "65")},
      {part("file", "bytes", "a.png", "image/png"), part("height", "64")},
      {part("width", "64"), part("file", "bytes", "a.png", "image/png")},
      {part("file", "bytes", "a.png", "image/png")},
      // The same characters, split between fields differently.
      {part("file", "bytes", "a.png", "image/png"), part("width6", "4")},
  };
  for (const auto& other : others) EXPECT_NE(upload_fingerprint(other, ""), fingerprint);
  EXPECT_NE(upload_fingerprint(base, "image/avif"), fingerprint);
}

TEST(IdempotentReplay, TheSameFingerprintGetsTheRecordedAnswer) {
  const core::IdempotentAnswer earlier{.owner = "",
                                       .key = "k",
                                       .fingerprint = "f1",
                                       .location = "/api/v1/status/abc",
                                       .body = R"({"task_id":"abc"})",
                                       .expires_at = core::now()};
  auto replayed = replay(earlier, "f1");
  ASSERT_TRUE(replayed.ok());
  EXPECT_EQ(replayed->body, nlohmann::json::parse(earlier.body));
  EXPECT_EQ(replayed->location, earlier.location);
  EXPECT_TRUE(replayed->replayed);

  auto mismatch = replay(earlier, "f2");
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().code, core::ErrorCode::idempotency_mismatch);
}

}  // namespace
}  // namespace image_resize::http
