#include "core/rotation.hpp"

#include <algorithm>
#include <numeric>

namespace postured {

Rotation::Rotation(const Config& config, std::uint64_t seed) : random_(seed) {
    reconfigure(config);
}

void Rotation::reconfigure(const Config& config) {
    std::optional<std::string> last_id;
    if (last_) last_id = offered_[*last_].id;
    std::vector<int> left(config.offered.size());
    std::vector<int> weight(config.offered.size());
    std::optional<std::size_t> last;
    for (std::size_t i = 0; i < config.offered.size(); ++i) {
        auto& s = config.offered[i];
        weight[i] = config.is_favorite(s.id) ? 2 : 1;
        auto old =
            std::find_if(offered_.begin(), offered_.end(), [&](auto& o) { return o.id == s.id; });
        left[i] =
            old == offered_.end() ? weight[i] : std::min(weight[i], left_[old - offered_.begin()]);
        if (last_id == s.id) last = i;
    }
    offered_ = config.offered;
    weight_ = std::move(weight);
    left_ = std::move(left);
    last_ = last;
}

Rotation::Position Rotation::position() const {
    Position p;
    for (std::size_t i = 0; i < offered_.size(); ++i)
        p.left_in_round.emplace_back(offered_[i].id, left_[i]);
    if (last_) p.last = offered_[*last_].id;
    p.served_today = served_today_;
    return p;
}

void Rotation::restore(const Position& position) {
    for (std::size_t i = 0; i < offered_.size(); ++i) {
        auto& saved = position.left_in_round;
        auto it = std::find_if(saved.begin(), saved.end(),
                               [&](auto& p) { return p.first == offered_[i].id; });
        if (it != saved.end()) left_[i] = std::clamp(it->second, 0, weight_[i]);
        if (offered_[i].id == position.last) last_ = i;
    }
    served_today_ = position.served_today;
}

void Rotation::new_day(const Stretch& first) {
    served_today_ = first.muscles;
}

void Rotation::start_round() {
    for (std::size_t i = 0; i < left_.size(); ++i)
        left_[i] += weight_[i];
}

bool round_can_follow(const std::vector<int>& left, std::size_t picked) {
    int n = std::accumulate(left.begin(), left.end(), 0) - 1;
    if (n <= 0) return true;
    int picked_left = left[picked] - 1;
    int most = picked_left;
    for (std::size_t i = 0; i < left.size(); ++i)
        if (i != picked) most = std::max(most, left[i]);
    // No stretch twice in a row needs the most frequent one to fit every other slot; when it
    // fills exactly the odd slots of an odd count it must come first, so it cannot be `picked`.
    if (most > (n + 1) / 2) return false;
    return !(n % 2 == 1 && picked_left == (n + 1) / 2);
}

const Stretch& Rotation::next() {
    // A round whose only turns left are the stretch just drawn cannot go on: the next one starts.
    if (auto turns = std::accumulate(left_.begin(), left_.end(), 0);
        turns == 0 || (last_ && turns == left_[*last_]))
        start_round();
    MuscleSet unserved = 0;
    for (auto& s : offered_)
        unserved |= s.muscles & ~served_today_;
    auto candidates = [&](bool must_fit_round, bool different_muscles, MuscleSet serving = 0,
                          bool from_round = true) {
        std::vector<std::size_t> out;
        for (std::size_t i = 0; i < left_.size(); ++i) {
            if ((from_round && left_[i] == 0) || i == last_) continue;
            if (serving && !(offered_[i].muscles & serving)) continue;
            if (must_fit_round && !round_can_follow(left_, i)) continue;
            if (different_muscles && last_ && (offered_[i].muscles & offered_[*last_].muscles))
                continue;
            out.push_back(i);
        }
        return out;
    };
    std::vector<std::size_t> pool;
    if (unserved) {
        pool = candidates(true, true, unserved);
        if (pool.empty()) pool = candidates(true, false, unserved);
        if (pool.empty()) pool = candidates(false, false, unserved);
        if (pool.empty()) pool = candidates(false, false, unserved, false);
    }
    if (pool.empty()) pool = candidates(true, true);
    if (pool.empty()) pool = candidates(true, false);
    if (pool.empty()) pool = candidates(false, false);  // too few stretches for a perfect round
    if (pool.empty()) pool.push_back(0);                // a single stretch on offer must repeat

    std::vector<int> weights;
    for (auto i : pool)
        weights.push_back(left_[i] > 0 ? left_[i] : weight_[i]);
    std::discrete_distribution<std::size_t> pick(weights.begin(), weights.end());
    auto chosen = pool[pick(random_)];
    if (left_[chosen] > 0) --left_[chosen];
    last_ = chosen;
    served_today_ |= offered_[chosen].muscles;
    return offered_[chosen];
}

void Rotation::take(const std::string& id) {
    auto it = std::find_if(offered_.begin(), offered_.end(), [&](auto& s) { return s.id == id; });
    if (it == offered_.end()) return;
    auto i = static_cast<std::size_t>(it - offered_.begin());
    if (left_[i] > 0) --left_[i];
    last_ = i;
    served_today_ |= it->muscles;
}

}  // namespace postured
