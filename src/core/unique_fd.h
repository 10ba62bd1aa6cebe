#pragma once
// Owns a file descriptor and closes it when destroyed: one owner, moved, never copied.

#include <unistd.h>

#include <utility>

namespace image_resize::core {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }  // -1 when none
  bool valid() const { return fd_ >= 0; }
  // Closes now and returns close(2)'s result: some filesystems report delayed write errors there.
  int close_now() { return fd_ >= 0 ? ::close(std::exchange(fd_, -1)) : 0; }
  void reset() { (void)close_now(); }
  // Gives the descriptor up to a new owner, which must close it; -1 when none.
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_ = -1;
};

}  // namespace image_resize::core
