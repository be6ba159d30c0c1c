// Drives the real scheduler through 365 simulated days, one presence sample per second (as a
// polling idle source would send), and prints the CPU time and peak memory it took.
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <random>

#include "core/config_parser.hpp"
#include "core/scheduler.hpp"

using namespace postured;
using namespace std::chrono;

namespace {

struct Span {
    seconds from, to;
};

// One person's day: when they are away from the keyboard, as seconds of the day.
std::vector<Span> absences(std::mt19937& random, bool workday) {
    auto minute = [&](int lo, int hi) {
        return seconds{std::uniform_int_distribution<int>(lo, hi)(random) * 60};
    };
    if (!workday) return {{0s, minute(600, 660)}, {minute(700, 720), 24h}};
    std::vector<Span> out{{0s, minute(500, 555)}};  // arrives between 08:20 and 09:15
    for (int i = 0; i < 6; ++i) {                   // short pauses: reading, a coffee
        auto start = minute(560, 1040);
        out.push_back({start, start + minute(1, 4)});
    }
    auto lunch = minute(720, 780);
    out.push_back({lunch, lunch + minute(30, 60)});
    if (random() % 2) {
        auto meeting = minute(840, 960);
        out.push_back({meeting, meeting + minute(30, 60)});
    }
    out.push_back({minute(1050, 1110), 24h});  // leaves between 17:30 and 18:30
    return out;
}

double cpu_seconds(const rusage& u) {
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main() {
    ConfigParser parser;
    parser.add_catalog(builtin_catalog, "catalog");
    auto config = parser.finish();
    if (!config) return 1;

    rusage before{};
    getrusage(RUSAGE_SELF, &before);

    const LocalTime start = local_days{2026y / January / 5};
    Scheduler scheduler(*config, Now{MonoTime{}, start}, 1);
    std::mt19937 random(2026);
    long events = 0, breaks = 0, answers = 0;
    seconds answer_at{-1};
    std::vector<bool> away(24 * 3600);
    for (int day = 0; day < 365; ++day) {
        auto day_start = start + days{day};
        bool workday = weekday(floor<days>(day_start)).iso_encoding() <= 5;
        std::fill(away.begin(), away.end(), false);
        for (auto& span : absences(random, workday))
            std::fill(away.begin() + span.from.count(), away.begin() + span.to.count(), true);
        for (seconds t{0}; t < 24h; ++t) {
            Now now{MonoTime{duration_cast<milliseconds>(days{day} + t)}, day_start + t};
            Event event =
                event::PresenceChanged{away[t.count()] ? Presence::idle : Presence::active};
            if (answer_at == t) {
                event = event::Done{};
                answer_at = -1s;
                ++answers;
            }
            auto out = scheduler.handle(now, event);
            ++events;
            for (auto& action : out.actions) {
                if (auto* show = std::get_if<ShowBreak>(&action); show && show->resend == 0) {
                    ++breaks;
                    answer_at = t + 60s;
                }
            }
        }
    }

    rusage after{};
    getrusage(RUSAGE_SELF, &after);
    std::printf("simulated days:   365\n");
    std::printf("events handled:   %ld (one a second)\n", events);
    std::printf("breaks shown:     %ld (%ld answered done)\n", breaks, answers);
    std::printf("cpu time:         %.3f s (target < 1 s)\n",
                cpu_seconds(after) - cpu_seconds(before));
    std::printf("peak RSS:         %.1f MiB (target < 10 MiB)\n", after.ru_maxrss / 1024.0);
    return 0;
}
