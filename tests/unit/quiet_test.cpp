#include <catch2/catch.hpp>

#include "sim.hpp"

using namespace postured;
using namespace postured::test;

namespace {

// In two languages: the status says it in the user's, the journal in English.
const Said dunst{"do-not-disturb (dunst)", "nicht stören (dunst)"};

Config quiet_config(const std::string& activity = "smart_timing = \"0s\"\n") {
    return make_config("[schedule]\nworking_hours = \"always\"\n[activity]\n" + activity);
}

Status status_of(Sim& sim) {
    return sim.scheduler().status(sim.now());
}

}  // namespace

TEST_CASE("a break due under do-not-disturb waits and comes as soon as it ends", "[quiet]") {
    Sim sim(quiet_config());
    sim.at(at(0, "00:50"), event::QuietChanged{dunst});
    sim.run_until(at(0, "01:10"));
    CHECK(sim.breaks().empty());
    auto held = status_of(sim);
    CHECK(held.state == State::held);
    CHECK(held.held_by == dunst.translated);
    CHECK(held.state_ends_in == 20min);  // of the 30 minutes it may wait
    sim.handle(event::QuietChanged{});
    CHECK(sim.breaks() == std::vector<std::string>{"Mon 01:10"});
    CHECK(sim.shown()[0].why_now == "held 10m by " + dunst.english + ", until it ended");
    CHECK(sim.lines("missed").empty());
}

TEST_CASE("do-not-disturb holds a break at most dnd_max_delay", "[quiet]") {
    Sim sim(quiet_config());
    sim.handle(event::QuietChanged{Said{"a full-screen window"}});
    sim.run_until(at(0, "02:00"));
    CHECK(sim.breaks() == std::vector<std::string>{"Mon 01:30"});
    CHECK(sim.shown()[0].why_now ==
          "held 30m by a full-screen window, as long as dnd_max_delay allows");
    CHECK(status_of(sim).state == State::working);
    // Answered a minute later; an hour of work after that, the next one waits its 30 minutes too.
    sim.run_until(at(0, "03:05"));
    CHECK(sim.breaks() == std::vector<std::string>{"Mon 01:30", "Mon 03:01"});
}

TEST_CASE("a break out under do-not-disturb is neither re-sent nor missed until it ends",
          "[quiet]") {
    Sim sim(quiet_config());
    sim.answer.reset();  // nobody answers
    sim.run_until(at(0, "01:02"));
    REQUIRE(sim.breaks() == std::vector<std::string>{"Mon 01:00"});
    sim.handle(event::QuietChanged{dunst});  // a presentation starts
    sim.run_until(at(0, "02:00"));
    CHECK(sim.lines("reshow").empty());
    CHECK(sim.lines("missed").empty());
    sim.handle(event::QuietChanged{});
    CHECK(sim.lines("reshow") ==
          std::vector<std::string>{"Mon 02:00 reshow " + sim.shown()[0].stretch.id});
}

TEST_CASE("a break asked for is shown whatever the quiet", "[quiet]") {
    Sim sim(quiet_config());
    sim.handle(event::QuietChanged{dunst});
    sim.at(at(0, "00:10"), event::BreakNow{});
    CHECK(sim.breaks() == std::vector<std::string>{"Mon 00:10"});
}

TEST_CASE("leaving while a break is held is a natural break, not a missed one", "[quiet]") {
    Sim sim(quiet_config());
    sim.handle(event::QuietChanged{dunst});
    sim.at(at(0, "01:05"), event::PresenceChanged{Presence::idle});
    sim.run_until(at(0, "01:20"));
    CHECK(sim.breaks().empty());
    CHECK(sim.lines("natural") == std::vector<std::string>{"Mon 01:10 natural"});
    CHECK(status_of(sim).state == State::away);
}

TEST_CASE("smart timing shows a due break in the first pause in typing", "[quiet]") {
    Sim sim(quiet_config("smart_timing = \"2m\"\n"));
    sim.pauses_watched = true;
    sim.run_until(at(0, "01:00") + 40s);
    CHECK(sim.log() == std::vector<std::string>{"Mon 01:00 watch"});
    auto waiting = status_of(sim);
    CHECK(waiting.state == State::held);
    CHECK(waiting.held_by == "waiting for a pause in typing");
    CHECK(waiting.state_ends_in == 80s);
    sim.handle(event::InputPaused{});
    CHECK(sim.log() == std::vector<std::string>{"Mon 01:00 watch", "Mon 01:00:40 unwatch",
                                                "Mon 01:00:40 show " + sim.shown()[0].stretch.id});
    CHECK(sim.shown()[0].why_now == "in a pause in typing, 40s after it was due");
}

TEST_CASE("smart timing waits at most smart_timing, and not at all when it is off", "[quiet]") {
    Sim sim(quiet_config("smart_timing = \"2m\"\n"));
    sim.pauses_watched = true;
    sim.run_until(at(0, "01:02"));
    CHECK(sim.breaks() == std::vector<std::string>{"Mon 01:02"});
    CHECK(sim.shown()[0].why_now == "after 2m of typing without a pause");
    CHECK(sim.log().front() == "Mon 01:00 watch");
    CHECK(sim.log()[1] == "Mon 01:02 unwatch");
    CHECK_FALSE(sim.watching_for_pause);

    Sim off(quiet_config());
    off.pauses_watched = true;
    off.run_until(at(0, "01:01"));
    CHECK(off.log().front() == "Mon 01:00 show " + off.shown()[0].stretch.id);
    CHECK(off.shown()[0].why_now.empty());  // shown the moment it was due
}

TEST_CASE("a pause watch ends when the break stops being due", "[quiet]") {
    Sim sim(quiet_config("smart_timing = \"2m\"\n"));
    sim.pauses_watched = true;
    sim.run_until(at(0, "01:00") + 30s);
    REQUIRE(sim.watching_for_pause);
    sim.handle(event::Pause{});
    CHECK_FALSE(sim.watching_for_pause);
    CHECK(sim.breaks().empty());
}

TEST_CASE("quiet while any source says so, named by the first", "[quiet]") {
    PresenceTracker p;
    auto quiet_after = [&](const std::string& source, const Fact& fact) {
        p.take({source, fact});
        return p.quiet();
    };
    CHECK(quiet_after("dunst", fact::Quiet{true, dunst}) == dunst);
    CHECK(quiet_after("x11-fullscreen", fact::Quiet{true, Said{"a full-screen window"}}) == dunst);
    CHECK(quiet_after("dunst", fact::Quiet{false, {}}) == Said{"a full-screen window"});
    CHECK(quiet_after("x11-fullscreen", fact::Gone{}) == std::nullopt);
    auto events = p.take({"x11", fact::InputPaused{}});
    REQUIRE(events.size() == 1);
    CHECK(std::holds_alternative<event::InputPaused>(events[0]));
}

TEST_CASE("a call is a quiet the user sits through, for as long as any source sees one",
          "[quiet]") {
    PresenceTracker p;
    auto call = [](std::string why) {
        return fact::Quiet{.on = true, .why = Said(std::move(why)), .call = true};
    };
    CHECK(p.take({"dunst", fact::Quiet{true, dunst}}).size() == 1);
    CHECK_FALSE(p.in_call());
    auto events = p.take({"pipewire", call("a call (zoom: microphone)")});
    REQUIRE(events.size() == 1);
    CHECK(std::get<event::CallChanged>(events[0]).in_call);
    CHECK(p.quiet() == dunst);
    CHECK(p.take({"camera", call("a call (zoom: camera)")}).empty());
    CHECK(p.take({"dunst", fact::Quiet{false, {}}}).size() == 1);
    CHECK(p.quiet() == Said{"a call (zoom: microphone)"});
    // A call that gains a device keeps its place before the camera's.
    p.take({"pipewire", call("a call (zoom: microphone, screen)")});
    CHECK(p.quiet() == Said{"a call (zoom: microphone, screen)"});
    p.take({"pipewire", fact::Quiet{.on = false, .why = {}, .call = true}});
    CHECK(p.in_call());
    CHECK(p.quiet() == Said{"a call (zoom: camera)"});
    events = p.take({"camera", fact::Gone{}});
    CHECK_FALSE(p.in_call());
    CHECK(std::get<event::CallChanged>(events[0]).in_call == false);
    CHECK(p.quiet() == std::nullopt);
}

TEST_CASE("a source that must be asked is asked only while a break is due or out", "[quiet]") {
    Sim sim(quiet_config());
    sim.quiet_asked = true;
    sim.run_until(at(0, "00:59"));
    CHECK_FALSE(sim.asking_quiet);
    sim.run_until(at(0, "01:00"));
    CHECK(sim.asking_quiet);
    CHECK(sim.breaks().empty());  // the first answer is waited for
    const std::string mako = "do-not-disturb (mako)";
    sim.handle(event::QuietChanged{Said{mako}});
    sim.handle(event::QuietAnswered{});
    sim.run_until(at(0, "01:10"));
    CHECK(status_of(sim).held_by == mako);
    sim.handle(event::QuietChanged{});
    CHECK(sim.breaks() == std::vector<std::string>{"Mon 01:10"});
    CHECK(sim.asking_quiet);        // while it is out
    sim.run_until(at(0, "01:12"));  // answered at 01:11
    CHECK_FALSE(sim.asking_quiet);
}

TEST_CASE("a first answer that never comes holds a due break a moment only", "[quiet]") {
    Sim sim(quiet_config());
    sim.quiet_asked = true;
    sim.run_until(at(0, "01:00") + 1s);
    CHECK(sim.breaks().empty());
    sim.run_until(at(0, "01:00") + 3s);
    CHECK(sim.breaks() == std::vector<std::string>{"Mon 01:00:02"});
}

TEST_CASE("an answer that it is not quiet shows the break at once", "[quiet]") {
    Sim sim(quiet_config());
    sim.quiet_asked = true;
    sim.run_until(at(0, "01:00"));
    sim.handle(event::QuietAnswered{});
    CHECK(sim.breaks() == std::vector<std::string>{"Mon 01:00"});
}

TEST_CASE("an answer to an ask is an event of its own", "[quiet]") {
    PresenceTracker p;
    auto events = p.take({"mako", fact::Quiet{false, Said{"do-not-disturb (mako)"}, true}});
    REQUIRE(events.size() == 1);
    CHECK(std::holds_alternative<event::QuietAnswered>(events[0]));
    events = p.take({"mako", fact::Quiet{true, Said{"do-not-disturb (mako)"}, true}});
    REQUIRE(events.size() == 2);
    CHECK(std::holds_alternative<event::QuietChanged>(events[0]));
    CHECK(std::holds_alternative<event::QuietAnswered>(events[1]));
}

TEST_CASE(
    "a call holds a due break, counts as sitting, and a pause after it is measured from its end",
    "[quiet]") {
    Sim sim(quiet_config("smart_timing = \"0s\"\ndnd_max_delay = \"2h\"\n"));
    const std::string call = "a call (Firefox: microphone, camera)";
    sim.at(at(0, "00:40"), event::CallChanged{true});
    sim.at(at(0, "00:40"), event::QuietChanged{Said{call}});
    // Listening without a keystroke for forty minutes is still work, and the break waits.
    sim.run_until(at(0, "00:45"));
    sim.handle(event::PresenceChanged{Presence::idle, sim.now().mono - 1min});
    sim.run_until(at(0, "01:20"));
    CHECK(sim.lines("natural").empty());
    CHECK(sim.breaks().empty());
    auto held = status_of(sim);
    CHECK(held.state == State::held);
    CHECK(held.held_by == call);
    CHECK(held.in_call);

    // The call ends; sitting still after it is a pause, which comes at once to the held break.
    sim.handle(event::CallChanged{false});
    sim.handle(event::QuietChanged{});
    CHECK(sim.breaks() == std::vector<std::string>{"Mon 01:20"});
    CHECK(sim.shown()[0].why_now == "held 20m by " + call + ", until it ended");
    sim.handle(event::Done{});
    // The pause reaches the natural break five minutes after the call, not at once.
    sim.run_until(at(0, "01:24"));
    CHECK(sim.lines("natural").empty());
    sim.run_until(at(0, "01:26"));
    CHECK(sim.lines("natural") == std::vector<std::string>{"Mon 01:25 natural"});
}

TEST_CASE("a call that begins while away is a return", "[quiet]") {
    Sim sim(quiet_config());
    sim.at(at(0, "00:30"), event::PresenceChanged{Presence::idle});
    sim.run_until(at(0, "00:50"));
    CHECK(status_of(sim).state == State::away);
    sim.handle(event::CallChanged{true});
    CHECK(status_of(sim).state == State::working);
}

TEST_CASE("a pause in input that began in a call is measured from the call's end", "[quiet]") {
    Sim sim(quiet_config("smart_timing = \"0s\"\ndnd_max_delay = \"2h\"\n"));
    sim.at(at(0, "00:40"), event::CallChanged{true});
    sim.at(at(0, "00:40"), event::QuietChanged{Said{"a call (zoom: microphone)"}});
    sim.run_until(at(0, "01:17"));
    sim.handle(event::PresenceChanged{Presence::idle, sim.now().mono});
    sim.run_until(at(0, "01:20"));
    sim.handle(event::CallChanged{false});
    sim.handle(event::QuietChanged{});
    sim.handle(event::Done{});
    // Sat through the call until 01:20: five minutes of stillness from then, not from 01:17.
    sim.run_until(at(0, "01:24"));
    CHECK(sim.lines("natural").empty());
    sim.run_until(at(0, "01:26"));
    CHECK(sim.lines("natural") == std::vector<std::string>{"Mon 01:25 natural"});
}
