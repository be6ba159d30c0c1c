#pragma once

#include "sources/source.hpp"
#include "sources/x11_connection.hpp"

namespace postured {

// Whether the focused window on an X display is full screen, as the window manager tells it
// (EWMH: _NET_ACTIVE_WINDOW on the root, _NET_WM_STATE_FULLSCREEN on that window), followed
// through PropertyNotify on both. Without such a window manager nothing is ever full screen.
class X11Fullscreen : public Source {
  public:
    X11Fullscreen(boost::asio::io_context& io, PresenceSink& sink, std::string display);

    static constexpr const char* name = "x11-fullscreen";

  private:
    X11Connection::Setup setup(_XDisplay* display);
    void read(_XEvent& event);
    void follow_active_window();
    void tell();

    PresenceSink& sink_;
    unsigned long root_ = 0;  // Window
    unsigned long active_ = 0;
    unsigned long active_window_atom_ = 0;  // Atom
    unsigned long state_atom_ = 0;
    unsigned long fullscreen_atom_ = 0;
    bool fullscreen_ = false;
    X11Connection connection_;
};

}  // namespace postured
