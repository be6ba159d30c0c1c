#include "core/stats.hpp"

#include <algorithm>
#include <cstdio>

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

std::optional<local_days> parse_iso_date(std::string_view text) {
    int y = 0;
    unsigned m = 0, d = 0;
    char end = 0;
    if (std::sscanf(std::string(text).c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &end) != 3)
        return std::nullopt;
    std::chrono::year_month_day date{std::chrono::year{y}, std::chrono::month{m},
                                     std::chrono::day{d}};
    if (!date.ok()) return std::nullopt;
    return local_days{date};
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
    Stats stats;
    auto first = today - days{span - 1};
    auto next = std::lower_bound(counted.begin(), counted.end(), first,
                                 [](const DayStats& d, local_days day) { return d.day < day; });
    int done = 0, offered = 0;
    for (auto day = first; day <= today; day += days{1}) {
        bool had_breaks = next != counted.end() && next->day == day;
        stats.days.push_back(had_breaks ? *next++ : DayStats{day});
        done += stats.days.back().done;
        offered += stats.days.back().offered();
    }
    if (offered > 0) stats.adherence = done * 100 / offered;

    // Today counts once it meets the goal; until then the streak stands on the days before.
    for (auto it = counted.rbegin(); it != counted.rend(); ++it) {
        if (it->day > today) continue;
        auto adherence = it->adherence();
        if (!adherence) continue;
        if (*adherence >= Stats::goal_percent)
            ++stats.streak;
        else if (it->day != today)
            break;
    }
    return stats;
}

}  // namespace postured
