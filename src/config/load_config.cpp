// Command-line flags, IMAGE_RESIZE_* environment variables and a --config file → AppConfig, with
// Boost.ProgramOptions (already a dependency, and it reads INI files): every flag `--some-name`
// has the variable IMAGE_RESIZE_SOME_NAME and the config file key `some-name`. The options are
// the table of options.cpp.
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include "config/app_config.h"
#include "config/options.h"
#include "config/revision.h"

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
    "--data-dir=/srv/images is IMAGE_RESIZE_DATA_DIR=/srv/images, or in a --config file\n"
    "(data-dir = /srv/images). Flags win over variables, variables over the file.\n"
    "`image-resize <mode> --help` lists the options of that mode.\n"
    "Durations take ms, s, m, h or d (plain numbers are seconds); sizes take K, M, G (KiB...).\n";

// The options as Boost.ProgramOptions sees them: every Option of the table, with the value of a
// default AppConfig as its default, and --config. Only those `modes` read (all for kAllModes).
po::options_description describe_options(unsigned modes) {
  po::options_description options("Options");
  const AppConfig defaults;
  auto add = options.add_options();
  for (const Option& option : all_options()) {
    if ((option.modes & modes) == 0) continue;
    add(option.name, po::value<std::string>()->default_value(option.show(defaults)), option.help);
  }
  add("config", po::value<std::string>()->default_value(""),
      "a file of `option = value` lines (INI; `#` comments): flags and IMAGE_RESIZE_* "
      "variables win over it");
  return options;
}

po::options_description describe_commands() {
  po::options_description commands("Other");
  commands.add_options()("help,h", "print this help (of one mode, after its name) and exit")(
      "version", "print the version and exit");
  return commands;
}

// Fills an AppConfig for `mode` from the stored values (each option has one: its default).
AppConfig build(Mode mode, const po::variables_map& values, const char* const* environment) {
  AppConfig config;
  config.mode = mode;
  for (const Option& option : all_options()) {
    if (values.count(option.name)) option.apply(config, values[option.name].as<std::string>());
  }
  // Unique per process, so that each worker owns its own leases in a Redis consumer group.
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  config.worker.consumer_name = std::string(host) + "-" + std::to_string(::getpid());
  std::string aws_region;
  for (auto entry = environment; entry && *entry; ++entry) {
    const std::string_view variable(*entry);
    // glibc reads MALLOC_ARENA_MAX itself; leave the arenas to it then.
    if (variable.starts_with("MALLOC_ARENA_MAX=")) config.malloc_arenas = 0;
    // The AWS tools' variables: the S3 credentials come from these only, never from a flag
    // (visible in ps) or the config file.
    auto take = [&](std::string_view name, std::string& into) {
      if (variable.size() > name.size() && variable.starts_with(name) &&
          variable[name.size()] == '=') {
        into = std::string(variable.substr(name.size() + 1));
      }
    };
    take("AWS_ACCESS_KEY_ID", config.s3.credentials.access_key_id);
    take("AWS_SECRET_ACCESS_KEY", config.s3.credentials.secret_access_key);
    take("AWS_SESSION_TOKEN", config.s3.credentials.session_token);
    take("AWS_REGION", aws_region);
  }
  if (!aws_region.empty() && values["s3-region"].defaulted()) config.s3.region = aws_region;
  return config;
}

// The help of one mode (only the options it reads), or of all of them.
std::string help_text(std::optional<Mode> mode) {
  std::ostringstream out;
  out << kUsage << "\n"
      << describe_options(mode ? bit_of(*mode) : kAllModes) << describe_commands();
  return out.str();
}

std::optional<Mode> parse_mode(const std::string& name) {
  if (name == "serve") return Mode::serve;
  if (name == "api") return Mode::api;
  if (name == "worker") return Mode::worker;
  if (name == "imaging-helper") return Mode::imaging_helper;
  return std::nullopt;
}

// IMAGE_RESIZE_SOME_NAME=value lines of `environment` as parsed options, for the ones in
// `options`.
po::parsed_options from_environment(const po::options_description& options,
                                    const char* const* environment) {
  po::parsed_options parsed(&options);
  for (auto entry = environment; entry && *entry; ++entry) {
    const std::string line(*entry);
    const auto equals = line.find('=');
    if (equals == std::string::npos || !line.starts_with(kEnvPrefix)) continue;
    std::string name = line.substr(kEnvPrefix.size(), equals - kEnvPrefix.size());
    for (char& c : name) {
      c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (options.find_nothrow(name, false) == nullptr) continue;
    parsed.options.push_back(po::option(name, {line.substr(equals + 1)}));
  }
  return parsed;
}

std::string version_text() {
  return std::string("image-resize ") + IMAGE_RESIZE_VERSION + " (" + git_revision() + ")\n";
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
  if (http.result_redirect && !blobs_in_bucket()) {
    return invalid(
        "--result-redirect needs --blob-store s3://BUCKET (files have no presigned URLs)");
  }
  // S3 refuses presigned URLs valid for more than a week.
  if (http.result_redirect_expiry < std::chrono::seconds(1) ||
      http.result_redirect_expiry > std::chrono::hours(24 * 7)) {
    return invalid("--result-redirect-expiry must be from 1s to 7d");
  }
  if (s3.timeout < std::chrono::milliseconds(100)) {
    return invalid("--s3-timeout must be at least 100ms");
  }
  for (const auto& [flag, list] :
       {std::pair<const char*, const std::string*>{"--outbound-allow", &outbound_allow},
        {"--outbound-deny", &outbound_deny}}) {
    if (auto ranges = core::IpRanges::parse(*list); !ranges.ok()) {
      return invalid(std::string(flag) + ": " + ranges.error().log_message());
    }
  }
  for (const auto& [flag, time] : {std::pair<const char*, std::chrono::milliseconds>{
                                       "--outbound-connect-timeout", outbound.connect_timeout},
                                   {"--outbound-idle-timeout", outbound.idle_timeout},
                                   {"--outbound-timeout", outbound.total_timeout},
                                   {"--webhook-timeout", webhook.timeout},
                                   {"--webhook-retry-for", webhook.retry_for}}) {
    if (time < std::chrono::milliseconds(100))
      return invalid(std::string(flag) + " must be at least 100ms");
  }
  if (http.signed_url_expiry < std::chrono::minutes(1) ||
      http.signed_url_expiry > std::chrono::hours(24 * 7)) {
    return invalid("--signed-url-expiry must be from 1m to 7d");
  }
  return {};
}

LoadOutcome load_config(int argc, const char* const* argv, const char* const* environment) {
  // Every mode accepts every option (a deployment may share its variables between modes);
  // --help lists those of the mode asked for.
  po::options_description options = describe_options(kAllModes);
  po::options_description all;
  all.add(options).add(describe_commands());
  all.add_options()("mode", po::value<std::string>(), "serve, api or worker");
  po::positional_options_description positional;
  positional.add("mode", 1);

  po::variables_map values;
  std::optional<Mode> mode;
  try {
    // Stored in order of precedence: what is stored first wins.
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(),
              values);
    if (values.count("mode")) {
      mode = parse_mode(values["mode"].as<std::string>());
      if (!mode) {
        return {std::nullopt,
                "image-resize: unknown mode '" + values["mode"].as<std::string>() + "'\n\n" +
                    help_text(std::nullopt),
                2};
      }
    }
    if (values.count("help")) return {std::nullopt, help_text(mode), 0};
    if (values.count("version")) return {std::nullopt, version_text(), 0};
    if (!mode) return {std::nullopt, help_text(std::nullopt), 2};
    po::store(from_environment(options, environment), values);
    const std::string config_file = values["config"].as<std::string>();
    if (!config_file.empty()) {
      std::ifstream file(config_file);
      if (!file) {
        return {std::nullopt, "image-resize: cannot read --config " + config_file + "\n", 2};
      }
      po::store(po::parse_config_file(file, options), values);
    }
    po::notify(values);
  } catch (const po::error& e) {
    return {std::nullopt, std::string("image-resize: ") + e.what() + "\n\n" + help_text(mode), 2};
  }

  try {
    AppConfig config = build(*mode, values, environment);
    if (auto status = config.validate(); !status.ok()) {
      return {std::nullopt, "image-resize: " + status.error().log_message() + "\n", 2};
    }
    return {std::move(config), "", 0};
  } catch (const BadValue& bad) {
    return {std::nullopt, "image-resize: " + bad.message + "\n", 2};
  }
}

}  // namespace image_resize::config
