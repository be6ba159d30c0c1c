#include "reload.hpp"

#include <spdlog/spdlog.h>
#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "pictures.hpp"
#include "runtime_dir.hpp"

namespace postured {

namespace {

// The configuration with each stretch's picture found (and, with a `draw_dir`, drawn).
std::optional<Config> read_with_pictures(const ConfigSources& files,
                                         const std::optional<std::string>& draw_dir,
                                         Diagnostics& diagnostics) {
    auto parser = read_config(files);
    auto config = parser.finish();
    diagnostics = parser.diagnostics();
    if (!config) return config;
    find_pictures(config->catalog, files.picture_dirs, draw_dir, diagnostics);
    for (auto& offered : config->offered)
        offered.picture = config->find_stretch(offered.id)->picture;
    // Drawn, the poses are no longer needed: the daemon keeps the files' names, not the pictures.
    for (auto* stretches : {&config->catalog, &config->offered})
        for (auto& stretch : *stretches)
            stretch.pose.reset();
    return config;
}

}  // namespace

std::optional<Config> load_config(const ConfigSources& files, Diagnostics* diagnostics) {
    auto dir = runtime_dir();
    Diagnostics found;
    auto config =
        read_with_pictures(files, dir ? std::optional(*dir + "/pictures") : std::nullopt, found);
    for (auto& d : found) {
        if (d.severity == Diagnostic::Severity::error)
            spdlog::error("{}", d.to_string());
        else
            spdlog::warn("{}", d.to_string());
    }
    if (diagnostics) *diagnostics = std::move(found);
    return config;
}

int check_config(const std::string& file) {
    std::optional<std::string> only;
    if (!file.empty()) only = file;
    auto sources = find_config_sources(std::getenv, only, program_datadir());
    Diagnostics found;
    auto config = read_with_pictures(sources, std::nullopt, found);
    for (auto& d : found)
        std::fprintf(stderr, "%s\n", d.to_string().c_str());
    if (!config) return 1;
    std::string checked;
    for (auto& f : sources.files)
        checked += (checked.empty() ? "" : ", ") + f;
    if (checked.empty()) checked = "the built-in defaults";
    std::printf("%s: ok (%zu stretches on offer)\n", checked.c_str(), config->offered.size());
    return 0;
}

Reloader::Reloader(boost::asio::io_context& io, ConfigSources files, Service& service,
                   Sources& sources, SystemdNotify& systemd)
    : files_(std::move(files)),
      service_(service),
      sources_(sources),
      systemd_(systemd),
      hangup_(io, SIGHUP) {
    wait_for_hangup();
}

Diagnostics Reloader::reload() {
    systemd_.reloading();
    Diagnostics diagnostics;
    if (auto config = load_config(files_, &diagnostics)) {
        service_.reconfigure(std::move(*config));
        sources_.use(service_.config());
        spdlog::info("configuration reloaded");
    } else {
        spdlog::error("reload failed; keeping the configuration in force");
    }
    systemd_.ready();
    return diagnostics;
}

void Reloader::wait_for_hangup() {
    hangup_.async_wait([this](const boost::system::error_code& ec, int) {
        if (ec) return;
        reload();
        wait_for_hangup();
    });
}

}  // namespace postured
