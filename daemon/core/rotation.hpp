#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/config.hpp"

namespace postured {

// Chooses the stretch for each break. The stretches on offer are dealt in rounds: each round
// offers every stretch once (a favourite twice), so every stretch comes up before any repeats.
// Each working day serves every muscle group on offer first: while a group is unserved today,
// the next stretch works one, from the round where it can, else again before the round ends
// (so only a group whose stretches the round has all used repeats one early). The next stretch
// is never the one just before it and, where the round still allows, works a different muscle
// group. Favourites are weighted, and drawn a second time in each round.
class Rotation {
  public:
    Rotation(const Config& config, std::uint64_t seed);

    // Draws the next stretch and removes it from the round.
    const Stretch& next();
    // Counts a stretch the user asked for by name as drawn.
    void take(const std::string& id);
    // A new working day, whose first break is `first`.
    void new_day(const Stretch& first);
    // Takes a new offer (after a reload), keeping what the current round has already used.
    void reconfigure(const Config& config);

    // Where the rotation stands, by stretch id, to be saved and restored.
    struct Position {
        std::vector<std::pair<std::string, int>> left_in_round;
        std::string last;
        MuscleSet served_today = 0;
        bool operator==(const Position&) const = default;
    };
    Position position() const;
    void restore(const Position& position);

    const std::vector<Stretch>& offered() const { return offered_; }
    // How often each offered stretch may still come up in this round, by index into offered().
    const std::vector<int>& left_in_round() const { return left_; }
    std::optional<std::size_t> last() const { return last_; }
    MuscleSet served_today() const { return served_today_; }

  private:
    void start_round();
    std::vector<Stretch> offered_;
    std::vector<int> weight_;
    std::vector<int> left_;
    std::optional<std::size_t> last_;
    MuscleSet served_today_ = 0;
    std::mt19937_64 random_;
};

// Whether, after one turn of `picked` is taken from a round with `left` turns per stretch, the
// rest of the round can still follow without the same stretch twice in a row.
bool round_can_follow(const std::vector<int>& left, std::size_t picked);

}  // namespace postured
