#include "control_commands.hpp"

#include <algorithm>

#include "clock.hpp"
#include "core/break_text.hpp"
#include "core/stats.hpp"

namespace postured {

using nlohmann::json;
using protocol::error_reply;
using protocol::ok_reply;

ControlCommands::ControlCommands(Service& service, StateStore* store, Reload reload)
    : service_(service), store_(store), reload_(std::move(reload)) {}

json ControlCommands::handle(const protocol::Request& request) {
    const auto& cmd = request.cmd;
    if (cmd == "status") return ok_reply({{"status", protocol::to_json(service_.status())}});
    if (cmd == "break") return act(event::BreakNow{request.stretch});
    if (cmd == "snooze") return act(event::Snooze{request.duration});
    if (cmd == "skip") return act(event::Skip{});
    if (cmd == "done") return act(event::Done{});
    if (cmd == "resume") return act(event::Resume{});
    if (cmd == "pause") {
        std::optional<LocalTime> until;
        if (request.until)
            until = std::chrono::floor<std::chrono::days>(system_now().local) + *request.until;
        return act(event::Pause{request.duration, until});
    }
    if (cmd == "reload") return reload();
    if (cmd == "stretches") return stretches();
    if (cmd == "stats") return stats(request.days);
    return error_reply({"unknown_command", "no command \"" + cmd + "\""});
}

json ControlCommands::act(const Event& event) {
    if (auto refused = service_.handle(event); !refused.empty())
        return error_reply({"refused", refused});
    return ok_reply({{"status", protocol::to_json(service_.status())}});
}

json ControlCommands::reload() {
    auto diagnostics = reload_();
    std::vector<std::string> lines;
    for (auto& d : diagnostics)
        lines.push_back(d.to_string());
    if (has_errors(diagnostics)) {
        std::string message = "the configuration has errors; the running one stays in force";
        for (auto& line : lines)
            message += "\n" + line;
        return error_reply({"config_invalid", message});
    }
    return ok_reply({{"warnings", lines}, {"status", protocol::to_json(service_.status())}});
}

json ControlCommands::stretches() {
    auto& config = service_.config();
    auto list = json::array();
    for (auto& s : config.catalog) {
        bool offered = std::any_of(config.offered.begin(), config.offered.end(),
                                   [&](auto& o) { return o.id == s.id; });
        list.push_back({{"id", s.id},
                        {"name", s.name},
                        {"position", to_string(s.position)},
                        {"muscles", muscle_list(s.muscles)},
                        {"steps", s.steps},
                        {"hold", s.hold.count()},
                        {"reps", s.reps},
                        {"dose", dose_line(s)},
                        {"each_side", s.each_side},
                        {"duration", s.duration.count()},
                        {"source", s.source},
                        {"offered", offered},
                        {"favorite", config.is_favorite(s.id)}});
    }
    return ok_reply({{"stretches", list}});
}

json ControlCommands::stats(int days) {
    if (!store_)
        return error_reply({"no_history", "this daemon keeps no history (no state database)"});
    auto today = std::chrono::floor<std::chrono::days>(system_now().local);
    Stats stats;
    try {
        // The streak looks back a year at most.
        stats = compute_stats(store_->days(today - std::chrono::days{366}), today, days);
        // Breaks dated after today are there when the clock was set back: not counted.
        stats.most_done =
            store_->most_done(today - std::chrono::days{days - 1}, today + std::chrono::days{1}, 3);
    } catch (const std::exception& e) {
        return error_reply({"no_history", std::string("cannot read the history: ") + e.what()});
    }
    auto optional_int = [](std::optional<int> v) { return v ? json(*v) : json(nullptr); };
    auto list = json::array();
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
    auto most = json::array();
    for (auto& [id, count] : stats.most_done) {
        auto* stretch = service_.config().find_stretch(id);
        most.push_back({{"id", id}, {"name", stretch ? stretch->name : id}, {"done", count}});
    }
    return ok_reply({{"stats",
                      {{"days", list},
                       {"adherence", optional_int(stats.adherence)},
                       {"streak", stats.streak},
                       {"goal_percent", Stats::goal_percent},
                       {"most_done", most}}}});
}

}  // namespace postured
