// An upload that makes a batch (forms/batch_form.h): checked whole, then stored whole.
#include "http/handlers/batch_upload.h"

#include <algorithm>

#include "core/log.h"
#include "core/sha256.h"
#include "http/batch_json.h"
#include "http/forms/accept_header.h"
#include "http/handlers/reuse.h"
#include "http/handlers/upload_checks.h"

namespace image_resize::http {
namespace {

// Which of the upload's files an error is about, for a batch of several.
core::Error about(std::string_view what, core::Error error) {
  error.public_message = std::string(what).append(": ").append(error.public_message);
  return error;
}

// The file's header read (its format, and a bomb refused before anything is stored), and
// every variant's crop checked against its size.
core::Result<core::ImageFormat> check_file(ApiContext& ctx, const BatchFileForm& file,
                                           const std::vector<Variant>& variants) {
  const std::string what = "file '" + file.name + "'";
  auto info = ctx.images.probe(file.bytes, ctx.limits);
  if (!info.ok()) return about(what, info.error());
  for (const Variant& variant : variants) {
    if (auto crop = core::check_crop(variant.spec, info->width, info->height); !crop.ok()) {
      return about(what + ", variant '" + variant.name + "'", crop.error());
    }
  }
  return info->format;
}

// The last segment of the URL's path (what a browser would save it as), or "image".
std::string url_file_name(std::string_view url) {
  url = url.substr(0, url.find_first_of("?#"));
  const std::size_t scheme = url.find("://");
  if (scheme != std::string_view::npos) url.remove_prefix(scheme + 3);
  const std::size_t slash = url.rfind('/');
  if (slash == std::string_view::npos || slash + 1 == url.size()) return "image";
  return std::string(url.substr(slash + 1));
}

void remove_inputs(ApiContext& ctx, const core::BatchRecord& batch) {
  for (const core::BatchFile& file : batch.files) {
    (void)ctx.blobs.remove(storage::BlobKind::input, file.input_id);
  }
}

// Names each file and gives it its own input id (a batch by URL has one, fetched by the first
// worker to run).
void name_files(const BatchForm& form, core::BatchRecord& batch) {
  if (form.files.empty()) {
    batch.files.push_back({url_file_name(form.source_url), core::TaskId::generate()});
    return;
  }
  for (const BatchFileForm& file : form.files) {
    batch.files.push_back({file.name, core::TaskId::generate()});
  }
}

// Stores once, under its input id, each file that some PENDING task reads (one whose every task
// reuses a result needs none); on failure removes those stored.
core::Status store_inputs(ApiContext& ctx, const BatchForm& form, const core::BatchRecord& batch,
                          const std::vector<core::TaskRecord>& tasks) {
  std::vector<core::TaskId> stored;
  for (std::size_t file = 0; file < form.files.size(); ++file) {
    const core::TaskId& input = batch.files[file].input_id;
    const bool read = std::any_of(tasks.begin(), tasks.end(), [&](const core::TaskRecord& task) {
      return task.input_id == input;
    });
    if (!read) continue;
    if (auto put = ctx.blobs.put(storage::BlobKind::input, input, form.files[file].bytes);
        !put.ok()) {
      core::log::error("input blob write failed",
                       {{"batch_id", batch.id.str()}, {"error", put.error().log_message()}});
      for (const core::TaskId& id : stored) (void)ctx.blobs.remove(storage::BlobKind::input, id);
      return store_unavailable();
    }
    stored.push_back(input);
  }
  return {};
}

// One task per file × variant, PENDING; each with its content key when its file's bytes are
// known (`hashes`: the SHA-256 of each file).
std::vector<core::TaskRecord> make_tasks(const ApiContext& ctx, const Caller& caller,
                                         const BatchForm& form,
                                         const std::vector<core::ImageFormat>& formats,
                                         const std::vector<std::string>& hashes,
                                         core::BatchRecord& batch) {
  std::vector<core::TaskRecord> tasks;
  for (std::size_t file = 0; file < batch.files.size(); ++file) {
    // A file by URL learns its format when it is fetched.
    const core::ImageFormat format =
        file < formats.size() ? formats[file] : core::ImageFormat::jpeg;
    for (const Variant& variant : form.variants) {
      core::TaskRecord task = core::TaskRecord::pending(core::TaskId::generate(), variant.spec,
                                                        format, batch.created_at, batch.expires_at);
      task.owner = caller.owner;
      task.source_url = form.source_url;
      task.callback_url = form.callback_url;
      task.batch_id = batch.id;
      task.input_id = batch.files[file].input_id;
      task.variant = variant.name;
      if (file < hashes.size()) set_content_key(ctx, task, hashes[file]);
      batch.entries.push_back({task.id, file, variant.name});
      tasks.push_back(std::move(task));
    }
  }
  return tasks;
}

// `tasks` with each one that earlier work has the result of replaced by its reusing task.
std::vector<core::TaskRecord> reuse_results(ApiContext& ctx,
                                            const std::vector<core::TaskRecord>& tasks) {
  std::vector<core::TaskRecord> reusing;
  reusing.reserve(tasks.size());
  for (const core::TaskRecord& task : tasks) {
    reusing.push_back(reusing_task(ctx, task).value_or(task));
  }
  return reusing;
}

// The inputs the tasks read, then the batch with its tasks (create_tasks). The inputs are
// removed again when that fails, or answers an earlier request with the same Idempotency-Key.
// result_gone: a result to reuse went meanwhile (the caller tries again without reuse).
core::Result<Accepted> create_batch(ApiContext& ctx, const BatchForm& form,
                                    const core::BatchRecord& batch,
                                    const std::vector<core::TaskRecord>& tasks,
                                    const std::optional<IdempotencyClaim>& claim) {
  if (auto stored = store_inputs(ctx, form, batch, tasks); !stored.ok()) return stored.error();
  auto answer = create_tasks(ctx, claim, batch, tasks,
                             Accepted{batch_accepted_json(batch), batch_path(batch.id)});
  if (!answer.ok() || answer->replayed) remove_inputs(ctx, batch);
  return answer;
}

void log_accepted(const Caller& caller, const core::BatchRecord& batch,
                  const std::vector<core::TaskRecord>& tasks) {
  core::log::info("batch accepted", {{"batch_id", batch.id.str()},
                                     {"request_id", caller.request_id},
                                     {"files", std::to_string(batch.files.size())},
                                     {"tasks", std::to_string(tasks.size())}});
  for (const core::TaskRecord& task : tasks) {
    core::log::info("task accepted", {{"task_id", task.id.str()},
                                      {"batch_id", batch.id.str()},
                                      {"variant", task.variant},
                                      {"request_id", caller.request_id}});
  }
}

}  // namespace

core::Result<Accepted> store_batch(ApiContext& ctx, const Caller& caller, BatchForm& form,
                                   std::string_view accept,
                                   const std::optional<IdempotencyClaim>& claim) {
  if (auto urls = check_urls(ctx, form.source_url, form.callback_url); !urls.ok()) {
    return urls.error();
  }
  for (Variant& variant : form.variants) {
    if (variant.spec.format == core::OutputFormat::automatic) {
      variant.spec.accepts = accepted_image_formats(accept);
    }
  }
  const std::size_t files = std::max<std::size_t>(form.files.size(), 1);
  if (auto room = check_queue_room(ctx, files * form.variants.size()); !room.ok()) {
    return room.error();
  }
  std::vector<core::ImageFormat> formats;
  std::vector<std::string> hashes;
  for (const BatchFileForm& file : form.files) {
    auto format = check_file(ctx, file, form.variants);
    if (!format.ok()) return format.error();
    formats.push_back(*format);
    if (ctx.http.reuse_results) hashes.push_back(core::sha256_hex(file.bytes));
  }

  const core::TimePoint now = core::now();
  core::BatchRecord batch{.id = core::TaskId::generate(),
                          .owner = caller.owner,
                          .created_at = now,
                          .expires_at = now + ctx.task_ttl,
                          .files = {},
                          .entries = {}};
  name_files(form, batch);
  const std::vector<core::TaskRecord> pending =
      make_tasks(ctx, caller, form, formats, hashes, batch);
  std::vector<core::TaskRecord> tasks = reuse_results(ctx, pending);
  auto answer = create_batch(ctx, form, batch, tasks, claim);
  if (!answer.ok() && answer.error().code == core::ErrorCode::result_gone) {
    tasks = pending;
    answer = create_batch(ctx, form, batch, tasks, claim);
  }
  if (!answer.ok() || answer->replayed) return answer;
  const auto reused = std::count_if(tasks.begin(), tasks.end(),
                                    [](const core::TaskRecord& task) { return task.result_id; });
  if (reused > 0) results_reused_counter(ctx.metrics).inc(static_cast<double>(reused));
  log_accepted(caller, batch, tasks);
  ctx.metrics.counter("image_resize_batches_accepted_total", "Uploads that made a batch").inc();
  ctx.metrics
      .counter("image_resize_batch_tasks_accepted_total",
               "Tasks of batches (each file times each variant)")
      .inc(tasks.size());
  return answer;
}

}  // namespace image_resize::http
