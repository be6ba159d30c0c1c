#include "core/stretch.hpp"

#include <toml++/toml.h>
#include <algorithm>

#include "core/duration.hpp"
#include "core/language.hpp"

namespace postured {

namespace {

// The catalog's names, which people read translated.
constexpr std::pair<Muscle, std::string_view> muscle_names[] = {
    // TRANSLATORS: the muscles a stretch works, as "Works: rhomboids, trapezius." shows them.
    {Muscle::rhomboids, N_("rhomboids")},
    {Muscle::trapezius, N_("trapezius")},
    {Muscle::lats, N_("lats")},
    {Muscle::levator_scapulae, N_("levator-scapulae")},
    {Muscle::thoracic_spine, N_("thoracic-spine")},
    {Muscle::chest, N_("chest")},
};
// GNOME Shell shows six lines of an expanded notification: the dose, the caution leading the
// steps, and the posture reset. This many characters of steps wrap, with the caution, into four
// lines of its banner, and the dose fits its one collapsed line, under Large Text too.
constexpr std::size_t max_steps_length = 170;
constexpr std::size_t max_dose_length = 48;

}  // namespace

std::size_t characters(std::string_view utf8) {
    return static_cast<std::size_t>(
        std::count_if(utf8.begin(), utf8.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

namespace {

class StretchReader {
  public:
    StretchReader(const toml::table& table, const std::string& path, Diagnostics& diagnostics)
        : table_(table), path_(path), diagnostics_(diagnostics) {}

    bool read(Stretch& s) {
        s.where = where(table_.source());
        for (auto&& [key, value] : table_) {
            constexpr std::string_view known[] = {
                "id",   "name",  "position", "muscles", "steps", "hold",   "reps",
                "dose", "sides", "duration", "source",  "pose",  "picture"};
            if (std::find(std::begin(known), std::end(known), key.str()) == std::end(known))
                diagnostics_.push_back(
                    {Diagnostic::Severity::warning, where(key.source()),
                     "stretch." + std::string(key.str()),
                     _("unknown key; a stretch has id, name, position, muscles, steps, hold, "
                       "reps, dose, sides, duration, source, pose, picture")});
        }
        auto id = text("id");
        if (id) {
            bool valid = !id->empty() && std::all_of(id->begin(), id->end(), [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
            });
            if (valid)
                s.id = *id;
            else
                fail(*table_.get("id"), "id",
                     formatted(_("%s is not an id; use lowercase letters, digits and '-'"),
                               quoted(*id).c_str()));
        }
        if (auto name = text("name")) s.name = *name;
        if (auto position = text("position")) {
            if (auto named = position_names.parse(*position))
                s.position = *named;
            else
                fail(*table_.get("position"), "position",
                     formatted(_("%s is not allowed; allowed: seated | standing | floor"),
                               quoted(*position).c_str()));
        }
        if (auto* node = required("muscles")) muscles(*node, s);
        if (auto* node = required("steps")) steps(*node, s);
        if (auto d = duration("hold")) s.hold = *d;
        if (auto d = duration("duration")) s.duration = *d;
        if (auto* node = table_.get("reps")) {
            auto reps = node->value_exact<std::int64_t>();
            if (!reps || *reps < 1 || *reps > 50)
                fail(*node, "reps", _("expected a whole number from 1 to 50"));
            else
                s.reps = static_cast<int>(*reps);
        }
        if (auto* node = table_.get("dose")) {
            auto dose = node->value_exact<std::string>();
            auto length = dose ? characters(*dose) : 0;
            if (length < 1 || length > max_dose_length)
                fail(*node, "dose",
                     formatted(tr_n("expected a string of 1 to %zu character, such as \"Five slow "
                                    "breaths · each side\"",
                                    "expected a string of 1 to %zu characters, such as \"Five slow "
                                    "breaths · each side\"",
                                    max_dose_length),
                               max_dose_length));
            else
                s.dose = *dose;
        }
        if (auto* node = table_.get("sides")) {
            auto sides = node->value_exact<std::string>();
            if (sides == "each")
                s.each_side = true;
            else if (sides != "none")
                fail(*node, "sides", _("allowed: each | none"));
        }
        if (auto* node = table_.get("pose")) pose(*node, s);
        if (auto* node = table_.get("picture")) {
            auto picture = node->value_exact<std::string>();
            if (picture && !picture->empty()) {
                s.picture = *picture;
                s.picture_where = where(node->source());
            } else {
                fail(*node, "picture",
                     _("expected the path of an image file, such as \"twist.png\""));
            }
        }
        if (auto* node = table_.get("source")) {
            if (auto source = node->value_exact<std::string>())
                s.source = *source;
            else
                fail(*node, "source", _("expected a string"));
        }
        return ok_;
    }

  private:
    const toml::table& table_;
    const std::string& path_;
    Diagnostics& diagnostics_;
    bool ok_ = true;

    Where where(const toml::source_region& source) const {
        return {path_, static_cast<int>(source.begin.line), static_cast<int>(source.begin.column)};
    }

    void fail(const toml::node& node, std::string_view field, std::string problem) {
        diagnostics_.push_back({Diagnostic::Severity::error, where(node.source()),
                                "stretch." + std::string(field), std::move(problem)});
        ok_ = false;
    }

    const toml::node* required(std::string_view field) {
        auto* node = table_.get(field);
        if (!node)
            fail(table_, field,
                 _("missing; a stretch needs id, name, position, muscles, steps, hold and "
                   "duration"));
        return node;
    }

    std::optional<std::string> text(std::string_view field) {
        auto* node = required(field);
        if (!node) return std::nullopt;
        auto value = node->value_exact<std::string>();
        if (!value || value->empty()) {
            fail(*node, field, _("expected a non-empty string"));
            return std::nullopt;
        }
        return value;
    }

    std::optional<std::chrono::seconds> duration(std::string_view field) {
        auto* node = required(field);
        if (!node) return std::nullopt;
        auto value = node->value_exact<std::string>();
        auto d = value ? parse_duration(*value) : std::nullopt;
        if (!d || d->count() == 0) {
            fail(*node, field,
                 _("expected a duration longer than zero, such as \"20s\" or \"1m\""));
            return std::nullopt;
        }
        return d;
    }

    void muscles(const toml::node& node, Stretch& s) {
        auto* array = node.as_array();
        if (!array || array->empty()) {
            fail(node, "muscles",
                 _("expected a non-empty array such as [\"rhomboids\", \"trapezius\"]"));
            return;
        }
        for (auto& element : *array) {
            auto name = element.value_exact<std::string>();
            auto it = std::find_if(std::begin(muscle_names), std::end(muscle_names),
                                   [&](auto& m) { return name && m.second == *name; });
            if (it == std::end(muscle_names))
                fail(element, "muscles",
                     name ? formatted(_("%s is not a muscle group; allowed: rhomboids | "
                                        "trapezius | lats | levator-scapulae | thoracic-spine | "
                                        "chest"),
                                      quoted(*name).c_str())
                          : _("expected a string; allowed: rhomboids | trapezius | lats | "
                              "levator-scapulae | thoracic-spine | chest"));
            else
                s.muscles |= static_cast<MuscleSet>(it->first);
        }
    }

    // A pose starts from the stance its position suggests, so a seated one need say only what
    // differs from sitting with the hands on the thighs.
    void pose(const toml::node& node, Stretch& s) {
        auto* table = node.as_table();
        if (!table) {
            fail(node, "pose", _("expected a table, such as [stretch.pose] with view and twist"));
            return;
        }
        Pose pose = stance_pose(s.position == Position::seated     ? Pose::Stance::seated
                                : s.position == Position::standing ? Pose::Stance::standing
                                                                   : Pose::Stance::kneeling);
        if (parse_pose(*table, path_, pose, diagnostics_))
            s.pose = std::make_shared<const Pose>(std::move(pose));
        else
            ok_ = false;
    }

    void steps(const toml::node& node, Stretch& s) {
        auto* array = node.as_array();
        if (!array || array->size() < 2 || array->size() > 4) {
            fail(node, "steps", _("expected 2 to 4 short steps, as an array of strings"));
            return;
        }
        std::size_t length = 0;  // in characters, as the banner lays them out
        for (auto& element : *array) {
            auto step = element.value_exact<std::string>();
            if (!step || step->empty()) {
                fail(element, "steps", _("expected a non-empty string"));
                continue;
            }
            length += (length ? 1 : 0) + characters(*step);
            s.steps.push_back(*step);
        }
        if (length > max_steps_length)
            fail(node, "steps",
                 formatted(tr_n("come to %zu character; keep them to %zu in all so they fit a "
                                "notification",
                                "come to %zu characters; keep them to %zu in all so they fit a "
                                "notification",
                                length),
                           length, max_steps_length));
    }
};

}  // namespace

std::string_view to_string(Muscle muscle) {
    for (auto& [m, name] : muscle_names)
        if (m == muscle) return name;
    return "?";
}

std::vector<std::string> muscle_list(MuscleSet muscles) {
    std::vector<std::string> out;
    for (auto& [m, name] : muscle_names)
        if (muscles & static_cast<MuscleSet>(m)) out.emplace_back(name);
    return out;
}

bool parse_stretch(const toml::table& table, const std::string& path, Stretch& out,
                   Diagnostics& diagnostics) {
    return StretchReader(table, path, diagnostics).read(out);
}

}  // namespace postured
