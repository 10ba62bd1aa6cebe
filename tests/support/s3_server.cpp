#include "support/s3_server.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <sstream>
#include <thread>

#include "support/child_process.h"
#include "support/http_client.h"

#ifndef IMAGE_RESIZE_S3_TEST_DIR
#error "IMAGE_RESIZE_S3_TEST_DIR must point at tests/s3 (see tests/support/CMakeLists.txt)"
#endif

namespace image_resize::testing {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kPollInterval{10};
const std::filesystem::path kScriptDir = IMAGE_RESIZE_S3_TEST_DIR;

std::string random_string(std::size_t length, std::string_view alphabet) {
  std::random_device device;
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string text;
  for (std::size_t i = 0; i < length; ++i) text += alphabet[pick(device)];
  return text;
}

std::string read_from(const std::filesystem::path& path, std::uintmax_t offset) {
  std::ifstream in(path, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(offset));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::uintmax_t size_of(const std::filesystem::path& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  return error ? 0 : size;
}

std::string tail_of(const std::filesystem::path& path, std::size_t lines) {
  const std::string text = read_from(path, 0);
  std::size_t start = text.size();
  for (std::size_t seen = 0; start > 0 && seen <= lines;) {
    --start;
    if (text[start] == '\n') ++seen;
  }
  return text.substr(start);
}

}  // namespace

S3Server::S3Server(S3ServerOptions options)
    : options_(std::move(options)),
      data_dir_(work_dir_.path() / "data"),
      // The shapes of AWS's: 20 capitals and digits, and 40 characters that may hold '/' and '+'.
      access_key_("AKIA" + random_string(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")),
      secret_key_(
          random_string(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+")),
      s3_{.log_path = work_dir_.path() / "s3.log"},
      fault_proxy_{.log_path = work_dir_.path() / "proxy.log"} {
  if (!std::filesystem::exists(kScriptDir / "node_modules" / "@20minutes" / "s3rver")) {
    ADD_FAILURE() << kScriptDir / "node_modules"
                  << " has no s3rver: run `npm ci --prefix tests/s3` (scripts/test.sh does)";
    return;
  }
  started_ = spawn_s3(0);
  if (started_ && options_.fault_proxy) {
    started_ = spawn(fault_proxy_, "fault_proxy.mjs",
                     {"--port", "0", "--target-port", std::to_string(s3_.port)});
  }
  if (!started_) {
    ADD_FAILURE() << "the S3 test server did not start; log tail:\n" << log_tail();
    kill9(s3_);
    kill9(fault_proxy_);
  }
}

S3Server::~S3Server() {
  kill9(fault_proxy_);
  kill9(s3_);
}

std::string S3Server::endpoint() const { return "http://127.0.0.1:" + std::to_string(port()); }

std::vector<std::string> S3Server::service_flags() const {
  return {"--blob-store", "s3://" + bucket(), "--s3-endpoint", endpoint()};
}

std::vector<std::pair<std::string, std::string>> S3Server::service_env() const {
  return {{"AWS_ACCESS_KEY_ID", access_key_}, {"AWS_SECRET_ACCESS_KEY", secret_key_}};
}

int S3Server::boto3(const std::string& arguments) const {
  const std::string command = "AWS_ACCESS_KEY_ID='" + access_key_ + "' AWS_SECRET_ACCESS_KEY='" +
                              secret_key_ + "' python3 " +
                              (kScriptDir / "check_with_boto3.py").string() + " --endpoint " +
                              endpoint() + " --bucket " + bucket() + " " + arguments;
  return std::system(command.c_str());
}

bool S3Server::spawn_s3(std::uint16_t port) {
  return spawn(s3_, "s3_server.mjs",
               {"--dir", data_dir_.string(), "--port", std::to_string(port), "--address",
                "127.0.0.1", "--bucket", options_.bucket});
}

bool S3Server::spawn(Child& child, const std::string& script, std::vector<std::string> args) {
  const std::filesystem::path node = find_executable("node");
  if (node.empty()) {
    ADD_FAILURE() << "node not found on PATH (the S3 test server needs Node.js 20)";
    return false;
  }
  args.insert(args.begin(), {node.string(), (kScriptDir / script).string()});
  // The log is appended to across restarts: only what this start writes counts.
  const std::uintmax_t log_start = size_of(child.log_path);
  child.pid = start_child(args, {.output = child.log_path,
                                 .append_output = true,
                                 .env = {{"S3_TEST_ACCESS_KEY_ID", access_key_},
                                         {"S3_TEST_SECRET_ACCESS_KEY", secret_key_}}});
  static const std::regex kListening(R"((?:^|\n)listening (\d+)\n)");
  const auto deadline = Clock::now() + options_.start_timeout;
  while (Clock::now() < deadline && running(child)) {
    const std::string text = read_from(child.log_path, log_start);
    std::smatch match;
    if (std::regex_search(text, match, kListening)) {
      child.port = static_cast<std::uint16_t>(std::stoi(match[1].str()));
      return true;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  return false;
}

bool S3Server::running() { return running(s3_); }

bool S3Server::running(Child& child) {
  if (child.pid <= 0) return false;
  int status = 0;
  const pid_t done = ::waitpid(child.pid, &status, WNOHANG);
  if (done == child.pid || (done < 0 && errno == ECHILD)) {
    child.pid = -1;
    return false;
  }
  return true;
}

void S3Server::kill9(Child& child) {
  if (child.pid <= 0) return;
  ::kill(child.pid, SIGKILL);
  int status = 0;
  while (::waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
  }
  child.pid = -1;
}

void S3Server::stop() {
  if (!running()) return;
  ::kill(s3_.pid, SIGTERM);
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (running() && Clock::now() < deadline) std::this_thread::sleep_for(kPollInterval);
  if (running()) {
    ADD_FAILURE() << "s3_server.mjs ignored SIGTERM for 10 s; killing it";
    kill9();
  }
}

void S3Server::kill9() { kill9(s3_); }

bool S3Server::restart() {
  stop();
  const std::uint16_t port = s3_.port;
  started_ = spawn_s3(port) && s3_.port == port;
  if (!started_) {
    ADD_FAILURE() << "the S3 test server did not restart on port " << port << "; log tail:\n"
                  << log_tail();
    kill9();
  }
  return started_;
}

void S3Server::require_proxy(std::string_view what) const {
  if (!options_.fault_proxy || fault_proxy_.port == 0) {
    ADD_FAILURE() << what << " needs S3ServerOptions::fault_proxy and a started proxy";
  }
}

void S3Server::fail_requests(std::string_view method, std::string_view path_regex, int status,
                             std::string_view s3_code, int count, int after) {
  require_proxy("fail_requests");
  const nlohmann::json fault = {{"method", std::string(method)},
                                {"path", std::string(path_regex)},
                                {"status", status},
                                {"code", std::string(s3_code)},
                                {"count", count},
                                {"after", after}};
  HttpClient client(fault_proxy_.port, std::chrono::seconds(5));
  const HttpResponse response = client.post("/__faults", "application/json", fault.dump());
  if (response.status != 200) ADD_FAILURE() << "POST /__faults: " << response;
}

void S3Server::clear_faults() {
  require_proxy("clear_faults");
  HttpClient client(fault_proxy_.port, std::chrono::seconds(5));
  const HttpResponse response = client.del("/__faults");
  if (response.status != 200) ADD_FAILURE() << "DELETE /__faults: " << response;
}

int S3Server::requests_seen(std::string_view method, std::string_view path_regex) const {
  require_proxy("requests_seen");
  HttpClient client(fault_proxy_.port, std::chrono::seconds(5));
  const HttpResponse response = client.get("/__requests");
  const nlohmann::json counts = response.json();
  if (response.status != 200 || !counts.is_object()) {
    ADD_FAILURE() << "GET /__requests: " << response;
    return -1;
  }
  const std::regex path_pattern{std::string(path_regex)};
  int seen = 0;
  for (const auto& [request, count] : counts.items()) {
    const auto space = request.find(' ');  // "METHOD /path"
    const std::string_view request_method = std::string_view(request).substr(0, space);
    if ((method == "*" || request_method == method) &&
        std::regex_search(request.substr(space + 1), path_pattern)) {
      seen += count.get<int>();
    }
  }
  return seen;
}

int S3Server::connections_seen() const {
  require_proxy("connections_seen");
  HttpClient client(fault_proxy_.port, std::chrono::seconds(5));
  const HttpResponse response = client.get("/__connections");
  if (response.status != 200) {
    ADD_FAILURE() << "GET /__connections: " << response;
    return -1;
  }
  return response.json().value("connections", -1);
}

std::string S3Server::log_tail(std::size_t lines) const {
  std::string tail = "--- " + s3_.log_path.string() + "\n" + tail_of(s3_.log_path, lines);
  if (options_.fault_proxy) {
    tail += "--- " + fault_proxy_.log_path.string() + "\n" + tail_of(fault_proxy_.log_path, lines);
  }
  return tail;
}

}  // namespace image_resize::testing
