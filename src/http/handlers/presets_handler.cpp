// GET /api/v1/presets: the presets an upload may name in `preset` fields, each variant as the
// presets file gives it, so that a client (or the page at /) can offer them.
#include <nlohmann/json.hpp>

#include "http/handlers/handlers.h"

namespace image_resize::http {

namespace {

// Form text back to the JSON type it came from: 150, true, "webp".
nlohmann::json field_value(const std::string& text) {
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos &&
      text.size() < 10) {
    return std::stoi(text);
  }
  if (text == "true" || text == "false") return text == "true";
  return text;
}

}  // namespace

nlohmann::json presets_json(const Presets& presets, bool only_presets) {
  nlohmann::json listed = nlohmann::json::array();
  for (const auto& [name, variants] : presets.all()) {
    nlohmann::json outputs = nlohmann::json::array();
    for (const VariantFields& variant : variants) {
      nlohmann::json output = {{"name", variant.name}};
      for (const auto& [field, value] : variant.values) output[field] = field_value(value);
      outputs.push_back(std::move(output));
    }
    listed.push_back({{"name", name}, {"variants", std::move(outputs)}});
  }
  return {{"only_presets", only_presets}, {"presets", std::move(listed)}};
}

Response handle_presets(const ApiContext& ctx) {
  Response response = json_response(boost::beast::http::status::ok,
                                    presets_json(ctx.presets, ctx.http.only_presets));
  // They change only with a restart.
  response.set(boost::beast::http::field::cache_control, "private, max-age=60");
  return response;
}

}  // namespace image_resize::http
