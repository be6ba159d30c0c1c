#pragma once

#include <memory>

#include "sources/peer_source.hpp"

namespace postured {

// Idle inhibitors taken through org.freedesktop.ScreenSaver.Inhibit on KDE Plasma, as browsers
// and video calls do: KWin's idle events do not heed them, but PowerDevil's policy agent keeps
// them as "change screen settings" inhibitions.
class PowerDevil : public PeerSource {
  public:
    explicit PowerDevil(const BusContext& bus);

    static constexpr const char* name = "powerdevil";
    static constexpr const char* bus_name = "org.kde.Solid.PowerManagement.PolicyAgent";

  private:
    void attach(const std::string& owner) override;
    void detach() override { changes_.reset(); }
    void ask(const std::string& owner);

    std::unique_ptr<gdbus::Subscription> changes_;
};

}  // namespace postured
