#include "core/protocol.hpp"

#include "core/duration.hpp"

namespace postured::protocol {

using nlohmann::json;
using std::chrono::minutes;
using std::chrono::seconds;

namespace {

const char* const commands[] = {"status", "break",  "snooze", "skip",      "done",
                                "pause",  "resume", "reload", "stretches", "stats"};

Error bad(std::string message) {
    return {"bad_request", std::move(message)};
}

std::optional<seconds> field_seconds(const json& status, const char* key) {
    auto it = status.find(key);
    if (it == status.end() || !it->is_number_integer()) return std::nullopt;
    return seconds{it->get<std::int64_t>()};
}

std::string field_string(const json& status, const char* key) {
    auto it = status.find(key);
    return it != status.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::optional<minutes> parse_time_of_day(std::string_view text) {
    if (text.size() != 5 || text[2] != ':') return std::nullopt;
    for (auto i : {0, 1, 3, 4})
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
    int h = (text[0] - '0') * 10 + (text[1] - '0');
    int m = (text[3] - '0') * 10 + (text[4] - '0');
    if (h > 23 || m > 59) return std::nullopt;
    return minutes{h * 60 + m};
}

std::variant<Request, Error> parse_request(std::string_view line) {
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded()) return bad("not a JSON object");
    if (!j.is_object()) return bad("a request is a JSON object");
    auto v = j.find("v");
    if (v == j.end() || !v->is_number_integer() || v->get<std::int64_t>() != version)
        return Error{"unsupported_version", "this daemon speaks protocol version 1"};
    auto cmd = j.find("cmd");
    if (cmd == j.end() || !cmd->is_string()) return bad("\"cmd\" must be a string");
    Request r;
    r.cmd = cmd->get<std::string>();
    if (std::find(std::begin(commands), std::end(commands), r.cmd) == std::end(commands))
        return Error{"unknown_command", "no command \"" + r.cmd + "\""};

    for (auto& [key, value] : j.items()) {
        if (key == "v" || key == "cmd") continue;
        if (key == "duration" && (r.cmd == "snooze" || r.cmd == "pause")) {
            auto d = value.is_string() ? parse_duration(value.get<std::string>()) : std::nullopt;
            if (!d || d->count() == 0)
                return bad("\"duration\" must be a duration such as \"15m\"");
            r.duration = d;
        } else if (key == "until" && r.cmd == "pause") {
            auto t = value.is_string() ? parse_time_of_day(value.get<std::string>()) : std::nullopt;
            if (!t) return bad("\"until\" must be a time of day such as \"13:30\"");
            r.until = t;
        } else if (key == "stretch" && r.cmd == "break") {
            if (!value.is_string()) return bad("\"stretch\" must be a stretch id");
            r.stretch = value.get<std::string>();
        } else if (key == "days" && r.cmd == "stats") {
            if (!value.is_number_integer() || value.get<std::int64_t>() < 1 ||
                value.get<std::int64_t>() > 366)
                return bad("\"days\" must be a whole number from 1 to 366");
            r.days = value.get<int>();
        } else if (key == "follow" && r.cmd == "status") {
            if (!value.is_boolean()) return bad("\"follow\" must be true or false");
            r.follow = value.get<bool>();
        } else {
            return bad("\"" + r.cmd + "\" takes no \"" + key + "\"");
        }
    }
    if (r.duration && r.until) return bad("pause takes a duration or an end time, not both");
    return r;
}

json request_json(const Request& request) {
    json j{{"v", version}, {"cmd", request.cmd}};
    if (request.duration) j["duration"] = format_duration(*request.duration);
    if (request.until) {
        char text[16];
        std::snprintf(text, sizeof text, "%02d:%02d", int(request.until->count() / 60),
                      int(request.until->count() % 60));
        j["until"] = text;
    }
    if (request.stretch) j["stretch"] = *request.stretch;
    if (request.follow) j["follow"] = true;
    if (request.cmd == "stats") j["days"] = request.days;
    return j;
}

json ok_reply(json fields) {
    fields["v"] = version;
    fields["ok"] = true;
    return fields;
}

json error_reply(const Error& error) {
    return {{"v", version},
            {"ok", false},
            {"error", {{"code", error.code}, {"message", error.message}}}};
}

std::string human_duration(seconds d) {
    if (d < seconds{60}) return format_duration(d);
    return format_duration(std::chrono::ceil<minutes>(d));
}

std::string status_text(const json& status, seconds elapsed) {
    auto state = field_string(status, "state");
    auto worked = field_seconds(status, "worked").value_or(seconds{0});
    auto interval = field_seconds(status, "interval").value_or(seconds{0});
    auto next_in = field_seconds(status, "next_break_in");
    auto ends_in = field_seconds(status, "state_ends_in");
    auto stretch = field_string(status, "next_stretch");
    auto left = [&](seconds d) { return std::max(d - elapsed, seconds{0}); };
    if (state == "working" || state == "snoozed")
        worked += std::min(elapsed, next_in.value_or(elapsed));
    auto worked_text =
        (worked < seconds{60} ? format_duration(worked)
                              : format_duration(std::chrono::floor<minutes>(worked))) +
        " of " + format_duration(interval);
    auto next =
        next_in ? " · next: " + stretch + " in " + human_duration(left(*next_in)) : std::string();

    if (state == "working") return "Working " + worked_text + next;
    if (state == "snoozed")
        return "Snoozed" + (ends_in ? " for " + human_duration(left(*ends_in)) : std::string()) +
               next;
    if (state == "due") return "Break due: " + stretch;
    if (state == "paused")
        return ends_in ? "Paused for " + human_duration(left(*ends_in))
                       : std::string("Paused until resumed");
    if (state == "away") return "Away · " + worked_text + " worked";
    if (state == "off-hours") return "Outside working hours";
    return "Unknown state \"" + state + "\"";
}

json waybar_json(const json& status, seconds elapsed) {
    auto state = field_string(status, "state");
    auto next_in = field_seconds(status, "next_break_in");
    auto worked = field_seconds(status, "worked").value_or(seconds{0});
    auto interval = field_seconds(status, "interval").value_or(seconds{1});
    if (state == "working") worked += std::min(elapsed, next_in.value_or(elapsed));
    std::string text;
    if (next_in)
        text = human_duration(std::max(*next_in - elapsed, seconds{0}));
    else if (state == "due")
        text = "stretch";
    else if (state == "paused")
        text = "paused";
    else if (state == "away")
        text = "away";
    else
        text = "off";
    auto percentage = interval.count() > 0
                          ? std::min<std::int64_t>(100, worked.count() * 100 / interval.count())
                          : 0;
    return {{"text", text},
            {"tooltip", status_text(status, elapsed)},
            {"class", state},
            {"percentage", percentage}};
}

}  // namespace postured::protocol
