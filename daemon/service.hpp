#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>

#include "core/daemon.hpp"
#include "notifier.hpp"
#include "sources/source.hpp"
#include "state_store.hpp"
#include "wakeup_timer.hpp"

namespace postured {

// Carries out the decisions of the core (core/daemon.hpp) on the event loop: gives it the
// user's events and the sources' facts with the time, shows and closes breaks, writes the
// state, logs, and sleeps until the core's next deadline (no timer at all when nothing is due).
class Service : public DesktopSink {
  public:
    // With a store, the state it holds is picked up, and every change is saved to it.
    Service(boost::asio::io_context& io, Notifier& notifier, Config config, StateStore* store);

    // A request or an answer of the user's; why it was refused, or empty when it was taken.
    std::string handle(const Event& event);
    using DesktopSink::report;
    void report(const Report& report, std::function<void()> after_saved) override;
    void answer(const Event& answer) override;

    // Where the hour stands, as of now; asking changes nothing.
    Status status() const;
    void reconfigure(Config config);
    void set_idle_source(const IdleSourceChoice& choice);
    // What the idle source watches with (a Wayland protocol), or why it watches nothing yet.
    void set_idle_protocol(std::string protocol);
    const Config& config() const { return core_.config(); }
    // Saves the state for the next start.
    void stop();

    // Told whenever the status changes.
    std::function<void(const Status&)> on_status;
    // Asked to watch for a pause in input, or to stop; false when the idle source cannot, or
    // input has paused already, and then a due break is shown without waiting.
    std::function<bool(bool on)> watch_for_pause;
    // Asked to ask the sources that tell no changes of do-not-disturb, or to stop; false when
    // there are none to ask, and then a due break does not wait for their answer.
    std::function<bool(bool on)> ask_quiet;

  private:
    void carry_out(Effects effects);
    void perform(const Action& action);

    boost::asio::io_context& io_;
    Notifier& notifier_;
    StateStore* store_;
    Daemon core_;
    WakeupTimer wakeup_;
};

}  // namespace postured
