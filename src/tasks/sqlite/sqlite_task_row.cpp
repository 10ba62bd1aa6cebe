#include "tasks/sqlite/sqlite_task_row.h"

#include <string>

#include "core/clock.h"

namespace image_resize::tasks {
namespace {

std::optional<std::int64_t> optional_ms(const std::optional<core::TimePoint>& time) {
  if (!time) return std::nullopt;
  return core::to_unix_ms(*time);
}

std::optional<core::TimePoint> optional_time(std::optional<std::int64_t> ms) {
  if (!ms) return std::nullopt;
  return core::from_unix_ms(*ms);
}

std::optional<std::int64_t> optional_int(const std::optional<int>& value) {
  if (!value) return std::nullopt;
  return *value;
}

core::Error corrupt(const std::string& id, std::string_view column, std::string_view value) {
  return core::Error::make(core::ErrorCode::internal, "Internal error",
                           "sqlite: task " + id + " has an unknown " + std::string(column) + " '" +
                               std::string(value) + "'");
}

// Parses column `column` with `parse`; on failure records the error in `error`.
template <class Parse>
auto parse_column(const SqliteStatement& row, int column, std::string_view name,
                  const std::string& id, Parse parse, std::optional<core::Error>& error) {
  const std::string text = row.text(column);
  auto parsed = parse(text);
  if (!parsed && !error) error = corrupt(id, name, text);
  return parsed.value_or(typename decltype(parsed)::value_type{});
}

}  // namespace

void bind_task_row(SqliteStatement& statement, const core::TaskRecord& task) {
  const core::ResizeSpec& spec = task.spec;
  statement.bind_text(1, task.id.str());
  statement.bind_text(2, core::to_string(task.state));
  statement.bind_optional_int(3, optional_int(spec.width));
  statement.bind_optional_int(4, optional_int(spec.height));
  statement.bind_text(5, core::to_string(spec.fit));
  statement.bind_text(6, core::to_string(spec.format));
  statement.bind_int(7, std::int64_t{spec.quality});
  statement.bind_optional_text(
      8, spec.background ? std::optional(core::format_rgba(*spec.background)) : std::nullopt);
  statement.bind_text(9, core::to_string(spec.priority));
  statement.bind_text(10, core::to_string(task.input_format));
  statement.bind_int(11, core::to_unix_ms(task.created_at));
  statement.bind_optional_int(12, optional_ms(task.started_at));
  statement.bind_optional_int(13, optional_ms(task.finished_at));
  statement.bind_int(14, core::to_unix_ms(task.expires_at));
  statement.bind_int(15, std::int64_t{task.attempts});
  if (task.output) {
    statement.bind_int(16, std::int64_t{task.output->width});
    statement.bind_int(17, std::int64_t{task.output->height});
    statement.bind_text(18, core::to_string(task.output->format));
    statement.bind_int(19, static_cast<std::int64_t>(task.output->bytes));
    statement.bind_text(23, task.output->etag);
    statement.bind_text(37, task.output->blurhash);
    statement.bind_text(38, task.output->dominant_colour);
  } else {
    for (int column : {16, 17, 18, 19, 23, 37, 38}) statement.bind_null(column);
  }
  if (task.failure) {
    statement.bind_text(20, core::to_string(task.failure->code));
    statement.bind_text(21, task.failure->message);
  } else {
    statement.bind_null(20);
    statement.bind_null(21);
  }
  statement.bind_text(22, task.owner);
  statement.bind_text(24, task.source_url);
  statement.bind_text(25, task.callback_url);
  if (task.webhook) {
    statement.bind_text(26, core::to_string(task.webhook->state));
    statement.bind_int(27, std::int64_t{task.webhook->attempts});
    statement.bind_int(28, std::int64_t{task.webhook->last_status});
  } else {
    for (int column : {26, 27, 28}) statement.bind_null(column);
  }
  statement.bind_optional_int(
      29, task.failure ? std::optional<std::int64_t>(task.failure->source_status) : std::nullopt);
  statement.bind_text(30, core::to_string(spec.gravity));
  statement.bind_int(31, std::int64_t{spec.dpr});
  statement.bind_int(32, std::int64_t{spec.progressive});
  statement.bind_int(33, std::int64_t{spec.lossless});
  statement.bind_int(34, std::int64_t{spec.strip});
  if (spec.crop) {
    statement.bind_text(35, core::to_string(*spec.crop));
  } else {
    statement.bind_null(35);
  }
  statement.bind_text(36, core::to_string(spec.accepts));
  for (const auto& [column, id] : {std::pair{39, &task.batch_id}, std::pair{40, &task.input_id},
                                   std::pair{42, &task.result_id}}) {
    statement.bind_optional_text(column, *id ? std::optional((*id)->str()) : std::nullopt);
  }
  statement.bind_text(41, task.variant);
  statement.bind_text(43, task.content_key);
}

core::Result<core::TaskRecord> read_task_row(const SqliteStatement& row) {
  const std::string id_text = row.text(0);
  auto id = core::TaskId::parse(id_text);
  if (!id) return corrupt(id_text, "id", id_text);
  std::optional<core::Error> error;
  auto text_column = [&](int column, std::string_view name, auto parse) {
    return parse_column(row, column, name, id_text, parse, error);
  };
  auto optional_int_column = [&](int column) -> std::optional<int> {
    if (row.is_null(column)) return std::nullopt;
    return static_cast<int>(row.int64(column));
  };

  std::optional<core::Rgba> background;
  if (!row.is_null(7)) background = text_column(7, "background", core::parse_rgba);
  std::optional<core::CropRect> crop;
  if (!row.is_null(34)) crop = text_column(34, "crop", core::parse_crop);
  auto optional_id_column = [&](int column, std::string_view name) -> std::optional<core::TaskId> {
    if (row.is_null(column)) return std::nullopt;
    auto parsed = core::TaskId::parse(row.text(column));
    if (!parsed && !error) error = corrupt(id_text, name, row.text(column));
    return parsed;
  };
  std::optional<core::TaskOutput> output;
  if (!row.is_null(15)) {
    output = core::TaskOutput{
        .width = static_cast<int>(row.int64(15)),
        .height = static_cast<int>(row.int64(16)),
        .format = text_column(17, "output_format", core::parse_image_format),
        .bytes = static_cast<std::uint64_t>(row.int64(18)),
        .blurhash = row.is_null(36) ? std::string() : row.text(36),
        .dominant_colour = row.is_null(37) ? std::string() : row.text(37),
        .etag = row.is_null(22) ? std::string() : row.text(22),
    };
  }
  std::optional<core::TaskFailure> failure;
  if (!row.is_null(19)) {
    failure = core::TaskFailure{
        .code = text_column(19, "failure_code", core::parse_error_code),
        .message = row.text(20),
        .source_status = static_cast<int>(row.optional_int64(28).value_or(0)),
    };
  }
  std::optional<core::WebhookDelivery> webhook;
  if (!row.is_null(25)) {
    webhook = core::WebhookDelivery{
        .state = text_column(25, "webhook_state", core::parse_webhook_state),
        .attempts = static_cast<int>(row.int64(26)),
        .last_status = static_cast<int>(row.int64(27)),
    };
  }
  // Every field named: a field added to TaskRecord without a column here is a compile warning.
  core::TaskRecord task{
      .id = *id,
      .state = text_column(1, "state", core::parse_task_state),
      .spec =
          core::ResizeSpec{
              .width = optional_int_column(2),
              .height = optional_int_column(3),
              .fit = text_column(4, "fit", core::parse_fit),
              .format = text_column(5, "format", core::parse_output_format),
              .quality = static_cast<int>(row.int64(6)),
              .background = background,
              .priority = text_column(8, "priority", core::parse_priority),
              .gravity = text_column(29, "gravity", core::parse_gravity),
              .dpr = static_cast<int>(row.int64(30)),
              .progressive = row.int64(31) != 0,
              .lossless = row.int64(32) != 0,
              .strip = row.int64(33) != 0,
              .crop = crop,
              .accepts = text_column(35, "accepts", core::parse_accepted_formats),
          },
      .input_format = text_column(9, "input_format", core::parse_image_format),
      .created_at = core::from_unix_ms(row.int64(10)),
      .started_at = optional_time(row.optional_int64(11)),
      .finished_at = optional_time(row.optional_int64(12)),
      .expires_at = core::from_unix_ms(row.int64(13)),
      .attempts = static_cast<int>(row.int64(14)),
      .output = output,
      .failure = failure,
      .owner = row.text(21),
      .source_url = row.text(23),
      .callback_url = row.text(24),
      .webhook = webhook,
      .batch_id = optional_id_column(38, "batch_id"),
      .input_id = optional_id_column(39, "input_id"),
      .variant = row.text(40),
      .result_id = optional_id_column(41, "result_id"),
      .content_key = row.text(42),
  };
  if (error) return *error;
  return task;
}

core::Result<std::vector<core::TaskRecord>> read_task_rows(SqliteDatabase& database,
                                                           const char* sql, std::size_t limit) {
  return read_rows<core::TaskRecord>(database, sql, limit, read_task_row);
}

}  // namespace image_resize::tasks
