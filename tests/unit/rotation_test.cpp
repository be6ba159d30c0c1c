#include <catch2/catch.hpp>
#include <map>
#include <numeric>
#include <random>

#include "core/config_parser.hpp"
#include "core/rotation.hpp"

using namespace postured;

namespace {

Config config_with(const std::string& text) {
    ConfigParser parser;
    parser.add_catalog(builtin_catalog, "catalog");
    parser.add_config(text, "test.toml");
    auto config = parser.finish();
    REQUIRE(config);
    return *config;
}

// Draws `count` stretches, checking on every draw that the rotation's rules held.
std::vector<std::string> draw_checked(const Config& config, int count, std::uint64_t seed) {
    Rotation rotation(config, seed);
    auto& offered = rotation.offered();
    std::vector<int> weights;
    for (auto& s : offered)
        weights.push_back(config.is_favorite(s.id) ? 2 : 1);
    std::vector<std::string> drawn;
    for (int n = 0; n < count; ++n) {
        auto left = rotation.left_in_round();
        if (std::accumulate(left.begin(), left.end(), 0) == 0) left = weights;
        auto before = rotation.last();
        auto& s = rotation.next();
        auto index = static_cast<std::size_t>(&s - offered.data());
        drawn.push_back(s.id);
        if (!before) continue;
        REQUIRE(index != *before);
        if (s.muscles & offered[*before].muscles) {
            // Only when no stretch left in the round both works other muscles and keeps it whole.
            for (std::size_t i = 0; i < offered.size(); ++i) {
                INFO(offered[*before].id << " then " << s.id << ", but " << offered[i].id
                                         << " was left");
                bool better = left[i] > 0 && i != *before &&
                              !(offered[i].muscles & offered[*before].muscles) &&
                              round_can_follow(left, i);
                REQUIRE_FALSE(better);
            }
        }
    }
    return drawn;
}

// Every round (one turn per stretch, two per favourite) holds each stretch exactly that often.
void check_rounds(const Config& config, const std::vector<std::string>& drawn) {
    std::map<std::string, int> per_round;
    for (auto& s : config.offered)
        per_round[s.id] = config.is_favorite(s.id) ? 2 : 1;
    std::size_t round_size = 0;
    for (auto& [id, n] : per_round)
        round_size += n;
    for (std::size_t start = 0; start + round_size <= drawn.size(); start += round_size) {
        std::map<std::string, int> seen;
        for (std::size_t i = start; i < start + round_size; ++i)
            ++seen[drawn[i]];
        INFO("round starting at break " << start);
        REQUIRE(seen == per_round);
    }
}

}  // namespace

TEST_CASE("round_can_follow knows when a round would force a repeat", "[rotation]") {
    CHECK(round_can_follow({1, 1, 1}, 0));
    CHECK_FALSE(round_can_follow({2, 1}, 1));  // leaves F F
    CHECK(round_can_follow({2, 1}, 0));        // F, then G F
    CHECK_FALSE(round_can_follow({3, 1}, 0));  // F, then F F G or worse
    CHECK(round_can_follow({2, 2}, 0));        // F, then G F G
    CHECK(round_can_follow({0, 0, 1}, 2));
}

TEST_CASE("1,000 breaks of the default seated rotation", "[rotation]") {
    auto config = config_with("");
    for (std::uint64_t seed : {1, 2, 3}) {
        auto drawn = draw_checked(config, 1000, seed);
        check_rounds(config, drawn);
        for (auto& id : drawn)
            REQUIRE(config.find_stretch(id)->position == Position::seated);
    }
}

TEST_CASE("1,000 breaks with favourites, standing stretches and some disabled", "[rotation]") {
    auto config = config_with(R"(
[stretches]
positions = ["seated", "standing"]
disabled = ["levator-scapulae", "doorway-chest"]
favorites = ["seated-twist", "w-to-y"]
)");
    REQUIRE(config.offered.size() == 12);
    for (std::uint64_t seed : {4, 5, 6}) {
        auto drawn = draw_checked(config, 1000, seed);
        check_rounds(config, drawn);
        std::map<std::string, int> count;
        for (auto& id : drawn)
            ++count[id];
        CHECK(count.count("levator-scapulae") == 0);
        CHECK(count.count("doorway-chest") == 0);
        CHECK(count.count("wall-angel") == 0);  // floor stretches stay out
        CHECK(count["lat-side-stretch"] > 0);
    }
}

TEST_CASE("the muscle groups alternate more than chance would have them", "[rotation]") {
    auto config = config_with("");
    auto shared_pairs = [&](const std::vector<std::string>& ids) {
        int shared = 0;
        for (std::size_t i = 1; i < ids.size(); ++i)
            if (config.find_stretch(ids[i])->muscles & config.find_stretch(ids[i - 1])->muscles)
                ++shared;
        return shared;
    };
    // The same rounds in a random order, only without a stretch twice in a row.
    std::mt19937_64 random(11);
    std::vector<std::string> chance;
    while (chance.size() < 1000) {
        std::vector<std::string> round;
        for (auto& s : config.offered)
            round.push_back(s.id);
        do
            std::shuffle(round.begin(), round.end(), random);
        while (!chance.empty() && round.front() == chance.back());
        chance.insert(chance.end(), round.begin(), round.end());
    }
    chance.resize(1000);
    auto rotated = shared_pairs(draw_checked(config, 1000, 7));
    auto by_chance = shared_pairs(chance);
    INFO("shared muscle groups: rotation " << rotated << ", chance " << by_chance);
    CHECK(rotated * 2 < by_chance);
}

TEST_CASE("two stretches alternate; one stretch repeats", "[rotation]") {
    auto two = config_with(R"([stretches]
disabled = ["thoracic-extension", "cross-arm", "elbow-link", "seated-rounding", "upper-trapezius",
            "levator-scapulae", "cows-head"])");
    Rotation rotation(two, 1);
    std::string previous;
    for (int i = 0; i < 50; ++i) {
        auto id = rotation.next().id;
        REQUIRE(id != previous);
        previous = id;
    }
    auto one = config_with(R"([stretches]
disabled = ["thoracic-extension", "cross-arm", "elbow-link", "seated-rounding", "upper-trapezius",
            "levator-scapulae", "cows-head", "chest-opener"])");
    Rotation single(one, 1);
    CHECK(single.next().id == "seated-twist");
    CHECK(single.next().id == "seated-twist");
}

TEST_CASE("a reload keeps the round's progress", "[rotation]") {
    auto config = config_with("");
    Rotation rotation(config, 9);
    std::vector<std::string> first;
    for (int i = 0; i < 4; ++i)
        first.push_back(rotation.next().id);
    auto reloaded = config_with("[stretches]\ndisabled = [\"cross-arm\"]\n");
    rotation.reconfigure(reloaded);
    auto unused = std::count_if(reloaded.offered.begin(), reloaded.offered.end(), [&](auto& s) {
        return std::find(first.begin(), first.end(), s.id) == first.end();
    });
    std::vector<std::string> rest;
    for (int i = 0; i < unused; ++i)
        rest.push_back(rotation.next().id);
    auto last_of_first = first.back();
    CHECK(rest.front() != last_of_first);
    for (auto& id : rest) {
        CHECK(id != "cross-arm");
        CHECK(std::find(first.begin(), first.end(), id) == first.end());
    }
}
