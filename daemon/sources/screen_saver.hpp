#pragma once

#include <memory>
#include <optional>
#include <string>

#include "gdbus.hpp"
#include "sources/bus_context.hpp"

namespace postured {

// A screen locker's ActiveChanged: GNOME Shell's org.gnome.ScreenSaver, org.freedesktop.ScreenSaver
// (KDE's KWin, light-locker, xfce4-screensaver) and org.mate.ScreenSaver. A screen saver that is
// on means nobody is at the computer: reported as locked.
class ScreenSaver : public Source {
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
    ~ScreenSaver() override;

  private:
    void attach(const std::string& owner);
    void active(bool on);

    BusContext bus_;
    Peer peer_;
    std::unique_ptr<gdbus::Cancellable> cancel_;
    std::unique_ptr<gdbus::Subscription> changes_;
    std::optional<gdbus::NameWatch> watch_;
};

}  // namespace postured
