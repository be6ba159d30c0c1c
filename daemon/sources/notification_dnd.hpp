#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "gdbus.hpp"
#include "sources/bus_context.hpp"

namespace postured {

// Do-not-disturb as the notification server itself keeps it, followed through its properties:
// dunst's `paused` (dunstctl set-paused) and KDE Plasma's `Inhibited`. Whichever server owns
// org.freedesktop.Notifications, the one that has neither property says nothing.
class NotificationDnd : public Source {
  public:
    explicit NotificationDnd(const BusContext& bus);
    ~NotificationDnd() override;

    static constexpr const char* name = "notification-server";

  private:
    void attach(const std::string& owner);

    BusContext bus_;
    std::unique_ptr<gdbus::Cancellable> cancel_;
    std::vector<std::unique_ptr<gdbus::PropertyWatch>> watches_;
    std::optional<gdbus::NameWatch> watch_;
};

}  // namespace postured
