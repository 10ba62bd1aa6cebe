#pragma once
// How a task's result is cached: its entity tag (computed once, by the worker that stores the
// result, and kept with the task) and its Cache-Control, shared by the result route, the
// presigned URLs of --result-redirect and the objects the worker stores.

#include <string>
#include <string_view>

#include "core/clock.h"

namespace image_resize::core {

// A strong validator from the bytes themselves: a re-run task that produced the same bytes
// keeps its ETag. std::hash (libstdc++: a 64-bit Murmur hash, 8 bytes a step): 16 µs for a
// 100 KB result. Quoted, as the ETag header wants it.
std::string result_entity_tag(std::string_view bytes);

// Cacheable until the task expires, and `immutable`: the result of a task never changes.
// `shared`: proxies and CDNs may keep it too (public), which is right when the URL is the only
// key to it (no API keys, or a presigned URL); otherwise only the client's own cache (private).
std::string result_cache_control(TimePoint expires_at, TimePoint now, bool shared);

}  // namespace image_resize::core
