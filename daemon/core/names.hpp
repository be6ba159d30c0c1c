#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace postured {

// An enum's names, written once in the enum's order, and read both ways. `last` is the enum's
// last value, so that a name missing or one too many does not compile.
template <typename Enum, auto last, std::size_t N>
struct EnumNames {
    static_assert(static_cast<std::size_t>(last) + 1 == N, "one name for each value");
    std::array<std::string_view, N> names;

    constexpr std::string_view operator()(Enum value) const {
        return names[static_cast<std::size_t>(value)];
    }
    constexpr std::optional<Enum> parse(std::string_view name) const {
        for (std::size_t i = 0; i < N; ++i)
            if (names[i] == name) return static_cast<Enum>(i);
        return std::nullopt;
    }
};

template <auto last, std::size_t N>
constexpr auto enum_names(const std::string_view (&names)[N]) {
    using Enum = decltype(last);
    EnumNames<Enum, last, N> table{};
    for (std::size_t i = 0; i < N; ++i)
        table.names[i] = names[i];
    return table;
}

}  // namespace postured
