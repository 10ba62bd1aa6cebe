#pragma once
// nginx from the Debian package as a child process of a test, configured from
// deploy/nginx-local.conf.template (which includes deploy/nginx-proxy.conf, the proxy settings of
// the container): on a free loopback port, with its logs and temp files in a scratch prefix, in
// front of two `image-resize api` ports. Never left running after the test.

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "support/temp_dir.h"

namespace image_resize::deploy_test {

class NginxProcess {
 public:
  // The nginx binary (PATH, then /usr/sbin), or nullopt when nginx is not installed.
  static std::optional<std::filesystem::path> find_binary();

  // Writes the config for `api_port_1` and `api_port_2`, starts nginx and waits until its port
  // accepts connections. On failure the current test gets a failure with the error log, and
  // started() is false.
  NginxProcess(const std::filesystem::path& binary, std::uint16_t api_port_1,
               std::uint16_t api_port_2);
  NginxProcess(const NginxProcess&) = delete;
  NginxProcess& operator=(const NginxProcess&) = delete;
  // SIGTERM (the master stops its workers), SIGKILL if it lingers.
  ~NginxProcess();

  bool started() const { return started_; }
  std::uint16_t port() const { return port_; }
  // One line per request: `... "<request line>" <status> <bytes> upstream=<addr|-> ...`.
  std::string access_log() const;
  std::string error_log() const;

 private:
  bool write_config(std::uint16_t api_port_1, std::uint16_t api_port_2);
  void spawn(const std::filesystem::path& binary);
  bool wait_until_accepting();
  void stop();

  testing::TempDir prefix_{"image-resize-nginx-"};
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
  bool started_ = false;
};

}  // namespace image_resize::deploy_test
