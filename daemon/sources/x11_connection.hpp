#pragma once

#include <spdlog/common.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <functional>
#include <string>

#include "sources/reconnect.hpp"

// Xlib's headers define Status, which would clash with postured's: they stay in the .cpp files.
struct _XDisplay;
union _XEvent;

namespace postured {

// A connection to an X server on the Asio loop: its events are read when its descriptor is
// readable, nothing polls. A server that cannot be reached, or goes away, is looked for again,
// less often the longer it stays away.
class X11Connection {
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
    // Whether the server went away during the last requests.
    bool lost() const { return lost_; }

  private:
    bool connect();
    void disconnect();
    void wait_for_events();
    void read_events();

    std::string name_;
    std::string watching_;
    spdlog::level::level_enum loudness_;
    Handlers handlers_;
    _XDisplay* display_ = nullptr;
    bool lost_ = false;
    bool told_unreachable_ = false;
    boost::asio::posix::stream_descriptor descriptor_;
    Reconnect reconnect_;
};

}  // namespace postured
