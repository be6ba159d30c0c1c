#include <catch2/catch.hpp>

#include "core/protocol.hpp"

using namespace postured;
using namespace postured::protocol;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

Request parsed(const json& request) {
    auto result = parse_request(request.dump());
    if (auto* error = std::get_if<Error>(&result)) FAIL(error->code << ": " << error->message);
    return std::get<Request>(result);
}

Error refused(const json& request) {
    auto result = parse_request(request.dump());
    REQUIRE(std::holds_alternative<Error>(result));
    return std::get<Error>(result);
}

}  // namespace

TEST_CASE("every verb goes over the wire by its name and comes back", "[protocol]") {
    for (std::size_t i = 0; i < std::size(verbs); ++i) {
        auto verb = static_cast<Verb>(i);
        auto request = request_json({.verb = verb});
        CHECK(request["cmd"] == verbs[i].name);
        CHECK(parsed(request).verb == verb);
        CHECK(verb_named(verbs[i].name) == verb);
    }
    CHECK_FALSE(verb_named("stretch"));
    CHECK(refused({{"v", 1}, {"cmd", "stretch"}}).code == "unknown_command");
}

TEST_CASE("a request carries the fields its verb takes, and only those", "[protocol]") {
    Request pause{.verb = Verb::pause, .until = 13h + 30min};
    CHECK(parsed(request_json(pause)).until == 13h + 30min);
    Request snooze{.verb = Verb::snooze, .duration = 15min};
    CHECK(parsed(request_json(snooze)).duration == 15min);
    Request take{.verb = Verb::take_break, .stretch = "cows-head"};
    CHECK(parsed(request_json(take)).stretch == "cows-head");
    CHECK(parsed(request_json({.verb = Verb::stats, .days = 30})).days == 30);
    CHECK(parsed(request_json({.verb = Verb::status, .follow = true})).follow);

    for (std::size_t i = 0; i < std::size(verbs); ++i)
        for (std::size_t f = 0; f < field_names.names.size(); ++f) {
            auto field = static_cast<Field>(f);
            if (verbs[i].fields & bit(field)) continue;
            auto error = refused({{"v", 1}, {"cmd", verbs[i].name}, {field_names(field), "x"}});
            CHECK(error.message == "\"" + std::string(verbs[i].name) + "\" takes no \"" +
                                       std::string(field_names(field)) + "\"");
        }
    CHECK(refused({{"v", 1}, {"cmd", "pause"}, {"duration", "1h"}, {"until", "13:00"}}).message ==
          "pause takes a duration or an end time, not both");
    CHECK(refused({{"v", 1}, {"cmd", "stats"}, {"days", 0}}).code == "bad_request");
}

TEST_CASE("a stretch listing reads back as it was sent", "[protocol]") {
    StretchListing sent{.id = "seated-twist",
                        .name = "Seated twist",
                        .position = Position::standing,
                        .muscles = {"thoracic-spine"},
                        .steps = {"Sit tall.", "Turn gently."},
                        .hold = 15s,
                        .reps = 2,
                        .dose = "Hold 15s · 2 times · each side",
                        .each_side = true,
                        .duration = 60s,
                        .source = "an article",
                        .offered = true,
                        .favorite = true,
                        .picture = "/usr/share/postured/stretches/seated-twist.png"};
    auto back = json(sent).get<StretchListing>();
    CHECK(json(back) == json(sent));
    CHECK(back.picture == sent.picture);
    CHECK(back.position == Position::standing);
    CHECK(back.hold == 15s);
}

TEST_CASE("stats read back as they were sent, and a broken reply is an error", "[protocol]") {
    using std::chrono::local_days;
    Stats sent;
    DayStats monday{local_days{std::chrono::year{2026} / 11 / 23}};
    monday.done = 4;
    monday.skipped = 1;
    sent.days = {monday, DayStats{monday.day + std::chrono::days{1}}};
    sent.adherence = 80;
    sent.streak = 3;
    sent.most_done = {{"cows-head", "Cow's head", 2}};
    json wire = sent;
    CHECK(wire["days"][0]["date"] == "2026-11-23");
    CHECK(wire["days"][0]["met_goal"] == true);
    CHECK(wire["days"][1]["adherence"].is_null());
    auto back = wire.get<Stats>();
    CHECK(json(back) == wire);
    CHECK(back.days[0].day == monday.day);
    CHECK(back.most_done[0].name == "Cow's head");

    wire["days"][0]["date"] = "2026-02-30";
    CHECK_THROWS_AS(wire.get<Stats>(), json::exception);
    wire.erase("streak");
    CHECK_THROWS_AS(wire.get<Stats>(), json::exception);
}

TEST_CASE("an error reply carries its code and message", "[protocol]") {
    auto reply = error_reply({"refused", "no break is waiting"});
    CHECK(reply["ok"] == false);
    auto error = reply["error"].get<Error>();
    CHECK(error.code == "refused");
    CHECK(error.message == "no break is waiting");
}
