#pragma once

#include <spdlog/common.h>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <string>

#include "sources/peer_connection.hpp"

// Xlib's headers define Status, which would clash with postured's: they stay in the .cpp files.
struct _XDisplay;
union _XEvent;

namespace postured {

// A connection to an X server, followed by a PeerConnection.
class X11Connection : PeerConnection::Peer {
  public:
    enum class Setup { ready, retry, give_up };
    struct Handlers {
        std::function<Setup(_XDisplay*)> setup;  // on each new connection
        std::function<void(_XEvent&)> event;
        std::function<void()> lost;  // after the server went away
    };

    // `watching` names what is seen through it for the log ("idle time"), where a server out of
    // reach is told at `loudness`.
    X11Connection(boost::asio::io_context& io, std::string display, std::string watching,
                  spdlog::level::level_enum loudness, Handlers handlers);
    ~X11Connection();

    _XDisplay* display() const { return display_; }

  private:
    int open(std::string& why) override;
    bool read() override;
    void close() override;
    void lost() override { handlers_.lost(); }

    std::string name_;
    Handlers handlers_;
    _XDisplay* display_ = nullptr;
    bool lost_ = false;
    PeerConnection connection_;
};

}  // namespace postured
