#include "http/http_config.h"

#include "http/cors.h"
#include "http/trusted_proxies.h"

namespace image_resize::http {

core::Status HttpConfig::validate() const {
  auto invalid = [](std::string message) {
    return core::Error::make(core::ErrorCode::internal, std::move(message));
  };
  if (host.empty()) return invalid("--host must not be empty");
  if (auto proxies = TrustedProxies::parse(trusted_proxies); !proxies.ok()) {
    return proxies.error();
  }
  auto cors = CorsPolicy::parse(cors_origins);
  if (!cors.ok()) return cors.error();
  // Any page could then call the API with a key its user typed or stored.
  if (cors->any_origin() && !api_keys_file.empty()) {
    return invalid("--cors-origins * is refused with --api-keys-file: list the origins");
  }
  if (io_threads < 1 || io_threads > 256) return invalid("--io-threads must be 1..256");
  if (blocking_threads < 1 || blocking_threads > 1024) {
    return invalid("--blocking-threads must be 1..1024");
  }
  if (header_timeout.count() <= 0 || body_timeout.count() <= 0 || write_timeout.count() <= 0) {
    return invalid("HTTP timeouts must be positive");
  }
  if (max_connections < 1) return invalid("--max-connections must be at least 1");
  if (max_requests_per_connection < 1) {
    return invalid("--max-requests-per-connection must be at least 1");
  }
  if (max_header_bytes < 1024) return invalid("--max-header-bytes must be at least 1024");
  if (only_presets && presets_file.empty()) {
    return invalid("--only-presets needs --presets-file: the presets uploads may name");
  }
  if (tls_cert_file.empty() != tls_key_file.empty()) {
    return invalid("--tls-cert and --tls-key go together: give both (HTTPS) or neither (HTTP)");
  }
  return {};
}

}  // namespace image_resize::http
