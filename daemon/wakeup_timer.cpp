#include "wakeup_timer.hpp"

#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <boost/asio/post.hpp>

#include "clock.hpp"

namespace postured {

namespace {

using namespace std::chrono_literals;

int make_timer(clockid_t clock) {
    int fd = timerfd_create(clock, TFD_NONBLOCK | TFD_CLOEXEC);
    if (fd < 0) throw std::runtime_error(std::string("timerfd_create: ") + std::strerror(errno));
    return fd;
}

timespec to_timespec(std::chrono::nanoseconds since_epoch) {
    auto s = std::chrono::floor<std::chrono::seconds>(since_epoch);
    return {static_cast<time_t>(s.count()), static_cast<long>((since_epoch - s).count())};
}

// Beyond any deadline, but armed: a wall-clock timer reports a clock change only while armed.
constexpr std::time_t far_future = 7'000'000'000;

}  // namespace

WakeupTimer::WakeupTimer(boost::asio::io_context& io, std::function<void()> on_wake)
    : boot_(io, make_timer(CLOCK_BOOTTIME)),
      wall_(io, make_timer(CLOCK_REALTIME)),
      on_wake_(std::move(on_wake)) {
    arm(MonoTime::max(), LocalTime::max());
    wait(boot_);
    wait(wall_);
}

void WakeupTimer::arm(MonoTime deadline, LocalTime calendar_edge) {
    itimerspec boot{};  // all zero: disarmed
    if (deadline != MonoTime::max())
        boot.it_value = to_timespec(std::max(std::chrono::nanoseconds{deadline.time_since_epoch()},
                                             std::chrono::nanoseconds{1}));
    timerfd_settime(boot_.native_handle(), TFD_TIMER_ABSTIME, &boot, nullptr);

    // Setting the timer again forgets a clock set since it was last set, and the step that arms
    // it may have read the time before that set: a set since, up to the moment the timer is set
    // again, wakes the loop once more.
    auto offset = wall_minus_boot();
    std::uint64_t expirations = 0;
    bool clock_set =
        read(wall_.native_handle(), &expirations, sizeof expirations) < 0 && errno == ECANCELED;
    itimerspec wall{};
    wall.it_value.tv_sec =
        calendar_edge == LocalTime::max() ? far_future : to_time_t(calendar_edge);
    timerfd_settime(wall_.native_handle(), TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &wall,
                    nullptr);
    if (clock_set || std::chrono::abs(wall_minus_boot() - offset) > 50ms)
        boost::asio::post(wall_.get_executor(), on_wake_);
}

void WakeupTimer::wait(boost::asio::posix::stream_descriptor& timer) {
    timer.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                     [this, &timer](const boost::system::error_code& ec) {
                         if (ec) return;
                         // Expirations, or ECANCELED when the wall clock was set: both wake.
                         std::uint64_t expirations = 0;
                         if (read(timer.native_handle(), &expirations, sizeof expirations) < 0 &&
                             errno == EAGAIN) {
                             wait(timer);
                             return;
                         }
                         wait(timer);
                         on_wake_();
                     });
}

}  // namespace postured
