#include "support/redis_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/child_process.h"
#include "support/loopback.h"

namespace image_resize::testing {
namespace {

using Clock = std::chrono::steady_clock;

// Sends one inline command (e.g. "PING") on a fresh connection; the start of the reply, or ""
// when there was none within 2 s. Enough for PING and FLUSHALL without a client library.
std::string inline_command(std::uint16_t port, std::string_view command) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return {};
  timeval timeout{.tv_sec = 2, .tv_usec = 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  sockaddr_in address = loopback(port);
  const std::string line = std::string(command) + "\r\n";
  std::string reply;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      ::send(fd, line.data(), line.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(line.size())) {
    char buffer[256];
    const ssize_t received = ::recv(fd, buffer, sizeof(buffer), 0);
    if (received > 0) reply.assign(buffer, static_cast<std::size_t>(received));
  }
  ::close(fd);
  return reply;
}

// True when Redis serves commands: PING is answered +PONG, or -NOAUTH when it wants a password
// (but not -LOADING while the appendonly file is replayed).
bool answers_ping(std::uint16_t port) {
  const std::string reply = inline_command(port, "PING");
  return reply.starts_with("+PONG") || reply.starts_with("-NOAUTH");
}

}  // namespace

RedisServer::RedisServer(RedisServerOptions options)
    : options_(std::move(options)),
      data_dir_(work_dir_.path() / "data"),
      log_path_(work_dir_.path() / "redis.log") {
  std::filesystem::create_directories(data_dir_);
  for (int attempt = 0; attempt < 5 && !started_; ++attempt) {
    port_ = free_loopback_port();
    started_ = port_ != 0 && spawn() && wait_until_ready();
    if (!started_ && pid_ > 0) kill9();  // e.g. another process took the port meanwhile
  }
  if (!started_) ADD_FAILURE() << "redis-server did not start; log tail:\n" << log_tail();
}

RedisServer::~RedisServer() {
  if (pid_ > 0) kill9();
}

std::string RedisServer::url(int database) const {
  return "redis://127.0.0.1:" + std::to_string(port_) + "/" + std::to_string(database);
}

bool RedisServer::spawn() {
  const std::filesystem::path binary =
      find_executable("redis-server", {"/usr/bin", "/usr/local/bin"});
  if (binary.empty()) {
    ADD_FAILURE() << "redis-server not found on PATH or in /usr/bin (apt-get install redis-server)";
    return false;
  }
  std::vector<std::string> argv = {binary.string(),
                                   "--port",
                                   std::to_string(port_),
                                   "--bind",
                                   "127.0.0.1",
                                   "--save",
                                   "",
                                   "--appendonly",
                                   options_.appendonly ? "yes" : "no",
                                   "--appendfsync",
                                   options_.fsync_always ? "always" : "everysec",
                                   "--dir",
                                   data_dir_.string(),
                                   "--daemonize",
                                   "no",
                                   "--logfile",
                                   ""};
  argv.insert(argv.end(), options_.extra_args.begin(), options_.extra_args.end());
  const pid_t child = start_child(argv, {.output = log_path_, .append_output = true});
  if (child <= 0) return false;
  pid_ = child;
  return true;
}

bool RedisServer::wait_until_ready() {
  const auto deadline = Clock::now() + options_.start_timeout;
  while (Clock::now() < deadline) {
    if (!running()) return false;
    if (answers_ping(port_)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

bool RedisServer::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  const pid_t done = ::waitpid(pid_, &status, WNOHANG);
  if (done == pid_ || (done < 0 && errno == ECHILD)) {
    pid_ = -1;
    return false;
  }
  return true;
}

void RedisServer::reap_blocking() {
  if (pid_ <= 0) return;
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

void RedisServer::stop() {
  if (!running()) return;
  ::kill(pid_, SIGTERM);
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (running() && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (running()) {
    ADD_FAILURE() << "redis-server ignored SIGTERM for 10 s; killing it";
    kill9();
  }
}

void RedisServer::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  reap_blocking();
}

bool RedisServer::restart() {
  stop();
  started_ = spawn() && wait_until_ready();
  if (!started_) {
    ADD_FAILURE() << "redis-server did not restart on port " << port_ << "; log tail:\n"
                  << log_tail();
    kill9();
  }
  return started_;
}

void RedisServer::flush_all() {
  const std::string reply = inline_command(port_, "FLUSHALL");
  if (!reply.starts_with("+OK")) ADD_FAILURE() << "FLUSHALL answered '" << reply << "'";
}

std::string RedisServer::log_tail(std::size_t lines) const {
  std::ifstream in(log_path_);
  std::vector<std::string> all;
  for (std::string line; std::getline(in, line);) all.push_back(line);
  std::string tail;
  for (std::size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i) {
    tail += all[i] + "\n";
  }
  return tail;
}

}  // namespace image_resize::testing
