#include <toml++/toml.h>
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "core/config_parser.hpp"
#include "core/pose.hpp"

using namespace postured;

namespace {

std::pair<bool, Diagnostics> parse(const std::string& text, Pose& pose) {
    auto table = toml::parse(std::string_view(text), std::string_view("mine.toml"));
    Diagnostics diagnostics;
    bool ok = parse_pose(table, "mine.toml", pose, diagnostics);
    return {ok, diagnostics};
}

std::string read(const std::string& path) {
    std::stringstream text;
    text << std::ifstream(path).rdbuf();
    return text.str();
}

std::string problems(const Diagnostics& diagnostics) {
    std::string out;
    for (auto& d : diagnostics)
        out += d.to_string() + "\n";
    return out;
}

}  // namespace

TEST_CASE("a pose says only what differs from its stance", "[pose]") {
    auto pose = stance_pose(Pose::Stance::seated);
    auto [ok, diagnostics] = parse(
        "view = \"right\"\nturn = -20\ntwist = 30\n"
        "right_arm = [[0, 1, 0], [0, 1, 0.2]]\n"
        "arrows = [{ path = [[0, 40, 0], [0, 50, 0]] }]\n",
        pose);
    CHECK(ok);
    CHECK(diagnostics.empty());
    CHECK(pose.yaw == 70);
    CHECK(pose.twist == 30);
    CHECK(pose.right_arm[0].y == 1);
    CHECK(pose.left_arm[0].y == stance_pose(Pose::Stance::seated).left_arm[0].y);
    CHECK(pose.chair == Pose::Chair::sit_back);
    REQUIRE(pose.arrows.size() == 1);
    CHECK(pose.arrows[0].path.size() == 2);
}

TEST_CASE("a pose's mistakes are named where they are", "[pose]") {
    auto pose = stance_pose(Pose::Stance::seated);
    auto [ok, diagnostics] = parse(
        "view = \"above\"\n"
        "spine = [0, 0, 0]\n"
        "right_arm = [[0, 1, 0]]\n"
        "twist = 400\n"
        "arrows = [{ path = [[0, 0, 0], [0, 1, 0], [0, 2, 0], [0, 3, 0]] }]\n"
        "colour = \"red\"\n",
        pose);
    CHECK_FALSE(ok);
    auto text = problems(diagnostics);
    CHECK_THAT(text, Catch::Contains("mine.toml:1:8: stretch.pose.view: allowed: front | right | "
                                     "back | left"));
    CHECK_THAT(text, Catch::Contains("mine.toml:2:9: stretch.pose.spine: expected a direction"));
    CHECK_THAT(text, Catch::Contains("mine.toml:3:13: stretch.pose.right_arm: expected two "
                                     "directions"));
    CHECK_THAT(text, Catch::Contains("mine.toml:4:9: stretch.pose.twist: expected a number from "
                                     "-90 to 90"));
    CHECK_THAT(text, Catch::Contains("mine.toml:5:11: stretch.pose.arrows: expected { path = [...] "
                                     "} with two points, or three for a curve"));
    CHECK_THAT(text, Catch::Contains("mine.toml:6:10: stretch.pose.colour: unknown key"));
}

TEST_CASE("every stretch of the catalog has a pose, drawn as a picture", "[pose][catalog]") {
    ConfigParser parser;
    parser.add_catalog(builtin_catalog, "stretches.toml");
    auto config = parser.finish();
    REQUIRE(config);
    std::vector<std::string> pictures;
    for (auto& stretch : config->catalog) {
        INFO(stretch.id);
        REQUIRE(stretch.pose);
        auto svg = pose_svg(*stretch.pose);
        CHECK(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        CHECK(svg.ends_with("</svg>\n"));
        CHECK(svg.find("nan") == std::string::npos);
        CHECK(svg.find("inf") == std::string::npos);
        CHECK(svg.find("#ffc53d") != std::string::npos);  // each shows its movement
        CHECK(std::find(pictures.begin(), pictures.end(), svg) == pictures.end());
        pictures.push_back(svg);
    }
}

TEST_CASE("a user's own stretch may have a pose or a picture", "[pose][config]") {
    ConfigParser parser;
    parser.add_catalog(builtin_catalog, "stretches.toml");
    parser.add_config(R"([[stretch]]
id = "neck-roll"
name = "Slow neck roll"
position = "seated"
muscles = ["trapezius"]
steps = ["Drop your chin to your chest.", "Roll your head slowly from side to side."]
hold = "5s"
duration = "1m"
picture = "neck-roll.png"

[[stretch]]
id = "shrug"
name = "Shoulder shrug"
position = "standing"
muscles = ["trapezius"]
steps = ["Lift both shoulders to your ears.", "Let them drop."]
hold = "3s"
duration = "1m"

[stretch.pose]
right_arm = [[0, -1, 0], [0, -1, 0]]
arrows = [{ path = [[12, 20, 4], [12, 30, 4]] }]
)",
                      "config.toml");
    auto config = parser.finish();
    INFO(problems(parser.diagnostics()));
    REQUIRE(config);
    auto* roll = config->find_stretch("neck-roll");
    CHECK(roll->picture == "neck-roll.png");
    CHECK(roll->picture_where.line == 9);
    CHECK(roll->picture_where.column == 11);
    CHECK_FALSE(roll->pose);
    auto* shrug = config->find_stretch("shrug");
    REQUIRE(shrug->pose);
    CHECK(shrug->pose->stance == Pose::Stance::standing);  // from its position
    CHECK(shrug->pose->chair == Pose::Chair::none);
}

TEST_CASE("the docs' gallery shows the pictures the build draws", "[pose][docs]") {
    ConfigParser parser;
    parser.add_catalog(builtin_catalog, "stretches.toml");
    auto config = parser.finish();
    REQUIRE(config);
    auto gallery = read(SOURCE_DIR "/docs/stretches.md");
    for (auto& stretch : config->catalog) {
        INFO(stretch.id << ": when the catalog changes, cp build/share/postured/stretches/*.svg "
                           "docs/stretches/");
        CHECK(read(SOURCE_DIR "/docs/stretches/" + stretch.id + ".svg") == pose_svg(*stretch.pose));
        CHECK(gallery.find("stretches/" + stretch.id + ".svg") != std::string::npos);
    }
}

TEST_CASE("a pose that makes no sense still draws a picture, not a broken one", "[pose]") {
    auto pose = stance_pose(Pose::Stance::seated);
    auto [ok, diagnostics] = parse(
        "spine = [0, 0, 1]\nshoulders = [0, 0, 2]\n"
        "right_arm = [[0, 0, 1], [0, 0, -1]]\n"
        "arrows = [{ path = [[0, 0, 0], [0, 0, 0]] }]\n",
        pose);
    CHECK(ok);
    auto svg = pose_svg(pose);
    CHECK(svg.find("nan") == std::string::npos);
    CHECK(svg.find("inf") == std::string::npos);
    CHECK(svg.ends_with("</svg>\n"));
}
