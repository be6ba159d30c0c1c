#include <catch2/catch.hpp>

#include "core/source_choice.hpp"

using namespace postured;

namespace {

SessionFacts session(std::string type, std::string desktop, std::string display,
                     std::string wayland, std::vector<std::string> names = {}) {
    return {std::move(type),    std::move(desktop), std::move(display),
            std::move(wayland), std::move(names),   ""};
}

ActivitySource picked(const SessionFacts& facts,
                      ActivitySource configured = ActivitySource::automatic) {
    return choose_idle_source(configured, facts).source;
}

}  // namespace

TEST_CASE("GNOME uses Mutter's idle monitor, on Wayland and on X11", "[sources]") {
    CHECK(picked(session("wayland", "GNOME", ":0", "wayland-0")) == ActivitySource::gnome);
    CHECK(picked(session("wayland", "ubuntu:GNOME", ":0", "wayland-0")) == ActivitySource::gnome);
    CHECK(picked(session("x11", "GNOME-Classic:GNOME", ":0", "")) == ActivitySource::gnome);
    // A user service may see none of the variables yet, but the monitor on the bus.
    CHECK(picked(session("", "", "", "", {"org.gnome.Mutter.IdleMonitor"})) ==
          ActivitySource::gnome);
    CHECK(choose_idle_source(ActivitySource::automatic, session("wayland", "GNOME", "", "w"))
              .note.english == "GNOME session");
}

TEST_CASE("other X11 sessions use the X server's idle counter", "[sources]") {
    CHECK(picked(session("x11", "i3", ":1", "")) == ActivitySource::x11);
    CHECK(picked(session("x11", "XFCE", ":0", "")) == ActivitySource::x11);
    CHECK(picked(session("", "", ":0", "")) == ActivitySource::x11);  // startx, nothing exported
    CHECK(choose_idle_source(ActivitySource::automatic, session("x11", "i3", ":1", ""))
              .note.english == "X11 session on :1");
    // "GNOME" must be a whole entry of XDG_CURRENT_DESKTOP.
    CHECK(picked(session("x11", "NOTGNOME", ":0", "")) == ActivitySource::x11);
}

TEST_CASE("other Wayland compositors use the Wayland idle protocols, never the X server",
          "[sources]") {
    // XWayland's idle counter sees only its own clients.
    auto sway = choose_idle_source(ActivitySource::automatic,
                                   session("wayland", "sway", ":0", "wayland-1"));
    CHECK(sway.source == ActivitySource::wayland);
    CHECK(sway.note.english == "sway session on wayland-1");
    CHECK(picked(session("", "KDE", ":1", "wayland-0")) == ActivitySource::wayland);
    CHECK(picked(session("", "", "", "/run/user/1000/wayland-0")) == ActivitySource::wayland);
    auto unset = choose_idle_source(ActivitySource::automatic, session("wayland", "", ":0", ""));
    CHECK(unset.source == ActivitySource::none);
    CHECK(unset.note.english == "Wayland session, but WAYLAND_DISPLAY is not set");
}

TEST_CASE("no graphical session, no idle source", "[sources]") {
    auto choice = choose_idle_source(ActivitySource::automatic, session("tty", "", "", ""));
    CHECK(choice.source == ActivitySource::none);
    CHECK(choice.note.english == "no graphical session: DISPLAY and WAYLAND_DISPLAY are unset");
}

TEST_CASE("the configuration overrides the idle source", "[sources]") {
    auto gnome = session("wayland", "GNOME", ":0", "wayland-0", {"org.gnome.Mutter.IdleMonitor"});
    CHECK(picked(gnome, ActivitySource::x11) == ActivitySource::x11);
    CHECK(picked(gnome, ActivitySource::logind) == ActivitySource::logind);
    CHECK(picked(gnome, ActivitySource::none) == ActivitySource::none);
    CHECK(picked(session("x11", "i3", ":0", ""), ActivitySource::gnome) == ActivitySource::gnome);
    auto no_display = choose_idle_source(ActivitySource::x11, session("wayland", "sway", "", "w"));
    CHECK(no_display.source == ActivitySource::none);
    CHECK(no_display.note.english == "x11 is configured, but DISPLAY is not set");
    auto sway = session("wayland", "sway", ":0", "wayland-1");
    CHECK(picked(sway, ActivitySource::kde) == ActivitySource::wayland);
    CHECK(picked(gnome, ActivitySource::wayland) == ActivitySource::wayland);
    auto no_wayland = choose_idle_source(ActivitySource::kde, session("x11", "KDE", ":0", ""));
    CHECK(no_wayland.source == ActivitySource::none);
    CHECK(no_wayland.note.english == "kde is configured, but WAYLAND_DISPLAY is not set");
}

TEST_CASE("entries of a colon-separated list", "[sources]") {
    CHECK(has_entry("sleep:idle:handle-lid-switch", "idle"));
    CHECK(has_entry("idle", "idle"));
    CHECK_FALSE(has_entry("sleep:idleness", "idle"));
    CHECK_FALSE(has_entry("", "idle"));
}

TEST_CASE("full-screen windows are followed on X11's own display, and through sway", "[sources]") {
    using Via = FocusWatch::Via;
    CHECK(choose_focus_watch(session("x11", "GNOME", ":0", "")) == FocusWatch{Via::x11, ":0"});
    CHECK(choose_focus_watch(session("", "", ":1", "")) == FocusWatch{Via::x11, ":1"});
    auto sway = session("wayland", "sway", ":0", "wayland-1");
    CHECK(choose_focus_watch(sway) == FocusWatch{});  // XWayland's display knows too little
    sway.sway_socket = "/run/user/1000/sway-ipc.1000.42.sock";
    CHECK(choose_focus_watch(sway) == FocusWatch{Via::sway, sway.sway_socket});
    CHECK(choose_focus_watch(session("", "", ":0", "wayland-1")) == FocusWatch{});
    CHECK(choose_focus_watch(session("tty", "", "", "")) == FocusWatch{});
}
