#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"
#include "core/language.hpp"

namespace postured {

// Whether a colon-separated list, as XDG_CURRENT_DESKTOP or logind's BlockInhibited, has `entry`.
bool has_entry(std::string_view list, std::string_view entry);

// What the daemon knows of the graphical session it serves: the variables the session exported
// (to the daemon's environment, or to the systemd user manager after the daemon started) and the
// names owned on the session bus.
struct SessionFacts {
    std::string session_type;     // XDG_SESSION_TYPE
    std::string current_desktop;  // XDG_CURRENT_DESKTOP, e.g. "ubuntu:GNOME"
    std::string display;          // DISPLAY
    std::string wayland_display;  // WAYLAND_DISPLAY
    std::vector<std::string> bus_names;
    std::string sway_socket;  // SWAYSOCK

    bool owns(const std::string& name) const;
    bool desktop_is(const std::string& name) const;  // one of XDG_CURRENT_DESKTOP's entries
};

struct IdleSourceChoice {
    ActivitySource source = ActivitySource::none;  // never automatic
    Said note;                                     // why, for the log and `posturectl status`

    bool operator==(const IdleSourceChoice&) const = default;
};

// The bus name whose owner tells GNOME's idle time.
inline const std::string mutter_idle_monitor = "org.gnome.Mutter.IdleMonitor";

// Where to learn whether the user is at the computer. logind and the screen lockers are watched
// whatever this says; this picks the one source of input idleness.
IdleSourceChoice choose_idle_source(ActivitySource configured, const SessionFacts& session);

// Where to learn whether the window in focus is full screen.
struct FocusWatch {
    enum class Via { none, x11, sway } via = Via::none;
    std::string address;  // the X display, or sway's IPC socket

    bool operator==(const FocusWatch&) const = default;
};

// On X11 the window manager tells it, on the session's own display (never XWayland's, which
// knows only its own clients); on Wayland, of the compositors, sway does.
FocusWatch choose_focus_watch(const SessionFacts& session);

}  // namespace postured
