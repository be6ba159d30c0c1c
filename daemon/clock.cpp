#include "clock.hpp"

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

milliseconds wall_minus_boot() {
    return read(CLOCK_REALTIME) - read(CLOCK_BOOTTIME);
}

MonoTime boot_clock_now() {
    return MonoTime{read(CLOCK_BOOTTIME)};
}

MonoTime from_monotonic(std::chrono::microseconds monotonic) {
    auto ago = read(CLOCK_MONOTONIC) - std::chrono::duration_cast<milliseconds>(monotonic);
    return boot_clock_now() - std::max(ago, milliseconds{0});
}

std::time_t to_time_t(LocalTime local) {
    auto day = std::chrono::floor<std::chrono::days>(local);
    std::chrono::year_month_day date{day};
    std::chrono::hh_mm_ss time{local - day};
    std::tm tm{};
    tm.tm_year = int(date.year()) - 1900;
    tm.tm_mon = int(unsigned(date.month())) - 1;
    tm.tm_mday = int(unsigned(date.day()));
    tm.tm_hour = int(time.hours().count());
    tm.tm_min = int(time.minutes().count());
    tm.tm_sec = int(time.seconds().count());
    tm.tm_isdst = -1;
    return std::mktime(&tm);
}

Now system_now() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm);
    return {boot_clock_now(), LocalTime{seconds{t + tm.tm_gmtoff}}, boot_minus_monotonic()};
}

}  // namespace postured
