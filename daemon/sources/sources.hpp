#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>
#include <vector>

#include "core/source_choice.hpp"
#include "session_bus.hpp"

namespace postured {

// The sources in use: logind, the screen lockers, the idle inhibitors and the notification
// server's do-not-disturb, watched whenever they are on the bus; the one idle source picked for
// the session; on X11 the window in focus; and the calls.
class Sources : public PauseWatcher, public QuietAsker {
  public:
    // Without a bus, only the X server can be watched.
    Sources(boost::asio::io_context& io, SessionBus* bus, PresenceSink& sink);

    // Reads the session and picks the idle source anew: at the start and at every reload, so
    // that a session that exported its variables late is picked up. Watches calls as [calls] says.
    void use(const Config& config);
    // Asks the idle source, when it can.
    bool watch_for_pause(bool on) override;
    // Asks every source that must be asked.
    bool ask_quiet(bool on) override;

    // The idle source picked, and what it was made with.
    struct Running {
        IdleSourceChoice choice;
        std::string display;
        std::string wayland_display;
        milliseconds threshold{0};
        bool inhibited_counts_as_work = true;
        bool operator==(const Running&) const = default;
    };

  private:
    void pick(const SessionFacts& session);
    void watch_fullscreen(const FocusWatch& wanted);
    void watch_calls(const Config::Calls& calls);

    boost::asio::io_context& io_;
    SessionBus* bus_;
    PresenceSink& sink_;
    Config::Activity activity_;
    std::vector<std::unique_ptr<Source>> watchers_;
    std::unique_ptr<Source> idle_;
    std::optional<Running> running_;
    std::unique_ptr<Source> fullscreen_;
    FocusWatch fullscreen_via_;
    std::vector<std::pair<const char*, std::unique_ptr<Source>>> calls_;
    std::optional<Config::Calls> calls_config_;
};

}  // namespace postured
