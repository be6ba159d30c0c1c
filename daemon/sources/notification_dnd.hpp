#pragma once

#include <memory>
#include <vector>

#include "sources/peer_source.hpp"

namespace postured {

// Do-not-disturb as the notification server itself keeps it, followed through its properties:
// dunst's `paused` (dunstctl set-paused) and KDE Plasma's `Inhibited`. Whichever server owns
// org.freedesktop.Notifications, the one that has neither property says nothing.
class NotificationDnd : public PeerSource {
  public:
    explicit NotificationDnd(const BusContext& bus);

    static constexpr const char* name = "notification-server";

  private:
    void attach(const std::string& owner) override;
    void detach() override { watches_.clear(); }

    std::vector<std::unique_ptr<gdbus::PropertyWatch>> watches_;
};

}  // namespace postured
