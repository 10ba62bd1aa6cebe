#include "http/multipart/header_params.h"

#include "http/multipart/text.h"

namespace image_resize::http {
namespace {

bool is_ows(char c) { return c == ' ' || c == '\t'; }
bool is_control(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return (byte < 0x20 && c != '\t') || byte == 0x7f;
}

// An unquoted value is lenient: anything up to ';' or whitespace, so that boundaries such as
// `===abc==` that some clients forget to quote still work.
bool is_bare_value_char(char c) { return !is_ows(c) && c != ';' && c != '"' && !is_control(c); }

core::Error malformed(std::string message) {
  return core::Error::make(core::ErrorCode::malformed_request, std::move(message));
}

class ParamReader {
 public:
  explicit ParamReader(std::string_view text) : text_(text) {}

  // Reads `name=value` pairs separated by ';' until the end of the text.
  core::Result<ParameterMap> read_all() {
    ParameterMap parameters;
    while (pos_ < text_.size()) {
      // Here text_[pos_] is ';'.
      ++pos_;
      skip_ows();
      if (pos_ == text_.size() || text_[pos_] == ';') continue;  // empty parameter: harmless
      const std::size_t name_start = pos_;
      while (pos_ < text_.size() && text::is_token_char(text_[pos_])) ++pos_;
      if (pos_ == name_start) return malformed("expected a parameter name after ';'");
      std::string name = text::ascii_lower(text_.substr(name_start, pos_ - name_start));
      skip_ows();
      if (pos_ == text_.size() || text_[pos_] != '=') {
        return malformed("parameter '" + name + "' has no value");
      }
      ++pos_;
      skip_ows();
      auto value = pos_ < text_.size() && text_[pos_] == '"' ? read_quoted(name) : read_bare(name);
      if (!value) return value.error();
      skip_ows();
      if (pos_ < text_.size() && text_[pos_] != ';') {
        return malformed("unexpected characters after parameter '" + name + "'");
      }
      if (parameters.contains(name)) return malformed("parameter '" + name + "' is given twice");
      parameters.emplace(std::move(name), std::move(value).value());
    }
    return parameters;
  }

 private:
  void skip_ows() {
    while (pos_ < text_.size() && is_ows(text_[pos_])) ++pos_;
  }

  core::Result<std::string> read_quoted(const std::string& name) {
    std::string value;
    ++pos_;  // opening quote
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '"') return value;
      if (c == '\\') {
        if (pos_ == text_.size()) break;
        c = text_[pos_++];
      }
      if (is_control(c)) return malformed("parameter '" + name + "' has a control character");
      value.push_back(c);
    }
    return malformed("parameter '" + name + "' has an unterminated quoted string");
  }

  core::Result<std::string> read_bare(const std::string& name) {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && is_bare_value_char(text_[pos_])) ++pos_;
    if (pos_ == start) return malformed("parameter '" + name + "' has an empty value");
    return std::string(text_.substr(start, pos_ - start));
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

const std::string* HeaderValue::parameter(std::string_view lowercase_name) const {
  const auto it = parameters.find(lowercase_name);
  return it == parameters.end() ? nullptr : &it->second;
}

core::Result<HeaderValue> parse_header_value(std::string_view text) {
  const std::size_t semicolon = text.find(';');
  HeaderValue header;
  header.value = std::string(text::trim_ows(text.substr(0, semicolon)));
  if (semicolon == std::string_view::npos) return header;
  auto parameters = ParamReader(text.substr(semicolon)).read_all();
  if (!parameters) return parameters.error();
  header.parameters = std::move(parameters).value();
  return header;
}

}  // namespace image_resize::http
