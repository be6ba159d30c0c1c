#include "core/break_text.hpp"

#include "core/duration.hpp"
#include "core/language.hpp"
#include "core/safety.hpp"

namespace postured {

namespace {

std::string catalog_text(const Stretch& stretch, const std::string& text) {
    return stretch.from_catalog && !text.empty() ? tr(text.c_str()) : text;
}

}  // namespace

std::string shown_name(const Stretch& stretch) {
    return catalog_text(stretch, stretch.name);
}

std::vector<std::string> shown_steps(const Stretch& stretch) {
    std::vector<std::string> steps;
    for (auto& step : stretch.steps)
        steps.push_back(catalog_text(stretch, step));
    return steps;
}

std::string shown_muscles(const Stretch& stretch) {
    return listed_in_users_language(muscle_list(stretch.muscles));
}

std::string dose_line(const Stretch& stretch) {
    if (!stretch.dose.empty()) return catalog_text(stretch, stretch.dose);
    auto hold = duration_text(stretch.hold);
    if (stretch.reps > 1 && stretch.each_side)
        return formatted(tr_n("Hold %s · %d time · each side", "Hold %s · %d times · each side",
                              static_cast<unsigned long>(stretch.reps)),
                         hold.c_str(), stretch.reps);
    if (stretch.reps > 1)
        return formatted(tr_n("Hold %s · %d time", "Hold %s · %d times",
                              static_cast<unsigned long>(stretch.reps)),
                         hold.c_str(), stretch.reps);
    if (stretch.each_side) return formatted(_("Hold %s · each side"), hold.c_str());
    return formatted(_("Hold %s"), hold.c_str());
}

std::string steps_paragraph(const Stretch& stretch) {
    std::string paragraph;
    for (const auto& step : shown_steps(stretch))
        paragraph += (paragraph.empty() ? "" : " ") + step;
    return paragraph;
}

std::string safety_text() {
    return _(safety_line);
}

std::optional<std::string> reset_line(const Stretch& stretch) {
    if (stretch.id == posture_reset_id) return std::nullopt;
    return std::string(_(posture_reset_line));
}

std::string break_body(const Stretch& stretch) {
    std::string body = dose_line(stretch) + "\n" + safety_text();
    auto steps = shown_steps(stretch);
    for (std::size_t i = 0; i < steps.size(); ++i)
        body += "\n" + std::to_string(i + 1) + ". " + steps[i];
    if (auto reset = reset_line(stretch)) body += "\n" + *reset;
    return body;
}

}  // namespace postured
