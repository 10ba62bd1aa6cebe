#pragma once
// The body of every request: a std::string, as with Beast's string_body, but read by appending
// each chunk. string_body's reader resizes the string first, which zero-fills the room and then
// copies the chunk over it: every byte of an upload written twice (1 % of the service's CPU on
// 4000×3000 uploads, in memset).

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/optional.hpp>
#include <cstdint>
#include <string>

namespace image_resize::http {

struct RequestBody {
  using value_type = std::string;

  static std::uint64_t size(const value_type& body) { return body.size(); }

  // Writing a request (the tests' client) is string_body's.
  using writer = boost::beast::http::string_body::writer;

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(boost::beast::http::header<isRequest, Fields>& /*header*/, value_type& body)
        : body_(body) {}

    void init(const boost::optional<std::uint64_t>& length, boost::beast::error_code& error) {
      error = {};
      if (!length) return;  // chunked: the string grows as chunks come
      if (*length > body_.max_size()) {
        error = boost::beast::http::error::buffer_overflow;
        return;
      }
      body_.reserve(static_cast<std::size_t>(*length));
    }

    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::beast::error_code& error) {
      error = {};
      std::size_t added = 0;
      for (auto it = boost::asio::buffer_sequence_begin(buffers);
           it != boost::asio::buffer_sequence_end(buffers); ++it) {
        const boost::asio::const_buffer chunk = *it;
        body_.append(static_cast<const char*>(chunk.data()), chunk.size());
        added += chunk.size();
      }
      return added;
    }

    void finish(boost::beast::error_code& error) { error = {}; }

   private:
    value_type& body_;
  };
};

}  // namespace image_resize::http
