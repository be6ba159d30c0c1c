#pragma once

#include <gio/gio.h>

#include "sources/peer_source.hpp"

namespace postured {

// GNOME's do-not-disturb: the setting org.gnome.desktop.notifications show-banners (false when
// it is on), followed while GNOME Shell, which obeys it, is on the session bus.
class GnomeDnd : public PeerSource {
  public:
    explicit GnomeDnd(const BusContext& bus);
    ~GnomeDnd() override { detach(); }

    static constexpr const char* name = "gnome-shell";

  private:
    void attach(const std::string& owner) override;
    void detach() override;
    void tell();

    GSettings* settings_ = nullptr;
};

}  // namespace postured
