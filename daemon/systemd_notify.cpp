#include "systemd_notify.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include <spdlog/spdlog.h>

#include "core/protocol.hpp"

namespace postured {

// sd_notify() waits while the manager's queue is full, so a manager that stops reading (a frozen
// one, or a NOTIFY_SOCKET left in the environment by whatever started the daemon) would stop the
// daemon with it. Here each message goes without waiting, and one the manager has no room for is
// dropped: the next status replaces it.
SystemdNotify::SystemdNotify(boost::asio::io_context& io) : watchdog_(io) {
    const char* path = std::getenv("NOTIFY_SOCKET");
    auto length = path ? std::strlen(path) : 0;
    if (length > 0 && length < sizeof address_.sun_path && (path[0] == '/' || path[0] == '@')) {
        address_.sun_family = AF_UNIX;
        std::memcpy(address_.sun_path, path, length);
        if (path[0] == '@') address_.sun_path[0] = '\0';  // an abstract socket
        address_length_ = socklen_t(offsetof(sockaddr_un, sun_path) + length);
        socket_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    } else if (length > 0) {
        spdlog::warn("NOTIFY_SOCKET={} is no socket postured can reach: systemd is not told", path);
    }
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        period_ = std::chrono::microseconds{usec / 2};
        ping();
    }
}

SystemdNotify::~SystemdNotify() {
    if (socket_ >= 0) ::close(socket_);
}

void SystemdNotify::send(const std::string& message) {
    if (socket_ < 0) return;
    if (::sendto(socket_, message.data(), message.size(), MSG_NOSIGNAL,
                 reinterpret_cast<const sockaddr*>(&address_), address_length_) < 0 &&
        !dropped_) {
        dropped_ = true;  // said once: a manager that does not read would fill the log
        spdlog::warn("systemd does not take the service's news ({}): it is dropped",
                     std::strerror(errno));
    }
}

void SystemdNotify::ping() {
    send("WATCHDOG=1");
    watchdog_.expires_after(period_);
    watchdog_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) ping();
    });
}

void SystemdNotify::ready() {
    send("READY=1");
}

void SystemdNotify::status_changed(const Status& status) {
    this->status(protocol::status_text(status));
}

void SystemdNotify::status(const std::string& text) {
    if (text == status_) return;
    status_ = text;
    send("STATUS=" + text);
}

void SystemdNotify::reloading() {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    send("RELOADING=1\nMONOTONIC_USEC=" +
         std::to_string(std::uint64_t(now.tv_sec) * 1000000 + std::uint64_t(now.tv_nsec) / 1000));
}

void SystemdNotify::stopping() {
    watchdog_.cancel();
    send("STOPPING=1");
}

bool stderr_is_journal() {
    const char* stream = std::getenv("JOURNAL_STREAM");
    unsigned long long device = 0, inode = 0;
    if (!stream || std::sscanf(stream, "%llu:%llu", &device, &inode) != 2) return false;
    struct stat st {};
    return fstat(2, &st) == 0 && st.st_dev == device && st.st_ino == inode;
}

}  // namespace postured
