#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/names.hpp"
#include "core/pose.hpp"

namespace toml {
inline namespace v3 {
class table;
}
}  // namespace toml

namespace postured {

enum class Position { seated, standing, floor };

// The muscle groups the articles name for a stiff mid and upper back, as a bit set.
enum class Muscle : std::uint8_t {
    rhomboids = 1 << 0,
    trapezius = 1 << 1,
    lats = 1 << 2,
    levator_scapulae = 1 << 3,
    thoracic_spine = 1 << 4,
    chest = 1 << 5,
};
using MuscleSet = std::uint8_t;

inline constexpr auto position_names = enum_names<Position::floor>({"seated", "standing", "floor"});
inline std::string_view to_string(Position position) {
    return position_names(position);
}
std::string_view to_string(Muscle muscle);
std::vector<std::string> muscle_list(MuscleSet muscles);

// How many letters a UTF-8 text has, not bytes.
std::size_t characters(std::string_view utf8);

struct Stretch {
    std::string id;
    std::string name;
    Position position = Position::seated;
    MuscleSet muscles = 0;
    std::vector<std::string> steps;
    std::chrono::seconds hold{0};
    int reps = 1;
    std::string dose;  // the article's own words for the dose, where hold and reps cannot say it
    bool each_side = false;
    std::chrono::seconds duration{0};
    std::string source;
    // The catalog's words reach people through its translations; a user's own stay as written.
    bool from_catalog = false;
    // Drawn as its picture; shared, as stretches are copied into every break.
    std::shared_ptr<const Pose> pose;
    std::string picture;  // the picture's file: the user's own, or found for the pose
    Where where;
    Where picture_where;  // where the user named their own picture
};

// Reads one `[[stretch]]` table, checking every field; returns false (with diagnostics) if it
// is not usable. Catalog entries and a user's own stretches go through this same check.
bool parse_stretch(const toml::table& table, const std::string& path, Stretch& out,
                   Diagnostics& diagnostics);

// The catalog compiled into the binary, from config/stretches.toml.
extern const std::string_view builtin_catalog;

}  // namespace postured
