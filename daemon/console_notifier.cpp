#include "console_notifier.hpp"

#include <optional>

#include "core/break_text.hpp"
#include "core/duration.hpp"
#include "core/language.hpp"

namespace postured {

void ConsoleNotifier::show(const ShowBreak& request) {
    std::optional<InEnglish> english;
    if (in_english_) english.emplace();
    const auto& s = request.stretch;
    auto name = shown_name(s);
    auto heading = request.resend > 0 ? formatted(_("Time to stretch: %s (reminder %d)"),
                                                  name.c_str(), request.resend)
                                      : formatted(_("Time to stretch: %s"), name.c_str());
    std::string rule(static_cast<std::size_t>(columns(heading)) + 4, '-');
    std::fprintf(out_, "\n%s\n  %s\n%s\n", rule.c_str(), heading.c_str(), rule.c_str());
    std::string body = break_body(s);
    std::size_t start = 0;
    while (start <= body.size()) {
        auto end = body.find('\n', start);
        if (end == std::string::npos) end = body.size();
        std::fprintf(out_, "  %s\n", body.substr(start, end - start).c_str());
        start = end + 1;
    }
    std::fprintf(out_, "  %s\n\n",
                 formatted(_("About %s. Works: %s."), duration_text(s.duration).c_str(),
                           shown_muscles(s).c_str())
                     .c_str());
    std::fflush(out_);
}

}  // namespace postured
