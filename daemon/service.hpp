#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <vector>

#include "core/daemon.hpp"
#include "notifier.hpp"
#include "sources/source.hpp"
#include "state_store.hpp"
#include "wakeup_timer.hpp"

namespace postured {

// Carries out the decisions of the core (core/daemon.hpp) on the event loop: gives it the
// user's events and the sources' facts with the time, shows and closes breaks, writes the
// state, logs, and sleeps until the core's next deadline (no timer at all when nothing is due).
class Service : public PresenceSink, public AnswerSink {
  public:
    // With a store, the state it holds is picked up, and every change is saved to it.
    Service(boost::asio::io_context& io, Notifier& notifier, Config config, StateStore* store);

    // A request or an answer of the user's; why it was refused, or empty when it was taken.
    Said handle(const Event& event);
    using PresenceSink::report;
    void report(const Report& report, std::function<void()> after_saved) override;
    void answer(const Event& answer) override;

    // Where the hour stands, as of now; asking changes nothing.
    Status status() const;
    void reconfigure(Config config);
    void use_idle_source(const IdleSourceChoice& choice) override;
    void use_idle_protocol(std::string protocol) override;
    const Config& config() const { return core_.config(); }
    // Saves the state for the next start.
    void stop();

    // While a break is due, `pauses` is asked to watch for a pause in input and `quiet` to ask
    // the sources that tell no changes of do-not-disturb. Where they cannot, the break is shown
    // without waiting. Unconnected, none can.
    void connect(PauseWatcher& pauses, QuietAsker& quiet);
    // Tells `follower` of every change of the status from now on.
    void follow(StatusFollower& follower) { followers_.push_back(&follower); }

  private:
    void carry_out(Effects effects);
    void perform(const Action& action);

    boost::asio::io_context& io_;
    Notifier& notifier_;
    StateStore* store_;
    PauseWatcher* pauses_ = nullptr;
    QuietAsker* quiet_ = nullptr;
    std::vector<StatusFollower*> followers_;
    bool carrying_out_ = false;
    Daemon core_;
    WakeupTimer wakeup_;
};

}  // namespace postured
