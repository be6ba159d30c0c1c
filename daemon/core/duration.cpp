#include "core/duration.hpp"

#include "core/language.hpp"

#include <cctype>

namespace postured {

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
    constexpr std::string_view units = "hms";
    constexpr std::int64_t unit_seconds[] = {3600, 60, 1};
    constexpr std::int64_t max_seconds = longest_duration.count();
    std::int64_t total = 0;
    std::size_t next_unit = 0;
    std::size_t i = 0;
    bool any = false;
    while (i < text.size()) {
        if (text[i] == ' ' && any) {
            ++i;
            continue;
        }
        std::int64_t number = 0;
        std::size_t digits = 0;
        for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]));
             ++i, ++digits) {
            number = number * 10 + (text[i] - '0');
            if (number > max_seconds) return std::nullopt;
        }
        if (digits == 0 || i == text.size()) return std::nullopt;
        auto unit = units.find(text[i], next_unit);
        if (unit == std::string_view::npos) return std::nullopt;
        total += number * unit_seconds[unit];
        if (total > max_seconds) return std::nullopt;
        next_unit = unit + 1;
        ++i;
        any = true;
    }
    if (!any) return std::nullopt;
    return std::chrono::seconds{total};
}

std::string format_duration(std::chrono::seconds d) {
    auto s = d.count();
    if (s <= 0) return "0s";
    std::string out;
    if (s >= 3600) out += std::to_string(s / 3600) + "h";
    if (s % 3600 >= 60) out += std::to_string(s % 3600 / 60) + "m";
    if (s % 60 != 0) out += std::to_string(s % 60) + "s";
    return out;
}

std::string duration_text(std::chrono::seconds d) {
    auto s = d.count();
    if (s <= 0) return formatted(_("%ds"), 0);
    int h = static_cast<int>(s / 3600), m = static_cast<int>(s % 3600 / 60),
        sec = static_cast<int>(s % 60);
    // TRANSLATORS: h, m and s abbreviate hours, minutes and seconds, as in "1h30m".
    if (h && m && sec) return formatted(_("%dh%dm%ds"), h, m, sec);
    if (h && m) return formatted(_("%dh%dm"), h, m);
    if (h && sec) return formatted(_("%dh%ds"), h, sec);
    if (h) return formatted(_("%dh"), h);
    if (m && sec) return formatted(_("%dm%ds"), m, sec);
    if (m) return formatted(_("%dm"), m);
    return formatted(_("%ds"), sec);
}

}  // namespace postured
