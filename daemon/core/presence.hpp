#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/scheduler.hpp"

namespace postured {

// What a source that quiets breaks calls itself: "do-not-disturb (dunst)".
inline Said do_not_disturb(const char* desktop) {
    return say([desktop] { return formatted(_("do-not-disturb (%s)"), desktop); });
}
inline Said full_screen_window() {
    return said(N_("a full-screen window"));
}

// What one source saw, dated with the moment it became true.
namespace fact {
struct Idle {  // no input since `since`
    MonoTime since;
};
struct Active {  // input again
    MonoTime at;
};
struct Locked {
    MonoTime at;
    // A lock that was asked for (logind's Lock signal) but whose end may never be told, as with
    // swaylock or i3lock: input after it ends it.
    bool until_input = false;
};
struct Unlocked {
    MonoTime at;
};
struct Asleep {  // the machine is about to sleep, or slept
    MonoTime since;
};
struct Awake {
    MonoTime at;
};
struct Inhibited {  // someone holds an idle inhibitor, or let it go
    bool held;
};
struct Quiet {  // do-not-disturb, a focused full-screen window or a call came or went
    bool on;
    Said why;             // "do-not-disturb (dunst)", "a full-screen window"
    bool answer = false;  // answers AskQuiet, from a source that tells no changes
    bool call = false;    // the user sits through it: no input in a call is still work
};
struct InputPaused {};  // input paused for a few seconds, when asked to watch for it
struct Gone {};         // the source went away: nothing it said holds any more
}  // namespace fact

using Fact = std::variant<fact::Idle, fact::Active, fact::Locked, fact::Unlocked, fact::Asleep,
                          fact::Awake, fact::Inhibited, fact::Quiet, fact::InputPaused, fact::Gone>;

struct Report {
    std::string source;  // "x11", "gnome", "logind", "gnome-screensaver", ...
    Fact fact;
};

// Combines what every source says into the one presence the scheduler sees: asleep over locked
// over idle over active, and whether any source sees an idle inhibitor. A lock holds against
// input (GNOME's monitor sees the password typed on its lock screen), the machine is awake as
// soon as any source says so, and the user is idle only while every source that watches input
// says so. It is quiet while any source says so, named by the first that did, and a call while
// any source's quiet is one.
class PresenceTracker {
  public:
    // The events the report brings the scheduler: none when the combined presence stays.
    std::vector<Event> take(const Report& report);

    Presence presence() const { return presence_; }
    bool inhibited() const { return inhibited_; }
    bool in_call() const { return in_call_; }
    const std::optional<Said>& quiet() const { return quiet_; }

  private:
    struct View {
        bool watches_input = false;
        std::optional<MonoTime> idle_since;
        std::optional<MonoTime> locked_at;
        bool lock_until_input = false;
        bool inhibited = false;
        std::optional<Said> quiet;
        std::uint64_t quiet_order = 0;
        bool call = false;
    };

    void apply(View& view, const Fact& fact);
    std::pair<Presence, std::optional<MonoTime>> combine() const;

    std::map<std::string, View, std::less<>> views_;
    std::optional<MonoTime> asleep_since_;
    Presence presence_ = Presence::active;
    bool inhibited_ = false;
    bool in_call_ = false;
    std::optional<Said> quiet_;
    std::uint64_t quiet_count_ = 0;
};

}  // namespace postured
