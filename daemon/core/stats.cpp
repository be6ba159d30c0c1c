#include "core/stats.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

namespace postured {

using std::chrono::days;
using std::chrono::floor;
using std::chrono::local_days;

std::string iso_date(local_days day) {
    std::chrono::year_month_day ymd{day};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
                  unsigned(ymd.day()));
    return text;
}

std::optional<int> DayStats::adherence() const {
    if (offered() == 0) return std::nullopt;
    return done * 100 / offered();
}

void DayStats::count(Outcome outcome, int n) {
    switch (outcome) {
        case Outcome::done:
            done += n;
            break;
        case Outcome::skipped:
            skipped += n;
            break;
        case Outcome::missed:
            missed += n;
            break;
        case Outcome::dismissed:
            dismissed += n;
            break;
        case Outcome::snoozed:
            snoozed += n;
            break;
        case Outcome::natural:
            natural += n;
            break;
    }
}

Stats compute_stats(const std::vector<DayStats>& counted, local_days today, int span) {
    std::map<local_days, DayStats> by_day;
    for (auto& d : counted)
        by_day[d.day] = d;

    Stats stats;
    auto first = today - days{span - 1};
    int done = 0, offered = 0;
    for (auto day = first; day <= today; day += days{1}) {
        auto it = by_day.find(day);
        stats.days.push_back(it != by_day.end() ? it->second : DayStats{day});
        done += stats.days.back().done;
        offered += stats.days.back().offered();
    }
    if (offered > 0) stats.adherence = done * 100 / offered;

    // Today counts once it meets the goal; until then the streak stands on the days before.
    for (auto it = by_day.rbegin(); it != by_day.rend(); ++it) {
        if (it->first > today) continue;
        auto adherence = it->second.adherence();
        if (!adherence) continue;
        if (*adherence >= Stats::goal_percent)
            ++stats.streak;
        else if (it->first != today)
            break;
    }
    return stats;
}

}  // namespace postured
