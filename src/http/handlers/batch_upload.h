#pragma once
// Storing an upload: one task (resize_handler.cpp), or a batch of them (batch_upload.cpp). Both
// block: call them on the blocking pool.

#include <optional>
#include <string_view>

#include "core/result.h"
#include "http/api_context.h"
#include "http/forms/batch_form.h"
#include "http/handlers/handlers.h"
#include "http/handlers/idempotency.h"

namespace image_resize::http {

// Every file's header checked against every variant, the inputs stored once per file, then the
// batch and all its tasks in one transaction: a 202 means all of them will run, an error that
// none will (the inputs stored are removed again). `accept`: the upload's Accept header, for
// variants with format=auto. `claim`: the upload's Idempotency-Key (idempotency.h).
core::Result<Accepted> store_batch(ApiContext& ctx, const Caller& caller, BatchForm& form,
                                   std::string_view accept,
                                   const std::optional<IdempotencyClaim>& claim);

}  // namespace image_resize::http
