#include "logging.hpp"

#include <unistd.h>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/systemd_sink.h>
#include <spdlog/spdlog.h>

#include "systemd_notify.hpp"

namespace postured {

void start_logging(const std::string& level) {
    if (is_journal(STDERR_FILENO)) {
        spdlog::set_default_logger(std::make_shared<spdlog::logger>(
            "postured", std::make_shared<spdlog::sinks::systemd_sink_mt>("postured")));
    } else {
        spdlog::set_default_logger(spdlog::stderr_color_mt("postured"));
        spdlog::set_pattern("%^postured%$: %v");
    }
    spdlog::set_level(spdlog::level::from_str(level));
}

}  // namespace postured
