#include "sources/x11_connection.hpp"

#include <spdlog/spdlog.h>
#include <algorithm>
#include <mutex>

#include <X11/Xlib.h>

namespace postured {

namespace {

// Xlib's default handlers print and exit the process; a lost X server must not end the daemon,
// and a window that vanished between two requests is no error worth telling.
void quiet_xlib_errors() {
    static std::once_flag once;
    std::call_once(once, [] {
        XSetErrorHandler([](Display*, XErrorEvent* e) {
            spdlog::debug("X error {} on request {}", int(e->error_code), int(e->request_code));
            return 0;
        });
        XSetIOErrorHandler([](Display*) { return 0; });
    });
}

}  // namespace

X11Connection::X11Connection(boost::asio::io_context& io, std::string display, std::string watching,
                             spdlog::level::level_enum loudness, Handlers handlers)
    : name_(std::move(display)),
      watching_(std::move(watching)),
      loudness_(loudness),
      handlers_(std::move(handlers)),
      descriptor_(io),
      reconnect_(io, [this] { return connect(); }) {
    quiet_xlib_errors();
    if (!connect()) reconnect_.later();
}

X11Connection::~X11Connection() {
    disconnect();
}

bool X11Connection::connect() {
    display_ = XOpenDisplay(name_.c_str());
    if (!display_) {
        if (!told_unreachable_)
            spdlog::log(loudness_, "cannot open the X display {}: {} is not seen until it can be",
                        name_, watching_);
        told_unreachable_ = true;
        return false;
    }
    lost_ = false;
    XSetIOErrorExitHandler(
        display_, [](Display*, void* self) { static_cast<X11Connection*>(self)->lost_ = true; },
        this);

    auto setup = handlers_.setup(display_);
    if (setup != Setup::ready || lost_) {
        disconnect();
        return setup == Setup::give_up;
    }
    if (told_unreachable_)
        spdlog::log(std::min(loudness_, spdlog::level::info),
                    "watching {} on the X display {} again", watching_, name_);
    told_unreachable_ = false;
    reconnect_.connected();
    descriptor_.assign(ConnectionNumber(display_));
    read_events();
    return true;
}

void X11Connection::wait_for_events() {
    descriptor_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                           [this](const boost::system::error_code& ec) {
                               if (!ec) read_events();
                           });
}

void X11Connection::read_events() {
    while (!lost_ && XPending(display_) > 0) {
        XEvent event;
        XNextEvent(display_, &event);
        handlers_.event(event);
    }
    if (!lost_) return wait_for_events();
    spdlog::log(loudness_, "lost the X display {}: {} is not seen until it is back", name_,
                watching_);
    told_unreachable_ = true;
    disconnect();
    handlers_.lost();
    reconnect_.later();
}

void X11Connection::disconnect() {
    reconnect_.cancel();
    if (!display_) return;
    if (descriptor_.is_open()) {
        descriptor_.cancel();
        descriptor_.release();  // the descriptor is Xlib's to close
    }
    XCloseDisplay(display_);
    display_ = nullptr;
}

}  // namespace postured
