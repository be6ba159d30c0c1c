#pragma once

#include <sys/un.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <string>

#include "core/status.hpp"

namespace postured {

// Tells systemd how the service is doing (the sd_notify protocol, never waiting for it), and pings
// its watchdog at half the period systemd asked for; when it asked for none, nothing wakes up for
// it. Without systemd every call does nothing.
class SystemdNotify : public StatusFollower {
  public:
    explicit SystemdNotify(boost::asio::io_context& io);
    ~SystemdNotify() override;
    SystemdNotify(const SystemdNotify&) = delete;
    SystemdNotify& operator=(const SystemdNotify&) = delete;

    void ready();
    void status(const std::string& text);
    // The status line `systemctl status` shows.
    void status_changed(const Status& status) override;
    void reloading();
    void stopping();

  private:
    void ping();
    void send(std::string message);
    bool send_unsent();
    void retry();

    int socket_ = -1;
    sockaddr_un address_{};
    socklen_t address_length_ = 0;
    std::deque<std::string> unsent_;              // what the manager had no room for yet, in order
    std::chrono::milliseconds retry_after_{100};  // doubles while the manager reads nothing
    bool retrying_ = false;
    bool told_unsent_ = false;
    bool told_refused_ = false;

    boost::asio::steady_timer watchdog_;
    boost::asio::steady_timer retry_;
    std::chrono::microseconds period_{0};
    std::string status_;
};

// Whether `fd` is connected to the journal (JOURNAL_STREAM names its device and inode).
bool is_journal(int fd);

}  // namespace postured
