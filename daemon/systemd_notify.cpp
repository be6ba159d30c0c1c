#include "systemd_notify.hpp"

#include <sys/stat.h>
#include <systemd/sd-daemon.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "core/protocol.hpp"

namespace postured {

SystemdNotify::SystemdNotify(boost::asio::io_context& io) : watchdog_(io) {
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        period_ = std::chrono::microseconds{usec / 2};
        ping();
    }
}

void SystemdNotify::ping() {
    sd_notify(0, "WATCHDOG=1");
    watchdog_.expires_after(period_);
    watchdog_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) ping();
    });
}

void SystemdNotify::ready() {
    sd_notify(0, "READY=1");
}

void SystemdNotify::status_changed(const Status& status) {
    this->status(protocol::status_text(status));
}

void SystemdNotify::status(const std::string& text) {
    if (text == status_) return;
    status_ = text;
    sd_notifyf(0, "STATUS=%s", text.c_str());
}

void SystemdNotify::reloading() {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu",
               static_cast<unsigned long long>(now.tv_sec) * 1000000ULL +
                   static_cast<unsigned long long>(now.tv_nsec / 1000));
}

void SystemdNotify::stopping() {
    watchdog_.cancel();
    sd_notify(0, "STOPPING=1");
}

bool stderr_is_journal() {
    const char* stream = std::getenv("JOURNAL_STREAM");
    unsigned long long device = 0, inode = 0;
    if (!stream || std::sscanf(stream, "%llu:%llu", &device, &inode) != 2) return false;
    struct stat st {};
    return fstat(2, &st) == 0 && st.st_dev == device && st.st_ino == inode;
}

}  // namespace postured
