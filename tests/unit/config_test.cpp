#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "core/config_parser.hpp"
#include "core/spelling.hpp"

using namespace postured;
using namespace std::chrono_literals;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    REQUIRE(in);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

struct Parsed {
    std::optional<Config> config;
    std::vector<std::string> messages;
};

Parsed parse(const std::vector<std::pair<std::string, std::string>>& files) {
    ConfigParser parser;
    parser.add_catalog(builtin_catalog, "catalog");
    for (auto& [name, text] : files)
        parser.add_config(text, name);
    Parsed out{parser.finish(), {}};
    for (auto& d : parser.diagnostics())
        out.messages.push_back(d.to_string());
    return out;
}

Parsed parse_fixture(const std::string& name) {
    return parse({{name, read_file(FIXTURES_DIR "/config/" + name)}});
}

}  // namespace

TEST_CASE("the shipped config parses cleanly to the built-in defaults", "[config]") {
    auto parsed = parse({{"postured.toml", read_file(SOURCE_DIR "/config/postured.toml")}});
    REQUIRE(parsed.messages.empty());
    REQUIRE(parsed.config);
    auto& c = *parsed.config;
    Config defaults;
    CHECK(c.schedule.interval == defaults.schedule.interval);
    CHECK(c.schedule.interval == 60min);
    CHECK(c.schedule.natural_break == 5min);
    CHECK(c.schedule.return_grace == defaults.schedule.return_grace);
    CHECK_FALSE(c.schedule.hours.always);
    CHECK(c.schedule.hours.start == 9h);
    CHECK(c.schedule.hours.end == 18h);
    CHECK(c.schedule.hours.days == defaults.schedule.hours.days);
    CHECK(c.snooze.duration == 10min);
    CHECK(c.snooze.limit == 3);
    CHECK(c.notify.renotify_after == 5min);
    CHECK(c.notify.renotify_limit == 2);
    CHECK(c.notify.urgency == Urgency::normal);
    CHECK_FALSE(c.notify.sound);
    CHECK(c.activity.source == ActivitySource::automatic);
    CHECK(c.activity.idle_after == 1min);
    CHECK(c.activity.inhibited_counts_as_work);
    CHECK(c.activity.smart_timing == 2min);
    CHECK(c.activity.dnd_max_delay == 30min);
    CHECK(c.calls == defaults.calls);
    CHECK(c.calls.enabled);
    CHECK(c.stretches.positions == std::vector<Position>{Position::seated});
    CHECK(c.offered.size() == 9);
}

TEST_CASE("a later file overrides an earlier one key by key", "[config]") {
    auto parsed = parse({
        {"/etc/xdg/postured/config.toml",
         "[schedule]\ninterval = \"45m\"\nworking_days = [\"mon\", \"wed\"]\n[snooze]\nlimit = "
         "1\n"},
        {"~/.config/postured/config.toml",
         "[schedule]\ninterval = \"50m\"\nworking_hours = \"always\"\n"
         "[stretches]\npositions = [\"seated\", \"standing\"]\nfavorites = [\"w-to-y\"]\n"},
    });
    REQUIRE(parsed.messages.empty());
    REQUIRE(parsed.config);
    auto& c = *parsed.config;
    CHECK(c.schedule.interval == 50min);
    CHECK(c.schedule.hours.always);
    CHECK(c.schedule.hours.days ==
          std::array<bool, 7>{false, true, false, true, false, false, false});
    CHECK(c.snooze.limit == 1);
    CHECK(c.snooze.duration == 10min);
    CHECK(c.offered.size() == 14);
    CHECK(c.is_favorite("w-to-y"));
}

TEST_CASE("a user's own stretch joins the catalog and can be filtered like the others",
          "[config]") {
    auto parsed = parse({{"mine.toml", R"(
[stretches]
disabled = ["cross-arm"]

[[stretch]]
id = "neck-roll"
name = "Slow neck roll"
position = "seated"
muscles = ["trapezius", "levator-scapulae"]
steps = ["Drop your chin to your chest.", "Roll your head slowly from shoulder to shoulder."]
hold = "5s"
reps = 5
sides = "none"
duration = "1m"
)"}});
    REQUIRE(parsed.messages.empty());
    REQUIRE(parsed.config);
    auto* mine = parsed.config->find_stretch("neck-roll");
    REQUIRE(mine);
    CHECK(mine->muscles == (static_cast<MuscleSet>(Muscle::trapezius) |
                            static_cast<MuscleSet>(Muscle::levator_scapulae)));
    CHECK(mine->steps.size() == 2);
    auto& offered = parsed.config->offered;
    CHECK(offered.size() == 9);  // 9 seated, one disabled, one added
    CHECK(
        std::none_of(offered.begin(), offered.end(), [](auto& s) { return s.id == "cross-arm"; }));
}

TEST_CASE("broken config files get exact, located messages", "[config]") {
    struct Case {
        std::string file;
        bool usable;
        std::vector<std::string> messages;
    };
    // clang-format off
    const std::vector<Case> cases{
        {"syntax_error.toml", false, {
            "syntax_error.toml:2:16: Error while parsing string: unescaped control characters other than TAB (U+0009) are explicitly prohibited"}},
        {"wrong_type.toml", false, {
            "wrong_type.toml:2:12: schedule.interval: expected a duration such as \"45s\", \"10m\" or \"1h30m\", got the integer 60"}},
        {"zero_duration.toml", false, {
            "zero_duration.toml:2:12: snooze.duration: must be longer than zero"}},
        {"negative_duration.toml", false, {
            "negative_duration.toml:2:17: schedule.natural_break: \"-5m\" is not a duration; write e.g. \"45s\", \"10m\" or \"1h30m\""}},
        {"bad_duration_text.toml", false, {
            "bad_duration_text.toml:2:18: notify.renotify_after: \"5 minutes\" is not a duration; write e.g. \"45s\", \"10m\" or \"1h30m\""}},
        {"idle_after_longer_than_natural_break.toml", false, {
            "idle_after_longer_than_natural_break.toml:5:14: activity.idle_after: 3m is longer than schedule.natural_break (2m); a pause must count as away before it can be a break"}},
        {"interval_shorter_than_stretch.toml", true, {
            "interval_shorter_than_stretch.toml:2:12: warning: schedule.interval: 45s is shorter than the stretch \"cross-arm\" (2m); breaks would take more time than work"}},
        {"unknown_key.toml", true, {
            "unknown_key.toml:4:2: warning: colour: unknown key; known keys: schedule, snooze, notify, activity, calls, stretches, stretch",
            "unknown_key.toml:2:1: warning: schedule.intervall: unknown key; did you mean \"interval\"?"}},
        {"bad_working_hours.toml", false, {
            "bad_working_hours.toml:2:17: schedule.working_hours: \"9-17\" is not a time range; write \"HH:MM-HH:MM\" (e.g. \"09:00-18:00\") or \"always\""}},
        {"working_hours_backwards.toml", false, {
            "working_hours_backwards.toml:2:17: schedule.working_hours: \"18:00-09:00\" ends before it starts; the range must lie within one day, or use \"always\""}},
        {"bad_working_day.toml", false, {
            "bad_working_day.toml:2:24: schedule.working_days: \"tuesday\" is not a day; use mon, tue, wed, thu, fri, sat, sun"}},
        {"no_working_days.toml", false, {
            "no_working_days.toml:2:16: schedule.working_days: no working day; list at least one, e.g. [\"mon\", \"tue\"], or set working_hours = \"always\""}},
        {"unknown_stretch_id.toml", false, {
            "unknown_stretch_id.toml:2:13: stretches.disabled: no stretch has the id \"seated-twst\"; did you mean \"seated-twist\"?",
            "unknown_stretch_id.toml:3:14: stretches.favorites: no stretch has the id \"no-such-stretch\" in the catalog"}},
        {"duplicate_ids.toml", false, {
            "duplicate_ids.toml:1:1: stretch.id: \"seated-twist\" is already used by the stretch at catalog:36:1; ids must be unique"}},
        {"stretch_without_steps.toml", false, {
            "stretch_without_steps.toml:1:1: stretch.steps: missing; a stretch needs id, name, position, muscles, steps, hold and duration"}},
        {"bad_custom_stretch.toml", false, {
            "bad_custom_stretch.toml:2:6: stretch.id: \"Wrist Circles\" is not an id; use lowercase letters, digits and '-'",
            "bad_custom_stretch.toml:3:8: stretch.name: expected a non-empty string",
            "bad_custom_stretch.toml:4:12: stretch.position: \"lying\" is not allowed; allowed: seated | standing | floor",
            "bad_custom_stretch.toml:5:12: stretch.muscles: \"forearms\" is not a muscle group; allowed: rhomboids | trapezius | lats | levator-scapulae | thoracic-spine | chest",
            "bad_custom_stretch.toml:6:9: stretch.steps: expected 2 to 4 short steps, as an array of strings",
            "bad_custom_stretch.toml:7:8: stretch.hold: expected a duration longer than zero, such as \"20s\" or \"1m\"",
            "bad_custom_stretch.toml:10:12: stretch.duration: expected a duration longer than zero, such as \"20s\" or \"1m\"",
            "bad_custom_stretch.toml:8:8: stretch.reps: expected a whole number from 1 to 50",
            "bad_custom_stretch.toml:9:9: stretch.sides: allowed: each | none"}},
        {"steps_too_long.toml", false, {
            "steps_too_long.toml:6:9: stretch.steps: come to 273 characters; keep them to 170 in all so they fit a notification"}},
        {"empty_after_filters.toml", false, {
            "empty_after_filters.toml:3:12: stretches.disabled: no stretch is left to offer (positions: seated; 9 disabled); enable one or allow another position"}},
        {"bad_enums.toml", false, {
            "bad_enums.toml:2:11: notify.urgency: \"urgent\" is not allowed; allowed: low | normal | critical",
            "bad_enums.toml:3:9: notify.sound: expected true or false, got the string \"yes\"",
            "bad_enums.toml:6:10: activity.source: \"wayland-ish\" is not allowed; allowed: auto | x11 | gnome | kde | wayland | logind | none"}},
        {"out_of_range.toml", false, {
            "out_of_range.toml:2:9: snooze.limit: -1 is out of range; allowed: 0 to 100",
            "out_of_range.toml:5:18: notify.renotify_limit: expected a whole number, got a floating-point number"}},
        {"section_not_a_table.toml", false, {
            "section_not_a_table.toml:1:12: schedule: expected a table [schedule], got the string \"hourly\""}},
        {"bad_calls.toml", false, {
            "bad_calls.toml:2:11: calls.enabled: expected true or false, got the string \"no\"",
            "bad_calls.toml:3:10: calls.ignore: expected an array of strings, got the string \"zoom\"",
            "bad_calls.toml:4:34: calls.camera_devices: \"video*\" is not an absolute path; e.g. \"/dev/video*\""}},
        {"bad_position.toml", false, {
            "bad_position.toml:2:24: stretches.positions: \"kneeling\" is not a position; allowed: seated | standing | floor"}},
    };
    // clang-format on
    for (auto& c : cases) {
        SECTION(c.file) {
            auto parsed = parse_fixture(c.file);
            CHECK(parsed.messages == c.messages);
            CHECK(parsed.config.has_value() == c.usable);
        }
    }
}

TEST_CASE("a bad layer makes the whole config unusable, so a reload keeps the old one",
          "[config]") {
    auto parsed = parse({{"good.toml", "[schedule]\ninterval = \"30m\"\n"},
                         {"bad.toml", "[schedule]\ninterval = \"thirty\"\n"}});
    CHECK_FALSE(parsed.config);
    REQUIRE(parsed.messages.size() == 1);
    CHECK(parsed.messages[0].rfind("bad.toml:2:12: schedule.interval:", 0) == 0);
}

TEST_CASE("nearest_key suggests only close matches", "[config]") {
    std::vector<std::string_view> known{"interval", "natural_break", "working_hours"};
    CHECK(nearest_key("intervall", known) == "interval");
    CHECK(nearest_key("workinghours", known) == "working_hours");
    CHECK(nearest_key("theme", known) == std::nullopt);
}
