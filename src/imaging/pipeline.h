#pragma once
// A resize is a list of named steps over one explicit Context, so each step is small, testable
// alone and checked against the deadline between steps (after imgproxy's processing
// pipeline): decode, to_srgb, crop, flatten, embed, strip_metadata,
// encode, placeholder. Steps talk only through the Context's typed fields, never through string
// keys. Internal to imaging/ (it holds a vips::VImage); the port is image_processor.h.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <vips/vips8>

#include "core/limits.h"
#include "core/resize_spec.h"
#include "core/result.h"
#include "imaging/geometry.h"
#include "imaging/placeholder.h"
#include "imaging/source_info.h"

namespace image_resize::imaging {

struct Context {
  // Constant for the job, set by plan_resize() before the pipeline runs.
  std::string_view input;  // the uploaded bytes; the caller keeps them alive until run() ends
  core::ResizeSpec spec;
  core::Limits limits;
  SourceInfo source;
  core::ImageFormat output_format = core::ImageFormat::png;
  Geometry geometry;
  bool keep_animation = false;  // all frames in, all frames out (gif/webp to gif/webp)
  // From limits.max_processing_time when the job starts; none when that is 0.
  std::optional<std::chrono::steady_clock::time_point> deadline;

  // Changed by the steps, in order.
  vips::VImage image;       // set by decode; each later step may replace it (libvips is lazy)
  std::string output;       // set by encode
  Placeholder placeholder;  // set by the placeholder step, from the output
};

// A step does its work or says why not. libvips exceptions escape it and are translated by
// Pipeline::run into `on_library_error`.
using StepFunction = core::Status (*)(Context&);

struct Step {
  std::string_view name;
  StepFunction run = nullptr;
  core::ErrorCode on_library_error = core::ErrorCode::internal;
};

class Pipeline {
 public:
  explicit Pipeline(std::vector<Step> steps) : steps_(std::move(steps)) {}

  // decode → to_srgb → crop → flatten → embed → strip_metadata → encode → placeholder.
  static const Pipeline& standard();

  // Runs the steps in order and stops at the first failure, or with `timeout` once the
  // context's deadline has passed (checked after each step; encode also stops libvips itself).
  core::Status run(Context& context) const;

  const std::vector<Step>& steps() const { return steps_; }

 private:
  std::vector<Step> steps_;
};

}  // namespace image_resize::imaging
