#include <catch2/catch.hpp>

#include "libnotify_notifier.hpp"
#include "sim.hpp"

using namespace postured;
using namespace postured::test;

namespace {

ShowBreak break_of(const std::string& id, std::optional<seconds> snooze = 10min) {
    auto config = make_config("[stretches]\npositions = [\"seated\", \"standing\"]\n");
    return ShowBreak{*config.find_stretch(id), 0, snooze};
}

}  // namespace

TEST_CASE("the notification body: the dose, the caution leading the steps, and the reset",
          "[notify]") {
    auto body = notification_body(break_of("cross-arm"), false, true);
    CHECK(body ==
          "Hold 20s · 2 times · each side\n"
          "Stretch only as far as is comfortable. Bring your right arm straight across your "
          "chest. Gently pull it closer with your left forearm behind the elbow. Hold, then "
          "change arms.\n"
          "Hourly reset: shoulder blades together 3–5s, 10 times.");
}

TEST_CASE("a break whose stretch is the posture reset does not repeat it", "[notify]") {
    auto body = notification_body(break_of("thoracic-extension"), false, true);
    CHECK(body ==
          "Hold 3–5s · 10 times\n"
          "Stretch only as far as is comfortable. Sit up tall in your chair, away from the "
          "backrest. Squeeze your shoulder blades together. Hold three to five seconds, then let "
          "go.");
}

TEST_CASE("markup only where the server reads it, and escaped", "[notify]") {
    auto request = break_of("cows-head");
    auto markup = notification_body(request, true, true);
    CHECK(markup.rfind("<b>Hold 20s · each side</b>\n", 0) == 0);
    request.stretch.steps[0] = "Keep <elbows> & wrists soft.";
    CHECK(notification_body(request, true, true).find(" Keep &lt;elbows&gt; &amp; wrists soft. ") !=
          std::string::npos);
    CHECK(notification_body(request, false, true).find(" Keep <elbows> & wrists soft. ") !=
          std::string::npos);
}

TEST_CASE("without actions the body says how to answer from a terminal", "[notify]") {
    auto body = notification_body(break_of("w-to-y"), false, false);
    CHECK(body.substr(body.rfind('\n') + 1) ==
          "Answer in a terminal: posturectl done | snooze | skip");
    auto no_snooze = notification_body(break_of("w-to-y", std::nullopt), false, false);
    CHECK(no_snooze.substr(no_snooze.rfind('\n') + 1) ==
          "Answer in a terminal: posturectl done | skip");
}

TEST_CASE("the snooze button says how long", "[notify]") {
    CHECK(snooze_label(10min) == "Snooze 10 min");
    CHECK(snooze_label(1min) == "Snooze 1 min");
    CHECK(snooze_label(45s) == "Snooze 45s");
    CHECK(snooze_label(90min) == "Snooze 1h30m");
}

TEST_CASE("a break offers a snooze only while one is left", "[scheduler][notify]") {
    Sim sim(make_config(
        "[schedule]\nworking_hours = \"always\"\n[snooze]\nlimit = 1\nduration = \"5m\"\n"));
    sim.answer = event::Snooze{};
    sim.run_until(at(0, "01:10"));
    auto shown = sim.shown();
    REQUIRE(shown.size() == 2);
    CHECK(shown[0].snooze == 5min);
    CHECK(shown[1].snooze == std::nullopt);
}
