#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/config.hpp"
#include "core/language.hpp"
#include "core/rotation.hpp"
#include "core/status.hpp"
#include "core/time.hpp"

namespace postured {

enum class Outcome { done, snoozed, skipped, dismissed, missed, natural };
inline constexpr auto outcome_names =
    enum_names<Outcome::natural>({"done", "snoozed", "skipped", "dismissed", "missed", "natural"});
inline std::string_view to_string(Outcome outcome) {
    return outcome_names(outcome);
}

namespace event {
struct Tick {};
// `since` backdates the change, for idle sources that notice idleness only after a threshold.
struct PresenceChanged {
    Presence presence;
    std::optional<MonoTime> since{};
};
struct InhibitorChanged {
    bool inhibited;
};
// An application began or stopped capturing a microphone, a camera or the screen for a call.
struct CallChanged {
    bool in_call;
};
// Do-not-disturb or a focused full-screen window came or went; `why` names it while it is on.
struct QuietChanged {
    std::optional<Said> why;
};
// Input paused for a few seconds while a break waited for it (or pauses cannot be watched).
struct InputPaused {};
// The sources asked with AskQuiet answered (or none can be asked).
struct QuietAnswered {};
// The answers to a break. One from a notification names the break it was shown for (its
// ShowBreak::number), so that a late click can never answer a newer break.
struct Done {
    std::optional<std::uint64_t> of_break{};
};
struct Skip {
    std::optional<std::uint64_t> of_break{};
};
struct Dismissed {
    std::optional<std::uint64_t> of_break{};
};
struct Snooze {
    std::optional<seconds> length{};
    std::optional<std::uint64_t> of_break{};
};
struct BreakNow {
    std::optional<std::string> stretch_id{};
};
struct Pause {
    std::optional<seconds> length{};
    std::optional<LocalTime> until{};
};
struct Resume {};
}  // namespace event

using Event = std::variant<event::Tick, event::PresenceChanged, event::InhibitorChanged,
                           event::CallChanged, event::QuietChanged, event::InputPaused,
                           event::QuietAnswered, event::Done, event::Skip, event::Dismissed,
                           event::Snooze, event::BreakNow, event::Pause, event::Resume>;

// Show the break; `resend` counts re-sends of the same break (0 for the first), which replace it.
// `snooze` is how long a snooze lasts, when one is left. `number` tells breaks apart: re-sends
// keep it.
struct ShowBreak {
    Stretch stretch;
    int resend = 0;
    std::optional<seconds> snooze{};
    std::uint64_t number = 0;
    std::string why_now{};  // for the journal, when it was not shown the moment it was due
};
struct CloseBreak {};
// Tell, with event::InputPaused, when input pauses for a few seconds: asked for only while a due
// break waits for such a pause (smart timing), and stopped after.
struct WatchForPause {
    bool on;
};
// Ask the sources that tell no changes of do-not-disturb (mako) whether it is on, now and again
// until off: asked for while a break is due, held or out. A due break waits a moment for the
// first answer, event::QuietAnswered.
struct AskQuiet {
    bool on;
};
struct Record {
    Outcome outcome = Outcome::done;
    std::string stretch_id;
    LocalTime at;
    seconds response{0};
};
using Action = std::variant<ShowBreak, CloseBreak, Record, WatchForPause, AskQuiet>;

struct Output {
    std::vector<Action> actions;
    Said refused;  // why the event was refused; empty when it was accepted
};

// What of the scheduler's state outlives the process. Times are wall-clock, since the monotonic
// clock starts again at boot.
struct Snapshot {
    LocalTime saved_at;
    seconds worked{0};
    bool owed = false;
    std::int64_t snoozes = 0;
    std::optional<LocalTime> snoozed_until;
    bool paused = false;
    std::optional<LocalTime> paused_until;
    std::string upcoming;
    Rotation::Position rotation;
    bool operator==(const Snapshot&) const = default;
};

// When to remind, and what. Pure: the caller passes the time with every event, performs the
// actions it gets back, and calls again by next_wakeup() or when the local calendar reaches
// next_calendar_change(), whichever comes first.
class Scheduler {
  public:
    Scheduler(Config config, Now now, std::uint64_t seed);

    Output handle(Now now, const Event& event);
    Output reconfigure(Now now, Config config);

    Snapshot snapshot(Now now) const;
    // Picks up where a saved state left off. Down time of natural_break or more was a break.
    // A value out of range (a damaged or planted file) is left out, and that part starts
    // afresh; the values left out are returned, for a warning.
    std::vector<std::string> restore(Now now, const Snapshot& saved);

    MonoTime next_wakeup() const { return wakeup_; }
    // The next edge of working hours; LocalTime::max() when there is none.
    LocalTime next_calendar_change() const { return hours_change_at_; }
    Status status(Now now) const;
    const Config& config() const { return config_; }

  private:
    struct OpenBreak {
        MonoTime shown_at;
        MonoTime next_at;  // the next re-send, or when it counts as missed
        int resends = 0;
        std::uint64_t number = 0;
    };
    // A due break not shown yet: held while it is quiet (do-not-disturb, a full-screen window),
    // at most dnd_max_delay, or waiting for a pause in input, at most smart_timing.
    struct Waiting {
        MonoTime since;
        bool was_held = false;  // once held, it is shown as soon as the quiet ends
        bool watching = false;  // a WatchForPause is on
        bool paused = false;    // input paused
        bool answered = false;  // the first AskQuiet answered
        Said held_by{};         // what held it, when it was held
    };

    void advance(Now now, Output& out);
    void apply(Now, const event::Tick&, Output&) {}
    void apply(Now now, const event::PresenceChanged& e, Output& out);
    void apply(Now now, const event::InhibitorChanged& e, Output& out);
    void apply(Now now, const event::CallChanged& e, Output& out);
    void apply(Now now, const event::QuietChanged& e, Output& out);
    void apply(Now now, const event::InputPaused& e, Output& out);
    void apply(Now now, const event::QuietAnswered& e, Output& out);
    void apply(Now now, const event::Done&, Output& out);
    void apply(Now now, const event::Skip&, Output& out);
    void apply(Now now, const event::Dismissed&, Output& out);
    void apply(Now now, const event::Snooze& e, Output& out);
    void apply(Now now, const event::BreakNow& e, Output& out);
    void apply(Now now, const event::Pause& e, Output& out);
    void apply(Now now, const event::Resume&, Output& out);
    void settle(Now now, Output& out);
    void plan(Now now);

    void set_presence(Now now, Presence presence, bool inhibited, bool in_call,
                      std::optional<MonoTime> since, Output& out);
    void credit_natural_break(Now now, Output& out);
    void answer(Now now, Outcome outcome, std::optional<std::uint64_t> of_break, Output& out);
    bool answers_another_break(std::optional<std::uint64_t> of_break, Output& out) const;
    void end_open_break(Now now, Outcome outcome, Output& out);
    void end_break();
    void show(Now now, Output& out);
    std::string why_shown_now(Now now, const Waiting& waiting) const;
    void wait_or_show(Now now, Output& out);
    void stop_waiting(Output& out);
    bool held(Now now) const;
    bool waiting_for_answer(Now now) const;
    bool waiting_for_pause(Now now) const;
    void end_pause(Now now);
    void hold_for_return(Now now);
    void update_hours(LocalTime local);

    bool present() const;
    bool counting() const { return in_hours_ && !paused_ && present(); }
    bool break_due(Now now) const;
    MonoTime held_until() const;
    std::optional<seconds> snooze_offer() const;

    Config config_;
    Rotation rotation_;
    Stretch upcoming_;

    MonoTime last_mono_;
    LocalTime last_local_;
    LocalTime day_;  // the local day whose muscle groups the rotation is serving
    MonoTime wakeup_;

    bool in_hours_ = false;
    LocalTime hours_change_at_;

    Presence presence_ = Presence::active;
    bool inhibited_ = false;
    bool in_call_ = false;
    std::optional<MonoTime> pause_since_;  // a pause in input, sitting until natural_break
    MonoTime away_since_;
    bool away_was_session_ = false;  // locked or asleep at some point of the absence
    bool natural_credited_ = true;

    milliseconds worked_{0};
    int snoozes_ = 0;
    bool owed_ = false;                    // a break was shown and not yet taken, skipped or missed
    std::optional<MonoTime> grace_until_;  // no break in the first minutes after a return
    std::optional<MonoTime> snoozed_until_;
    std::optional<OpenBreak> open_;
    std::optional<Waiting> waiting_;
    std::uint64_t breaks_shown_ = 0;
    bool asking_quiet_ = false;  // an AskQuiet is on
    std::optional<Said> quiet_;
    bool paused_ = false;
    std::optional<MonoTime> paused_until_;
};

}  // namespace postured
