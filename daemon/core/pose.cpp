#include "core/pose.hpp"

#include <toml++/toml.h>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <numbers>

#include "core/language.hpp"
#include "core/names.hpp"

namespace postured {

namespace {

Vec3 operator+(Vec3 a, Vec3 b) {
    return {a.x + b.x, a.y + b.y, a.z + b.z};
}
Vec3 operator-(Vec3 a, Vec3 b) {
    return {a.x - b.x, a.y - b.y, a.z - b.z};
}
Vec3 operator*(double k, Vec3 a) {
    return {k * a.x, k * a.y, k * a.z};
}
double dot(Vec3 a, Vec3 b) {
    return a.x * b.x + a.y * b.y + a.z * b.z;
}
Vec3 cross(Vec3 a, Vec3 b) {
    return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}
Vec3 unit(Vec3 a) {
    double length = std::sqrt(dot(a, a));
    return length > 0 ? (1 / length) * a : a;
}
double radians(double degrees) {
    return degrees * std::numbers::pi / 180;
}
// Turns v about the unit axis by `degrees`, so that with the spine upright a positive angle turns
// the chest toward the figure's right.
Vec3 rotate(Vec3 v, Vec3 axis, double degrees) {
    double c = std::cos(radians(degrees)), s = std::sin(radians(degrees));
    return c * v + s * cross(axis, v) + ((1 - c) * dot(axis, v)) * axis;
}

// The figure's proportions, in the picture's units (the tile is 100 across).
constexpr double spine_length = 25, neck_length = 3, head_radius = 6.5;
constexpr double shoulder_half_width = 8, hip_half_width = 5;
constexpr double upper_arm = 13.5, forearm = 12.5, thigh = 18, shin = 18, foot = 5;
constexpr double limb_width = 6.5, torso_width = 11, gap = 3;

// The style, in one place: a teal tile, a white figure, its far side muted, an amber movement.
constexpr const char* tile = "#2e7d6b";
constexpr const char* near_side = "#ffffff";
constexpr const char* far_side = "#a8d4c8";
constexpr const char* furniture = "#0f3d32";
constexpr const char* ground_colour = "#286f5e";
constexpr const char* arrow_colour = "#ffc53d";

struct Point {
    double x, y, depth;
};

class Camera {
  public:
    Camera(double yaw, double pitch)
        : cy_(std::cos(radians(yaw))),
          sy_(std::sin(radians(yaw))),
          cp_(std::cos(radians(pitch))),
          sp_(std::sin(radians(pitch))) {}
    Point operator()(Vec3 p) const {
        double across = -p.x * cy_ + p.z * sy_;
        double toward = p.x * sy_ + p.z * cy_;
        return {across, -(p.y * cp_ - toward * sp_), toward * cp_ + p.y * sp_};
    }

  private:
    double cy_, sy_, cp_, sp_;
};

std::string number(double value) {
    char buffer[32];
    auto end = std::to_chars(buffer, buffer + sizeof buffer, std::round(value * 10) / 10,
                             std::chars_format::fixed, 1)
                   .ptr;
    std::string text(buffer, end);
    if (text.ends_with(".0")) text.resize(text.size() - 2);
    return text == "-0" ? "0" : text;
}

// One thing to paint, at its depth: the far ones are painted first.
struct Shape {
    double depth;
    std::string svg;
};

class Painter {
  public:
    explicit Painter(const Camera& camera) : camera_(camera) {}

    Point at(Vec3 p) const { return camera_(p); }

    // A stroke through the points (closed and filled for a polygon), with a rim of the tile's
    // colour that keeps crossing limbs apart. Strokes painted as one shape share their rim.
    struct Stroke {
        std::vector<Vec3> points;
        const char* colour;
        double width;
        bool closed = false;
    };
    void paint(const std::vector<Stroke>& strokes, bool rim, std::optional<double> depth = {},
               bool fit = true) {
        std::string rims, fills;
        double sum = 0;
        std::size_t count = 0;
        for (auto& stroke : strokes) {
            std::string d;
            for (auto& p : stroke.points) {
                auto q = at(p);
                d += (d.empty() ? "M" : "L") + number(q.x) + " " + number(q.y);
                sum += q.depth;
                ++count;
                if (fit) extend(q, stroke.width / 2);
            }
            if (stroke.closed) d += "Z";
            auto fill = stroke.closed ? stroke.colour : "none";
            if (rim) rims += path(d, tile, stroke.width + gap, fill);
            fills += path(d, stroke.colour, stroke.width, fill);
        }
        shapes_.push_back({depth.value_or(sum / count), rims + fills});
    }
    void line(const std::vector<Vec3>& points, const char* colour, double width, bool rim = true,
              std::optional<double> depth = {}, bool fit = true) {
        paint({{points, colour, width}}, rim, depth, fit);
    }
    void polygon(const std::vector<Vec3>& points, const char* colour, double width, bool rim,
                 std::optional<double> depth = {}, bool fit = true) {
        paint({{points, colour, width, true}}, rim, depth, fit);
    }

    void raw(double depth, std::string svg) { shapes_.push_back({depth, std::move(svg)}); }
    void extend(Point q, double margin) {
        min_x_ = std::min(min_x_, q.x - margin);
        max_x_ = std::max(max_x_, q.x + margin);
        min_y_ = std::min(min_y_, q.y - margin);
        max_y_ = std::max(max_y_, q.y + margin);
    }

    // The document: everything scaled to sit in the middle of the tile, clipped to its corners.
    std::string svg(const std::vector<std::string>& on_top) {
        std::stable_sort(shapes_.begin(), shapes_.end(),
                         [](auto& a, auto& b) { return a.depth < b.depth; });
        double width = max_x_ - min_x_, height = max_y_ - min_y_;
        double scale = std::min({1.15, 84 / width, 84 / height});
        double dx = 50 - scale * (min_x_ + max_x_) / 2, dy = 50 - scale * (min_y_ + max_y_) / 2;
        std::string out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"128\" height=\"128\" "
            "viewBox=\"0 0 100 100\">\n"
            "<clipPath id=\"tile\"><rect width=\"100\" height=\"100\" rx=\"18\"/></clipPath>\n"
            "<rect width=\"100\" height=\"100\" rx=\"18\" fill=\"";
        out += tile;
        out += "\"/>\n<g clip-path=\"url(#tile)\">\n<g transform=\"translate(" + number(dx) + " " +
               number(dy) + ") scale(" + std::to_string(scale).substr(0, 5) +
               ")\" stroke-linecap=\"round\" stroke-linejoin=\"round\">\n";
        for (auto& shape : shapes_)
            out += shape.svg;
        for (auto& svg : on_top)
            out += svg;
        out += "</g>\n</g>\n</svg>\n";
        return out;
    }

    static std::string path(const std::string& d, const char* stroke, double width,
                            const char* fill) {
        return "<path d=\"" + d + "\" stroke=\"" + stroke + "\" stroke-width=\"" + number(width) +
               "\" fill=\"" + fill + "\"/>\n";
    }

  private:
    const Camera& camera_;
    std::vector<Shape> shapes_;
    double min_x_ = 1e9, max_x_ = -1e9, min_y_ = 1e9, max_y_ = -1e9;
};

// An arrow along a quadratic curve through its middle point, its head drawn on the end.
std::string arrow_svg(Painter& painter, const Pose::Arrow& arrow) {
    auto start = painter.at(arrow.path.front()), end = painter.at(arrow.path.back());
    Point control{(start.x + end.x) / 2, (start.y + end.y) / 2, 0};
    if (arrow.path.size() == 3) {
        auto middle = painter.at(arrow.path[1]);
        control = {2 * middle.x - (start.x + end.x) / 2, 2 * middle.y - (start.y + end.y) / 2, 0};
    }
    painter.extend(start, 9);
    painter.extend(end, 9);
    if (arrow.path.size() == 3) painter.extend(painter.at(arrow.path[1]), 6);
    constexpr double head_length = 9, head_half_width = 6.5;
    // Each end stops short under its head, so the round cap does not show past the point.
    auto tip = [&](Point point, Point from, bool head, std::string& heads) {
        double ux = point.x - from.x, uy = point.y - from.y;
        double length = std::hypot(ux, uy);
        if (length == 0) return point;
        ux /= length, uy /= length;
        if (!head) return point;
        Point base{point.x - head_length * ux, point.y - head_length * uy, 0};
        heads += "M" + number(point.x) + " " + number(point.y) + "L" +
                 number(base.x - head_half_width * uy) + " " +
                 number(base.y + head_half_width * ux) + "L" +
                 number(base.x + head_half_width * uy) + " " +
                 number(base.y - head_half_width * ux) + "Z";
        return Point{point.x - 6 * ux, point.y - 6 * uy, 0};
    };
    std::string heads;
    auto a = tip(start, control, arrow.both_ends, heads);
    auto b = tip(end, control, true, heads);
    std::string d = "M" + number(a.x) + " " + number(a.y) + "Q" + number(control.x) + " " +
                    number(control.y) + " " + number(b.x) + " " + number(b.y);
    return Painter::path(d, furniture, 9, "none") +
           Painter::path(heads, furniture, 3.5, furniture) +
           Painter::path(d, arrow_colour, 5.5, "none") +
           Painter::path(heads, arrow_colour, 1, arrow_colour);
}

struct Figure {
    Vec3 pelvis, neck, crown_direction, head_centre, face;
    Vec3 shoulder[2], hip[2];  // [0] right, [1] left
    Vec3 elbow[2], hand[2], knee[2], ankle[2], toe[2];
    Vec3 back;                // the way the back faces
    std::vector<Vec3> spine;  // hips to neck, curved by the bend
};

Figure place(const Pose& pose) {
    Figure f;
    Vec3 along = unit(pose.spine);
    Vec3 right = pose.shoulders.value_or(Vec3{1, 0, 0});
    Vec3 across = unit(right - dot(right, along) * along);
    Vec3 shoulders = rotate(across, along, pose.twist);
    f.back = unit(cross(along, shoulders));
    f.neck = spine_length * along;
    for (int i = 0; i <= 8; ++i) {
        double t = i / 8.0;
        double bulge = 4 * t * (1 - t) * pose.bend;
        f.spine.push_back(t * f.neck + bulge * f.back);
    }
    f.crown_direction = unit(pose.head.value_or(along));
    f.head_centre = f.neck + (neck_length + head_radius) * f.crown_direction;
    f.face = unit(pose.face.value_or(-1 * f.back));
    const Pose::Limb* arms[2] = {&pose.right_arm, &pose.left_arm};
    const Pose::Limb* legs[2] = {&pose.right_leg, &pose.left_leg};
    for (int side = 0; side < 2; ++side) {
        double sign = side == 0 ? 1 : -1;
        f.shoulder[side] = f.neck - 1.5 * along + (sign * shoulder_half_width) * shoulders;
        f.hip[side] = (sign * hip_half_width) * across;
        f.elbow[side] = f.shoulder[side] + upper_arm * unit((*arms[side])[0]);
        f.hand[side] = f.elbow[side] + forearm * unit((*arms[side])[1]);
        Vec3 shin_direction = unit((*legs[side])[1]);
        f.knee[side] = f.hip[side] + thigh * unit((*legs[side])[0]);
        f.ankle[side] = f.knee[side] + shin * shin_direction;
        // Feet point ahead under a shin that stands, and carry its line when it lies down.
        Vec3 ahead = std::abs(shin_direction.y) > 0.7 ? Vec3{0, 0, 1} : shin_direction;
        f.toe[side] = f.ankle[side] + foot * ahead;
    }
    return f;
}

void draw_chair(Painter& painter, const Pose& pose, double ground) {
    if (pose.stance != Pose::Stance::seated || pose.chair == Pose::Chair::none) return;
    double back = pose.chair == Pose::Chair::sit_back ? -6 : -20;
    double seat = -limb_width / 2 - 1, front = back + 22, width = 11;
    painter.polygon(
        {{-width, seat, back}, {width, seat, back}, {width, seat, front}, {-width, seat, front}},
        furniture, 2.5, false, -1e3);
    painter.polygon({{-width + 1, 3, back - 2},
                     {width - 1, 3, back - 2},
                     {width - 1, 24, back - 2},
                     {-width + 1, 24, back - 2}},
                    furniture, 3, false, painter.at({0, 12, back - 2}).depth - 4);
    double middle = (back + front) / 2;
    painter.line({{0, seat, back}, {0, 3, back - 2}}, furniture, 3, false, -1e3);
    painter.line({{0, seat, middle}, {0, ground + 2, middle}}, furniture, 3.5, false, -1e3);
    for (double degrees : {18.0, 90.0, 162.0, 234.0, 306.0}) {
        Vec3 end{9 * std::cos(radians(degrees)), ground + 1,
                 middle + 9 * std::sin(radians(degrees))};
        painter.line({{0, ground + 2, middle}, end}, furniture, 3, false, -1e3);
    }
}

}  // namespace

namespace {

constexpr auto stance_names = enum_names<Pose::Stance::cross_legged>(
    {"seated", "standing", "kneeling", "all-fours", "cross-legged"});
constexpr auto chair_names =
    enum_names<Pose::Chair::sit_forward>({"none", "sit-back", "sit-forward"});
constexpr std::pair<std::string_view, double> views[] = {
    {"front", 0}, {"right", 90}, {"back", 180}, {"left", -90}};

class PoseReader {
  public:
    PoseReader(const toml::table& table, const std::string& path, Diagnostics& diagnostics)
        : table_(table), path_(path), diagnostics_(diagnostics) {}

    bool read(Pose& pose) {
        for (auto&& [key, value] : table_)
            if (std::find(std::begin(known), std::end(known), key.str()) == std::end(known))
                fail(value, std::string(key.str()),
                     _("unknown key; a pose has view, turn, from_above, stance, chair, spine, "
                       "bend, twist, shoulders, head, face, right_arm, left_arm, right_leg, "
                       "left_leg, posts, wall, arrows"));
        if (auto* node = table_.get("stance")) {
            auto stance =
                named(*node, "stance", stance_names,
                      N_("allowed: seated | standing | kneeling | all-fours | cross-legged"));
            if (stance) pose = stance_pose(*stance);
        }
        if (auto* node = table_.get("view")) {
            auto name = node->value_exact<std::string>();
            auto it = std::find_if(std::begin(views), std::end(views),
                                   [&](auto& v) { return name && v.first == *name; });
            if (it == std::end(views))
                fail(*node, "view", _("allowed: front | right | back | left"));
            else
                pose.yaw = it->second;
        }
        if (auto turn = number("turn", -90, 90)) pose.yaw += *turn;
        if (auto pitch = number("from_above", -30, 90)) pose.pitch = *pitch;
        if (auto* node = table_.get("chair"))
            if (auto chair = named(*node, "chair", chair_names,
                                   N_("allowed: none | sit-back | sit-forward")))
                pose.chair = *chair;
        if (auto v = direction("spine")) pose.spine = *v;
        if (auto bend = number("bend", -10, 10)) pose.bend = *bend;
        if (auto twist = number("twist", -90, 90)) pose.twist = *twist;
        if (auto v = direction("shoulders")) pose.shoulders = v;
        if (auto v = direction("head")) pose.head = v;
        if (auto v = direction("face")) pose.face = v;
        limb("right_arm", pose.right_arm);
        limb("left_arm", pose.left_arm);
        limb("right_leg", pose.right_leg);
        limb("left_leg", pose.left_leg);
        if (auto* node = table_.get("posts")) posts(*node, pose);
        if (auto wall = number("wall", -60, 60)) pose.wall = wall;
        if (auto* node = table_.get("arrows")) arrows(*node, pose);
        return ok_;
    }

  private:
    static constexpr std::string_view known[] = {
        "view",     "turn",      "from_above", "stance", "chair", "spine",
        "bend",     "twist",     "shoulders",  "head",   "face",  "right_arm",
        "left_arm", "right_leg", "left_leg",   "posts",  "wall",  "arrows"};
    static constexpr double reach = 80;  // how far from the hips a point may be

    const toml::table& table_;
    const std::string& path_;
    Diagnostics& diagnostics_;
    bool ok_ = true;

    void fail(const toml::node& node, const std::string& field, std::string problem) {
        auto& begin = node.source().begin;
        diagnostics_.push_back(
            {Diagnostic::Severity::error,
             {path_, static_cast<int>(begin.line), static_cast<int>(begin.column)},
             "stretch.pose." + field,
             std::move(problem)});
        ok_ = false;
    }

    // `problem` is marked with N_, and translated only when it is reported.
    template <typename Names>
    auto named(const toml::node& node, const std::string& field, const Names& names,
               const char* problem) -> decltype(names.parse("")) {
        auto name = node.value_exact<std::string>();
        auto value = name ? names.parse(*name) : std::nullopt;
        if (!value) fail(node, field, tr(problem));
        return value;
    }

    std::optional<double> number(const toml::node* node, const std::string& field, double low,
                                 double high) {
        std::optional<double> value;
        if (node && (node->is_integer() || node->is_floating_point()))
            value = node->value<double>();
        if (!value || !std::isfinite(*value) || *value < low || *value > high) {
            if (node)
                fail(*node, field,
                     formatted(_("expected a number from %d to %d"), static_cast<int>(low),
                               static_cast<int>(high)));
            return std::nullopt;
        }
        return value;
    }
    std::optional<double> number(std::string_view field, double low, double high) {
        auto* node = table_.get(field);
        return node ? number(node, std::string(field), low, high) : std::nullopt;
    }

    // Three numbers; a direction must not be all zeros, a point must stay near the figure.
    std::optional<Vec3> vector(const toml::node& node, const std::string& field, bool point) {
        auto* array = node.as_array();
        std::optional<Vec3> v;
        if (array && array->size() == 3 && std::all_of(array->begin(), array->end(), [](auto& n) {
                return n.is_integer() || n.is_floating_point();
            })) {
            auto at = [&](std::size_t i) {
                return (*array)[i].template value<double>().value_or(0);
            };
            v = Vec3{at(0), at(1), at(2)};
        }
        bool usable = v && std::isfinite(v->x) && std::isfinite(v->y) && std::isfinite(v->z) &&
                      (point ? std::max({std::abs(v->x), std::abs(v->y), std::abs(v->z)}) <= reach
                             : dot(*v, *v) > 1e-6);
        if (!usable) {
            fail(node, field,
                 point ? _("expected a point [x, y, z] within 80 of the hips, such as [0, 20, 15]")
                       : _("expected a direction [x, y, z], not all zeros, such as [0, 1, 0] for "
                           "up (x is the figure's right, z the way it faces)"));
            return std::nullopt;
        }
        return v;
    }
    std::optional<Vec3> direction(std::string_view field) {
        auto* node = table_.get(field);
        return node ? vector(*node, std::string(field), false) : std::nullopt;
    }

    void limb(std::string_view field, Pose::Limb& limb) {
        auto* node = table_.get(field);
        if (!node) return;
        auto* array = node->as_array();
        if (!array || array->size() != 2) {
            fail(*node, std::string(field),
                 _("expected two directions, upper segment then lower, such as [[0, -1, 0], "
                   "[0, 0, 1]]"));
            return;
        }
        for (std::size_t i = 0; i < 2; ++i)
            if (auto v = vector((*array)[i], std::string(field), false)) limb[i] = *v;
    }

    void posts(const toml::node& node, Pose& pose) {
        auto* array = node.as_array();
        if (!array || array->size() > 4) {
            fail(node, "posts", _("expected up to 4 places [x, z], such as [[20, 5]]"));
            return;
        }
        for (auto& element : *array) {
            auto* place = element.as_array();
            std::optional<double> x, z;
            if (place && place->size() == 2) {
                x = number(place->get(0), "posts", -reach, reach);
                z = number(place->get(1), "posts", -reach, reach);
            } else {
                fail(element, "posts", _("expected a place [x, z], such as [20, 5]"));
            }
            if (x && z) pose.posts.push_back({*x, *z});
        }
    }

    void arrows(const toml::node& node, Pose& pose) {
        auto* array = node.as_array();
        if (!array || array->size() > 3) {
            fail(node, "arrows",
                 _("expected up to 3 arrows, such as [{ path = [[0, 20, 15], [0, 20, 25]] }]"));
            return;
        }
        for (auto& element : *array) {
            auto* table = element.as_table();
            auto* path = table ? table->get_as<toml::array>("path") : nullptr;
            if (!path || path->size() < 2 || path->size() > 3) {
                fail(element, "arrows",
                     _("expected { path = [...] } with two points, or three for a curve"));
                continue;
            }
            Pose::Arrow arrow;
            for (auto& point : *path)
                if (auto v = vector(point, "arrows", true)) arrow.path.push_back(*v);
            for (auto&& [key, value] : *table) {
                if (key.str() == "both_ends") {
                    if (auto both = value.value_exact<bool>())
                        arrow.both_ends = *both;
                    else
                        fail(value, "arrows", _("both_ends: expected true or false"));
                } else if (key.str() != "path") {
                    fail(value, "arrows", _("unknown key; an arrow has path and both_ends"));
                }
            }
            if (arrow.path.size() == path->size()) pose.arrows.push_back(std::move(arrow));
        }
    }
};

}  // namespace

bool parse_pose(const toml::table& table, const std::string& path, Pose& out,
                Diagnostics& diagnostics) {
    return PoseReader(table, path, diagnostics).read(out);
}

Pose stance_pose(Pose::Stance stance) {
    Pose pose;
    pose.stance = stance;
    auto both = [&](Pose::Limb Pose::*limb, Vec3 first, Vec3 second) {
        pose.*limb = {first, second};
        auto mirrored = [](Vec3 v) { return Vec3{-v.x, v.y, v.z}; };
        auto& other = limb == &Pose::right_arm   ? pose.left_arm
                      : limb == &Pose::right_leg ? pose.left_leg
                                                 : pose.*limb;
        other = {mirrored(first), mirrored(second)};
    };
    switch (stance) {
        case Pose::Stance::seated:
            both(&Pose::right_arm, {0.1, -1, 0.25}, {0, -0.3, 1});
            both(&Pose::right_leg, {0.15, 0, 1}, {0, -1, 0.05});
            break;
        case Pose::Stance::standing:
            pose.chair = Pose::Chair::none;
            both(&Pose::right_arm, {0.15, -1, 0}, {0.05, -1, 0.1});
            both(&Pose::right_leg, {0.06, -1, 0}, {0, -1, 0});
            break;
        case Pose::Stance::kneeling:
            pose.chair = Pose::Chair::none;
            both(&Pose::right_arm, {0.15, -1, 0}, {0.05, -1, 0.1});
            both(&Pose::right_leg, {0.06, -1, 0}, {0, -0.05, -1});
            break;
        case Pose::Stance::all_fours:
            pose.chair = Pose::Chair::none;
            pose.spine = {0, 0.3, 1};
            both(&Pose::right_arm, {0, -1, 0}, {0, -1, 0});
            both(&Pose::right_leg, {0.06, -1, 0}, {0, -0.05, -1});
            break;
        case Pose::Stance::cross_legged:
            pose.chair = Pose::Chair::none;
            both(&Pose::right_arm, {0.2, -1, 0.3}, {0.1, -0.4, 1});
            both(&Pose::right_leg, {0.85, -0.15, 0.5}, {-0.85, -0.05, 0.45});
            break;
    }
    return pose;
}

std::string pose_svg(const Pose& pose) {
    Camera camera(pose.yaw, pose.pitch);
    Painter painter(camera);
    Figure f = place(pose);

    double lowest = 1e9;
    for (auto p : {f.pelvis, f.neck})
        lowest = std::min(lowest, p.y);
    lowest = std::min(lowest, f.head_centre.y - head_radius);
    for (int side = 0; side < 2; ++side)
        for (auto p : {f.elbow[side], f.hand[side], f.knee[side], f.ankle[side], f.toe[side]})
            lowest = std::min(lowest, p.y);
    double ground = lowest - limb_width / 2;

    // The floor: a shadow around the figure's footprint.
    double min_x = 1e9, max_x = -1e9, min_z = 1e9, max_z = -1e9;
    for (int side = 0; side < 2; ++side)
        for (auto p : {f.hip[side], f.knee[side], f.toe[side], f.hand[side], f.shoulder[side]}) {
            min_x = std::min(min_x, p.x), max_x = std::max(max_x, p.x);
            min_z = std::min(min_z, p.z), max_z = std::max(max_z, p.z);
        }
    Vec3 centre{(min_x + max_x) / 2, ground, (min_z + max_z) / 2};
    double rx = (max_x - min_x) / 2 + 12, rz = (max_z - min_z) / 2 + 12;
    std::vector<Vec3> shadow;
    for (int i = 0; i < 24; ++i)
        shadow.push_back(centre + Vec3{rx * std::cos(i * std::numbers::pi / 12), 0,
                                       rz * std::sin(i * std::numbers::pi / 12)});
    painter.polygon(shadow, ground_colour, 1, false, -1e6, false);
    painter.extend(painter.at(centre), 2);

    if (pose.wall)
        painter.polygon({{-60, ground, *pose.wall},
                         {60, ground, *pose.wall},
                         {60, ground + 120, *pose.wall},
                         {-60, ground + 120, *pose.wall}},
                        furniture, 1, false, -1e5, false);
    for (auto [x, z] : pose.posts)
        painter.line({{x, ground, z}, {x, ground + 95, z}}, furniture, 5, false,
                     painter.at({x, 0, z}).depth, false);
    draw_chair(painter, pose, ground);

    // The side nearer the camera is drawn bright, the other muted, so left and right read apart.
    auto colour_of = [&](const Vec3(&ends)[2], int side) {
        double d0 = painter.at(ends[0]).depth, d1 = painter.at(ends[1]).depth;
        double mine = side == 0 ? d0 : d1, other = side == 0 ? d1 : d0;
        return mine < other - 2 ? far_side : near_side;
    };
    for (int side = 0; side < 2; ++side) {
        painter.line({f.hip[side], f.knee[side], f.ankle[side], f.toe[side]},
                     colour_of(f.hip, side), limb_width);
        painter.line({f.shoulder[side], f.elbow[side], f.hand[side]}, colour_of(f.shoulder, side),
                     limb_width);
    }

    // The torso: the curve of the spine, filled out between shoulders and hips.
    double torso_depth = (painter.at(f.neck).depth + painter.at(f.pelvis).depth) / 2;
    painter.paint({{{f.shoulder[0], f.shoulder[1], f.hip[1], f.hip[0]}, near_side, 6, true},
                   {f.spine, near_side, torso_width},
                   {{f.neck, f.head_centre}, near_side, 5}},
                  true, torso_depth);

    // The head, with a nose where the face looks across the picture and eyes where it looks at
    // the camera, so that a figure facing you is not read as one seen from behind.
    auto head = painter.at(f.head_centre);
    auto nose = painter.at(f.head_centre + head_radius * f.face);
    auto circle = [](Point at, double r, const char* fill, const char* stroke = nullptr) {
        std::string svg = "<circle cx=\"" + number(at.x) + "\" cy=\"" + number(at.y) + "\" r=\"" +
                          number(r) + "\" fill=\"" + fill + "\"";
        if (stroke) svg += " stroke=\"" + std::string(stroke) + "\" stroke-width=\"3\"";
        return svg + "/>\n";
    };
    double across = nose.x - head.x;
    std::string svg;
    if (std::hypot(across, nose.y - head.y) > 0.4 * head_radius)
        svg += circle(nose, 2.6, near_side, tile);
    svg += circle(head, head_radius, near_side, tile) + circle(head, head_radius, near_side);
    if (nose.depth - head.depth > 0.5 * head_radius)
        for (double side : {-2.4, 2.4})
            svg += circle({head.x + side + 0.5 * across, head.y - 0.8, 0}, 1.1, tile);
    painter.extend(head, head_radius + 1);
    // The torso, and a limb in the head's own plane, pass behind it: the head is what a figure
    // is read by, even seen from behind and above.
    painter.raw(std::max(head.depth, torso_depth) + 4, svg);

    std::vector<std::string> arrows;  // over everything: the movement is what a picture says
    for (auto& arrow : pose.arrows)
        arrows.push_back(arrow_svg(painter, arrow));
    return painter.svg(arrows);
}

}  // namespace postured
