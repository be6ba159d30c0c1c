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

Stats compute_stats(const std::vector<HistoryEntry>& history, local_days today, int span) {
    std::map<local_days, DayStats> by_day;
    for (auto& entry : history) {
        auto day = floor<days>(entry.at);
        auto& d = by_day[day];
        d.day = day;
        switch (entry.outcome) {
            case Outcome::done:
                ++d.done;
                break;
            case Outcome::skipped:
                ++d.skipped;
                break;
            case Outcome::missed:
                ++d.missed;
                break;
            case Outcome::dismissed:
                ++d.dismissed;
                break;
            case Outcome::snoozed:
                ++d.snoozed;
                break;
            case Outcome::natural:
                ++d.natural;
                break;
        }
    }

    Stats stats;
    auto first = today - days{span - 1};
    int done = 0, offered = 0;
    std::map<std::string, int> done_by_stretch;
    for (auto day = first; day <= today; day += days{1}) {
        auto it = by_day.find(day);
        stats.days.push_back(it != by_day.end() ? it->second : DayStats{day});
        done += stats.days.back().done;
        offered += stats.days.back().offered();
    }
    if (offered > 0) stats.adherence = done * 100 / offered;
    for (auto& entry : history)
        if (entry.outcome == Outcome::done && floor<days>(entry.at) >= first &&
            !entry.stretch.empty())
            ++done_by_stretch[entry.stretch];
    stats.most_done.assign(done_by_stretch.begin(), done_by_stretch.end());
    std::stable_sort(stats.most_done.begin(), stats.most_done.end(),
                     [](auto& a, auto& b) { return a.second > b.second; });
    if (stats.most_done.size() > 3) stats.most_done.resize(3);

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
