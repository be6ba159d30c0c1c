#include <algorithm>

#include "sim.hpp"

using namespace postured;
using namespace postured::test;

namespace {

const std::string always = "[schedule]\nworking_hours = \"always\"\n";

// When each write came, as "Mon 00:05" labels, counted from the start on Monday 00:00.
std::vector<std::string> save_times(const Sim& sim) {
    std::vector<std::string> out;
    for (auto& [at, save] : sim.saves())
        out.push_back(label(monday + floor<seconds>(at - MonoTime{})));
    return out;
}

std::vector<std::string> journal_lines(const Sim& sim, LogLine::Level level) {
    std::vector<std::string> out;
    for (auto& line : sim.journal())
        if (line.level == level) out.push_back(line.text);
    return out;
}

}  // namespace

TEST_CASE("the state is written at the start, at every act, and every five minutes of work",
          "[daemon][state]") {
    Sim sim(make_config(always), monday, std::nullopt, true);
    sim.run_until(at(0, "00:22"));
    CHECK(save_times(sim) == std::vector<std::string>{"Mon 00:00", "Mon 00:05", "Mon 00:10",
                                                      "Mon 00:15", "Mon 00:20"});

    sim.handle(event::BreakNow{});
    sim.run_until(at(0, "00:24"));  // done a minute after it came
    auto saves = sim.saves();
    REQUIRE(saves.size() == 7);
    CHECK(save_times(sim)[5] == "Mon 00:22");
    CHECK(saves[5].second.ended.empty());
    REQUIRE(saves[6].second.ended.size() == 1);
    CHECK(saves[6].second.ended[0].outcome == Outcome::done);
    CHECK(saves[6].second.state.worked == 0s);
    // The checkpoints count from the last write.
    sim.run_until(at(0, "00:29"));
    CHECK(save_times(sim).back() == "Mon 00:28");
}

TEST_CASE("a state that only grew older is not written, and nothing at all while nobody works",
          "[daemon][state]") {
    Sim sim(make_config(always), monday, std::nullopt, true);
    sim.at(at(0, "00:01"), event::Pause{});
    auto after_pause = sim.saves().size();
    CHECK(save_times(sim).back() == "Mon 00:01");
    sim.run_until(at(0, "05:00"));
    CHECK(sim.saves().size() == after_pause);
    // A change of presence alone waits for the next checkpoint.
    sim.handle(event::Resume{});
    auto after_resume = sim.saves().size();
    sim.report("x11", fact::Idle{sim.now().mono});
    sim.report("x11", fact::Active{sim.now().mono});
    CHECK(sim.saves().size() == after_resume);
}

TEST_CASE("a stop writes the state even when nothing changed but the time", "[daemon][state]") {
    Sim sim(make_config(always), monday, std::nullopt, true);
    sim.at(at(0, "00:01"), event::Pause{});
    auto before = sim.saves().size();
    sim.run_until(at(0, "00:03"));
    sim.stop();
    REQUIRE(sim.saves().size() == before + 1);
    CHECK(sim.saves().back().second.state.saved_at == at(0, "00:03"));
}

TEST_CASE("without a database nothing is written and no checkpoint wakes the daemon",
          "[daemon][state]") {
    Sim sim(make_config(always));
    sim.run_until(at(0, "00:30"));
    sim.handle(event::BreakNow{});
    sim.run_until(at(0, "00:40"));
    sim.stop();
    CHECK(sim.saves().empty());
    CHECK(sim.daemon().next_deadline() == sim.daemon().scheduler().next_wakeup());
}

TEST_CASE("a failed write keeps the breaks in memory, is retried every minute, and told once",
          "[daemon][state]") {
    Sim sim(make_config(always), monday, std::nullopt, true);
    sim.run_until(at(0, "00:12"));
    sim.save_error = "database or disk is full";
    sim.handle(event::BreakNow{});
    sim.run_until(at(0, "00:15"));  // done at 00:13; retried at 00:14 and 00:15
    CHECK(save_times(sim) == std::vector<std::string>{"Mon 00:00", "Mon 00:05", "Mon 00:10",
                                                      "Mon 00:12", "Mon 00:13", "Mon 00:14",
                                                      "Mon 00:15"});
    CHECK(journal_lines(sim, LogLine::Level::error) ==
          std::vector<std::string>{"cannot save the state (database or disk is full); keeping it "
                                   "in memory until it can be"});
    REQUIRE(sim.saves().back().second.ended.size() == 1);

    sim.save_error = "attempt to write a readonly database";  // a new error is told too
    sim.run_until(at(0, "00:16"));
    CHECK(journal_lines(sim, LogLine::Level::error).size() == 2);

    sim.save_error.clear();
    sim.run_until(at(0, "00:17"));
    REQUIRE(sim.saves().back().second.ended.size() == 1);
    CHECK(sim.saves().back().second.ended[0].outcome == Outcome::done);
    CHECK(journal_lines(sim, LogLine::Level::info).back() ==
          "the state is saved again (1 break kept in memory meanwhile)");
    // Written once, the break is not written again, and the retries stop.
    sim.run_until(at(0, "00:21"));
    CHECK(save_times(sim).back() == "Mon 00:17");
    sim.run_until(at(0, "00:22"));
    CHECK(save_times(sim).back() == "Mon 00:22");  // the checkpoint, five minutes on
    CHECK(sim.saves().back().second.ended.empty());
}

TEST_CASE("a sleep nobody told of is seen on the clocks and counts as time away",
          "[daemon][presence]") {
    Sim sim(make_config(always));
    sim.run_until(at(0, "00:40"));
    sim.sleep(2h);
    sim.handle(event::Tick{});
    auto told = journal_lines(sim, LogLine::Level::info);
    CHECK(std::count(told.begin(), told.end(), "the machine slept for 2h") == 1);
    CHECK(sim.lines("natural") == std::vector<std::string>{"Mon 02:40 natural"});
    CHECK(sim.status().worked == 0s);
    sim.run_until(at(0, "03:41"));
    CHECK(sim.breaks() == std::vector<std::string>{"Mon 03:40"});

    // Less than a second is the clocks' own drift, not a sleep.
    auto lines = sim.journal().size();
    sim.sleep(900ms);
    sim.handle(event::Tick{});
    CHECK(sim.journal().size() == lines);
}

TEST_CASE("a status asked for right after a sleep nobody told of counts the sleep as away",
          "[daemon][presence]") {
    Sim sim(make_config(always));
    sim.run_until(at(0, "00:40"));
    auto told = sim.journal().size();
    sim.sleep(2h);
    CHECK(sim.status().worked == 0s);
    CHECK(sim.status().state == State::working);
    CHECK(sim.journal().size() == told);  // nothing was taken yet
    sim.handle(event::Tick{});
    CHECK(sim.status().worked == 0s);
}

TEST_CASE("logind's news of a sleep is written once, before the machine sleeps",
          "[daemon][state]") {
    Sim sim(make_config(always), monday, std::nullopt, true);
    sim.run_until(at(0, "00:07"));
    auto before = sim.saves().size();
    sim.report("logind", fact::Asleep{sim.now().mono}, true);
    REQUIRE(sim.saves().size() == before + 1);
    CHECK(sim.saves().back().second.state.saved_at == at(0, "00:07"));
    // Nothing changed but the time: still written, since a wake-up needs to know when it stopped.
    sim.report("logind", fact::Asleep{sim.now().mono}, true);
    CHECK(sim.saves().size() == before + 2);
}

TEST_CASE("a sleep logind told of is not counted twice", "[daemon][presence]") {
    Sim sim(make_config(always));
    sim.run_until(at(0, "00:40"));
    sim.report("logind", fact::Asleep{sim.now().mono});
    sim.sleep(10min);
    sim.report("logind", fact::Awake{sim.now().mono});
    CHECK(sim.lines("natural") == std::vector<std::string>{"Mon 00:50 natural"});
    CHECK(sim.status().worked == 0s);
}

TEST_CASE("a status query answers for its moment and changes nothing", "[daemon]") {
    Sim sim(make_config(always), monday, std::nullopt, true);
    sim.run_until(at(0, "00:59"));
    auto saves = sim.saves().size();
    auto deadline = sim.daemon().next_deadline();
    auto later = sim.now();
    later.mono += 2min;
    later.local += 2min;
    // Past the hour: held for a pause in input, as the next tick leaves it, though not shown.
    auto status = sim.daemon().status(later);
    CHECK(status.state == State::held);
    CHECK(sim.daemon().next_deadline() == deadline);
    CHECK(sim.saves().size() == saves);
    CHECK(sim.shown().empty());
    // A pause that ended is over as soon as it ends, before the timer says so.
    sim.handle(event::Pause{10min});
    later = sim.now();
    later.mono += 10min;
    later.local += 10min;
    CHECK(sim.daemon().status(later).state == State::working);
    CHECK(sim.status().state == State::paused);
}

TEST_CASE("the status is published when it changes or the user acts, not as time passes",
          "[daemon]") {
    Sim sim(make_config(always));
    REQUIRE(sim.published().size() == 1);  // at the start
    sim.run_until(at(0, "00:30"));
    CHECK(sim.published().size() == 1);
    sim.report("x11", fact::Idle{sim.now().mono});
    REQUIRE(sim.published().size() == 2);
    CHECK(sim.published().back().presence == Presence::idle);
    sim.handle(event::Snooze{});  // refused: no break is due, but the user acted
    CHECK(sim.published().size() == 3);
}

TEST_CASE("the start tells which saved values it had to leave out", "[daemon][state]") {
    Snapshot planted;
    planted.saved_at = at(0, "08:59");
    planted.worked = -5s;
    Sim sim(make_config(always), at(0, "09:00"), planted, true);
    CHECK(journal_lines(sim, LogLine::Level::warn) ==
          std::vector<std::string>{
              "the saved state has values out of range, started afresh: worked -5"});
    CHECK(sim.status().worked == 0s);
}
