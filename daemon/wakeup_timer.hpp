#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <functional>

#include "core/time.hpp"

namespace postured {

// Wakes the loop at a deadline on CLOCK_BOOTTIME, the clock the scheduler's deadlines are on, so
// a snooze that ends during a suspend ends at the wake-up, not a suspend's length later; when
// the local calendar reaches an edge of working hours; and at once when the wall clock is set.
// Two timerfds on the loop, nothing in between.
class WakeupTimer {
  public:
    WakeupTimer(boost::asio::io_context& io, std::function<void()> on_wake);

    // MonoTime::max() and LocalTime::max() are never.
    void arm(MonoTime deadline, LocalTime calendar_edge);

  private:
    void wait(boost::asio::posix::stream_descriptor& timer);

    boost::asio::posix::stream_descriptor boot_;
    boost::asio::posix::stream_descriptor wall_;
    std::function<void()> on_wake_;
};

}  // namespace postured
