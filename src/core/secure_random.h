#pragma once
// Random bytes from the operating system's CSPRNG (getrandom(2)): for values an attacker must not
// predict, such as task ids, which are the only key to a task when API keys are off. A
// user-space generator (std::mt19937_64) can be rebuilt from a few hundred of its outputs.

#include <cstddef>
#include <span>

namespace image_resize::core {

// Fills `out`. Draws from the kernel in batches kept per thread (a batch is dropped in a child
// after fork, so parent and child never hand out the same bytes). Aborts if the kernel has no
// random bytes to give, which on Linux ≥ 3.17 only happens before the pool is first seeded at
// boot (getrandom then blocks) or on a broken system.
void secure_random_bytes(std::span<unsigned char> out);

}  // namespace image_resize::core
