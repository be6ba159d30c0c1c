#pragma once

#include <memory>
#include <optional>

#include "gdbus.hpp"
#include "sources/bus_context.hpp"

namespace postured {

// The logind session's idle hint: coarse, set by the desktop after its own idle delay (GNOME
// after its blank-screen delay, swayidle with `idlehint`), but there on any desktop that sets it.
class LogindIdle : public Source {
  public:
    explicit LogindIdle(const BusContext& bus);
    ~LogindIdle() override;

    static constexpr const char* name = "logind-idle-hint";

  private:
    void attach(const std::string& owner);
    void watch_session(const std::string& path);
    void hint(GVariant* properties);

    BusContext bus_;
    std::unique_ptr<gdbus::Cancellable> cancel_;
    std::string owner_;
    std::unique_ptr<gdbus::Subscription> changes_;
    std::optional<gdbus::NameWatch> watch_;
};

}  // namespace postured
