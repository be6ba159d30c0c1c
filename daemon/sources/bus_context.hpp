#pragma once

#include <gio/gio.h>

#include "sources/source.hpp"

namespace postured {

// What a source on the bus works with, on the daemon's thread.
struct BusContext {
    GDBusConnection* session;  // never null
    GDBusConnection* system;   // null when there is no system bus
    PresenceSink& sink;
};

}  // namespace postured
