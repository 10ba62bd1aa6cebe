#pragma once
// The requests of one connection, one after another: the header under the header timeout, an
// answer before the body when one is due (too large, not multipart), the body under its route's
// limit, the dispatcher's response, then keep-alive or close. Stream is beast::tcp_stream or
// TlsStream (http/tls.h); session.cpp instantiates both.

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <string>

#include "http/api_context.h"
#include "http/dispatcher.h"
#include "http/request_metrics.h"

namespace image_resize::http {

// Counts something (a connection, a request) for as long as the object lives.
class InFlight {
 public:
  explicit InFlight(std::atomic<int>& counter) : counter_(counter) { ++counter_; }
  ~InFlight() { --counter_; }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

 private:
  std::atomic<int>& counter_;
};

// What every session of a server shares.
struct SessionShared {
  ApiContext& ctx;
  Dispatcher& dispatcher;
  RequestMetrics& request_metrics;
  std::atomic<int>& requests_in_flight;  // for the shutdown drain
  const std::atomic<bool>& stopping;     // no new request once set
};

template <class Stream>
boost::asio::awaitable<void> run_session(Stream& stream, const std::string& client_address,
                                         SessionShared& shared);

}  // namespace image_resize::http
