#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>
#include <vector>

#include "core/source_choice.hpp"
#include "desktop_bus.hpp"
#include "service.hpp"

namespace postured {

// The sources in use: logind, the screen lockers, the idle inhibitors and the notification
// server's do-not-disturb, watched whenever they are on the bus; the one idle source picked for
// the session, and on X11 the window in focus.
class Sources {
  public:
    // Without a bus, only the X server can be watched.
    Sources(boost::asio::io_context& io, DesktopBus* bus, Service& service);

    // Reads the session and picks the idle source anew: at the start and at every reload, so
    // that a session that exported its variables late is picked up.
    void use(const Config::Activity& activity);
    // Asks the idle source to tell when input pauses (Source::watch_for_pause).
    bool watch_for_pause(bool on) { return idle_ && idle_->watch_for_pause(on); }
    // Asks the sources that tell no changes of do-not-disturb (Source::ask_quiet).
    bool ask_quiet(bool on) { return mako_ && mako_->ask_quiet(on); }

  private:
    struct Running {
        IdleSourceChoice choice;
        std::string display;
        std::string wayland_display;
        milliseconds threshold{0};
        bool inhibited_counts_as_work = true;
        bool operator==(const Running&) const = default;
    };

    void pick(const SessionFacts& session);
    void watch_fullscreen(const FocusWatch& wanted);
    std::unique_ptr<Source> make_idle_source(const Running& wanted);
    static const char* reported_name(ActivitySource source);

    boost::asio::io_context& io_;
    DesktopBus* bus_;
    Service& service_;
    Config::Activity activity_;
    std::vector<std::unique_ptr<Source>> watchers_;
    std::unique_ptr<Source> mako_;
    std::unique_ptr<Source> idle_;
    std::optional<Running> running_;
    std::unique_ptr<Source> fullscreen_;
    FocusWatch fullscreen_via_;
};

}  // namespace postured
