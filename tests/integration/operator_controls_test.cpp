// Operators steer the workers (issue #22): the concurrency of one worker or of every worker, and
// pause/resume, set through the operator routes and applied by each worker at its next heartbeat
// (the default interval); an admin key, or loopback with --admin-on-loopback, and nobody else.
#include <atomic>
#include <deque>
#include <fstream>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

#include "integration/api_helpers.h"
#include "support/prometheus_text.h"
#include "support/temp_dir.h"

namespace image_resize::integration {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kWorkersPath = "/api/v1/workers";
constexpr const char* kAdminKey = "ops-4f7c1a9e2d6b8035";
constexpr const char* kUserKey = "user-9b3e5d1c7a2f4086";

testing::HeaderList json_headers(const std::string& key = {}) {
  testing::HeaderList headers{{"Content-Type", "application/json"}};
  if (!key.empty()) headers.emplace_back("Authorization", "Bearer " + key);
  return headers;
}

// A 2000x2000 PNG: tens of milliseconds of resizing, so that slots are seen busy.
const std::string& busy_image() {
  static const std::string bytes = blank_image(2000, 2000, 3, ".png");
  return bytes;
}

// Uploads keep coming, with about `depth` tasks waiting, until the object is destroyed.
class SteadyLoad {
 public:
  SteadyLoad(std::uint16_t port, int depth) : thread_([this, port, depth] { run(port, depth); }) {}
  ~SteadyLoad() {
    stop_ = true;
    thread_.join();
  }
  std::vector<std::string> ids() {
    std::lock_guard lock(mutex_);
    return ids_;
  }

 private:
  void run(std::uint16_t port, int depth) {
    HttpClient client(port);
    std::deque<std::string> waiting;
    while (!stop_) {
      while (static_cast<int>(waiting.size()) < depth && !stop_) {
        // Each its own width: a repeated upload would reuse a result instead of loading a worker.
        const HttpResponse accepted =
            submit(client, busy_image(), {{"width", std::to_string(64 + uploads_++ % 1000)}});
        if (accepted.status != 202) break;
        waiting.push_back(task_id_of(accepted));
        std::lock_guard lock(mutex_);
        ids_.push_back(waiting.back());
      }
      const HttpResponse status = client.get(std::string(kStatusPath) + waiting.front());
      if (status.status == 200 && is_terminal(nlohmann::json::parse(status.body))) {
        waiting.pop_front();
      } else {
        std::this_thread::sleep_for(20ms);
      }
    }
  }

  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::vector<std::string> ids_;  // guarded by mutex_
  int uploads_ = 0;               // used by thread_ only
  std::thread thread_;
};

class OperatorControls : public SharedServerTest {
 public:
  static void SetUpTestSuite() {
    start_with({"--admin-on-loopback", "true", "--workers", "2", "--metrics-port", "0"});
  }

 protected:
  nlohmann::json workers() {
    const HttpResponse listed = client().get(std::string(kWorkersPath));
    EXPECT_EQ(listed.status, 200) << listed;
    return listed.status == 200 ? nlohmann::json::parse(listed.body)["workers"]
                                : nlohmann::json::array();
  }
  // Every worker process of the deployment, once each has beaten (serve: itself).
  std::vector<std::string> alive_worker_names() {
    const std::size_t expected = server().backend() == testing::Backend::sqlite
                                     ? 1
                                     : server().process_count() - server().http_process_count();
    std::vector<std::string> names;
    for (int i = 0; i < 100 && names.size() < expected; ++i) {
      names.clear();
      for (const auto& worker : workers()) {
        if (worker.value("alive", false)) names.push_back(worker["name"]);
      }
      if (names.size() < expected) std::this_thread::sleep_for(100ms);
    }
    EXPECT_EQ(names.size(), expected);
    return names;
  }
  HttpResponse patch(const std::string& target, const nlohmann::json& body,
                     const std::string& key = {}) {
    return client().request("PATCH", target, json_headers(key), body.dump());
  }
  // Polls GET /api/v1/workers until `name`'s heartbeat says `field` is `value`.
  ::testing::AssertionResult reported(const std::string& name, const char* field,
                                      const nlohmann::json& value) {
    nlohmann::json last;
    for (int i = 0; i < 100; ++i) {
      for (const auto& worker : workers()) {
        if (worker["name"] == name) last = worker;
      }
      if (last.value(field, nlohmann::json()) == value) return ::testing::AssertionSuccess();
      std::this_thread::sleep_for(100ms);
    }
    return ::testing::AssertionFailure() << name << " still reports " << last.dump();
  }
  // The /metrics of every process that runs workers.
  std::vector<std::uint16_t> worker_ports() {
    if (server().backend() == testing::Backend::sqlite) return {client_port()};
    return worker_metrics_ports(server());
  }
  double gauge(std::uint16_t port, const std::string& series) {
    HttpClient scraper(port);
    return testing::parse_exposition(scraper.get("/metrics").body).value(series);
  }
  void set_every_worker(const nlohmann::json& body) {
    const HttpResponse accepted = patch(std::string(kWorkersPath), body);
    ASSERT_EQ(accepted.status, 202) << accepted;
    const auto answer = nlohmann::json::parse(accepted.body);
    EXPECT_EQ(answer["worker"], "*");
    EXPECT_GT(answer.value("sequence", 0), 0);
  }
};

TEST_F(OperatorControls, LoweringConcurrencyToOneKeepsEachWorkerAtOneBusySlotUntilRaised) {
  SteadyLoad load(client_port(), 6);
  const auto names = alive_worker_names();
  ASSERT_FALSE(names.empty());
  for (const auto& name : names) ASSERT_TRUE(reported(name, "threads", 2));

  set_every_worker({{"concurrency", 1}});
  for (const auto& name : names) ASSERT_TRUE(reported(name, "threads", 1));
  // The tasks running at the change finish; from then on no more than one runs at once.
  std::this_thread::sleep_for(2s);
  for (std::uint16_t port : worker_ports()) {
    EXPECT_EQ(gauge(port, "image_resize_workers"), 1.0);
    EXPECT_EQ(gauge(port, "image_resize_imaging_processes"), 1.0);  // helpers follow
    double most = 0;
    for (int i = 0; i < 40; ++i) {
      most = std::max(most, gauge(port, "image_resize_workers_busy"));
      std::this_thread::sleep_for(50ms);
    }
    EXPECT_LE(most, 1.0);
  }

  set_every_worker({{"concurrency", 2}});
  for (const auto& name : names) ASSERT_TRUE(reported(name, "threads", 2));
  for (std::uint16_t port : worker_ports()) {
    double most = 0;
    for (int i = 0; i < 400 && most < 2.0; ++i) {
      most = std::max(most, gauge(port, "image_resize_workers_busy"));
      std::this_thread::sleep_for(25ms);
    }
    EXPECT_EQ(most, 2.0) << "two tasks never ran at once again on port " << port;
    EXPECT_EQ(gauge(port, "image_resize_imaging_processes"), 2.0);
  }
  // Every task of the load still ends SUCCESS.
  for (const auto& id : load.ids()) {
    EXPECT_EQ(wait_for_task(client(), id, 120).value("status", ""), "SUCCESS") << id;
  }
  EXPECT_TRUE(server().wait_for_log("operator action", 1s));
  EXPECT_GE(server().count_in_log("worker concurrency changed"), 2u * names.size());
}

TEST_F(OperatorControls, ChangingOneWorkerLeavesTheOthers) {
  const auto names = alive_worker_names();
  ASSERT_FALSE(names.empty());
  const HttpResponse accepted =
      patch(std::string(kWorkersPath) + "/" + names[0], {{"concurrency", 3}});
  ASSERT_EQ(accepted.status, 202) << accepted;
  EXPECT_EQ(nlohmann::json::parse(accepted.body)["worker"], names[0]);
  ASSERT_TRUE(reported(names[0], "threads", 3));
  for (std::size_t i = 1; i < names.size(); ++i) EXPECT_TRUE(reported(names[i], "threads", 2));
  set_every_worker({{"concurrency", 2}});
  ASSERT_TRUE(reported(names[0], "threads", 2));
}

TEST_F(OperatorControls, APausedWorkerStartsNothingNewAndResumes) {
  const auto names = alive_worker_names();
  ASSERT_FALSE(names.empty());
  const std::string paused = names[0];
  ASSERT_EQ(patch(std::string(kWorkersPath) + "/" + paused, {{"paused", true}}).status, 202);
  ASSERT_TRUE(reported(paused, "paused", true));
  // Counted, not cut at an offset: log() joins the logs of every process of the deployment.
  const std::regex started_on_paused("task started task_id=\\S+ attempt=\\d+ worker=" + paused +
                                     "\\b");
  const auto starts_on_paused = [&] {
    const std::string log = server().log();
    return std::distance(std::sregex_iterator(log.begin(), log.end(), started_on_paused),
                         std::sregex_iterator());
  };
  const auto started_before = starts_on_paused();

  std::vector<std::string> ids;
  for (int i = 0; i < 8; ++i) {
    const HttpResponse accepted =
        submit(client(), busy_image(), {{"width", std::to_string(48 + i)}});  // none reused
    ASSERT_EQ(accepted.status, 202) << accepted;
    ids.push_back(task_id_of(accepted));
  }
  if (names.size() > 1) {
    // The other worker drains the queue; none of the tasks starts on the paused one.
    for (const auto& id : ids) {
      EXPECT_EQ(wait_for_task(client(), id, 120).value("status", ""), "SUCCESS") << id;
    }
  } else {
    // Alone, it leaves them waiting (and still beats: it is paused, not dead).
    std::this_thread::sleep_for(5s);
    for (const auto& id : ids) {
      const auto status = nlohmann::json::parse(client().get(std::string(kStatusPath) + id).body);
      EXPECT_EQ(status.value("status", ""), "PENDING") << status.dump();
    }
    EXPECT_TRUE(reported(paused, "alive", true));
  }
  EXPECT_EQ(starts_on_paused(), started_before) << server().log_tail(60);
  for (std::uint16_t port : worker_ports()) {
    if (server().backend() == testing::Backend::sqlite) {
      EXPECT_EQ(gauge(port, "image_resize_worker_paused"), 1.0);
    }
  }

  ASSERT_EQ(patch(std::string(kWorkersPath) + "/" + paused, {{"paused", false}}).status, 202);
  ASSERT_TRUE(reported(paused, "paused", false));
  for (const auto& id : ids) {
    EXPECT_EQ(wait_for_task(client(), id, 120).value("status", ""), "SUCCESS") << id;
  }
  EXPECT_TRUE(server().wait_for_log("worker resumed", 5s));
}

TEST_F(OperatorControls, BadCommandsGetA4xxWithTheFieldsCode) {
  const auto names = alive_worker_names();
  ASSERT_FALSE(names.empty());
  const std::string one = std::string(kWorkersPath) + "/" + names[0];
  struct Case {
    std::string body;
    int status;
    const char* code;
  };
  for (const Case& bad : std::vector<Case>{
           {R"({"concurrency": 0})", 422, "invalid_concurrency"},
           {R"({"concurrency": 100000})", 422, "invalid_concurrency"},
           {R"({"concurrency": "2"})", 422, "invalid_concurrency"},
           {R"({"concurrency": 1.5})", 422, "invalid_concurrency"},
           {R"({"paused": "yes"})", 422, "invalid_paused"},
           {R"({})", 422, "invalid_body"},
           {R"({"threads": 2})", 422, "invalid_body"},
           {R"([1, 2])", 422, "invalid_body"},
           {R"({"concurrency": )", 422, "invalid_body"},
       }) {
    const HttpResponse refused = client().request("PATCH", one, json_headers(), bad.body);
    EXPECT_TRUE(is_json_error(refused, bad.status, bad.code)) << bad.body << " → " << refused;
  }
  const HttpResponse text =
      client().request("PATCH", one, {{"Content-Type", "text/plain"}}, R"({"paused": true})");
  EXPECT_TRUE(is_json_error(text, 415, "unsupported_media_type")) << text;
  EXPECT_TRUE(
      is_json_error(patch(std::string(kWorkersPath) + "/no-such-worker-1", {{"paused", true}}), 404,
                    "worker_not_found"));
  const HttpResponse post = client().request("POST", one, json_headers(), "{}");
  EXPECT_EQ(post.status, 405) << post;
  // Nothing changed.
  EXPECT_TRUE(reported(names[0], "paused", false));
  EXPECT_TRUE(server_is_alive(client_port()));
}

TEST_F(OperatorControls, EveryActionIsCountedInTheApiMetrics) {
  double before = 0;
  for (std::size_t i = 0; i < server().http_process_count(); ++i) {
    HttpClient api(server().port());
    before += testing::parse_exposition(api.get("/metrics").body)
                  .value(R"(image_resize_operator_actions_total{action="pause"})");
  }
  set_every_worker({{"paused", true}});
  set_every_worker({{"paused", false}});
  double after = 0;
  double resumed = 0;
  for (std::size_t i = 0; i < server().http_process_count(); ++i) {
    HttpClient api(server().port());
    const auto metrics = testing::parse_exposition(api.get("/metrics").body);
    after += metrics.value(R"(image_resize_operator_actions_total{action="pause"})");
    resumed += metrics.value(R"(image_resize_operator_actions_total{action="resume"})");
  }
  EXPECT_EQ(after, before + 1);
  EXPECT_GE(resumed, 1);
}

// Default flags: no API keys and no --admin-on-loopback, so the operator routes are off.
class OperatorRoutesOff : public SharedServerTest {};

TEST_F(OperatorRoutesOff, AreRefusedWith403AndChangeNothing) {
  const HttpResponse list = client().get(std::string(kWorkersPath));
  EXPECT_TRUE(is_json_error(list, 403, "operator_routes_off")) << list;
  const HttpResponse change =
      client().request("PATCH", std::string(kWorkersPath), json_headers(), R"({"paused": true})");
  EXPECT_TRUE(is_json_error(change, 403, "operator_routes_off")) << change;
  EXPECT_EQ(server().count_in_log("operator action"), 0u);
  // The dashboard still lists the workers, unpaused.
  const auto dashboard = nlohmann::json::parse(client().get("/api/v1/dashboard").body);
  for (const auto& worker : dashboard["workers"]) EXPECT_FALSE(worker.value("paused", true));
}

class OperatorKeys : public SharedServerTest {
 public:
  static void SetUpTestSuite() {
    static testing::TempDir dir("image-resize-operator-keys-");
    const auto file = dir.path() / "keys";
    std::ofstream(file) << kAdminKey << " ops-team admin\n" << kUserKey << " uploader\n";
    // --admin-on-loopback does not matter once keys are on: only admin keys may.
    start_with({"--api-keys-file", file.string(), "--admin-on-loopback", "true"});
  }
};

TEST_F(OperatorKeys, OnlyAnAdminKeyMayAndTheLogNamesIt) {
  const std::string all(kWorkersPath);
  const std::string body = R"({"paused": true})";
  const HttpResponse anonymous = client().request("PATCH", all, json_headers(), body);
  EXPECT_TRUE(is_json_error(anonymous, 401, "unauthorized")) << anonymous;
  const HttpResponse user = client().request("PATCH", all, json_headers(kUserKey), body);
  EXPECT_TRUE(is_json_error(user, 403, "admin_required")) << user;
  const HttpResponse user_list =
      client().get(all, {{"Authorization", std::string("Bearer ") + kUserKey}});
  EXPECT_TRUE(is_json_error(user_list, 403, "admin_required")) << user_list;
  EXPECT_EQ(server().count_in_log("operator action"), 0u);
  // A non-admin key still uploads as before.
  const MultipartBody form = resize_form(fixture("photo.jpg"), {{"width", "20"}});
  const HttpResponse upload = client().request(
      "POST", kResizePath,
      {{"Authorization", std::string("Bearer ") + kUserKey}, {"Content-Type", form.content_type()}},
      form.body());
  EXPECT_EQ(upload.status, 202) << upload;

  const HttpResponse admin =
      client().request("PATCH", all, json_headers(kAdminKey), R"({"concurrency": 1})");
  EXPECT_EQ(admin.status, 202) << admin;
  EXPECT_TRUE(server().wait_for_log("operator action key=ops-team", 5s)) << server().log_tail();
  EXPECT_EQ(server().count_in_log(kAdminKey), 0u);  // the key itself never reaches the log
  const HttpResponse listed =
      client().get(all, {{"Authorization", std::string("Bearer ") + kAdminKey}});
  ASSERT_EQ(listed.status, 200) << listed;
  const auto workers = nlohmann::json::parse(listed.body)["workers"];
  ASSERT_FALSE(workers.empty());
  // The non-admin's pause never happened: nobody paused within two heartbeats.
  std::this_thread::sleep_for(4500ms);
  const auto later = nlohmann::json::parse(
      client().get(all, {{"Authorization", std::string("Bearer ") + kAdminKey}}).body)["workers"];
  for (const auto& worker : later) {
    EXPECT_FALSE(worker.value("paused", true)) << worker.dump();
    if (worker.value("alive", false)) {
      EXPECT_EQ(worker.value("threads", 0), 1) << worker.dump();
    }
  }
}

// --persist-pool-size: what was set for every worker survives a restart only when asked.
TEST(OperatorPersistence, ARestartedWorkerKeepsItsSettingsOnlyWithPersistPoolSize) {
  testing::TempDir dir("image-resize-persist-");
  const auto data = dir.path() / "data";
  const std::vector<std::string> flags{"--admin-on-loopback", "true", "--workers", "2"};
  auto threads_after_start = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = flags;
    args.insert(args.end(), extra.begin(), extra.end());
    auto server = start_server(args, data);
    HttpClient client(server->port());
    int threads = -1;
    for (int i = 0; i < 100 && threads < 0; ++i) {
      const auto workers =
          nlohmann::json::parse(client.get(std::string(kWorkersPath)).body)["workers"];
      for (const auto& worker : workers) {
        if (worker.value("alive", false) && worker.value("started_at", "") != "") {
          threads = worker.value("threads", -1);
        }
      }
      std::this_thread::sleep_for(100ms);
    }
    return std::make_pair(std::move(server), threads);
  };
  {
    auto [server, threads] = threads_after_start({});
    ASSERT_EQ(threads, 2);
    HttpClient client(server->port());
    const HttpResponse accepted =
        client.request("PATCH", std::string(kWorkersPath), json_headers(), R"({"concurrency": 1})");
    ASSERT_EQ(accepted.status, 202) << accepted;
    ASSERT_TRUE(server->wait_for_log("worker concurrency changed", 10s)) << server->log_tail();
    EXPECT_EQ(server->terminate(), 0);
  }
  {
    auto [server, threads] = threads_after_start({});
    EXPECT_EQ(threads, 2) << "without --persist-pool-size a restart starts from --workers";
    EXPECT_EQ(server->terminate(), 0);
  }
  {
    auto [server, threads] = threads_after_start({"--persist-pool-size", "true"});
    // Applied before its first heartbeat.
    EXPECT_EQ(threads, 1);
    EXPECT_TRUE(server->wait_for_log("worker concurrency changed", 10s)) << server->log_tail();
    EXPECT_EQ(server->terminate(), 0);
  }
}

}  // namespace
}  // namespace image_resize::integration
