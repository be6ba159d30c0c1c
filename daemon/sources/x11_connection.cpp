#include "sources/x11_connection.hpp"

#include <spdlog/spdlog.h>
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
      handlers_(std::move(handlers)),
      connection_(io, *this, "the X display " + name_, std::move(watching), loudness) {
    quiet_xlib_errors();
    connection_.start();
}

X11Connection::~X11Connection() {
    connection_.stop();
}

int X11Connection::open(std::string&) {
    display_ = XOpenDisplay(name_.c_str());
    if (!display_) return PeerConnection::unreachable;
    lost_ = false;
    XSetIOErrorExitHandler(
        display_, [](Display*, void* self) { static_cast<X11Connection*>(self)->lost_ = true; },
        this);
    auto setup = handlers_.setup(display_);
    if (setup == Setup::give_up) return PeerConnection::give_up;
    if (setup == Setup::retry || lost_) return PeerConnection::unreachable;
    connection_.ready();
    return ConnectionNumber(display_);
}

bool X11Connection::read() {
    while (!lost_ && XPending(display_) > 0) {
        XEvent event;
        XNextEvent(display_, &event);
        handlers_.event(event);
    }
    return !lost_;
}

void X11Connection::close() {
    if (display_) XCloseDisplay(display_);
    display_ = nullptr;
}

}  // namespace postured
