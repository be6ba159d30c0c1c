#include "reload.hpp"

#include <spdlog/spdlog.h>
#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "core/language.hpp"
#include "pictures.hpp"
#include "runtime_dir.hpp"

namespace postured {

namespace {

// The configuration with each stretch's picture found (and, with a `draw_dir`, drawn).
std::optional<Config> read_with_pictures(const ConfigTexts& texts, const ConfigSources& files,
                                         const std::optional<std::string>& draw_dir,
                                         Diagnostics& diagnostics) {
    auto parser = parse_config(texts);
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

// Where a user's own poses are drawn: the runtime directory, when there is one.
std::optional<std::string> drawn_pictures_dir() {
    auto dir = runtime_dir();
    return dir ? std::optional(*dir + "/pictures") : std::nullopt;
}

std::optional<Config> load_and_log(const ConfigTexts& texts, const ConfigSources& files,
                                   Diagnostics* diagnostics) {
    InEnglish in_english;  // the journal's words
    Diagnostics found;
    auto config = read_with_pictures(texts, files, drawn_pictures_dir(), found);
    for (auto& d : found) {
        if (d.severity == Diagnostic::Severity::error)
            spdlog::error("{}", d.to_string());
        else
            spdlog::warn("{}", d.to_string());
    }
    if (diagnostics) *diagnostics = std::move(found);
    return config;
}

}  // namespace

std::optional<Config> load_config(const ConfigSources& files, Diagnostics* diagnostics) {
    return load_and_log(read_config_texts(files), files, diagnostics);
}

int check_config(const std::string& file) {
    std::optional<std::string> only;
    if (!file.empty()) only = file;
    auto sources = find_config_sources(std::getenv, only, program_datadir());
    Diagnostics found;
    auto config = read_with_pictures(read_config_texts(sources), sources, std::nullopt, found);
    for (auto& d : found)
        std::fprintf(stderr, "%s\n", d.to_string().c_str());
    if (!config) return 1;
    auto checked = listed(sources.files);
    if (checked.empty()) checked = _("the built-in defaults");
    auto offered = config->offered.size();
    std::printf(
        tr_n("%s: ok (%zu stretch on offer)\n", "%s: ok (%zu stretches on offer)\n", offered),
        checked.c_str(), offered);
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

Reloaded Reloader::reload(bool answered) {
    systemd_.reloading();
    auto texts = read_config_texts(files_);
    Reloaded reloaded;
    if (auto config = load_and_log(texts, files_, &reloaded.diagnostics)) {
        service_.reconfigure(std::move(*config));
        sources_.use(service_.config());
        reloaded.applied = true;
        spdlog::info("configuration reloaded");
    } else {
        spdlog::error("reload failed; keeping the configuration in force");
    }
    systemd_.ready();
    // What was logged in English, once more in the user's language for their answer: parsed
    // from the same texts, whatever an editor has saved since (the pictures, warnings only, are
    // looked for again).
    if (answered && !reloaded.diagnostics.empty()) {
        reloaded.diagnostics.clear();
        read_with_pictures(texts, files_, drawn_pictures_dir(), reloaded.diagnostics);
    }
    return reloaded;
}

void Reloader::wait_for_hangup() {
    hangup_.async_wait([this](const boost::system::error_code& ec, int) {
        if (ec) return;
        reload();
        wait_for_hangup();
    });
}

}  // namespace postured
