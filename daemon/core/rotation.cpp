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

void Rotation::start_round() {
    for (std::size_t i = 0; i < left_.size(); ++i)
        left_[i] += weight_[i];
}

const Stretch& Rotation::next() {
    auto candidates = [&](bool disjoint_only) {
        std::vector<std::size_t> out;
        for (std::size_t i = 0; i < left_.size(); ++i) {
            if (left_[i] == 0 || i == last_) continue;
            if (disjoint_only && last_ && (offered_[i].muscles & offered_[*last_].muscles))
                continue;
            out.push_back(i);
        }
        return out;
    };
    auto pool = candidates(true);
    if (pool.empty()) pool = candidates(false);
    if (pool.empty()) {
        // The round is spent, or holds only the stretch just done (a favourite's second turn).
        start_round();
        pool = candidates(true);
        if (pool.empty()) pool = candidates(false);
    }
    if (pool.empty()) pool.push_back(0);  // a single stretch on offer must repeat

    std::vector<int> weights;
    for (auto i : pool)
        weights.push_back(std::max(left_[i], 1));
    std::discrete_distribution<std::size_t> pick(weights.begin(), weights.end());
    auto chosen = pool[pick(random_)];
    if (left_[chosen] > 0) --left_[chosen];
    last_ = chosen;
    return offered_[chosen];
}

void Rotation::take(const std::string& id) {
    auto it = std::find_if(offered_.begin(), offered_.end(), [&](auto& s) { return s.id == id; });
    if (it == offered_.end()) return;
    auto i = static_cast<std::size_t>(it - offered_.begin());
    if (left_[i] > 0) --left_[i];
    last_ = i;
}

}  // namespace postured
