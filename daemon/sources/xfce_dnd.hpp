#pragma once

#include <memory>
#include <optional>

#include "gdbus.hpp"
#include "sources/bus_context.hpp"

namespace postured {

// Xfce's do-not-disturb: xfce4-notifyd keeps it in xfconf (channel xfce4-notifyd, property
// /do-not-disturb; unset means off), whose daemon tells every change.
class XfceDnd : public Source {
  public:
    explicit XfceDnd(const BusContext& bus);
    ~XfceDnd() override;

    static constexpr const char* name = "xfce4-notifyd";

  private:
    void attach(const std::string& owner);
    void tell(GVariant* value);

    BusContext bus_;
    std::unique_ptr<gdbus::Cancellable> cancel_;
    std::unique_ptr<gdbus::Subscription> changes_;
    std::optional<gdbus::NameWatch> watch_;
};

}  // namespace postured
