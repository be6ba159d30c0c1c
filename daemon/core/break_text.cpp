#include "core/break_text.hpp"

#include "core/duration.hpp"
#include "core/safety.hpp"

namespace postured {

std::string dose_line(const Stretch& stretch) {
    std::string line = "Hold " + format_duration(stretch.hold);
    if (stretch.reps > 1) line += " · " + std::to_string(stretch.reps) + " times";
    if (stretch.each_side) line += " · each side";
    return line;
}

std::string steps_paragraph(const Stretch& stretch) {
    std::string paragraph;
    for (const auto& step : stretch.steps)
        paragraph += (paragraph.empty() ? "" : " ") + step;
    return paragraph;
}

std::string break_body(const Stretch& stretch) {
    std::string body = dose_line(stretch) + "\n";
    for (std::size_t i = 0; i < stretch.steps.size(); ++i)
        body += std::to_string(i + 1) + ". " + stretch.steps[i] + "\n";
    return body + std::string(safety_line);
}

}  // namespace postured
