#pragma once

#include "core/time.hpp"

namespace postured {

// The machine's clocks. `mono` is CLOCK_BOOTTIME, which keeps counting through suspend;
// comparing it with CLOCK_MONOTONIC, which does not, tells how long the machine slept.
class SystemClock {
  public:
    SystemClock();
    Now now() const;
    // Time spent suspended since the previous call.
    milliseconds take_slept();

  private:
    milliseconds sleep_offset_;
};

}  // namespace postured
