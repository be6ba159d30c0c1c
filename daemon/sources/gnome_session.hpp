#pragma once

#include <memory>
#include <optional>

#include "gdbus.hpp"
#include "sources/bus_context.hpp"

namespace postured {

// Idle inhibitors held through gnome-session (GTK's and the portal's, what browsers and video
// calls use on GNOME): its InhibitedActions has the idle bit while one is held.
class GnomeSession : public Source {
  public:
    explicit GnomeSession(const BusContext& bus);
    ~GnomeSession() override;

    static constexpr const char* name = "gnome-session";

  private:
    void attach(const std::string& owner);
    void inhibited_actions(GVariant* value);

    BusContext bus_;
    std::unique_ptr<gdbus::Cancellable> cancel_;
    std::unique_ptr<gdbus::Subscription> changes_;
    std::optional<gdbus::NameWatch> watch_;
};

}  // namespace postured
