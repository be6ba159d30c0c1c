// Replays one desk worker's scripted week (bench/fidelity_week.txt) through the presence layer
// and the scheduler on the shipped config, the way the daemon drives them with an idle source
// that can watch for a pause, and prints how well the breaks fit the person's sitting.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <utility>

#include "core/break_text.hpp"
#include "core/config_parser.hpp"
#include "core/daemon.hpp"
#include "core/duration.hpp"
#include "core/safety.hpp"

using namespace postured;
using namespace std::chrono;

namespace {

// What the person is doing; every kind but the first three is away from the desk.
enum class Doing { typing, reading, meeting, coffee, locked, asleep };

struct Span {
    Doing doing;
    milliseconds from, to;  // since the week's start, on the boot clock
};

struct Week {
    LocalTime start;
    std::vector<Span> spans;
    std::vector<std::pair<milliseconds, seconds>> clock_changes;  // when, and by how much
    milliseconds end{};
};

bool at_desk(Doing d) {
    return d == Doing::typing || d == Doing::reading || d == Doing::meeting;
}

[[noreturn]] void fail(const std::string& where, const std::string& what) {
    std::fprintf(stderr, "%s: %s\n", where.c_str(), what.c_str());
    std::exit(2);
}

LocalTime parse_local(const std::string& date, const std::string& time, const std::string& where) {
    int y, mo, d, h, mi;
    char end;
    if (std::sscanf((date + " " + time).c_str(), "%d-%d-%d %d:%d%c", &y, &mo, &d, &h, &mi, &end) !=
        5)
        fail(where, "expected YYYY-MM-DD HH:MM, got " + date + " " + time);
    return local_days{year{y} / mo / d} + hours{h} + minutes{mi};
}

// One line a step: "start DATE TIME", "KIND DURATION", "KIND until DATE TIME", "clock +1h".
Week read_week(const std::string& path) {
    static const std::map<std::string, Doing> kinds{
        {"type", Doing::typing},   {"read", Doing::reading},  {"meeting", Doing::meeting},
        {"coffee", Doing::coffee}, {"locked", Doing::locked}, {"suspend", Doing::asleep}};
    std::ifstream file(path);
    if (!file) fail(path, "cannot read it");
    Week week;
    milliseconds now{};
    seconds shift{};  // how far the wall clock was put forward since the start
    bool started = false;
    std::string line;
    for (int number = 1; std::getline(file, line); ++number) {
        auto where = path + ":" + std::to_string(number);
        std::istringstream in(line.substr(0, line.find('#')));
        std::string word, arg, date, time;
        if (!(in >> word)) continue;
        in >> arg >> date >> time;
        if (word == "start") {
            week.start = parse_local(arg, date, where);
            started = true;
            continue;
        }
        if (!started) fail(where, "the week begins with a start line");
        auto local_now = week.start + floor<seconds>(now) + shift;
        if (word == "clock") {
            auto by = parse_duration(arg.substr(1));
            if (!by || (arg[0] != '+' && arg[0] != '-')) fail(where, "expected clock +D or -D");
            shift += arg[0] == '+' ? *by : -*by;
            week.clock_changes.push_back({now, arg[0] == '+' ? *by : -*by});
            continue;
        }
        auto kind = kinds.find(word);
        if (kind == kinds.end()) fail(where, "unknown step " + word);
        milliseconds length;
        if (arg == "until") {
            length = parse_local(date, time, where) - local_now;
        } else if (auto d = parse_duration(arg)) {
            length = *d;
        } else {
            fail(where, "expected a duration or until DATE TIME, got " + arg);
        }
        if (length <= 0s) fail(where, "a step must take time");
        if (!week.spans.empty() && week.spans.back().doing == kind->second &&
            week.spans.back().to == now)
            week.spans.back().to += length;
        else
            week.spans.push_back({kind->second, now, now + length});
        now += length;
    }
    week.end = now;
    return week;
}

// Input while typing comes in bursts of 15-90 s between pauses of 2-12 s, as people write.
std::vector<std::pair<milliseconds, milliseconds>> input_bursts(const Week& week) {
    std::mt19937 random(2027);
    std::vector<std::pair<milliseconds, milliseconds>> bursts;
    for (auto& span : week.spans) {
        if (span.doing != Doing::typing) continue;
        for (auto t = span.from; t < span.to;) {
            auto end = std::min(
                span.to, t + milliseconds{std::uniform_int_distribution(15'000, 90'000)(random)});
            bursts.push_back({t, end});
            t = end + milliseconds{std::uniform_int_distribution(2'000, 12'000)(random)};
        }
    }
    return bursts;
}

struct Shown {
    milliseconds at;
    Stretch stretch;
    std::optional<milliseconds> answered;
};

// The daemon's loop in simulated time around its decision core: the X11 or Wayland idle source
// (idle after idle_after, a pause of 3 s when asked to watch), the screen locker, logind's sleep
// and an idle inhibitor report to it, with the time of each.
class Replay {
  public:
    Replay(const Config& config, const Week& week)
        : config_(config),
          week_(week),
          bursts_(input_bursts(week)),
          daemon_(config, now(), 1, false) {}

    std::vector<Shown> run() {
        daemon_.start(now(), std::nullopt);
        std::size_t span = 0, burst = 0, change = 0;
        // Each step takes the earliest of what comes next; at one instant the daemon's timers
        // fire before new input is seen, so an absence of exactly natural_break is a break.
        for (;;) {
            auto never = milliseconds::max();
            auto wake = never, source = never, answer = never;
            if (!asleep_) {
                wake = daemon_.next_deadline() - MonoTime{};
                if (auto edge = daemon_.next_calendar_change(); edge != LocalTime::max())
                    wake = std::min(wake, now_ + (edge - now().local));
                if (gap_since_ && !idle_told_) source = *gap_since_ + config_.activity.idle_after;
                if (gap_since_ && watching_) source = std::min(source, *gap_since_ + pause_length);
                if (pending_answer_) answer = pending_answer_->first;
            }
            auto input_starts = burst < bursts_.size() && gap_since_ ? bursts_[burst].first : never;
            auto input_stops =
                burst < bursts_.size() && !gap_since_ ? bursts_[burst].second : never;
            auto span_starts = span < week_.spans.size() ? week_.spans[span].from : never;
            auto clock_changes =
                change < week_.clock_changes.size() ? week_.clock_changes[change].first : never;
            auto world = std::min({input_starts, input_stops, span_starts, clock_changes});
            auto next = std::min({wake, source, answer, world});
            if (next >= week_.end) break;
            now_ = std::max(now_, next);
            if (next == wake) {
                handle(event::Tick{});
            } else if (next == source) {
                if (!idle_told_ && now_ >= *gap_since_ + config_.activity.idle_after) {
                    idle_told_ = true;
                    report("x11", fact::Idle{mono(*gap_since_)});
                } else {
                    watching_ = false;
                    report("x11", fact::InputPaused{});
                }
            } else if (next == answer) {
                auto [at, number] = *pending_answer_;
                pending_answer_.reset();
                if (at_desk(doing_at(now_))) handle(event::Done{number});
            } else if (next == clock_changes) {
                shift_ += week_.clock_changes[change++].second;
            } else if (next == span_starts) {
                enter(week_.spans[span++]);
            } else if (next == input_starts) {
                input();
                gap_since_.reset();
            } else {
                gap_since_ = now_;
                ++burst;
            }
        }
        return shown_;
    }

  private:
    static constexpr seconds pause_length{3};

    Now now() const { return {mono(now_), week_.start + floor<seconds>(now_) + shift_, slept_}; }
    static MonoTime mono(milliseconds t) { return MonoTime{t}; }

    Doing doing_at(milliseconds t) const {
        auto it = std::upper_bound(week_.spans.begin(), week_.spans.end(), t,
                                   [](auto at, auto& s) { return at < s.from; });
        return std::prev(it)->doing;
    }

    void input() {
        gap_since_ = now_;
        if (std::exchange(idle_told_, false)) report("x11", fact::Active{mono(now_)});
    }

    void enter(const Span& span) {
        bool locks = span.doing == Doing::locked || span.doing == Doing::asleep;
        if (locks && !locked_) report("screensaver", fact::Locked{mono(now_)});
        if (!locks && locked_) {
            input();  // the password
            report("screensaver", fact::Unlocked{mono(now_)});
        }
        locked_ = locks;
        if (span.doing == Doing::asleep) {
            report("logind", fact::Asleep{mono(now_)});
            asleep_ = true;
            slept_at_ = now_;
        } else if (asleep_) {
            asleep_ = false;
            slept_ += now_ - slept_at_;  // the boot clock ran on while the monotonic did not
            report("logind", fact::Awake{mono(now_)});
            if (gap_since_) gap_since_ = now_;  // the idle time counts afresh from the resume
        }
        bool inhibits = span.doing == Doing::meeting;
        if (inhibits != inhibited_) report("gnome-session", fact::Inhibited{inhibits});
        inhibited_ = inhibits;
    }

    void report(const std::string& source, const Fact& fact) {
        take(daemon_.handle(now(), Report{source, fact}));
    }

    void handle(const Event& event) { take(daemon_.handle(now(), event)); }

    void take(const Effects& out) {
        for (auto& action : out.actions) {
            if (auto* show = std::get_if<ShowBreak>(&action); show && show->resend == 0) {
                shown_.push_back({now_, show->stretch, {}});
                pending_answer_ = {now_ + answer_after, show->number};
            } else if (auto* watch = std::get_if<WatchForPause>(&action)) {
                watching_ = watch->on;
                if (watching_ && gap_since_ && now_ - *gap_since_ >= pause_length) {
                    watching_ = false;
                    handle(event::InputPaused{});
                }
            } else if (auto* ask = std::get_if<AskQuiet>(&action); ask && ask->on) {
                handle(event::QuietAnswered{});  // no source here needs asking
            } else if (auto* record = std::get_if<Record>(&action)) {
                if (record->outcome == Outcome::done && !shown_.empty())
                    shown_.back().answered = now_;
                pending_answer_.reset();
            }
        }
    }

    static constexpr seconds answer_after{60};  // the stretch, then a click on Done

    const Config& config_;
    const Week& week_;
    std::vector<std::pair<milliseconds, milliseconds>> bursts_;
    milliseconds now_{};
    seconds shift_{};
    milliseconds slept_{};
    Daemon daemon_;
    std::optional<milliseconds> gap_since_{milliseconds{0}};
    bool idle_told_ = false, watching_ = false, locked_ = false, asleep_ = false,
         inhibited_ = false;
    milliseconds slept_at_{};
    std::optional<std::pair<milliseconds, std::uint64_t>> pending_answer_;
    std::vector<Shown> shown_;
};

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    auto rank = p * double(values.size() - 1);
    auto low = std::size_t(rank);
    auto high = std::min(low + 1, values.size() - 1);
    return values[low] + (rank - double(low)) * (values[high] - values[low]);
}

// "Wed 2027-03-24 10:02:13"
std::string when(LocalTime t) {
    auto day = floor<days>(t);
    year_month_day date{day};
    hh_mm_ss time{t - day};
    constexpr const char* names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    char text[40];
    std::snprintf(text, sizeof text, "%s %04d-%02u-%02u %02d:%02d:%02d",
                  names[weekday(day).c_encoding()], int(date.year()), unsigned(date.month()),
                  unsigned(date.day()), int(time.hours().count()), int(time.minutes().count()),
                  int(time.seconds().count()));
    return text;
}

}  // namespace

// bench_fidelity [--breaks] [SOURCE_DIR]: --breaks lists every break.
int main(int argc, char** argv) {
    bool list = argc > 1 && std::string(argv[1]) == "--breaks";
    std::string dir = argc > 1 + list ? argv[1 + list] : POSTURED_SOURCE_DIR;
    std::ifstream config_file(dir + "/config/postured.toml");
    std::stringstream config_text;
    config_text << config_file.rdbuf();
    ConfigParser parser;
    parser.add_catalog(builtin_catalog, "catalog");
    parser.add_config(config_text.str(), dir + "/config/postured.toml");
    auto config = parser.finish();
    for (auto& d : parser.diagnostics())
        std::fprintf(stderr, "%s\n", d.to_string().c_str());
    if (!config) return 2;
    auto week = read_week(dir + "/bench/fidelity_week.txt");

    auto started = steady_clock::now();
    auto shown = Replay(*config, week).run();
    auto took = duration_cast<milliseconds>(steady_clock::now() - started);

    // The ground truth, second by second: at the desk or not, in working hours or not, and how
    // long the absence around each second lasts.
    auto total = duration_cast<seconds>(week.end).count();
    std::vector<char> desk(total), in_hours(total);
    std::vector<long> absence(total, 0);
    seconds shift{};
    std::size_t change = 0;
    for (auto& span : week.spans) {
        for (auto s = duration_cast<seconds>(span.from).count();
             s < duration_cast<seconds>(span.to).count(); ++s) {
            while (change < week.clock_changes.size() &&
                   week.clock_changes[change].first <= seconds{s})
                shift += week.clock_changes[change++].second;
            desk[s] = at_desk(span.doing);
            in_hours[s] = config->schedule.hours.includes(week.start + seconds{s} + shift);
        }
    }
    for (long s = 0; s < total;) {
        auto end = s;
        while (end < total && !desk[end])
            ++end;
        std::fill(absence.begin() + s, absence.begin() + end, end - s);
        s = std::max(end, s + 1);
    }

    std::vector<double> sitting;
    int after_return = 0, in_pause = 0, with_reset = 0;
    auto bursts = input_bursts(week);
    long from = 0;  // where the sitting counted for the next break starts
    std::map<LocalTime, std::vector<const Stretch*>> by_day;
    for (auto& b : shown) {
        auto at = duration_cast<seconds>(b.at).count();
        long sat = 0;
        for (auto s = from; s < at; ++s) {
            if (absence[s] >= config->schedule.natural_break.count())
                sat = 0;
            else if (desk[s] && in_hours[s])
                ++sat;
        }
        sitting.push_back(sat / 60.0);
        from = duration_cast<seconds>(b.answered.value_or(b.at)).count();

        auto grace = config->schedule.return_grace.count();
        for (auto s = std::max(at - grace, 1L); s <= at; ++s)
            if (desk[s] && !desk[s - 1]) ++after_return;
        bool typing = std::any_of(bursts.begin(), bursts.end(), [&](auto& burst) {
            return burst.first <= b.at && b.at < burst.second;
        });
        in_pause += !typing;
        with_reset += b.stretch.id == posture_reset_id ||
                      break_body(b.stretch).find(posture_reset_line) != std::string::npos;
        // Days are told apart by the wall clock, as the rotation does.
        shift = {};
        for (auto& [when, by] : week.clock_changes)
            if (when <= b.at) shift += by;
        auto local = week.start + seconds{at} + shift;
        by_day[floor<days>(local)].push_back(&b.stretch);
        if (list)
            std::printf("%s  %-34s sat %4.1f min%s\n", when(local).c_str(), b.stretch.name.c_str(),
                        sitting.back(), typing ? ", while typing" : "");
    }

    MuscleSet offered = 0;
    for (auto& s : config->offered)
        offered |= s.muscles;
    auto groups = muscle_list(offered).size();
    int full_days = 0, covered_days = 0, short_days = 0;
    for (auto& [day, stretches] : by_day) {
        if (stretches.size() < groups) {
            ++short_days;
            continue;
        }
        ++full_days;
        MuscleSet served = 0;
        for (auto* s : stretches)
            served |= s->muscles;
        covered_days += served == offered;
    }

    auto n = double(shown.size());
    std::printf("the week:                        %s to %s, %zu steps\n", when(week.start).c_str(),
                when(week.start + floor<seconds>(week.end) + shift).c_str(), week.spans.size());
    std::printf("breaks shown:                    %zu\n", shown.size());
    std::printf(
        "sitting minutes between breaks:  median %.1f, p90 %.1f, max %.1f "
        "(target: median 60 ± 3, p90 ≤ 70)\n",
        percentile(sitting, 0.5), percentile(sitting, 0.9),
        sitting.empty() ? 0 : *std::max_element(sitting.begin(), sitting.end()));
    std::printf("breaks within return_grace of a return: %d (target 0)\n", after_return);
    std::printf("breaks shown in a pause in typing: %.1f%% (target ≥ 95%%)\n",
                n ? 100 * in_pause / n : 0);
    std::printf(
        "days that covered all %zu muscle groups: %d of %d with at least %zu breaks "
        "(target: all); %d days had fewer\n",
        groups, covered_days, full_days, groups, short_days);
    std::printf("breaks with the posture reset:   %d of %zu (target: all)\n", with_reset,
                shown.size());
    std::printf("replayed in:                     %lld ms\n", static_cast<long long>(took.count()));

    auto median = percentile(sitting, 0.5);
    bool met = !shown.empty() && std::abs(median - 60) <= 3 && percentile(sitting, 0.9) <= 70 &&
               after_return == 0 && in_pause >= 0.95 * n && covered_days == full_days &&
               full_days > 0 && with_reset == int(shown.size());
    if (!met) std::printf("a target is missed\n");
    return met ? 0 : 1;
}
