#pragma once

#include <gio/gio.h>

#include <functional>

#include "core/source_choice.hpp"
#include "sources/bus_context.hpp"

namespace postured {

// The session's variables as this process sees them.
SessionFacts session_from_environment();

// The daemon's connections to the session and system buses. Their replies and signals come to
// the GLib context that GlibLoop serves on the daemon's thread: every source on the bus makes its
// calls and gets its signals there, between the Asio loop's other handlers.
class SessionBus {
  public:
    // Throws std::runtime_error when there is no session bus. Without a system bus, logind's
    // sources stay quiet. `lost` is called when the session bus closes under the daemon (its
    // dbus-daemon stopped or crashed): every source and the notifications are gone with it.
    explicit SessionBus(std::function<void()> lost);
    ~SessionBus();
    SessionBus(const SessionBus&) = delete;
    SessionBus& operator=(const SessionBus&) = delete;

    GDBusConnection* session() const { return session_; }
    // What a source on the bus is made with; it reports to `sink`.
    BusContext context(PresenceSink& sink) const { return {session_, system_, sink}; }

    // The session as it is now: its variables (the systemd user manager's, when postured runs
    // under it, since a session may export them after the daemon started) and the names owned
    // on the session bus.
    void read_session(std::function<void(const SessionFacts&)> done);

  private:
    GDBusConnection* session_ = nullptr;
    GDBusConnection* system_ = nullptr;
    std::function<void()> lost_;
};

}  // namespace postured
