#include "service.hpp"

#include <spdlog/spdlog.h>
#include <algorithm>
#include <random>

#include "core/duration.hpp"

namespace postured {

Service::Service(boost::asio::io_context& io, SystemClock& clock, Notifier& notifier, Config config,
                 LoadConfig load_config, std::string idle_source, StateStore* store)
    : clock_(clock),
      notifier_(notifier),
      load_config_(std::move(load_config)),
      idle_source_(std::move(idle_source)),
      scheduler_(std::move(config), clock.now(), std::random_device{}()),
      timer_(io),
      store_(store),
      checkpoint_(io) {
    notifier_.configure(scheduler_.config().notify);
    if (store_) {
        try {
            if (auto saved = store_->load_state()) scheduler_.restore(clock_.now(), *saved);
        } catch (const std::exception& e) {
            spdlog::warn("cannot read the saved state: {}", e.what());
        }
    }
    save();
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
    save();  // before any reply: an answer the user was told of is on disk
    arm_timer();
    if (on_status) on_status(status_json());
    return output;
}

Diagnostics Service::reload() {
    auto loaded = load_config_();
    if (!loaded.config) {
        spdlog::error("reload failed; keeping the configuration in force");
        return loaded.diagnostics;
    }
    notifier_.configure(loaded.config->notify);
    perform(scheduler_.reconfigure(now_after_sleep(), std::move(*loaded.config)));
    save();
    arm_timer();
    spdlog::info("configuration reloaded");
    if (on_status) on_status(status_json());
    return loaded.diagnostics;
}

nlohmann::json Service::status_json() {
    auto s = scheduler_.status(clock_.now());
    auto optional_seconds = [](std::optional<seconds> d) {
        return d ? nlohmann::json(d->count()) : nlohmann::json(nullptr);
    };
    return {{"state", to_string(s.state)},
            {"presence", to_string(s.presence)},
            {"worked", s.worked.count()},
            {"interval", s.interval.count()},
            {"next_break_in", optional_seconds(s.next_break_in)},
            {"state_ends_in", optional_seconds(s.state_ends_in)},
            {"next_stretch", s.next_stretch},
            {"snoozes_left", s.snoozes_left},
            {"idle_source", idle_source_}};
}

nlohmann::json Service::stats_json(int days) {
    if (!store_)
        return protocol::error_reply(
            {"no_history", "this daemon keeps no history (no state database)"});
    auto today = std::chrono::floor<std::chrono::days>(clock_.now().local);
    std::vector<HistoryEntry> history;
    try {
        history = store_->history(today - std::chrono::days{366});
    } catch (const std::exception& e) {
        return protocol::error_reply(
            {"no_history", std::string("cannot read the history: ") + e.what()});
    }
    auto stats = compute_stats(history, today, days);
    auto optional_int = [](std::optional<int> v) {
        return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
    };
    auto list = nlohmann::json::array();
    for (auto& d : stats.days) {
        list.push_back({{"date", iso_date(d.day)},
                        {"done", d.done},
                        {"skipped", d.skipped},
                        {"missed", d.missed},
                        {"dismissed", d.dismissed},
                        {"snoozed", d.snoozed},
                        {"natural", d.natural},
                        {"adherence", optional_int(d.adherence())},
                        {"met_goal", d.adherence() && *d.adherence() >= Stats::goal_percent}});
    }
    auto most = nlohmann::json::array();
    for (auto& [id, count] : stats.most_done) {
        auto* stretch = scheduler_.config().find_stretch(id);
        most.push_back({{"id", id}, {"name", stretch ? stretch->name : id}, {"done", count}});
    }
    return protocol::ok_reply({{"stats",
                                {{"days", list},
                                 {"adherence", optional_int(stats.adherence)},
                                 {"streak", stats.streak},
                                 {"goal_percent", Stats::goal_percent},
                                 {"most_done", most}}}});
}

nlohmann::json Service::control(const protocol::Request& request) {
    using protocol::error_reply;
    using protocol::ok_reply;
    auto act = [&](const Event& event) {
        auto output = handle(event);
        if (!output.refused.empty()) return error_reply({"refused", output.refused});
        return ok_reply({{"status", status_json()}});
    };
    const auto& cmd = request.cmd;
    if (cmd == "status") return ok_reply({{"status", status_json()}});
    if (cmd == "break") return act(event::BreakNow{request.stretch});
    if (cmd == "snooze") return act(event::Snooze{request.duration});
    if (cmd == "skip") return act(event::Skip{});
    if (cmd == "done") return act(event::Done{});
    if (cmd == "resume") return act(event::Resume{});
    if (cmd == "pause") {
        std::optional<LocalTime> until;
        if (request.until)
            until = std::chrono::floor<std::chrono::days>(clock_.now().local) + *request.until;
        return act(event::Pause{request.duration, until});
    }
    if (cmd == "reload") {
        auto diagnostics = reload();
        std::vector<std::string> lines;
        for (auto& d : diagnostics)
            lines.push_back(d.to_string());
        if (has_errors(diagnostics)) {
            std::string message = "the configuration has errors; the running one stays in force";
            for (auto& line : lines)
                message += "\n" + line;
            return error_reply({"config_invalid", message});
        }
        return ok_reply({{"warnings", lines}, {"status", status_json()}});
    }
    if (cmd == "stretches") {
        auto& config = scheduler_.config();
        auto list = nlohmann::json::array();
        for (auto& s : config.catalog) {
            bool offered = std::any_of(config.offered.begin(), config.offered.end(),
                                       [&](auto& o) { return o.id == s.id; });
            list.push_back({{"id", s.id},
                            {"name", s.name},
                            {"position", to_string(s.position)},
                            {"muscles", muscles_text(s.muscles)},
                            {"steps", s.steps},
                            {"hold", s.hold.count()},
                            {"reps", s.reps},
                            {"each_side", s.each_side},
                            {"duration", s.duration.count()},
                            {"source", s.source},
                            {"offered", offered},
                            {"favorite", config.is_favorite(s.id)}});
        }
        return ok_reply({{"stretches", list}});
    }
    if (cmd == "stats") return stats_json(request.days);
    return error_reply({"unknown_command", "no command \"" + cmd + "\""});
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
            unsaved_.push_back(*record);
        }
    }
}

// Saved after every event; while work is being counted, also every few minutes, so that a crash
// loses little of it. Nothing is written while nothing changes.
void Service::save() {
    if (!store_) return;
    write_state();
    auto state = scheduler_.status(clock_.now()).state;
    checkpoint_.cancel();
    if (state == State::working || state == State::snoozed || state == State::due) {
        checkpoint_.expires_after(std::chrono::minutes{5});
        checkpoint_.async_wait([this](const boost::system::error_code& ec) {
            if (!ec) save();
        });
    }
}

void Service::write_state() {
    try {
        store_->save(scheduler_.snapshot(clock_.now()), unsaved_);
        unsaved_.clear();
    } catch (const std::exception& e) {
        spdlog::error("cannot save the state: {}", e.what());
    }
}

void Service::stop() {
    timer_.cancel();
    checkpoint_.cancel();
    if (store_) write_state();
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
