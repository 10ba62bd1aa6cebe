#include "integration/bad_input_cases.h"

#include <ostream>
#include <random>
#include <tuple>

#include "integration/api_helpers.h"
#include "support/fixtures.h"

namespace image_resize::integration {
namespace {

constexpr std::string_view kBoundary = "corpus-boundary-5e1d";
constexpr char kSomeUuid[] = "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b";
constexpr std::size_t kKiB = 1024;

// tests/fixtures/bad/<name>
std::string bad_file(const std::string& name) {
  return testing::read_file(testing::fixtures_dir() / "bad" / name);
}

std::string form_data(std::string_view boundary = kBoundary) {
  return "multipart/form-data; boundary=" + std::string(boundary);
}

// One part, its delimiter line first, its data and CRLF last.
std::string part(std::string_view headers, std::string_view data,
                 std::string_view boundary = kBoundary) {
  return "--" + std::string(boundary) + "\r\n" + std::string(headers) + "\r\n\r\n" +
         std::string(data) + "\r\n";
}

std::string field_part(std::string_view name, std::string_view value,
                       std::string_view boundary = kBoundary) {
  return part("Content-Disposition: form-data; name=\"" + std::string(name) + "\"", value,
              boundary);
}

std::string file_part(std::string_view bytes, std::string_view boundary = kBoundary) {
  return part(
      "Content-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n"
      "Content-Type: image/jpeg",
      bytes, boundary);
}

std::string closing(std::string_view boundary = kBoundary) {
  return "--" + std::string(boundary) + "--\r\n";
}

// A valid form: photo.jpg and width=20, in `boundary`.
std::string valid_body(std::string_view boundary = kBoundary) {
  return file_part(fixture("photo.jpg"), boundary) + field_part("width", "20", boundary) +
         closing(boundary);
}

UploadCase body_case(std::string name, std::string body, Expected expected) {
  return {std::move(name), form_data(), std::move(body), std::move(expected)};
}

// The image in a well-formed form with width=20, sent as `filename` with `part_type`.
UploadCase image_case(std::string name, const std::string& bytes, Expected expected,
                      std::string known_bug = {}, std::string_view filename = "upload.bin",
                      std::string_view part_type = "application/octet-stream") {
  const MultipartBody form = resize_form(bytes, {{"width", "20"}}, filename, part_type);
  return {std::move(name), form.content_type(), form.body(), std::move(expected),
          std::move(known_bug)};
}

UploadCase file_case(const std::string& file, Expected expected, std::string known_bug = {}) {
  std::string name = file.substr(0, file.find('.'));
  return image_case(std::move(name), bad_file(file), std::move(expected), std::move(known_bug));
}

UploadCase fields_case(std::string name, const Fields& fields, Expected expected) {
  const MultipartBody form = resize_form(fixture("photo.jpg"), fields);
  return {std::move(name), form.content_type(), form.body(), std::move(expected)};
}

std::string seeded_random_bytes(std::size_t count, unsigned seed) {
  std::mt19937 engine(seed);  // std::mt19937's sequence is fixed by the standard
  std::string bytes(count, '\0');
  for (char& c : bytes) c = static_cast<char>(engine() & 0xFF);
  return bytes;
}

}  // namespace

Expected error(int status, std::string code) {
  return {Expected::Kind::error, status, std::move(code)};
}
Expected ok(int status) { return {Expected::Kind::ok, status}; }
Expected resized() { return {Expected::Kind::accepted_then_success, 202}; }
Expected decode_fails() { return {Expected::Kind::accepted_then_failure, 202, "decode_failed"}; }
Expected closed_without_answer() { return {Expected::Kind::no_response_then_closed, 0}; }

// NOLINTBEGIN(readability-identifier-naming): gtest's names
void PrintTo(const UploadCase& c, std::ostream* out) { *out << c.name; }
void PrintTo(const IdCase& c, std::ostream* out) { *out << c.name; }
void PrintTo(const RawCase& c, std::ostream* out) { *out << c.name; }
// NOLINTEND(readability-identifier-naming)

std::vector<UploadCase> broken_file_cases() {
  const Expected not_an_image = error(422, "unsupported_image");
  return {
      // Cut before the header is complete: the format is known from the magic bytes, but
      // there is no size to read. Nothing to decode later, so it is refused at upload.
      file_case("jpeg_cut_header.jpg", not_an_image),
      file_case("png_cut_header.png", not_an_image),
      file_case("webp_cut_header.webp", not_an_image),
      file_case("gif_cut_header.gif", not_an_image),
      // libvips sniffs TIFF by opening its IFD, which is cut off; ImageMagick claims it instead.
      file_case("tiff_cut_header.tif", not_an_image),
      file_case("heic_cut_header.heic", not_an_image),
      file_case("avif_cut_header.avif", not_an_image),
      // libheif checks every box extent while parsing: a HEIF cut anywhere has no header.
      file_case("heic_cut_mdat.heic", not_an_image),
      file_case("avif_cut_mdat.avif", not_an_image),
      // The header is whole, the pixels are cut: accepted, then the decode fails.
      file_case("jpeg_cut_pixels.jpg", decode_fails()),
      file_case("png_cut_pixels.png", decode_fails()),
      file_case("webp_cut_pixels.webp", decode_fails()),
      file_case("gif_cut_pixels.gif", decode_fails()),
      file_case("tiff_cut_pixels.tif", decode_fails()),
      // 16 bytes inverted mid-file. PNG checks a CRC per chunk and WebP's decoder notices;
      // JPEG, GIF, TIFF (JPEG-compressed) and HEIF have no checksum over the coded data, so
      // the decoder cannot tell and a (slightly damaged) picture comes out: not garbage.
      file_case("png_flipped.png", decode_fails()),
      file_case("webp_flipped.webp", decode_fails()),
      file_case("jpeg_flipped.jpg", resized()),
      file_case("gif_flipped.gif", resized()),
      file_case("tiff_flipped.tif", resized()),
      file_case("heic_flipped.heic", resized()),
      file_case("avif_flipped.avif", resized()),
      // Magic bytes followed by garbage.
      file_case("random_after_jpeg_magic.jpg", not_an_image),
      file_case("random_after_png_signature.png", not_an_image),
      // Not images, or formats whose loaders are untrusted or not accepted.
      image_case("random_64k_seeded", seeded_random_bytes(64 * kKiB, 2024), not_an_image),
      file_case("one_byte.bin", not_an_image),
      image_case("text_named_jpg", bad_file("text.jpg"), not_an_image, {}, "photo.jpg",
                 "image/jpeg"),
      file_case("page.html", not_an_image),
      file_case("entities.svg", not_an_image),
      file_case("jpeg2000.jp2", not_an_image),
      file_case("jpegxl.jxl", not_an_image),
      file_case("radiance.hdr", not_an_image),
  };
}

std::vector<UploadCase> bomb_cases() {
  const Expected too_large = error(422, "image_too_large");
  return {
      file_case("bomb_png_100000x100000.png", too_large),
      file_case("bomb_jpeg_65000x65000.jpg", too_large),
      file_case("bomb_gif_150_frames.gif", too_large),
      file_case("bomb_webp_16383x16383.webp", too_large),
      file_case("bomb_tiff_100000x100000.tif", too_large),
  };
}

std::vector<UploadCase> size_field_cases() {
  const Expected bad_size = error(422, "invalid_size");
  return {
      fields_case("width_leading_space", {{"width", " 100"}}, bad_size),
      fields_case("width_trailing_space", {{"width", "100 "}}, bad_size),
      fields_case("width_hex", {{"width", "0x10"}}, bad_size),
      fields_case("width_exponent", {{"width", "1e3"}}, bad_size),
      fields_case("width_plus_sign", {{"width", "+5"}}, bad_size),
      fields_case("width_int_overflow", {{"width", "2147483648"}}, bad_size),
      fields_case("width_wraps_to_10_in_32_bits", {{"width", "4294967306"}}, bad_size),
      fields_case("width_fullwidth_digits", {{"width", "\xEF\xBC\x91\xEF\xBC\x90"}}, bad_size),
      fields_case("width_with_nul", {{"width", std::string("10\0", 3)}}, bad_size),
      fields_case("height_negative", {{"width", "20"}, {"height", "-1"}}, bad_size),
      fields_case("height_text", {{"height", "abc"}}, bad_size),
      fields_case("width_only", {{"width", "20"}}, resized()),
      fields_case("height_only", {{"height", "20"}}, resized()),
      fields_case("width_at_max_height_1", {{"width", "10000"}, {"height", "1"}}, resized()),
      fields_case("empty_height_is_invalid", {{"width", "20"}, {"height", ""}}, bad_size),
  };
}

std::vector<UploadCase> option_field_cases() {
  const Fields width{{"width", "20"}};
  const auto with = [&](std::string_view name, std::string value) {
    Fields fields = width;
    fields.emplace_back(std::string(name), std::move(value));
    return fields;
  };
  std::vector<UploadCase> cases;
  for (const auto& [name, code, bad_values] :
       std::vector<std::tuple<std::string_view, std::string, std::vector<std::string>>>{
           {"gravity", "invalid_gravity", {"top", "north-east", "north ", "centre	", "0"}},
           {"dpr", "invalid_dpr", {"0", "5", "1.5", "-1", "+2", "2x", "99999999999"}},
           {"progressive", "invalid_progressive", {"yes", "1", "on", "tru", "true "}},
           {"lossless", "invalid_lossless", {"no", "0", "off", "False!", " false"}},
           {"strip", "invalid_strip", {"no", "0", "keep", "false\n"}},
           // The form, then the bounds of photo.jpg (300x200).
           {"crop",
            "invalid_crop",
            {"1,2,3", "1,2,3,4,5", "0,0,0,10", "-1,0,10,10", "0, 0,10,10", "a,b,c,d",
             "0,0,99999999999,1", "0,0,301,200", "0,0,300,201", "299,0,2,1", "300,0,1,1"}}}) {
    for (std::size_t i = 0; i < bad_values.size(); ++i) {
      cases.push_back(fields_case(std::string(name) + "_bad_" + std::to_string(i),
                                  with(name, bad_values[i]), error(422, code)));
    }
  }
  cases.push_back(fields_case("dpr_times_width_over_max", {{"width", "2501"}, {"dpr", "4"}},
                              error(422, "invalid_dpr")));
  cases.push_back(
      fields_case("crop_whole_image", {{"width", "20"}, {"crop", "0,0,300,200"}}, resized()));
  cases.push_back(fields_case("dpr_times_width_at_max",
                              {{"width", "2500"}, {"height", "1"}, {"dpr", "4"}}, resized()));
  return cases;
}

std::vector<UploadCase> malformed_multipart_cases() {
  const Expected malformed = error(400, "malformed_request");
  const std::string photo = fixture("photo.jpg");
  const std::string width = field_part("width", "20");
  const std::string boundary_70(70, 'b');
  const std::string boundary_71(71, 'b');
  std::string many_parts = file_part(photo) + width;
  for (int i = 0; i < 2000; ++i) many_parts += field_part("x", "1");
  many_parts += closing();
  // 32 parts, and room for --max-batch-files (32) files beside them.
  std::string parts_64 = file_part(photo) + width;
  for (int i = 0; i < 62; ++i) parts_64 += field_part("x" + std::to_string(i), "1");
  const std::string parts_65 = parts_64 + field_part("one_more", "1") + closing();
  parts_64 += closing();
  const std::string huge_header = "Content-Disposition: form-data; name=\"file\"; filename=\"" +
                                  std::string(100 * kKiB, 'a') + ".jpg\"";
  return {
      {"boundary_empty", "multipart/form-data; boundary=", valid_body(), malformed},
      {"boundary_quoted_empty", "multipart/form-data; boundary=\"\"", valid_body(), malformed},
      {"boundary_71_chars", form_data(boundary_71), valid_body(boundary_71), malformed},
      {"boundary_70_chars", form_data(boundary_70), valid_body(boundary_70), resized()},
      {"boundary_bad_char", form_data("a@b"), valid_body("a@b"), malformed},
      {"boundary_twice", form_data() + "; boundary=other", valid_body(), malformed},
      {"boundary_quoted_with_space", form_data("\"a b\""), valid_body("a b"), resized()},
      body_case("file_part_unterminated", file_part(photo), malformed),
      body_case("closing_boundary_without_crlf",
                file_part(photo) + width + "--" + std::string(kBoundary) + "--", resized()),
      body_case("preamble_and_epilogue",
                "This is a preamble.\r\n" + valid_body() + "And an epilogue.\r\n", resized()),
      body_case("only_the_closing_boundary", closing(), error(422, "no_file")),
      body_case("duplicate_width", file_part(photo) + width + field_part("width", "30") + closing(),
                malformed),
      // (Several `file` parts make a batch: tests/integration/batches_test.cpp.)
      body_case("part_header_100kb", part(huge_header, photo) + width + closing(), malformed),
      body_case("parts_2000", many_parts, malformed),
      body_case("parts_65", parts_65, malformed),
      body_case("parts_64", parts_64, resized()),
      body_case("part_without_content_disposition",
                part("Content-Type: image/jpeg", photo) + width + closing(), malformed),
      body_case("content_disposition_attachment",
                part("Content-Disposition: attachment; name=\"file\"", photo) + width + closing(),
                malformed),
      body_case(
          "content_disposition_without_name",
          part("Content-Disposition: form-data; filename=\"a.jpg\"", photo) + width + closing(),
          malformed),
      body_case(
          "control_char_in_part_header",
          part("Content-Disposition: form-data; name=\"file\"\x01", photo) + width + closing(),
          malformed),
      body_case("bare_lf_line_endings",
                "--" + std::string(kBoundary) +
                    "\nContent-Disposition: form-data; name=\"width\"\n\n20\n--" +
                    std::string(kBoundary) + "--\n",
                malformed),
      // Unknown fields are ignored, whatever bytes name them; the file name is never echoed.
      body_case("non_utf8_field_name",
                file_part(photo) + width + field_part("\xFF\xFE\x80", "1") + closing(), resized()),
      body_case(
          "non_utf8_filename",
          part("Content-Disposition: form-data; name=\"file\"; filename=\"\xFF\xC0.jpg\"", photo) +
              width + closing(),
          resized()),
  };
}

std::vector<UploadCase> content_type_cases() {
  const Expected not_form_data = error(415, "unsupported_media_type");
  return {
      {"no_content_type", "", valid_body(), not_form_data},
      {"multipart_mixed", "multipart/mixed; boundary=" + std::string(kBoundary), valid_body(),
       not_form_data},
      {"image_jpeg_raw_body", "image/jpeg", fixture("photo.jpg"), not_form_data},
      {"form_data_lookalike", "multipart/form-datax; boundary=" + std::string(kBoundary),
       valid_body(), not_form_data},
      {"json_with_a_boundary", "application/json; boundary=" + std::string(kBoundary), valid_body(),
       not_form_data},
      {"form_data_with_a_broken_parameter", form_data() + "; charset", valid_body(),
       error(400, "malformed_request")},
  };
}

std::vector<IdCase> id_cases() {
  const Expected not_found = error(404, "task_not_found");
  return {
      {"uuid_in_braces", std::string("{") + kSomeUuid + "}", not_found},
      {"uuid_in_encoded_braces", std::string("%7B") + kSomeUuid + "%7D", not_found},
      {"uuid_without_dashes", "3f2b8c1e9a4d4e6f8b7a1c2d3e4f5a6b", not_found},
      {"uuid_with_non_hex", "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5g6b", not_found},
      {"uuid_then_encoded_nul", std::string(kSomeUuid) + "%00", not_found},
      {"encoded_nul", "%00", not_found},
      {"encoded_traversal", "..%2F..%2Fetc%2Fpasswd", not_found},
      {"traversal", "../../etc/passwd", error(404, "route_not_found")},
      {"encoded_non_utf8", "%FF%FE", not_found},
      {"raw_utf8", "\xC3\xBC", not_found},
      {"id_10kb", std::string(10 * kKiB, 'a'), not_found},
      {"id_20kb_over_header_limit", std::string(20 * kKiB, 'a'), error(431, "headers_too_large")},
  };
}

std::vector<RawCase> raw_http_cases() {
  const Expected malformed = error(400, "malformed_request");
  const std::string form = valid_body();
  const std::string upload_head =
      "POST /api/v1/images/resize HTTP/1.1\r\nHost: x\r\nContent-Type: " + form_data() + "\r\n";
  const std::string length = "Content-Length: " + std::to_string(form.size()) + "\r\n";
  return {
      {"header_64kb",
       "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(64 * kKiB, 'a') + "\r\n\r\n",
       error(431, "headers_too_large")},
      {"header_15kb_is_fine",
       "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: " +
           std::string(15 * kKiB, 'a') + "\r\n\r\n",
       ok(200)},
      {"absurd_method", "FROBNICATE /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
       error(405, "method_not_allowed")},
      {"method_8kb", std::string(8 * kKiB, 'M') + " /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
       error(405, "method_not_allowed")},
      {"method_with_separators", "GE(T) /healthz HTTP/1.1\r\nHost: x\r\n\r\n", malformed},
      {"http_version_2_0", "GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n", malformed},
      {"bare_lf_line_endings", "GET /healthz HTTP/1.1\nHost: x\n\n", malformed},
      {"nul_in_target",
       std::string("GET /api/v1/status/a") + '\0' + "b HTTP/1.1\r\nHost: x\r\n\r\n", malformed},
      {"http10_upload_without_host",
       "POST /api/v1/images/resize HTTP/1.0\r\nContent-Type: " + form_data() + "\r\n" + length +
           "\r\n" + form,
       resized()},
      {"content_length_not_a_number", upload_head + "Content-Length: abc\r\n\r\n" + form,
       malformed},
      {"content_length_negative", upload_head + "Content-Length: -1\r\n\r\n" + form, malformed},
      {"two_different_content_lengths", upload_head + length + "Content-Length: 10\r\n\r\n" + form,
       malformed},
      {"content_length_and_chunked",
       upload_head + length + "Transfer-Encoding: chunked\r\n\r\n" + form, malformed},
      {"chunk_size_not_hex", upload_head + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + form,
       malformed},
      // The body parsed is cut short of its closing boundary: a malformed form. (The rest of
      // the bytes then read as a garbled next request.)
      {"body_longer_than_content_length",
       upload_head + "Content-Length: " + std::to_string(form.size() / 2) + "\r\n\r\n" + form,
       malformed},
      // The client promises more than it sends and says it is done: nothing can be answered,
      // and the connection must be closed at once, not held to the body timeout.
      {"body_shorter_than_content_length",
       upload_head + "Content-Length: " + std::to_string(form.size() * 2) + "\r\n\r\n" + form,
       closed_without_answer(),
       {},
       /*half_close=*/true},
      {"duplicate_non_utf8_query_parameter",
       std::string("GET /api/v1/status/") + kSomeUuid + "?%FF=1&%FF=2 HTTP/1.1\r\nHost: x\r\n\r\n",
       malformed},
  };
}

}  // namespace image_resize::integration
