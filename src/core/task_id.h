#pragma once
// A task's identity: a random (version 4) UUID, always held in canonical lowercase form.

#include <compare>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace image_resize::core {

class TaskId {
 public:
  // A fresh random id. Thread-safe.
  static TaskId generate();
  // Accepts the canonical 8-4-4-4-12 hex form in either case; anything else is nullopt.
  static std::optional<TaskId> parse(std::string_view text);

  const std::string& str() const { return text_; }
  auto operator<=>(const TaskId&) const = default;

 private:
  explicit TaskId(std::string text) : text_(std::move(text)) {}
  std::string text_;
};

}  // namespace image_resize::core

template <>
struct std::hash<image_resize::core::TaskId> {
  std::size_t operator()(const image_resize::core::TaskId& id) const noexcept {
    return std::hash<std::string>{}(id.str());
  }
};
