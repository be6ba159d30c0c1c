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
#include "state_store.hpp"

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

    // With a store, the state it holds is picked up, and every change is saved to it.
    Service(boost::asio::io_context& io, SystemClock& clock, Notifier& notifier, Config config,
            LoadConfig load_config, std::string idle_source, StateStore* store);

    Output handle(const Event& event);
    // Reads the config again; on any error the running one stays in force.
    Diagnostics reload();
    nlohmann::json control(const protocol::Request& request);
    nlohmann::json status_json();
    nlohmann::json stats_json(int days);
    // Saves the state for the next start.
    void stop();

    // Told after every event, with the new status.
    std::function<void(const nlohmann::json&)> on_status;

  private:
    Now now_after_sleep();
    void perform(const Output& output);
    void arm_timer();
    void save();
    void write_state();

    SystemClock& clock_;
    Notifier& notifier_;
    LoadConfig load_config_;
    std::string idle_source_;
    Scheduler scheduler_;
    boost::asio::steady_timer timer_;
    StateStore* store_;
    std::vector<Record> unsaved_;
    boost::asio::steady_timer checkpoint_;
};

}  // namespace postured
