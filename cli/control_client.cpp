#include "control_client.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace postured {

std::optional<ControlClient> ControlClient::connect(const std::string& path, std::string& error,
                                                    int& error_code) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.size() >= sizeof address.sun_path) {
        error = "socket path too long: " + path;
        error_code = ENAMETOOLONG;
        return std::nullopt;
    }
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        error_code = errno;
        error = std::strerror(errno);
        if (fd >= 0) close(fd);
        return std::nullopt;
    }
    return ControlClient(fd);
}

ControlClient::~ControlClient() {
    if (fd_ >= 0) close(fd_);
}

bool ControlClient::send(const nlohmann::json& request) {
    auto text = request.dump() + "\n";
    std::size_t sent = 0;
    while (sent < text.size()) {
        auto n = ::send(fd_, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

std::optional<nlohmann::json> ControlClient::receive(
    std::optional<std::chrono::milliseconds> timeout, int output) {
    for (;;) {
        if (auto end = buffer_.find('\n'); end != std::string::npos) {
            auto message = nlohmann::json::parse(buffer_.substr(0, end), nullptr, false);
            buffer_.erase(0, end + 1);
            if (message.is_discarded()) return std::nullopt;
            return message;
        }
        if (timeout || output >= 0) {
            pollfd p[] = {{fd_, POLLIN, 0}, {output, 0, 0}};  // a negative fd is skipped
            int ready = poll(p, 2, timeout ? static_cast<int>(timeout->count()) : -1);
            if (ready < 0 && errno == EINTR) continue;
            if (ready <= 0) return std::nullopt;
            if (p[1].revents & (POLLERR | POLLHUP | POLLNVAL)) {
                output_gone_ = true;
                return std::nullopt;
            }
        }
        char chunk[4096];
        auto n = recv(fd_, chunk, sizeof chunk, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            eof_ = true;
            return std::nullopt;
        }
        buffer_.append(chunk, static_cast<std::size_t>(n));
    }
}

bool wait_while_read(int output, std::chrono::milliseconds timeout) {
    pollfd p{output, 0, 0};
    while (poll(&p, 1, static_cast<int>(timeout.count())) < 0 && errno == EINTR) {
    }
    return !(p.revents & (POLLERR | POLLHUP | POLLNVAL));
}

}  // namespace postured
