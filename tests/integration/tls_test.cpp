// Native TLS (--tls-cert, --tls-key): the API over HTTPS with a certificate the clients verify,
// keep-alive on one TLS connection, plain HTTP and silent or trickling clients on the TLS port
// closed without harm to the others, SIGTERM with TLS connections open, and certificate files
// that stop the start with a clear message.
#include <chrono>
#include <fstream>
#include <thread>

#include "integration/api_helpers.h"
#include "support/prometheus_text.h"
#include "support/raw_connection.h"
#include "support/temp_dir.h"
#include "support/tls_certificate.h"

namespace image_resize::integration {
namespace {

using namespace std::chrono_literals;

using testing::RawConnection;
using testing::TlsCertificate;

// Made once per test process: a server's certificate and key, and another pair it does not use.
struct Certificates {
  testing::TempDir dir{"image-resize-tls-"};
  TlsCertificate server = testing::make_self_signed_certificate(dir.path(), "server");
  TlsCertificate other = testing::make_self_signed_certificate(dir.path(), "other");
};
const Certificates& certificates() {
  static const Certificates made;
  return made;
}

std::vector<std::string> tls_flags(const std::filesystem::path& cert,
                                   const std::filesystem::path& key) {
  return {"--tls-cert", cert.string(), "--tls-key", key.string()};
}

TlsClientOptions trusting(const TlsCertificate& ca, std::string server_name = "localhost") {
  return {.ca_file = ca.cert, .server_name = std::move(server_name)};
}

double metric(HttpClient& client, const std::string& series) {
  const HttpResponse response = client.get("/metrics");
  EXPECT_EQ(response.status, 200) << response;
  return testing::parse_exposition(response.body).value(series);
}

const std::string kPlainHttpFailures =
    R"(image_resize_tls_handshake_failures_total{kind="plain_http"})";
const std::string kTimedOutHandshakes =
    R"(image_resize_tls_handshake_failures_total{kind="timeout"})";

class Tls : public SharedServerTest {
 public:
  static void SetUpTestSuite() {
    const TlsCertificate& server = certificates().server;
    std::vector<std::string> args = tls_flags(server.cert, server.key);
    // A short header timeout for the slow-loris case; workers serve metrics over TLS too.
    args.insert(args.end(), {"--header-timeout", "2s", "--metrics-port", "0"});
    start_with(args, trusting(server));
  }
};

TEST_F(Tls, UploadWaitAndDownloadOverHttps) {
  const std::string bytes = resize(client(), fixture("photo.jpg"), {{"width", "40"}});
  const auto info = inspect_image(bytes);
  ASSERT_TRUE(info) << "the result is not an image";
  EXPECT_EQ(info->format, "jpeg");
  EXPECT_EQ(info->width, 40);
}

TEST_F(Tls, KeepAliveServesManyRequestsOnOneTlsConnection) {
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(client().get("/healthz").status, 200) << i;
    EXPECT_TRUE(is_json_error(
        client().get(std::string(kStatusPath) + "c4ac4a34-40a2-4750-a158-767c2c68164d"), 404,
        "task_not_found"));
  }
  EXPECT_EQ(client().connections_opened(), 1);
}

TEST_F(Tls, TheServerProvesTheConfiguredCertificate) {
  // The checks are real: a client that trusts another certificate, or expects another name,
  // refuses this server; one that asks for 127.0.0.1 by address accepts it.
  HttpClient wrong_ca(client_port(), trusting(certificates().other), 5s);
  const HttpResponse untrusted = wrong_ca.get("/healthz");
  EXPECT_EQ(untrusted.status, 0) << untrusted;
  HttpClient wrong_name(client_port(), trusting(certificates().server, "example.com"), 5s);
  const HttpResponse misnamed = wrong_name.get("/healthz");
  EXPECT_EQ(misnamed.status, 0) << misnamed;
  HttpClient by_address(client_port(), trusting(certificates().server, "127.0.0.1"), 5s);
  EXPECT_EQ(by_address.get("/healthz").status, 200);
}

TEST_F(Tls, PlainHttpIsAnsweredAndClosedAndHttpsGoesOn) {
  const double before = metric(client(), kPlainHttpFailures);
  HttpClient plain(client_port(), 5s);
  const HttpResponse answer = plain.get("/healthz");
  EXPECT_TRUE(is_json_error(answer, 400, "malformed_request")) << answer;
  EXPECT_EQ(answer.header("Connection").value_or(""), "close") << answer;
  EXPECT_NE(answer.body.find("https"), std::string::npos) << answer;
  // A pipelining plain client, or one that never reads: closed all the same.
  RawConnection raw(client_port());
  ASSERT_TRUE(raw.connected());
  raw.send(
      "POST /api/v1/images/resize HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(raw.closed_by_server(5s));
  EXPECT_EQ(client().get("/healthz").status, 200);
  EXPECT_EQ(metric(client(), kPlainHttpFailures) - before, 2);
  // Not worth an operator's attention: debug only, and no exception.
  EXPECT_EQ(server().count_in_log("TLS handshake failed"), 0u);
  EXPECT_EQ(server().count_in_log("connection ended by an exception"), 0u);
}

TEST_F(Tls, SilentAndTricklingClientsAreCutAtTheHeaderTimeout) {
  const double before = metric(client(), kTimedOutHandshakes);
  RawConnection silent(client_port());
  RawConnection trickling(client_port());
  ASSERT_TRUE(silent.connected() && trickling.connected());
  trickling.set_no_delay();
  trickling.send(std::string("\x16\x03\x01\x00\xc8\x01", 6));  // a ClientHello's first bytes
  // Not closed at once: they get the header timeout (2 s), as a slow HTTP client does...
  EXPECT_FALSE(silent.closed_by_server(300ms));
  // ...and meanwhile new TLS connections are served.
  for (int i = 0; i < 5; ++i) {
    const auto fresh = new_client(client_port(), 5s);
    EXPECT_EQ(fresh->get("/healthz").status, 200) << i;
  }
  EXPECT_TRUE(silent.closed_by_server(10s));
  EXPECT_TRUE(trickling.closed_by_server(10s));
  // The timer closes the socket first; the handshake's end, which counts it, comes after.
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (metric(client(), kTimedOutHandshakes) - before < 2 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(metric(client(), kTimedOutHandshakes) - before, 2);
}

TEST_F(Tls, WorkersServeTheirMetricsPortOverTls) {
  if (server().backend() == testing::Backend::sqlite) {
    GTEST_SKIP() << "serve has one port for everything";
  }
  const auto ports = worker_metrics_ports(server());
  ASSERT_EQ(ports.size(), server().process_count() - 2) << server().log_tail();
  for (std::uint16_t port : ports) {
    const auto worker = new_client(port, 5s);
    EXPECT_EQ(worker->get("/healthz").status, 200) << port;
    HttpClient plain(port, 5s);
    EXPECT_EQ(plain.get("/healthz").status, 400) << port;
  }
}

TEST(TlsShutdown, SigtermWithTlsConnectionsOpenExitsCleanly) {
  const TlsCertificate& server = certificates().server;
  auto deployment = start_server(tls_flags(server.cert, server.key));
  ASSERT_TRUE(deployment->started());
  const std::uint16_t port = deployment->port();
  HttpClient kept_alive(port, trusting(server), 5s);
  ASSERT_EQ(kept_alive.get("/healthz").status, 200);
  RawConnection mid_handshake(port);
  mid_handshake.send(std::string("\x16\x03\x01", 3));
  EXPECT_EQ(deployment->terminate(), 0) << deployment->log_tail();
}

// A flag without its partner is a usage error (2); files that do not hold a matching
// certificate and key stop the start (1). Either way the log says which flag and why.
struct BadTlsStart {
  const char* name;
  std::vector<std::string> args;
  int exit_code;
  std::vector<std::string> said;
};

TEST(TlsStartup, BadCertificateFilesStopTheStart) {
  const Certificates& made = certificates();
  testing::TempDir dir("image-resize-tls-bad-");
  const auto garbage = dir.path() / "garbage.pem";
  std::ofstream(garbage) << "-----BEGIN CERTIFICATE-----\nnot base64 at all\n"
                            "-----END CERTIFICATE-----\n";
  const auto missing = dir.path() / "missing.pem";
  const std::vector<BadTlsStart> cases = {
      {"cert without key", {"--tls-cert", made.server.cert.string()}, 2, {"--tls-key"}},
      {"key without cert", {"--tls-key", made.server.key.string()}, 2, {"--tls-cert"}},
      {"key of another cert",
       tls_flags(made.server.cert, made.other.key),
       1,
       {"--tls-key", "match"}},
      {"garbage certificate", tls_flags(garbage, made.server.key), 1, {"--tls-cert", "PEM"}},
      {"garbage key", tls_flags(made.server.cert, garbage), 1, {"--tls-key", "PEM"}},
      {"key as certificate", tls_flags(made.server.key, made.server.key), 1, {"--tls-cert"}},
      {"missing certificate",
       tls_flags(missing, made.server.key),
       1,
       {"--tls-cert", "No such file"}},
  };
  for (const BadTlsStart& bad : cases) {
    testing::ServerOptions options;
    options.args = bad.args;
    const FailedStart start = start_expecting_failure(options);
    EXPECT_FALSE(start.started) << bad.name;
    EXPECT_EQ(start.exit_code, bad.exit_code) << bad.name << "\n" << start.log;
    for (const std::string& words : bad.said) {
      EXPECT_NE(start.log.find(words), std::string::npos)
          << bad.name << ": no '" << words << "' in\n"
          << start.log;
    }
    EXPECT_EQ(start.log.find("terminate called"), std::string::npos) << bad.name;
  }
}

}  // namespace
}  // namespace image_resize::integration
