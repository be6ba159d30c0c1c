#include <catch2/catch.hpp>

#include "core/duration.hpp"
#include "core/language.hpp"

using namespace postured;
using namespace std::chrono_literals;

TEST_CASE("durations are read as people write them", "[duration]") {
    CHECK(parse_duration("45s") == 45s);
    CHECK(parse_duration("10m") == 10min);
    CHECK(parse_duration("1h30m") == 90min);
    CHECK(parse_duration("1h 30m") == 90min);
    CHECK(parse_duration("2h5m10s") == 2h + 5min + 10s);
    CHECK(parse_duration("0s") == 0s);
    CHECK(parse_duration("90m") == 90min);
}

TEST_CASE("anything else is not a duration", "[duration]") {
    for (auto text : {"", " ", "10", "m", "10 m", "-5m", "1.5h", "30m1h", "10mm", "5 minutes", "1d",
                      " 10m", "99999999999999999999s", "9000h"}) {
        INFO(text);
        CHECK_FALSE(parse_duration(text));
    }
}

TEST_CASE("durations are written back in the same form", "[duration]") {
    CHECK(format_duration(0s) == "0s");
    CHECK(format_duration(45s) == "45s");
    CHECK(format_duration(26min) == "26m");
    CHECK(format_duration(90min) == "1h30m");
    CHECK(format_duration(2h + 5s) == "2h5s");
    CHECK(format_duration(-3s) == "0s");
    for (auto d : {1s, 59s, 61s, 3599s, 3600s, 3661s, 86399s})
        CHECK(parse_duration(format_duration(d)) == d);
}

TEST_CASE("in English, people read a duration as the journal writes it", "[duration]") {
    InEnglish in_english;
    for (std::chrono::seconds d{0}; d <= 7200s; d += 7s) {
        INFO(d.count());
        CHECK(duration_text(d) == format_duration(d));
    }
    for (auto d : {3600s, 3660s, 3601s, 3661s, 60s, 61s})
        CHECK(duration_text(d) == format_duration(d));
}

TEST_CASE("a text said in two languages keeps its English for the journal", "[duration]") {
    auto said = say([] { return formatted(_("Snooze %s"), duration_text(90s).c_str()); });
    CHECK(said.english == "Snooze 1m30s");

    Said two{"Snooze 1m30s", "Schlummern 1m30s"};
    CHECK(two.shown() == "Schlummern 1m30s");
    {
        InEnglish in_english;
        CHECK(two.shown() == "Snooze 1m30s");
    }
    auto again = say([&] { return two.shown(); });
    CHECK(again.english == "Snooze 1m30s");
    CHECK(again.translated == "Schlummern 1m30s");
}
