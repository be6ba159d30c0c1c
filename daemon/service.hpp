#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>

#include "clock.hpp"
#include "core/diagnostic.hpp"
#include "core/protocol.hpp"
#include "core/scheduler.hpp"
#include "notifier.hpp"

namespace postured {

// Runs the scheduler on the event loop: feeds it events with the time, performs what it asks
// for, answers control requests, and sleeps until its next deadline (no timer at all when
// nothing is due).
class Service {
  public:
    struct Loaded {
        std::optional<Config> config;
        Diagnostics diagnostics;
    };
    using LoadConfig = std::function<Loaded()>;

    Service(boost::asio::io_context& io, SystemClock& clock, Notifier& notifier, Config config,
            LoadConfig load_config, std::string idle_source);

    Output handle(const Event& event);
    // Reads the config again; on any error the running one stays in force.
    Diagnostics reload();
    nlohmann::json control(const protocol::Request& request);
    nlohmann::json status_json();

    // Told after every event, with the new status.
    std::function<void(const nlohmann::json&)> on_status;

  private:
    Now now_after_sleep();
    void perform(const Output& output);
    void arm_timer();

    SystemClock& clock_;
    Notifier& notifier_;
    LoadConfig load_config_;
    std::string idle_source_;
    Scheduler scheduler_;
    boost::asio::steady_timer timer_;
};

}  // namespace postured
