#include "core/daemon.hpp"

#include <utility>

#include "core/duration.hpp"
#include "core/protocol.hpp"

namespace postured {

namespace {

bool counts_work(State state) {
    return state == State::working || state == State::snoozed || state == State::due;
}

LogLine info(std::string text) {
    return {LogLine::Level::info, std::move(text)};
}

}  // namespace

Daemon::Daemon(Config config, Now now, std::uint64_t seed, bool keeps_state)
    : scheduler_(std::move(config), now, seed),
      keeps_state_(keeps_state),
      suspended_(now.suspended) {}

Effects Daemon::start(Now now, const std::optional<Snapshot>& saved) {
    Effects effects;
    if (saved) {
        saved_ = saved;
        auto left_out = scheduler_.restore(now, *saved);
        if (!left_out.empty()) {
            std::string names;
            for (auto& name : left_out)
                names += (names.empty() ? "" : ", ") + name;
            effects.log.push_back(
                {LogLine::Level::warn,
                 "the saved state has values out of range, started afresh: " + names});
        }
    }
    // A notification an earlier run left on screen goes, unless a break is out to take it over.
    if (!scheduler_.snapshot(now).owed) effects.actions.push_back(CloseBreak{});
    {
        InEnglish in_english;  // the journal's words
        auto status = scheduler_.status(now);
        effects.log.push_back(info("a break after every " + format_duration(status.interval) +
                                   " of work; first: " + status.next_stretch));
        if (status.state == State::off_hours)
            effects.log.push_back(
                info(protocol::status_text(status) +
                     ": the first break can come then; posturectl break shows one now"));
    }
    must_save_ = true;
    settle(now, effects);
    return effects;
}

Effects Daemon::handle(Now now, const Input& input, bool save) {
    Effects effects;
    notice_sleep(now, effects);
    if (auto* report = std::get_if<Report>(&input)) {
        take(now, *report, effects);
    } else {
        auto& event = std::get<Event>(input);
        auto output = scheduler_.handle(now, event);
        effects.refused = output.refused;
        perform(now, std::move(output), effects);
        if (!std::holds_alternative<event::Tick>(event)) must_save_ = true;
    }
    if (checkpoint_at_ && now.mono >= *checkpoint_at_) {
        checkpoint_at_.reset();
        write(now, false, effects);
    }
    if (retry_at_ && now.mono >= *retry_at_) write(now, false, effects);
    if (save) {
        write(now, true, effects);
        must_save_ = false;
    }
    settle(now, effects);
    return effects;
}

Effects Daemon::reconfigure(Now now, Config config) {
    Effects effects;
    notice_sleep(now, effects);
    perform(now, scheduler_.reconfigure(now, std::move(config)), effects);
    must_save_ = true;
    settle(now, effects);
    return effects;
}

Effects Daemon::use_idle_source(Now now, const IdleSourceChoice& choice) {
    idle_source_ = choice;
    idle_protocol_.clear();
    Effects effects;
    settle(now, effects);
    return effects;
}

Effects Daemon::use_idle_protocol(Now now, std::string protocol) {
    idle_protocol_ = std::move(protocol);
    Effects effects;
    settle(now, effects);
    return effects;
}

Effects Daemon::save_now(Now now) {
    Effects effects;
    notice_sleep(now, effects);
    write(now, true, effects);
    settle(now, effects);
    return effects;
}

// What cannot be written stays in memory and is written at the next save, tried every minute
// until one works. Each new error is told once, and the recovery too.
Effects Daemon::saved(Now now, const Save& save, const std::optional<std::string>& error) {
    Effects effects;
    if (error) {
        if (*error != save_error_)
            effects.log.push_back(
                {LogLine::Level::error,
                 "cannot save the state (" + *error + "); keeping it in memory until it can be"});
        save_error_ = *error;
        saved_late_ = unsaved_.size();
        retry_at_ = now.mono + retry_save_after;
        return effects;
    }
    saved_ = save.state;
    unsaved_.erase(unsaved_.begin(),
                   unsaved_.begin() + std::min(save.ended.size(), unsaved_.size()));
    if (!save_error_.empty())
        effects.log.push_back(info("the state is saved again (" + std::to_string(saved_late_) +
                                   " break" + (saved_late_ == 1 ? "" : "s") +
                                   " kept in memory meanwhile)"));
    saved_late_ = 0;
    save_error_.clear();
    return effects;
}

// As the next step would leave it, on copies: a status asked for as a deadline passes, just
// after the wall clock was set or the machine woke, is not a step behind, and asking changes
// nothing.
Status Daemon::status(Now now) const {
    auto scheduler = scheduler_;
    auto presence = presence_;
    if (auto slept = now.suspended - suspended_; slept >= seconds{1})
        for (Fact fact : {Fact{fact::Asleep{now.mono - slept}}, Fact{fact::Awake{now.mono}}})
            for (auto& event : presence.take({"clock", fact}))
                scheduler.handle(now, event);
    scheduler.handle(now, event::Tick{});
    return describe(scheduler.status(now));
}

Status Daemon::describe(Status status) const {
    status.idle_source = to_string(idle_source_.source);
    status.idle_source_note = idle_source_.note.shown();
    status.idle_protocol = idle_protocol_;
    return status;
}

MonoTime Daemon::next_deadline() const {
    auto deadline = scheduler_.next_wakeup();
    if (checkpoint_at_) deadline = std::min(deadline, *checkpoint_at_);
    if (retry_at_) deadline = std::min(deadline, *retry_at_);
    return deadline;
}

// A suspend shows as time on CLOCK_BOOTTIME that CLOCK_MONOTONIC did not count. It is told to
// presence like logind's news of it, which may have come already or may never come.
void Daemon::notice_sleep(Now now, Effects& effects) {
    auto slept = now.suspended - std::exchange(suspended_, now.suspended);
    if (slept < seconds{1}) return;
    effects.log.push_back(
        info("the machine slept for " + format_duration(std::chrono::floor<seconds>(slept))));
    take(now, {"clock", fact::Asleep{now.mono - slept}}, effects);
    take(now, {"clock", fact::Awake{now.mono}}, effects);
}

void Daemon::take(Now now, const Report& report, Effects& effects) {
    for (auto& event : presence_.take(report)) {
        if (auto* change = std::get_if<event::PresenceChanged>(&event))
            effects.log.push_back(
                {LogLine::Level::debug, "presence: " + std::string(to_string(change->presence)) +
                                            " (from " + report.source + ")"});
        else if (auto* inhibitor = std::get_if<event::InhibitorChanged>(&event))
            effects.log.push_back(
                {LogLine::Level::debug, std::string("idle inhibitor ") +
                                            (inhibitor->inhibited ? "held" : "released") +
                                            " (from " + report.source + ")"});
        else if (auto* call = std::get_if<event::CallChanged>(&event))
            effects.log.push_back(
                {LogLine::Level::debug, std::string(call->in_call ? "in a call" : "call ended") +
                                            " (from " + report.source + ")"});
        else if (auto* quiet = std::get_if<event::QuietChanged>(&event))
            effects.log.push_back(
                info(quiet->why ? "quiet: " + quiet->why->english : "quiet no more"));
        perform(now, scheduler_.handle(now, event), effects);
    }
}

void Daemon::perform(Now, Output output, Effects& effects) {
    for (auto& action : output.actions) {
        must_save_ = true;
        if (auto* show = std::get_if<ShowBreak>(&action)) {
            effects.log.push_back(
                info("break: " + show->stretch.name +
                     (show->resend ? " (reminder " + std::to_string(show->resend) + ")" : "") +
                     (show->why_now.empty() ? "" : " (" + show->why_now + ")")));
        } else if (auto* record = std::get_if<Record>(&action)) {
            effects.log.push_back(info("break " + std::string(to_string(record->outcome)) +
                                       (record->stretch_id.empty() ? "" : ": ") +
                                       record->stretch_id));
            if (keeps_state_) unsaved_.push_back(*record);
        }
        effects.actions.push_back(std::move(action));
    }
}

// After every step: the state is written when the user did something or a break came or went,
// so that an answer the user was told of is on disk before the reply; a change of presence alone
// is not, since a checkpoint every few minutes while work is counted keeps what a crash could
// lose small. The status is told when something was done or it changed.
void Daemon::settle(Now now, Effects& effects) {
    bool acted = must_save_;
    if (must_save_) {
        write(now, false, effects);
        must_save_ = false;
    }
    auto status = describe(scheduler_.status(now));
    if (keeps_state_ && !checkpoint_at_ && counts_work(status.state))
        checkpoint_at_ = now.mono + checkpoint_every;
    Told told{status.state,   status.presence,    status.inhibited,
              status.in_call, status.idle_source, status.idle_protocol};
    if (!acted && told == told_) return;
    told_ = told;
    effects.status = status;
}

// A state that only grew older is not written: each write is a disk sync and a wake-up.
void Daemon::write(Now now, bool even_unchanged, Effects& effects) {
    if (!keeps_state_) return;
    retry_at_.reset();
    auto state = scheduler_.snapshot(now);
    if (!even_unchanged && unsaved_.empty() && saved_) {
        auto then = *saved_;
        then.saved_at = state.saved_at;
        if (then == state) return;
    }
    effects.save = Save{state, unsaved_};
    checkpoint_at_.reset();  // the next one counts from this write
}

}  // namespace postured
