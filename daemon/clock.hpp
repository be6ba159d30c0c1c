#pragma once

#include <ctime>

#include "core/time.hpp"

namespace postured {

// CLOCK_BOOTTIME, which keeps counting through suspend: the clock of every deadline. Safe to
// read from any thread.
MonoTime boot_clock_now();
// A time on CLOCK_MONOTONIC (as logind dates its hints) on CLOCK_BOOTTIME.
MonoTime from_monotonic(std::chrono::microseconds monotonic);

// The wall clock less CLOCK_BOOTTIME: it moves only when the wall clock is set (or slewed, slowly).
milliseconds wall_minus_boot();

// The moment a local calendar time falls on, through the time zone's rules (daylight saving
// time included).
std::time_t to_time_t(LocalTime local);

// The machine's clocks: CLOCK_BOOTTIME, the local calendar, and how long the machine has slept.
Now system_now();

}  // namespace postured
