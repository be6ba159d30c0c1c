#include "sources/sway_fullscreen.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
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
      socket_(io),
      reconnect_(io, [this] { return connect(); }) {
    if (!connect()) reconnect_.later();
}

SwayFullscreen::~SwayFullscreen() {
    *alive_ = false;
    reconnect_.cancel();
    boost::system::error_code ignored;
    socket_.close(ignored);
}

bool SwayFullscreen::connect() {
    boost::system::error_code ec;
    if (path_.size() >= sizeof(sockaddr_un::sun_path)) {
        spdlog::warn("SWAYSOCK is too long a path: full-screen windows are not seen");
        return true;  // not worth trying again
    }
    socket_.close(ec);
    socket_.connect(boost::asio::local::stream_protocol::endpoint(path_), ec);
    if (ec) {
        spdlog::debug("cannot reach sway at {}: {}", path_, ec.message());
        socket_.close(ec);
        return false;
    }
    reconnect_.connected();
    outbox_.clear();
    send(subscribe, R"(["window","workspace"])");
    send(get_tree, "");
    read_header();
    return true;
}

void SwayFullscreen::send(std::uint32_t type, std::string_view payload) {
    std::string message(magic);
    auto length = static_cast<std::uint32_t>(payload.size());
    message.append(reinterpret_cast<const char*>(&length), sizeof length);
    message.append(reinterpret_cast<const char*>(&type), sizeof type);
    message.append(payload);
    outbox_.push_back(std::move(message));
    if (outbox_.size() == 1) write_front();  // else after the one being written
}

void SwayFullscreen::write_front() {
    boost::asio::async_write(
        socket_, boost::asio::buffer(outbox_.front()),
        [this, alive = alive_](const boost::system::error_code& ec, std::size_t) {
            if (!*alive || ec) return;  // a broken socket is the reader's
            outbox_.erase(outbox_.begin());
            if (!outbox_.empty()) write_front();
        });
}

void SwayFullscreen::read_header() {
    boost::asio::async_read(
        socket_, boost::asio::buffer(header_),
        [this, alive = alive_](const boost::system::error_code& ec, std::size_t) {
            if (!*alive) return;
            if (ec) return lose(ec);
            std::uint32_t length = 0, type = 0;
            std::memcpy(&length, header_.data() + magic.size(), sizeof length);
            std::memcpy(&type, header_.data() + magic.size() + sizeof length, sizeof type);
            if (std::string_view(header_.data(), magic.size()) != magic || length > longest_payload)
                return lose(make_error_code(boost::system::errc::bad_message));
            read_payload(type, length);
        });
}

void SwayFullscreen::read_payload(std::uint32_t type, std::uint32_t length) {
    payload_.resize(length);
    boost::asio::async_read(
        socket_, boost::asio::buffer(payload_),
        [this, alive = alive_, type](const boost::system::error_code& ec, std::size_t) {
            if (!*alive) return;
            if (ec) return lose(ec);
            take(type, payload_);
            read_header();
        });
}

void SwayFullscreen::take(std::uint32_t type, const std::string& payload) {
    auto message = nlohmann::json::parse(payload, nullptr, false);
    if (!message.is_object()) return;
    auto change = message.value("change", "");
    if (type == get_tree) {
        tell(focused_fullscreen(message).value_or(0) != 0);
    } else if (type == window_event) {
        if (change == "focus" || change == "fullscreen_mode" || change == "close" ||
            change == "move" || change == "floating")
            send(get_tree, "");
    } else if (type == workspace_event) {
        if (change == "focus" || change == "move") send(get_tree, "");
    } else if (type == subscribe && !message.value("success", false)) {
        spdlog::warn("sway refused to tell window events: full-screen windows are not seen");
    }
}

void SwayFullscreen::tell(bool on) {
    if (fullscreen_ == on) return;
    fullscreen_ = on;
    spdlog::debug("the window in focus is {}full screen", on ? "" : "not ");
    sink_.report({name, fact::Quiet{on, "a full-screen window"}});
}

void SwayFullscreen::lose(const boost::system::error_code& ec) {
    spdlog::debug("lost sway's IPC socket {}: {}", path_, ec.message());
    boost::system::error_code ignored;
    socket_.close(ignored);
    outbox_.clear();
    fullscreen_.reset();
    sink_.report({name, fact::Gone{}});
    reconnect_.later();
}

}  // namespace postured
