#pragma once

#include <gio/gio.h>

#include "glib_thread.hpp"
#include "sources/source.hpp"

namespace postured {

// What a source on the bus thread works with. It is made, used and destroyed on that thread.
struct BusContext {
    GDBusConnection* session;  // never null
    GDBusConnection* system;   // null when there is no system bus
    DesktopSink& sink;         // carries its reports to the Asio loop
};

}  // namespace postured
