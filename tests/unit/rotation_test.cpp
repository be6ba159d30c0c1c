#include <bitset>
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

MuscleSet groups_of(const std::vector<Stretch>& stretches) {
    MuscleSet groups = 0;
    for (auto& s : stretches)
        groups |= s.muscles;
    return groups;
}

// Draws one stretch, checking that the rotation's rules held for it.
const Stretch& next_checked(Rotation& rotation, const std::vector<int>& weights) {
    auto& offered = rotation.offered();
    auto left = rotation.left_in_round();
    if (std::accumulate(left.begin(), left.end(), 0) == 0) left = weights;
    auto unserved = static_cast<MuscleSet>(groups_of(offered) & ~rotation.served_today());
    auto before = rotation.last();
    // A round whose only turn left is the stretch just drawn starts the next one early.
    if (before && std::accumulate(left.begin(), left.end(), 0) == left[*before])
        for (std::size_t i = 0; i < left.size(); ++i)
            left[i] += weights[i];
    auto& s = rotation.next();
    auto index = static_cast<std::size_t>(&s - offered.data());
    bool serves = s.muscles & unserved;
    if (left[index] == 0) {
        // A repeat inside the round only serves a group that no stretch left in it serves.
        REQUIRE(serves);
        for (std::size_t i = 0; i < offered.size(); ++i) {
            INFO(s.id << " again, but " << offered[i].id << " was left");
            REQUIRE_FALSE((left[i] > 0 && i != before && (offered[i].muscles & unserved)));
        }
    }
    if (!before) return s;
    REQUIRE(index != *before);
    if (s.muscles & offered[*before].muscles) {
        // Only when no stretch left in the round works other muscles, keeps it whole, and
        // serves a group unserved today as well as this one does.
        for (std::size_t i = 0; i < offered.size(); ++i) {
            INFO(offered[*before].id << " then " << s.id << ", but " << offered[i].id
                                     << " was left");
            bool better = left[i] > 0 && i != *before &&
                          !(offered[i].muscles & offered[*before].muscles) &&
                          round_can_follow(left, i) && (!serves || (offered[i].muscles & unserved));
            REQUIRE_FALSE(better);
        }
    }
    return s;
}

std::vector<int> weights_of(const Config& config, const Rotation& rotation) {
    std::vector<int> weights;
    for (auto& s : rotation.offered())
        weights.push_back(config.is_favorite(s.id) ? 2 : 1);
    return weights;
}

// Draws `count` stretches, checking on every draw that the rotation's rules held.
std::vector<std::string> draw_checked(const Config& config, int count, std::uint64_t seed) {
    Rotation rotation(config, seed);
    auto weights = weights_of(config, rotation);
    std::vector<std::string> drawn;
    for (int n = 0; n < count; ++n)
        drawn.push_back(next_checked(rotation, weights).id);
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

TEST_CASE("each working day serves every muscle group on offer", "[rotation]") {
    auto config = GENERATE(as<std::string>{}, "",
                           "[stretches]\npositions = [\"seated\", \"standing\"]\n"
                           "favorites = [\"cross-arm\"]\ndisabled = [\"w-to-y\"]\n");
    INFO(config);
    auto c = config_with(config);
    auto groups = groups_of(c.offered);
    auto group_count = std::bitset<8>(groups).count();
    REQUIRE(group_count == 6);
    std::mt19937 random(7);
    int full_days = 0;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        Rotation rotation(c, seed);
        auto weights = weights_of(c, rotation);
        std::string first = rotation.next().id;
        for (int day = 0; day < 250; ++day) {
            rotation.new_day(*c.find_stretch(first));
            auto served = c.find_stretch(first)->muscles;
            auto breaks = std::uniform_int_distribution<std::size_t>(3, 9)(random);
            for (std::size_t b = 1; b < breaks; ++b)
                served |= next_checked(rotation, weights).muscles;
            INFO("seed " << seed << ", day " << day << ", " << breaks << " breaks");
            if (breaks >= group_count) {
                CHECK(served == groups);
                ++full_days;
            }
            first = rotation.next().id;  // the next day's first break
            for (auto& id : c.stretches.disabled)
                CHECK(first != id);
        }
    }
    CHECK(full_days > 2000);
}

TEST_CASE("the day's groups are saved and restored with the round", "[rotation]") {
    auto c = config_with("");
    Rotation rotation(c, 3);
    rotation.new_day(*c.find_stretch("chest-opener"));
    rotation.next();
    auto saved = rotation.position();
    CHECK(saved.served_today & static_cast<MuscleSet>(Muscle::chest));
    Rotation again(c, 4);
    again.restore(saved);
    CHECK(again.served_today() == rotation.served_today());
}
