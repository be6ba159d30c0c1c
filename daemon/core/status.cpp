#include "core/status.hpp"

#include <array>

namespace postured {

namespace {

constexpr std::array<std::string_view, 4> presence_names{"active", "idle", "locked", "asleep"};
constexpr std::array<std::string_view, 7> state_names{"off-hours", "working", "away", "due",
                                                      "snoozed",   "paused",  "held"};

template <typename Enum, std::size_t N>
std::optional<Enum> named(const std::array<std::string_view, N>& names, std::string_view name) {
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == name) return static_cast<Enum>(i);
    return std::nullopt;
}

}  // namespace

std::string_view to_string(Presence presence) {
    return presence_names[static_cast<std::size_t>(presence)];
}

std::string_view to_string(State state) {
    return state_names[static_cast<std::size_t>(state)];
}

std::optional<Presence> presence_named(std::string_view name) {
    return named<Presence>(presence_names, name);
}

std::optional<State> state_named(std::string_view name) {
    return named<State>(state_names, name);
}

}  // namespace postured
