#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/scheduler.hpp"

namespace postured {

struct DayStats {
    std::chrono::local_days day;
    int done = 0, skipped = 0, missed = 0, dismissed = 0, snoozed = 0, natural = 0;

    void count(Outcome outcome, int n = 1);

    // Breaks that ended one way or another (a snooze is not an end).
    int offered() const { return done + skipped + missed + dismissed; }
    std::optional<int> adherence() const;  // percent of offered breaks done
};

struct MostDone {
    std::string id;
    std::string name;
    int done = 0;
};

struct Stats {
    static constexpr int goal_percent =
        80;  // a day meets the goal when this share of its breaks is done

    std::vector<DayStats> days;  // oldest first, `days` of them up to today
    std::optional<int> adherence;
    int streak =
        0;  // days in a row, up to today, that met the goal; days without breaks are passed over
    std::vector<MostDone> most_done;  // most done first, at most 3
};

// "2026-11-23"
std::string iso_date(std::chrono::local_days day);
std::optional<std::chrono::local_days> parse_iso_date(std::string_view text);

// `counted` holds the days that had breaks, oldest first; it may reach further back than `days`,
// and the streak looks at all of it. The stretches done most are left to the caller.
Stats compute_stats(const std::vector<DayStats>& counted, std::chrono::local_days today, int days);

}  // namespace postured
