#include "core/config_parser.hpp"

#include <toml++/toml.h>
#include <algorithm>
#include <span>

#include "core/duration.hpp"
#include "core/language.hpp"
#include "core/spelling.hpp"

namespace postured {

namespace {

std::string join(std::span<const std::string_view> words, std::string_view sep = ", ") {
    std::string out;
    for (auto w : words) {
        if (!out.empty()) out += sep;
        out += w;
    }
    return out;
}

std::string describe(const toml::node& node) {
    switch (node.type()) {
        case toml::node_type::string:
            // TRANSLATORS: what a value is, after "got" as in: expected a number, got an array.
            return formatted(_("the string %s"), quoted(*node.value<std::string>()).c_str());
        case toml::node_type::integer:
            return formatted(_("the integer %lld"),
                             static_cast<long long>(*node.value<std::int64_t>()));
        case toml::node_type::floating_point:
            return _("a floating-point number");
        case toml::node_type::boolean:
            return *node.value<bool>() ? "true" : "false";
        case toml::node_type::table:
            return _("a table");
        case toml::node_type::array:
            return _("an array");
        default:
            return _("a date or time");
    }
}

const std::vector<std::string_view> day_names{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

std::optional<minutes> parse_clock_time(std::string_view text) {
    if (text.size() != 5 || text[2] != ':') return std::nullopt;
    auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
    if (!digit(0) || !digit(1) || !digit(3) || !digit(4)) return std::nullopt;
    int h = (text[0] - '0') * 10 + (text[1] - '0');
    int m = (text[3] - '0') * 10 + (text[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
    return minutes{h * 60 + m};
}

}  // namespace

// Applies one file to a ConfigParser, checking each key where it is written.
class ConfigLayer {
  public:
    ConfigLayer(ConfigParser& parser, const std::string& path) : p_(parser), path_(path) {}

    std::optional<toml::table> parse(std::string_view text) {
        try {
            return toml::parse(text, path_);
        } catch (const toml::parse_error& e) {
            auto begin = e.source().begin;
            p_.diagnostics_.push_back(
                {Diagnostic::Severity::error,
                 {path_, static_cast<int>(begin.line), static_cast<int>(begin.column)},
                 "",
                 std::string(e.description())});
            return std::nullopt;
        }
    }

    void apply_config(const toml::table& root) {
        warn_unknown(root, "",
                     {"schedule", "snooze", "notify", "activity", "calls", "stretches", "stretch"});
        if (auto* t = section(root, "schedule")) schedule(*t);
        if (auto* t = section(root, "snooze")) snooze(*t);
        if (auto* t = section(root, "notify")) notify(*t);
        if (auto* t = section(root, "activity")) activity(*t);
        if (auto* t = section(root, "calls")) calls(*t);
        if (auto* t = section(root, "stretches")) stretches(*t);
        stretch_array(root, p_.custom_);
    }

    void apply_catalog(const toml::table& root) {
        warn_unknown(root, "", {"stretch"});
        auto first = p_.catalog_.size();
        stretch_array(root, p_.catalog_);
        for (auto i = first; i < p_.catalog_.size(); ++i)
            p_.catalog_[i].from_catalog = true;
    }

  private:
    ConfigParser& p_;
    const std::string& path_;

    Where where(const toml::source_region& source) const {
        return {path_, static_cast<int>(source.begin.line), static_cast<int>(source.begin.column)};
    }

    void report(Diagnostic::Severity severity, const toml::source_region& source, std::string key,
                std::string problem) {
        p_.diagnostics_.push_back({severity, where(source), std::move(key), std::move(problem)});
    }
    void error(const toml::node& node, std::string key, std::string problem) {
        report(Diagnostic::Severity::error, node.source(), std::move(key), std::move(problem));
    }

    void set(const std::string& key, const toml::node& node) {
        p_.set_at_[key] = where(node.source());
    }

    void warn_unknown(const toml::table& table, const std::string& prefix,
                      const std::vector<std::string_view>& known) {
        for (auto&& [key, value] : table) {
            if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
            std::string problem;
            if (auto near = nearest_key(key.str(), known))
                problem = formatted(_("unknown key; did you mean %s?"), quoted(*near).c_str());
            else
                problem = formatted(_("unknown key; known keys: %s"), join(known).c_str());
            report(Diagnostic::Severity::warning, key.source(), prefix + std::string(key.str()),
                   problem);
        }
    }

    const toml::table* section(const toml::table& root, std::string_view name) {
        auto* node = root.get(name);
        if (!node) return nullptr;
        if (!node->is_table()) {
            error(*node, std::string(name),
                  formatted(_("expected a table [%s], got %s"), std::string(name).c_str(),
                            describe(*node).c_str()));
            return nullptr;
        }
        return node->as_table();
    }

    std::optional<seconds> duration(const toml::node& node, const std::string& key,
                                    bool allow_zero) {
        auto text = node.value<std::string>();
        if (!node.is_string()) {
            error(node, key,
                  formatted(_("expected a duration such as \"45s\", \"10m\" or \"1h30m\", got %s"),
                            describe(node).c_str()));
            return std::nullopt;
        }
        auto d = parse_duration(*text);
        if (!d) {
            error(node, key,
                  formatted(_("%s is not a duration; write e.g. \"45s\", \"10m\" or \"1h30m\""),
                            quoted(*text).c_str()));
            return std::nullopt;
        }
        if (d->count() == 0 && !allow_zero) {
            error(node, key, _("must be longer than zero"));
            return std::nullopt;
        }
        return d;
    }

    void duration_key(const toml::table& t, std::string_view section, std::string_view name,
                      seconds& out, bool allow_zero = false) {
        auto* node = t.get(name);
        if (!node) return;
        auto key = std::string(section) + "." + std::string(name);
        if (auto d = duration(*node, key, allow_zero)) {
            out = *d;
            set(key, *node);
        }
    }

    void bool_key(const toml::table& t, std::string_view section, std::string_view name,
                  bool& out) {
        auto* node = t.get(name);
        if (!node) return;
        auto key = std::string(section) + "." + std::string(name);
        if (auto b = node->value_exact<bool>()) {
            out = *b;
            set(key, *node);
        } else {
            error(*node, key,
                  formatted(_("expected true or false, got %s"), describe(*node).c_str()));
        }
    }

    void int_key(const toml::table& t, std::string_view section, std::string_view name, int& out,
                 int min, int max) {
        auto* node = t.get(name);
        if (!node) return;
        auto key = std::string(section) + "." + std::string(name);
        auto v = node->value_exact<std::int64_t>();
        if (!v) {
            error(*node, key,
                  formatted(_("expected a whole number, got %s"), describe(*node).c_str()));
        } else if (*v < min || *v > max) {
            error(*node, key,
                  formatted(_("%lld is out of range; allowed: %d to %d"),
                            static_cast<long long>(*v), min, max));
        } else {
            out = static_cast<int>(*v);
            set(key, *node);
        }
    }

    template <typename Enum, auto last, std::size_t N>
    void enum_key(const toml::table& t, std::string_view section, std::string_view name, Enum& out,
                  const EnumNames<Enum, last, N>& names) {
        auto* node = t.get(name);
        if (!node) return;
        auto key = std::string(section) + "." + std::string(name);
        auto text = node->value_exact<std::string>();
        auto value = text ? names.parse(*text) : std::nullopt;
        if (!value) {
            auto allowed = join(names.names, " | ");
            error(*node, key,
                  text ? formatted(_("%s is not allowed; allowed: %s"), quoted(*text).c_str(),
                                   allowed.c_str())
                       : formatted(_("got %s; allowed: %s"), describe(*node).c_str(),
                                   allowed.c_str()));
            return;
        }
        out = *value;
        set(key, *node);
    }

    // An array of strings, each checked by `accept` (which reports its own error).
    template <typename Accept>
    bool string_array(const toml::node& node, const std::string& key, Accept accept) {
        auto* array = node.as_array();
        if (!array) {
            error(node, key,
                  formatted(_("expected an array of strings, got %s"), describe(node).c_str()));
            return false;
        }
        bool ok = true;
        for (auto& element : *array) {
            auto text = element.value_exact<std::string>();
            if (!text) {
                error(element, key,
                      formatted(_("expected a string, got %s"), describe(element).c_str()));
                ok = false;
            } else if (!accept(*text, element)) {
                ok = false;
            }
        }
        return ok;
    }

    void schedule(const toml::table& t) {
        warn_unknown(
            t, "schedule.",
            {"interval", "natural_break", "return_grace", "working_hours", "working_days"});
        auto& s = p_.config_.schedule;
        duration_key(t, "schedule", "interval", s.interval);
        duration_key(t, "schedule", "natural_break", s.natural_break);
        duration_key(t, "schedule", "return_grace", s.return_grace, true);
        if (auto* node = t.get("working_hours")) working_hours(*node);
        if (auto* node = t.get("working_days")) working_days(*node);
    }

    void working_hours(const toml::node& node) {
        const std::string key = "schedule.working_hours";
        auto text = node.value_exact<std::string>();
        auto& hours = p_.config_.schedule.hours;
        if (text && *text == "always") {
            hours.always = true;
            set(key, node);
            return;
        }
        auto dash = text ? text->find('-') : std::string::npos;
        auto start = dash != std::string::npos
                         ? parse_clock_time(std::string_view(*text).substr(0, dash))
                         : std::nullopt;
        auto end = dash != std::string::npos
                       ? parse_clock_time(std::string_view(*text).substr(dash + 1))
                       : std::nullopt;
        if (!start || !end) {
            error(node, key,
                  // TRANSLATORS: %s is the value in double quotes, or what it is: "an array".
                  formatted(_("%s is not a time range; write \"HH:MM-HH:MM\" (e.g. "
                              "\"09:00-18:00\") or \"always\""),
                            (text ? quoted(*text) : describe(node)).c_str()));
            return;
        }
        if (*end <= *start) {
            error(node, key,
                  formatted(_("%s ends before it starts; the range must lie within one day, or use "
                              "\"always\""),
                            quoted(*text).c_str()));
            return;
        }
        hours.always = false;
        hours.start = *start;
        hours.end = *end;
        set(key, node);
    }

    void working_days(const toml::node& node) {
        const std::string key = "schedule.working_days";
        std::array<bool, 7> days{};
        bool ok = string_array(node, key, [&](const std::string& day, const toml::node& element) {
            auto it = std::find(day_names.begin(), day_names.end(), day);
            if (it == day_names.end()) {
                error(element, key,
                      formatted(_("%s is not a day; use mon, tue, wed, thu, fri, sat, sun"),
                                quoted(day).c_str()));
                return false;
            }
            days[it - day_names.begin()] = true;
            return true;
        });
        if (!ok) return;
        if (std::none_of(days.begin(), days.end(), [](bool d) { return d; })) {
            error(node, key,
                  _("no working day; list at least one, e.g. [\"mon\", \"tue\"], or set "
                    "working_hours = \"always\""));
            return;
        }
        p_.config_.schedule.hours.days = days;
        set(key, node);
    }

    void snooze(const toml::table& t) {
        warn_unknown(t, "snooze.", {"duration", "limit"});
        duration_key(t, "snooze", "duration", p_.config_.snooze.duration);
        int_key(t, "snooze", "limit", p_.config_.snooze.limit, 0, Config::Snooze::max_limit);
    }

    void notify(const toml::table& t) {
        warn_unknown(t, "notify.", {"renotify_after", "renotify_limit", "urgency", "sound"});
        auto& n = p_.config_.notify;
        duration_key(t, "notify", "renotify_after", n.renotify_after);
        int_key(t, "notify", "renotify_limit", n.renotify_limit, 0, 100);
        enum_key(t, "notify", "urgency", n.urgency, urgency_names);
        bool_key(t, "notify", "sound", n.sound);
    }

    void activity(const toml::table& t) {
        warn_unknown(
            t, "activity.",
            {"source", "idle_after", "inhibited_counts_as_work", "smart_timing", "dnd_max_delay"});
        auto& a = p_.config_.activity;
        enum_key(t, "activity", "source", a.source, activity_source_names);
        duration_key(t, "activity", "idle_after", a.idle_after);
        bool_key(t, "activity", "inhibited_counts_as_work", a.inhibited_counts_as_work);
        duration_key(t, "activity", "smart_timing", a.smart_timing, true);
        duration_key(t, "activity", "dnd_max_delay", a.dnd_max_delay, true);
    }

    void calls(const toml::table& t) {
        warn_unknown(t, "calls.", {"enabled", "ignore", "camera_devices"});
        auto& c = p_.config_.calls;
        bool_key(t, "calls", "enabled", c.enabled);
        string_list(t, "calls", "ignore", c.ignore);
        string_list(t, "calls", "camera_devices", c.camera_devices, [&](auto& path, auto& node) {
            if (path.starts_with('/')) return true;
            error(node, "calls.camera_devices",
                  formatted(_("%s is not an absolute path; e.g. \"/dev/video*\""),
                            quoted(path).c_str()));
            return false;
        });
    }

    template <typename Accept = bool (*)(const std::string&, const toml::node&)>
    void string_list(
        const toml::table& t, std::string_view section, std::string_view name,
        std::vector<std::string>& out,
        Accept accept = [](const std::string&, const toml::node&) { return true; }) {
        auto* node = t.get(name);
        if (!node) return;
        auto key = std::string(section) + "." + std::string(name);
        std::vector<std::string> list;
        bool ok = string_array(*node, key, [&](const std::string& text, const toml::node& element) {
            list.push_back(text);
            return accept(text, element);
        });
        if (!ok) return;
        out = std::move(list);
        set(key, *node);
    }

    void stretches(const toml::table& t) {
        warn_unknown(t, "stretches.", {"positions", "disabled", "favorites"});
        if (auto* node = t.get("positions")) {
            const std::string key = "stretches.positions";
            std::vector<Position> positions;
            bool ok =
                string_array(*node, key, [&](const std::string& text, const toml::node& element) {
                    auto position = position_names.parse(text);
                    if (!position) {
                        error(
                            element, key,
                            formatted(_("%s is not a position; allowed: %s"), quoted(text).c_str(),
                                      join(position_names.names, " | ").c_str()));
                        return false;
                    }
                    positions.push_back(*position);
                    return true;
                });
            if (ok && positions.empty()) {
                error(*node, key, _("no position; list at least one of seated | standing | floor"));
            } else if (ok) {
                p_.config_.stretches.positions = positions;
                set(key, *node);
            }
        }
        id_list(t, "disabled", p_.disabled_);
        id_list(t, "favorites", p_.favorites_);
    }

    void id_list(const toml::table& t, std::string_view name,
                 std::vector<ConfigParser::LocatedId>& out) {
        auto* node = t.get(name);
        if (!node) return;
        auto key = "stretches." + std::string(name);
        std::vector<ConfigParser::LocatedId> ids;
        bool ok = string_array(*node, key, [&](const std::string& id, const toml::node& element) {
            ids.push_back({id, where(element.source())});
            return true;
        });
        if (!ok) return;
        out = std::move(ids);
        set(key, *node);
    }

    void stretch_array(const toml::table& root, std::vector<Stretch>& out) {
        auto* node = root.get("stretch");
        if (!node) return;
        auto* array = node->as_array();
        if (!array || !array->is_array_of_tables()) {
            error(*node, "stretch",
                  formatted(_("expected [[stretch]] tables, got %s"), describe(*node).c_str()));
            return;
        }
        for (auto& element : *array) {
            Stretch stretch;
            if (parse_stretch(*element.as_table(), path_, stretch, p_.diagnostics_))
                out.push_back(std::move(stretch));
        }
    }
};

void ConfigParser::add_catalog(std::string_view text, const std::string& path) {
    ConfigLayer layer(*this, path);
    if (auto root = layer.parse(text)) layer.apply_catalog(*root);
}

void ConfigParser::add_config(std::string_view text, const std::string& path) {
    ConfigLayer layer(*this, path);
    if (auto root = layer.parse(text)) layer.apply_config(*root);
}

void ConfigParser::add_unreadable(const std::string& path, const std::string& reason) {
    Diagnostic d;
    d.where.path = path;
    d.problem = formatted(_("cannot read: %s"), reason.c_str());
    diagnostics_.push_back(std::move(d));
}

std::optional<Config> ConfigParser::finish() {
    auto error = [&](Where where, std::string key, std::string problem) {
        diagnostics_.push_back(
            {Diagnostic::Severity::error, std::move(where), std::move(key), std::move(problem)});
    };

    std::vector<Stretch> all;
    for (auto* source : {&catalog_, &custom_}) {
        for (auto& stretch : *source) {
            auto same =
                std::find_if(all.begin(), all.end(), [&](auto& s) { return s.id == stretch.id; });
            if (same != all.end()) {
                const auto& w = same->where;
                error(stretch.where, "stretch.id",
                      // TRANSLATORS: an id, then the file:line:column of the stretch that has it.
                      formatted(_("%s is already used by the stretch at %s:%d:%d; ids must be "
                                  "unique"),
                                quoted(stretch.id).c_str(), w.path.c_str(), w.line, w.column));
                continue;
            }
            all.push_back(stretch);
        }
    }
    if (all.empty()) error({}, "stretch", _("the catalog has no stretch at all"));

    std::vector<std::string_view> ids;
    for (auto& s : all)
        ids.push_back(s.id);
    for (auto* list : {&disabled_, &favorites_}) {
        auto key = list == &disabled_ ? "stretches.disabled" : "stretches.favorites";
        for (auto& [id, where] : *list) {
            if (std::find(ids.begin(), ids.end(), id) != ids.end()) continue;
            if (auto near = nearest_key(id, ids))
                error(where, key,
                      formatted(_("no stretch has the id %s; did you mean %s?"), quoted(id).c_str(),
                                quoted(*near).c_str()));
            else
                error(where, key,
                      formatted(_("no stretch has the id %s in the catalog"), quoted(id).c_str()));
        }
    }

    auto& cfg = config_;
    for (auto& [id, where] : disabled_)
        cfg.stretches.disabled.push_back(id);
    for (auto& [id, where] : favorites_)
        cfg.stretches.favorites.push_back(id);
    cfg.catalog = std::move(all);
    cfg.offered.clear();
    for (auto& s : cfg.catalog) {
        auto& positions = cfg.stretches.positions;
        bool position_ok =
            std::find(positions.begin(), positions.end(), s.position) != positions.end();
        auto& disabled = cfg.stretches.disabled;
        bool is_disabled = std::find(disabled.begin(), disabled.end(), s.id) != disabled.end();
        if (position_ok && !is_disabled) cfg.offered.push_back(s);
    }
    if (!cfg.catalog.empty() && cfg.offered.empty()) {
        auto key =
            set_at_.count("stretches.disabled") ? "stretches.disabled" : "stretches.positions";
        std::vector<std::string> positions;
        for (auto p : cfg.stretches.positions)
            positions.emplace_back(to_string(p));
        error(set_at_[key], key,
              formatted(_("no stretch is left to offer (positions: %s; %zu disabled); enable one "
                          "or allow another position"),
                        listed(positions).c_str(), cfg.stretches.disabled.size()));
    }

    auto longest = std::max_element(cfg.offered.begin(), cfg.offered.end(),
                                    [](auto& a, auto& b) { return a.duration < b.duration; });
    if (longest != cfg.offered.end() && cfg.schedule.interval < longest->duration) {
        diagnostics_.push_back(
            {Diagnostic::Severity::warning, set_at_["schedule.interval"], "schedule.interval",
             // TRANSLATORS: schedule.interval, then a stretch's id in double quotes and duration.
             formatted(_("%s is shorter than the stretch %s (%s); breaks would take more time "
                         "than work"),
                       format_duration(cfg.schedule.interval).c_str(), quoted(longest->id).c_str(),
                       format_duration(longest->duration).c_str())});
    }

    if (auto idle = cfg.activity.idle_after, away = cfg.schedule.natural_break; idle > away) {
        if (set_at_.count("activity.idle_after"))
            error(set_at_["activity.idle_after"], "activity.idle_after",
                  formatted(_("%s is longer than schedule.natural_break (%s); a pause must count "
                              "as away before it can be a break"),
                            format_duration(idle).c_str(), format_duration(away).c_str()));
        else
            error(set_at_["schedule.natural_break"], "schedule.natural_break",
                  formatted(_("%s is shorter than activity.idle_after (%s); a pause must count "
                              "as away before it can be a break"),
                            format_duration(away).c_str(), format_duration(idle).c_str()));
    }

    if (has_errors(diagnostics_)) return std::nullopt;
    return cfg;
}

}  // namespace postured
