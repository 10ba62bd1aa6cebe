// The bad-input corpus: truncated, corrupted and hostile files (tests/fixtures/bad/), bombs,
// bad size fields, malformed multipart, wrong content types, hostile task ids and broken
// HTTP. Each case names the exact answer (status and JSON error code, or 202 and how the task
// ends); after each one the server must still answer /healthz, and its processes must not
// have grown by more than kMaxRssGrowthKb. At the end of every suite a valid image must still
// be resized, so the workers survived too. The tables are in bad_input_cases.cpp.
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <charconv>
#include <chrono>
#include <fstream>
#include <map>
#include <ostream>
#include <sstream>
#include <thread>

#include "integration/api_helpers.h"
#include "integration/bad_input_cases.h"
#include "support/raw_connection.h"

namespace image_resize::integration {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using testing::HeaderList;

// A rejected upload is refused from its header; no case needs memory to speak of.
constexpr long kMaxRssGrowthKb = 50L * 1024;

// ---------------------------------------------------------------------------------------------
// A raw TCP exchange: bytes written in pieces, answers read with a deadline.

struct RawExchange {
  std::vector<HttpResponse> answers;
  bool closed_by_server = false;  // EOF or reset seen before the deadline
  bool timed_out = false;
  std::chrono::milliseconds elapsed{0};
};

// Takes one whole response off the front of `buffer`; nullopt while it is incomplete.
std::optional<HttpResponse> take_response(std::string& buffer) {
  const std::size_t head_end = buffer.find("\r\n\r\n");
  if (head_end == std::string::npos) return std::nullopt;
  HttpResponse response;
  std::istringstream head(buffer.substr(0, head_end));
  std::string line;
  std::getline(head, line);
  const std::size_t space = line.find(' ');
  if (space == std::string::npos) return std::nullopt;
  std::from_chars(line.data() + space + 1, line.data() + line.size(), response.status);
  std::size_t length = 0;
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    response.headers.emplace_back(line.substr(0, colon), value);
  }
  if (const auto declared = response.header("Content-Length")) {
    std::from_chars(declared->data(), declared->data() + declared->size(), length);
  }
  if (buffer.size() < head_end + 4 + length) return std::nullopt;
  response.body = buffer.substr(head_end + 4, length);
  buffer.erase(0, head_end + 4 + length);
  return response;
}

// Writes `pieces` on a fresh loopback connection with `pause` between them (TCP_NODELAY, so
// each goes out on its own), optionally shuts down the sending side, then reads until
// `max_answers` answers came, the server closed, or `timeout` passed since the first write.
RawExchange exchange_raw(std::uint16_t port, const std::vector<std::string>& pieces,
                         std::chrono::milliseconds pause, bool half_close, std::size_t max_answers,
                         std::chrono::milliseconds timeout) {
  RawExchange result;
  const auto started = Clock::now();
  const auto deadline = started + timeout;
  testing::RawConnection connection(port);
  if (!connection.connected()) {
    ADD_FAILURE() << "connect to port " << port << " failed";
    return result;
  }
  connection.set_no_delay();
  const int fd = connection.fd();
  timeval send_timeout{static_cast<long>(timeout.count() / 1000),
                       static_cast<long>((timeout.count() % 1000) * 1000)};
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof send_timeout);
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    if (i > 0) std::this_thread::sleep_for(pause);
    // A failed write: the server may have answered and closed early; read what it said.
    if (!connection.send(pieces[i])) break;
  }
  if (half_close) ::shutdown(fd, SHUT_WR);
  std::string buffer;
  char chunk[16 * 1024];
  while (result.answers.size() < max_answers) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left <= 0ms) {
      result.timed_out = true;
      break;
    }
    pollfd readable{fd, POLLIN, 0};
    if (::poll(&readable, 1, static_cast<int>(left.count())) <= 0) continue;
    const ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
    if (got <= 0) {
      result.closed_by_server = true;
      break;
    }
    buffer.append(chunk, static_cast<std::size_t>(got));
    while (auto response = take_response(buffer)) result.answers.push_back(std::move(*response));
  }
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Memory of the service's processes.

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// VmRSS in kB of every child of this test process started on `data_dir` (the service's
// processes; the redis-server has its own dir).
std::map<pid_t, long> service_rss_kb(const std::filesystem::path& data_dir) {
  std::map<pid_t, long> rss;
  std::error_code ignored;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ignored)) {
    const std::string name = entry.path().filename().string();
    pid_t pid = 0;
    if (std::from_chars(name.data(), name.data() + name.size(), pid).ec != std::errc{}) continue;
    const std::string stat = read_text(entry.path() / "stat");
    const std::size_t comm_end = stat.rfind(')');
    if (comm_end == std::string::npos) continue;
    std::istringstream fields(stat.substr(comm_end + 2));
    std::string state;
    pid_t parent = 0;
    fields >> state >> parent;
    if (parent != ::getpid()) continue;
    if (read_text(entry.path() / "cmdline").find(data_dir.string()) == std::string::npos) continue;
    std::istringstream status(read_text(entry.path() / "status"));
    std::string line;
    while (std::getline(status, line)) {
      if (line.rfind("VmRSS:", 0) == 0) rss[pid] = std::stol(line.substr(6));
    }
  }
  return rss;
}

// ---------------------------------------------------------------------------------------------
// Checking answers.

// For the cases answered at once: does `response` match? No test failure is added, so that a
// known bug can be told apart from a fixed one.
::testing::AssertionResult matches_at_once(const HttpResponse& response, const Expected& expected) {
  switch (expected.kind) {
    case Expected::Kind::error: return is_json_error(response, expected.status, expected.code);
    case Expected::Kind::ok:
      if (response.status == expected.status) return ::testing::AssertionSuccess();
      return ::testing::AssertionFailure()
             << "expected " << expected.status << ", got " << response;
    default: return ::testing::AssertionFailure() << "not an immediate answer";
  }
}

// 202, then the task ends as `expected` says.
void expect_task_outcome(HttpClient& client, const HttpResponse& accepted,
                         const Expected& expected) {
  ASSERT_EQ(accepted.status, 202) << accepted;
  const std::string id = task_id_of(accepted);
  ASSERT_FALSE(id.empty()) << accepted;
  const nlohmann::json status = wait_for_task(client, id, 30);
  ASSERT_TRUE(is_terminal(status)) << status.dump();
  const HttpResponse result = client.get(std::string(kResultPath) + id);
  if (expected.kind == Expected::Kind::accepted_then_success) {
    EXPECT_EQ(status.value("status", ""), "SUCCESS") << status.dump();
    EXPECT_EQ(result.status, 200) << result;
  } else {
    EXPECT_EQ(status.value("status", ""), "FAILURE") << status.dump();
    EXPECT_EQ(status.value("error", nlohmann::json::object()).value("code", ""), expected.code)
        << status.dump();
    EXPECT_TRUE(is_json_error(result, 404, "result_not_ready"));
  }
}

// Checks the answer, or for a known bug skips while the bug is there and fails once it is
// gone (so that the mark gets removed).
void expect_answer(HttpClient& client, const HttpResponse& response, const Expected& expected,
                   const std::string& known_bug) {
  const bool at_once =
      expected.kind == Expected::Kind::error || expected.kind == Expected::Kind::ok;
  if (!known_bug.empty()) {
    ASSERT_TRUE(at_once) << "known bugs are marked on immediate answers only";
    const auto matched = matches_at_once(response, expected);
    if (matched) {
      ADD_FAILURE() << "marked as a known bug but answered as expected; drop the mark: "
                    << known_bug;
      return;
    }
    GTEST_SKIP() << "known bug: " << known_bug << "\n" << matched.message();
  }
  if (at_once) {
    EXPECT_TRUE(matches_at_once(response, expected));
    if (expected.kind == Expected::Kind::error) {
      EXPECT_FALSE(response.has_header("Location")) << response;
    }
    return;
  }
  expect_task_outcome(client, response, expected);
}

// ---------------------------------------------------------------------------------------------
// Fixtures.

// A shared server per suite that, before it stops, must still resize a valid image: the bad
// inputs left the API and the workers able to work.
class BadInputTest : public SharedServerTest {
 public:
  static void TearDownTestSuite() {
    if (server_ && server_->started()) {
      HttpClient client(server_->port());
      const FinishedTask task = run_task(client, fixture("photo.jpg"), {{"width", "24"}});
      EXPECT_EQ(task.status.value("status", ""), "SUCCESS")
          << "a valid image after the bad inputs: " << task.status.dump() << "\n"
          << server_->log_tail();
    }
    SharedServerTest::TearDownTestSuite();
  }

 protected:
  void SetUp() override {
    SharedServerTest::SetUp();
    rss_before_ = service_rss_kb(server().data_dir());
    ASSERT_FALSE(rss_before_.empty()) << "no service process found under /proc";
  }

  // Every process still there and not grown by more than kMaxRssGrowthKb.
  void expect_memory_kept() {
    const auto after = service_rss_kb(server().data_dir());
    EXPECT_EQ(after.size(), rss_before_.size()) << "a service process is gone\n"
                                                << server().log_tail();
    for (const auto& [pid, before_kb] : rss_before_) {
      const auto found = after.find(pid);
      if (found == after.end()) continue;
      EXPECT_LE(found->second - before_kb, kMaxRssGrowthKb)
          << "process " << pid << " grew from " << before_kb << " kB to " << found->second << " kB";
    }
  }

  std::map<pid_t, long> rss_before_;
};

// --- uploads ----------------------------------------------------------------------------------

class BadInputUpload : public BadInputTest, public ::testing::WithParamInterface<UploadCase> {};

TEST_P(BadInputUpload, IsAnsweredAsTheContractSays) {
  const UploadCase& c = GetParam();
  const HeaderList headers =
      c.content_type.empty() ? HeaderList{} : HeaderList{{"Content-Type", c.content_type}};
  const HttpResponse response = client().request("POST", kResizePath, headers, c.body);
  ASSERT_NE(response.status, 0) << "no answer: " << response.error;
  expect_memory_kept();
  EXPECT_TRUE(server_is_alive(server().port())) << server().log_tail();
  expect_answer(client(), response, c.expected, c.known_bug);
}

constexpr auto kCaseName = [](const auto& test) { return test.param.name; };

INSTANTIATE_TEST_SUITE_P(BrokenFiles, BadInputUpload, ::testing::ValuesIn(broken_file_cases()),
                         kCaseName);
INSTANTIATE_TEST_SUITE_P(Bombs, BadInputUpload, ::testing::ValuesIn(bomb_cases()), kCaseName);
INSTANTIATE_TEST_SUITE_P(SizeFields, BadInputUpload, ::testing::ValuesIn(size_field_cases()),
                         kCaseName);
INSTANTIATE_TEST_SUITE_P(OptionFields, BadInputUpload, ::testing::ValuesIn(option_field_cases()),
                         kCaseName);
INSTANTIATE_TEST_SUITE_P(MalformedMultipart, BadInputUpload,
                         ::testing::ValuesIn(malformed_multipart_cases()), kCaseName);
INSTANTIATE_TEST_SUITE_P(ContentTypes, BadInputUpload, ::testing::ValuesIn(content_type_cases()),
                         kCaseName);

// --- task ids ---------------------------------------------------------------------------------

class BadInputId : public BadInputTest, public ::testing::WithParamInterface<IdCase> {};

TEST_P(BadInputId, IsAnsweredTheSameOnEveryRoute) {
  const IdCase& c = GetParam();
  for (const auto& [method, prefix] : {std::pair{"GET", kStatusPath}, std::pair{"GET", kResultPath},
                                       std::pair{"DELETE", kTasksPath}}) {
    SCOPED_TRACE(std::string(method) + " " + std::string(prefix));
    HttpClient fresh(server().port());  // a 431 closes the connection
    const HttpResponse response = fresh.request(method, std::string(prefix) + c.id);
    ASSERT_NE(response.status, 0) << "no answer: " << response.error;
    expect_answer(fresh, response, c.expected, c.known_bug);
  }
  expect_memory_kept();
}

INSTANTIATE_TEST_SUITE_P(TaskIds, BadInputId, ::testing::ValuesIn(id_cases()), kCaseName);

class BadInputTaskId : public BadInputTest {};

TEST_F(BadInputTaskId, UppercaseFindsTheTaskAndDecorationsDoNot) {
  const FinishedTask task = run_task(client(), fixture("photo.jpg"), {{"width", "20"}});
  ASSERT_EQ(task.status.value("status", ""), "SUCCESS") << task.status.dump();
  std::string upper = task.id;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));

  const HttpResponse status = client().get(std::string(kStatusPath) + upper);
  ASSERT_EQ(status.status, 200) << status;
  EXPECT_EQ(status.json().value("task_id", ""), task.id) << "ids are answered lowercase";
  EXPECT_EQ(client().get(std::string(kResultPath) + upper).status, 200);
  for (const std::string& decorated :
       {"{" + task.id + "}", task.id + "%00", "%20" + task.id, task.id + "/"}) {
    SCOPED_TRACE(decorated);
    const HttpResponse response = client().get(std::string(kStatusPath) + decorated);
    EXPECT_EQ(response.status, 404) << response;
    EXPECT_TRUE(is_json_error(response, 404, ""));
  }
  EXPECT_EQ(client().del(std::string(kTasksPath) + upper).status, 204);
  EXPECT_TRUE(
      is_json_error(client().get(std::string(kStatusPath) + task.id), 404, "task_not_found"));
}

// --- raw HTTP ---------------------------------------------------------------------------------

class BadInputHttp : public BadInputTest, public ::testing::WithParamInterface<RawCase> {};

TEST_P(BadInputHttp, IsAnsweredOrClosed) {
  const RawCase& c = GetParam();
  const RawExchange exchange = exchange_raw(server().port(), {c.bytes}, 0ms, c.half_close, 1, 10s);
  EXPECT_FALSE(exchange.timed_out) << "neither answered nor closed within 10 s";
  expect_memory_kept();
  EXPECT_TRUE(server_is_alive(server().port())) << server().log_tail();
  if (c.expected.kind == Expected::Kind::no_response_then_closed) {
    EXPECT_TRUE(exchange.answers.empty()) << exchange.answers.front();
    EXPECT_TRUE(exchange.closed_by_server);
    EXPECT_LT(exchange.elapsed, 5s);
    return;
  }
  if (exchange.answers.empty()) {
    if (!c.known_bug.empty()) GTEST_SKIP() << "known bug: " << c.known_bug << "\n(no answer)";
    FAIL() << "no answer; closed by the server: " << exchange.closed_by_server;
  }
  expect_answer(client(), exchange.answers.front(), c.expected, c.known_bug);
}

INSTANTIATE_TEST_SUITE_P(Http, BadInputHttp, ::testing::ValuesIn(raw_http_cases()), kCaseName);

// --- a valid upload in slow pieces -------------------------------------------------------------

class BadInputSplitWrites : public BadInputTest {};

TEST_F(BadInputSplitWrites, AFormSplitInsideItsBoundaryIsStillAccepted) {
  const MultipartBody form = resize_form(fixture("photo.jpg"), {{"width", "20"}});
  const std::string body = form.body();
  const std::string head =
      "POST /api/v1/images/resize HTTP/1.1\r\nHost: x\r\nContent-Type: " + form.content_type() +
      "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  // Cut the head mid-line, and the body inside the delimiter before `width` ("\r\n--bou|ndary")
  // and inside the closing one.
  const std::string type = form.content_type();
  const std::string delimiter = "\r\n--" + type.substr(type.find("boundary=") + 9);
  const std::size_t width_delimiter = body.find(delimiter);
  const std::size_t closing = body.rfind(delimiter);
  ASSERT_NE(width_delimiter, std::string::npos);
  ASSERT_LT(width_delimiter, closing);
  const std::vector<std::string> pieces{
      head.substr(0, 20),
      head.substr(20),
      body.substr(0, width_delimiter + 6),
      body.substr(width_delimiter + 6, closing + 3 - (width_delimiter + 6)),
      body.substr(closing + 3),
  };
  const RawExchange exchange = exchange_raw(server().port(), pieces, 60ms, false, 1, 10s);
  ASSERT_EQ(exchange.answers.size(), 1U) << "timed out: " << exchange.timed_out;
  expect_task_outcome(client(), exchange.answers.front(), resized());
}

}  // namespace
}  // namespace image_resize::integration
