#include "sources/peer_connection.hpp"

#include <spdlog/spdlog.h>
#include <algorithm>

namespace postured {

PeerConnection::PeerConnection(boost::asio::io_context& io, Peer& peer, std::string peer_name,
                               std::string watching, spdlog::level::level_enum loudness)
    : peer_(peer),
      peer_name_(std::move(peer_name)),
      watching_(std::move(watching)),
      loudness_(loudness),
      descriptor_(io),
      reconnect_(io, [this] { return connect(); }) {}

void PeerConnection::start() {
    if (!connect()) reconnect_.later();
}

void PeerConnection::stop() {
    disconnect();
}

bool PeerConnection::connect() {
    std::string why;
    int descriptor = peer_.open(why);
    if (descriptor < 0) {
        peer_.close();
        if (descriptor == give_up) return true;
        if (!told_unreachable_)
            spdlog::log(loudness_, "cannot reach {}{}: {} is not seen until it can be", peer_name_,
                        why.empty() ? "" : " (" + why + ")", watching_);
        told_unreachable_ = true;
        return false;
    }
    descriptor_.assign(descriptor);
    take();
    return true;
}

void PeerConnection::ready() {
    if (told_unreachable_)
        spdlog::log(std::min(loudness_, spdlog::level::info), "watching {} on {} again", watching_,
                    peer_name_);
    told_unreachable_ = false;
    reconnect_.connected();
}

void PeerConnection::take() {
    if (!peer_.read()) return lose();
    descriptor_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                           [this](const boost::system::error_code& ec) {
                               if (!ec) take();
                           });
}

void PeerConnection::lose() {
    spdlog::log(loudness_, "lost {}: {} is not seen until it is back", peer_name_, watching_);
    told_unreachable_ = true;
    disconnect();
    peer_.lost();
    reconnect_.later();
}

void PeerConnection::disconnect() {
    reconnect_.cancel();
    if (descriptor_.is_open()) {
        descriptor_.cancel();
        descriptor_.release();  // the peer's to close
    }
    peer_.close();
}

}  // namespace postured
