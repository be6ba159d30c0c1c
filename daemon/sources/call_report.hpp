#pragma once

#include <spdlog/spdlog.h>
#include <boost/asio/steady_timer.hpp>

#include "clock.hpp"
#include "core/calls.hpp"
#include "sources/source.hpp"

namespace postured {

// What a call source tells: the captures it sees go in, and a call comes out as a quiet that the
// user sits through, once a capture has run a few seconds and until none has run for a while.
class CallReport {
  public:
    CallReport(boost::asio::io_context& io, PresenceSink& sink, const char* name)
        : timer_(io), sink_(sink), name_(name) {}

    CallTracker& captures() { return tracker_; }

    // Tells the call as it stands now, and looks again when it may change by itself.
    void update() {
        auto now = boot_clock_now();
        auto call = tracker_.call(now);
        if (call != told_) {
            if (call)
                spdlog::info("{}: a call ({})", name_, call->english);
            else
                spdlog::info("{}: the call ended", name_);
            told_ = call;
            Said why;
            if (call) why = say([&] { return formatted(_("a call (%s)"), call->shown().c_str()); });
            sink_.report({name_, fact::Quiet{.on = call.has_value(), .why = why, .call = true}});
        }
        timer_.cancel();
        if (auto next = tracker_.next_change()) {
            timer_.expires_after(std::max(*next - now, milliseconds{0}));
            timer_.async_wait([this](const boost::system::error_code& ec) {
                if (!ec) update();
            });
        }
    }

  private:
    CallTracker tracker_;
    std::optional<Said> told_;
    boost::asio::steady_timer timer_;
    PresenceSink& sink_;
    const char* name_;
};

}  // namespace postured
