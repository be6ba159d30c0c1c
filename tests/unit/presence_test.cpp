#include <catch2/catch.hpp>

#include "core/presence.hpp"
#include "sim.hpp"

using namespace postured;
using namespace postured::test;

namespace {

MonoTime t(int seconds) {
    return MonoTime{std::chrono::seconds{seconds}};
}

// The presence each report leaves, and the `since` of each change it brought.
struct Step {
    Presence presence;
    bool inhibited = false;
};

Step after(PresenceTracker& tracker, const std::string& source, const Fact& fact) {
    tracker.take({source, fact});
    return {tracker.presence(), tracker.inhibited()};
}

std::optional<MonoTime> since_of(const std::vector<Event>& events) {
    for (auto& e : events)
        if (auto* change = std::get_if<event::PresenceChanged>(&e)) return change->since;
    return std::nullopt;
}

}  // namespace

TEST_CASE("asleep over locked over idle over active", "[presence]") {
    PresenceTracker p;
    CHECK(p.presence() == Presence::active);
    CHECK(after(p, "x11", fact::Idle{t(10)}).presence == Presence::idle);
    CHECK(after(p, "gnome-screensaver", fact::Locked{t(20)}).presence == Presence::locked);
    CHECK(after(p, "logind", fact::Asleep{t(30)}).presence == Presence::asleep);
    CHECK(after(p, "x11", fact::Active{t(40)}).presence == Presence::asleep);
    CHECK(after(p, "logind", fact::Awake{t(50)}).presence == Presence::locked);
    CHECK(after(p, "gnome-screensaver", fact::Unlocked{t(60)}).presence == Presence::active);
}

TEST_CASE("the idle monitor's input on the lock screen does not unlock", "[presence]") {
    PresenceTracker p;
    p.take({"gnome", fact::Idle{t(0)}});
    p.take({"logind", fact::Locked{t(60)}});  // LockedHint: the shell says it is locked
    // The password typed on GNOME's lock screen is input to its idle monitor.
    CHECK(after(p, "gnome", fact::Active{t(300)}).presence == Presence::locked);
    CHECK(after(p, "logind", fact::Unlocked{t(305)}).presence == Presence::active);
}

TEST_CASE("a lock nobody will say ended ends at the next input", "[presence]") {
    PresenceTracker p;
    p.take({"x11", fact::Idle{t(0)}});
    p.take({"logind", fact::Locked{t(10), true}});  // loginctl lock-session; i3lock shows
    CHECK(p.presence() == Presence::locked);
    CHECK(after(p, "x11", fact::Active{t(400)}).presence == Presence::active);

    // Once the session confirms the lock (LockedHint), input no longer ends it.
    p.take({"logind", fact::Locked{t(500), true}});
    p.take({"logind", fact::Locked{t(501)}});
    CHECK(after(p, "x11", fact::Active{t(600)}).presence == Presence::locked);
    // And asked for again while confirmed, it stays confirmed.
    p.take({"logind", fact::Locked{t(700), true}});
    CHECK(after(p, "x11", fact::Active{t(800)}).presence == Presence::locked);
}

TEST_CASE("the machine is awake as soon as any source says so", "[presence]") {
    PresenceTracker p;
    p.take({"logind", fact::Asleep{t(100)}});
    auto events = p.take({"clock", fact::Asleep{t(105)}});
    CHECK(events.empty());  // already asleep; the earlier start stays
    CHECK(after(p, "clock", fact::Awake{t(900)}).presence == Presence::active);
    CHECK(p.take({"logind", fact::Awake{t(901)}}).empty());
}

TEST_CASE("idle only while every source that watches input says so", "[presence]") {
    PresenceTracker p;
    p.take({"x11", fact::Active{t(0)}});
    p.take({"logind-idle-hint", fact::Idle{t(5)}});
    CHECK(p.presence() == Presence::active);
    auto events = p.take({"x11", fact::Idle{t(30)}});
    CHECK(p.presence() == Presence::idle);
    CHECK(since_of(events) == t(30));  // since the later of the two
}

TEST_CASE("a change is dated when it became true", "[presence]") {
    PresenceTracker p;
    CHECK(since_of(p.take({"x11", fact::Idle{t(40)}})) == t(40));
    CHECK(p.take({"x11", fact::Idle{t(40)}}).empty());  // no change, no event
    CHECK(since_of(p.take({"x11", fact::Active{t(90)}})) == std::nullopt);
    CHECK(since_of(p.take({"mate-screensaver", fact::Locked{t(100)}})) == t(100));
}

TEST_CASE("inhibited while any source sees an inhibitor", "[presence]") {
    PresenceTracker p;
    CHECK(after(p, "gnome-session", fact::Inhibited{true}).inhibited);
    CHECK(after(p, "logind", fact::Inhibited{true}).inhibited);
    CHECK(after(p, "gnome-session", fact::Inhibited{false}).inhibited);
    auto events = p.take({"logind", fact::Inhibited{false}});
    CHECK_FALSE(p.inhibited());
    REQUIRE(events.size() == 1);
    CHECK(std::get<event::InhibitorChanged>(events[0]).inhibited == false);
}

TEST_CASE("a source that went away says nothing any more", "[presence]") {
    PresenceTracker p;
    p.take({"x11", fact::Idle{t(0)}});
    p.take({"gnome-session", fact::Inhibited{true}});
    p.take({"gnome-screensaver", fact::Locked{t(5)}});
    CHECK(after(p, "gnome-screensaver", fact::Gone{}).presence == Presence::idle);
    // Without an idle source, nothing says the user is away: all time counts.
    CHECK(after(p, "x11", fact::Gone{}).presence == Presence::active);
    auto step = after(p, "gnome-session", fact::Gone{});
    CHECK_FALSE(step.inhibited);
    CHECK(p.take({"never-heard-of", fact::Gone{}}).empty());
}

TEST_CASE("a day of facts from several sources, as the scheduler counts it",
          "[presence][scheduler]") {
    Sim sim(make_config());
    // What a source saw at `time`, with the moment it became true `ago`.
    auto at_time = [&](const std::string& time, const std::string& source, auto fact,
                       minutes ago = 0min) {
        sim.run_until(at(0, time));
        auto when = sim.now().mono - ago;
        if constexpr (std::is_same_v<decltype(fact), fact::Idle>)
            fact.since = when;
        else if constexpr (!std::is_same_v<decltype(fact), fact::Inhibited>)
            fact.at = when;
        sim.report(source, fact);
    };
    at_time("08:55", "x11", fact::Active{});
    // The X server tells idleness only after idle_after (1m), dated back to the last input.
    at_time("09:30", "x11", fact::Idle{}, 1min);
    at_time("09:33", "x11", fact::Active{});
    // Locked for lunch at 10:10 (the screen locker, then logind's hint); back at 10:50 typing the
    // password, which the idle source sees before the unlock.
    at_time("10:09", "x11", fact::Idle{}, 1min);
    at_time("10:10", "gnome-screensaver", fact::Locked{});
    at_time("10:10", "logind", fact::Locked{});
    at_time("10:50", "x11", fact::Active{});
    CHECK(sim.presence().presence() == Presence::locked);
    at_time("10:51", "gnome-screensaver", fact::Unlocked{});
    at_time("10:51", "logind", fact::Unlocked{});
    // A video call with no input from 13:00 to 13:40 (an inhibitor): sitting all the same.
    at_time("13:00", "gnome-session", fact::Inhibited{true});
    at_time("13:01", "x11", fact::Idle{}, 1min);
    at_time("13:40", "x11", fact::Active{});
    sim.report("gnome-session", fact::Inhibited{false});
    sim.run_until(at(0, "15:00"));

    // 09:00-10:00, the pause at 09:29 sitting: the first break at 10:00, done at 10:01. Lunch
    // from 10:08 (the last input; the lock came in that pause) is a natural break at 10:13; back
    // at 10:51, the hour starts afresh.
    CHECK(sim.breaks() == std::vector<std::string>{"Mon 10:00", "Mon 11:51", "Mon 12:52",
                                                   "Mon 13:53", "Mon 14:54"});
    CHECK(sim.lines("natural") == std::vector<std::string>{"Mon 10:13 natural"});
}

TEST_CASE("the working day starts at its edge of the calendar, also after the clock is set",
          "[scheduler]") {
    Sim sim(make_config());
    CHECK(sim.scheduler().next_calendar_change() == at(0, "09:00"));
    sim.run_until(at(0, "09:00"));
    CHECK(sim.scheduler().status(sim.now()).state == State::working);
    CHECK(sim.scheduler().next_calendar_change() == at(0, "18:00"));

    Sim early(make_config());
    early.run_until(at(0, "07:00"));
    CHECK(early.scheduler().status(early.now()).state == State::off_hours);
    early.set_wall_clock(at(0, "10:00"));  // the clock is set: the daemon is woken at once
    early.handle(event::Tick{});
    CHECK(early.scheduler().status(early.now()).state == State::working);
    early.run_until(at(0, "11:00"));
    CHECK(early.breaks() == std::vector<std::string>{"Mon 11:00"});
}
