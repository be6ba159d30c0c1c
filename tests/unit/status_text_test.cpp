#include <catch2/catch.hpp>

#include "core/protocol.hpp"
#include "sim.hpp"

using namespace postured;
using namespace postured::test;

namespace {

// The status line as posturectl prints it, after the trip through the wire format.
std::string text_of(Sim& sim) {
    auto status = protocol::status_from_json(nlohmann::json(sim.scheduler().status(sim.now())));
    REQUIRE(status);
    return protocol::status_text(*status);
}

}  // namespace

TEST_CASE("a timed pause says until when, and which day", "[status]") {
    Sim sim(make_config("[schedule]\nworking_hours = \"always\"\n"));
    sim.at(at(0, "10:00"), event::Pause{2h});
    CHECK(text_of(sim) == "Paused for 2h, until 12:00");
    sim.handle(event::Resume{});
    sim.at(at(0, "20:00"), event::Pause{std::nullopt, at(0, "14:00")});  // said in the evening
    CHECK(text_of(sim) == "Paused for 18h, until 14:00 tomorrow");
    sim.handle(event::Pause{});
    CHECK(text_of(sim) == "Paused until resumed");
}

TEST_CASE("outside working hours says until when", "[status]") {
    Sim sim(make_config("[schedule]\nworking_hours = \"09:00-17:00\"\n"));
    sim.run_until(at(0, "07:30"));
    CHECK(text_of(sim) == "Outside working hours, until 09:00");
    sim.run_until(at(4, "18:00"));  // Friday evening
    CHECK(text_of(sim) == "Outside working hours, until 09:00 on Monday");
}

TEST_CASE("a status from a daemon of another version is read without its new fields", "[status]") {
    auto status = protocol::status_from_json(
        nlohmann::json{{"state", "off-hours"}, {"state_ends_at", "not a time"}});
    REQUIRE(status);
    CHECK_FALSE(status->state_ends_at);
    CHECK(protocol::status_text(*status) == "Outside working hours");
}

TEST_CASE("durations no daemon reports are read as missing", "[status]") {
    // Found by the status fuzzer: the waybar percentage overflowed on this.
    auto status =
        protocol::status_from_json(nlohmann::json{{"state", "working"},
                                                  {"interval", 1800},
                                                  {"worked", 7'000'000'000'000LL},
                                                  {"next_break_in", -368888888888888800LL}});
    REQUIRE(status);
    CHECK(status->worked == 0s);
    CHECK_FALSE(status->next_break_in);
    CHECK(protocol::waybar_json(*status, 200s)["percentage"] == 11);
}

TEST_CASE("a break held by a call says whose, and presence says in a call", "[status]") {
    Sim sim(
        make_config("[schedule]\nworking_hours = \"always\"\n[activity]\nsmart_timing = "
                    "\"0s\"\ndnd_max_delay = \"20m\"\n"));
    sim.at(at(0, "00:55"), event::CallChanged{true});
    sim.at(at(0, "00:55"), event::QuietChanged{Said{"a call (Firefox: microphone, camera)"}});
    sim.run_until(at(0, "01:00"));
    CHECK_THAT(text_of(sim), Catch::Matches("Break held: .+ · a call \\(Firefox: microphone, "
                                            "camera\\), 20m at most"));
    auto status = protocol::status_from_json(nlohmann::json(sim.scheduler().status(sim.now())));
    REQUIRE(status);
    CHECK(status->in_call);
    CHECK(protocol::presence_text(*status) ==
          "Presence: not watched (no idle source); all time in working hours counts as work · in a "
          "call");
}
