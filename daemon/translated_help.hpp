#pragma once

#include <CLI/CLI.hpp>

#include "core/language.hpp"

namespace postured {

// CLI11's own words in --help, in the user's language; called before any option or command is
// added, which take the group and the help flag from the app.
inline void translate_help_labels(CLI::App& app) {
    app.option_defaults()->group(_("Options"));
    app.set_help_flag("-h,--help", _("Print this help message and exit"));
    for (const char* label : {N_("Usage"), N_("OPTIONS"), N_("SUBCOMMAND"), N_("SUBCOMMANDS"),
                              N_("Positionals"), N_("REQUIRED"), N_("Excludes"), N_("Needs")})
        app.get_formatter()->label(label, tr(label));
    // The commands made after this take it from the app.
    app.failure_message([](const CLI::App*, const CLI::Error& e) {
        return std::string(e.what()) + "\n" + _("Run with --help for more information.") + "\n";
    });
}

}  // namespace postured
