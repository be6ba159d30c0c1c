#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/names.hpp"
#include "core/time.hpp"

namespace postured {

// Whether the user is at the computer, as the scheduler sees it once every source is combined.
enum class Presence { active, idle, locked, asleep };
enum class State { off_hours, working, away, due, snoozed, paused, held };

inline constexpr auto presence_names =
    enum_names<Presence::asleep>({"active", "idle", "locked", "asleep"});
inline constexpr auto state_names =
    enum_names<State::held>({"off-hours", "working", "away", "due", "snoozed", "paused", "held"});
inline std::string_view to_string(Presence presence) {
    return presence_names(presence);
}
inline std::string_view to_string(State state) {
    return state_names(state);
}

// Where the hour stands: what `posturectl status` shows and status bars follow.
struct Status {
    State state = State::working;
    Presence presence = Presence::active;
    bool inhibited = false;            // someone holds an idle inhibitor (a video call)
    bool in_call = false;              // an application captures a microphone, camera or screen
    std::string idle_source = "none";  // where presence comes from: x11, gnome, wayland, ...
    std::string idle_source_note;      // why that one, or why none
    std::string idle_protocol;         // what it watches with, when it says (Wayland)
    std::chrono::seconds worked{0};
    std::chrono::seconds interval{0};
    std::optional<std::chrono::seconds> next_break_in;  // while counting toward a break
    std::optional<std::chrono::seconds> state_ends_in;  // a snooze, a timed pause, a hold at most,
    std::optional<LocalTime> state_ends_at;             // the time off working hours; local time
    std::string held_by;       // what holds a due break back: "do-not-disturb (dunst)", ...
    std::string next_stretch;  // its name, in the daemon's language
    std::string next_stretch_id;
    int snoozes_left = 0;
};

// Told of every change of the status: the control socket's followers, systemd's status line.
class StatusFollower {
  public:
    virtual ~StatusFollower() = default;
    virtual void status_changed(const Status& status) = 0;
};

}  // namespace postured
