#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/config.hpp"
#include "core/diagnostic.hpp"

namespace postured {

// Builds a Config from layers of TOML text: the stretch catalog first, then config files from
// the least to the most specific (system defaults, then the user's), each overriding the keys it
// sets. finish() runs the checks that span layers and returns the Config only if no layer had an
// error; diagnostics() lists every problem found, errors and warnings.
class ConfigParser {
  public:
    void add_catalog(std::string_view text, const std::string& path);
    void add_config(std::string_view text, const std::string& path);
    // For a file that could not be read at all.
    void add_unreadable(const std::string& path, const std::string& reason);

    std::optional<Config> finish();
    const Diagnostics& diagnostics() const { return diagnostics_; }

  private:
    struct LocatedId {
        std::string id;
        Where where;
    };

    Config config_;
    Diagnostics diagnostics_;
    std::vector<Stretch> catalog_;
    std::vector<Stretch> custom_;
    std::vector<LocatedId> disabled_;
    std::vector<LocatedId> favorites_;
    std::map<std::string, Where> set_at_;

    friend class ConfigLayer;
};

}  // namespace postured
