#include "sources/sway_fullscreen.hpp"

#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

namespace postured {

namespace {

// sway's IPC is i3's: "i3-ipc", the payload's length and the message type in the host's byte
// order, then JSON.
constexpr std::string_view magic = "i3-ipc";
constexpr std::uint32_t subscribe = 2;
constexpr std::uint32_t get_tree = 4;
constexpr std::uint32_t workspace_event = 0x80000000;
constexpr std::uint32_t window_event = 0x80000003;
constexpr std::uint32_t longest_payload = 64 << 20;

// The fullscreen_mode of the focused node of sway's tree (0 when it is not full screen). A
// workspace in focus (it has no window) says 1: only windows count.
std::optional<int> focused_fullscreen(const nlohmann::json& node) {
    if (!node.is_object()) return std::nullopt;
    if (node.value("focused", false)) {
        auto type = node.value("type", "");
        return type == "con" || type == "floating_con" ? node.value("fullscreen_mode", 0) : 0;
    }
    for (auto* key : {"nodes", "floating_nodes"})
        if (auto children = node.find(key); children != node.end() && children->is_array())
            for (auto& child : *children)
                if (auto found = focused_fullscreen(child)) return found;
    return std::nullopt;
}

}  // namespace

SwayFullscreen::SwayFullscreen(boost::asio::io_context& io, PresenceSink& sink,
                               std::string socket_path)
    : sink_(sink),
      path_(std::move(socket_path)),
      connection_(io, *this, "sway's IPC socket " + path_, "full-screen windows",
                  spdlog::level::debug) {
    connection_.start();
}

SwayFullscreen::~SwayFullscreen() {
    connection_.stop();
}

int SwayFullscreen::open(std::string& why) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path_.size() >= sizeof address.sun_path) {
        spdlog::warn("SWAYSOCK is too long a path: full-screen windows are not seen");
        return PeerConnection::give_up;
    }
    path_.copy(address.sun_path, path_.size());
    socket_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (socket_ < 0 ||
        ::connect(socket_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        why = std::strerror(errno);
        return PeerConnection::unreachable;
    }
    if (!send(subscribe, R"(["window","workspace"])") || !send(get_tree, ""))
        return PeerConnection::unreachable;
    connection_.ready();
    return socket_;
}

// A request is a few bytes: one that does not fit the socket's buffer whole means sway has
// stopped reading, and the connection is given up.
bool SwayFullscreen::send(std::uint32_t type, std::string_view payload) {
    std::string message(magic);
    auto length = static_cast<std::uint32_t>(payload.size());
    message.append(reinterpret_cast<const char*>(&length), sizeof length);
    message.append(reinterpret_cast<const char*>(&type), sizeof type);
    message.append(payload);
    return ::send(socket_, message.data(), message.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(message.size());
}

bool SwayFullscreen::read() {
    char chunk[4096];
    for (;;) {
        auto got = ::recv(socket_, chunk, sizeof chunk, 0);
        if (got > 0) {
            received_.append(chunk, static_cast<std::size_t>(got));
            continue;
        }
        if (got == 0 || (errno != EAGAIN && errno != EINTR)) return false;
        if (errno == EAGAIN) break;
    }
    constexpr auto header = magic.size() + 2 * sizeof(std::uint32_t);
    while (received_.size() >= header) {
        std::uint32_t length = 0, type = 0;
        std::memcpy(&length, received_.data() + magic.size(), sizeof length);
        std::memcpy(&type, received_.data() + magic.size() + sizeof length, sizeof type);
        if (std::string_view(received_.data(), magic.size()) != magic || length > longest_payload)
            return false;
        if (received_.size() < header + length) break;
        if (!take(type, received_.substr(header, length))) return false;
        received_.erase(0, header + length);
    }
    return true;
}

bool SwayFullscreen::take(std::uint32_t type, const std::string& payload) {
    auto message = nlohmann::json::parse(payload, nullptr, false);
    if (!message.is_object()) return true;
    auto change = message.value("change", "");
    if (type == get_tree) {
        tell(focused_fullscreen(message).value_or(0) != 0);
    } else if (type == window_event) {
        if (change == "focus" || change == "fullscreen_mode" || change == "close" ||
            change == "move" || change == "floating")
            return send(get_tree, "");
    } else if (type == workspace_event) {
        if (change == "focus" || change == "move") return send(get_tree, "");
    } else if (type == subscribe && !message.value("success", false)) {
        spdlog::warn("sway refused to tell window events: full-screen windows are not seen");
    }
    return true;
}

void SwayFullscreen::tell(bool on) {
    if (fullscreen_ == on) return;
    fullscreen_ = on;
    spdlog::debug("the window in focus is {}full screen", on ? "" : "not ");
    sink_.report({name, fact::Quiet{on, full_screen_window()}});
}

void SwayFullscreen::lost() {
    fullscreen_.reset();
    sink_.report({name, fact::Gone{}});
}

void SwayFullscreen::close() {
    if (socket_ >= 0) ::close(socket_);
    socket_ = -1;
    received_.clear();
}

}  // namespace postured
