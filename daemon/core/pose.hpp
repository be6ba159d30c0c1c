#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"

namespace toml {
inline namespace v3 {
class table;
}
}  // namespace toml

namespace postured {

// A direction or a point around the hips, in the figure's own terms: x to its right, y up, z the
// way it faces when it stands.
struct Vec3 {
    double x = 0, y = 0, z = 0;
};

// What a stretch's picture shows: where the camera stands, the figure's end position as the
// directions of its segments, what it uses (a chair, a door frame, a wall) and the movement as
// arrows. Each limb is two directions: upper arm and forearm, thigh and shin.
struct Pose {
    enum class Stance { seated, standing, kneeling, all_fours, cross_legged };
    enum class Chair { none, sit_back, sit_forward };
    using Limb = std::array<Vec3, 2>;
    struct Arrow {
        std::vector<Vec3> path;  // two points, or three for a curve through the middle one
        bool both_ends = false;
    };

    double yaw = 0;     // where the camera stands: 0 in front, 90 at the figure's right, 180 behind
    double pitch = 10;  // how far above the figure it looks from
    Stance stance = Stance::seated;
    Chair chair = Chair::sit_back;
    Vec3 spine{0, 1, 0};  // hips to neck
    double bend = 0;      // > 0 rounds the back, < 0 arches it
    double twist = 0;     // degrees the shoulders turn about the spine; > 0 to the figure's right
    std::optional<Vec3> shoulders;  // left to right, across the spine; lying figures need it
    std::optional<Vec3> head;       // neck to crown; along the spine unless given
    std::optional<Vec3> face;       // where the face looks; ahead of the chest unless given
    Limb right_arm, left_arm, right_leg, left_leg;
    std::vector<std::array<double, 2>> posts;  // door jambs standing at (x, z)
    std::optional<double> wall;                // a wall across at this z
    std::vector<Arrow> arrows;
};

// A pose with the stance's arms and legs: hands on the thighs when seated, hanging when standing.
Pose stance_pose(Pose::Stance stance);

// Reads a stretch's `pose` table, checking every field; false (with diagnostics) when unusable.
bool parse_pose(const toml::table& table, const std::string& path, Pose& out,
                Diagnostics& diagnostics);

// The picture as an SVG document: a rounded tile that reads at 48 px and on light and dark themes.
std::string pose_svg(const Pose& pose);

}  // namespace postured
