#pragma once

#include <memory>
#include <optional>

#include "gdbus.hpp"
#include "sources/bus_context.hpp"

namespace postured {

// Input idleness from GNOME's compositor (Wayland and X11): org.gnome.Mutter.IdleMonitor's idle
// watch at `threshold`, and a user-active watch armed while the user is idle; both are events.
// Mutter's watches stop firing while a gnome-session idle inhibitor is held; to tell idle time
// under one (needed only when inhibited time is not work), the idle time is asked for every
// `threshold` while one is held. Mutter restarting is followed.
class GnomeIdle : public Source, public PauseWatcher {
  public:
    GnomeIdle(const BusContext& bus, milliseconds threshold, bool watch_under_inhibitors);
    ~GnomeIdle() override;

    bool watch_for_pause(bool on) override;

    static constexpr const char* name = "gnome";

  private:
    struct Attached;

    void attach(const std::string& owner);
    void add_idle_watch();
    void fired(guint32 watch);
    void check_idle_time();
    void arm_active_watch();
    void remove_pause_watch();
    void call_monitor(const char* method, GVariant* args, gdbus::Reply reply);

    BusContext bus_;
    milliseconds threshold_;
    bool watch_under_inhibitors_;
    std::unique_ptr<Attached> attached_;
    std::optional<gdbus::NameWatch> watch_;
};

}  // namespace postured
