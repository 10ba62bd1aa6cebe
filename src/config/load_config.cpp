// Command-line flags and IMAGE_RESIZE_* environment variables → AppConfig, with
// Boost.ProgramOptions: every flag `--some-name` has the variable IMAGE_RESIZE_SOME_NAME, and both
// show in --help.
#include <boost/program_options.hpp>
#include <cstring>
#include <unistd.h>
#include <sstream>

#include "config/app_config.h"
#include "config/value_parsers.h"

namespace image_resize::config {

namespace po = boost::program_options;

namespace {

constexpr std::string_view kEnvPrefix = "IMAGE_RESIZE_";
constexpr const char* kUsage =
    "Usage: image-resize <serve|api|worker> [options]\n\n"
    "  serve   everything in one process: HTTP API, SQLite task store and queue, workers,\n"
    "          files under --data-dir (the embedded default)\n"
    "  api     the HTTP API only, on Redis (--redis) and a shared --data-dir; run any number\n"
    "  worker  workers only, on Redis (--redis) and the shared --data-dir; run any number\n"
    "(serve and worker start `image-resize imaging-helper` processes to resize in; see\n"
    "--isolate-imaging)\n\n"
    "Every option can also be set by the environment variable IMAGE_RESIZE_<OPTION>, e.g.\n"
    "--data-dir=/srv/images is IMAGE_RESIZE_DATA_DIR=/srv/images. Flags win.\n"
    "Durations take ms, s, m, h or d (plain numbers are seconds); sizes take K, M, G (KiB...).\n";

po::options_description describe_options() {
  po::options_description options("Options");
  auto add = options.add_options();
  add("help,h", "print this help and exit");
  add("version", "print the version and exit");
  add("host", po::value<std::string>()->default_value("127.0.0.1"), "address to listen on");
  add("port", po::value<std::string>()->default_value("8080"),
      "TCP port to listen on (0: any free port)");
  add("data-dir", po::value<std::string>()->default_value("./data"),
      "directory for the task database and image files");
  add("redis", po::value<std::string>()->default_value(""), "redis://[:password@]host:port/db for api and worker modes");
  add("workers", po::value<std::string>()->default_value("0"),
      "tasks resized at once (0: one per core)");
  add("max-upload-bytes", po::value<std::string>()->default_value("50MiB"),
      "largest upload body (413 above it)");
  add("max-input-pixels", po::value<std::string>()->default_value("100000000"),
      "largest input, width*height*frames (422 above it)");
  add("max-interlaced-pixels", po::value<std::string>()->default_value("25000000"),
      "largest progressive JPEG or interlaced PNG, width*height, which libvips decodes whole "
      "(422 above it)");
  add("max-dimension", po::value<std::string>()->default_value("10000"),
      "largest width or height a client may ask for");
  add("max-frames", po::value<std::string>()->default_value("100"),
      "most frames of an animated input");
  add("api-keys-file", po::value<std::string>()->default_value(""),
      "file of API keys (one per line, optional name after it); when set, every /api/v1 route "
      "needs Authorization: Bearer <key>");
  add("tls-cert", po::value<std::string>()->default_value(""),
      "PEM certificate chain (server certificate first): serve HTTPS only, with --tls-key; "
      "for api and serve, and a worker's --metrics-port");
  add("tls-key", po::value<std::string>()->default_value(""),
      "PEM private key of --tls-cert (not encrypted)");
  add("rate-limit", po::value<std::string>()->default_value("0"),
      "requests per second on /api/v1 per API key (per client address without keys), shared "
      "by every api process on Redis; 0: no limit");
  add("rate-burst", po::value<std::string>()->default_value("0"),
      "requests a quiet client may send at once under --rate-limit (0: the rate, at least 1)");
  add("max-queue", po::value<std::string>()->default_value("10000"),
      "tasks waiting or running at once; uploads beyond get 503 queue_full (0: no limit)");
  add("task-timeout", po::value<std::string>()->default_value("30s"),
      "time for one task's decode, resize and encode; past it the task ends FAILURE timeout "
      "(0: none)");
  add("isolate-imaging", po::value<std::string>()->default_value("true"),
      "resize in helper processes, so a decoder crash fails one task attempt instead of the "
      "process (true or false)");
  add("ttl", po::value<std::string>()->default_value("30d"),
      "how long tasks, inputs and results are kept");
  add("sweep-interval", po::value<std::string>()->default_value("60s"),
      "how often expired tasks are removed");
  add("min-free-space", po::value<std::string>()->default_value("5%,1G"),
      "free space on the data dir's file system below which uploads get 503 and /readyz "
      "fails: a size (2G), a percentage of the file system (10%), or both (the smaller counts); "
      "0: none");
  add("lease", po::value<std::string>()->default_value("30s"),
      "how long a task leased by a worker that stopped renewing it stays its own (renewed every "
      "third of it while the task runs)");
  add("max-attempts", po::value<std::string>()->default_value("3"),
      "tries of a task whose worker dies before it ends FAILURE");
  add("shutdown-grace", po::value<std::string>()->default_value("30s"),
      "how long SIGTERM waits for requests and tasks in progress");
  add("io-threads", po::value<std::string>()->default_value("2"), "HTTP event-loop threads");
  add("blocking-threads", po::value<std::string>()->default_value("8"),
      "threads for store and file calls of the HTTP side");
  add("max-connections", po::value<std::string>()->default_value("4096"),
      "connections open at once; more are closed at once");
  add("max-requests-per-connection", po::value<std::string>()->default_value("1000"),
      "requests on one keep-alive connection before the server closes it");
  add("header-timeout", po::value<std::string>()->default_value("10s"),
      "time for a request's headers (and keep-alive idle time)");
  add("body-timeout", po::value<std::string>()->default_value("120s"), "time for a request's body");
  add("metrics-port", po::value<std::string>()->default_value(""),
      "worker mode: serve /metrics, /healthz and /readyz on this port of --host (0: any free "
      "port; empty: off)");
  add("heartbeat-interval", po::value<std::string>()->default_value("2s"),
      "how often a worker process reports itself to the dashboard");
  add("log-level", po::value<std::string>()->default_value("info"), "debug, info, warn or error");
  add("log-format", po::value<std::string>()->default_value("text"), "text or json");
  return options;
}

// Raised for a flag value that does not parse; caught in load_config.
struct BadValue {
  std::string message;
};

std::string text(const po::variables_map& values, const char* name) {
  return values[name].as<std::string>();
}

template <class Int>
Int integer(const po::variables_map& values, const char* name, Int low, Int high) {
  const std::string value = text(values, name);
  auto size = parse_byte_size(value);  // plain digits parse as a size with unit 1
  if (!size || value.find_first_not_of("0123456789") != std::string::npos ||
      *size < static_cast<std::uint64_t>(low) || *size > static_cast<std::uint64_t>(high)) {
    throw BadValue{"--" + std::string(name) + " must be an integer from " + std::to_string(low) +
                   " to " + std::to_string(high) + ", not '" + value + "'"};
  }
  return static_cast<Int>(*size);
}

// A non-negative number of requests per second, like 5 or 0.5.
double rate(const po::variables_map& values, const char* name) {
  const std::string value = text(values, name);
  char* end = nullptr;
  const double parsed = std::strtod(value.c_str(), &end);
  if (value.empty() || end != value.c_str() + value.size() || !(parsed >= 0) || parsed > 1e6) {
    throw BadValue{"--" + std::string(name) + " must be a number of requests per second, not '" +
                   value + "'"};
  }
  return parsed;
}

std::uint64_t byte_size(const po::variables_map& values, const char* name) {
  auto size = parse_byte_size(text(values, name));
  if (!size)
    throw BadValue{"--" + std::string(name) + " must be a size like 50MiB, not '" +
                   text(values, name) + "'"};
  return *size;
}

std::chrono::milliseconds duration(const po::variables_map& values, const char* name) {
  auto parsed = parse_duration(text(values, name));
  if (!parsed)
    throw BadValue{"--" + std::string(name) + " must be a duration like 30s or 12h, not '" +
                   text(values, name) + "'"};
  return *parsed;
}

AppConfig build(Mode mode, const po::variables_map& values) {
  AppConfig config;
  config.mode = mode;
  config.data_dir = text(values, "data-dir");
  config.redis_url = text(values, "redis");
  config.http.host = text(values, "host");
  config.http.port = integer<std::uint16_t>(values, "port", 0, 65535);
  config.http.io_threads = integer<int>(values, "io-threads", 1, 256);
  config.http.blocking_threads = integer<int>(values, "blocking-threads", 1, 1024);
  config.http.header_timeout = duration(values, "header-timeout");
  config.http.max_connections = integer<int>(values, "max-connections", 1, 1'000'000);
  config.http.max_requests_per_connection =
      integer<int>(values, "max-requests-per-connection", 1, 1'000'000);
  config.http.body_timeout = duration(values, "body-timeout");
  config.http.api_keys_file = text(values, "api-keys-file");
  config.http.tls_cert_file = text(values, "tls-cert");
  config.http.tls_key_file = text(values, "tls-key");
  config.http.rate_limit = rate(values, "rate-limit");
  config.http.rate_burst = rate(values, "rate-burst");
  config.limits.max_upload_bytes = byte_size(values, "max-upload-bytes");
  const auto min_free = parse_min_free_space(text(values, "min-free-space"));
  if (!min_free) {
    throw BadValue{"--min-free-space must be a size (2G), a percentage (10%) or both (5%,1G), "
                   "not '" + text(values, "min-free-space") + "'"};
  }
  config.min_free_space = *min_free;
  config.limits.max_input_pixels =
      integer<std::uint64_t>(values, "max-input-pixels", 0, UINT64_MAX);
  config.limits.max_interlaced_pixels =
      integer<std::uint64_t>(values, "max-interlaced-pixels", 0, UINT64_MAX);
  config.limits.max_output_side = integer<int>(values, "max-dimension", 1, 1'000'000);
  config.limits.max_frames = integer<int>(values, "max-frames", 0, 100'000);
  config.limits.max_processing_time = duration(values, "task-timeout");
  config.limits.max_queue_depth = integer<std::uint64_t>(values, "max-queue", 0, UINT64_MAX);
  config.worker.threads = integer<int>(values, "workers", 0, 1024);
  config.worker.max_attempts = integer<int>(values, "max-attempts", 1, 100);
  config.worker.limits = config.limits;
  config.worker.heartbeat_interval = duration(values, "heartbeat-interval");
  auto isolate = parse_bool(text(values, "isolate-imaging"));
  if (!isolate) throw BadValue{"--isolate-imaging must be true or false"};
  config.isolate_imaging = *isolate;
  if (!text(values, "metrics-port").empty()) {
    config.metrics_port = integer<std::uint16_t>(values, "metrics-port", 0, 65535);
  }
  // Unique per process, so that each worker owns its own leases in a Redis consumer group.
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  config.worker.consumer_name = std::string(host) + "-" + std::to_string(::getpid());
  config.ttl = std::chrono::duration_cast<std::chrono::seconds>(duration(values, "ttl"));
  config.sweep_interval = duration(values, "sweep-interval");
  config.lease_duration = duration(values, "lease");
  config.shutdown_grace = duration(values, "shutdown-grace");
  config.http.shutdown_grace = config.shutdown_grace;
  auto level = core::log::parse_level(text(values, "log-level"));
  if (!level) throw BadValue{"--log-level must be debug, info, warn or error"};
  config.log_level = *level;
  const std::string format = text(values, "log-format");
  if (format != "text" && format != "json") throw BadValue{"--log-format must be text or json"};
  config.log_format = format == "json" ? core::log::Format::json : core::log::Format::text;
  return config;
}

std::string help_text(const po::options_description& options) {
  std::ostringstream out;
  out << kUsage << "\n" << options;
  return out.str();
}

}  // namespace

core::Status AppConfig::validate() const {
  if (auto s = http.validate(); !s.ok()) return s;
  if (auto s = worker.validate(); !s.ok()) return s;
  auto invalid = [](std::string message) {
    return core::Error::make(core::ErrorCode::internal, std::move(message));
  };
  if (data_dir.empty()) return invalid("--data-dir must not be empty");
  if (ttl.count() <= 0) return invalid("--ttl must be positive");
  if (sweep_interval.count() <= 0) return invalid("--sweep-interval must be positive");
  if (lease_duration.count() <= 0) return invalid("--lease must be positive");
  if ((mode == Mode::api || mode == Mode::worker) && redis_url.empty()) {
    return invalid("the api and worker modes need --redis redis://host:port/db");
  }
  return {};
}

LoadOutcome load_config(int argc, const char* const* argv, const char* const* environment) {
  const po::options_description options = describe_options();
  po::options_description hidden;
  hidden.add_options()("mode", po::value<std::string>(), "serve, api or worker");
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("mode", 1);

  po::variables_map values;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(),
              values);
    // Flags were stored first, so they win over the environment.
    const auto env_name_to_option = [&](const std::string& variable) -> std::string {
      if (!variable.starts_with(kEnvPrefix)) return "";
      std::string name = variable.substr(kEnvPrefix.size());
      for (char& c : name)
        c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return options.find_nothrow(name, false) != nullptr ? name : "";
    };
    std::vector<std::string> env_lines;
    for (auto entry = environment; entry && *entry; ++entry) env_lines.emplace_back(*entry);
    po::parsed_options from_env(&options);
    for (const auto& line : env_lines) {
      const auto equals = line.find('=');
      if (equals == std::string::npos) continue;
      const std::string option = env_name_to_option(line.substr(0, equals));
      if (option.empty()) continue;
      po::option parsed_option(option, {line.substr(equals + 1)});
      from_env.options.push_back(parsed_option);
    }
    po::store(from_env, values);
    po::notify(values);
  } catch (const po::error& e) {
    return {std::nullopt, std::string("image-resize: ") + e.what() + "\n\n" + help_text(options),
            2};
  }

  if (values.count("help")) return {std::nullopt, help_text(options), 0};
  if (values.count("version")) return {std::nullopt, "image-resize 0.1.0\n", 0};
  if (!values.count("mode")) return {std::nullopt, help_text(options), 2};

  const std::string mode_name = values["mode"].as<std::string>();
  Mode mode;
  if (mode_name == "serve") {
    mode = Mode::serve;
  } else if (mode_name == "api") {
    mode = Mode::api;
  } else if (mode_name == "worker") {
    mode = Mode::worker;
  } else if (mode_name == "imaging-helper") {
    mode = Mode::imaging_helper;
  } else {
    return {std::nullopt, "image-resize: unknown mode '" + mode_name + "'\n\n" + help_text(options),
            2};
  }

  try {
    AppConfig config = build(mode, values);
    if (auto status = config.validate(); !status.ok()) {
      return {std::nullopt, "image-resize: " + status.error().log_message() + "\n", 2};
    }
    return {std::move(config), "", 0};
  } catch (const BadValue& bad) {
    return {std::nullopt, "image-resize: " + bad.message + "\n", 2};
  }
}

}  // namespace image_resize::config
