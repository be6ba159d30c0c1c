#include "control_commands.hpp"

#include <algorithm>

#include "clock.hpp"
#include "core/break_text.hpp"
#include "core/language.hpp"
#include "core/stats.hpp"

namespace postured {

using nlohmann::json;
using protocol::error_reply;
using protocol::ok_reply;

ControlCommands::ControlCommands(Service& service, StateStore* store, Reload reload)
    : service_(service), store_(store), reload_(std::move(reload)) {}

json ControlCommands::handle(const protocol::Request& request) {
    using protocol::Verb;
    switch (request.verb) {
        case Verb::status:
            return ok_reply({{"status", service_.status()}});
        case Verb::take_break:
            return act(event::BreakNow{request.stretch});
        case Verb::snooze:
            return act(event::Snooze{request.duration});
        case Verb::skip:
            return act(event::Skip{});
        case Verb::done:
            return act(event::Done{});
        case Verb::pause: {
            std::optional<LocalTime> until;
            if (request.until)
                until = std::chrono::floor<std::chrono::days>(system_now().local) + *request.until;
            return act(event::Pause{request.duration, until});
        }
        case Verb::resume:
            return act(event::Resume{});
        case Verb::reload:
            return reload();
        case Verb::stretches:
            return stretches();
        case Verb::stats:
            return stats(request.days);
    }
    return error_reply({"unknown_command", _("no such command")});
}

json ControlCommands::act(const Event& event) {
    if (auto refused = service_.handle(event); !refused.english.empty())
        return error_reply({"refused", refused.shown()});
    return ok_reply({{"status", service_.status()}});
}

json ControlCommands::reload() {
    auto reloaded = reload_();
    std::vector<std::string> lines;
    for (auto& d : reloaded.diagnostics)
        lines.push_back(d.to_string());
    if (!reloaded.applied) {
        std::string message = _("the configuration has errors; the running one stays in force");
        for (auto& line : lines)
            message += "\n" + line;
        return error_reply({"config_invalid", message});
    }
    return ok_reply({{"warnings", lines}, {"status", service_.status()}});
}

json ControlCommands::stretches() {
    auto& config = service_.config();
    std::vector<protocol::StretchListing> list;
    for (auto& s : config.catalog) {
        bool offered = std::any_of(config.offered.begin(), config.offered.end(),
                                   [&](auto& o) { return o.id == s.id; });
        list.push_back({.id = s.id,
                        .name = shown_name(s),
                        .position = s.position,
                        .muscles = muscle_list(s.muscles),
                        .steps = shown_steps(s),
                        .hold = s.hold,
                        .reps = s.reps,
                        .dose = dose_line(s),
                        .each_side = s.each_side,
                        .duration = s.duration,
                        .source = s.source,
                        .offered = offered,
                        .favorite = config.is_favorite(s.id),
                        .picture = s.picture});
    }
    return ok_reply({{"stretches", list}});
}

json ControlCommands::stats(int days) {
    if (!store_)
        return error_reply({"no_history", _("this daemon keeps no history (no state database)")});
    auto today = std::chrono::floor<std::chrono::days>(system_now().local);
    Stats stats;
    try {
        // The streak looks back a year at most.
        stats = compute_stats(store_->days(today - std::chrono::days{366}), today, days);
        // Breaks dated after today are there when the clock was set back: not counted.
        for (auto& [id, done] : store_->most_done(today - std::chrono::days{days - 1},
                                                  today + std::chrono::days{1}, 3)) {
            auto* stretch = service_.config().find_stretch(id);
            stats.most_done.push_back({id, stretch ? shown_name(*stretch) : id, done});
        }
    } catch (const std::exception& e) {
        return error_reply({"no_history", formatted(_("cannot read the history: %s"), e.what())});
    }
    return ok_reply({{"stats", stats}});
}

}  // namespace postured
