#!/usr/bin/python3
"""The README's waybar module in a real waybar on a headless sway, as a sway login runs it: sway, its session bus,
the daemon and the bar all belong to an unprivileged user, and sway starts the bar (so the bar and its feed inherit
sway's ignored SIGPIPE). The bar's text is read as a screen reader reads it, through AT-SPI; clicks come from
wayvnc's virtual pointer."""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import unittest

import harness
from desktop import PYTHON, Processes, Sway, TestUser, VncPointer, need
from harness import Daemon, wait_until

README = sys.argv.pop(1)
harness.BUILD = sys.argv.pop(1)
BAR_LABELS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bar_labels.py")
NOT_RUNNING, WORKING, PAUSED = "🧘 not running", "🧘 1h", "🧘 paused"


def readme_module():
    """The waybar block as the README gives it, to be pasted into a bar's config."""
    with open(README) as f:
        block = re.search(r"For waybar.*?```json\n(.*?)```", f.read(), re.S).group(1)
    return json.loads("{" + block + "}")


class WaybarTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        need("waybar", "dbus-daemon", "pgrep", PYTHON)
        cls.tmp = tempfile.TemporaryDirectory(prefix="postured-waybar-")
        cls.processes = Processes(cls.tmp.name)
        cls.user = TestUser()
        try:
            cls.sway = Sway(cls.processes, cls.user)
            runtime = cls.sway.runtime
            # The login's session bus, where it always is; the bar's accessibility bus starts from it.
            cls.bus = "unix:path=" + os.path.join(runtime, "bus")
            cls.processes.start("session-bus", cls.user.command(
                {"HOME": runtime, "XDG_RUNTIME_DIR": runtime, "PATH": "/usr/bin:/bin"}, "dbus-daemon", "--session",
                "--address=" + cls.bus, "--nofork"))
            wait_until(lambda: os.path.exists(os.path.join(runtime, "bus")), "the session bus")
            cls.bar_config = os.path.join(cls.tmp.name, "waybar.json")
            with open(cls.bar_config, "w") as f:
                json.dump({"layer": "top", "position": "top", "height": 30, "modules-left": ["custom/postured"],
                           **readme_module()}, f, ensure_ascii=False)
            cls.pointer = VncPointer(cls.processes, cls.sway)
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            cls.processes.close()
            subprocess.run(["pkill", "-KILL", "-u", str(cls.user.uid)])
            wait_until(lambda: not cls.user_runs(), "the test user's programs to end")
        finally:
            cls.user.remove()
            cls.tmp.cleanup()

    @classmethod
    def user_runs(cls, program=None):
        """The PIDs of the test user's programs (named `program`)."""
        found = subprocess.run(["pgrep", "-u", str(cls.user.uid), *(["-x", program] if program else [])],
                               capture_output=True, text=True)
        return [int(pid) for pid in found.stdout.split()]

    def setUp(self):
        self.daemon = None
        self.bar_log = None

    def tearDown(self):
        if self.bar_log:
            for pid in self.user_runs("waybar"):
                os.kill(pid, signal.SIGTERM)
            wait_until(lambda: not self.user_runs("waybar") and not self.user_runs("posturectl"), "the bar to end")
            with open(self.bar_log) as f:
                print(f"--- waybar's log:\n{f.read()}", file=sys.stderr)
        if self.daemon:
            self.stop_daemon()

    def start_daemon(self):
        work = tempfile.mkdtemp(dir=self.tmp.name)
        os.chown(work, self.user.uid, self.user.gid)
        self.daemon = Daemon(work, user=self.user.name, runtime=self.sway.runtime, env={
            "XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "sway", "WAYLAND_DISPLAY": self.sway.display,
            "SWAYSOCK": self.sway.ipc(), "DBUS_SESSION_BUS_ADDRESS": self.bus})
        self.assertIsNone(self.daemon.process.poll(), self.daemon.stderr())

    def stop_daemon(self):
        self.daemon.stop()
        print(f"--- the daemon's log:\n{self.daemon.stderr()}", file=sys.stderr)
        self.daemon = None

    def start_bar(self):
        """waybar, started by sway as a login's `exec waybar` does, with posturectl on its PATH."""
        self.bar_log = os.path.join(self.sway.runtime, f"waybar-{self.id().rsplit('.', 1)[1]}.log")
        self.sway.msg("exec", f"env PATH={os.path.abspath(harness.BUILD)}:/usr/bin:/bin "
                              f"DBUS_SESSION_BUS_ADDRESS={self.bus} waybar -c {self.bar_config} >{self.bar_log} 2>&1",
                      check=True)
        wait_until(lambda: self.user_runs("waybar"), "waybar to start")
        return self.user_runs("waybar")[0]

    def labels(self):
        env = {"HOME": self.sway.runtime, "XDG_RUNTIME_DIR": self.sway.runtime, "PATH": "/usr/bin:/bin",
               "DBUS_SESSION_BUS_ADDRESS": self.bus}
        result = subprocess.run(self.user.command(env, PYTHON, BAR_LABELS), capture_output=True, text=True,
                                timeout=30)
        if result.returncode != 0:
            raise AssertionError(f"reading the bar through AT-SPI: {result.stderr}")
        return [json.loads(line) for line in result.stdout.splitlines()]

    def module(self):
        return next((label for label in self.labels() if label["text"].startswith("🧘")), None)

    def bar_text(self):
        module = self.module()
        return module["text"] if module else None

    def wait_for_bar(self, text, timeout=10):
        wait_until(lambda: self.bar_text() == text, f"the bar to show {text!r} (it shows {self.bar_text()!r})",
                   timeout)

    def click_module(self):
        module = self.module()
        self.pointer.click(module["x"], module["y"])  # the bar is at the top left of the only output

    def test_the_module_shows_the_status_and_a_click_pauses_and_resumes(self):
        self.start_daemon()
        self.start_bar()
        self.wait_for_bar(WORKING)
        self.click_module()
        self.wait_for_bar(PAUSED)
        self.click_module()
        self.wait_for_bar(WORKING)

    def test_the_module_waits_for_a_daemon_and_survives_its_restarts(self):
        bar = self.start_bar()
        self.wait_for_bar(NOT_RUNNING)  # an ordinary login: the bar first
        self.start_daemon()
        self.wait_for_bar(WORKING)
        feed = self.user_runs("posturectl")
        self.assertEqual(len(feed), 1)
        for _ in range(2):
            self.stop_daemon()
            self.wait_for_bar(NOT_RUNNING)
            self.start_daemon()
            self.wait_for_bar(WORKING)
        self.assertEqual(self.user_runs("waybar"), [bar])
        self.assertEqual(self.user_runs("posturectl"), feed)  # one feed, the same, throughout
        with open(self.bar_log) as f:
            self.assertNotIn("stopped unexpectedly", f.read())

    def test_a_killed_bar_leaves_no_feed_behind(self):
        for daemon_running in (True, False):
            with self.subTest(daemon_running=daemon_running):
                if daemon_running:
                    self.start_daemon()
                bar = self.start_bar()
                self.wait_for_bar(WORKING if daemon_running else NOT_RUNNING)
                self.assertEqual(len(self.user_runs("posturectl")), 1)
                os.kill(bar, signal.SIGKILL)
                # The feed's next write goes to a pipe nobody reads, and SIGPIPE is ignored: it must see that.
                wait_until(lambda: not self.user_runs("posturectl"), "the feed to end with its bar", timeout=5)
                if daemon_running:
                    self.stop_daemon()


if __name__ == "__main__":
    harness.main()
