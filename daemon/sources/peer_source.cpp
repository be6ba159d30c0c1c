#include "sources/peer_source.hpp"

namespace postured {

// The watch tells of the peer from the GLib loop, never from here: attach() and detach() are
// called on the whole object.
PeerSource::PeerSource(const BusContext& bus, GDBusConnection* connection, const char* bus_name,
                       std::string reported_as)
    : bus_(bus), reported_as_(std::move(reported_as)) {
    watch_.emplace(
        connection, bus_name,
        [this](const std::string& owner) {
            cancel_ = std::make_unique<gdbus::Cancellable>();
            attach(owner);
        },
        [this] {
            if (!cancel_) return;
            detach();
            cancel_.reset();
            bus_.sink.report({reported_as_, fact::Gone{}});
        });
}

}  // namespace postured
