#pragma once

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>

#include "core/time.hpp"

namespace postured {

// Looks for a peer that is not there (an X server, a Wayland compositor) again and again: after a
// second, then twice as long each time up to a minute, until `connect` succeeds.
class Reconnect {
  public:
    Reconnect(boost::asio::io_context& io, std::function<bool()> connect)
        : timer_(io), connect_(std::move(connect)) {}

    void later() {
        timer_.expires_after(delay_);
        timer_.async_wait([this](const boost::system::error_code& ec) {
            if (!ec && !connect_()) later();
        });
        delay_ = std::min(delay_ * 2, seconds{60});
    }
    void connected() { delay_ = seconds{1}; }
    void cancel() { timer_.cancel(); }

  private:
    boost::asio::steady_timer timer_;
    std::function<bool()> connect_;
    seconds delay_{1};
};

}  // namespace postured
