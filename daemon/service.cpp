#include "service.hpp"

#include <boost/asio/post.hpp>

#include <fmt/ranges.h>
#include <spdlog/spdlog.h>
#include <random>
#include <utility>

#include "core/duration.hpp"
#include "core/protocol.hpp"

namespace postured {

Service::Service(boost::asio::io_context& io, SystemClock& clock, Notifier& notifier, Config config,
                 StateStore* store)
    : io_(io),
      clock_(clock),
      notifier_(notifier),
      scheduler_(std::move(config), clock.now(), std::random_device{}()),
      store_(store),
      wakeup_(io, [this] { handle(event::Tick{}); }),
      checkpoint_(io),
      save_retry_(io) {
    notifier_.configure(scheduler_.config().notify);
    if (store_) {
        try {
            if (auto saved = store_->load_state()) {
                saved_ = saved;
                auto left_out = scheduler_.restore(clock_.now(), *saved);
                if (!left_out.empty())
                    spdlog::warn("the saved state has values out of range, started afresh: {}",
                                 fmt::join(left_out, ", "));
            }
        } catch (const std::exception& e) {
            spdlog::warn("cannot read the saved state: {}", e.what());
        }
    }
    must_save_ = true;
    settle();
    // A notification an earlier run left on screen goes, unless a break is out to take it over.
    if (!scheduler_.snapshot(clock_.now()).owed) notifier_.close();
    auto status = scheduler_.status(clock_.now());
    spdlog::info("a break after every {} of work; first: {}", format_duration(status.interval),
                 status.next_stretch);
    if (status.state == State::off_hours)
        spdlog::info("{}: the first break can come then; posturectl break shows one now",
                     protocol::status_text(status));
}

// A suspend shows as time on CLOCK_BOOTTIME that CLOCK_MONOTONIC did not count. It is told to
// presence like logind's news of it, which may have come already or may never come.
Now Service::now() {
    auto now = clock_.now();
    auto slept = clock_.take_slept();
    if (slept >= seconds{1}) {
        spdlog::info("the machine slept for {}",
                     format_duration(std::chrono::floor<seconds>(slept)));
        take(now, {"clock", fact::Asleep{now.mono - slept}});
        take(now, {"clock", fact::Awake{now.mono}});
    }
    return now;
}

void Service::take(Now now, const Report& report) {
    for (auto& event : presence_.take(report)) {
        if (auto* change = std::get_if<event::PresenceChanged>(&event))
            spdlog::debug("presence: {} (from {})", to_string(change->presence), report.source);
        else if (auto* inhibitor = std::get_if<event::InhibitorChanged>(&event))
            spdlog::debug("idle inhibitor {} (from {})", inhibitor->inhibited ? "held" : "released",
                          report.source);
        else if (auto* quiet = std::get_if<event::QuietChanged>(&event))
            spdlog::info("{}", quiet->why ? "quiet: " + *quiet->why : std::string("quiet no more"));
        perform(scheduler_.handle(now, event));
    }
}

void Service::answer(const Event& answer) {
    auto output = handle(answer);
    if (!output.refused.empty())
        spdlog::info("an answer from a notification is not taken: {}", output.refused);
}

Output Service::handle(const Event& event) {
    auto output = scheduler_.handle(now(), event);
    perform(output);
    if (!std::holds_alternative<event::Tick>(event)) must_save_ = true;
    settle();
    return output;
}

void Service::report(const Report& report, std::function<void()> after_saved) {
    take(now(), report);
    // Asked for before a sleep: when the daemon last counted is written too, as at a stop.
    if (after_saved) must_save_ = save_even_unchanged_ = true;
    settle();
    if (after_saved) after_saved();
}

Status Service::status() {
    handle(event::Tick{});
    return current_status();
}

Status Service::current_status() const {
    auto status = scheduler_.status(clock_.now());
    status.idle_source = to_string(idle_source_.source);
    status.idle_source_note = idle_source_.note;
    status.idle_protocol = idle_protocol_;
    return status;
}

void Service::reconfigure(Config config) {
    notifier_.configure(config.notify);
    perform(scheduler_.reconfigure(now(), std::move(config)));
    must_save_ = true;
    settle();
}

void Service::set_idle_source(const IdleSourceChoice& choice) {
    idle_source_ = choice;
    idle_protocol_.clear();
    settle();
}

void Service::set_idle_protocol(std::string protocol) {
    idle_protocol_ = std::move(protocol);
    settle();
}

void Service::perform(const Output& output) {
    for (auto& action : output.actions) {
        must_save_ = true;
        if (auto* show = std::get_if<ShowBreak>(&action)) {
            spdlog::info("break: {}{}", show->stretch.name,
                         show->resend ? fmt::format(" (reminder {})", show->resend) : "");
            notifier_.show(*show);
        } else if (std::holds_alternative<CloseBreak>(action)) {
            notifier_.close();
        } else if (auto* watch = std::get_if<WatchForPause>(&action)) {
            bool watching = watch_for_pause && watch_for_pause(watch->on);
            if (watch->on && !watching)
                boost::asio::post(io_, [this] { handle(event::InputPaused{}); });
        } else if (auto* ask = std::get_if<AskQuiet>(&action)) {
            bool asking = ask_quiet && ask_quiet(ask->on);
            if (ask->on && !asking)
                boost::asio::post(io_, [this] { handle(event::QuietAnswered{}); });
        } else if (auto* record = std::get_if<Record>(&action)) {
            spdlog::info("break {}{}{}", to_string(record->outcome),
                         record->stretch_id.empty() ? "" : ": ", record->stretch_id);
            unsaved_.push_back(*record);
        }
    }
}

// After every event the timers follow the scheduler, and the status is told when it changed.
// The state is written when the user did something or a break came or went, so that an answer
// the user was told of is on disk before the reply; a change of presence alone is not, since a
// checkpoint every few minutes while work is counted keeps what a crash could lose small.
void Service::settle() {
    wakeup_.arm(scheduler_.next_wakeup(), scheduler_.next_calendar_change());
    auto status = current_status();
    bool acted = must_save_;
    if (must_save_ && store_) {
        write_state(std::exchange(save_even_unchanged_, false));
        checkpoint_.cancel();  // the next one counts from this write
        checkpoint_pending_ = false;
    }
    must_save_ = false;
    if (store_ && !checkpoint_pending_ && counts_work(status.state)) {
        checkpoint_pending_ = true;
        checkpoint_.expires_after(std::chrono::minutes{5});
        checkpoint_.async_wait([this](const boost::system::error_code& ec) {
            if (ec) return;
            checkpoint_pending_ = false;
            write_state();
            settle();
        });
    }
    Told now_told{status.state, status.presence, status.inhibited, status.idle_source,
                  status.idle_protocol};
    if (!acted && now_told == told_) return;
    told_ = now_told;
    if (on_status) on_status(status);
}

bool Service::counts_work(State state) {
    return state == State::working || state == State::snoozed || state == State::due;
}

// A state that only grew older is not written: each write is a disk sync and a wake-up. What
// cannot be written stays in memory and is written at the next save, tried every minute until
// one works. Each new error is told once, and the recovery too.
void Service::write_state(bool even_unchanged) {
    save_retry_.cancel();
    auto state = scheduler_.snapshot(clock_.now());
    if (!even_unchanged && unsaved_.empty() && saved_) {
        auto then = *saved_;
        then.saved_at = state.saved_at;
        if (then == state) return;
    }
    try {
        store_->save(state, unsaved_);
        saved_ = state;
        unsaved_.clear();
        if (!save_error_.empty())
            spdlog::info("the state is saved again ({} break{} kept in memory meanwhile)",
                         saved_late_, saved_late_ == 1 ? "" : "s");
        saved_late_ = 0;
        save_error_.clear();
    } catch (const std::exception& e) {
        if (e.what() != save_error_)
            spdlog::error("cannot save the state ({}); keeping it in memory until it can be",
                          e.what());
        save_error_ = e.what();
        saved_late_ = unsaved_.size();
        save_retry_.expires_after(std::chrono::minutes{1});
        save_retry_.async_wait([this](const boost::system::error_code& ec) {
            if (!ec) write_state();
        });
    }
}

void Service::stop() {
    checkpoint_.cancel();
    save_retry_.cancel();
    // When it stopped is kept: a restart soon after takes up the hour where it was.
    if (store_) write_state(true);
}

}  // namespace postured
