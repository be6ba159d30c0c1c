#include "console_notifier.hpp"

#include "core/break_text.hpp"
#include "core/duration.hpp"

namespace postured {

void ConsoleNotifier::show(const ShowBreak& request) {
    const auto& s = request.stretch;
    std::string heading = "Time to stretch: " + s.name;
    if (request.resend > 0) heading += " (reminder " + std::to_string(request.resend) + ")";
    std::string rule(heading.size() + 4, '-');
    std::fprintf(out_, "\n%s\n  %s\n%s\n", rule.c_str(), heading.c_str(), rule.c_str());
    std::string body = break_body(s);
    std::size_t start = 0;
    while (start <= body.size()) {
        auto end = body.find('\n', start);
        if (end == std::string::npos) end = body.size();
        std::fprintf(out_, "  %s\n", body.substr(start, end - start).c_str());
        start = end + 1;
    }
    std::fprintf(out_, "  About %s. Works: %s.\n\n", format_duration(s.duration).c_str(),
                 muscles_text(s.muscles).c_str());
    std::fflush(out_);
}

}  // namespace postured
