#include "core/source_choice.hpp"

#include <algorithm>

namespace postured {

bool SessionFacts::owns(const std::string& name) const {
    return std::find(bus_names.begin(), bus_names.end(), name) != bus_names.end();
}

bool has_entry(std::string_view list, std::string_view entry) {
    while (!list.empty()) {
        auto end = std::min(list.find(':'), list.size());
        if (list.substr(0, end) == entry) return true;
        list.remove_prefix(std::min(end + 1, list.size()));
    }
    return false;
}

bool SessionFacts::desktop_is(const std::string& name) const {
    return has_entry(current_desktop, name);
}

namespace {
bool is_wayland(const SessionFacts& session) {
    return session.session_type == "wayland" || !session.wayland_display.empty();
}
}  // namespace

FocusWatch choose_focus_watch(const SessionFacts& session) {
    if (!is_wayland(session))
        return session.display.empty() ? FocusWatch{}
                                       : FocusWatch{FocusWatch::Via::x11, session.display};
    if (!session.sway_socket.empty()) return {FocusWatch::Via::sway, session.sway_socket};
    return {};
}

IdleSourceChoice choose_idle_source(ActivitySource configured, const SessionFacts& session) {
    bool wayland = is_wayland(session);
    auto configured_name = std::string(to_string(configured));
    switch (configured) {
        case ActivitySource::none:
            return {ActivitySource::none, said(N_("turned off in the configuration"))};
        case ActivitySource::x11:
            if (session.display.empty())
                return {ActivitySource::none,
                        said(N_("x11 is configured, but DISPLAY is not set"))};
            return {ActivitySource::x11, say([&] {
                        return formatted(_("configured, on %s"), session.display.c_str());
                    })};
        case ActivitySource::gnome:
            return {ActivitySource::gnome, said(N_("configured"))};
        case ActivitySource::logind:
            return {ActivitySource::logind, said(N_("configured: the session's idle hint"))};
        case ActivitySource::kde:
        case ActivitySource::wayland:
            if (session.wayland_display.empty())
                return {ActivitySource::none, say([&] {
                            return formatted(_("%s is configured, but WAYLAND_DISPLAY is not set"),
                                             configured_name.c_str());
                        })};
            return {ActivitySource::wayland, say([&] {
                        return formatted(_("configured (%s), on %s"), configured_name.c_str(),
                                         session.wayland_display.c_str());
                    })};
        case ActivitySource::automatic:
            break;
    }
    if (session.owns(mutter_idle_monitor) || session.desktop_is("GNOME"))
        return {ActivitySource::gnome, said(N_("GNOME session"))};
    // Under Wayland the X server is XWayland, which sees only its own clients' input.
    if (wayland) {
        auto desktop = session.current_desktop.empty() ? "Wayland" : session.current_desktop;
        if (session.wayland_display.empty())
            return {ActivitySource::none, say([&] {
                        return formatted(_("%s session, but WAYLAND_DISPLAY is not set"),
                                         desktop.c_str());
                    })};
        return {ActivitySource::wayland, say([&] {
                    return formatted(_("%s session on %s"), desktop.c_str(),
                                     session.wayland_display.c_str());
                })};
    }
    if (!session.display.empty())
        return {ActivitySource::x11,
                say([&] { return formatted(_("X11 session on %s"), session.display.c_str()); })};
    return {ActivitySource::none,
            said(N_("no graphical session: DISPLAY and WAYLAND_DISPLAY are unset"))};
}

}  // namespace postured
