#include "core/protocol.hpp"

#include <cstdio>

#include "core/duration.hpp"
#include "core/language.hpp"

namespace postured::protocol {

using nlohmann::json;
using std::chrono::minutes;
using std::chrono::seconds;

namespace {

Error bad(std::string message) {
    return {"bad_request", std::move(message)};
}

// A duration no daemon reports (negative, or past the longest one there is) is malformed: the
// countdown and the percentage made of it must not overflow.
std::optional<seconds> field_seconds(const json& status, const char* key) {
    auto it = status.find(key);
    if (it == status.end() || !it->is_number_integer()) return std::nullopt;
    seconds d{it->get<std::int64_t>()};
    if (d < seconds{0} || d > longest_duration) return std::nullopt;
    return d;
}

// Local time as "2026-12-02T14:00:00".
json local_time_json(std::optional<LocalTime> t) {
    if (!t) return nullptr;
    auto day = std::chrono::floor<std::chrono::days>(*t);
    std::chrono::year_month_day date{day};
    std::chrono::hh_mm_ss time{*t - day};
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d", int(date.year()),
                  unsigned(date.month()), unsigned(date.day()), int(time.hours().count()),
                  int(time.minutes().count()), int(time.seconds().count()));
    return text;
}

std::optional<LocalTime> field_local_time(const json& status, const char* key) {
    auto it = status.find(key);
    if (it == status.end() || !it->is_string()) return std::nullopt;
    int y = 0;
    unsigned mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (std::sscanf(it->get<std::string>().c_str(), "%d-%u-%uT%u:%u:%u", &y, &mo, &d, &h, &mi,
                    &s) != 6)
        return std::nullopt;
    std::chrono::year_month_day date{std::chrono::year{y}, std::chrono::month{mo},
                                     std::chrono::day{d}};
    if (!date.ok() || h > 23 || mi > 59 || s > 60) return std::nullopt;
    return std::chrono::local_days{date} + std::chrono::hours{h} + minutes{mi} + seconds{s};
}

// When the state ends: the time, how many days ahead, and, beyond tomorrow, the day: "on Monday",
// "on 5 Jan".
struct Ending {
    char clock[8];
    long ahead;
    std::string day;
};

std::optional<Ending> ending(const Status& s) {
    if (!s.state_ends_at || !s.state_ends_in) return std::nullopt;
    using std::chrono::days;
    auto end = *s.state_ends_at;
    auto today = std::chrono::floor<days>(end - *s.state_ends_in);
    auto day = std::chrono::floor<days>(end);
    std::chrono::hh_mm_ss time{end - day};
    Ending e{{}, (day - today).count(), {}};
    std::snprintf(e.clock, sizeof e.clock, "%02d:%02d", int(time.hours().count()),
                  int(time.minutes().count()));
    // TRANSLATORS: %A is the day of the week, %-d the day of the month and %b the month, as
    // strftime writes them in the user's locale.
    // xgettext:no-c-format
    if (e.ahead > 1)
        e.day = e.ahead < 7 ? calendar_text(_("on %A"), day)
                            // xgettext:no-c-format
                            : calendar_text(_("on %-d %b"), day);
    return e;
}

const char* presence_word(Presence presence) {
    switch (presence) {
        case Presence::active:
            return _("active");
        case Presence::idle:
            return _("idle");
        case Presence::locked:
            return _("locked");
        case Presence::asleep:
            return _("asleep");
    }
    return "";
}

std::string field_string(const json& status, const char* key) {
    auto it = status.find(key);
    return it != status.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::optional<Verb> verb_named(std::string_view name) {
    for (std::size_t i = 0; i < std::size(verbs); ++i)
        if (verbs[i].name == name) return static_cast<Verb>(i);
    return std::nullopt;
}

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
    auto name = cmd->get<std::string>();
    auto verb = verb_named(name);
    if (!verb) return Error{"unknown_command", "no command \"" + name + "\""};
    Request r{.verb = *verb};

    for (auto& [key, value] : j.items()) {
        if (key == "v" || key == "cmd") continue;
        auto field = field_names.parse(key);
        if (!field || !(spec(r.verb).fields & bit(*field)))
            return bad("\"" + name + "\" takes no \"" + key + "\"");
        switch (*field) {
            case Field::duration: {
                auto d =
                    value.is_string() ? parse_duration(value.get<std::string>()) : std::nullopt;
                if (!d || d->count() == 0)
                    return bad("\"duration\" must be a duration such as \"15m\"");
                r.duration = d;
                break;
            }
            case Field::until: {
                auto t =
                    value.is_string() ? parse_time_of_day(value.get<std::string>()) : std::nullopt;
                if (!t) return bad("\"until\" must be a time of day such as \"13:30\"");
                r.until = t;
                break;
            }
            case Field::stretch:
                if (!value.is_string()) return bad("\"stretch\" must be a stretch id");
                r.stretch = value.get<std::string>();
                break;
            case Field::days:
                if (!value.is_number_integer() || value.get<std::int64_t>() < 1 ||
                    value.get<std::int64_t>() > 366)
                    return bad("\"days\" must be a whole number from 1 to 366");
                r.days = value.get<int>();
                break;
            case Field::follow:
                if (!value.is_boolean()) return bad("\"follow\" must be true or false");
                r.follow = value.get<bool>();
                break;
        }
    }
    if (r.duration && r.until) return bad("pause takes a duration or an end time, not both");
    return r;
}

json request_json(const Request& request) {
    json j{{"v", version}, {"cmd", spec(request.verb).name}};
    if (request.duration) j["duration"] = format_duration(*request.duration);
    if (request.until) {
        char text[16];
        std::snprintf(text, sizeof text, "%02d:%02d", int(request.until->count() / 60),
                      int(request.until->count() % 60));
        j["until"] = text;
    }
    if (request.stretch) j["stretch"] = *request.stretch;
    if (request.follow) j["follow"] = true;
    if (spec(request.verb).fields & bit(Field::days)) j["days"] = request.days;
    return j;
}

json ok_reply(json fields) {
    fields["v"] = version;
    fields["ok"] = true;
    return fields;
}

json error_reply(const Error& error) {
    return {{"v", version}, {"ok", false}, {"error", error}};
}

void to_json(json& j, const Error& error) {
    j = {{"code", error.code}, {"message", error.message}};
}

void from_json(const json& j, Error& error) {
    error.code = j.at("code").get<std::string>();
    error.message = j.at("message").get<std::string>();
}

void to_json(json& j, const StretchListing& s) {
    j = {{"id", s.id},
         {"name", s.name},
         {"position", to_string(s.position)},
         {"muscles", s.muscles},
         {"steps", s.steps},
         {"hold", s.hold.count()},
         {"reps", s.reps},
         {"dose", s.dose},
         {"each_side", s.each_side},
         {"duration", s.duration.count()},
         {"source", s.source},
         {"offered", s.offered},
         {"favorite", s.favorite},
         {"picture", s.picture}};
}

void from_json(const json& j, StretchListing& s) {
    s.id = j.at("id").get<std::string>();
    s.name = j.at("name").get<std::string>();
    s.position = position_names.parse(j.at("position").get<std::string>()).value_or(s.position);
    s.muscles = j.at("muscles").get<std::vector<std::string>>();
    s.steps = j.at("steps").get<std::vector<std::string>>();
    s.hold = seconds{j.at("hold").get<std::int64_t>()};
    s.reps = j.at("reps").get<int>();
    s.dose = j.at("dose").get<std::string>();
    s.each_side = j.at("each_side").get<bool>();
    s.duration = seconds{j.at("duration").get<std::int64_t>()};
    s.source = j.at("source").get<std::string>();
    s.offered = j.at("offered").get<bool>();
    s.favorite = j.at("favorite").get<bool>();
    s.picture = j.value("picture", "");
}

std::string human_duration(seconds d) {
    if (d < seconds{60}) return duration_text(d);
    return duration_text(std::chrono::ceil<minutes>(d));
}

}  // namespace postured::protocol

namespace postured {

using nlohmann::json;
using std::chrono::seconds;

namespace {

json optional_json(const auto& value) {
    return value ? json(*value) : json(nullptr);
}

}  // namespace

void to_json(json& j, const Status& s) {
    auto optional_seconds = [](std::optional<seconds> d) {
        return d ? json(d->count()) : json(nullptr);
    };
    j = {{"state", to_string(s.state)},
         {"presence", to_string(s.presence)},
         {"inhibited", s.inhibited},
         {"in_call", s.in_call},
         {"idle_source", s.idle_source},
         {"idle_source_note", s.idle_source_note},
         {"idle_protocol", s.idle_protocol},
         {"worked", s.worked.count()},
         {"interval", s.interval.count()},
         {"next_break_in", optional_seconds(s.next_break_in)},
         {"state_ends_in", optional_seconds(s.state_ends_in)},
         {"state_ends_at", protocol::local_time_json(s.state_ends_at)},
         {"held_by", s.held_by},
         {"next_stretch", s.next_stretch},
         {"next_stretch_id", s.next_stretch_id},
         {"snoozes_left", s.snoozes_left}};
}

void from_json(const json& j, Status& status) {
    auto read = protocol::status_from_json(j);
    if (!read)
        throw json::other_error::create(501, "a status with no state this program knows", &j);
    status = *read;
}

void to_json(json& j, const DayStats& d) {
    auto adherence = d.adherence();
    j = {{"date", iso_date(d.day)},
         {"done", d.done},
         {"skipped", d.skipped},
         {"missed", d.missed},
         {"dismissed", d.dismissed},
         {"snoozed", d.snoozed},
         {"natural", d.natural},
         {"adherence", optional_json(adherence)},
         {"met_goal", adherence && *adherence >= Stats::goal_percent}};
}

void from_json(const json& j, DayStats& d) {
    auto day = parse_iso_date(j.at("date").get<std::string>());
    if (!day) throw json::other_error::create(501, "a day that is not a date", &j);
    d.day = *day;
    for (auto [key, count] : {std::pair{"done", &d.done},
                              {"skipped", &d.skipped},
                              {"missed", &d.missed},
                              {"dismissed", &d.dismissed},
                              {"snoozed", &d.snoozed},
                              {"natural", &d.natural}})
        *count = j.at(key).get<int>();
}

void to_json(json& j, const MostDone& most) {
    j = {{"id", most.id}, {"name", most.name}, {"done", most.done}};
}

void from_json(const json& j, MostDone& most) {
    most.id = j.at("id").get<std::string>();
    most.name = j.at("name").get<std::string>();
    most.done = j.at("done").get<int>();
}

void to_json(json& j, const Stats& stats) {
    j = {{"days", stats.days},
         {"adherence", optional_json(stats.adherence)},
         {"streak", stats.streak},
         {"goal_percent", Stats::goal_percent},
         {"most_done", stats.most_done}};
}

void from_json(const json& j, Stats& stats) {
    stats.days = j.at("days").get<std::vector<DayStats>>();
    auto& adherence = j.at("adherence");
    stats.adherence = adherence.is_null() ? std::nullopt : std::optional(adherence.get<int>());
    stats.streak = j.at("streak").get<int>();
    stats.most_done = j.at("most_done").get<std::vector<MostDone>>();
}

}  // namespace postured

namespace postured::protocol {

std::optional<Status> status_from_json(const json& j) {
    auto state = state_names.parse(field_string(j, "state"));
    if (!state) return std::nullopt;
    Status s;
    s.state = *state;
    s.presence = presence_names.parse(field_string(j, "presence")).value_or(Presence::active);
    auto inhibited = j.find("inhibited");
    s.inhibited = inhibited != j.end() && inhibited->is_boolean() && inhibited->get<bool>();
    auto in_call = j.find("in_call");
    s.in_call = in_call != j.end() && in_call->is_boolean() && in_call->get<bool>();
    s.idle_source = field_string(j, "idle_source");
    s.idle_source_note = field_string(j, "idle_source_note");
    s.idle_protocol = field_string(j, "idle_protocol");
    s.worked = field_seconds(j, "worked").value_or(seconds{0});
    s.interval = field_seconds(j, "interval").value_or(seconds{0});
    s.next_break_in = field_seconds(j, "next_break_in");
    s.state_ends_in = field_seconds(j, "state_ends_in");
    s.state_ends_at = field_local_time(j, "state_ends_at");
    s.held_by = field_string(j, "held_by");
    s.next_stretch = field_string(j, "next_stretch");
    s.next_stretch_id = field_string(j, "next_stretch_id");
    auto left = j.find("snoozes_left");
    if (left != j.end() && left->is_number_integer()) s.snoozes_left = left->get<int>();
    return s;
}

std::string status_text(const Status& s, seconds elapsed) {
    auto left = [&](seconds d) { return human_duration(std::max(d - elapsed, seconds{0})); };
    auto worked = s.worked;
    if (s.state == State::working || s.state == State::snoozed)
        worked += std::min(elapsed, s.next_break_in.value_or(elapsed));
    auto worked_text = worked < seconds{60} ? duration_text(worked)
                                            : duration_text(std::chrono::floor<minutes>(worked));
    auto interval = duration_text(s.interval);
    // TRANSLATORS: " · next: Seated twist in 26m", after "Working 34m of 1h" or "Snoozed".
    auto next = s.next_break_in ? formatted(_(" · next: %s in %s"), s.next_stretch.c_str(),
                                            left(*s.next_break_in).c_str())
                                : std::string();
    switch (s.state) {
        case State::working:
            return formatted(_("Working %s of %s"), worked_text.c_str(), interval.c_str()) + next;
        case State::snoozed:
            return _("Snoozed") + next;
        case State::due:
            return formatted(_("Break due: %s"), s.next_stretch.c_str());
        case State::held:
            return s.state_ends_in
                       ? formatted(_("Break held: %s · %s, %s at most"), s.next_stretch.c_str(),
                                   s.held_by.c_str(), left(*s.state_ends_in).c_str())
                       : formatted(_("Break held: %s · %s"), s.next_stretch.c_str(),
                                   s.held_by.c_str());
        case State::paused: {
            if (!s.state_ends_in) return _("Paused until resumed");
            auto left_text = left(*s.state_ends_in);
            auto e = ending(s);
            if (!e) return formatted(_("Paused for %s"), left_text.c_str());
            if (e->ahead == 0)
                return formatted(_("Paused for %s, until %s"), left_text.c_str(), e->clock);
            if (e->ahead == 1)
                return formatted(_("Paused for %s, until %s tomorrow"), left_text.c_str(),
                                 e->clock);
            // TRANSLATORS: "Paused for 3d, until 09:00 on Monday".
            return formatted(_("Paused for %s, until %s %s"), left_text.c_str(), e->clock,
                             e->day.c_str());
        }
        case State::away:
            // TRANSLATORS: "Away (idle) · 34m of 1h worked"; the word in brackets is one of
            // active, idle, locked, asleep.
            return formatted(_("Away (%s) · %s of %s worked"), presence_word(s.presence),
                             worked_text.c_str(), interval.c_str());
        case State::off_hours: {
            auto e = ending(s);
            if (!e) return _("Outside working hours");
            if (e->ahead == 0) return formatted(_("Outside working hours, until %s"), e->clock);
            if (e->ahead == 1)
                return formatted(_("Outside working hours, until %s tomorrow"), e->clock);
            // TRANSLATORS: "Outside working hours, until 09:00 on Monday".
            return formatted(_("Outside working hours, until %s %s"), e->clock, e->day.c_str());
        }
    }
    return {};
}

std::string presence_text(const Status& s) {
    auto in_call = s.in_call ? std::string(_(" · in a call")) : std::string();
    if (s.idle_source.empty() || s.idle_source == "none")
        return (s.idle_source_note.empty()
                    ? std::string(_("Presence: not watched (no idle source); all time in working "
                                    "hours counts as work"))
                    : formatted(_("Presence: not watched (no idle source: %s); all time in "
                                  "working hours counts as work"),
                                s.idle_source_note.c_str())) +
               in_call;
    std::vector<std::string> about{s.idle_source};
    if (!s.idle_source_note.empty()) about.push_back(s.idle_source_note);
    auto source = listed(about);
    if (!s.idle_protocol.empty()) source += _("; ") + s.idle_protocol;
    // TRANSLATORS: "Presence: idle (idle source: x11, X11 session on :0)".
    auto text =
        formatted(_("Presence: %s (idle source: %s)"), presence_word(s.presence), source.c_str());
    text += in_call;
    if (s.inhibited) text += _(" · an idle inhibitor is held");
    return text;
}

json waybar_json(const Status& s, seconds elapsed) {
    auto worked = s.worked;
    if (s.state == State::working) worked += std::min(elapsed, s.next_break_in.value_or(elapsed));
    std::string text;
    if (s.next_break_in)
        text = human_duration(std::max(*s.next_break_in - elapsed, seconds{0}));
    else if (s.state == State::due)
        // TRANSLATORS: the words a status bar shows in place of the countdown.
        text = _("stretch");
    else if (s.state == State::held)
        text = _("held");
    else if (s.state == State::paused)
        text = _("paused");
    else if (s.state == State::away)
        text = _("away");
    else
        text = _("off");
    auto percentage = s.interval.count() > 0
                          ? std::min<std::int64_t>(100, worked.count() * 100 / s.interval.count())
                          : 0;
    return {{"text", text},
            {"tooltip", status_text(s, elapsed) + "\n" + presence_text(s)},
            {"class", to_string(s.state)},
            {"percentage", percentage}};
}

}  // namespace postured::protocol
