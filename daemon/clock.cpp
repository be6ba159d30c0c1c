#include "clock.hpp"

#include <ctime>

namespace postured {

namespace {

milliseconds read(clockid_t clock) {
    timespec ts{};
    clock_gettime(clock, &ts);
    return std::chrono::duration_cast<milliseconds>(seconds{ts.tv_sec} +
                                                    std::chrono::nanoseconds{ts.tv_nsec});
}

milliseconds boot_minus_monotonic() {
    return read(CLOCK_BOOTTIME) - read(CLOCK_MONOTONIC);
}

}  // namespace

SystemClock::SystemClock() : sleep_offset_(boot_minus_monotonic()) {}

Now SystemClock::now() const {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm);
    return {MonoTime{read(CLOCK_BOOTTIME)}, LocalTime{seconds{t + tm.tm_gmtoff}}};
}

milliseconds SystemClock::take_slept() {
    auto offset = boot_minus_monotonic();
    auto slept = offset - sleep_offset_;
    sleep_offset_ = offset;
    return slept;
}

}  // namespace postured
