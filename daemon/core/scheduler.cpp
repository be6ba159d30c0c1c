#include "core/scheduler.hpp"

#include <algorithm>

#include "core/break_text.hpp"
#include "core/duration.hpp"
#include "core/spelling.hpp"

namespace postured {

using std::chrono::days;
using std::chrono::floor;

namespace {

// How long a due break waits for the first answer of the sources asked whether it is quiet: a
// local D-Bus call, which a hung peer must not turn into a lost break.
constexpr seconds quiet_answer_wait{2};

// The next moment at which WorkingHours::includes() changes its answer.
LocalTime next_hours_change(const WorkingHours& hours, LocalTime local) {
    auto today = floor<days>(local);
    for (int i = 0; i < 8; ++i) {
        auto day = today + days{i};
        if (!hours.days[std::chrono::weekday(day).c_encoding()]) continue;
        if (local < day + hours.start) return day + hours.start;
        if (local < day + hours.end) return day + hours.end;
    }
    return LocalTime::max();
}

}  // namespace

Scheduler::Scheduler(Config config, Now now, std::uint64_t seed)
    : config_(std::move(config)),
      rotation_(config_, seed),
      upcoming_(rotation_.next()),
      last_mono_(now.mono),
      last_local_(now.local),
      day_(floor<days>(now.local)),
      away_since_(now.mono) {
    update_hours(now.local);
    plan(now);
}

Output Scheduler::handle(Now now, const Event& event) {
    Output out;
    advance(now, out);
    std::visit([&](const auto& e) { apply(now, e, out); }, event);
    settle(now, out);
    plan(now);
    return out;
}

Output Scheduler::reconfigure(Now now, Config config) {
    Output out;
    advance(now, out);
    config_ = std::move(config);
    rotation_.reconfigure(config_);
    // The break on screen keeps the stretch it shows, and its answer is recorded against it.
    if (!open_) {
        auto& offered = config_.offered;
        auto same = std::find_if(offered.begin(), offered.end(),
                                 [&](auto& s) { return s.id == upcoming_.id; });
        upcoming_ = same != offered.end() ? *same : rotation_.next();
    }
    update_hours(now.local);
    settle(now, out);
    plan(now);
    return out;
}

void Scheduler::update_hours(LocalTime local) {
    in_hours_ = config_.schedule.hours.includes(local);
    hours_change_at_ = config_.schedule.hours.always
                           ? LocalTime::max()
                           : next_hours_change(config_.schedule.hours, local);
}

// Sitting still is sitting: a pause in input counts as work until it reaches natural_break.
bool Scheduler::present() const {
    return presence_ == Presence::active ||
           (presence_ == Presence::idle &&
            (pause_since_ || in_call_ ||
             (inhibited_ && config_.activity.inhibited_counts_as_work)));
}

void Scheduler::advance(Now now, Output& out) {
    auto elapsed = std::max(now.mono - last_mono_, milliseconds{0});
    if (counting()) worked_ += elapsed;
    last_mono_ = std::max(last_mono_, now.mono);

    if (paused_ && paused_until_ && now.mono >= *paused_until_) end_pause(now);

    // A jump of the wall clock either way is met by reading the calendar afresh.
    if (now.local >= hours_change_at_ || now.local < last_local_) {
        bool was_in_hours = in_hours_;
        update_hours(now.local);
        if (in_hours_ && !was_in_hours) {  // a new working day: the count starts afresh
            worked_ = {};
            snoozes_ = 0;
            snoozed_until_.reset();
            owed_ = false;
        }
    }
    last_local_ = now.local;
    // A pause that reached natural_break was away from its first moment.
    if (pause_since_ && now.mono - *pause_since_ >= config_.schedule.natural_break) {
        auto start = *pause_since_;
        pause_since_.reset();
        if (!present()) {
            away_since_ = start;
            away_was_session_ = false;
            natural_credited_ = false;
        }
    }
    if (auto today = floor<days>(now.local); today != day_) {
        day_ = today;
        rotation_.new_day(upcoming_);
    }

    if (!present() && !natural_credited_ &&
        now.mono - away_since_ >= config_.schedule.natural_break)
        credit_natural_break(now, out);
}

void Scheduler::apply(Now now, const event::PresenceChanged& e, Output& out) {
    set_presence(now, e.presence, inhibited_, in_call_, e.since, out);
}

void Scheduler::apply(Now now, const event::InhibitorChanged& e, Output& out) {
    set_presence(now, presence_, e.inhibited, in_call_, std::nullopt, out);
}

void Scheduler::apply(Now now, const event::CallChanged& e, Output& out) {
    set_presence(now, presence_, inhibited_, e.in_call, std::nullopt, out);
}

void Scheduler::apply(Now, const event::QuietChanged& e, Output&) {
    quiet_ = e.why;
}

void Scheduler::apply(Now, const event::InputPaused&, Output&) {
    if (waiting_) waiting_->paused = true;
}

void Scheduler::apply(Now, const event::QuietAnswered&, Output&) {
    if (waiting_) waiting_->answered = true;
}

void Scheduler::set_presence(Now now, Presence presence, bool inhibited, bool in_call,
                             std::optional<MonoTime> since, Output& out) {
    bool was_present = present();
    bool was_counting = counting();
    auto start = std::min(since.value_or(now.mono), now.mono);
    if (presence != Presence::idle) {
        // A lock or a sleep in a pause in input is away from the pause's start.
        if (pause_since_) start = std::min(start, *pause_since_);
        pause_since_.reset();
    } else if (presence_ != Presence::idle) {
        pause_since_ = start;
    } else if (in_call_ && !in_call) {
        pause_since_ = now.mono;  // sitting still after a call is a pause from its end
    }
    if (pause_since_ && now.mono - *pause_since_ >= config_.schedule.natural_break)
        pause_since_.reset();
    presence_ = presence;
    inhibited_ = inhibited;
    in_call_ = in_call;
    if (presence == Presence::locked || presence == Presence::asleep) away_was_session_ = true;
    if (was_present == present()) return;

    if (!present()) {
        if (was_counting) worked_ -= std::min(worked_, now.mono - start);  // that was not work
        away_since_ = start;
        away_was_session_ = presence == Presence::locked || presence == Presence::asleep;
        natural_credited_ = false;
        if (now.mono - away_since_ >= config_.schedule.natural_break)
            credit_natural_break(now, out);
    } else {
        if (away_was_session_ || now.mono - away_since_ >= config_.schedule.return_grace)
            hold_for_return(now);
        natural_credited_ = true;
    }
}

void Scheduler::hold_for_return(Now now) {
    auto until = now.mono + config_.schedule.return_grace;
    grace_until_ = grace_until_ ? std::max(*grace_until_, until) : until;
}

void Scheduler::credit_natural_break(Now now, Output& out) {
    natural_credited_ = true;
    worked_ = {};
    snoozes_ = 0;
    snoozed_until_.reset();
    owed_ = false;
    if (open_) {
        end_open_break(now, Outcome::natural, out);
    } else if (in_hours_ && !paused_) {
        out.actions.push_back(Record{Outcome::natural, "", now.local});
    }
}

void Scheduler::apply(Now now, const event::Done& e, Output& out) {
    answer(now, Outcome::done, e.of_break, out);
}
void Scheduler::apply(Now now, const event::Skip& e, Output& out) {
    answer(now, Outcome::skipped, e.of_break, out);
}
void Scheduler::apply(Now now, const event::Dismissed& e, Output& out) {
    answer(now, Outcome::dismissed, e.of_break, out);
}

bool Scheduler::answers_another_break(std::optional<std::uint64_t> of_break, Output& out) const {
    if (!of_break || (open_ && open_->number == *of_break)) return false;
    out.refused = said(N_("that break has ended"));
    return true;
}

// A break out is answered; so is one snoozed, as taken or skipped without waiting for it.
void Scheduler::answer(Now now, Outcome outcome, std::optional<std::uint64_t> of_break,
                       Output& out) {
    if (answers_another_break(of_break, out)) return;
    bool snoozed = snoozed_until_ && now.mono < *snoozed_until_;
    if (!open_ && !(snoozed && outcome != Outcome::dismissed)) {
        out.refused = said(N_("no break is waiting for an answer"));
        return;
    }
    end_open_break(now, outcome, out);
    end_break();
}

// The break out, or the one snoozed, ends as `outcome`: its notification closes, unless the
// server closed it already, and the outcome is recorded with how long the user took.
void Scheduler::end_open_break(Now now, Outcome outcome, Output& out) {
    if (open_ && outcome != Outcome::dismissed) out.actions.push_back(CloseBreak{});
    auto response = open_ ? floor<seconds>(now.mono - open_->shown_at) : seconds{0};
    out.actions.push_back(Record{outcome, upcoming_.id, now.local, response});
    open_.reset();
}

void Scheduler::end_break() {
    open_.reset();
    owed_ = false;
    worked_ = {};
    snoozes_ = 0;
    snoozed_until_.reset();
    upcoming_ = rotation_.next();
}

void Scheduler::apply(Now now, const event::Snooze& e, Output& out) {
    if (paused_) {
        out.refused = said(N_("breaks are paused; resume them first"));
        return;
    }
    if (answers_another_break(e.of_break, out)) return;
    auto length = e.length.value_or(config_.snooze.duration);
    auto longest = std::max(config_.schedule.interval, config_.snooze.duration);
    if (length > longest) {
        out.refused = say([&] {
            return formatted(_("a snooze is at most %s, one break interval; to stop breaks for "
                               "longer, pause them (posturectl pause %s)"),
                             duration_text(longest).c_str(), format_duration(length).c_str());
        });
        return;
    }
    if (snoozes_ >= config_.snooze.limit) {
        out.refused = say([&] {
            return formatted(tr_n("this break was snoozed %d time, the limit; take it or skip it",
                                  "this break was snoozed %d times, the limit; take it or skip it",
                                  static_cast<unsigned long>(snoozes_)),
                             snoozes_);
        });
        return;
    }
    ++snoozes_;
    if (open_) end_open_break(now, Outcome::snoozed, out);
    // The break comes `length` later than it would have: from now when it is due, else from when
    // its work would be done.
    auto work_left =
        owed_ ? milliseconds{0} : std::max(config_.schedule.interval - worked_, milliseconds{0});
    snoozed_until_ = std::max(now.mono + work_left, held_until()) + length;
}

void Scheduler::apply(Now now, const event::BreakNow& e, Output& out) {
    if (open_) {
        out.refused = said(N_("a break is already waiting for an answer"));
        return;
    }
    if (e.stretch_id) {
        auto* stretch = config_.find_stretch(*e.stretch_id);
        if (!stretch) {
            std::vector<std::string_view> ids;
            for (auto& known : config_.catalog)
                ids.push_back(known.id);
            auto near = nearest_key(*e.stretch_id, ids);
            out.refused = say([&] {
                return near ? formatted(_("no stretch has the id \"%s\"; did you mean \"%s\"?"),
                                        e.stretch_id->c_str(), std::string(*near).c_str())
                            : formatted(_("no stretch has the id \"%s\""), e.stretch_id->c_str());
            });
            return;
        }
        upcoming_ = *stretch;
        rotation_.take(stretch->id);
    }
    show(now, out);
}

void Scheduler::apply(Now now, const event::Pause& e, Output& out) {
    paused_ = true;
    paused_until_.reset();
    if (e.length) paused_until_ = now.mono + *e.length;
    if (e.until) {
        auto until = *e.until;
        while (until <= now.local)
            until += days{1};  // "until 09:00" said in the evening means tomorrow
        paused_until_ = now.mono + (until - now.local);
    }
    if (open_) {  // the break stays owed and comes back after the pause
        out.actions.push_back(CloseBreak{});
        open_.reset();
    }
}

void Scheduler::apply(Now now, const event::Resume&, Output& out) {
    if (!paused_) {
        out.refused = said(N_("breaks are not paused"));
        return;
    }
    end_pause(now);
}

void Scheduler::end_pause(Now now) {
    paused_ = false;
    paused_until_.reset();
    hold_for_return(now);
}

std::optional<seconds> Scheduler::snooze_offer() const {
    if (snoozes_ >= config_.snooze.limit) return std::nullopt;
    return config_.snooze.duration;
}

MonoTime Scheduler::held_until() const {
    return std::max(grace_until_.value_or(MonoTime{}), snoozed_until_.value_or(MonoTime{}));
}

bool Scheduler::break_due(Now now) const {
    return !open_ && counting() && (owed_ || worked_ >= config_.schedule.interval) &&
           now.mono >= held_until();
}

bool Scheduler::held(Now now) const {
    return waiting_ && quiet_ && now.mono < waiting_->since + config_.activity.dnd_max_delay;
}

bool Scheduler::waiting_for_answer(Now now) const {
    return waiting_ && !waiting_->answered && now.mono < waiting_->since + quiet_answer_wait;
}

bool Scheduler::waiting_for_pause(Now now) const {
    return waiting_ && !waiting_->was_held && !waiting_->paused &&
           now.mono < waiting_->since + config_.activity.smart_timing;
}

// A due break is shown at once unless it is quiet, or smart timing can wait for a pause. Sources
// that must be asked whether it is quiet get a moment to answer first.
void Scheduler::wait_or_show(Now now, Output& out) {
    if (!waiting_) waiting_ = Waiting{.since = now.mono, .answered = asking_quiet_};
    if (!asking_quiet_) out.actions.push_back(AskQuiet{true});
    asking_quiet_ = true;
    if (waiting_for_answer(now)) return;
    if (held(now)) {
        waiting_->was_held = true;
        waiting_->held_by = *quiet_;
        return;
    }
    if (waiting_for_pause(now)) {
        if (!waiting_->watching) out.actions.push_back(WatchForPause{true});
        waiting_->watching = true;
        return;
    }
    show(now, out);
}

void Scheduler::stop_waiting(Output& out) {
    if (waiting_ && waiting_->watching) out.actions.push_back(WatchForPause{false});
    waiting_.reset();
}

void Scheduler::show(Now now, Output& out) {
    auto why_now = waiting_ ? why_shown_now(now, *waiting_) : std::string();
    stop_waiting(out);
    open_ = OpenBreak{now.mono, now.mono + config_.notify.renotify_after, 0, ++breaks_shown_};
    owed_ = true;
    snoozed_until_.reset();
    grace_until_.reset();
    out.actions.push_back(
        ShowBreak{upcoming_, 0, snooze_offer(), open_->number, std::move(why_now)});
}

// Told in the journal, so that a break that came late says why, in the daemon's own time.
std::string Scheduler::why_shown_now(Now now, const Waiting& waiting) const {
    auto waited = format_duration(std::chrono::floor<seconds>(now.mono - waiting.since));
    if (waiting.was_held)
        return "held " + waited + " by " + waiting.held_by.english +
               (quiet_ ? ", as long as dnd_max_delay allows" : ", until it ended");
    if (waiting.paused) return "in a pause in typing, " + waited + " after it was due";
    if (waiting.watching) return "after " + waited + " of typing without a pause";
    return "";
}

void Scheduler::settle(Now now, Output& out) {
    // Do-not-disturb holds the re-sends too: a break nobody could see is not missed.
    if (open_ && present() && !quiet_ && now.mono >= open_->next_at) {
        if (open_->resends < config_.notify.renotify_limit) {
            ++open_->resends;
            open_->next_at = now.mono + config_.notify.renotify_after;
            out.actions.push_back(
                ShowBreak{upcoming_, open_->resends, snooze_offer(), open_->number});
        } else {
            end_open_break(now, Outcome::missed, out);
            end_break();
        }
    }
    if (break_due(now))
        wait_or_show(now, out);
    else if (waiting_)
        stop_waiting(out);  // no longer due: the user left, paused breaks or snoozed
    if (asking_quiet_ && !waiting_ && !open_) {
        out.actions.push_back(AskQuiet{false});
        asking_quiet_ = false;
    }
}

void Scheduler::plan(Now now) {
    auto wakeup = MonoTime::max();
    auto consider = [&](MonoTime t) { wakeup = std::min(wakeup, t); };
    if (paused_ && paused_until_) consider(*paused_until_);
    if (!present() && !natural_credited_) consider(away_since_ + config_.schedule.natural_break);
    if (pause_since_) consider(*pause_since_ + config_.schedule.natural_break);
    if (open_) {
        if (present() && !quiet_) consider(open_->next_at);
    } else if (waiting_for_answer(now)) {
        consider(waiting_->since + quiet_answer_wait);
    } else if (held(now)) {
        consider(waiting_->since + config_.activity.dnd_max_delay);
    } else if (waiting_for_pause(now)) {
        consider(waiting_->since + config_.activity.smart_timing);
    } else if (counting()) {
        auto work_left = owed_ ? milliseconds{0}
                               : std::max(config_.schedule.interval - worked_, milliseconds{0});
        consider(std::max(now.mono + work_left, held_until()));
    }
    wakeup_ = wakeup;
}

Snapshot Scheduler::snapshot(Now now) const {
    Snapshot s;
    s.saved_at = now.local;
    auto worked =
        worked_ + (counting() ? std::max(now.mono - last_mono_, milliseconds{0}) : milliseconds{0});
    s.worked = floor<seconds>(worked);
    s.owed = owed_ || open_.has_value();
    s.snoozes = snoozes_;
    auto wall = [&](MonoTime t) { return now.local + std::chrono::ceil<seconds>(t - now.mono); };
    if (snoozed_until_ && *snoozed_until_ > now.mono) s.snoozed_until = wall(*snoozed_until_);
    s.paused = paused_;
    if (paused_ && paused_until_) s.paused_until = wall(*paused_until_);
    s.upcoming = upcoming_.id;
    s.rotation = rotation_.position();
    return s;
}

std::vector<std::string> Scheduler::restore(Now now, const Snapshot& saved) {
    std::vector<std::string> left_out;
    // No time before 1970, nor further ahead than the longest snooze or pause could reach.
    auto time_ok = [&](const char* name, LocalTime t) {
        if (t >= LocalTime{} && t <= now.local + longest_duration) return true;
        left_out.push_back(std::string(name) + " " + std::to_string(t.time_since_epoch().count()));
        return false;
    };
    rotation_.restore(saved.rotation);
    if (auto* stretch = config_.find_stretch(saved.upcoming);
        stretch && std::any_of(config_.offered.begin(), config_.offered.end(),
                               [&](auto& s) { return s.id == stretch->id; }))
        upcoming_ = *stretch;
    bool saved_at_ok = time_ok("saved_at", saved.saved_at);
    if (!saved_at_ok || floor<days>(saved.saved_at) != day_) rotation_.new_day(upcoming_);
    if (saved_at_ok &&
        std::max(now.local - saved.saved_at, seconds{0}) < config_.schedule.natural_break) {
        if (saved.worked >= seconds{0} && saved.worked <= longest_duration) {
            worked_ = saved.worked;
            owed_ = saved.owed;
        } else {
            left_out.push_back("worked " + std::to_string(saved.worked.count()));
        }
        if (saved.snoozes >= 0 && saved.snoozes <= Config::Snooze::max_limit)
            snoozes_ = static_cast<int>(saved.snoozes);
        else
            left_out.push_back("snoozes " + std::to_string(saved.snoozes));
    }
    // A clock set back since the save would stretch what was left; it keeps only that.
    auto since = saved_at_ok ? std::max(now.local, saved.saved_at) : now.local;
    auto mono = [&](LocalTime t) { return now.mono + (t - since); };
    if (saved.snoozed_until && time_ok("snoozed_until", *saved.snoozed_until) &&
        *saved.snoozed_until > since)
        snoozed_until_ = mono(*saved.snoozed_until);
    if (saved.paused && (!saved.paused_until || (time_ok("paused_until", *saved.paused_until) &&
                                                 *saved.paused_until > since))) {
        paused_ = true;
        if (saved.paused_until) paused_until_ = mono(*saved.paused_until);
    }
    update_hours(now.local);
    plan(now);
    return left_out;
}

Status Scheduler::status(Now now) const {
    Status s;
    s.presence = presence_;
    s.inhibited = inhibited_;
    s.in_call = in_call_;
    s.interval = config_.schedule.interval;
    auto worked =
        worked_ + (counting() ? std::max(now.mono - last_mono_, milliseconds{0}) : milliseconds{0});
    s.worked = floor<seconds>(worked);
    s.next_stretch = shown_name(upcoming_);
    s.next_stretch_id = upcoming_.id;
    s.snoozes_left = std::max(config_.snooze.limit - snoozes_, 0);
    bool snoozed = snoozed_until_ && now.mono < *snoozed_until_;
    if (paused_)
        s.state = State::paused;
    else if (open_)
        s.state = State::due;
    else if (held(now) || waiting_for_pause(now))
        s.state = State::held;
    else if (!in_hours_)
        s.state = State::off_hours;
    else if (!present())
        s.state = State::away;
    else if (snoozed)
        s.state = State::snoozed;
    else
        s.state = State::working;

    if (paused_ && paused_until_)
        s.state_ends_in = std::chrono::ceil<seconds>(*paused_until_ - now.mono);
    if (s.state == State::snoozed)
        s.state_ends_in = std::chrono::ceil<seconds>(*snoozed_until_ - now.mono);
    if (s.state == State::held) {
        auto quiet = held(now);
        s.held_by = quiet ? quiet_->shown() : _("waiting for a pause in typing");
        auto most = quiet ? config_.activity.dnd_max_delay : config_.activity.smart_timing;
        s.state_ends_in = std::chrono::ceil<seconds>(waiting_->since + most - now.mono);
    }
    if (s.state == State::off_hours && hours_change_at_ != LocalTime::max())
        s.state_ends_in = std::chrono::ceil<seconds>(hours_change_at_ - now.local);
    if (s.state_ends_in) s.state_ends_at = now.local + *s.state_ends_in;
    if (s.state == State::working || s.state == State::snoozed) {
        auto work_left = owed_ ? milliseconds{0} : config_.schedule.interval - worked;
        s.next_break_in = std::chrono::ceil<seconds>(
            std::max({work_left, held_until() - now.mono, milliseconds{0}}));
    }
    return s;
}

}  // namespace postured
