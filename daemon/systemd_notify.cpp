#include "systemd_notify.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <algorithm>
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
// daemon with it. Here each message goes without waiting; one the manager has no room for is sent
// again later, in order (a status only as the latest one), and a watchdog ping is dropped.
SystemdNotify::SystemdNotify(boost::asio::io_context& io) : watchdog_(io), retry_(io) {
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

void SystemdNotify::send(std::string message) {
    if (socket_ < 0) return;
    bool ping = message == "WATCHDOG=1";
    if (ping && !send_unsent()) return;  // a manager with no room for what waits takes no ping
    if (message.starts_with("STATUS=") && !unsent_.empty() && unsent_.back().starts_with("STATUS="))
        unsent_.back() = std::move(message);
    else
        unsent_.push_back(std::move(message));
    if (send_unsent()) return;
    if (ping) unsent_.pop_back();
    if (!told_unsent_) {
        told_unsent_ = true;  // once: a manager that does not read would fill the log
        spdlog::warn("systemd takes no news now (its queue is full): it is sent again later");
    }
    if (!unsent_.empty() && !retrying_) retry();
}

// Sends what waits, oldest first; false when the manager has no room yet. A message it refuses
// for any other reason (it is gone) is not sent again.
bool SystemdNotify::send_unsent() {
    while (!unsent_.empty()) {
        auto& message = unsent_.front();
        if (::sendto(socket_, message.data(), message.size(), MSG_NOSIGNAL,
                     reinterpret_cast<const sockaddr*>(&address_), address_length_) < 0) {
            if (errno == EAGAIN) return false;
            if (!told_refused_)  // once: a manager that is gone would refuse every status
                spdlog::warn("systemd cannot be told {} ({})", message.substr(0, message.find('=')),
                             std::strerror(errno));
            told_refused_ = true;
        }
        unsent_.pop_front();
    }
    retry_after_ = std::chrono::milliseconds{100};
    return true;
}

void SystemdNotify::retry() {
    retrying_ = true;
    retry_.expires_after(retry_after_);
    retry_.async_wait([this](const boost::system::error_code& ec) {
        if (ec) return;
        retrying_ = false;
        if (send_unsent()) return;
        retry_after_ = std::min(retry_after_ * 2, std::chrono::milliseconds{30000});
        retry();
    });
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

bool is_journal(int fd) {
    const char* stream = std::getenv("JOURNAL_STREAM");
    unsigned long long device = 0, inode = 0;
    if (!stream || std::sscanf(stream, "%llu:%llu", &device, &inode) != 2) return false;
    struct stat st {};
    return fstat(fd, &st) == 0 && st.st_dev == device && st.st_ino == inode;
}

}  // namespace postured
