#include "outbound/transfer.h"

#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <optional>

namespace image_resize::outbound {
namespace {

using Clock = std::chrono::steady_clock;

// Of an answer that is not 2xx: enough for a log line; the rest is not read.
constexpr std::size_t kErrorBodyKept = 4096;
// How long curl_multi_poll may sleep: the idle timeout is checked at least this often.
constexpr int kPollMs = 20;

struct Transfer {
  const Hop* hop = nullptr;
  CURL* easy = nullptr;
  Clock::time_point last_byte = Clock::now();
  std::uint64_t received = 0;  // of a 2xx body
  std::string body;
  bool idle_expired = false;
  bool too_large = false;
  bool error_body_full = false;  // stopped on purpose: the answer is complete enough
  std::optional<core::Error> sink_error;
};

long response_status(CURL* easy) {
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  return status;
}

std::size_t on_header(char*, std::size_t size, std::size_t count, void* user) {
  static_cast<Transfer*>(user)->last_byte = Clock::now();
  return size * count;
}

// Returns what the callback takes; less stops the transfer (CURLE_WRITE_ERROR).
std::size_t take_body(Transfer& transfer, std::string_view chunk) {
  if (response_status(transfer.easy) / 100 != 2) {
    transfer.body.append(chunk.substr(0, kErrorBodyKept - transfer.body.size()));
    transfer.error_body_full = transfer.body.size() == kErrorBodyKept;
    return transfer.error_body_full ? 0 : chunk.size();
  }
  transfer.received += chunk.size();
  const Hop& hop = *transfer.hop;
  if (hop.max_bytes != 0 && transfer.received > hop.max_bytes) {
    transfer.too_large = true;
    return 0;
  }
  if (hop.sink == nullptr || !*hop.sink) {
    transfer.body.append(chunk);
    return chunk.size();
  }
  if (core::Status taken = (*hop.sink)(chunk); !taken.ok()) {
    transfer.sink_error = taken.error();
    return 0;
  }
  return chunk.size();
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  transfer->last_byte = Clock::now();
  return take_body(*transfer, std::string_view(data, size * count));
}

// Called by curl while it waits as well as when bytes come: ends a silent transfer.
int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* transfer = static_cast<Transfer*>(user);
  transfer->idle_expired = Clock::now() - transfer->last_byte > transfer->hop->idle_timeout;
  return transfer->idle_expired ? 1 : 0;
}

struct SlistFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistFree>;

void append(Slist& list, const std::string& item) {
  list.reset(curl_slist_append(list.release(), item.c_str()));
}

// "host:port:addr,[v6addr]": curl connects to these and looks nothing up itself.
std::string resolve_entry(const Hop& hop) {
  std::string entry = hop.url->host + ":" + std::to_string(hop.url->port) + ":";
  for (std::size_t i = 0; i < hop.addresses.size(); ++i) {
    const std::string& address = hop.addresses[i];
    if (i > 0) entry += ',';
    entry += address.find(':') == std::string::npos ? address : "[" + address + "]";
  }
  return entry;
}

long ms(std::chrono::milliseconds duration) {
  return static_cast<long>(std::max<std::chrono::milliseconds::rep>(duration.count(), 1));
}

void set_options(CURL* easy, const Hop& hop, Transfer& transfer, const Slist& headers,
                 const Slist& resolve, char* error_detail) {
  curl_easy_setopt(easy, CURLOPT_URL, hop.url->url.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  if (resolve) curl_easy_setopt(easy, CURLOPT_RESOLVE, resolve.get());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "image-resize");
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                   ms(std::min(hop.connect_timeout, hop.total_timeout)));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, ms(hop.total_timeout));
  if (hop.max_bytes != 0) {
    curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(hop.max_bytes));
  }
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_detail);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(easy, CURLOPT_XFERINFODATA, &transfer);
  if (hop.method == "POST") {
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, hop.body.data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(hop.body.size()));
  }
}

// curl_easy_perform, but polling at most kPollMs at a time, so that the progress callback (and
// with it the idle timeout) runs every few milliseconds rather than once a second.
CURLcode run(CURL* easy) {
  CURLM* multi = curl_multi_init();
  if (multi == nullptr) return CURLE_OUT_OF_MEMORY;
  curl_multi_add_handle(multi, easy);
  int running = 1;
  while (running != 0) {
    if (curl_multi_perform(multi, &running) != CURLM_OK) break;
    if (running != 0) curl_multi_poll(multi, nullptr, 0, kPollMs, nullptr);
  }
  CURLcode code = CURLE_RECV_ERROR;
  int left = 0;
  while (CURLMsg* message = curl_multi_info_read(multi, &left)) {
    if (message->msg == CURLMSG_DONE) code = message->data.result;
  }
  curl_multi_remove_handle(multi, easy);
  curl_multi_cleanup(multi);
  return code;
}

core::Error failure(const Hop& hop, core::ErrorCode code, std::string public_message,
                    CURLcode curl_code, const char* detail) {
  std::string internal =
      std::string(hop.method) + " " + hop.url->url + ": " + curl_easy_strerror(curl_code);
  if (*detail != '\0') internal.append(" (").append(detail).append(")");
  return core::Error::make(code, std::move(public_message), std::move(internal));
}

core::Error transfer_error(const Hop& hop, const Transfer& transfer, CURLcode code,
                           const char* detail) {
  const std::string what(hop.what);
  if (transfer.sink_error) return *transfer.sink_error;
  if (transfer.too_large || code == CURLE_FILESIZE_EXCEEDED) {
    return failure(hop, core::ErrorCode::source_too_large,
                   what + " is larger than " + std::to_string(hop.max_bytes) + " bytes", code,
                   detail);
  }
  if (transfer.idle_expired || code == CURLE_OPERATION_TIMEDOUT) {
    const char* which = transfer.idle_expired ? "sent nothing for too long" : "took too long";
    return failure(hop, core::ErrorCode::source_timeout, what + " " + which, code, detail);
  }
  return failure(hop, core::ErrorCode::source_unreachable,
                 "Could not get an answer from " + what +
                     " (no connection, a TLS failure or the connection was lost)",
                 code, detail);
}

HopAnswer answer_of(CURL* easy, Transfer& transfer) {
  HopAnswer answer;
  answer.status = static_cast<int>(response_status(easy));
  const char* text = nullptr;
  if (curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &text) == CURLE_OK && text != nullptr) {
    answer.content_type = text;
  }
  text = nullptr;
  if (curl_easy_getinfo(easy, CURLINFO_REDIRECT_URL, &text) == CURLE_OK && text != nullptr) {
    answer.redirect_url = text;
  }
  answer.body = std::move(transfer.body);
  return answer;
}

struct EasyFree {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};

}  // namespace

core::Result<HopAnswer> perform_hop(const Hop& hop) {
  const std::unique_ptr<CURL, EasyFree> easy(curl_easy_init());
  if (!easy)
    return core::Error::make(core::ErrorCode::internal, "Internal error", "curl_easy_init");
  Transfer transfer;
  transfer.hop = &hop;
  transfer.easy = easy.get();
  Slist headers;
  if (hop.headers != nullptr) {
    for (const std::string& header : *hop.headers) append(headers, header);
  }
  append(headers, "Expect:");  // a POST waits for no 100 Continue
  Slist resolve;
  if (!hop.url->host_is_address) append(resolve, resolve_entry(hop));
  char error_detail[CURL_ERROR_SIZE] = {};
  set_options(easy.get(), hop, transfer, headers, resolve, error_detail);
  const CURLcode code = run(easy.get());
  if (code != CURLE_OK && !(code == CURLE_WRITE_ERROR && transfer.error_body_full)) {
    return transfer_error(hop, transfer, code, error_detail);
  }
  return answer_of(easy.get(), transfer);
}

}  // namespace image_resize::outbound
