#include "core/presence.hpp"

#include <algorithm>

namespace postured {

namespace {

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

std::vector<Event> PresenceTracker::take(const Report& report) {
    if (std::holds_alternative<fact::Gone>(report.fact)) {
        if (auto it = views_.find(report.source); it != views_.end()) views_.erase(it);
    } else {
        apply(views_[report.source], report.fact);
    }

    std::vector<Event> events;
    auto [presence, since] = combine();
    if (presence != presence_) {
        presence_ = presence;
        events.push_back(event::PresenceChanged{presence, since});
    }
    bool inhibited = std::any_of(views_.begin(), views_.end(),
                                 [](auto& entry) { return entry.second.inhibited; });
    if (inhibited != inhibited_) {
        inhibited_ = inhibited;
        events.push_back(event::InhibitorChanged{inhibited});
    }
    bool in_call = std::any_of(views_.begin(), views_.end(),
                               [](auto& entry) { return entry.second.quiet && entry.second.call; });
    if (in_call != in_call_) {
        in_call_ = in_call;
        events.push_back(event::CallChanged{in_call});
    }
    const View* first_quiet = nullptr;
    for (auto& [name, view] : views_)
        if (view.quiet && (!first_quiet || view.quiet_order < first_quiet->quiet_order))
            first_quiet = &view;
    auto quiet = first_quiet ? first_quiet->quiet : std::nullopt;
    if (quiet != quiet_) {
        quiet_ = quiet;
        events.push_back(event::QuietChanged{quiet});
    }
    if (std::holds_alternative<fact::InputPaused>(report.fact))
        events.push_back(event::InputPaused{});
    if (auto* answer = std::get_if<fact::Quiet>(&report.fact); answer && answer->answer)
        events.push_back(event::QuietAnswered{});
    return events;
}

void PresenceTracker::apply(View& view, const Fact& fact) {
    std::visit(
        Overloaded{
            [&](const fact::Idle& f) {
                view.watches_input = true;
                view.idle_since = f.since;
            },
            [&](const fact::Active& f) {
                view.watches_input = true;
                view.idle_since.reset();
                for (auto& [name, other] : views_) {
                    if (other.lock_until_input && other.locked_at && *other.locked_at <= f.at) {
                        other.locked_at.reset();
                        other.lock_until_input = false;
                    }
                }
            },
            [&](const fact::Locked& f) {
                // A lock already confirmed stays confirmed when it is asked for again.
                view.lock_until_input =
                    view.locked_at ? view.lock_until_input && f.until_input : f.until_input;
                if (!view.locked_at) view.locked_at = f.at;
            },
            [&](const fact::Unlocked&) {
                view.locked_at.reset();
                view.lock_until_input = false;
            },
            [&](const fact::Asleep& f) {
                asleep_since_ = asleep_since_ ? std::min(*asleep_since_, f.since) : f.since;
            },
            [&](const fact::Awake&) { asleep_since_.reset(); },
            [&](const fact::Inhibited& f) { view.inhibited = f.held; },
            [&](const fact::Quiet& f) {
                view.call = f.on && f.call;
                if (!f.on) {
                    view.quiet.reset();
                } else if (view.quiet != f.why) {
                    // A call that changes its devices or apps stays where it was in the order.
                    if (!view.quiet || !f.call) view.quiet_order = ++quiet_count_;
                    view.quiet = f.why;
                }
            },
            [&](const fact::InputPaused&) {},
            [&](const fact::Gone&) {},
        },
        fact);
}

std::pair<Presence, std::optional<MonoTime>> PresenceTracker::combine() const {
    if (asleep_since_) return {Presence::asleep, asleep_since_};

    std::optional<MonoTime> locked_since;
    for (auto& [name, view] : views_)
        if (view.locked_at)
            locked_since = std::min(locked_since.value_or(*view.locked_at), *view.locked_at);
    if (locked_since) return {Presence::locked, locked_since};

    std::optional<MonoTime> idle_since;
    bool any_watcher = false;
    for (auto& [name, view] : views_) {
        if (!view.watches_input) continue;
        any_watcher = true;
        if (!view.idle_since) return {Presence::active, std::nullopt};
        idle_since = std::max(idle_since.value_or(*view.idle_since), *view.idle_since);
    }
    if (any_watcher) return {Presence::idle, idle_since};
    return {Presence::active, std::nullopt};
}

}  // namespace postured
