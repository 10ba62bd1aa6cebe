// image-resize-fault-hooks: the image-resize program whose imaging helper processes act on the
// fault markers (fault_markers.h), and whose HTTP routes die after storing an upload with the
// kill key, for the crash-isolation, long-task and idempotency tests. Test-only: it is built
// with the tests and never installed.
#include "app/entry.h"
#include "fault_injecting_processor.h"
#include "imaging/vips_image_processor.h"
#include "killing_task_store.h"

int main(int argc, char** argv) {
  using namespace image_resize;
  return app::run_program(
      argc, argv,
      {.helper_imaging =
           [] {
             return std::make_unique<testing::FaultInjectingProcessor>(
                 std::make_unique<imaging::VipsImageProcessor>());
           },
       .http_task_store = [](tasks::TaskStore& inner) -> std::unique_ptr<tasks::TaskStore> {
         return std::make_unique<testing::KillingTaskStore>(inner);
       }});
}
