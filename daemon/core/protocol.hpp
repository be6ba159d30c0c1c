#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/language.hpp"
#include "core/stats.hpp"
#include "core/status.hpp"
#include "core/stretch.hpp"

namespace postured {

// The replies' payloads as JSON, both ways (nlohmann's from_json throws on a missing key). A
// status from a daemon of another version is read with protocol::status_from_json instead.
void to_json(nlohmann::json& j, const Status& status);
void from_json(const nlohmann::json& j, Status& status);
void to_json(nlohmann::json& j, const DayStats& day);
void from_json(const nlohmann::json& j, DayStats& day);
void to_json(nlohmann::json& j, const MostDone& most);
void from_json(const nlohmann::json& j, MostDone& most);
void to_json(nlohmann::json& j, const Stats& stats);
void from_json(const nlohmann::json& j, Stats& stats);

}  // namespace postured

namespace postured::protocol {

// Newline-delimited JSON over the control socket: one request a line, one reply a line.
// A request: {"v": 1, "cmd": "snooze", "duration": "15m"}.
// A reply:   {"v": 1, "ok": true, ...} or {"v": 1, "ok": false, "error": {"code", "message"}}.
constexpr int version = 1;
constexpr std::size_t max_line = 64 * 1024;

// What a request may carry besides its verb.
enum class Field { duration, until, stretch, follow, days };
inline constexpr auto field_names =
    enum_names<Field::days>({"duration", "until", "stretch", "follow", "days"});
constexpr unsigned bit(Field field) {
    return 1u << static_cast<unsigned>(field);
}

// The verbs: the daemon answers them, posturectl's commands and the shell completions are made
// from this table.
enum class Verb { status, take_break, snooze, skip, done, pause, resume, reload, stretches, stats };
struct VerbSpec {
    std::string_view name;
    const char* help;  // English, for the template; shown through _()
    unsigned fields;   // the Fields it takes, as bits
};
inline constexpr VerbSpec verbs[] = {
    {"status", N_("Where the hour stands"), bit(Field::follow)},
    {"break", N_("Take a break now"), bit(Field::stretch)},
    {"snooze", N_("Have the current or next break come later"), bit(Field::duration)},
    {"skip", N_("Skip the break that is waiting, or the snoozed one"), 0},
    {"done", N_("Mark the break that is waiting, or the snoozed one, as done"), 0},
    {"pause", N_("No breaks for a while, until a time, or until resumed"),
     bit(Field::duration) | bit(Field::until)},
    {"resume", N_("End a pause"), 0},
    {"reload", N_("Read the configuration again"), 0},
    {"stretches", N_("List the stretches, or show one"), 0},
    {"stats", N_("How many breaks were taken, skipped and missed"), bit(Field::days)},
};
static_assert(std::size(verbs) == static_cast<std::size_t>(Verb::stats) + 1, "one row a verb");
constexpr const VerbSpec& spec(Verb verb) {
    return verbs[static_cast<std::size_t>(verb)];
}
std::optional<Verb> verb_named(std::string_view name);

struct Request {
    Verb verb = Verb::status;
    std::optional<std::chrono::seconds> duration{};
    std::optional<std::chrono::minutes> until{};  // a time of day, for pause
    std::optional<std::string> stretch{};
    bool follow = false;
    int days = 7;  // for stats
};

struct Error {
    std::string code;  // bad_request, unknown_command, refused, too_long, config_invalid, ...
    std::string message;
};
void to_json(nlohmann::json& j, const Error& error);
void from_json(const nlohmann::json& j, Error& error);

// A stretch as the `stretches` reply lists it.
struct StretchListing {
    std::string id;
    std::string name;
    Position position = Position::seated;
    std::vector<std::string> muscles;
    std::vector<std::string> steps;
    std::chrono::seconds hold{0};
    int reps = 1;
    std::string dose;  // as the notification shows it
    bool each_side = false;
    std::chrono::seconds duration{0};
    std::string source;
    bool offered = false;
    bool favorite = false;
    std::string picture;  // its file, empty when it has none
};
void to_json(nlohmann::json& j, const StretchListing& stretch);
void from_json(const nlohmann::json& j, StretchListing& stretch);

std::variant<Request, Error> parse_request(std::string_view line);
nlohmann::json request_json(const Request& request);

nlohmann::json ok_reply(nlohmann::json fields = nlohmann::json::object());
nlohmann::json error_reply(const Error& error);

// "HH:MM" as minutes of the day.
std::optional<std::chrono::minutes> parse_time_of_day(std::string_view text);

// Fields that are missing or malformed keep their defaults; nullopt when the state is unknown.
std::optional<Status> status_from_json(const nlohmann::json& status);

// For people: "Working 34m of 1h · next: Seated twist in 26m". `elapsed` is how long ago the
// status was read, for a countdown kept between updates.
std::string status_text(const Status& status,
                        std::chrono::seconds elapsed = std::chrono::seconds{0});
// "Presence: idle (idle source: x11, X11 session on :0) · an idle inhibitor is held"
std::string presence_text(const Status& status);
// For a waybar custom module: text, tooltip, class and percentage.
nlohmann::json waybar_json(const Status& status,
                           std::chrono::seconds elapsed = std::chrono::seconds{0});

// A duration as people read it: "45s" under a minute, else whole minutes rounded up ("26m",
// "1h30m").
std::string human_duration(std::chrono::seconds d);

}  // namespace postured::protocol
