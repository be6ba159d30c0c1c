#include "service.hpp"

#include <spdlog/spdlog.h>
#include <random>

#include "core/duration.hpp"

namespace postured {

Service::Service(boost::asio::io_context& io, SystemClock& clock, Notifier& notifier, Config config,
                 LoadConfig load_config)
    : clock_(clock),
      notifier_(notifier),
      load_config_(std::move(load_config)),
      scheduler_(std::move(config), clock.now(), std::random_device{}()),
      timer_(io) {
    auto status = scheduler_.status(clock_.now());
    spdlog::info("a break after every {} of work; first: {}{}", format_duration(status.interval),
                 status.next_stretch,
                 status.state == State::off_hours ? " (now outside working hours)" : "");
    arm_timer();
}

// A suspend is seen as time on CLOCK_BOOTTIME that CLOCK_MONOTONIC did not count; it is told to
// the scheduler as an absence, so that a long one is a natural break and a short one a pause.
Now Service::now_after_sleep() {
    auto now = clock_.now();
    auto slept = clock_.take_slept();
    if (slept >= seconds{1}) {
        spdlog::info("the machine slept for {}",
                     format_duration(std::chrono::floor<seconds>(slept)));
        auto fell_asleep = Now{now.mono - slept, now.local - std::chrono::floor<seconds>(slept)};
        perform(scheduler_.handle(fell_asleep, event::PresenceChanged{Presence::asleep, {}}));
        perform(scheduler_.handle(now, event::PresenceChanged{Presence::active, {}}));
    }
    return now;
}

Output Service::handle(const Event& event) {
    auto output = scheduler_.handle(now_after_sleep(), event);
    perform(output);
    arm_timer();
    return output;
}

bool Service::reload() {
    auto config = load_config_();
    if (!config) {
        spdlog::error("reload failed; keeping the configuration in force");
        return false;
    }
    perform(scheduler_.reconfigure(now_after_sleep(), std::move(*config)));
    arm_timer();
    spdlog::info("configuration reloaded");
    return true;
}

void Service::perform(const Output& output) {
    for (auto& action : output.actions) {
        if (auto* show = std::get_if<ShowBreak>(&action)) {
            spdlog::info("break: {}{}", show->stretch.name,
                         show->resend ? fmt::format(" (reminder {})", show->resend) : "");
            notifier_.show(*show);
        } else if (std::holds_alternative<CloseBreak>(action)) {
            notifier_.close();
        } else if (auto* record = std::get_if<Record>(&action)) {
            spdlog::info("break {}{}{}", to_string(record->outcome),
                         record->stretch_id.empty() ? "" : ": ", record->stretch_id);
        }
    }
}

void Service::arm_timer() {
    auto wakeup = scheduler_.next_wakeup();
    timer_.cancel();
    if (wakeup == MonoTime::max()) return;
    // One millisecond late rather than early: the clocks are read at millisecond precision.
    auto delay = std::max(wakeup - clock_.now().mono, milliseconds{0}) + milliseconds{1};
    timer_.expires_after(delay);
    timer_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) handle(event::Tick{});
    });
}

}  // namespace postured
