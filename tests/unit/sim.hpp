#pragma once

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/config_parser.hpp"
#include "core/presence.hpp"
#include "core/scheduler.hpp"

namespace postured::test {

using namespace std::chrono;
using namespace std::chrono_literals;

inline const LocalTime monday = local_days{2026y / November / 23};

inline Config make_config(const std::string& text = "") {
    ConfigParser parser;
    parser.add_catalog(builtin_catalog, "catalog");
    parser.add_config(text, "test.toml");
    auto config = parser.finish();
    for (auto& d : parser.diagnostics())
        if (d.severity == Diagnostic::Severity::error) FAIL(d.to_string());
    REQUIRE(config);
    return *config;
}

// "Mon 10:30", or "Mon 10:30:15" when seconds matter.
inline std::string label(LocalTime t) {
    constexpr const char* names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    auto day = floor<days>(t);
    hh_mm_ss time{t - day};
    char text[32];
    if (time.seconds().count())
        std::snprintf(text, sizeof text, "%s %02d:%02d:%02d", names[weekday(day).c_encoding()],
                      int(time.hours().count()), int(time.minutes().count()),
                      int(time.seconds().count()));
    else
        std::snprintf(text, sizeof text, "%s %02d:%02d", names[weekday(day).c_encoding()],
                      int(time.hours().count()), int(time.minutes().count()));
    return text;
}

// Day `day` after the first Monday, at "HH:MM".
inline LocalTime at(int day, const std::string& hh_mm) {
    return monday + days{day} + hours{std::stoi(hh_mm.substr(0, 2))} +
           minutes{std::stoi(hh_mm.substr(3, 2))};
}

// Drives a Scheduler through simulated time: wakes it when it asks, answers each break after a
// minute the way the test says, and logs what the user would see.
class Sim {
  public:
    explicit Sim(Config config, LocalTime start = monday)
        : local_(start), scheduler_(std::move(config), Now{MonoTime{}, start}, 42) {}

    std::optional<Event> answer = event::Done{};  // what the user does with each new break
    seconds answer_after = 1min;
    // Whether the idle source can watch for a pause in input; without, a watch asked for is
    // answered at once, as the daemon does.
    bool pauses_watched = false;
    bool watching_for_pause = false;
    // Whether a source must be asked whether it is quiet; without, the daemon answers at once.
    bool quiet_asked = false;
    bool asking_quiet = false;

    Now now() const { return {mono_, local_}; }
    Scheduler& scheduler() { return scheduler_; }

    // Runs until the wall clock reads `target`, then performs `event` there.
    Output at(LocalTime target, const Event& event) {
        run_until(target);
        return handle(event);
    }
    Output handle(const Event& event) { return take(scheduler_.handle(now(), event)); }
    // A source's fact, through the presence layer, as the daemon takes it.
    void report(const std::string& source, const Fact& fact) {
        for (auto& event : presence_.take({source, fact}))
            handle(event);
    }
    const PresenceTracker& presence() const { return presence_; }
    Output reconfigure(Config config) {
        return take(scheduler_.reconfigure(now(), std::move(config)));
    }

    void run_until(LocalTime target) {
        REQUIRE(target >= local_);
        auto target_mono = mono_ + (target - local_);
        for (;;) {
            auto next = scheduler_.next_wakeup();
            if (auto edge = scheduler_.next_calendar_change(); edge != LocalTime::max())
                next = std::min(next, mono_ + (edge - local_));
            bool answering = !answers_.empty() && answers_.front().first <= next;
            if (answering) next = answers_.front().first;
            if (next > target_mono) break;
            move_to(next);
            if (answering) {
                auto event = answers_.front().second;
                answers_.erase(answers_.begin());
                handle(event);
            } else {
                handle(event::Tick{});
            }
        }
        move_to(target_mono);
    }

    // The wall clock is set; monotonic time does not move.
    void set_wall_clock(LocalTime t) { local_ = t; }
    // Time passes without the scheduler hearing of it (the process was stopped or the machine
    // slept with nobody to tell).
    void pass_unobserved(milliseconds d) {
        mono_ += d;
        local_ += floor<seconds>(d);
    }

    const std::vector<std::string>& log() const { return log_; }
    // The log lines of one kind, e.g. "show", "natural" or "refused:".
    std::vector<std::string> lines(const std::string& what) const {
        std::vector<std::string> out;
        for (auto& line : log_) {
            auto kind = line.find(' ', line.find(' ') + 1) + 1;  // after "Mon 10:00 "
            if (line.compare(kind, what.size() + 1, what + " ") == 0 ||
                line.compare(kind, what.size(), what) == 0 && kind + what.size() == line.size())
                out.push_back(line);
        }
        return out;
    }
    // When each new break was shown.
    std::vector<std::string> breaks() const {
        std::vector<std::string> out;
        for (auto& line : lines("show"))
            out.push_back(line.substr(0, line.find(" show")));
        return out;
    }
    std::vector<MonoTime> break_monos() const { return break_monos_; }
    std::vector<ShowBreak> shown() const { return shown_; }

  private:
    void move_to(MonoTime t) {
        REQUIRE(t >= mono_);
        local_ += floor<seconds>(t - mono_);
        mono_ = t;
    }

    Output take(Output out) {
        for (auto& action : out.actions) {
            if (auto* show = std::get_if<ShowBreak>(&action)) {
                log_.push_back(label(local_) + (show->resend ? " reshow " : " show ") +
                               show->stretch.id);
                if (show->resend == 0) {
                    shown_.push_back(*show);
                    break_monos_.push_back(mono_);
                    if (answer) answers_.push_back({mono_ + answer_after, *answer});
                }
            } else if (auto* record = std::get_if<Record>(&action)) {
                log_.push_back(label(record->at) + " " + std::string(to_string(record->outcome)) +
                               (record->stretch_id.empty() ? "" : " " + record->stretch_id));
                // An answer the user meant for a break that has ended is not given.
                answers_.clear();
            } else if (auto* ask = std::get_if<AskQuiet>(&action)) {
                asking_quiet = ask->on;
                if (ask->on && !quiet_asked) pending_.push_back(event::QuietAnswered{});
            } else if (auto* watch = std::get_if<WatchForPause>(&action)) {
                watching_for_pause = watch->on;
                if (!pauses_watched) {
                    if (watch->on) pending_.push_back(event::InputPaused{});
                } else {
                    log_.push_back(label(local_) + (watch->on ? " watch" : " unwatch"));
                }
            } else {
                log_.push_back(label(local_) + " close");
            }
        }
        if (!out.refused.empty()) log_.push_back(label(local_) + " refused: " + out.refused);
        INFO(label(local_));
        REQUIRE(scheduler_.next_wakeup() > mono_);  // never asks to be woken in the past
        auto pending = std::move(pending_);
        pending_.clear();
        for (auto& event : pending)
            take(scheduler_.handle(now(), event));
        return out;
    }

    MonoTime mono_{};
    LocalTime local_;
    Scheduler scheduler_;
    PresenceTracker presence_;
    std::vector<std::pair<MonoTime, Event>> answers_;
    std::vector<Event> pending_;
    std::vector<std::string> log_;
    std::vector<MonoTime> break_monos_;
    std::vector<ShowBreak> shown_;
};

}  // namespace postured::test
