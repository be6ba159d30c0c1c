#include "core/config.hpp"

#include <algorithm>

namespace postured {

bool WorkingHours::includes(std::chrono::local_seconds local) const {
    if (always) return true;
    auto day = std::chrono::floor<std::chrono::days>(local);
    if (!days[std::chrono::weekday(day).c_encoding()]) return false;
    auto time_of_day = local - day;
    return time_of_day >= start && time_of_day < end;
}

const Stretch* Config::find_stretch(std::string_view id) const {
    auto it = std::find_if(catalog.begin(), catalog.end(), [&](auto& s) { return s.id == id; });
    return it == catalog.end() ? nullptr : &*it;
}

bool Config::is_favorite(std::string_view id) const {
    auto& f = stretches.favorites;
    return std::find(f.begin(), f.end(), id) != f.end();
}

}  // namespace postured
