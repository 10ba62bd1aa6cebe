#pragma once
// Runs blocking calls (store, queue, blobs, header probes) on a thread pool and resumes the
// calling coroutine on its own executor, so I/O threads never wait on a disk or a network.

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>
#include <type_traits>
#include <utility>

namespace image_resize::http {

class BlockingExecutor {
 public:
  explicit BlockingExecutor(int threads) : pool_(static_cast<std::size_t>(threads)) {}
  ~BlockingExecutor() { stop(); }

  // co_await run([&] { return store.get(id); }) — f runs on the pool, its result (or exception)
  // comes back to the awaiting coroutine.
  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F&>> run(F f) {
    using R = std::invoke_result_t<F&>;
    // co_spawn needs a default-constructible result, hence the optional.
    std::optional<R> result = co_await boost::asio::co_spawn(
        pool_.get_executor(),
        [f = std::move(f)]() mutable -> boost::asio::awaitable<std::optional<R>> {
          co_return std::optional<R>(f());
        },
        boost::asio::use_awaitable);
    co_return std::move(*result);
  }

  void stop() {
    pool_.stop();
    pool_.join();
  }

 private:
  boost::asio::thread_pool pool_;
};

}  // namespace image_resize::http
