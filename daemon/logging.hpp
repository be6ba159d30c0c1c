#pragma once

#include <string>

namespace postured {

// The daemon's log: to the journal, with priorities, when stderr is connected to it (as under
// systemd); else to stderr, each line after "postured: ". `level` is trace, debug, info, warn or
// error.
void start_logging(const std::string& level);

}  // namespace postured
