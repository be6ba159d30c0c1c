#pragma once

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/config_parser.hpp"
#include "core/daemon.hpp"

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

// Drives the daemon's decision core through simulated time: wakes it when it asks, answers each
// break after a minute the way the test says, writes what it asks to save (or fails to, when
// told), and logs what the user would see.
class Sim {
  public:
    explicit Sim(Config config, LocalTime start = monday,
                 const std::optional<Snapshot>& saved = std::nullopt, bool keeps_state = false)
        : local_(start), daemon_(std::move(config), now(), 42, keeps_state) {
        // A break owed from before asks to be woken at once.
        take(daemon_.start(now(), saved), false);
        log_.clear();  // the start closes what an earlier run left on screen
    }

    std::optional<Event> answer = event::Done{};  // what the user does with each new break
    seconds answer_after = 1min;
    // Whether the idle source can watch for a pause in input; without, a watch asked for is
    // answered at once, as the daemon does.
    bool pauses_watched = false;
    bool watching_for_pause = false;
    // Whether a source must be asked whether it is quiet; without, the daemon answers at once.
    bool quiet_asked = false;
    bool asking_quiet = false;
    // Why the state cannot be written now; empty while writes work.
    std::string save_error;

    Now now() const { return {mono_, local_, suspended_}; }
    const Daemon& daemon() const { return daemon_; }
    const Scheduler& scheduler() const { return daemon_.scheduler(); }
    Status status() const { return daemon_.status(now()); }

    // Runs until the wall clock reads `target`, then performs `event` there.
    Effects at(LocalTime target, const Event& event) {
        run_until(target);
        return handle(event);
    }
    Effects handle(const Event& event) { return take(daemon_.handle(now(), event)); }
    // A source's fact, through the presence layer, as the daemon takes it.
    // `save`: written at once even if unchanged, as logind's news of a sleep is.
    Effects report(const std::string& source, const Fact& fact, bool save = false) {
        return take(daemon_.handle(now(), Report{source, fact}, save));
    }
    const PresenceTracker& presence() const { return daemon_.presence(); }
    Effects reconfigure(Config config) {
        return take(daemon_.reconfigure(now(), std::move(config)));
    }
    Effects stop() { return take(daemon_.save_now(now())); }

    void run_until(LocalTime target) {
        REQUIRE(target >= local_);
        auto target_mono = mono_ + (target - local_);
        for (;;) {
            auto next = daemon_.next_deadline();
            if (auto edge = daemon_.next_calendar_change(); edge != LocalTime::max())
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
    // Time passes without the daemon hearing of it (the process was stopped).
    void pass_unobserved(milliseconds d) {
        mono_ += d;
        local_ += floor<seconds>(d);
    }
    // The machine sleeps for `d`, told by nobody: CLOCK_BOOTTIME runs on, CLOCK_MONOTONIC does not.
    void sleep(milliseconds d) {
        pass_unobserved(d);
        suspended_ += d;
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
    // What the daemon wrote to its journal.
    const std::vector<LogLine>& journal() const { return journal_; }
    // When each new break was shown.
    std::vector<std::string> breaks() const {
        std::vector<std::string> out;
        for (auto& line : lines("show"))
            out.push_back(line.substr(0, line.find(" show")));
        return out;
    }
    std::vector<MonoTime> break_monos() const { return break_monos_; }
    std::vector<ShowBreak> shown() const { return shown_; }
    // Each write the daemon asked for, when, and what it held; and the statuses it published.
    std::vector<std::pair<MonoTime, Save>> saves() const { return saves_; }
    const std::vector<Status>& published() const { return published_; }

  private:
    void move_to(MonoTime t) {
        REQUIRE(t >= mono_);
        local_ += floor<seconds>(t - mono_);
        mono_ = t;
    }

    Effects take(Effects out, bool after_now = true) {
        journal_.insert(journal_.end(), out.log.begin(), out.log.end());
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
        if (!out.refused.english.empty())
            log_.push_back(label(local_) + " refused: " + out.refused.english);
        if (out.save) {
            saves_.push_back({mono_, *out.save});
            auto told = daemon_.saved(
                now(), *out.save,
                save_error.empty() ? std::nullopt : std::optional<std::string>(save_error));
            journal_.insert(journal_.end(), told.log.begin(), told.log.end());
        }
        if (out.status) published_.push_back(*out.status);
        INFO(label(local_));
        if (after_now) REQUIRE(daemon_.next_deadline() > mono_);  // never woken in the past
        auto pending = std::move(pending_);
        pending_.clear();
        for (auto& event : pending)
            take(daemon_.handle(now(), event));
        return out;
    }

    MonoTime mono_{};
    LocalTime local_;
    milliseconds suspended_{0};
    Daemon daemon_;
    std::vector<std::pair<MonoTime, Event>> answers_;
    std::vector<Event> pending_;
    std::vector<std::string> log_;
    std::vector<LogLine> journal_;
    std::vector<MonoTime> break_monos_;
    std::vector<ShowBreak> shown_;
    std::vector<std::pair<MonoTime, Save>> saves_;
    std::vector<Status> published_;
};

}  // namespace postured::test
