#pragma once

#include <memory>
#include <string>

#include "sources/peer_source.hpp"

namespace postured {

// A screen locker's ActiveChanged: GNOME Shell's org.gnome.ScreenSaver, org.freedesktop.ScreenSaver
// (KDE's KWin, light-locker, xfce4-screensaver) and org.mate.ScreenSaver. A screen saver that is
// on means nobody is at the computer: reported as locked.
class ScreenSaver : public PeerSource {
  public:
    struct Peer {
        const char* source;  // the name reported as, e.g. "gnome-screensaver"
        const char* bus_name;
        const char* interface;
    };
    static constexpr Peer gnome{"gnome-screensaver", "org.gnome.ScreenSaver",
                                "org.gnome.ScreenSaver"};
    static constexpr Peer freedesktop{"freedesktop-screensaver", "org.freedesktop.ScreenSaver",
                                      "org.freedesktop.ScreenSaver"};
    static constexpr Peer mate{"mate-screensaver", "org.mate.ScreenSaver", "org.mate.ScreenSaver"};

    ScreenSaver(const BusContext& bus, const Peer& peer);

  private:
    void attach(const std::string& owner) override;
    void detach() override { changes_.reset(); }
    void active(bool on);

    Peer peer_;
    std::unique_ptr<gdbus::Subscription> changes_;
};

}  // namespace postured
