#pragma once

#include <array>
#include <chrono>
#include <string>
#include <vector>

#include "core/stretch.hpp"

namespace postured {

using std::chrono::minutes;
using std::chrono::seconds;

// Working hours as minutes of the local day; `always` ignores them and the working days.
struct WorkingHours {
    bool always = false;
    minutes start{9 * 60};
    minutes end{18 * 60};
    std::array<bool, 7> days{false, true, true, true, true, true, false};  // [0] is Sunday

    bool includes(std::chrono::local_seconds local) const;
};

enum class Urgency { low, normal, critical };
inline constexpr auto urgency_names = enum_names<Urgency::critical>({"low", "normal", "critical"});
enum class ActivitySource { automatic, x11, gnome, kde, wayland, logind, none };
inline constexpr auto activity_source_names =
    enum_names<ActivitySource::none>({"auto", "x11", "gnome", "kde", "wayland", "logind", "none"});

// The validated configuration: every field has a sane value once a ConfigParser made it.
struct Config {
    struct Schedule {
        seconds interval = minutes{60};
        seconds natural_break = minutes{5};
        seconds return_grace = minutes{2};
        WorkingHours hours;
    } schedule;
    struct Snooze {
        seconds duration = minutes{10};
        int limit = 3;
        static constexpr int max_limit = 100;
    } snooze;
    struct Notify {
        seconds renotify_after = minutes{5};
        int renotify_limit = 2;
        Urgency urgency = Urgency::normal;
        bool sound = false;
    } notify;
    struct Activity {
        ActivitySource source = ActivitySource::automatic;
        // How soon a pause in input is noticed; it is sitting until it reaches natural_break.
        seconds idle_after = minutes{1};
        bool inhibited_counts_as_work = true;
        seconds smart_timing = minutes{2};
        seconds dnd_max_delay = minutes{30};
    } activity;
    struct Calls {
        bool enabled = true;
        // Always-on filters and level meters capture all day; they are no call.
        std::vector<std::string> ignore{"easyeffects", "pulseeffects", "noisetorch", "cadmus",
                                        "jamesdsp",    "pavucontrol",  "pwvucontrol"};
        // Cameras opened without PipeWire are seen on their device nodes.
        std::vector<std::string> camera_devices{"/dev/video*"};
        bool operator==(const Calls&) const = default;
    } calls;
    struct Stretches {
        std::vector<Position> positions{Position::seated};
        std::vector<std::string> disabled;
        std::vector<std::string> favorites;
    } stretches;

    // Every stretch known (the catalog and the user's own), and the ones on offer after the
    // position and disabled filters, in catalog order.
    std::vector<Stretch> catalog;
    std::vector<Stretch> offered;

    const Stretch* find_stretch(std::string_view id) const;
    bool is_favorite(std::string_view id) const;
};

inline std::string_view to_string(Urgency urgency) {
    return urgency_names(urgency);
}
inline std::string_view to_string(ActivitySource source) {
    return activity_source_names(source);
}

}  // namespace postured
