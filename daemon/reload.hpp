#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <optional>
#include <string>

#include "config_files.hpp"
#include "control_commands.hpp"
#include "core/diagnostic.hpp"
#include "service.hpp"
#include "sources/sources.hpp"
#include "systemd_notify.hpp"

namespace postured {

// The configuration in `files`, each problem logged; nothing when one is an error.
std::optional<Config> load_config(const ConfigSources& files, Diagnostics* diagnostics = nullptr);

// postured --check-config: every problem of `file` (or of the XDG places when empty) on stderr,
// and the exit code.
int check_config(const std::string& file);

// Reads the configuration again, on SIGHUP or when asked over the socket, framed for systemd
// (RELOADING=1 ... READY=1): a good one is put in force for the scheduler and the sources, and
// a session that exported its variables late is picked up; one with an error is refused and the
// one in force stays.
class Reloader {
  public:
    Reloader(boost::asio::io_context& io, ConfigSources files, Service& service, Sources& sources,
             SystemdNotify& systemd);

    // Whether it was put in force, and the problems found: in English as logged, or in the
    // user's language when `answered`.
    Reloaded reload(bool answered = false);

  private:
    void wait_for_hangup();

    ConfigSources files_;
    Service& service_;
    Sources& sources_;
    SystemdNotify& systemd_;
    boost::asio::signal_set hangup_;
};

}  // namespace postured
