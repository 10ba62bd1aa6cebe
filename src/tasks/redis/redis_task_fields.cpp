#include "tasks/redis/redis_task_fields.h"

#include <charconv>
#include <optional>
#include <unordered_map>

#include "core/clock.h"

namespace image_resize::tasks {
namespace {

std::string number(std::int64_t value) { return std::to_string(value); }

// Reads a hash's fields by name and remembers the first problem, so that the record can be
// built with designated initializers and the error reported once.
class HashReader {
 public:
  explicit HashReader(const RedisReply& hgetall) {
    for (std::size_t i = 0; i + 1 < hgetall.elements.size(); i += 2) {
      fields_[hgetall.elements[i].text] = hgetall.elements[i + 1].text;
    }
  }

  bool has(const std::string& name) const { return fields_.contains(name); }
  std::string text(const std::string& name) {
    auto found = fields_.find(name);
    if (found != fields_.end()) return found->second;
    fail(name, "(missing)");
    return {};
  }
  std::int64_t integer(const std::string& name) {
    const std::string value = text(name);
    std::int64_t parsed = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), parsed);
    if (error != std::errc() || end != value.data() + value.size()) fail(name, value);
    return parsed;
  }
  std::optional<std::int64_t> optional_integer(const std::string& name) {
    if (!has(name)) return std::nullopt;
    return integer(name);
  }
  template <class Parse>
  auto parsed(const std::string& name, Parse parse) {
    const std::string value = text(name);
    auto result = parse(value);
    if (!result) fail(name, value);
    return result.value_or(typename decltype(result)::value_type{});
  }

  // nullopt when absent; a value that does not parse is an error.
  std::optional<core::TaskId> optional_id(const std::string& name) {
    if (!has(name)) return std::nullopt;
    auto id = core::TaskId::parse(text(name));
    if (!id) fail(name, text(name));
    return id;
  }

  const std::optional<core::Error>& error() const { return error_; }

 private:
  void fail(const std::string& name, const std::string& value) {
    if (error_) return;
    error_ = core::Error::make(
        core::ErrorCode::internal, "Internal error",
        "redis: task " + fields_["id"] + " has a bad field " + name + " = '" + value + "'");
  }

  std::unordered_map<std::string, std::string> fields_;
  std::optional<core::Error> error_;
};

std::optional<int> optional_int(std::optional<std::int64_t> value) {
  if (!value) return std::nullopt;
  return static_cast<int>(*value);
}

std::optional<core::TimePoint> optional_time(std::optional<std::int64_t> ms) {
  if (!ms) return std::nullopt;
  return core::from_unix_ms(*ms);
}

// The output fields (kOutputFields) of a task hash or a reusable result's hash.
core::TaskOutput read_output(HashReader& hash) {
  return core::TaskOutput{
      .width = static_cast<int>(hash.integer("output_width")),
      .height = static_cast<int>(hash.integer("output_height")),
      .format = hash.parsed("output_format", core::parse_image_format),
      .bytes = static_cast<std::uint64_t>(hash.integer("output_bytes")),
      .blurhash = hash.has("output_blurhash") ? hash.text("output_blurhash") : std::string(),
      .dominant_colour =
          hash.has("output_dominant_colour") ? hash.text("output_dominant_colour") : std::string(),
      .etag = hash.has("output_etag") ? hash.text("output_etag") : std::string(),
  };
}

}  // namespace

std::vector<std::string> task_fields(const core::TaskRecord& task) {
  const core::ResizeSpec& spec = task.spec;
  std::vector<std::string> fields = {
      "id",           task.id.str(),
      "state",        std::string(core::to_string(task.state)),
      "fit",          std::string(core::to_string(spec.fit)),
      "format",       std::string(core::to_string(spec.format)),
      "quality",      number(spec.quality),
      "priority",     std::string(core::to_string(spec.priority)),
      "gravity",      std::string(core::to_string(spec.gravity)),
      "dpr",          number(spec.dpr),
      "progressive",  number(spec.progressive),
      "lossless",     number(spec.lossless),
      "strip",        number(spec.strip),
      "accepts",      core::to_string(spec.accepts),
      "input_format", std::string(core::to_string(task.input_format)),
      "created_at",   number(core::to_unix_ms(task.created_at)),
      "expires_at",   number(core::to_unix_ms(task.expires_at)),
      "attempts",     number(task.attempts),
      "owner",        task.owner,
      "source_url",   task.source_url,
      "callback_url", task.callback_url,
  };
  auto add = [&](std::string_view name, std::string value) {
    fields.emplace_back(name);
    fields.push_back(std::move(value));
  };
  if (spec.width) add("width", number(*spec.width));
  if (spec.height) add("height", number(*spec.height));
  if (spec.background) add("background", core::format_rgba(*spec.background));
  if (spec.crop) add("crop", core::to_string(*spec.crop));
  if (task.batch_id) add("batch_id", task.batch_id->str());
  if (task.input_id) add("input_id", task.input_id->str());
  if (!task.variant.empty()) add("variant", task.variant);
  if (task.result_id) add("result_id", task.result_id->str());
  if (!task.content_key.empty()) add("content_key", task.content_key);
  if (task.started_at) add("started_at", number(core::to_unix_ms(*task.started_at)));
  if (task.finished_at) add("finished_at", number(core::to_unix_ms(*task.finished_at)));
  if (task.output) {
    const auto more = output_fields(*task.output);
    fields.insert(fields.end(), more.begin(), more.end());
  }
  if (task.failure) {
    const auto more = failure_fields(*task.failure);
    fields.insert(fields.end(), more.begin(), more.end());
  }
  if (task.webhook) {
    const auto more = webhook_fields(*task.webhook);
    fields.insert(fields.end(), more.begin(), more.end());
  }
  return fields;
}

std::vector<std::string> output_fields(const core::TaskOutput& output) {
  return {std::string(kOutputFields[0]), number(output.width),
          std::string(kOutputFields[1]), number(output.height),
          std::string(kOutputFields[2]), std::string(core::to_string(output.format)),
          std::string(kOutputFields[3]), std::to_string(output.bytes),
          std::string(kOutputFields[4]), output.etag,
          std::string(kOutputFields[5]), output.blurhash,
          std::string(kOutputFields[6]), output.dominant_colour};
}

std::vector<std::string> failure_fields(const core::TaskFailure& failure) {
  return {std::string(kFailureFields[0]), std::string(core::to_string(failure.code)),
          std::string(kFailureFields[1]), failure.message,
          std::string(kFailureFields[2]), number(failure.source_status)};
}

std::vector<std::string> webhook_fields(const core::WebhookDelivery& delivery) {
  return {"webhook_state",       std::string(core::to_string(delivery.state)),
          "webhook_attempts",    number(delivery.attempts),
          "webhook_last_status", number(delivery.last_status)};
}

core::Result<core::TaskRecord> task_from_hash(const RedisReply& hgetall) {
  HashReader hash(hgetall);
  const std::string id_text = hash.text("id");
  const auto id = core::TaskId::parse(id_text);
  if (!id) {
    return core::Error::make(core::ErrorCode::internal, "Internal error",
                             "redis: a task hash has the id '" + id_text + "'");
  }
  const core::ResizeSpec defaults;
  std::optional<core::Rgba> background;
  if (hash.has("background")) background = hash.parsed("background", core::parse_rgba);
  std::optional<core::CropRect> crop;
  if (hash.has("crop")) crop = hash.parsed("crop", core::parse_crop);
  std::optional<core::TaskOutput> output;
  if (hash.has("output_width")) output = read_output(hash);
  std::optional<core::TaskFailure> failure;
  if (hash.has("failure_code")) {
    failure = core::TaskFailure{
        .code = hash.parsed("failure_code", core::parse_error_code),
        .message = hash.text("failure_message"),
        .source_status =
            static_cast<int>(hash.optional_integer("failure_source_status").value_or(0)),
    };
  }
  std::optional<core::WebhookDelivery> webhook;
  if (hash.has("webhook_state")) {
    webhook = core::WebhookDelivery{
        .state = hash.parsed("webhook_state", core::parse_webhook_state),
        .attempts = static_cast<int>(hash.integer("webhook_attempts")),
        .last_status = static_cast<int>(hash.integer("webhook_last_status")),
    };
  }
  // Every field named: a field added to TaskRecord without a hash field here is a warning.
  core::TaskRecord task{
      .id = *id,
      .state = hash.parsed("state", core::parse_task_state),
      .spec =
          core::ResizeSpec{
              .width = optional_int(hash.optional_integer("width")),
              .height = optional_int(hash.optional_integer("height")),
              .fit = hash.parsed("fit", core::parse_fit),
              .format = hash.parsed("format", core::parse_output_format),
              .quality = static_cast<int>(hash.integer("quality")),
              .background = background,
              .priority = hash.parsed("priority", core::parse_priority),
              // Absent from hashes written before these options: the defaults.
              .gravity = hash.has("gravity") ? hash.parsed("gravity", core::parse_gravity)
                                             : defaults.gravity,
              .dpr = static_cast<int>(hash.optional_integer("dpr").value_or(defaults.dpr)),
              .progressive =
                  hash.optional_integer("progressive").value_or(defaults.progressive) != 0,
              .lossless = hash.optional_integer("lossless").value_or(defaults.lossless) != 0,
              .strip = hash.optional_integer("strip").value_or(defaults.strip) != 0,
              .crop = crop,
              .accepts = hash.has("accepts") ? hash.parsed("accepts", core::parse_accepted_formats)
                                             : defaults.accepts,
          },
      .input_format = hash.parsed("input_format", core::parse_image_format),
      .created_at = core::from_unix_ms(hash.integer("created_at")),
      .started_at = optional_time(hash.optional_integer("started_at")),
      .finished_at = optional_time(hash.optional_integer("finished_at")),
      .expires_at = core::from_unix_ms(hash.integer("expires_at")),
      .attempts = static_cast<int>(hash.integer("attempts")),
      .output = output,
      .failure = failure,
      .owner = hash.text("owner"),
      // Absent from hashes written before webhooks: no URL.
      .source_url = hash.has("source_url") ? hash.text("source_url") : std::string(),
      .callback_url = hash.has("callback_url") ? hash.text("callback_url") : std::string(),
      .webhook = webhook,
      .batch_id = hash.optional_id("batch_id"),
      .input_id = hash.optional_id("input_id"),
      .variant = hash.has("variant") ? hash.text("variant") : std::string(),
      .result_id = hash.optional_id("result_id"),
      .content_key = hash.has("content_key") ? hash.text("content_key") : std::string(),
  };
  if (hash.error()) return *hash.error();
  return task;
}

core::Result<std::optional<ReusableResult>> reusable_from_hash(const RedisReply& hgetall) {
  if (hgetall.elements.empty()) return std::optional<ReusableResult>();
  HashReader hash(hgetall);
  auto result = hash.optional_id("result_id");
  const core::TaskOutput output = read_output(hash);
  if (hash.error()) return *hash.error();
  if (!result) {
    return core::Error::make(core::ErrorCode::internal, "Internal error",
                             "redis: a reusable result without its result_id");
  }
  return std::optional<ReusableResult>(ReusableResult{*result, output});
}

core::Result<std::vector<core::TaskRecord>> tasks_from_hashes(
    const RedisReply& hashes, const std::function<bool(const core::TaskRecord&)>& keep) {
  std::vector<core::TaskRecord> tasks;
  for (const RedisReply& hash : hashes.elements) {
    if (hash.elements.empty()) continue;  // deleted or expired since
    auto task = task_from_hash(hash);
    if (!task.ok()) return task.error();
    if (keep(*task)) tasks.push_back(std::move(task).value());
  }
  return tasks;
}

}  // namespace image_resize::tasks
