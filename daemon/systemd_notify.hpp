#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <string>

#include "core/status.hpp"

namespace postured {

// Tells systemd how the service is doing (sd_notify), and pings its watchdog at half the period
// systemd asked for; when it asked for none, nothing wakes up for it. Without systemd every call
// does nothing.
class SystemdNotify : public StatusFollower {
  public:
    explicit SystemdNotify(boost::asio::io_context& io);

    void ready();
    void status(const std::string& text);
    // The status line `systemctl status` shows.
    void status_changed(const Status& status) override;
    void reloading();
    void stopping();

  private:
    void ping();

    boost::asio::steady_timer watchdog_;
    std::chrono::microseconds period_{0};
    std::string status_;
};

// Whether stderr is connected to the journal (JOURNAL_STREAM names its device and inode).
bool stderr_is_journal();

}  // namespace postured
