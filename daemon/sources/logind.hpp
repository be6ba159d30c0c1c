#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "gdbus.hpp"
#include "sources/bus_context.hpp"

namespace postured {

// Finds the logind session of the user's desktop the way a user service must, since it runs
// outside that session: XDG_SESSION_ID when set, else the user's graphical session (the logind
// user's Display), else "auto". `found` gets its object path, or an empty string.
void find_logind_session(GDBusConnection* system, GCancellable* cancel,
                         std::function<void(const std::string& path)> found);

// The machine's sleep, the session's lock and "idle" inhibitors, from logind on the system bus.
// A delay inhibitor is held so that, before the machine sleeps, the state is saved; it is let go
// once it is, and taken again on waking.
class Logind : public Source {
  public:
    explicit Logind(const BusContext& bus);
    ~Logind() override;

    static constexpr const char* name = "logind";

  private:
    struct Attached;
    struct SleepDelay {
        std::atomic<int> fd{-1};
        void release();
        ~SleepDelay() { release(); }
    };

    void attach(const std::string& owner);
    void watch_session(const std::string& path);
    void take_sleep_delay();
    void prepare_for_sleep(bool going);

    BusContext bus_;
    std::unique_ptr<Attached> attached_;
    std::optional<gdbus::NameWatch> watch_;
};

}  // namespace postured
