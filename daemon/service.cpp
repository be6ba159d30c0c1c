#include "service.hpp"

#include <boost/asio/post.hpp>

#include <spdlog/spdlog.h>
#include <random>
#include <utility>

#include "clock.hpp"

namespace postured {

namespace {

std::optional<Snapshot> load(StateStore* store) {
    if (!store) return {};
    try {
        return store->load_state();
    } catch (const std::exception& e) {
        spdlog::warn("cannot read the saved state: {}", e.what());
        return {};
    }
}

void log(const LogLine& line) {
    constexpr spdlog::level::level_enum levels[] = {spdlog::level::debug, spdlog::level::info,
                                                    spdlog::level::warn, spdlog::level::err};
    spdlog::log(levels[static_cast<int>(line.level)], "{}", line.text);
}

}  // namespace

Service::Service(boost::asio::io_context& io, Notifier& notifier, Config config, StateStore* store)
    : io_(io),
      notifier_(notifier),
      store_(store),
      core_(std::move(config), system_now(), std::random_device{}(), store != nullptr),
      wakeup_(io, [this] { handle(event::Tick{}); }) {
    notifier_.configure(core_.config().notify);
    auto saved = load(store_);
    carry_out(core_.start(system_now(), saved));
}

Said Service::handle(const Event& event) {
    auto effects = core_.handle(system_now(), event);
    auto refused = effects.refused;
    carry_out(std::move(effects));
    return refused;
}

// A source may report from within a call the service made to it (asked to watch for a pause or
// about quiet, in the middle of a step): that report is taken once the step is carried out. A
// report that fails is logged; the sources and the loop go on.
void Service::report(const Report& report, std::function<void()> after_saved) {
    if (carrying_out_)
        return boost::asio::post(io_, [this, report, after_saved = std::move(after_saved)] {
            this->report(report, after_saved);
        });
    try {
        // Asked for before a sleep: when the daemon last counted is written too, as at a stop.
        carry_out(core_.handle(system_now(), report, bool(after_saved)));
    } catch (const std::exception& e) {
        spdlog::error("a report from {} failed: {}", report.source, e.what());
    }
    if (after_saved) after_saved();
}

void Service::answer(const Event& answer) {
    if (auto refused = handle(answer); !refused.english.empty())
        spdlog::info("an answer from a notification is not taken: {}", refused.english);
}

Status Service::status() const {
    return core_.status(system_now());
}

void Service::reconfigure(Config config) {
    notifier_.configure(config.notify);
    carry_out(core_.reconfigure(system_now(), std::move(config)));
}

void Service::use_idle_source(const IdleSourceChoice& choice) {
    if (carrying_out_) return boost::asio::post(io_, [this, choice] { use_idle_source(choice); });
    carry_out(core_.use_idle_source(system_now(), choice));
}

void Service::use_idle_protocol(std::string protocol) {
    if (carrying_out_)
        return boost::asio::post(io_, [this, protocol] { use_idle_protocol(protocol); });
    carry_out(core_.use_idle_protocol(system_now(), std::move(protocol)));
}

void Service::connect(PauseWatcher& pauses, QuietAsker& quiet) {
    pauses_ = &pauses;
    quiet_ = &quiet;
}

void Service::stop() {
    // When it stopped is kept: a restart soon after takes up the hour where it was.
    carry_out(core_.save_now(system_now()));
}

void Service::carry_out(Effects effects) {
    carrying_out_ = true;
    struct Done {
        bool& flag;
        ~Done() { flag = false; }
    } done{carrying_out_};
    for (auto& line : effects.log)
        log(line);
    for (auto& action : effects.actions)
        perform(action);
    if (effects.save && store_) {
        std::optional<std::string> error;
        try {
            store_->save(effects.save->state, effects.save->ended);
        } catch (const std::exception& e) {
            error = e.what();
        }
        for (auto& line : core_.saved(system_now(), *effects.save, error).log)
            log(line);
    }
    if (effects.status)
        for (auto* follower : followers_)
            follower->status_changed(*effects.status);
    wakeup_.arm(core_.next_deadline(), core_.next_calendar_change());
}

void Service::perform(const Action& action) {
    if (auto* show = std::get_if<ShowBreak>(&action)) {
        notifier_.show(*show);
    } else if (std::holds_alternative<CloseBreak>(action)) {
        notifier_.close();
    } else if (auto* watch = std::get_if<WatchForPause>(&action)) {
        bool watching = pauses_ && pauses_->watch_for_pause(watch->on);
        if (watch->on && !watching)
            boost::asio::post(io_, [this] { handle(event::InputPaused{}); });
    } else if (auto* ask = std::get_if<AskQuiet>(&action)) {
        bool asking = quiet_ && quiet_->ask_quiet(ask->on);
        if (ask->on && !asking) boost::asio::post(io_, [this] { handle(event::QuietAnswered{}); });
    }
}

}  // namespace postured
