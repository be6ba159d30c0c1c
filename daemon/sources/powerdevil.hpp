#pragma once

#include <memory>
#include <optional>

#include "gdbus.hpp"
#include "sources/bus_context.hpp"

namespace postured {

// Idle inhibitors taken through org.freedesktop.ScreenSaver.Inhibit on KDE Plasma, as browsers
// and video calls do: KWin's idle events do not heed them, but PowerDevil's policy agent keeps
// them as "change screen settings" inhibitions.
class PowerDevil : public Source {
  public:
    explicit PowerDevil(const BusContext& bus);
    ~PowerDevil() override;

    static constexpr const char* name = "powerdevil";
    static constexpr const char* bus_name = "org.kde.Solid.PowerManagement.PolicyAgent";

  private:
    void attach(const std::string& owner);
    void ask(const std::string& owner);

    BusContext bus_;
    std::unique_ptr<gdbus::Cancellable> cancel_;
    std::unique_ptr<gdbus::Subscription> changes_;
    std::optional<gdbus::NameWatch> watch_;
};

}  // namespace postured
