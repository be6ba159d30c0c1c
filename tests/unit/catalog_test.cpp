#include <catch2/catch.hpp>
#include <set>

#include "core/break_text.hpp"
#include "core/config_parser.hpp"

using namespace postured;
using namespace std::chrono_literals;

namespace {

Config shipped() {
    ConfigParser parser;
    parser.add_catalog(builtin_catalog, "stretches.toml");
    auto config = parser.finish();
    for (auto& d : parser.diagnostics())
        FAIL(d.to_string());
    REQUIRE(config);
    return *config;
}

}  // namespace

TEST_CASE("the shipped catalog is complete and well formed", "[catalog]") {
    auto config = shipped();
    auto& catalog = config.catalog;
    CHECK(catalog.size() >= 12);
    auto seated = std::count_if(catalog.begin(), catalog.end(),
                                [](auto& s) { return s.position == Position::seated; });
    CHECK(seated >= 9);

    std::set<std::string> ids;
    MuscleSet seated_muscles = 0;
    for (auto& s : catalog) {
        INFO(s.id);
        CHECK(ids.insert(s.id).second);
        CHECK_FALSE(s.name.empty());
        CHECK(s.muscles != 0);
        CHECK(s.steps.size() >= 2);
        CHECK(s.steps.size() <= 4);
        CHECK(s.hold > 0s);
        CHECK(s.reps >= 1);
        CHECK(s.duration >= s.hold);
        CHECK(s.duration <= 5min);
        CHECK_FALSE(s.source.empty());
        CHECK(s.source.find("seeds/") == std::string::npos);  // the article's title, for people
        if (s.position == Position::seated) seated_muscles |= s.muscles;
    }
    // Over a day the seated breaks can work every group the articles name.
    CHECK(muscle_list(seated_muscles) == std::vector<std::string>{"rhomboids", "trapezius", "lats",
                                                                  "levator-scapulae",
                                                                  "thoracic-spine", "chest"});
}

TEST_CASE("only seated stretches are offered by default", "[catalog]") {
    auto config = shipped();
    CHECK(config.offered.size() == 9);
    for (auto& s : config.offered)
        CHECK(s.position == Position::seated);
}

TEST_CASE("a break reads as a dose and numbered steps", "[catalog]") {
    auto config = shipped();
    auto* cross_arm = config.find_stretch("cross-arm");
    REQUIRE(cross_arm);
    CHECK(dose_line(*cross_arm) == "Hold 20s · 2 times · each side");
    CHECK(break_body(*cross_arm) ==
          "Hold 20s · 2 times · each side\n"
          "Stretch only as far as is comfortable.\n"
          "1. Bring your right arm straight across your chest.\n"
          "2. Gently pull it closer with your left forearm behind the elbow.\n"
          "3. Hold, then change arms.\n"
          "Hourly reset: shoulder blades together 3–5s, 10 times.");
    auto* opener = config.find_stretch("chest-opener");
    REQUIRE(opener);
    CHECK(dose_line(*opener) == "Hold 20s · 3 times");
}

TEST_CASE("a dose the articles give in words is shown in them", "[catalog]") {
    auto config = shipped();
    auto dose = [&](const char* id) { return dose_line(*config.find_stretch(id)); };
    CHECK(dose("seated-twist") == "Five slow breaths · each side");
    CHECK(dose("seated-rounding") == "Hold as long as you like");
    CHECK(dose("cat-cow-child") == "3 sets of 10, slow and controlled");
    CHECK(dose("w-to-y") == "Pause 2–3s · up to 10 times, as soreness allows");
    CHECK(dose("thoracic-extension") == "Hold 3–5s · 10 times");
}

TEST_CASE("every shipped break carries the posture reset, once", "[catalog]") {
    auto config = shipped();
    REQUIRE(config.catalog.size() == 18);
    for (auto& s : config.catalog) {
        auto body = break_body(s);
        INFO(s.id);
        CHECK((body.find("Hourly reset:") != std::string::npos) == (s.id != "thoracic-extension"));
        CHECK(body.find("Stretch only as far as is comfortable.") == body.find('\n') + 1);
    }
}
