#pragma once

#include <memory>

#include "sources/peer_source.hpp"

namespace postured {

// Follows whether gnome-session (at `owner`) holds an idle inhibitor, as GTK's and the portal's
// inhibitors are on GNOME: `held` is told now and at every change of its InhibitedActions.
std::unique_ptr<gdbus::PropertyWatch> watch_gnome_idle_inhibitors(GDBusConnection* session,
                                                                  const char* owner,
                                                                  GCancellable* cancel,
                                                                  std::function<void(bool)> held);

// Idle inhibitors held through gnome-session: what browsers and video calls use on GNOME.
class GnomeSession : public PeerSource {
  public:
    explicit GnomeSession(const BusContext& bus);

    static constexpr const char* name = "gnome-session";
    static constexpr const char* bus_name = "org.gnome.SessionManager";

  private:
    void attach(const std::string& owner) override;
    void detach() override { inhibitors_.reset(); }

    std::unique_ptr<gdbus::PropertyWatch> inhibitors_;
};

}  // namespace postured
