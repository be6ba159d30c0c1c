#pragma once

#include <memory>
#include <string>

#include "glib_loop.hpp"
#include "sources/peer_source.hpp"

namespace postured {

// mako's do-not-disturb: its mode "do-not-disturb" (makoctl mode -a do-not-disturb). mako tells
// no changes, so its modes are asked for only while the scheduler asks: while a break is due,
// held or out, every few seconds; never while nothing is due.
class MakoDnd : public PeerSource, public QuietAsker {
  public:
    explicit MakoDnd(const BusContext& bus);

    bool ask_quiet(bool on) override;

    static constexpr const char* name = "mako";

  private:
    void attach(const std::string& owner) override;
    void detach() override { owner_.clear(); }
    void ask();
    void tell(bool on);

    std::string owner_;      // of org.freedesktop.Notifications, while there is one
    bool not_mako_ = false;  // that owner has no mako modes
    std::unique_ptr<GlibTimer> asking_;
};

}  // namespace postured
