// POST /api/v1/images/resize: validate the form, check the image header, store the upload and
// the task durably, answer 202 with the task id. No resizing happens here.
#include <algorithm>
#include <boost/beast/http/field.hpp>

#include "core/log.h"
#include "core/sha256.h"
#include "http/forms/accept_header.h"
#include "http/forms/batch_form.h"
#include "http/forms/resize_form.h"
#include "http/handlers/batch_upload.h"
#include "http/handlers/handlers.h"
#include "http/handlers/reuse.h"
#include "http/handlers/upload_checks.h"
#include "http/multipart/content_type.h"
#include "http/multipart/form_parts.h"
#include "http/task_json.h"

namespace image_resize::http {

namespace asio = boost::asio;
namespace beast_http = boost::beast::http;

core::Result<std::string> check_upload_headers(const Request::header_type& header,
                                               std::uint64_t declared_length, bool length_known,
                                               const core::Limits& limits) {
  auto boundary = form_data_boundary(header[beast_http::field::content_type]);
  if (!boundary.ok()) return boundary;
  if (length_known && limits.max_upload_bytes > 0 && declared_length > limits.max_upload_bytes) {
    return core::Error::make(core::ErrorCode::payload_too_large,
                             "The upload is " + std::to_string(declared_length) +
                                 " bytes; this server accepts at most " +
                                 std::to_string(limits.max_upload_bytes) + ".");
  }
  return boundary;
}

namespace {

// The uploaded bytes' header, checked. A task by URL has none yet: its worker fetches them.
core::Result<std::optional<imaging::ImageInfo>> check_upload(ApiContext& ctx,
                                                             const ResizeForm& form) {
  if (form.file.empty()) return std::optional<imaging::ImageInfo>();
  auto info = ctx.images.probe(form.file, ctx.limits);
  if (!info.ok()) return info.error();
  if (auto crop = core::check_crop(form.spec, info->width, info->height); !crop.ok()) {
    return crop.error();
  }
  return std::optional<imaging::ImageInfo>(*info);
}

// The uploaded bytes, stored as the task's input (none for a task by URL).
core::Status store_upload(ApiContext& ctx, const core::TaskId& id, const ResizeForm& form) {
  if (form.file.empty()) return {};
  if (auto put = ctx.blobs.put(storage::BlobKind::input, id, form.file); !put.ok()) {
    core::log::error("input blob write failed",
                     {{"task_id", id.str()}, {"error", put.error().log_message()}});
    return store_unavailable();
  }
  return {};
}

void log_accepted(const core::TaskRecord& task, const Caller& caller, const ResizeForm& form,
                  const std::optional<imaging::ImageInfo>& input, bool reused) {
  const std::string webhook = task.callback_url.empty() ? "no" : "yes";
  if (!input) {
    core::log::info("task accepted", {{"task_id", task.id.str()},
                                      {"request_id", caller.request_id},
                                      {"source", "url"},
                                      {"webhook", webhook}});
    return;
  }
  core::log::info("task accepted", {{"task_id", task.id.str()},
                                    {"request_id", caller.request_id},
                                    {"input", std::string(core::to_string(input->format))},
                                    {"width", std::to_string(input->width)},
                                    {"height", std::to_string(input->height)},
                                    {"bytes", std::to_string(form.file.size())},
                                    {"webhook", webhook},
                                    {"reused", reused ? "yes" : "no"}});
}

// One task, as v1 has it.
core::Result<Accepted> store_single(ApiContext& ctx, const Caller& caller,
                                    const std::vector<FormPart>& parts, std::string_view accept,
                                    const std::optional<IdempotencyClaim>& claim) {
  auto form = parse_resize_form(parts, ctx.limits);
  if (!form.ok()) return form.error();
  if (form->spec.format == core::OutputFormat::automatic) {
    form->spec.accepts = accepted_image_formats(accept);
  }
  if (auto urls = check_urls(ctx, form->source_url, form->callback_url); !urls.ok()) {
    return urls.error();
  }
  const core::TaskId id = core::TaskId::generate();
  auto input = check_upload(ctx, *form);
  if (!input.ok()) return input.error();
  const core::TimePoint now = core::now();
  // A task by URL learns its input's format when it is fetched.
  const core::ImageFormat input_format = *input ? (*input)->format : core::ImageFormat::jpeg;
  core::TaskRecord task =
      core::TaskRecord::pending(id, form->spec, input_format, now, now + ctx.task_ttl);
  task.owner = caller.owner;
  task.source_url = form->source_url;
  task.callback_url = form->callback_url;
  if (*input && reuses_results(ctx, task)) {
    set_content_key(ctx, task, core::sha256_hex(form->file));
  }
  const Accepted accepted{accepted_json(id), status_path(id)};
  if (auto reused = create_reusing_task(ctx, claim, task, accepted)) {
    if (reused->ok() && !(*reused)->replayed) log_accepted(task, caller, *form, *input, true);
    return *reused;
  }
  if (auto stored = store_upload(ctx, id, *form); !stored.ok()) return stored.error();
  auto answer = create_tasks(ctx, claim, std::nullopt, {task}, accepted);
  if (!answer.ok() || answer->replayed) {
    (void)ctx.blobs.remove(storage::BlobKind::input, id);
    return answer;
  }
  log_accepted(task, caller, *form, *input, false);
  return answer;
}

// The upload's Idempotency-Key with what it asks, and the answer an earlier request with that key
// got: nullopt when it had none, or none was recorded.
core::Result<std::optional<Accepted>> earlier_answer(ApiContext& ctx, const Caller& caller,
                                                     const std::optional<IdempotencyClaim>& claim) {
  if (!claim) return std::optional<Accepted>();
  auto earlier = ctx.tasks.find_answer(claim->owner, claim->key, core::now());
  if (!earlier.ok()) {
    core::log::error("idempotency key lookup failed",
                     {{"request_id", caller.request_id}, {"error", earlier.error().log_message()}});
    return store_unavailable();
  }
  if (!*earlier) return std::optional<Accepted>();
  auto replayed = replay(**earlier, claim->fingerprint);
  if (!replayed.ok()) return replayed.error();
  return std::optional<Accepted>(std::move(replayed).value());
}

}  // namespace

asio::awaitable<Response> handle_resize(ApiContext& ctx, const Request& request,
                                        const Caller& caller) {
  // All of it runs on the blocking pool: parsing a 50 MiB body, probing the header, resolving a
  // URL's host and the fsyncs are no work for an I/O thread. A 202 means the inputs (or their
  // address) and the tasks are on disk.
  auto accepted = co_await ctx.blocking.run([&]() -> core::Result<Accepted> {
    auto boundary = form_data_boundary(request[beast_http::field::content_type]);
    if (!boundary.ok()) return boundary.error();
    // Room for every file of a batch beside the form's fields.
    const MultipartLimits multipart{
        .max_parts = MultipartLimits{}.max_parts +
                     static_cast<std::size_t>(std::max(ctx.limits.max_batch_files, 0))};
    auto parts = parse_multipart(request.body(), *boundary, multipart);
    if (!parts.ok()) return parts.error();
    auto key = idempotency_key(request);
    if (!key.ok()) return key.error();
    const std::string_view accept = request[beast_http::field::accept];
    std::optional<IdempotencyClaim> claim;
    if (*key) claim = IdempotencyClaim{caller.owner, **key, upload_fingerprint(*parts, accept)};
    // A retry is answered even when the server could take no new upload now.
    auto earlier = earlier_answer(ctx, caller, claim);
    if (!earlier.ok()) return earlier.error();
    if (*earlier) return std::move(**earlier);
    if (auto space = check_free_space(ctx); !space.ok()) return space.error();
    if (auto room = check_queue_room(ctx); !room.ok()) return room.error();
    auto batch = parse_batch_form(*parts, ctx.presets, ctx.http.only_presets, ctx.limits);
    if (!batch.ok()) return batch.error();
    if (*batch) return store_batch(ctx, caller, **batch, accept, claim);
    return store_single(ctx, caller, *parts, accept, claim);
  });
  if (!accepted.ok()) co_return error_response(accepted.error());

  Response response = json_response(beast_http::status::accepted, accepted->body);
  response.set(beast_http::field::location, accepted->location);
  if (accepted->replayed) response.set("Idempotent-Replayed", "true");
  co_return response;
}

}  // namespace image_resize::http
