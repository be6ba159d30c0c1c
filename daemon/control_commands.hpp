#pragma once

#include <functional>
#include <nlohmann/json.hpp>

#include "core/diagnostic.hpp"
#include "core/protocol.hpp"
#include "service.hpp"
#include "state_store.hpp"

namespace postured {

// What a reload did: whether the configuration it read was put in force, and the problems found.
struct Reloaded {
    bool applied = false;
    Diagnostics diagnostics;
};

// What each request on the control socket does, and its reply.
class ControlCommands {
  public:
    // Reads the configuration again and puts it in force; on any error the running one stays.
    using Reload = std::function<Reloaded()>;

    ControlCommands(Service& service, StateStore* store, Reload reload);

    nlohmann::json handle(const protocol::Request& request);

  private:
    nlohmann::json act(const Event& event);
    nlohmann::json reload();
    nlohmann::json stretches();
    nlohmann::json stats(int days);

    Service& service_;
    StateStore* store_;
    Reload reload_;
};

}  // namespace postured
