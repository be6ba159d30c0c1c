#include <algorithm>
#include <catch2/catch.hpp>

#include "core/stats.hpp"

using namespace postured;
using namespace std::chrono;
using namespace std::chrono_literals;

namespace {

const local_days monday = local_days{2026y / November / 23};

// `n` breaks of one outcome on a day, the days kept in order as the store gives them.
void add(std::vector<DayStats>& history, local_days day, Outcome outcome, int n) {
    auto at = std::find_if(history.begin(), history.end(), [&](auto& d) { return d.day >= day; });
    if (at == history.end() || at->day != day) at = history.insert(at, DayStats{day});
    at->count(outcome, n);
}

}  // namespace

TEST_CASE("stats count each day's outcomes and the share done", "[stats]") {
    std::vector<DayStats> history;
    add(history, monday, Outcome::done, 4);
    add(history, monday, Outcome::skipped, 1);
    add(history, monday, Outcome::snoozed, 2);  // a snooze is not an end
    add(history, monday, Outcome::natural, 3);
    add(history, monday - days{1}, Outcome::natural, 1);  // Sunday: no break offered
    add(history, monday - days{7}, Outcome::done, 5);     // before the week

    auto stats = compute_stats(history, monday, 7);
    REQUIRE(stats.days.size() == 7);
    CHECK(stats.days.front().day == monday - days{6});
    auto& today = stats.days.back();
    CHECK(today.day == monday);
    CHECK((today.done == 4 && today.skipped == 1 && today.snoozed == 2 && today.natural == 3));
    CHECK(today.offered() == 5);
    CHECK(today.adherence() == 80);
    CHECK_FALSE(stats.days[5].adherence());
    CHECK(stats.days[5].natural == 1);
    CHECK(stats.adherence == 80);
    CHECK(iso_date(monday) == "2026-11-23");
}

TEST_CASE("the streak runs back over days that met the goal, past days without breaks", "[stats]") {
    std::vector<DayStats> history;
    add(history, monday - days{9}, Outcome::done, 1);    // the streak's start is before here...
    add(history, monday - days{8}, Outcome::missed, 3);  // ...a day under the goal ends it
    add(history, monday - days{7}, Outcome::done, 5);
    add(history, monday - days{4}, Outcome::done, 4);
    add(history, monday - days{4}, Outcome::skipped, 1);  // 80%: met
    // Saturday and Sunday: nothing
    add(history, monday, Outcome::done, 1);
    add(history, monday, Outcome::missed,
        1);  // today, under the goal so far: not counted, not breaking
    CHECK(compute_stats(history, monday, 7).streak == 2);

    add(history, monday, Outcome::done, 3);  // 4 of 5 now
    CHECK(compute_stats(history, monday, 7).streak == 3);
    CHECK(compute_stats({}, monday, 7).streak == 0);
    CHECK_FALSE(compute_stats({}, monday, 7).adherence);
}
