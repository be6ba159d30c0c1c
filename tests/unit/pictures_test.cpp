#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "core/config_parser.hpp"
#include "pictures.hpp"
#include "temp_tree.hpp"

using namespace postured;
using postured::test::TempTree;

namespace {

std::string own(const std::string& id) {
    return "[[stretch]]\nid = \"" + id + "\"\n" + R"(name = "Slow neck roll"
position = "seated"
muscles = ["trapezius"]
steps = ["Drop your chin to your chest.", "Roll your head slowly from side to side."]
hold = "5s"
duration = "1m"
)";
}
const std::string own_stretch = own("neck-roll");

std::vector<Stretch> stretches(const std::string& config_text, const std::string& config_path) {
    ConfigParser parser;
    parser.add_catalog(builtin_catalog, "stretches.toml");
    parser.add_config(config_text, config_path);
    auto config = parser.finish();
    REQUIRE(config);
    return config->catalog;
}

const Stretch& find(const std::vector<Stretch>& all, const std::string& id) {
    return *std::find_if(all.begin(), all.end(), [&](auto& s) { return s.id == id; });
}

std::string read(const std::string& path) {
    std::stringstream text;
    text << std::ifstream(path).rdbuf();
    return text.str();
}

}  // namespace

TEST_CASE("a user's picture is found beside the config file that names it", "[pictures]") {
    TempTree t;
    auto config = t.write("config/postured/config.toml", "");
    auto image = t.write("config/postured/neck-roll.png", "\x89PNG");
    auto all = stretches(own_stretch + "picture = \"neck-roll.png\"\n", config);
    Diagnostics diagnostics;
    find_pictures(all, {}, std::nullopt, diagnostics);
    CHECK(diagnostics.empty());
    CHECK(find(all, "neck-roll").picture == image);
}

TEST_CASE("a picture that cannot be read is a warning where it is named, and no picture",
          "[pictures]") {
    TempTree t;
    auto config = t.write("postured/config.toml", "");
    std::filesystem::create_directories(t.root / "postured" / "a-directory.png");
    auto all = stretches(own_stretch + "picture = \"missing.png\"\n\n" + own("neck-tilt") +
                             "picture = \"a-directory.png\"\n",
                         config);
    Diagnostics diagnostics;
    find_pictures(all, {}, std::nullopt, diagnostics);
    REQUIRE(diagnostics.size() == 2);
    CHECK(diagnostics[0].severity == Diagnostic::Severity::warning);
    CHECK(diagnostics[0].to_string() ==
          config + ":9:11: warning: stretch.picture: cannot read " +
              (t.root / "postured/missing.png").string() +
              ": No such file or directory; the break shows without it");
    CHECK_THAT(diagnostics[1].to_string(),
               Catch::Contains(":19:11: warning: stretch.picture: cannot read " +
                               (t.root / "postured/a-directory.png").string() +
                               ": it is not a file; the break shows without it"));
    CHECK(find(all, "neck-roll").picture.empty());
    CHECK(find(all, "neck-tilt").picture.empty());
}

TEST_CASE("the catalog's pictures are the ones drawn at build time, found in the data dirs",
          "[pictures]") {
    TempTree t;
    auto shipped = t.write("share/postured/stretches/seated-twist.png", "\x89PNG");
    auto all = stretches("", "config.toml");
    Diagnostics diagnostics;
    find_pictures(all, {(t.root / "nowhere").string(), (t.root / "share").string()},
                  (t.root / "drawn").string(), diagnostics);
    CHECK(diagnostics.empty());
    CHECK(find(all, "seated-twist").picture == shipped);
    // One not installed is drawn from its pose, so the break still has its picture.
    auto drawn = find(all, "chest-opener").picture;
    CHECK(drawn == (t.root / "drawn/chest-opener.svg").string());
    CHECK(read(drawn) == pose_svg(*find(all, "chest-opener").pose));
}

TEST_CASE("a user's pose is drawn into the runtime directory", "[pictures]") {
    TempTree t;
    auto all = stretches(own_stretch + "\n[stretch.pose]\nhead = [0, 0.6, 0.8]\n", "config.toml");
    Diagnostics diagnostics;
    find_pictures(all, {}, (t.root / "run/pictures").string(), diagnostics);
    CHECK(diagnostics.empty());
    auto& roll = find(all, "neck-roll");
    CHECK(roll.picture == (t.root / "run/pictures/neck-roll.svg").string());
    CHECK(read(roll.picture).starts_with("<svg "));
}

TEST_CASE("a pose that cannot be drawn leaves the break without a picture", "[pictures]") {
    TempTree t;
    t.write("run", "a file where the directory should be");
    auto all = stretches(own_stretch + "\n[stretch.pose]\nhead = [0, 0.6, 0.8]\n", "config.toml");
    Diagnostics diagnostics;
    find_pictures(all, {}, (t.root / "run/pictures").string(), diagnostics);
    CHECK(find(all, "neck-roll").picture.empty());
    REQUIRE_FALSE(diagnostics.empty());
    CHECK_THAT(
        diagnostics.back().to_string(),
        Catch::Contains("config.toml:1:1: warning: stretch.picture: cannot draw its pose into " +
                        (t.root / "run/pictures/neck-roll.svg").string()));
}
