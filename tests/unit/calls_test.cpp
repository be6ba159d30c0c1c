#include <catch2/catch.hpp>

#include "core/calls.hpp"

using namespace postured;
using namespace std::chrono_literals;

namespace {

MonoTime t(seconds s) {
    return MonoTime{s};
}

const Properties pw_record{{"media.class", "Stream/Input/Audio"},
                           {"media.category", "Capture"},
                           {"node.name", "pw-record"}};
const Properties native_client{{"application.name", "pw-record"},
                               {"application.process.binary", "pw-record"}};
const Properties pipewire_pulse{{"application.name", "pipewire-pulse"},
                                {"application.process.binary", "pipewire"}};

Properties with(Properties properties, const std::string& key, const std::string& value) {
    properties[key] = value;
    return properties;
}

}  // namespace

TEST_CASE("a capture from a microphone, a camera or a screen may be a call", "[calls]") {
    auto mic = call_capture(pw_record, native_client, false, {});
    REQUIRE(mic);
    CHECK(*mic == Capture{"pw-record", Device::microphone});

    auto video = with(pw_record, "media.class", "Stream/Input/Video");
    CHECK(call_capture(video, native_client, true, {})->device == Device::camera);
    CHECK(call_capture(video, native_client, false, {})->device == Device::screen);

    CHECK_FALSE(call_capture(with(pw_record, "media.class", "Stream/Output/Audio"), native_client,
                             false, {}));
    CHECK_FALSE(
        call_capture(with(pw_record, "media.class", "Audio/Source"), native_client, false, {}));
}

TEST_CASE("a level meter, an output's monitor and an ignored application are no call", "[calls]") {
    CHECK_FALSE(call_capture(with(pw_record, "stream.monitor", "true"), native_client, false, {}));
    CHECK_FALSE(
        call_capture(with(pw_record, "stream.capture.sink", "true"), native_client, false, {}));
    CHECK_FALSE(call_capture(with(pw_record, "resample.peaks", "true"), native_client, false, {}));
    CHECK_FALSE(
        call_capture(with(pw_record, "media.category", "Monitor"), native_client, false, {}));
    CHECK(call_capture(with(pw_record, "stream.monitor", "false"), native_client, false, {}));

    CHECK_FALSE(call_capture(pw_record, native_client, false, {"PW-Record"}));
    CHECK(call_capture(pw_record, native_client, false, {"pw-rec"}));
}

TEST_CASE("an application through pipewire-pulse is named by its node, not the client", "[calls]") {
    auto firefox = with(with(pw_record, "application.name", "Firefox"),
                        "application.process.binary", "firefox-esr");
    CHECK(call_capture(firefox, pipewire_pulse, false, {})->app == "Firefox");
    CHECK_FALSE(call_capture(firefox, pipewire_pulse, false, {"firefox-esr"}));
    CHECK(call_capture(firefox, pipewire_pulse, false, {"pipewire"}));

    // GStreamer's nodes name no application: the client does.
    CHECK(call_capture(pw_record, {{"application.process.binary", "gst-launch-1.0"}}, false, {})
              ->app == "gst-launch-1.0");
    CHECK(call_capture(pw_record, {}, false, {})->app == "an application");
}

TEST_CASE("a capture is a call once it has run a few seconds", "[calls]") {
    CallTracker calls;
    calls.started(1, {"Firefox", Device::microphone}, t(0s));
    CHECK_FALSE(calls.call(t(0s)));
    CHECK(calls.next_change() == t(CallTracker::settle));
    CHECK_FALSE(calls.call(t(4s)));
    CHECK(calls.call(t(5s)) == Said{"Firefox: microphone"});

    calls.started(2, {"Firefox", Device::camera}, t(20s));  // a call goes on at once
    calls.started(3, {"zoom", Device::screen}, t(21s));
    calls.started(4, {"Firefox", Device::microphone}, t(22s));
    CHECK(calls.call(t(22s)) == Said{"Firefox: microphone, camera; zoom: screen"});
    CHECK_FALSE(calls.next_change());
}

TEST_CASE("a short capture holds nothing", "[calls]") {
    CallTracker calls;
    calls.started(1, {"gnome-sound-recorder", Device::microphone}, t(0s));
    calls.stopped(1, t(2s));
    CHECK_FALSE(calls.call(t(2s)));
    CHECK_FALSE(calls.call(t(10s)));
    CHECK_FALSE(calls.next_change());
}

TEST_CASE("a dropped and rejoined call is one call", "[calls]") {
    CallTracker calls;
    calls.started(1, {"Firefox", Device::microphone}, t(0s));
    CHECK(calls.call(t(60s)));
    calls.stopped(1, t(100s));
    CHECK(calls.call(t(100s)) == Said{"Firefox: microphone"});
    CHECK(calls.next_change() == t(100s + CallTracker::rejoin));
    calls.started(2, {"Firefox", Device::microphone}, t(110s));
    CHECK(calls.call(t(110s)) == Said{"Firefox: microphone"});

    calls.stopped(2, t(200s));
    CHECK(calls.call(t(214s)));
    CHECK_FALSE(calls.call(t(215s)));
    // A new capture after the call is a new one: it must run its few seconds again.
    calls.started(3, {"Firefox", Device::microphone}, t(300s));
    CHECK_FALSE(calls.call(t(300s)));
}

TEST_CASE("a call ends the same way when every stream goes at once", "[calls]") {
    CallTracker calls;
    calls.started(1, {"Firefox", Device::microphone}, t(0s));
    calls.started(2, {"Firefox", Device::camera}, t(0s));
    CHECK(calls.call(t(5s)) == Said{"Firefox: microphone, camera"});
    calls.stop_all(t(50s));
    CHECK(calls.call(t(64s)));
    CHECK_FALSE(calls.call(t(65s)));
    calls.stop_all(t(70s));  // nothing ran: no news
    CHECK_FALSE(calls.next_change());
}

TEST_CASE("a call over while nobody asked is over: a capture after a sleep settles anew",
          "[calls]") {
    CallTracker calls;
    calls.started(1, {"Firefox", Device::microphone}, t(0s));
    CHECK(calls.call(t(10s)));
    calls.stopped(1, t(20s));
    CHECK(calls.call(t(20s)));
    // The rejoin timer did not run in the suspend: the next word comes with a new capture.
    calls.started(2, {"Firefox", Device::microphone}, t(3620s));
    CHECK_FALSE(calls.call(t(3620s)));
    CHECK(calls.call(t(3625s)) == Said{"Firefox: microphone"});
}
