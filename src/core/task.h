#pragma once
// A task as the TaskStore records it: the request, its state and, once terminal, its outcome.

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/error.h"
#include "core/resize_spec.h"
#include "core/task_id.h"

namespace image_resize::core {

// The states of the original Celery design: PENDING → STARTED → SUCCESS | FAILURE.
enum class TaskState { pending, started, success, failure };

std::string_view to_string(TaskState state);  // "PENDING", "STARTED", ...
std::optional<TaskState> parse_task_state(std::string_view text);
inline bool is_terminal(TaskState state) {
  return state == TaskState::success || state == TaskState::failure;
}

// What a successful task produced.
struct TaskOutput {
  int width = 0;
  int height = 0;
  ImageFormat format = ImageFormat::png;
  std::uint64_t bytes = 0;
  // A placeholder for a page to show while the result loads: its BlurHash and dominant colour
  // ("#rrggbb"). Empty for results stored before them.
  std::string blurhash{};
  std::string dominant_colour{};
  // The result's HTTP entity tag (result_entity_tag of its bytes), kept with the task so that a
  // conditional GET is answered without reading the blob. Empty for results stored before it.
  std::string etag;
  bool operator==(const TaskOutput&) const = default;
};

// Why a task failed, as shown in its status.
struct TaskFailure {
  ErrorCode code = ErrorCode::internal;
  std::string message;
  // The HTTP status the source answered, for source_http_error; 0 otherwise.
  int source_status = 0;
  bool operator==(const TaskFailure&) const = default;
};

// Where the webhook of a task with a callback_url stands. Pending from the moment the task ends
// (recorded with its final state) until a 2xx answer (delivered), or a 410 or the end of the retry
// time (failed).
enum class WebhookState { pending, delivered, failed };

std::string_view to_string(WebhookState state);  // "pending", "delivered", "failed"
std::optional<WebhookState> parse_webhook_state(std::string_view text);

struct WebhookDelivery {
  WebhookState state = WebhookState::pending;
  int attempts = 0;     // POSTs made so far
  int last_status = 0;  // the HTTP status of the last attempt; 0 when none answered
  bool operator==(const WebhookDelivery&) const = default;
};

struct TaskRecord {
  TaskId id;
  TaskState state = TaskState::pending;
  ResizeSpec spec;
  ImageFormat input_format = ImageFormat::jpeg;  // detected from the uploaded bytes
  TimePoint created_at;
  std::optional<TimePoint> started_at;
  std::optional<TimePoint> finished_at;
  TimePoint expires_at;                // the task, its input and its result are removed after this
  int attempts = 0;                    // how many times a worker has started it
  std::optional<TaskOutput> output;    // only when SUCCESS
  std::optional<TaskFailure> failure;  // only when FAILURE
  std::string owner;                   // the API key name that created it; empty when keys are off
  // The image's address when the client sent `url` instead of `file`: the worker fetches it.
  // Empty for uploads.
  std::string source_url;
  // Where the task's status is POSTed when it ends. Empty: no webhook.
  std::string callback_url;
  // Set with the final state of a task that has a callback_url.
  std::optional<WebhookDelivery> webhook;
  // The batch the task belongs to (an upload with variants, presets or several files); nullopt
  // for a single upload.
  std::optional<TaskId> batch_id{};
  // The input blob the task reads when it is shared with the batch's other outputs of one file;
  // nullopt: the task's own input (keyed by its id), as a single upload has.
  std::optional<TaskId> input_id{};
  // The variant's name within its batch; empty for a single upload.
  std::string variant{};
  // The result blob the task reads when it reuses the result of earlier work (a task with the
  // same content_key); nullopt: its own result, keyed by its id.
  std::optional<TaskId> result_id{};
  // core::content_key of its owner, input and spec: a later upload with the same key may reuse
  // its result. Empty: never reused, as for a task by `url` (its bytes are not known at upload)
  // or with a `callback_url` (it always runs, so that its webhook fires).
  std::string content_key{};

  bool operator==(const TaskRecord&) const = default;

  // A new task as an upload creates it: PENDING, never started.
  // Nothing about the task changes any more but its removal: it is terminal and its webhook,
  // if it has one, is delivered or failed. Only such a task may be cached.
  bool is_final() const {
    return is_terminal(state) &&
           (callback_url.empty() || (webhook && webhook->state != WebhookState::pending));
  }

  // The key of the input blob this task reads.
  const TaskId& input_key() const { return input_id ? *input_id : id; }
  // The key of the result blob this task reads (SUCCESS) or writes.
  const TaskId& result_key() const { return result_id ? *result_id : id; }

  static TaskRecord pending(TaskId id, ResizeSpec spec, ImageFormat input_format,
                            TimePoint created_at, TimePoint expires_at);
};

}  // namespace image_resize::core
