#include "isolation/resize_protocol.h"

namespace image_resize::isolation {
namespace {

using nlohmann::json;

core::Error protocol_error(std::string detail) {
  return core::Error::make(core::ErrorCode::internal, "Internal error",
                           "imaging process protocol: " + std::move(detail));
}

json optional_int(const std::optional<int>& value) { return value ? json(*value) : json(nullptr); }

std::optional<int> read_optional_int(const json& value) {
  if (value.is_number_integer()) return value.get<int>();
  return std::nullopt;
}

}  // namespace

json request_header(const core::ResizeSpec& spec, const core::Limits& limits) {
  return {{"spec",
           {{"width", optional_int(spec.width)},
            {"height", optional_int(spec.height)},
            {"fit", core::to_string(spec.fit)},
            {"format", core::to_string(spec.format)},
            {"quality", spec.quality},
            {"background", spec.background ? json(core::format_rgba(*spec.background)) : json()},
            {"priority", core::to_string(spec.priority)},
            {"gravity", core::to_string(spec.gravity)},
            {"dpr", spec.dpr},
            {"progressive", spec.progressive},
            {"lossless", spec.lossless},
            {"strip", spec.strip},
            {"crop", spec.crop ? json(core::to_string(*spec.crop)) : json()},
            {"accepts", core::to_string(spec.accepts)}}},
          {"limits",
           {{"max_upload_bytes", limits.max_upload_bytes},
            {"max_input_pixels", limits.max_input_pixels},
            {"max_interlaced_pixels", limits.max_interlaced_pixels},
            {"max_output_side", limits.max_output_side},
            {"max_frames", limits.max_frames},
            {"max_queue_depth", limits.max_queue_depth},
            {"max_processing_time_ms", limits.max_processing_time.count()}}}};
}

core::Result<ResizeRequest> parse_request_header(const json& header) {
  try {
    const json& spec = header.at("spec");
    const json& limits = header.at("limits");
    ResizeRequest request;
    request.spec.width = read_optional_int(spec.at("width"));
    request.spec.height = read_optional_int(spec.at("height"));
    auto fit = core::parse_fit(spec.at("fit").get<std::string>());
    auto format = core::parse_output_format(spec.at("format").get<std::string>());
    auto priority = core::parse_priority(spec.at("priority").get<std::string>());
    auto gravity = core::parse_gravity(spec.at("gravity").get<std::string>());
    if (!fit || !format || !priority || !gravity) {
      return protocol_error("unknown fit, format, priority or gravity");
    }
    request.spec.fit = *fit;
    request.spec.format = *format;
    request.spec.priority = *priority;
    request.spec.gravity = *gravity;
    request.spec.quality = spec.at("quality").get<int>();
    request.spec.dpr = spec.at("dpr").get<int>();
    request.spec.progressive = spec.at("progressive").get<bool>();
    request.spec.lossless = spec.at("lossless").get<bool>();
    request.spec.strip = spec.at("strip").get<bool>();
    if (!spec.at("background").is_null()) {
      request.spec.background = core::parse_rgba(spec.at("background").get<std::string>());
      if (!request.spec.background) return protocol_error("bad background");
    }
    if (!spec.at("crop").is_null()) {
      request.spec.crop = core::parse_crop(spec.at("crop").get<std::string>());
      if (!request.spec.crop) return protocol_error("bad crop");
    }
    const auto accepts = core::parse_accepted_formats(spec.at("accepts").get<std::string>());
    if (!accepts) return protocol_error("bad accepts");
    request.spec.accepts = *accepts;
    request.limits.max_upload_bytes = limits.at("max_upload_bytes").get<std::uint64_t>();
    request.limits.max_input_pixels = limits.at("max_input_pixels").get<std::uint64_t>();
    request.limits.max_interlaced_pixels = limits.at("max_interlaced_pixels").get<std::uint64_t>();
    request.limits.max_output_side = limits.at("max_output_side").get<int>();
    request.limits.max_frames = limits.at("max_frames").get<int>();
    request.limits.max_queue_depth = limits.at("max_queue_depth").get<std::uint64_t>();
    request.limits.max_processing_time =
        std::chrono::milliseconds(limits.at("max_processing_time_ms").get<std::int64_t>());
    return request;
  } catch (const json::exception& e) {
    return protocol_error(std::string("bad request header: ") + e.what());
  }
}

json reply_header(const core::Result<imaging::ResizedImage>& result) {
  if (!result.ok()) {
    const core::Error& error = result.error();
    return {{"ok", false},
            {"code", core::to_string(error.code)},
            {"public_message", error.public_message},
            {"internal_message", error.internal_message}};
  }
  return {{"ok", true},
          {"width", result->width},
          {"height", result->height},
          {"format", core::to_string(result->format)},
          {"blurhash", result->blurhash},
          {"dominant_colour", result->dominant_colour}};
}

core::Result<imaging::ResizedImage> parse_reply(Message message) {
  try {
    const json& header = message.header;
    if (!header.at("ok").get<bool>()) {
      auto code = core::parse_error_code(header.at("code").get<std::string>());
      if (!code) return protocol_error("unknown error code");
      return core::Error::make(*code, header.at("public_message").get<std::string>(),
                               header.at("internal_message").get<std::string>());
    }
    auto format = core::parse_image_format(header.at("format").get<std::string>());
    if (!format) return protocol_error("unknown output format");
    return imaging::ResizedImage{
        .bytes = std::move(message.payload),
        .width = header.at("width").get<int>(),
        .height = header.at("height").get<int>(),
        .format = *format,
        .blurhash = header.at("blurhash").get<std::string>(),
        .dominant_colour = header.at("dominant_colour").get<std::string>()};
  } catch (const json::exception& e) {
    return protocol_error(std::string("bad reply header: ") + e.what());
  }
}

}  // namespace image_resize::isolation
