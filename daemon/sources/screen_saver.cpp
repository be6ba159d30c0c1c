#include "sources/screen_saver.hpp"

#include <spdlog/spdlog.h>
#include <algorithm>

#include "clock.hpp"

namespace postured {

ScreenSaver::ScreenSaver(const BusContext& bus, const Peer& peer)
    : PeerSource(bus, bus.session, peer.bus_name, peer.source), peer_(peer) {}

void ScreenSaver::attach(const std::string& owner) {
    spdlog::debug("watching the screen saver {}", peer_.bus_name);
    // Some lockers emit the signal from more than one object path: any path of the owner's.
    changes_ = std::make_unique<gdbus::Subscription>(bus_.session, owner.c_str(), peer_.interface,
                                                     "ActiveChanged", nullptr, nullptr,
                                                     [this](const char*, GVariant* parameters) {
                                                         gboolean on = FALSE;
                                                         g_variant_get(parameters, "(b)", &on);
                                                         active(on);
                                                     });
    auto path = "/" + std::string(peer_.bus_name);
    std::replace(path.begin(), path.end(), '.', '/');
    gdbus::call(bus_.session, owner.c_str(), path.c_str(), peer_.interface, "GetActive", nullptr,
                cancellable(), [this](GVariant* reply, const GError*) {
                    gboolean on = FALSE;
                    if (reply) g_variant_get(reply, "(b)", &on);
                    active(on);
                });
}

void ScreenSaver::active(bool on) {
    auto now = boot_clock_now();
    if (on)
        bus_.sink.report({peer_.source, fact::Locked{now}});
    else
        bus_.sink.report({peer_.source, fact::Unlocked{now}});
}

}  // namespace postured
