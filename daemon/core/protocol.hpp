#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/status.hpp"

namespace postured::protocol {

// Newline-delimited JSON over the control socket: one request a line, one reply a line.
// A request: {"v": 1, "cmd": "snooze", "duration": "15m"}.
// A reply:   {"v": 1, "ok": true, ...} or {"v": 1, "ok": false, "error": {"code", "message"}}.
constexpr int version = 1;
constexpr std::size_t max_line = 64 * 1024;

struct Request {
    std::string cmd;
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

std::variant<Request, Error> parse_request(std::string_view line);
nlohmann::json request_json(const Request& request);

nlohmann::json ok_reply(nlohmann::json fields = nlohmann::json::object());
nlohmann::json error_reply(const Error& error);

// "HH:MM" as minutes of the day.
std::optional<std::chrono::minutes> parse_time_of_day(std::string_view text);

nlohmann::json to_json(const Status& status);
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
