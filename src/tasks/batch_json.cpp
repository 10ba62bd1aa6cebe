#include "tasks/batch_json.h"

#include <nlohmann/json.hpp>

namespace image_resize::tasks {
namespace {

core::Error corrupt(std::string_view why) {
  return core::Error::make(core::ErrorCode::internal, "Internal error",
                           "stored batch is unreadable: " + std::string(why));
}

core::TaskId id_from(const nlohmann::json& value) {
  auto id = core::TaskId::parse(value.get<std::string>());
  if (!id) throw std::invalid_argument("bad id " + value.get<std::string>());
  return *id;
}

}  // namespace

std::string batch_to_json(const core::BatchRecord& batch) {
  nlohmann::json files = nlohmann::json::array();
  for (const core::BatchFile& file : batch.files) {
    files.push_back({{"name", file.name}, {"input_id", file.input_id.str()}});
  }
  nlohmann::json entries = nlohmann::json::array();
  for (const core::BatchEntry& entry : batch.entries) {
    entries.push_back(
        {{"task_id", entry.task_id.str()}, {"file", entry.file}, {"variant", entry.variant}});
  }
  return nlohmann::json{{"id", batch.id.str()},
                        {"owner", batch.owner},
                        {"created_at", core::to_unix_ms(batch.created_at)},
                        {"expires_at", core::to_unix_ms(batch.expires_at)},
                        {"files", std::move(files)},
                        {"entries", std::move(entries)}}
      .dump();
}

core::Result<core::BatchRecord> batch_from_json(std::string_view json) {
  try {
    const auto document = nlohmann::json::parse(json);
    core::BatchRecord batch{
        .id = id_from(document.at("id")),
        .owner = document.at("owner").get<std::string>(),
        .created_at = core::from_unix_ms(document.at("created_at").get<std::int64_t>()),
        .expires_at = core::from_unix_ms(document.at("expires_at").get<std::int64_t>()),
        .files = {},
        .entries = {},
    };
    for (const auto& file : document.at("files")) {
      batch.files.push_back({file.at("name").get<std::string>(), id_from(file.at("input_id"))});
    }
    for (const auto& entry : document.at("entries")) {
      const auto index = entry.at("file").get<std::size_t>();
      if (index >= batch.files.size()) return corrupt("an entry names no file");
      batch.entries.push_back(
          {id_from(entry.at("task_id")), index, entry.at("variant").get<std::string>()});
    }
    return batch;
  } catch (const std::exception& error) {
    return corrupt(error.what());
  }
}

}  // namespace image_resize::tasks
