#include "core/break_text.hpp"

#include "core/duration.hpp"
#include "core/safety.hpp"

namespace postured {

std::string dose_line(const Stretch& stretch) {
    if (!stretch.dose.empty()) return stretch.dose;
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

std::optional<std::string> reset_line(const Stretch& stretch) {
    if (stretch.id == posture_reset_id) return std::nullopt;
    return std::string(posture_reset_line);
}

std::string break_body(const Stretch& stretch) {
    std::string body = dose_line(stretch) + "\n" + std::string(safety_line);
    for (std::size_t i = 0; i < stretch.steps.size(); ++i)
        body += "\n" + std::to_string(i + 1) + ". " + stretch.steps[i];
    if (auto reset = reset_line(stretch)) body += "\n" + *reset;
    return body;
}

}  // namespace postured
