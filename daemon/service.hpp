#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <optional>

#include "clock.hpp"
#include "core/scheduler.hpp"
#include "notifier.hpp"

namespace postured {

// Runs the scheduler on the event loop: feeds it events with the time, performs what it asks
// for, and sleeps until its next deadline (no timer at all when nothing is due).
class Service {
  public:
    using LoadConfig = std::function<std::optional<Config>()>;

    Service(boost::asio::io_context& io, SystemClock& clock, Notifier& notifier, Config config,
            LoadConfig load_config);

    Output handle(const Event& event);
    // Reads the config again; on any error the running one stays in force. Returns success.
    bool reload();

  private:
    Now now_after_sleep();
    void perform(const Output& output);
    void arm_timer();

    SystemClock& clock_;
    Notifier& notifier_;
    LoadConfig load_config_;
    Scheduler scheduler_;
    boost::asio::steady_timer timer_;
};

}  // namespace postured
