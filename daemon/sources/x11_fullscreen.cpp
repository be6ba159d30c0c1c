#include "sources/x11_fullscreen.hpp"

#include <spdlog/spdlog.h>
#include <vector>

#include <X11/Xatom.h>
#include <X11/Xlib.h>

namespace postured {

namespace {

// A property of 32-bit items (Window, Atom), empty when it is not there or the window is gone.
std::vector<unsigned long> read_list(Display* display, Window window, Atom property, Atom type) {
    Atom actual_type = None;
    int format = 0;
    unsigned long count = 0, after = 0;
    unsigned char* data = nullptr;
    std::vector<unsigned long> items;
    if (XGetWindowProperty(display, window, property, 0, 64, False, type, &actual_type, &format,
                           &count, &after, &data) == Success &&
        actual_type == type && format == 32 && data) {
        auto* longs = reinterpret_cast<unsigned long*>(data);  // Xlib widens format 32 to long
        items.assign(longs, longs + count);
    }
    if (data) XFree(data);
    return items;
}

}  // namespace

X11Fullscreen::X11Fullscreen(boost::asio::io_context& io, PresenceSink& sink, std::string display)
    : sink_(sink),
      connection_(io, std::move(display), "full-screen windows", spdlog::level::debug,
                  {[this](Display* d) { return setup(d); }, [this](XEvent& e) { read(e); },
                   [this] {
                       active_ = None;
                       sink_.report({name, fact::Gone{}});
                   }}) {}

X11Connection::Setup X11Fullscreen::setup(Display* display) {
    root_ = DefaultRootWindow(display);
    active_window_atom_ = XInternAtom(display, "_NET_ACTIVE_WINDOW", False);
    state_atom_ = XInternAtom(display, "_NET_WM_STATE", False);
    fullscreen_atom_ = XInternAtom(display, "_NET_WM_STATE_FULLSCREEN", False);
    XSelectInput(display, root_, PropertyChangeMask);
    active_ = None;
    follow_active_window();
    tell();
    XFlush(display);
    return X11Connection::Setup::ready;
}

// Listens to the window in focus before reading its state, so that no change falls between.
void X11Fullscreen::follow_active_window() {
    auto* display = connection_.display();
    auto active = read_list(display, root_, active_window_atom_, XA_WINDOW);
    Window now = active.empty() ? None : active.front();
    if (now != active_ && active_ != None) XSelectInput(display, active_, NoEventMask);
    if (now != None) XSelectInput(display, now, PropertyChangeMask);
    active_ = now;
    fullscreen_ = false;
    if (active_ != None)
        for (auto atom : read_list(display, active_, state_atom_, XA_ATOM))
            fullscreen_ = fullscreen_ || atom == fullscreen_atom_;
}

void X11Fullscreen::read(XEvent& event) {
    if (event.type != PropertyNotify) return;
    auto& property = event.xproperty;
    bool was = fullscreen_;
    if (property.window == root_ && property.atom == active_window_atom_)
        follow_active_window();
    else if (property.window == active_ && property.atom == state_atom_)
        follow_active_window();
    else
        return;
    if (fullscreen_ != was) tell();
}

void X11Fullscreen::tell() {
    spdlog::debug("the window in focus is {}full screen", fullscreen_ ? "" : "not ");
    sink_.report({name, fact::Quiet{fullscreen_, full_screen_window()}});
}

}  // namespace postured
