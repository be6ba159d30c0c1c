#pragma once

#include <memory>

#include "sources/peer_source.hpp"

namespace postured {

// Xfce's do-not-disturb: xfce4-notifyd keeps it in xfconf (channel xfce4-notifyd, property
// /do-not-disturb; unset means off), whose daemon tells every change.
class XfceDnd : public PeerSource {
  public:
    explicit XfceDnd(const BusContext& bus);

    static constexpr const char* name = "xfce4-notifyd";

  private:
    void attach(const std::string& owner) override;
    void detach() override { changes_.reset(); }
    void tell(GVariant* value);

    std::unique_ptr<gdbus::Subscription> changes_;
};

}  // namespace postured
