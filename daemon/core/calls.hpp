#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/language.hpp"
#include "core/time.hpp"

namespace postured {

enum class Device { microphone, camera, screen };

// A stream that captures from a microphone, a camera or a shared screen, and who captures.
struct Capture {
    std::string app;
    Device device;
    bool operator==(const Capture&) const = default;
};

// What PipeWire says of a capture stream's node, and of the client that made it.
using Properties = std::map<std::string, std::string, std::less<>>;

// The capture a stream's node is, when it may be part of a call: not a level meter, not an
// output's monitor, not an application the user listed in [calls] ignore. `from_device` says
// the stream's source belongs to a device (a camera), not to a screen cast.
std::optional<Capture> call_capture(const Properties& node, const Properties& client,
                                    bool from_device, const std::vector<std::string>& ignore);

// Which captures make a call, over time. A capture is part of a call once it has run for
// `settle` (a sound test or a voice memo is not a call), and the call lasts until no capture has
// run for `rejoin` (a dropped and rejoined call is one call).
class CallTracker {
  public:
    static constexpr seconds settle{5};
    static constexpr seconds rejoin{15};

    // `key` names one stream for as long as it lives; a stream that is told again is updated.
    void started(std::uint64_t key, Capture capture, MonoTime at);
    void stopped(std::uint64_t key, MonoTime at);
    void stop_all(MonoTime at);

    // The call at `now`, as "Firefox: microphone, camera", or nothing.
    std::optional<Said> call(MonoTime now);
    // When call() may change with no news: when a capture has run long enough, or a call's
    // rejoin time ends.
    std::optional<MonoTime> next_change() const;

  private:
    struct Running {
        Capture capture;
        MonoTime since;
        std::uint64_t order;
    };
    bool counts(const Running& running, MonoTime now) const;

    std::map<std::uint64_t, Running> running_;
    std::uint64_t started_count_ = 0;
    std::optional<Said> call_;
    std::optional<MonoTime> last_stop_;
};

std::string_view to_string(Device device);

}  // namespace postured
