#include "core/calls.hpp"

#include <strings.h>
#include <algorithm>

namespace postured {

namespace {

std::string_view property(const Properties& properties, std::string_view key) {
    auto it = properties.find(key);
    return it == properties.end() ? std::string_view{} : std::string_view(it->second);
}

bool same_name(std::string_view a, std::string_view b) {
    return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// A level meter (pavucontrol's peak detection), an output's monitor, or a stream that says it
// only watches: they run like a call's and are not one.
bool only_watches(const Properties& node) {
    return property(node, "stream.monitor") == "true" ||
           property(node, "stream.capture.sink") == "true" ||
           property(node, "resample.peaks") == "true" ||
           property(node, "media.category") == "Monitor";
}

// A capture whose client names no application.
constexpr const char* unnamed_app = N_("an application");

}  // namespace

std::string_view to_string(Device device) {
    switch (device) {
        case Device::microphone:
            return N_("microphone");
        case Device::camera:
            return N_("camera");
        case Device::screen:
            return N_("screen");
    }
    return "";
}

std::optional<Capture> call_capture(const Properties& node, const Properties& client,
                                    bool from_device, const std::vector<std::string>& ignore) {
    auto media_class = property(node, "media.class");
    std::optional<Device> device;
    if (media_class == "Stream/Input/Audio") device = Device::microphone;
    if (media_class == "Stream/Input/Video") device = from_device ? Device::camera : Device::screen;
    if (!device || only_watches(node)) return std::nullopt;

    // Through pipewire-pulse, as browsers and call apps come, the client is pipewire-pulse and
    // only the node names the application.
    auto binary = property(node, "application.process.binary");
    if (binary.empty()) binary = property(client, "application.process.binary");
    auto name = property(node, "application.name");
    if (name.empty()) name = property(client, "application.name");
    for (auto& ignored : ignore)
        if (same_name(ignored, binary) || same_name(ignored, name)) return std::nullopt;

    auto shown = !name.empty() ? name : !binary.empty() ? binary : unnamed_app;
    return Capture{std::string(shown), *device};
}

void CallTracker::started(std::uint64_t key, Capture capture, MonoTime at) {
    auto [it, added] = running_.try_emplace(key, Running{capture, at, started_count_ + 1});
    if (added)
        ++started_count_;
    else
        it->second.capture = std::move(capture);
}

void CallTracker::stopped(std::uint64_t key, MonoTime at) {
    if (running_.erase(key)) last_stop_ = at;
}

void CallTracker::stop_all(MonoTime at) {
    if (running_.empty()) return;
    running_.clear();
    last_stop_ = at;
}

bool CallTracker::counts(const Running& running, MonoTime now) const {
    return call_ || now - running.since >= settle;
}

std::optional<Said> CallTracker::call(MonoTime now) {
    // Over if nothing ran in its rejoin time, even when nobody asked then (a suspend).
    if (call_ && last_stop_ && now - *last_stop_ >= rejoin &&
        std::all_of(running_.begin(), running_.end(),
                    [&](auto& entry) { return entry.second.since >= *last_stop_ + rejoin; }))
        call_.reset();
    std::vector<const Running*> counted;
    for (auto& [key, running] : running_)
        if (counts(running, now)) counted.push_back(&running);

    if (counted.empty()) {
        if (call_ && !(last_stop_ && now - *last_stop_ < rejoin)) call_.reset();
        return call_;
    }

    // "Firefox: microphone, camera; zoom: screen": each application in the order it began.
    std::sort(counted.begin(), counted.end(), [](auto* a, auto* b) { return a->order < b->order; });
    std::vector<std::pair<std::string, std::vector<Device>>> apps;
    for (auto* running : counted) {
        auto app = std::find_if(apps.begin(), apps.end(),
                                [&](auto& entry) { return entry.first == running->capture.app; });
        if (app == apps.end()) app = apps.insert(apps.end(), {running->capture.app, {}});
        if (std::find(app->second.begin(), app->second.end(), running->capture.device) ==
            app->second.end())
            app->second.push_back(running->capture.device);
    }
    for (auto& [app, devices] : apps)
        std::sort(devices.begin(), devices.end());
    call_ = say([&] {
        std::string text;
        for (auto& [app, devices] : apps) {
            std::vector<std::string> names;
            for (auto device : devices)
                names.emplace_back(to_string(device));
            // TRANSLATORS: between the applications in a call: "Firefox: microphone; zoom: screen".
            if (!text.empty()) text += _("; ");
            // TRANSLATORS: an application and what it captures: "Firefox: microphone, camera".
            text += formatted(_("%s: %s"), (app == unnamed_app ? tr(unnamed_app) : app).c_str(),
                              listed_in_users_language(names).c_str());
        }
        return text;
    });
    return call_;
}

std::optional<MonoTime> CallTracker::next_change() const {
    std::optional<MonoTime> next;
    auto consider = [&](MonoTime at) { next = std::min(next.value_or(at), at); };
    if (call_) {
        if (running_.empty() && last_stop_) consider(*last_stop_ + rejoin);
    } else {
        for (auto& [key, running] : running_)
            consider(running.since + settle);
    }
    return next;
}

}  // namespace postured
