#include <catch2/catch.hpp>
#include <limits>

#include "sim.hpp"

using namespace postured;
using namespace postured::test;

namespace {

// A day at the office: arrives 08:50; a short pause at 10:30, a meeting away from the desk
// 11:30-12:30, lunch 12:45-13:30, a short pause at 15:00, leaves at 17:45.
void office_day(Sim& sim, int day) {
    sim.at(at(day, "08:50"), event::PresenceChanged{Presence::active});
    if (day == 2) {  // Wednesday: two one-minute pauses to read, which are sitting
        sim.at(at(day, "09:20"), event::PresenceChanged{Presence::idle});
        sim.at(at(day, "09:21"), event::PresenceChanged{Presence::active});
        sim.at(at(day, "09:40"), event::PresenceChanged{Presence::idle});
        sim.at(at(day, "09:41"), event::PresenceChanged{Presence::active});
    }
    sim.at(at(day, "10:30"), event::PresenceChanged{Presence::idle});
    sim.at(at(day, "10:33"), event::PresenceChanged{Presence::active});
    sim.at(at(day, "11:30"), event::PresenceChanged{Presence::idle});
    sim.at(at(day, "12:30"), event::PresenceChanged{Presence::active});
    sim.at(at(day, "12:45"), event::PresenceChanged{Presence::idle});
    sim.at(at(day, "13:30"), event::PresenceChanged{Presence::active});
    sim.at(at(day, "15:00"), event::PresenceChanged{Presence::idle});
    sim.at(at(day, "15:04"), event::PresenceChanged{Presence::active});
    sim.at(at(day, day == 4 ? "16:00" : "17:45"), event::PresenceChanged{Presence::idle});
}

}  // namespace

TEST_CASE("a working week gets exactly the expected breaks", "[scheduler]") {
    Sim sim(make_config());
    sim.handle(event::PresenceChanged{Presence::idle});  // Monday 00:00, nobody there
    for (int day = 0; day < 5; ++day)
        office_day(sim, day);
    // The weekend: an hour and a half of e-mail on Saturday morning is not a working day.
    sim.at(at(5, "10:00"), event::PresenceChanged{Presence::active});
    sim.at(at(5, "11:30"), event::PresenceChanged{Presence::idle});
    sim.run_until(at(7, "00:00"));

    CHECK(sim.breaks() == std::vector<std::string>{
                              "Mon 10:00", "Mon 11:01", "Mon 14:30", "Mon 15:31", "Mon 16:32",
                              "Mon 17:33", "Tue 10:00", "Tue 11:01", "Tue 14:30", "Tue 15:31",
                              "Tue 16:32", "Tue 17:33", "Wed 10:00", "Wed 11:01", "Wed 14:30",
                              "Wed 15:31", "Wed 16:32", "Wed 17:33", "Thu 10:00", "Thu 11:01",
                              "Thu 14:30", "Thu 15:31", "Thu 16:32", "Thu 17:33", "Fri 10:00",
                              "Fri 11:01", "Fri 14:30", "Fri 15:31",
                          });
    CHECK(sim.lines("done").size() == 28);
    // The meeting, lunch and leaving are natural breaks; the nights and the weekend are not.
    CHECK(sim.lines("natural") == std::vector<std::string>{
                                      "Mon 11:35 natural",
                                      "Mon 12:50 natural",
                                      "Mon 17:50 natural",
                                      "Tue 11:35 natural",
                                      "Tue 12:50 natural",
                                      "Tue 17:50 natural",
                                      "Wed 11:35 natural",
                                      "Wed 12:50 natural",
                                      "Wed 17:50 natural",
                                      "Thu 11:35 natural",
                                      "Thu 12:50 natural",
                                      "Thu 17:50 natural",
                                      "Fri 11:35 natural",
                                      "Fri 12:50 natural",
                                      "Fri 16:05 natural",
                                  });
    CHECK(sim.lines("reshow").empty());
}

TEST_CASE("the same stretch never comes twice in a row over a simulated month", "[scheduler]") {
    Sim sim(make_config("[schedule]\nworking_hours = \"always\"\n"));
    sim.run_until(monday + days{30});
    auto shown = sim.shown();
    CHECK(shown.size() == 30 * 24 * 60 / 61);  // an hour of work and a minute of stretching
    for (std::size_t i = 1; i < shown.size(); ++i)
        REQUIRE(shown[i].stretch.id != shown[i - 1].stretch.id);
}

TEST_CASE("a 3-hour suspend brings one break, not three", "[scheduler]") {
    Sim sim(make_config());
    sim.at(at(0, "09:00"), event::Tick{});
    sim.at(at(0, "09:50"), event::PresenceChanged{Presence::asleep});
    sim.at(at(0, "12:50"), event::PresenceChanged{Presence::active});
    sim.run_until(at(0, "15:00"));
    // The suspend was a natural break; the hour starts afresh on waking.
    CHECK(sim.breaks() == std::vector<std::string>{"Mon 13:50", "Mon 14:51"});
    CHECK(sim.lines("natural") == std::vector<std::string>{"Mon 09:55 natural"});
}

TEST_CASE("time nobody reported still brings at most one break", "[scheduler]") {
    Sim sim(make_config());
    sim.at(at(0, "09:30"), event::Tick{});
    sim.pass_unobserved(3h);  // 12:30, with three hours on the clock and no event
    sim.handle(event::Tick{});
    sim.run_until(at(0, "13:40"));
    CHECK(sim.breaks() == std::vector<std::string>{"Mon 12:30", "Mon 13:31"});
}

TEST_CASE("the wall clock set back an hour brings no double break", "[scheduler]") {
    Sim sim(make_config());
    sim.run_until(at(0, "10:30"));  // the 10:00 break was done at 10:01
    sim.set_wall_clock(at(0, "09:30"));
    sim.handle(event::Tick{});
    sim.run_until(at(0, "12:00"));
    CHECK(sim.breaks() == std::vector<std::string>{"Mon 10:00", "Mon 10:01", "Mon 11:02"});
    auto monos = sim.break_monos();
    for (std::size_t i = 1; i < monos.size(); ++i)
        CHECK(monos[i] - monos[i - 1] == 61min);
}

TEST_CASE("the wall clock set forward keeps the count and honours working hours", "[scheduler]") {
    Sim sim(make_config());
    sim.run_until(at(0, "10:30"));
    sim.set_wall_clock(at(0, "11:30"));
    sim.handle(event::Tick{});
    sim.run_until(at(0, "12:10"));
    CHECK(sim.breaks() == std::vector<std::string>{"Mon 10:00", "Mon 12:01"});

    sim.set_wall_clock(at(0, "19:00"));  // past the working day: nothing until tomorrow
    sim.handle(event::Tick{});
    sim.run_until(at(1, "09:59"));
    CHECK(sim.breaks().size() == 2);
    sim.run_until(at(1, "10:00"));
    CHECK(sim.breaks().back() == "Tue 10:00");
}

TEST_CASE("no break at the weekend or outside working hours", "[scheduler]") {
    Sim sim(make_config("[schedule]\nworking_hours = \"10:00-12:00\"\nworking_days = [\"sat\"]\n"));
    sim.run_until(at(7, "00:00"));
    CHECK(sim.breaks() == std::vector<std::string>{"Sat 11:00"});
}

TEST_CASE("each working day starts afresh", "[scheduler]") {
    Sim sim(make_config());
    sim.run_until(at(0, "17:50"));  // the last break of Monday at 17:08; 42 minutes worked since
    sim.run_until(at(1, "10:00"));
    CHECK(sim.breaks().back() == "Tue 10:00");
}

TEST_CASE("a pause in input shorter than natural_break is sitting; a lock of it is a break taken",
          "[scheduler]") {
    Sim sim(make_config("[schedule]\nworking_hours = \"always\"\n"));
    sim.at(at(0, "00:30"), event::PresenceChanged{Presence::idle});
    sim.at(at(0, "00:34"),
           event::PresenceChanged{Presence::active});  // 4 minutes of reading: work, not reset
    sim.run_until(at(0, "01:05"));
    CHECK(sim.breaks() == std::vector<std::string>{"Mon 01:00"});

    sim.at(at(0, "01:30"), event::PresenceChanged{Presence::locked});
    sim.at(at(0, "01:35"), event::PresenceChanged{Presence::active});  // 5 minutes: a natural break
    sim.run_until(at(0, "02:40"));
    CHECK(sim.lines("natural") == std::vector<std::string>{"Mon 01:35 natural"});
    CHECK(sim.breaks() == std::vector<std::string>{"Mon 01:00", "Mon 02:35"});
}

TEST_CASE("a pause in input that reaches natural_break is away from its first moment",
          "[scheduler]") {
    Sim sim(make_config("[schedule]\nworking_hours = \"always\"\n"));
    sim.at(at(0, "00:40"), event::PresenceChanged{Presence::idle});
    sim.run_until(at(0, "00:44"));
    CHECK(sim.scheduler().status(sim.now()).state == State::working);
    CHECK(sim.scheduler().status(sim.now()).worked == 44min);
    sim.run_until(at(0, "00:46"));
    CHECK(sim.lines("natural") == std::vector<std::string>{"Mon 00:45 natural"});
    auto s = sim.scheduler().status(sim.now());
    CHECK(s.state == State::away);
    CHECK(s.worked == 0min);
    sim.at(at(0, "00:50"), event::PresenceChanged{Presence::active});
    sim.run_until(at(0, "02:00"));
    CHECK(sim.breaks() == std::vector<std::string>{"Mon 01:50"});
}

TEST_CASE("a pause reported late reaches natural_break from its first moment", "[scheduler]") {
    Sim sim(make_config("[schedule]\nworking_hours = \"always\"\n"));
    // An idle source that notices idleness after a minute reports it as starting a minute ago:
    // a pause of three minutes in all, which is sitting.
    sim.run_until(at(0, "00:31"));
    sim.handle(event::PresenceChanged{Presence::idle, sim.now().mono - 1min});
    sim.at(at(0, "00:33"), event::PresenceChanged{Presence::active});
    CHECK(sim.scheduler().status(sim.now()).worked == 33min);
    sim.run_until(at(0, "01:06"));
    CHECK(sim.breaks() == std::vector<std::string>{"Mon 01:00"});

    // Noticed at 01:20 as starting at 01:18, it reaches natural_break at 01:23.
    sim.run_until(at(0, "01:20"));
    sim.handle(event::PresenceChanged{Presence::idle, sim.now().mono - 2min});
    sim.run_until(at(0, "01:30"));
    CHECK(sim.lines("natural") == std::vector<std::string>{"Mon 01:23 natural"});
    sim.handle(event::PresenceChanged{Presence::active});

    // Reported 6 minutes late, it is a natural break at once.
    sim.run_until(at(0, "01:40"));
    sim.handle(event::PresenceChanged{Presence::idle, sim.now().mono - 6min});
    CHECK(sim.lines("natural") ==
          std::vector<std::string>{"Mon 01:23 natural", "Mon 01:40 natural"});
}

TEST_CASE("no break in the first minutes after the user returns", "[scheduler]") {
    // A pause in input is no return: the break comes on time, in the pause.
    Sim sim(make_config("[schedule]\nworking_hours = \"always\"\n"));
    sim.at(at(0, "00:57"), event::PresenceChanged{Presence::idle});
    sim.at(at(0, "01:03"), event::PresenceChanged{Presence::active});
    sim.run_until(at(0, "01:10"));
    CHECK(sim.breaks() == std::vector<std::string>{"Mon 01:00"});

    Sim short_lock(make_config("[schedule]\nworking_hours = \"always\"\n"));
    short_lock.at(at(0, "00:59"), event::PresenceChanged{Presence::locked});
    short_lock.at(at(0, "01:00"), event::PresenceChanged{Presence::active});
    short_lock.run_until(at(0, "01:10"));
    CHECK(short_lock.breaks() ==
          std::vector<std::string>{"Mon 01:02"});  // due 01:01, held to 01:02

    Sim blip(make_config("[schedule]\nworking_hours = \"always\"\n"));
    blip.at(at(0, "00:59"), event::PresenceChanged{Presence::idle});
    blip.at(at(0, "01:00"), event::PresenceChanged{Presence::active});  // a minute: not a return
    blip.run_until(at(0, "01:10"));
    CHECK(blip.breaks() == std::vector<std::string>{"Mon 01:00"});
}

TEST_CASE("snooze brings the same break back, up to the limit", "[scheduler]") {
    Sim sim(make_config("[schedule]\nworking_hours = \"always\"\n"));
    sim.answer = event::Snooze{};
    sim.run_until(at(0, "01:40"));
    auto shown = sim.shown();
    CHECK(sim.breaks() ==
          std::vector<std::string>{"Mon 01:00", "Mon 01:11", "Mon 01:22", "Mon 01:33"});
    for (auto& s : shown)
        CHECK(s.stretch.id == shown.front().stretch.id);
    CHECK(sim.lines("snoozed").size() == 3);
    CHECK(sim.lines("refused:") ==
          std::vector<std::string>{
              "Mon 01:34 refused: this break was snoozed 3 times, the limit; take it or skip it"});
    sim.handle(event::Skip{});
    CHECK(sim.lines("skipped").size() == 1);
    sim.run_until(at(0, "02:50"));
    CHECK(sim.breaks().back() == "Mon 02:40");
    CHECK(sim.shown().back().stretch.id != shown.front().stretch.id);
}

TEST_CASE("a snooze before a break is due puts it off by that long", "[scheduler]") {
    Sim sim(make_config("[schedule]\nworking_hours = \"always\"\n"));
    sim.at(at(0, "00:03"), event::Snooze{15min});  // 57 minutes to go
    auto status = sim.scheduler().status(sim.now());
    CHECK(status.state == State::snoozed);
    CHECK(status.next_break_in == 72min);
    CHECK(status.snoozes_left == 2);
    sim.at(at(0, "00:50"), event::Snooze{25min});  // and once more
    sim.run_until(at(0, "01:45"));
    CHECK(sim.breaks() == std::vector<std::string>{"Mon 01:40"});
}

TEST_CASE("a snooze is at most one break interval", "[scheduler]") {
    Sim sim(make_config("[schedule]\nworking_hours = \"always\"\n"));
    CHECK(sim.at(at(0, "00:10"), event::Snooze{100h}).refused.english ==
          "a snooze is at most 1h, one break interval; to stop breaks for longer, pause them "
          "(posturectl pause 100h)");
    CHECK(sim.scheduler().status(sim.now()).snoozes_left == 3);
    CHECK(sim.handle(event::Snooze{1h}).refused.english.empty());
}

TEST_CASE("a snoozed break can be skipped or done without waiting for it", "[scheduler]") {
    Sim sim(make_config("[schedule]\nworking_hours = \"always\"\n"));
    sim.answer = event::Snooze{};
    sim.run_until(at(0, "01:02"));  // shown at 01:00, snoozed at 01:01
    REQUIRE(sim.scheduler().status(sim.now()).state == State::snoozed);
    CHECK(sim.handle(event::Skip{}).refused.english.empty());
    CHECK(sim.lines("skipped") ==
          std::vector<std::string>{"Mon 01:02 skipped " + sim.shown()[0].stretch.id});
    CHECK(sim.scheduler().status(sim.now()).state == State::working);

    sim.answer.reset();
    sim.at(at(0, "01:10"), event::Snooze{10min});  // the next one, before it is due
    CHECK(sim.handle(event::Done{}).refused.english.empty());
    CHECK(sim.lines("done").size() == 1);
    CHECK(sim.scheduler().status(sim.now()).next_break_in == 1h);
    CHECK(sim.handle(event::Dismissed{}).refused.english == "no break is waiting for an answer");
}

TEST_CASE("skip and done both start a new interval", "[scheduler]") {
    Sim sim(make_config("[schedule]\nworking_hours = \"always\"\n"));
    sim.answer = event::Skip{};
    sim.answer_after = 2min;
    sim.run_until(at(0, "02:05"));
    CHECK(sim.breaks() == std::vector<std::string>{"Mon 01:00", "Mon 02:02"});
    CHECK(sim.lines("skipped").size() == 2);
    CHECK(sim.handle(event::Done{}).refused.english == "no break is waiting for an answer");
}

TEST_CASE("a break nobody answers is shown again, then missed", "[scheduler]") {
    Sim sim(make_config("[schedule]\nworking_hours = \"always\"\n"));
    sim.answer.reset();
    sim.run_until(at(0, "01:20"));
    auto id = sim.shown().front().stretch.id;
    CHECK(sim.log() == std::vector<std::string>{"Mon 01:00 show " + id, "Mon 01:05 reshow " + id,
                                                "Mon 01:10 reshow " + id, "Mon 01:15 close",
                                                "Mon 01:15 missed " + id});
    sim.run_until(at(0, "02:20"));
    CHECK(sim.breaks().back() == "Mon 02:15");
}

TEST_CASE("a break closed by the user is dismissed, not shown again", "[scheduler]") {
    Sim sim(make_config("[schedule]\nworking_hours = \"always\"\n"));
    sim.answer = event::Dismissed{};
    sim.run_until(at(0, "01:30"));
    CHECK(sim.lines("reshow").empty());
    CHECK(sim.lines("dismissed").size() == 1);
    CHECK(sim.lines("close").empty());  // the server closed it already
}

TEST_CASE("a break waiting while the user is away is not re-sent; a long absence takes its place",
          "[scheduler]") {
    Sim sim(make_config("[schedule]\nworking_hours = \"always\"\n"));
    sim.answer.reset();
    sim.at(at(0, "01:01"), event::PresenceChanged{Presence::locked});
    sim.run_until(at(0, "01:10"));
    auto id = sim.shown().front().stretch.id;
    CHECK(sim.log() == std::vector<std::string>{"Mon 01:00 show " + id, "Mon 01:06 close",
                                                "Mon 01:06 natural " + id});

    // A pause in input is sitting: the break is shown again in it, until the pause is away.
    Sim reading(make_config("[schedule]\nworking_hours = \"always\"\n"));
    reading.answer.reset();
    reading.at(at(0, "01:01"), event::PresenceChanged{Presence::idle});
    reading.run_until(at(0, "01:10"));
    id = reading.shown().front().stretch.id;
    CHECK(reading.log() == std::vector<std::string>{"Mon 01:00 show " + id,
                                                    "Mon 01:05 reshow " + id, "Mon 01:06 close",
                                                    "Mon 01:06 natural " + id});
}

TEST_CASE("pause for a while, pause until a time, resume", "[scheduler]") {
    Sim sim(make_config("[schedule]\nworking_hours = \"always\"\n"));
    sim.at(at(0, "00:30"), event::Pause{2h, {}});
    auto status = sim.scheduler().status(sim.now());
    CHECK(status.state == State::paused);
    CHECK(status.state_ends_in == 2h);
    sim.run_until(at(0, "03:05"));
    CHECK(sim.breaks() == std::vector<std::string>{"Mon 03:00"});  // 30 minutes before, 30 after

    sim.at(at(0, "03:30"), event::Pause{{}, at(0, "05:00")});
    sim.run_until(at(0, "05:00"));
    CHECK(sim.breaks().size() == 1);
    CHECK(sim.scheduler().status(sim.now()).state == State::working);
    sim.run_until(at(0, "05:40"));
    CHECK(sim.breaks().back() == "Mon 05:31");  // 29 minutes before the pause, 31 after

    sim.at(at(0, "05:45"), event::Pause{});
    sim.run_until(at(1, "00:00"));  // indefinitely
    CHECK(sim.breaks().size() == 2);
    sim.handle(event::Resume{});
    CHECK(sim.handle(event::Resume{}).refused.english == "breaks are not paused");
    sim.run_until(at(1, "00:50"));
    CHECK(sim.breaks().back() == "Tue 00:47");  // 13 minutes before the pause, 47 after
}

TEST_CASE("pause until a time already past today means tomorrow", "[scheduler]") {
    Sim sim(make_config("[schedule]\nworking_hours = \"always\"\n"));
    sim.at(at(0, "20:00"), event::Pause{{}, at(0, "09:00")});
    CHECK(sim.scheduler().status(sim.now()).state_ends_in == 13h);
}

TEST_CASE("a break waiting when a pause starts comes back after it", "[scheduler]") {
    Sim sim(make_config("[schedule]\nworking_hours = \"always\"\n"));
    sim.answer.reset();
    sim.at(at(0, "01:01"), event::Pause{10min, {}});
    sim.run_until(at(0, "01:20"));
    CHECK(sim.breaks() == std::vector<std::string>{"Mon 01:00", "Mon 01:13"});  // 01:11 + grace
    CHECK(sim.lines("snoozed").empty());
}

TEST_CASE("a break on request, with or without a stretch", "[scheduler]") {
    Sim sim(make_config());
    sim.answer.reset();
    sim.at(at(0, "07:00"), event::BreakNow{"cows-head"});  // even outside working hours
    CHECK(sim.shown().back().stretch.id == "cows-head");
    CHECK(sim.handle(event::BreakNow{}).refused.english ==
          "a break is already waiting for an answer");
    sim.handle(event::Done{});
    CHECK(sim.handle(event::BreakNow{"no-such"}).refused.english ==
          "no stretch has the id \"no-such\"");
    CHECK(sim.handle(event::BreakNow{"cows-hed"}).refused.english ==
          "no stretch has the id \"cows-hed\"; did you mean \"cows-head\"?");
    sim.handle(event::BreakNow{"doorway-chest"});  // a standing one, asked for by name
    CHECK(sim.shown().back().stretch.id == "doorway-chest");
    sim.handle(event::Skip{});
    sim.handle(event::BreakNow{});
    CHECK(sim.shown().size() == 3);
}

TEST_CASE("an inhibitor keeps idle time as work, unless configured otherwise", "[scheduler]") {
    for (bool counts : {true, false}) {
        Sim sim(make_config(std::string("[schedule]\nworking_hours = \"always\"\n[activity]\n") +
                            "inhibited_counts_as_work = " + (counts ? "true" : "false") + "\n"));
        sim.at(at(0, "00:10"), event::InhibitorChanged{true});  // a video call starts
        sim.at(at(0, "00:11"), event::PresenceChanged{Presence::idle});
        sim.at(at(0, "00:51"), event::PresenceChanged{Presence::active});
        sim.handle(event::InhibitorChanged{false});
        sim.run_until(at(0, "02:00"));
        if (counts) {
            CHECK(sim.breaks() == std::vector<std::string>{"Mon 01:00"});
            CHECK(sim.lines("natural").empty());
        } else {
            CHECK(sim.lines("natural") == std::vector<std::string>{"Mon 00:16 natural"});
            CHECK(sim.breaks() == std::vector<std::string>{"Mon 01:51"});  // an hour after the call
        }
    }
}

TEST_CASE("status says where the hour stands", "[scheduler]") {
    Sim sim(make_config("[schedule]\nworking_hours = \"always\"\n"));
    sim.run_until(at(0, "00:34"));
    auto s = sim.scheduler().status(sim.now());
    CHECK(s.state == State::working);
    CHECK(s.worked == 34min);
    CHECK(s.interval == 60min);
    CHECK(s.next_break_in == 26min);
    CHECK(s.snoozes_left == 3);
    CHECK_FALSE(s.next_stretch.empty());
    sim.handle(event::PresenceChanged{Presence::idle});
    CHECK(sim.scheduler().status(sim.now()).state == State::working);  // a pause: still sitting
    sim.run_until(at(0, "00:39"));
    CHECK(sim.scheduler().status(sim.now()).state == State::away);

    Sim office(make_config());
    CHECK(office.scheduler().status(office.now()).state == State::off_hours);
}

TEST_CASE("a reload applies at once and keeps the work counted", "[scheduler]") {
    Sim sim(make_config("[schedule]\nworking_hours = \"always\"\n"));
    sim.run_until(at(0, "00:40"));
    sim.reconfigure(make_config("[schedule]\ninterval = \"30m\"\nworking_hours = \"always\"\n"));
    CHECK(sim.breaks() == std::vector<std::string>{"Mon 00:40"});
}

TEST_CASE("a reload keeps the stretch of the break on screen, even one it no longer offers",
          "[scheduler]") {
    auto always = "[schedule]\nworking_hours = \"always\"\n";
    Sim sim(make_config(always));
    sim.answer.reset();
    sim.run_until(at(0, "01:01"));
    REQUIRE(sim.shown().size() == 1);
    auto out = sim.shown().front().stretch;
    sim.reconfigure(
        make_config(std::string(always) + "[stretches]\ndisabled = [\"" + out.id + "\"]\n"));
    CHECK(sim.scheduler().status(sim.now()).next_stretch == out.name);
    sim.at(at(0, "01:03"), event::Done{});
    CHECK(sim.lines("done") == std::vector<std::string>{"Mon 01:03 done " + out.id});
    auto next = sim.scheduler().status(sim.now()).next_stretch;
    CHECK(next != out.name);
    // With no break out, a reload takes effect at once.
    sim.reconfigure(make_config(always));
    CHECK(sim.scheduler().status(sim.now()).next_stretch == next);
}

TEST_CASE("a break on request that is snoozed comes back after the snooze", "[scheduler]") {
    Sim sim(make_config("[schedule]\nworking_hours = \"always\"\n"));
    sim.answer.reset();
    sim.at(at(0, "00:10"), event::BreakNow{});
    sim.at(at(0, "00:11"), event::Snooze{5min});
    auto status = sim.scheduler().status(sim.now());
    CHECK(status.state == State::snoozed);
    CHECK(status.state_ends_in == 5min);
    CHECK(status.next_break_in == 5min);
    sim.run_until(at(0, "00:20"));
    CHECK(sim.breaks() == std::vector<std::string>{"Mon 00:10", "Mon 00:16"});
}

TEST_CASE("the minutes of grace after a pause are not a snooze", "[scheduler]") {
    Sim sim(make_config("[schedule]\nworking_hours = \"always\"\n"));
    sim.answer.reset();
    sim.at(at(0, "00:05"), event::BreakNow{});
    sim.handle(event::Snooze{});  // until 00:15
    sim.at(at(0, "00:30"), event::Pause{});
    sim.at(at(0, "00:40"), event::Resume{});
    CHECK(sim.scheduler().status(sim.now()).state == State::working);
}

TEST_CASE("a restart picks up the work counted, a snooze, and the rotation", "[scheduler][state]") {
    auto config = make_config("[schedule]\nworking_hours = \"always\"\n");
    Sim before(config);
    before.run_until(at(0, "02:40"));  // breaks at 01:00 and 02:01, done a minute later; 38 since
    before.handle(event::Snooze{30min});
    auto saved = before.scheduler().snapshot(before.now());
    CHECK(saved.worked == 38min);
    CHECK(saved.snoozed_until == at(0, "03:32"));  // 22 minutes of work to go, and 30 more

    Sim after(config, at(0, "02:41"),
              saved);  // a crash, and a restart a minute later
    auto status = after.scheduler().status(after.now());
    CHECK(status.worked == 38min);
    CHECK(status.state == State::snoozed);
    CHECK(status.next_stretch == before.scheduler().status(before.now()).next_stretch);
    after.run_until(at(0, "03:40"));
    CHECK(after.breaks() == std::vector<std::string>{"Mon 03:32"});
    // The round goes on: none of the stretches already done this round comes again before it ends.
    auto done_before = before.shown();
    for (auto& shown : after.shown())
        for (auto& earlier : done_before)
            CHECK(shown.stretch.id != earlier.stretch.id);
}

TEST_CASE("down time of natural_break or more was a break", "[scheduler][state]") {
    auto config = make_config("[schedule]\nworking_hours = \"always\"\n");
    Sim before(config);
    before.run_until(at(0, "00:50"));
    auto saved = before.scheduler().snapshot(before.now());
    Sim after(config, at(0, "00:56"), saved);
    CHECK(after.scheduler().status(after.now()).worked == 0s);
    after.run_until(at(0, "01:57"));
    CHECK(after.breaks() == std::vector<std::string>{"Mon 01:56"});
}

TEST_CASE("a pause survives a restart; one that ended meanwhile does not", "[scheduler][state]") {
    auto config = make_config("[schedule]\nworking_hours = \"always\"\n");
    Sim before(config);
    before.at(at(0, "00:10"), event::Pause{{}, at(0, "12:00")});
    auto saved = before.scheduler().snapshot(before.now());
    CHECK(saved.paused);

    Sim soon(config, at(0, "09:00"), saved);
    auto status = soon.scheduler().status(soon.now());
    CHECK(status.state == State::paused);
    CHECK(status.state_ends_in == 3h);

    Sim late(config, at(0, "13:00"), saved);
    CHECK(late.scheduler().status(late.now()).state == State::working);

    before.handle(event::Resume{});
    before.handle(event::Pause{});
    Sim forever(config, at(3, "00:00"), before.scheduler().snapshot(before.now()));
    CHECK(forever.scheduler().status(forever.now()).state == State::paused);
}

TEST_CASE("a snooze and a pause saved before the clock was set back keep only what they had left",
          "[scheduler][state]") {
    auto config = make_config("[schedule]\nworking_hours = \"always\"\n");
    Sim snoozed(config, at(1, "10:00"));
    snoozed.answer.reset();
    snoozed.run_until(at(1, "11:00"));
    snoozed.handle(event::Snooze{});
    Sim paused(config, at(1, "10:00"));
    paused.handle(event::Pause{1h});

    for (auto* before : {&snoozed, &paused}) {
        auto left = before->scheduler().status(before->now()).state_ends_in;
        REQUIRE(left);
        for (auto back : {3h, 24h}) {
            // The clock set back, and a restart.
            Sim after(config, before->now().local - back,
                      before->scheduler().snapshot(before->now()));
            auto status = after.scheduler().status(after.now());
            CHECK(status.state == before->scheduler().status(before->now()).state);
            CHECK(status.state_ends_in == left);
        }
    }
}

TEST_CASE("saved values out of range are left out, and that part starts afresh",
          "[scheduler][state]") {
    auto config = make_config("[schedule]\nworking_hours = \"always\"\n");
    Now now{MonoTime{}, at(0, "09:00")};
    Scheduler scheduler(config, now, 42);
    Snapshot planted;
    planted.saved_at = at(0, "08:59");
    planted.worked = -5s;  // would put the next break 10^11 hours away
    planted.snoozes = -7;
    planted.snoozed_until = at(400, "09:00");
    planted.paused = true;
    planted.paused_until = LocalTime{seconds{std::numeric_limits<std::int64_t>::max()}};
    auto left_out = scheduler.restore(now, planted);
    CHECK(left_out ==
          std::vector<std::string>{
              "worked -5", "snoozes -7",
              "snoozed_until " + std::to_string(at(400, "09:00").time_since_epoch().count()),
              "paused_until 9223372036854775807"});
    auto status = scheduler.status(now);
    CHECK(status.state == State::working);
    CHECK(status.next_break_in == 1h);
    CHECK(status.snoozes_left == 3);

    planted = Snapshot{};
    planted.saved_at = LocalTime{seconds{std::numeric_limits<std::int64_t>::min()}};
    planted.worked = 20min;
    CHECK(scheduler.restore(now, planted) ==
          std::vector<std::string>{"saved_at -9223372036854775808"});
    CHECK(scheduler.status(now).worked == 0s);

    planted.saved_at = at(0, "08:58");  // within range, all is taken
    CHECK(scheduler.restore(now, planted).empty());
    CHECK(scheduler.status(now).worked == 20min);
}

TEST_CASE("a break that was out when the daemon stopped is owed after a quick restart",
          "[scheduler][state]") {
    auto config = make_config("[schedule]\nworking_hours = \"always\"\n");
    Sim before(config);
    before.answer.reset();
    before.run_until(at(0, "01:01"));
    auto saved = before.scheduler().snapshot(before.now());
    CHECK(saved.owed);
    Sim after(config, at(0, "01:02"), saved);
    after.run_until(at(0, "01:10"));
    CHECK(after.breaks() == std::vector<std::string>{"Mon 01:02"});  // at once
    CHECK(after.shown().front().stretch.id == before.shown().front().stretch.id);
}

TEST_CASE("an answer names its break: a late one for an ended break answers nothing",
          "[scheduler]") {
    Sim sim(make_config("[schedule]\nworking_hours = \"always\"\n"));
    sim.answer.reset();
    sim.run_until(at(0, "01:01"));
    REQUIRE(sim.shown().size() == 1);
    auto first = sim.shown()[0].number;
    CHECK(sim.handle(event::Done{first}).refused.english.empty());
    sim.run_until(at(0, "02:02"));
    REQUIRE(sim.shown().size() == 2);
    auto second = sim.shown()[1].number;
    CHECK(second != first);
    CHECK(sim.handle(event::Skip{first}).refused.english ==
          "that break has ended");  // a late click
    CHECK(sim.handle(event::Snooze{std::nullopt, first}).refused.english == "that break has ended");
    CHECK(sim.scheduler().status(sim.now()).state == State::due);
    CHECK(sim.shown()[1].resend == 0);
    CHECK(sim.handle(event::Done{second}).refused.english.empty());
    CHECK(sim.lines("done").size() == 2);
}

TEST_CASE("every working day of six breaks serves all six seated muscle groups", "[scheduler]") {
    Sim sim(make_config("[schedule]\nworking_hours = \"09:00-15:10\"\n"));
    MuscleSet all = 0;
    for (auto& s : sim.scheduler().config().offered)
        all |= s.muscles;
    for (int day = 0; day < 140; ++day) {
        auto before = sim.shown().size();
        sim.run_until(at(day, "18:00"));
        MuscleSet served = 0;
        for (auto i = before; i < sim.shown().size(); ++i)
            served |= sim.shown()[i].stretch.muscles;
        INFO(label(at(day, "09:00")) << ", " << sim.shown().size() - before << " breaks");
        REQUIRE(sim.shown().size() - before == (day % 7 < 5 ? 6u : 0u));
        CHECK(served == (day % 7 < 5 ? all : 0));
    }
}
