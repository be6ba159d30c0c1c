#pragma once

#include <memory>
#include <optional>
#include <string>

#include "gdbus.hpp"
#include "sources/bus_context.hpp"

namespace postured {

// A source that follows one peer on a bus: attach() when it appears, with a cancellable for the
// calls made to it; when it goes, detach() and all the source said withdrawn (fact::Gone).
class PeerSource : public Source {
  protected:
    PeerSource(const BusContext& bus, GDBusConnection* connection, const char* bus_name,
               std::string reported_as);

    virtual void attach(const std::string& owner) = 0;
    virtual void detach() = 0;
    GCancellable* cancellable() const { return *cancel_; }

    BusContext bus_;

  private:
    std::string reported_as_;
    std::unique_ptr<gdbus::Cancellable> cancel_;  // while attached
    std::optional<gdbus::NameWatch> watch_;
};

}  // namespace postured
