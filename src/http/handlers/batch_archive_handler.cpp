// GET /api/v1/batches/<id>/archive: a ZIP of every result of the batch that is ready, entries
// named <file>-<variant>.<ext> (archive/zip_writer.h makes them safe and unique). The ZIP is
// written to an unnamed temporary file and sent from it, so a large batch is never held whole
// in memory.
#include <boost/beast/http/field.hpp>
#include <filesystem>

#include "archive/zip_writer.h"
#include "core/log.h"
#include "http/batch_json.h"
#include "http/handlers/batch_lookup.h"
#include "http/handlers/handlers.h"

namespace image_resize::http {

namespace asio = boost::asio;
namespace beast_http = boost::beast::http;

namespace {

// "photo.jpg" and variant "thumb" in WebP: "photo-thumb.webp".
std::string entry_name(const core::BatchRecord& batch, const core::BatchEntry& entry,
                       const core::TaskOutput& output) {
  std::string stem = batch.files[entry.file].name;
  if (const std::size_t dot = stem.rfind('.'); dot != std::string::npos && dot > 0) {
    stem.resize(dot);
  }
  if (!entry.variant.empty()) stem.append("-").append(entry.variant);
  return stem.append(".").append(core::to_string(output.format));
}

// The finished results, opened, then written into one archive, ready to be sent from its file.
core::Result<FileResponse> build_archive(ApiContext& ctx, const core::BatchRecord& batch,
                                         const BatchTasks& tasks) {
  std::vector<archive::ArchiveEntry> entries;
  for (std::size_t i = 0; i < batch.entries.size() && i < tasks.size(); ++i) {
    const auto& task = tasks[i];
    if (!task || task->state != core::TaskState::success || !task->output) continue;
    auto file = ctx.blobs.open_for_reading(storage::BlobKind::result, task->result_key());
    if (!file.ok()) return file.error();
    if (!*file) continue;  // deleted on its own since it was read
    entries.push_back({entry_name(batch, batch.entries[i], *task->output), std::move(**file)});
  }
  auto zip = archive::write_zip(std::move(entries), std::filesystem::temp_directory_path());
  if (!zip.ok()) return zip.error();
  return file_response(beast_http::status::ok, std::move(zip->file));
}

}  // namespace

asio::awaitable<Reply> handle_batch_archive(ApiContext& ctx, const Request& request,
                                            const RouteMatch& route, const Caller& caller) {
  auto batch = co_await find_live_batch(ctx, route.id, caller.owner);
  if (!batch.ok()) co_return error_response(batch.error());
  auto tasks = co_await read_batch_tasks(ctx, *batch);
  if (!tasks.ok()) co_return error_response(tasks.error());
  auto zip = co_await ctx.blocking.run([&] { return build_archive(ctx, *batch, *tasks); });
  if (!zip.ok()) {
    core::log::error("batch archive failed",
                     {{"batch_id", batch->id.str()}, {"error", zip.error().log_message()}});
    co_return error_response(core::Error::make(core::ErrorCode::backend_unavailable,
                                               "The archive could not be made; retry shortly."));
  }
  FileResponse response = std::move(zip).value();
  response.version(request.version());
  response.set(beast_http::field::content_type, "application/zip");
  response.set(beast_http::field::content_disposition,
               "attachment; filename=\"batch-" + batch->id.str() + ".zip\"");
  // Whether every task had ended: a client that wants every result waits on the batch first.
  response.set("X-Batch-Complete", batch_done(*tasks) ? "true" : "false");
  response.set(beast_http::field::cache_control, "private, no-store");
  co_return response;
}

}  // namespace image_resize::http
