#pragma once

#include <chrono>

namespace postured {

// Time that keeps running through suspend (CLOCK_BOOTTIME in the daemon, simulated in tests).
// Durations are measured on it; the wall clock is only for calendar rules.
struct MonoClock {
    using rep = std::int64_t;
    using period = std::milli;
    using duration = std::chrono::milliseconds;
    using time_point = std::chrono::time_point<MonoClock>;
    static constexpr bool is_steady = true;
};
using MonoTime = MonoClock::time_point;
using LocalTime = std::chrono::local_seconds;
using std::chrono::milliseconds;
using std::chrono::seconds;

struct Now {
    MonoTime mono;
    LocalTime local;
    // Time the machine spent suspended since some fixed moment (CLOCK_BOOTTIME less
    // CLOCK_MONOTONIC): a jump in it is a sleep, whether or not logind told of one.
    milliseconds suspended{0};
};

}  // namespace postured
