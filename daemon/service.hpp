#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <vector>

#include "clock.hpp"
#include "core/presence.hpp"
#include "core/scheduler.hpp"
#include "core/source_choice.hpp"
#include "notifier.hpp"
#include "sources/source.hpp"
#include "state_store.hpp"
#include "wakeup_timer.hpp"

namespace postured {

// Runs the scheduler on the event loop: takes the user's events and the presence sources' facts
// with the time, performs what the scheduler asks for, saves the state, and sleeps until the
// next deadline (no timer at all when nothing is due).
class Service : public DesktopSink {
  public:
    // With a store, the state it holds is picked up, and every change is saved to it.
    Service(boost::asio::io_context& io, SystemClock& clock, Notifier& notifier, Config config,
            StateStore* store);

    Output handle(const Event& event);
    using DesktopSink::report;
    void report(const Report& report, std::function<void()> after_saved) override;
    void answer(const Event& answer) override;

    // Where the hour stands, as of now.
    Status status();
    void reconfigure(Config config);
    void set_idle_source(const IdleSourceChoice& choice);
    // What the idle source watches with (a Wayland protocol), or why it watches nothing yet.
    void set_idle_protocol(std::string protocol);
    const Config& config() const { return scheduler_.config(); }
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
    Now now();
    Status current_status() const;
    void take(Now now, const Report& report);
    void perform(const Output& output);
    void settle();
    void write_state(bool even_unchanged = false);
    static bool counts_work(State state);

    boost::asio::io_context& io_;
    SystemClock& clock_;
    Notifier& notifier_;
    Scheduler scheduler_;
    PresenceTracker presence_;
    IdleSourceChoice idle_source_;
    std::string idle_protocol_;
    StateStore* store_;
    std::vector<Record> unsaved_;
    std::optional<Snapshot> saved_;  // what the database holds, when known
    bool must_save_ = false;
    bool save_even_unchanged_ = false;
    // What status followers were last told, in short: they are told again when it changes.
    struct Told {
        State state = State::working;
        Presence presence = Presence::active;
        bool inhibited = false;
        std::string idle_source;
        std::string idle_protocol;
        bool operator==(const Told&) const = default;
    } told_;
    WakeupTimer wakeup_;
    boost::asio::steady_timer checkpoint_;
    bool checkpoint_pending_ = false;
    boost::asio::steady_timer save_retry_;
    std::string save_error_;  // the last one told, until a save works
    std::size_t saved_late_ = 0;
};

}  // namespace postured
