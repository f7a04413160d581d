// Time for the "stays fast" cases, whose point is that a pathological input
// does not blow up. They check a loose budget: a linear pass over their inputs
// takes milliseconds (natively, under sanitizers, in wasm, on a busy machine),
// while the exponential or quadratic behaviour they guard against would take
// minutes or longer. Speed itself is measured by the benchmark, not here.
#pragma once
#include <chrono>

namespace kelisim_test {

constexpr double kQuickSeconds = 2.0;

/// Seconds of wall-clock time since construction.
class Stopwatch {
 public:
  double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace kelisim_test
