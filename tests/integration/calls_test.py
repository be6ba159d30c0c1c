#!/usr/bin/python3
"""Calls: the real postured beside a real PipeWire and WirePlumber (docs/desktops.md), with
pw-record capturing a virtual microphone and GStreamer capturing a video source; and a camera opened
without PipeWire, on a stand-in device node. A break due in a call is held and comes when it ends."""
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

import harness
from desktop import DaemonTest, PipeWire, SessionTest, break_line, need, status
from harness import Daemon, wait_until

harness.BUILD = sys.argv.pop(1)

# A break after 8 s of work; no idle source, so all of it is work. A call holds it up to 2 minutes.
CONFIG = """
[schedule]
interval = "8s"
working_hours = "always"
[notify]
renotify_after = "1h"
[activity]
smart_timing = "0s"
dnd_max_delay = "2m"
"""

# How long a call lasts after its last capture stops (core/calls.hpp): a rejoin in it is the same call.
REJOIN = 15


class CallsTest(SessionTest):
    @classmethod
    def start_desktop(cls):
        need("dbus-daemon")
        cls.pipewire = PipeWire(cls.processes, cls.session_bus, cls.runtime)  # WirePlumber needs a bus

    def start(self, config=CONFIG):
        work = tempfile.mkdtemp(dir=self.tmp.name)
        # PipeWire's socket is in the daemon's runtime directory, as in a session; no bus for the daemon:
        # its breaks go to the console.
        self.daemon = Daemon(work, config, runtime=self.runtime, env={"DBUS_SESSION_BUS_ADDRESS": ""})
        return self.daemon

    def held_by(self):
        return status(self.daemon)["held_by"] if status(self.daemon)["state"] == "held" else None

    def record(self, *options):
        # A test that fails must not leave its call running into the next.
        call = self.pipewire.record(*options)
        self.addCleanup(self.processes.stop, call)
        return call

    def wait_for_break(self, timeout):
        wait_until(lambda: "break: " in self.daemon.stderr(), "the break", timeout=timeout)
        return break_line(self.daemon)

    def check_held_until_the_call_ends(self, call, who, end_call):
        wait_until(lambda: self.held_by() == f"a call ({who})", f"the break held by the call of {who}", timeout=20)
        self.assertEqual(status(self.daemon)["in_call"], True)
        code, out, _ = self.daemon.ctl("status")
        self.assertEqual(code, 0)
        self.assertRegex(out, rf"^Break held: .+ · a call \({re.escape(who)}\), (2m|1m\d*s?) at most")
        self.assertRegex(out, r"Presence: .* · in a call")

        end_call()
        ended = time.monotonic()
        line = self.wait_for_break(timeout=REJOIN + 15)
        self.assertRegex(line, rf"\(held \d+s by a call \({re.escape(who)}\), until it ended\)$")
        self.assertGreaterEqual(time.monotonic() - ended, REJOIN - 1)
        log = self.daemon.stderr()
        self.assertLess(log.index(": the call ended"), log.index("break: "))

    def test_a_microphone_captured_holds_a_due_break_until_the_call_ends(self):
        call = self.record()
        self.start()
        self.check_held_until_the_call_ends(call, "pw-record: microphone", lambda: self.processes.stop(call))

    def check_video(self, camera, who):
        source, viewer = self.pipewire.capture_video(camera)
        self.addCleanup(self.processes.stop, source)
        self.addCleanup(self.processes.stop, viewer)
        self.start()
        self.check_held_until_the_call_ends(viewer, who, lambda: self.processes.stop(viewer))

    def test_a_shared_screen_captured_holds_a_due_break_until_the_call_ends(self):
        # GStreamer names no application on its node: its client does.
        self.check_video(False, "gst-launch-1.0: screen")

    def test_a_camera_captured_through_pipewire_holds_a_due_break_until_the_call_ends(self):
        self.check_video(True, "gst-launch-1.0: camera")

    def test_a_level_meter_holds_nothing(self):
        meter = self.record("-P", "{ stream.monitor=true }")
        self.start()
        line = self.wait_for_break(timeout=20)
        self.assertNotIn("(held", line)
        self.assertNotIn("a call", self.daemon.stderr())
        self.processes.stop(meter)

    def test_an_ignored_application_holds_nothing(self):
        call = self.record()
        self.start(CONFIG + '[calls]\nignore = ["PW-Record"]\n')
        line = self.wait_for_break(timeout=20)
        self.assertNotIn("(held", line)
        self.assertNotIn("a call", self.daemon.stderr())
        self.processes.stop(call)

    def test_a_short_capture_holds_nothing(self):
        self.start()
        wait_until(lambda: status(self.daemon)["next_break_in"] <= 2, "the break nearly due", timeout=20)
        memo = self.record()
        line = self.wait_for_break(timeout=10)
        self.processes.stop(memo)
        self.assertNotIn("(held", line)
        time.sleep(6)  # the capture would have been a call by now
        self.assertNotIn("a call", self.daemon.stderr())

    def test_calls_are_followed_through_pipewire_starting_late_dying_and_coming_back(self):
        self.pipewire.stop()
        self.start()
        wait_until(lambda: "pipewire: not running; waiting for" in self.daemon.stderr(), "the daemon to wait")
        self.pipewire.start()
        wait_until(lambda: "pipewire: watching for calls" in self.daemon.stderr(), "PipeWire found when it came")
        call = self.record()
        wait_until(lambda: self.held_by() == "a call (pw-record: microphone)", "the break held", timeout=20)

        # PipeWire dies in the call, and the call app comes back with it: it is the same call.
        self.pipewire.stop(signal.SIGKILL)
        self.processes.stop(call)
        wait_until(lambda: "pipewire: gone" in self.daemon.stderr(), "PipeWire seen gone")
        self.pipewire.start()
        call = self.record()
        wait_until(lambda: self.daemon.stderr().count("pipewire: watching for calls") == 2, "PipeWire found again")
        time.sleep(REJOIN)
        self.assertEqual(self.held_by(), "a call (pw-record: microphone)")
        self.assertNotIn("break: ", self.daemon.stderr())
        self.assertEqual(self.daemon.stderr().count(": the call ended"), 0)

        self.processes.stop(call)
        line = self.wait_for_break(timeout=REJOIN + 15)
        self.assertRegex(line, r"\(held \d+s by a call \(pw-record: microphone\), until it ended\)$")


class CameraTest(DaemonTest):
    """A camera that an application opens itself, with no PipeWire: a file stands in for its node."""

    def setUp(self):
        super().setUp()
        self.tmp = tempfile.TemporaryDirectory(prefix="postured-camera-")
        self.devices = os.path.join(self.tmp.name, "dev")
        os.mkdir(self.devices)
        self.holders = []

    def tearDown(self):
        for holder in self.holders:
            holder.kill()
            holder.wait()
        super().tearDown()
        self.tmp.cleanup()

    def start(self, pattern="video*"):
        config = CONFIG + f'[calls]\ncamera_devices = ["{self.devices}/{pattern}"]\n'
        self.daemon = Daemon(os.path.join(self.tmp.name), config, env={"DBUS_SESSION_BUS_ADDRESS": ""})
        return self.daemon

    def open_camera(self, name):
        path = os.path.join(self.devices, name)
        if not os.path.exists(path):
            open(path, "w").close()
        with open(path) as camera:
            holder = subprocess.Popen(["sleep", "300"], stdin=camera)
        self.holders.append(holder)
        return holder

    def held_by(self):
        return status(self.daemon)["held_by"] if status(self.daemon)["state"] == "held" else None

    def test_a_camera_held_open_before_the_start_holds_the_break_until_it_is_closed(self):
        holder = self.open_camera("video0")
        self.start()
        wait_until(lambda: self.held_by() == "a call (sleep: camera)", "the break held by the camera", timeout=20)
        holder.kill()
        holder.wait()
        wait_until(lambda: "break: " in self.daemon.stderr(), "the break", timeout=REJOIN + 15)
        self.assertRegex(break_line(self.daemon), r"\(held \d+s by a call \(sleep: camera\), until it ended\)$")

    def test_a_camera_plugged_in_and_opened_later_is_seen(self):
        open(os.path.join(self.devices, "video0"), "w").close()
        self.start()
        self.open_camera("video7")  # made after the start, as udev makes a camera's node
        wait_until(lambda: self.held_by() == "a call (sleep: camera)", "the break held by the camera", timeout=20)

    def test_a_camera_named_by_a_link_is_seen_through_it(self):
        holder = self.open_camera("video0")
        os.mkdir(os.path.join(self.devices, "by-id"))
        os.symlink("../video0", os.path.join(self.devices, "by-id", "usb-Webcam-video-index0"))
        self.start("by-id/*")  # as /dev/v4l/by-id/* names the cameras
        wait_until(lambda: self.held_by() == "a call (sleep: camera)", "the break held by the camera", timeout=20)
        holder.kill()

    def test_a_camera_opened_and_closed_at_once_holds_nothing(self):
        open(os.path.join(self.devices, "video0"), "w").close()
        self.start()
        wait_until(lambda: status(self.daemon)["next_break_in"] <= 2, "the break nearly due", timeout=20)
        for _ in range(3):  # an application trying the camera, a second at a time, as the break falls due
            with open(os.path.join(self.devices, "video0")):
                time.sleep(1)
            time.sleep(0.5)
        wait_until(lambda: "break: " in self.daemon.stderr(), "the break", timeout=20)
        self.assertNotIn("(held", break_line(self.daemon))


if __name__ == "__main__":
    harness.main()
