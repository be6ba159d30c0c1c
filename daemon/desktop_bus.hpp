#pragma once

#include <gio/gio.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>

#include "core/source_choice.hpp"
#include "glib_thread.hpp"
#include "notifier.hpp"
#include "sources/bus_context.hpp"

namespace postured {

// The session's variables as this process sees them.
SessionFacts session_from_environment();

// Everything postured does over D-Bus, on GLib main loops of their own threads: the sources that
// watch the desktop over the session and system bus connections, and the notifications. Work
// goes in with asynchronous calls; facts, answers and replies come out on the Asio loop with
// asio::post, so no D-Bus peer ever holds up the scheduler, the control socket or the watchdog.
// libnotify's calls wait for the notification server (up to 25 s when it hangs): they have a loop
// of their own, so that a hung server never holds up a fact either (logind waits at most a few
// seconds for the state to be saved before a suspend).
class DesktopBus : public Notifier {
  public:
    // Throws std::runtime_error when there is no session bus. Without a system bus, logind's
    // sources stay quiet.
    // `notification_file` keeps the id of the break's notification for the next run to take
    // over (LibnotifyNotifier).
    DesktopBus(boost::asio::io_context& io, Notifier& console, std::string notification_file);
    ~DesktopBus() override;

    // Facts and answers go to `sink` from now on (before, answers have nothing to answer).
    void deliver_to(DesktopSink& sink) { sink_ = &sink; }
    // Called on the Asio loop when the session bus closes under the daemon (its dbus-daemon
    // stopped or crashed). Every source and the notifications are gone with it.
    std::function<void()> on_session_lost;

    void configure(const Config::Notify& style) override;
    void show(const ShowBreak& request) override;
    void close() override;

    // A source living on the watching thread, made there from its connections; destroying what
    // is returned stops it, and nothing it reports afterwards is delivered.
    using MakeSource = std::function<std::unique_ptr<Source>(const BusContext&)>;
    std::unique_ptr<Source> make_source(MakeSource make);

    // The session as it is now: its variables (the systemd user manager's, when postured runs
    // under it, since a session may export them after the daemon started) and the names owned
    // on the session bus. `done` gets them on the Asio loop.
    void read_session(std::function<void(const SessionFacts&)> done);

  private:
    class Outbox;
    class HeldSource;

    boost::asio::io_context& io_;
    DesktopSink* sink_ = nullptr;  // used on the Asio loop only
    GlibThread watching_{"postured-bus"};
    GDBusConnection* session_ = nullptr;  // used on watching_ only
    GDBusConnection* system_ = nullptr;   // used on watching_ only
    GlibThread notifying_{"postured-notify"};
    std::atomic<bool> stopping_ = false;
    std::unique_ptr<Outbox> answers_;     // used on notifying_ only
    std::unique_ptr<Notifier> notifier_;  // used on notifying_ only
};

}  // namespace postured
