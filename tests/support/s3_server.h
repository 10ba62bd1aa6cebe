#pragma once
// A real S3-compatible server as a child process of a test, the way RedisServer runs Redis:
// s3rver (tests/s3/s3_server.mjs, which checks SigV4 signatures) on a free loopback port, with
// one bucket, random credentials that are the only ones it accepts, and its objects in a temp
// dir. With fault_proxy, clients talk to tests/s3/fault_proxy.mjs in front of it instead, which
// can fail chosen requests and counts them. Never left running after the test (SIGKILLed in the
// destructor, and by the kernel if the test process dies). Needs `npm ci --prefix tests/s3`.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/temp_dir.h"

namespace image_resize::testing {

struct S3ServerOptions {
  // Created at start (and kept, with its objects, by restart()).
  std::string bucket = "images";
  // Put fault_proxy.mjs between clients and S3: port() is then the proxy's.
  bool fault_proxy = false;
  // How long start and restart wait for the "listening" line (Node starts in ~0.3 s).
  std::chrono::milliseconds start_timeout{std::chrono::seconds(15)};
};

class S3Server {
 public:
  // Starts the server (and proxy) and waits until it listens. On failure the current test gets a
  // failure with the log tail, and started() is false.
  explicit S3Server(S3ServerOptions options = {});
  S3Server(const S3Server&) = delete;
  S3Server& operator=(const S3Server&) = delete;
  ~S3Server();

  bool started() const { return started_; }
  // What clients use: the proxy's port with fault_proxy, else the S3 server's.
  std::uint16_t port() const { return options_.fault_proxy ? fault_proxy_.port : s3_.port; }
  // "http://127.0.0.1:<port()>"
  std::string endpoint() const;
  // What an image-resize process needs to keep its images here: the flags (--blob-store,
  // --s3-endpoint) and its environment (the AWS_* credentials).
  std::vector<std::string> service_flags() const;
  std::vector<std::pair<std::string, std::string>> service_env() const;
  // Runs tests/s3/check_with_boto3.py (an S3 client independent of ours) against this bucket
  // with these credentials: `arguments` is `get KEY OUT` or `put KEY IN`. Its exit code.
  int boto3(const std::string& arguments) const;
  const std::string& bucket() const { return options_.bucket; }
  // Random per server (20 and 40 characters); requests signed with anything else get 403.
  const std::string& access_key() const { return access_key_; }
  const std::string& secret_key() const { return secret_key_; }
  // Where the bucket's objects are: key K is the file <objects_dir>/K._S3rver_object ('/' in K
  // makes subdirectories), beside K._S3rver_object.md5 and K._S3rver_metadata.json, so count
  // only the first. An upload in flight is K._S3rver_object.part-*.
  std::filesystem::path objects_dir() const { return data_dir_ / options_.bucket; }
  // True while the S3 server runs (the proxy is not counted).
  bool running();

  // These act on the S3 server only: the proxy keeps its port and drops the connections of
  // requests that arrive while S3 is down.
  // SIGTERM, and waits for the exit.
  void stop();
  // SIGKILL: a crash, as far as the objects dir can tell.
  void kill9();
  // Starts it again on the same port and dir (stopping it first if it runs). Returns started().
  bool restart();

  // Fault proxy only. The next `count` requests with `method` ("*": any) whose path (without
  // the query) matches `path_regex` (ECMAScript, searched) get `status` with an S3 XML error
  // body of code `s3_code`, without reaching S3; status 0 drops the connection instead. The
  // first `after` matching requests pass untouched before the fault begins.
  void fail_requests(std::string_view method, std::string_view path_regex, int status,
                     std::string_view s3_code, int count, int after = 0);
  void clear_faults();
  // Requests the proxy saw (faulted ones included) with `method` and a path matching
  // `path_regex` (searched, as above).
  int requests_seen(std::string_view method, std::string_view path_regex) const;
  // Client connections the proxy accepted that carried S3 requests.
  int connections_seen() const;

  // The last lines of the S3 server's log, and of the proxy's.
  std::string log_tail(std::size_t lines = 30) const;

 private:
  struct Child {
    std::filesystem::path log_path;
    pid_t pid = -1;
    std::uint16_t port = 0;  // 0 until its "listening" line was read
  };

  // Runs node `script` with `args` and waits for its "listening <port>" line.
  bool spawn(Child& child, const std::string& script, std::vector<std::string> args);
  bool spawn_s3(std::uint16_t port);
  bool running(Child& child);
  void kill9(Child& child);
  void require_proxy(std::string_view what) const;

  const S3ServerOptions options_;
  TempDir work_dir_{"image-resize-s3-"};
  std::filesystem::path data_dir_;
  std::string access_key_;
  std::string secret_key_;
  Child s3_;
  Child fault_proxy_;
  bool started_ = false;
};

}  // namespace image_resize::testing
