#include "deploy/nginx_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>
#include <vector>

#include "support/child_process.h"
#include "support/fixtures.h"
#include "support/loopback.h"

namespace image_resize::deploy_test {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::seconds kStartTimeout{10};
constexpr std::chrono::seconds kStopTimeout{10};

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// The file's text, or "" when it does not exist (yet).
std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A line that still has an @NAME@ placeholder outside a comment, or "".
std::string unfilled_placeholder(const std::string& config) {
  static const std::regex kPlaceholder(R"(@[A-Z_0-9]+@)");
  std::istringstream lines(config);
  for (std::string line; std::getline(lines, line);) {
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    if (std::regex_search(line, kPlaceholder)) return line;
  }
  return "";
}

}  // namespace

std::optional<std::filesystem::path> NginxProcess::find_binary() {
  auto binary = testing::find_executable("nginx", {"/usr/sbin"});
  if (binary.empty()) return std::nullopt;
  return binary;
}

NginxProcess::NginxProcess(const std::filesystem::path& binary, std::uint16_t api_port_1,
                           std::uint16_t api_port_2) {
  if (!write_config(api_port_1, api_port_2)) return;
  spawn(binary);
  if (pid_ <= 0) return;
  started_ = wait_until_accepting();
  if (!started_) {
    ADD_FAILURE() << "nginx did not accept connections on port " << port_ << "; error log:\n"
                  << error_log();
    stop();
  }
}

NginxProcess::~NginxProcess() { stop(); }

bool NginxProcess::write_config(std::uint16_t api_port_1, std::uint16_t api_port_2) {
  const std::filesystem::path deploy_dir = IMAGE_RESIZE_DEPLOY_DIR;
  std::string config = testing::read_file(deploy_dir / "nginx-local.conf.template");
  if (config.empty()) return false;
  port_ = testing::free_loopback_port();
  config = replace_all(config, "@PREFIX@", prefix_.path().string());
  config = replace_all(config, "@PORT@", std::to_string(port_));
  config = replace_all(config, "@API_PORT_1@", std::to_string(api_port_1));
  config = replace_all(config, "@API_PORT_2@", std::to_string(api_port_2));
  config = replace_all(config, "@PROXY_CONF@", (deploy_dir / "nginx-proxy.conf").string());
  // Placeholders in comments are documentation; any other one is a name this test does not know.
  if (const std::string line = unfilled_placeholder(config); !line.empty()) {
    ADD_FAILURE() << "nginx-local.conf.template has a placeholder the test does not fill: " << line;
    return false;
  }
  std::ofstream(prefix_.path() / "nginx.conf") << config;
  return true;
}

void NginxProcess::spawn(const std::filesystem::path& binary) {
  const std::string prefix = prefix_.path().string();
  const std::vector<std::string> argv{binary.string(),
                                      "-p",
                                      prefix,
                                      "-c",
                                      prefix + "/nginx.conf",
                                      "-e",
                                      prefix + "/error.log",
                                      "-g",
                                      "daemon off; pid " + prefix + "/nginx.pid;"};
  // SIGTERM, not SIGKILL, if the test dies: the master then stops its workers too.
  const pid_t child =
      testing::start_child(argv, {.output = prefix + "/nginx.out", .death_signal = SIGTERM});
  if (child > 0) pid_ = child;
}

bool NginxProcess::wait_until_accepting() {
  const auto deadline = Clock::now() + kStartTimeout;
  while (Clock::now() < deadline) {
    if (testing::accepts_connections(port_)) return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;  // exited: a config or bind error, in the error log
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

void NginxProcess::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  const auto deadline = Clock::now() + kStopTimeout;
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (Clock::now() >= deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  pid_ = -1;
}

std::string NginxProcess::access_log() const { return read_text(prefix_.path() / "access.log"); }

std::string NginxProcess::error_log() const {
  return read_text(prefix_.path() / "error.log") + read_text(prefix_.path() / "nginx.out");
}

}  // namespace image_resize::deploy_test
